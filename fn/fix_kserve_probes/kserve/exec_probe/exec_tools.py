"""Read the endpoint of one checking tool's argv: curl, wget, nc, grpc_health_probe, grpcurl.

Each reader takes the words after the program's name and returns an Endpoint for a local
host, or None. Option tables follow each tool's own parser, so that an option's value is
never taken for the URL:

- curl (curl `src/tool_getparam.c`): short options cluster (`-sSf`, `-fsSo /dev/null`),
  a value-taking one ends the cluster and takes its rest or the next word; long options
  take the next word. Without `-f`/`--fail` curl exits 0 on any HTTP status, which is
  kept as a note, not as a loss;
- wget (GNU wget `src/main.c`, BusyBox `networking/wget.c`): like curl, plus `--opt=value`
  and the `-n` family (`-nv`); wget fails on HTTP errors by itself;
- nc (OpenBSD netcat, ncat, BusyBox): `[options] host port`; UDP (`-u`), Unix sockets
  (`-U`) and listening (`-l`) are not checks of a TCP port;
- grpc_health_probe (grpc-ecosystem/grpc-health-probe `main.go`) and grpcurl
  (fullstorydev/grpcurl `cmd/grpcurl/grpcurl.go`) use Go's flag package: `-flag=value`,
  `-flag value` or `--flag`, and a boolean flag never takes the next word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .endpoints import Endpoint, Port, http_endpoint, is_local_host, parse_port, split_hostport, split_url
from .shell_words import Word

Options = list[tuple[str, Word | None]]

_CURL_SHORT = {
    "A": "--user-agent", "b": "--cookie", "c": "--cookie-jar", "C": "--continue-at", "d": "--data",
    "D": "--dump-header", "e": "--referer", "E": "--cert", "F": "--form", "H": "--header", "K": "--config",
    "m": "--max-time", "o": "--output", "P": "--ftp-port", "Q": "--quote", "r": "--range", "t": "--telnet-option",
    "T": "--upload-file", "u": "--user", "U": "--proxy-user", "w": "--write-out", "x": "--proxy",
    "X": "--request", "y": "--speed-time", "Y": "--speed-limit", "z": "--time-cond",
}
_CURL_FLAGS = {"f": "--fail", "I": "--head", "G": "--get", "n": "--netrc", ":": "--next"}
_CURL_LONG = frozenset(set(_CURL_SHORT.values()) | {
    "--abstract-unix-socket", "--aws-sigv4", "--cacert", "--capath", "--cert-type", "--ciphers", "--connect-timeout",
    "--connect-to", "--crlfile", "--data-ascii", "--data-binary", "--data-raw", "--data-urlencode", "--dns-servers",
    "--expect100-timeout", "--form-string", "--happy-eyeballs-timeout-ms", "--interface", "--json",
    "--keepalive-time", "--key", "--key-type", "--limit-rate", "--local-port", "--max-filesize", "--max-redirs",
    "--netrc-file", "--noproxy", "--oauth2-bearer", "--output-dir", "--pass", "--pinnedpubkey", "--preproxy",
    "--proto", "--proto-default", "--proto-redir", "--proxy-cacert", "--proxy-header", "--request-target",
    "--resolve", "--retry", "--retry-delay", "--retry-max-time", "--socks4", "--socks4a", "--socks5",
    "--socks5-hostname", "--tls-max", "--trace", "--trace-ascii", "--unix-socket", "--url", "--url-query",
    "--variable",
})
_CURL_LOST = {
    "--user": "credentials (-u)", "--proxy-user": "credentials (-U)", "--netrc": "credentials (--netrc)",
    "--netrc-file": "credentials (--netrc-file)", "--oauth2-bearer": "a bearer token (--oauth2-bearer)",
    "--cookie": "a cookie (-b)", "--cert": "a client certificate (-E)", "--key": "a client certificate (--key)",
    "--proxy": "a proxy (-x)", "--preproxy": "a proxy (--preproxy)", "--socks5": "a proxy (--socks5)",
    "--resolve": "an address override (--resolve)", "--connect-to": "an address override (--connect-to)",
    "--config": "options read from a file (-K)", "--next": "further requests (--next)",
    "--url-query": "query data (--url-query)", "--aws-sigv4": "a request signature (--aws-sigv4)",
}
_CURL_BODY = frozenset({"--data", "--data-ascii", "--data-binary", "--data-raw", "--data-urlencode", "--json",
                        "--form", "--form-string", "--upload-file"})
_WGET_SHORT = {
    "O": "--output-document", "o": "--output-file", "a": "--append-output", "e": "--execute", "i": "--input-file",
    "t": "--tries", "T": "--timeout", "w": "--wait", "U": "--user-agent", "P": "--directory-prefix", "Y": "--proxy",
    "Q": "--quota", "l": "--level", "A": "--accept", "R": "--reject", "D": "--domains", "B": "--base",
}
_WGET_LONG = frozenset(set(_WGET_SHORT.values()) | {
    "--header", "--user", "--password", "--http-user", "--http-password", "--post-data", "--post-file", "--method",
    "--body-data", "--body-file", "--ca-certificate", "--certificate", "--private-key", "--bind-address",
    "--waitretry", "--read-timeout", "--connect-timeout", "--dns-timeout", "--referer", "--load-cookies",
    "--save-cookies", "--limit-rate",
})
_WGET_LOST = {
    "--user": "credentials (--user)", "--password": "credentials (--password)",
    "--http-user": "credentials (--http-user)", "--http-password": "credentials (--http-password)",
    "--post-data": "a POST method", "--post-file": "a POST method", "--body-data": "a request body (--body-data)",
    "--body-file": "a request body (--body-file)", "--certificate": "a client certificate (--certificate)",
    "--load-cookies": "a cookie (--load-cookies)", "--execute": "wgetrc commands (-e)",
    "--input-file": "URLs read from a file (-i)",
}
_NC_VALUES = "wipsxXOVTqIMme"
_HEADER_OPTIONS = {"--header": "", "--user-agent": "User-Agent: ", "--referer": "Referer: "}
_GHP_BOOL = frozenset({"tls", "tls-no-verify", "spiffe", "alts", "gzip", "v", "version", "stream"})
_GRPCURL_BOOL = frozenset({
    "plaintext", "insecure", "v", "vv", "format-error", "emit-defaults", "allow-unknown-fields", "use-reflection",
    "msg-template", "help", "version", "unix", "expand-headers", "alts",
})
_HEALTH_CHECK = re.compile(r"/?grpc\.health\.v1\.Health[/.]Check")
_SERVICE = re.compile(r'"service"\s*:\s*"([^"]*)"')


def options(args: Sequence[Word], short: dict[str, str], flags: dict[str, str], long: frozenset[str],
            n_family: bool = False) -> tuple[Options, list[Word]]:
    """(long option name, value) pairs and the positional words, for curl- and wget-style argv."""
    opts: Options = []
    positional: list[Word] = []
    rest = list(args)
    while rest:
        word = rest.pop(0)
        text = word.text
        if text == "--":
            positional.extend(rest)
            break
        if text.startswith("--"):
            name, eq, value = text.partition("=")
            if eq:
                opts.append((name, word._replace(text=value)))
            else:
                opts.append((name, rest.pop(0) if name in long and rest else None))
        elif text.startswith("-") and len(text) > 1:
            if n_family and text.startswith("-n"):
                opts.append((text, None))
                continue
            for i, c in enumerate(text[1:], 1):
                if c not in short:
                    opts.append((flags.get(c, "-" + c), None))
                    continue
                attached = text[i + 1 :]
                arg = word._replace(text=attached) if attached else (rest.pop(0) if rest else None)
                opts.append((short[c], arg))
                break
        else:
            positional.append(word)
    return opts, positional


def header(word: Word) -> tuple[tuple[str, str] | None, str | None]:
    """A literal `Name: value` header, or what is lost when it is not literal."""
    name, colon, value = word.text.partition(":")
    if word.text.startswith("@"):
        return None, "headers read from a file (-H @file)"
    if word.dynamic or "$(" in word.text:  # a shell expansion, a $(VAR), or an unexpanded $(cmd)
        return None, f"a header computed at run time ({name.strip() or word.text})"
    if not colon and name.endswith(";"):  # curl: `Name;` sends an empty header
        return (name[:-1].strip(), ""), None
    if not colon or not value.strip():  # curl: `Name:` removes a header
        return None, None
    return (name.strip(), value.strip()), None


def _request(opts: Options) -> tuple[list[tuple[str, str]], list[str], str]:
    """Headers, what is lost, and the method, from the options shared by curl and wget."""
    headers: list[tuple[str, str]] = []
    lost: list[str] = []
    method = ""
    for name, value in opts:
        if value is not None and name in _HEADER_OPTIONS:
            pair, why = header(value._replace(text=_HEADER_OPTIONS[name] + value.text))
            headers += [pair] if pair else []
            lost += [why] if why else []
        elif value is not None and name in ("--request", "--method"):
            method = value.text.upper()
    return headers, lost, method


def curl(args: Sequence[Word], shell: bool) -> Endpoint | None:
    opts, urls = options(args, _CURL_SHORT, _CURL_FLAGS, _CURL_LONG)
    names = [name for name, _ in opts]
    if "--unix-socket" in names or "--abstract-unix-socket" in names:
        return None
    urls = [value for name, value in opts if name == "--url" and value] + urls
    url = split_url(urls[0].text, shell and urls[0].dynamic) if urls else None
    if url is None or not is_local_host(url.host, shell and urls[0].dynamic):
        return None
    headers, lost, method = _request(opts)
    lost += [_CURL_LOST[name] for name in names if name in _CURL_LOST]
    body = [name for name in names if name in _CURL_BODY]
    get = "--get" in names
    lost += [f"query data added with -G ({body[0]})"] if body and get else [f"a request body ({n})" for n in body]
    method = method or ("HEAD" if "--head" in names else "POST" if body and not get else "GET")
    lost += [f"a {method} method"] if method not in ("GET", "HEAD") else []
    lost += ["requests to further URLs"] if len(urls) > 1 else []
    notes = ["a HEAD request becomes GET"] if method == "HEAD" else []
    if not {"--fail", "--fail-with-body"} & set(names):
        notes.append("curl without -f accepts any HTTP status; httpGet needs 200-399")
    return http_endpoint(url, "curl", tuple(headers), tuple(lost), tuple(notes))


def wget(args: Sequence[Word], shell: bool) -> Endpoint | None:
    opts, urls = options(args, _WGET_SHORT, {"s": "--spider", "q": "--quiet"}, _WGET_LONG, n_family=True)
    url = split_url(urls[0].text, shell and urls[0].dynamic) if urls else None
    if url is None or not is_local_host(url.host, shell and urls[0].dynamic):
        return None
    headers, lost, method = _request(opts)
    lost += [_WGET_LOST[name] for name, _ in opts if name in _WGET_LOST]
    lost += [f"a {method} method"] if method not in ("", "GET", "HEAD") else []
    lost += ["requests to further URLs"] if len(urls) > 1 else []
    return http_endpoint(url, "wget", tuple(headers), tuple(lost))


def nc(args: Sequence[Word], shell: bool) -> Endpoint | None:
    opts, positional = options(args, dict.fromkeys(_NC_VALUES, "-value"), {}, frozenset())
    if {"-u", "-U", "-l"} & {name for name, _ in opts} or len(positional) < 2:
        return None
    host, port = positional[0], positional[1]
    if not is_local_host(host.text, shell and host.dynamic):
        return None
    return Endpoint("tcp", parse_port(port.text, shell and port.dynamic), host.text.strip("[]"), "nc")


def go_flags(args: Sequence[Word], booleans: frozenset[str]) -> tuple[dict[str, Word], list[Word]]:
    """Go `flag` package parsing: the last value of each flag, and the positional words."""
    flags: dict[str, Word] = {}
    rest = list(args)
    while rest:
        word = rest.pop(0)
        if word.text == "--" or not word.text.startswith("-") or word.text == "-":
            return flags, ([] if word.text == "--" else [word]) + rest
        name, eq, value = word.text.lstrip("-").partition("=")
        if eq:
            flags[name] = word._replace(text=value)
        elif name in booleans:
            flags[name] = word._replace(text="true")
        elif rest:
            flags[name] = rest.pop(0)
    return flags, []


def grpc_address(word: Word | None, shell: bool, tool: str, lost: tuple[str, ...]) -> Endpoint | None:
    split = split_hostport(word.text) if word else None
    if word is None or split is None or not is_local_host(split[0], shell and word.dynamic):
        return None
    port = parse_port(split[1], shell and word.dynamic) if split[1] else Port(None, "", "invalid")
    return Endpoint("grpc", port, split[0], tool, lost=lost)


def grpc_health_probe(args: Sequence[Word], shell: bool) -> Endpoint | None:
    flags, _ = go_flags(args, _GHP_BOOL)
    service = flags["service"].text if "service" in flags else ""
    return grpc_address(flags.get("addr"), shell, "grpc_health_probe",
                        (f"a gRPC service name ({service})",) if service else ())


def grpcurl(args: Sequence[Word], shell: bool) -> Endpoint | None:
    flags, positional = go_flags(args, _GRPCURL_BOOL)
    if ("unix" in flags and flags["unix"].text != "false") or not positional:
        return None
    method = positional[1].text if len(positional) > 1 else ""
    service = _SERVICE.search(flags["d"].text) if "d" in flags else None
    lost: tuple[str, ...] = (f"a call to {method or 'grpcurl without a method'}",) if not _HEALTH_CHECK.fullmatch(method) else ()
    lost += (f"a gRPC service name ({service[1]})",) if service and service[1] else ()
    return grpc_address(positional[0], shell, "grpcurl", lost)
