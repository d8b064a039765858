"""Read the endpoint of a `python -c` readiness check by pattern, without running or parsing it.

Recognised: a string literal with an http(s) URL used by urllib (`urlopen`), requests,
httpx or urllib3; `http.client.HTTPConnection('localhost', 8080)` with `.request('GET',
'/path')`; and a socket connect (`socket.create_connection(('localhost', 8080))`,
`s.connect((...))`, `s.connect_ex((...))`) as a port check. A port written
`{os.environ['PORT']}` (or `os.environ.get`, `os.getenv`) in an f-string is an "env-var".
`urlopen` follows redirects and raises HTTPError for any other status outside 2xx
(CPython `Lib/urllib/request.py`, `HTTPErrorProcessor`), close to httpGet's 200-399;
requests, httpx and http.client do not fail on a status unless the code checks it, which
is kept as a note. Methods other than GET, request
bodies, headers, credentials, body checks and loops in the code are reported as lost.
A script file (`python /app/check.py`) or a module (`-m`) states no endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .endpoints import Endpoint, Port, Url, http_endpoint, is_local_host, parse_port, split_hostport, split_url
from .shell_words import Word

_URL = re.compile(r"""(['"])(https?://.*?)\1""")
_LIBS = ("urlopen", "requests.", "httpx.", "urllib3")
_ENV = re.compile(r"""os\.(?:environ\[|environ\.get\(|getenv\()\s*['"](\w+)['"]\s*(?:,\s*['"]?(\d+))?""")
_METHOD = re.compile(r"""(?:requests|httpx)\.(post|put|patch|delete)\b|method\s*=\s*['"](\w+)['"]""")
_CONNECTION = re.compile(r"""(HTTPS?)Connection\(\s*(['"])([^'"]*)\2\s*(?:,\s*(?:port\s*=\s*)?(\d+))?""")
_REQUEST = re.compile(r"""\.request\(\s*['"](\w+)['"]\s*,\s*['"]([^'"]*)['"]""")
_SOCKET = re.compile(r"""(?:create_connection|connect_ex|connect)\(\s*\(\s*(['"])([^'"]*)\1\s*,\s*(\d+)\s*\)""")
_LOOP = re.compile(r"\b(?:while|for)\b")
_LOST_IF = (
    (("data=", "json=", "files="), "a request body in Python code"),
    (("headers=", "add_header(", "header="), "headers set in Python code"),
    (("auth=",), "credentials in Python code"),
    ((".json(", ".read(", ".text", ".content", "json.load"), "a body check in Python code"),
)
_STATUS_CHECKS = ("raise_for_status", "status_code", ".status", ".ok", "is_success")
_NO_STATUS = "the code accepts any HTTP status; httpGet needs 200-399"


def _code(args: Sequence[Word]) -> str | None:
    """The code of `python [options] -c CODE`, or None (a script file, `-m`, no code)."""
    rest = list(args)
    while rest:
        text = rest.pop(0).text
        if text == "-c" or (text.startswith("-") and text[1:].isalpha() and text.endswith("c")):
            return rest[0].text if rest else None
        if text.startswith("-c"):
            return text[2:]
        if not text.startswith("-") or text.startswith(("-m", "--")):
            return None
        if text in ("-W", "-X") and rest:
            rest.pop(0)
    return None


def _env_port(port: Port) -> Port:
    """An f-string port read from os.environ, as an "env-var"."""
    env = _ENV.search(port.text) if port.state == "invalid" and port.text.startswith("{") else None
    if env is None:
        return port
    default = int(env[2]) if env[2] and len(env[2]) <= 5 and 1 <= int(env[2]) <= 65535 else None
    return Port(None, port.text, "env-var", env[1], default)


def _lost(code: str) -> tuple[str, ...]:
    method = _METHOD.search(code)
    verb = (method[1] or method[2]).upper() if method else "GET"
    lost: tuple[str, ...] = (f"a {verb} method",) if verb not in ("GET", "HEAD") else ()
    lost += tuple(why for needles, why in _LOST_IF if any(n in code for n in needles))
    return lost + (("a loop in Python code",) if _LOOP.search(code) else ())


def _http_client(code: str) -> Endpoint | None:
    conn = _CONNECTION.search(code)
    split = split_hostport(conn[3]) if conn else None
    if conn is None or split is None or not is_local_host(split[0]):
        return None
    https = conn[1] == "HTTPS"
    port_text = conn[4] or split[1]
    port = parse_port(port_text) if port_text else Port(443 if https else 80, "", "ok")
    request = _REQUEST.search(code)
    verb, path = (request[1].upper(), request[2]) if request else ("GET", "/")
    url = Url("https" if https else "http", split[0], port, path if path.startswith("/") else "/" + path, False)
    lost = _lost(code) + ((f"a {verb} method",) if verb not in ("GET", "HEAD") else ())
    notes = () if any(s in code for s in _STATUS_CHECKS) else (_NO_STATUS,)
    return http_endpoint(url, "python", (), lost, notes)


def python(args: Sequence[Word], shell: bool) -> Endpoint | None:
    """The endpoint of `python -c CODE` (`shell` is unused: the code is Python, not shell)."""
    code = _code(args)
    if code is None:
        return None
    found = _URL.search(code)
    if found and any(lib in code for lib in _LIBS):
        url = split_url(found[2])
        if url is None or not is_local_host(url.host):
            return None
        url = url._replace(port=_env_port(url.port))
        status_checked = "urlopen" in code or any(s in code for s in _STATUS_CHECKS)
        return http_endpoint(url, "python", (), _lost(code), () if status_checked else (_NO_STATUS,))
    if "HTTPConnection" in code or "HTTPSConnection" in code:
        return _http_client(code)
    sock = _SOCKET.search(code)
    if sock is None or not is_local_host(sock[2]):
        return None
    loop = ("a loop in Python code",) if _LOOP.search(code) else ()
    return Endpoint("tcp", parse_port(sock[3]), sock[2], "python", lost=loop)
