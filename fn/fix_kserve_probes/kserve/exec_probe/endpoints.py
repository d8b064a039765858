"""The endpoint an exec probe checks, as plain data, and how its host, port and URL are read.

A port is reported with its state, so a caller can tell a usable number from one it has
to resolve or reject:

- "ok": a decimal number in 1..65535 (`number` is set), or the default of a URL scheme
  (80 for http, 443 for https; then `text` is "");
- "k8s-var": `$(NAME)`. Kubernetes expands `$(NAME)` in `command` and `args` from the
  container's env before anything runs, in argv and inside an `sh -c` script alike, and
  leaves it as written when NAME is not defined (kubernetes
  `third_party/forked/golang/expansion/expand.go`; names as in `IsEnvVarName`:
  `[-._a-zA-Z][-._a-zA-Z0-9]*`). Left as written inside a script, the shell would run a
  command named NAME, so an undefined one is an error for the caller;
- "env-var": `$NAME`, `${NAME}` or `${NAME:-N}` inside a shell script (or an
  `os.environ` lookup in `python -c`): read from the process env at run time, which is
  the container's env; `default` is N when the shell supplies one. In argv, with no
  shell, `$NAME` is passed literally and is "invalid";
- "out-of-range": a decimal number outside 1..65535;
- "invalid": anything else (a command substitution, a range, no port where one is needed).

Local hosts: localhost (and `*.localhost`, `ip6-localhost`, `ip6-loopback`,
`localhost.localdomain`), any loopback address (127.0.0.0/8, ::1), the unspecified
addresses 0.0.0.0 and ::, and the empty host of `:9000`. In a shell script the pod's own
name (`$HOSTNAME`, `$(hostname)`, `$(hostname -i)`) is local too: kubelet writes it into
the pod's /etc/hosts with the pod's IP (kubernetes `pkg/kubelet/kubelet_pods.go`,
`managedHostsFileContent`).

A query string is kept in `path`, and reported as lost: Knative's prober builds its URL
with `url.URL{Path: httpGet.Path}`, so `?` is escaped to `%3F` (knative/serving
`pkg/queue/health/probe.go`, `getURL`). A `Host` header is lost too: that prober adds
headers with `req.Header.Add`, and Go writes the URL's host (or `Request.Host`), never a
Host entry of `Request.Header` (Go `src/net/http/request.go`, `reqWriteExcludeHeader`).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Literal, NamedTuple

Kind = Literal["http", "https", "tcp", "grpc"]
PortState = Literal["ok", "k8s-var", "env-var", "out-of-range", "invalid"]

K8S_VAR = re.compile(r"\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)")
_SHELL_VAR = re.compile(r"\$(?:([A-Za-z_]\w*)|\{([A-Za-z_]\w*)(?:(:?[-=])(\d*))?\})", re.ASCII)
_LOCAL_NAMES = frozenset({"", "localhost", "ip6-localhost", "ip6-loopback", "localhost.localdomain"})
_POD_NAMES = frozenset({"$HOSTNAME", "${HOSTNAME}", "$(hostname)", "$(hostname -i)", "`hostname`", "`hostname -i`"})
QUERY_LOST = "a query string (Knative's prober escapes '?' in the path)"
HOST_LOST = "a Host header (Go's HTTP client sends the URL's host instead)"


class Port(NamedTuple):
    """A port as written, and whether it can be used as it is."""

    number: int | None  # set exactly when state == "ok"
    text: str  # as written; "" when implied by the URL's scheme
    state: PortState
    variable: str | None = None  # the variable's name, for "k8s-var" and "env-var"
    default: int | None = None  # "env-var" written ${NAME:-N} (or ${NAME-N}): the shell's N


class Endpoint(NamedTuple):
    """What an exec probe checks.

    `lost` names what an httpGet or tcpSocket probe cannot express; when it is not empty
    the caller should probe `tcpSocket` on `port` and warn with these phrases. `notes`
    are differences that do not stop an httpGet (e.g. curl without -f accepted any status).
    """

    kind: Kind  # "http" (httpGet), "https" (tcpSocket: TLS), "tcp", "grpc"
    port: Port
    host: str  # the local host as written, without brackets ("" for `:9000`)
    tool: str  # "curl", "wget", "python", "nc", "/dev/tcp", "grpc_health_probe", "grpcurl"
    path: str = ""  # http/https: the path and query string, always starting with "/"
    headers: tuple[tuple[str, str], ...] = ()  # http/https: literal request headers, in order
    lost: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


class Url(NamedTuple):
    scheme: Literal["http", "https"]
    host: str
    port: Port
    path: str
    credentials: bool  # user:password@ in the URL


def parse_port(text: str, shell: bool = False) -> Port:
    """Read a port as written; `shell` when the text went through a shell (so $NAME expands)."""
    if text.isascii() and text.isdigit():
        if len(text) <= 6 and 1 <= int(text) <= 65535:
            return Port(int(text), text, "ok")
        return Port(None, text, "out-of-range")
    k8s = K8S_VAR.fullmatch(text)
    if k8s:
        return Port(None, text, "k8s-var", k8s[1])
    var = _SHELL_VAR.fullmatch(text) if shell else None
    if var:
        fallback = var[4] or ""
        default = int(fallback) if fallback.isdigit() and len(fallback) <= 6 else None
        return Port(None, text, "env-var", var[1] or var[2], default if default and default <= 65535 else None)
    return Port(None, text, "invalid")


def is_local_host(host: str, shell: bool = False) -> bool:
    """Whether a host names the pod itself (see the module docstring)."""
    if shell and host in _POD_NAMES:
        return True
    name = host.lower().removeprefix("[").removesuffix("]").removesuffix(".")
    if name in _LOCAL_NAMES or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _last_colon(text: str) -> int:
    """Index of the last `:` outside ${...} and $(...), or -1."""
    level, found = 0, -1
    for i, c in enumerate(text):
        if c in "({":
            level += 1
        elif c in ")}":
            level = max(0, level - 1)
        elif c == ":" and level == 0:
            found = i
    return found


def split_hostport(text: str) -> tuple[str, str] | None:
    """`host:port`, `[v6]:port`, `:port` or a bare host, as (host, port text)."""
    if text.startswith("["):
        close = text.find("]")
        rest = text[close + 1 :]
        if close < 0 or (rest and not rest.startswith(":")):
            return None
        return text[1:close], rest[1:]
    colon = _last_colon(text)
    if colon < 0:
        return text, ""
    if ":" in text[:colon]:  # unbracketed IPv6: ::1 alone, or ::1:9000 read leniently
        try:
            ipaddress.ip_address(text)
        except ValueError:
            return text[:colon], text[colon + 1 :]
        return text, ""
    return text[:colon], text[colon + 1 :]


def split_url(text: str, shell: bool = False) -> Url | None:
    """An http(s) URL, or a URL without a scheme (curl and wget then use http)."""
    scheme, sep, rest = text.partition("://")
    scheme = scheme.lower() if sep else "http"
    rest = rest if sep else text
    if scheme not in ("http", "https"):
        return None
    cut = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    userinfo, _, hostport = rest[:cut].rpartition("@")
    split = split_hostport(hostport)
    if split is None or not split[0]:
        return None
    host, port_text = split
    port = parse_port(port_text, shell) if port_text else Port(80 if scheme == "http" else 443, "", "ok")
    path = rest[cut:].split("#", 1)[0]
    path = path if path.startswith("/") else "/" + path
    return Url("http" if scheme == "http" else "https", host, port, path, bool(userinfo))


def http_endpoint(
    url: Url,
    tool: str,
    headers: tuple[tuple[str, str], ...] = (),
    lost: tuple[str, ...] = (),
    notes: tuple[str, ...] = (),
) -> Endpoint:
    """The endpoint of a request to a local URL, with what the URL itself loses."""
    extra: tuple[str, ...] = ("credentials in the URL",) if url.credentials else ()
    extra += (QUERY_LOST,) if "?" in url.path else ()
    extra += (HOST_LOST,) if any(name.lower() == "host" for name, _ in headers) else ()
    return Endpoint(url.scheme, url.port, url.host, tool, url.path, headers, unique(lost + extra), notes)


def unique(items: tuple[str, ...]) -> tuple[str, ...]:
    """The items without repeats, in their first order."""
    return tuple(dict.fromkeys(items))
