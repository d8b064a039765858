"""The endpoint an exec readiness probe checks: a table of real-world commands, then edge cases."""

from __future__ import annotations

from typing import NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fix_kserve_probes.kserve.exec_probe.endpoints import is_local_host, split_hostport, split_url
from fix_kserve_probes.kserve.exec_probe.exec_endpoint import Endpoint, Port, exec_endpoint, parse_port, script_endpoint

BODY_GREP = "a body check piped to grep"
NO_FAIL = "curl without -f accepts any HTTP status; httpGet needs 200-399"
QUERY = "a query string (Knative's prober escapes '?' in the path)"


class Want(NamedTuple):
    kind: str
    port: int | Port  # an int means Port(int, str(int), "ok")
    path: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    lost: tuple[str, ...] = ()


def summary(ep: Endpoint | None) -> Want | None:
    if ep is None:
        return None
    literal = ep.port.number is not None and ep.port.text == str(ep.port.number)
    port: int | Port = ep.port.number if literal and ep.port.number is not None else ep.port
    return Want(ep.kind, port, ep.path, ep.headers, ep.lost)


def var(state: str, text: str, name: str | None = None, default: int | None = None) -> Port:
    return Port(None, text, state, name, default)  # type: ignore[arg-type]


TABLE: list[tuple[list[str], Want | None]] = [
    # custom predictors and the examples
    (["curl", "-sf", "http://localhost:8085/ping"], Want("http", 8085, "/ping")),
    (["wget", "-q", "-O-", "http://localhost:8090/v2/models/m/ready"], Want("http", 8090, "/v2/models/m/ready")),
    (["sh", "-c", "curl -f http://127.0.0.1:8000/health || exit 1"], Want("http", 8000, "/health")),
    (["grpc_health_probe", "-addr=:9000"], Want("grpc", 9000)),
    (["nc", "-z", "localhost", "8033"], Want("tcp", 8033)),
    (["/bin/sh", "-c", "curl -s localhost:8080/v2/health/ready | grep -q true"],
     Want("http", 8080, "/v2/health/ready", lost=(BODY_GREP,))),
    (["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080"], Want("tcp", 8080)),
    (["python3", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8080/v1/models/m')"],
     Want("http", 8080, "/v1/models/m")),
    (["curl", "-H", "Authorization: Bearer $(cat /var/run/token)", "http://localhost:8080/ready"],
     Want("http", 8080, "/ready", lost=("a header computed at run time (Authorization)",))),
    (["sh", "-c", 'curl -sf -H "Authorization: Bearer $(cat /var/run/secrets/token)" http://localhost:8080/ready'],
     Want("http", 8080, "/ready", lost=("a header computed at run time (Authorization)",))),
    (["curl", "-k", "https://localhost:8443/health"], Want("https", 8443, "/health")),
    (["curl", "-fsS", "http://otherhost:8080/health"], None),
    (["curl", "http://model-svc.default.svc.cluster.local:8080/v1/models/m"], None),
    (["test", "-f", "/tmp/ready"], None),
    (["cat", "/tmp/healthy"], None),
    (["/bin/check.sh"], None),
    (["sh", "/opt/health.sh"], None),
    (["curl", "-X", "POST", "-d", "{}", "http://localhost:8080/v1/models/m:predict"],
     Want("http", 8080, "/v1/models/m:predict", lost=("a request body (--data)", "a POST method"))),
    # model servers' health paths
    (["/bin/bash", "-c", "curl -sf http://localhost:8000/health"], Want("http", 8000, "/health")),  # vLLM
    (["curl", "-f", "http://localhost:80/health"], Want("http", 80, "/health")),  # TGI
    (["curl", "-fs", "localhost:8000/v2/health/ready"], Want("http", 8000, "/v2/health/ready")),  # Triton, no scheme
    (["curl", "-s", "--fail", "http://localhost:8080/ping"], Want("http", 8080, "/ping")),  # TorchServe
    (["sh", "-c", "curl --fail --silent --max-time 2 http://0.0.0.0:8080/v2/health/ready > /dev/null 2>&1"],
     Want("http", 8080, "/v2/health/ready")),  # MLServer
    (["curl", "-f", "http://localhost:8501/v1/models/half_plus_two"], Want("http", 8501, "/v1/models/half_plus_two")),
    (["/usr/bin/curl", "--silent", "--fail", "--max-time", "3", "http://localhost:3000/api/health"],
     Want("http", 3000, "/api/health")),
    # hosts and ports
    (["curl", "-g", "-sf", "http://[::1]:8080/health"], Want("http", 8080, "/health")),
    (["curl", "-f", "http://localhost/health"], Want("http", Port(80, "", "ok"), "/health")),
    (["curl", "-kf", "https://127.0.0.1/healthz"], Want("https", Port(443, "", "ok"), "/healthz")),
    (["sh", "-c", "curl -sf http://localhost:$(PORT)/ping"], Want("http", var("k8s-var", "$(PORT)", "PORT"), "/ping")),
    (["curl", "-sf", "http://localhost:$(PORT)/ping"], Want("http", var("k8s-var", "$(PORT)", "PORT"), "/ping")),
    (["sh", "-c", "curl -sf http://localhost:$PORT/ping"], Want("http", var("env-var", "$PORT", "PORT"), "/ping")),
    (["sh", "-c", "curl -sf http://localhost:${PORT:-8080}/ping"],
     Want("http", var("env-var", "${PORT:-8080}", "PORT", 8080), "/ping")),
    (["curl", "-sf", "http://localhost:$PORT/ping"], Want("http", var("invalid", "$PORT"), "/ping")),  # no shell
    (["curl", "-sf", "http://localhost:70000/ping"], Want("http", var("out-of-range", "70000"), "/ping")),
    (["curl", "-sf", "http://localhost:8080/health?full=1"], Want("http", 8080, "/health?full=1", lost=(QUERY,))),
    (["curl", "-sf", "http://user:pw@localhost:8080/x"], Want("http", 8080, "/x", lost=("credentials in the URL",))),
    # wrappers and shells
    (["timeout", "5", "curl", "-sf", "http://localhost:8080/health"], Want("http", 8080, "/health")),
    (["env", "-i", "curl", "-sf", "http://localhost:8080/health"], Want("http", 8080, "/health")),
    (["nice", "-n", "10", "curl", "-sf", "localhost:8080/health"], Want("http", 8080, "/health")),
    (["bash", "-lc", "curl -fsS http://localhost:8080/ready"], Want("http", 8080, "/ready")),
    (["ash", "-c", "wget -q --spider http://localhost:8080/"], Want("http", 8080, "/")),
    (["busybox", "wget", "-q", "-O", "-", "http://127.0.0.1:8080/health"], Want("http", 8080, "/health")),
    (["sh", "-c", "timeout 2 bash -c '</dev/tcp/localhost/8080'"], Want("tcp", 8080)),
    # headers, methods, credentials
    (["curl", "-sf", "-H", "Content-Type: application/json", "http://localhost:8080/v2/health/live"],
     Want("http", 8080, "/v2/health/live", (("Content-Type", "application/json"),))),
    (["curl", "-sf", "--header", "X-Probe: kubelet", "-A", "kube-probe/1.30", "http://localhost:8080/ready"],
     Want("http", 8080, "/ready", (("X-Probe", "kubelet"), ("User-Agent", "kube-probe/1.30")))),
    (["curl", "-sf", "-u", "admin:secret", "http://localhost:9090/-/ready"],
     Want("http", 9090, "/-/ready", lost=("credentials (-u)",))),
    (["sh", "-c", "curl -sf http://localhost:8080/health -H 'Host: api.local'"],
     Want("http", 8080, "/health", (("Host", "api.local"),),
          ("a Host header (Go's HTTP client sends the URL's host instead)",))),
    (["curl", "--unix-socket", "/var/run/app.sock", "http://localhost/health"], None),
    # wget
    (["wget", "--spider", "-q", "http://localhost:8080/healthz"], Want("http", 8080, "/healthz")),
    (["wget", "-qO", "/dev/null", "--timeout=2", "http://127.0.0.1:5000/health"], Want("http", 5000, "/health")),
    (["/bin/sh", "-c", "wget -q -T 3 -O - http://localhost:8080/ready | grep -q OK"],
     Want("http", 8080, "/ready", lost=(BODY_GREP,))),
    (["wget", "-q", "--post-data", "x=1", "http://localhost:8080/ready"],
     Want("http", 8080, "/ready", lost=("a POST method",))),
    # python
    (["python", "-c", "import requests; requests.get('http://localhost:5000/health').raise_for_status()"],
     Want("http", 5000, "/health")),
    (["python3", "-c", "import socket; socket.create_connection(('localhost', 8500), timeout=1)"], Want("tcp", 8500)),
    (["python3", "-c", "import http.client as h; c=h.HTTPConnection('localhost', 8080); c.request('GET', '/ready'); "
      "exit(0 if c.getresponse().status == 200 else 1)"], Want("http", 8080, "/ready")),
    (["python3", "-c", "import os, urllib.request as u; u.urlopen(f\"http://localhost:{os.environ['PORT']}/ping\")"],
     Want("http", var("env-var", "{os.environ['PORT']}", "PORT"), "/ping")),
    (["python3", "/app/healthcheck.py"], None),
    # port and gRPC checks
    (["nc", "-zv", "127.0.0.1", "6379"], Want("tcp", 6379)),
    (["sh", "-c", "nc -z -w 2 localhost 8080"], Want("tcp", 8080)),
    (["nc", "-zu", "localhost", "53"], None),
    (["bash", "-c", "cat < /dev/tcp/localhost/8080"], Want("tcp", 8080)),
    (["sh", "-c", "echo > /dev/tcp/127.0.0.1/9000"], Want("tcp", 9000)),
    (["grpc_health_probe", "-addr", "localhost:9000", "-tls", "-tls-no-verify"], Want("grpc", 9000)),
    (["/bin/grpc_health_probe", "-addr=localhost:$(GRPC_PORT)"],
     Want("grpc", var("k8s-var", "$(GRPC_PORT)", "GRPC_PORT"))),
    (["grpc_health_probe", "-addr=other:9000"], None),
    (["grpc_health_probe", "-addr=:8081", "-service=triton"], Want("grpc", 8081, lost=("a gRPC service name (triton)",))),
    (["grpcurl", "-plaintext", "-d", '{"service":""}', "127.0.0.1:8081", "grpc.health.v1.Health/Check"],
     Want("grpc", 8081)),
    (["grpcurl", "-plaintext", "localhost:9000", "list"], Want("grpc", 9000, lost=("a call to list",))),
    # scripts: chains, alternatives, loops, output checks
    (["sh", "-c", "while ! curl -sf localhost:8080/health; do sleep 1; done"],
     Want("http", 8080, "/health", lost=("a loop",))),
    (["sh", "-c", "for i in 1 2 3; do curl -sf localhost:8080/health && exit 0; sleep 1; done; exit 1"],
     Want("http", 8080, "/health", lost=("a loop",))),
    (["sh", "-c", "if curl -sf http://localhost:8080/health; then exit 0; else exit 1; fi"],
     Want("http", 8080, "/health")),
    (["sh", "-c", "test -f /tmp/ready && curl -sf http://localhost:8080/health"],
     Want("http", 8080, "/health", lost=("another command is not kept (test -f /tmp/ready)",))),
    (["sh", "-c", "nc -z localhost 9000 && curl -sf http://localhost:8080/health"],
     Want("http", 8080, "/health", lost=("other checks chained with && are not kept",))),
    (["sh", "-c", "curl -sf localhost:8080/a || curl -sf localhost:8081/b"], Want("http", 8080, "/a")),
    (["sh", "-c", "curl -s http://localhost:8080/health | jq -e '.status == \"ok\"'"],
     Want("http", 8080, "/health", lost=("a body check piped to jq",))),
    (["sh", "-c", "[ \"$(curl -s -o /dev/null -w '%{http_code}' http://localhost:8080/health)\" = \"200\" ]"],
     Want("http", 8080, "/health", lost=("the output of curl checked by the script",))),
    (["sh", "-c", "code=$(curl -s -o /dev/null -w '%{http_code}' http://localhost:8080/health); [ \"$code\" = 200 ]"],
     Want("http", 8080, "/health", lost=("another command is not kept ([ $code = 200 ])",))),
    (["sh", "-c", "curl -sf http://localhost:8080/health'"], None),  # unbalanced quote
]


@pytest.mark.parametrize(("command", "want"), TABLE, ids=[" ".join(c)[:70] for c, _ in TABLE])
def test_real_world_commands(command: list[str], want: Want | None) -> None:
    assert summary(exec_endpoint(command)) == want


def test_the_table_is_large() -> None:
    assert len(TABLE) >= 40


def test_notes_do_not_block_an_http_get() -> None:
    plain = exec_endpoint(["curl", "http://localhost:8080/health"])
    head = exec_endpoint(["curl", "-I", "-f", "http://localhost:8080/"])
    dash = exec_endpoint(["sh", "-c", "echo > /dev/tcp/localhost/9000"])
    assert plain is not None and plain.notes == (NO_FAIL,) and plain.lost == ()
    assert head is not None and head.notes == ("a HEAD request becomes GET",) and head.lost == ()
    assert dash is not None and "dash" in dash.notes[0]
    bash = exec_endpoint(["bash", "-c", "echo > /dev/tcp/localhost/9000"])
    assert bash is not None and bash.notes == ()


def test_host_and_tool_are_reported() -> None:
    ep = exec_endpoint(["curl", "-sf", "http://[::1]:8080/x"])
    assert ep is not None and (ep.host, ep.tool) == ("::1", "curl")
    ep = exec_endpoint(["grpc_health_probe", "-addr=:9000"])
    assert ep is not None and (ep.host, ep.tool) == ("", "grpc_health_probe")


@pytest.mark.parametrize("command", [
    "curl", [], [""], ["sh"], ["sh", "-c"], ["curl", 8080], None, {"command": "curl"}, ["curl", "-sf"],
    ["sh", "-c", "cat <<EOF\ncurl localhost:8080\nEOF"], ["sh", "-c", "case x in y) curl localhost:1;; esac"],
    ["sh", "-c", "f() { curl localhost:8080; }; f"], ["curl", "ftp://localhost:21/"], ["curl", "http://:8080/"],
    ["command", "-v", "curl"], ["grpc_health_probe"], ["nc", "-z", "localhost"], ["grpcurl", "-unix", "/s.sock", "x"],
])
def test_no_endpoint(command: object) -> None:
    assert exec_endpoint(command) is None  # type: ignore[arg-type]


def test_nesting_is_bounded() -> None:
    script = "curl -sf localhost:8080/x"
    for _ in range(10):
        script = "sh -c " + repr(script).replace("\\", "")
    assert exec_endpoint(["sh", "-c", script]) is None
    assert exec_endpoint(["sh", "-c", "sh -c 'curl -sf localhost:8080/x'"]) is not None


def test_missing_grpc_port_is_invalid() -> None:
    ep = exec_endpoint(["grpc_health_probe", "-addr=localhost"])
    assert ep is not None and ep.port == Port(None, "", "invalid")


def test_script_endpoint() -> None:
    ep = script_endpoint("curl -sf localhost:8080/x && echo ok", shell="bash")
    assert ep is not None and (ep.port.number, ep.path, ep.lost) == (8080, "/x", ())


@pytest.mark.parametrize(("text", "shell", "port"), [
    ("8080", False, Port(8080, "8080", "ok")),
    ("65535", False, Port(65535, "65535", "ok")),
    ("0", False, Port(None, "0", "out-of-range")),
    ("65536", False, Port(None, "65536", "out-of-range")),
    ("1" * 20, False, Port(None, "1" * 20, "out-of-range")),
    ("9" * 5000, False, Port(None, "9" * 5000, "out-of-range")),  # beyond int()'s default digit limit
    ("$(PORT)", False, Port(None, "$(PORT)", "k8s-var", "PORT")),
    ("$(MY.PORT-1)", True, Port(None, "$(MY.PORT-1)", "k8s-var", "MY.PORT-1")),
    ("$$(PORT)", False, Port(None, "$$(PORT)", "invalid")),
    ("${PORT}", True, Port(None, "${PORT}", "env-var", "PORT")),
    ("${PORT-9000}", True, Port(None, "${PORT-9000}", "env-var", "PORT", 9000)),
    ("${PORT:-99999}", True, Port(None, "${PORT:-99999}", "env-var", "PORT")),
    ("${PORT}", False, Port(None, "${PORT}", "invalid")),
    ("http", False, Port(None, "http", "invalid")),
    ("\uff18\uff10", False, Port(None, "\uff18\uff10", "invalid")),  # full-width digits are not a port
    ("", False, Port(None, "", "invalid")),
])
def test_parse_port(text: str, shell: bool, port: Port) -> None:
    assert parse_port(text, shell) == port


@pytest.mark.parametrize(("host", "local"), [
    ("localhost", True), ("LOCALHOST", True), ("127.0.0.1", True), ("127.1.2.3", True), ("0.0.0.0", True),
    ("[::1]", True), ("::1", True), ("::", True), ("", True), ("ip6-localhost", True), ("app.localhost", True),
    ("10.0.0.1", False), ("other-svc", False), ("localhost.example.com", False), ("$(POD_IP)", False),
    ("128.0.0.1", False),
])
def test_is_local_host(host: str, local: bool) -> None:
    assert is_local_host(host) is local


def test_pod_hostname_is_local_only_in_a_shell() -> None:
    assert is_local_host("$HOSTNAME", shell=True) and not is_local_host("$HOSTNAME")
    ep = exec_endpoint(["sh", "-c", "curl -sf http://$(hostname -i):8080/ready"])
    assert ep is not None and ep.port.number == 8080


@pytest.mark.parametrize(("text", "split"), [
    (":9000", ("", "9000")), ("localhost:9000", ("localhost", "9000")), ("[::1]:9000", ("::1", "9000")),
    ("::1", ("::1", "")), ("localhost", ("localhost", "")), ("[::1]x", None), ("[::1", None),
    ("localhost:${PORT:-8080}", ("localhost", "${PORT:-8080}")),
])
def test_split_hostport(text: str, split: tuple[str, str] | None) -> None:
    assert split_hostport(text) == split


def test_split_url_defaults() -> None:
    url = split_url("localhost:8080")
    assert url is not None and (url.scheme, url.port.number, url.path) == ("http", 8080, "/")
    url = split_url("HTTPS://localhost?x#frag")
    assert url is not None and (url.scheme, url.port.number, url.path) == ("https", 443, "/?x")


@given(st.lists(st.text(max_size=40), max_size=6))
def test_never_raises_on_argv(command: list[str]) -> None:
    exec_endpoint(command)
    exec_endpoint(["sh", "-c", *command])


_SHELLISH = st.text(alphabet=st.sampled_from(list("curl -sf:/0189'\"$(){}|&;<>`\\\n#!=lhost")), max_size=60)


@given(_SHELLISH)
def test_never_raises_on_scripts(script: str) -> None:
    exec_endpoint(["bash", "-c", script])
    exec_endpoint(["sh", "-c", "curl localhost:" + script])
