"""The endpoint an exec readiness probe checks, read from its `command` (issue 10, part 1).

KServe's agent runs a copied readinessProbe with Knative's prober, which runs only
httpGet and tcpSocket on numeric ports (knative/serving `pkg/queue/health/probe.go`), so
an exec probe has to become one of those. `exec_endpoint(command)` says which endpoint
the command checks, as an `Endpoint` (see `endpoints.py`), or None when it states no
local endpoint. It never runs anything and never raises.

The command is read as argv (Kubernetes runs `exec.command` without a shell), or, for
`sh`/`bash`/`ash`/`dash`/`zsh`/`ksh` with `-c` in their options (`-c`, `-lc`, `-ec`,
`-o pipefail -c`), as the shell script that follows, split by `shell_words.py`. Wrappers
are skipped: `timeout [opts] N`, `env [-i] [-u N] [VAR=x]`, `exec`, `nice [-n N]`,
`nohup`, `command`, `builtin`, `time`, `stdbuf`, `ionice`, `setsid`, `busybox`, and
leading `VAR=x` assignments. A nested shell (`timeout 2 bash -c '...'`) is read in turn.

Checks recognised (`exec_tools.py`, `python_check.py`): curl, wget, `python -c`, nc /
ncat / netcat, a bash `/dev/tcp/HOST/PORT` redirection (`cat < /dev/tcp/...`,
`exec 3<>/dev/tcp/...`, `</dev/tcp/...`), grpc_health_probe and grpcurl. Kinds:

- "http": a local http:// URL; the caller writes httpGet when `lost` is empty;
- "https": a local https:// URL; the caller writes tcpSocket on the port with a warning,
  since the agent's prober dials `https://:PORT` with an empty host, where TLS cannot
  complete (issue 10; knative/pkg `network/transports.go`);
- "tcp": nc, /dev/tcp or a Python socket connect; "grpc": grpc_health_probe, grpcurl.

None: a non-local host (`curl http://other-svc:8080/x`), a command without an endpoint
(`test -f /tmp/ready`, `cat /tmp/healthy`), a script file (`/bin/check.sh`,
`sh /check.sh`), curl `--unix-socket`, nc `-u`/`-U`/`-l`, grpcurl `-unix`, a script the
lexer cannot split (unbalanced quotes, here-documents), `case`, function definitions,
more than MAX_NESTING nested shells, and any input that is not a list of strings.

In a script, `;`/newline/`&` separate statements, `||` separates alternatives and
`&&`/`|` join commands in a chain. The first statement with a check is used, and in it
the first alternative with one (`curl ... || exit 1` keeps curl). In that chain the
first HTTP(S) check wins, else the first port check. These are added to `lost`: other
checks in the chain or in later statements, any other command in the chain or after it
that is not trivial (exit, true, echo, sleep, ...), a command the check pipes into
(`curl ... | grep -q ok`: "a body check piped to grep"), a check inside a loop
(`while ! curl ...; do sleep 1; done`), a negated check (`! curl`), and a check whose
output is used by another command (`[ "$(curl -w '%{http_code}' ...)" = 200 ]`).
`if CHECK; then exit 0; else exit 1; fi` loses nothing.

Expansions: Kubernetes expands `$(NAME)` in argv and in the script text before the shell
sees it (a port "k8s-var"); only the shell expands `$NAME`, `${NAME}` (an "env-var").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from . import exec_tools
from .endpoints import Endpoint, Kind, Port, PortState, is_local_host, parse_port, unique
from .python_check import python
from .shell_words import Command, Word, split_script

__all__ = ["Endpoint", "Kind", "Port", "PortState", "exec_endpoint", "parse_port", "script_endpoint"]

MAX_NESTING = 4
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"})
_DEV_TCP_SHELLS = frozenset({"bash", "ksh"})
_DEV_TCP_NOTE = "/dev/tcp is a bash feature: in dash (Debian's sh) and BusyBox ash it is an ordinary, missing file"
_WRAPPERS = {
    "timeout": frozenset({"-s", "--signal", "-k", "--kill-after", "-t"}),
    "env": frozenset({"-u", "--unset", "-C", "--chdir", "-S", "--split-string"}),
    "exec": frozenset({"-a"}),
    "nice": frozenset({"-n", "--adjustment"}),
    "stdbuf": frozenset({"-i", "-o", "-e"}),
    "ionice": frozenset({"-c", "-n", "-p"}),
    **dict.fromkeys(("nohup", "command", "builtin", "time", "setsid", "busybox"), frozenset[str]()),
}
_KEYWORDS = frozenset({"if", "then", "elif", "else", "fi", "while", "until", "do", "done", "for", "select",
                       "{", "}", "!", "case", "esac", "function", "time"})
_TRIVIAL = frozenset({"exit", "true", ":", "echo", "printf", "sleep", "set", "export", "cd", "return", "shift",
                      "unset", "wait", "trap", "local", "readonly", "exec", "shopt", "ulimit", "umask"})
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_DURATION = re.compile(r"[0-9.]+[smhd]?")
_PYTHON = re.compile(r"python[0-9.]*")
_TOOLS: dict[str, Callable[[Sequence[Word], bool], Endpoint | None]] = {
    "curl": exec_tools.curl, "wget": exec_tools.wget, "nc": exec_tools.nc, "ncat": exec_tools.nc,
    "netcat": exec_tools.nc, "grpcurl": exec_tools.grpcurl, "grpc_health_probe": exec_tools.grpc_health_probe,
    "grpc-health-probe": exec_tools.grpc_health_probe,
}


class _Step(NamedTuple):
    command: Command  # leading keywords removed
    loop: bool  # inside while/until/for/select
    negated: bool  # `! cmd`
    header: bool  # the `for NAME in WORDS` part: not a command
    statement: int
    alternative: int
    pipeline: int


def exec_endpoint(command: Sequence[str]) -> Endpoint | None:
    """The local endpoint an exec probe's `command` checks, or None (see the module docstring)."""
    if not isinstance(command, (list, tuple)) or not all(isinstance(arg, str) for arg in command):
        return None
    return _argv(tuple(Word(arg) for arg in command), "", 0)


def script_endpoint(script: str, shell: str = "sh") -> Endpoint | None:
    """The local endpoint a shell script checks, as if run by `shell -c script`."""
    return _script(script, shell, 0) if isinstance(script, str) else None


def _name(word: Word) -> str:
    return word.text.rsplit("/", 1)[-1]


def _unwrap(words: Sequence[Word]) -> tuple[Word, ...]:
    """The words after leading assignments and wrappers (timeout, env, exec, nice, ...)."""
    rest = list(words)
    while rest:
        while rest and _ASSIGNMENT.match(rest[0].text):
            rest.pop(0)
        wrapper = _name(rest[0]) if rest else ""
        if wrapper not in _WRAPPERS:
            break
        rest.pop(0)
        while rest and rest[0].text.startswith("-") and rest[0].text != "-":
            option = rest.pop(0).text
            if option == "--":
                break
            if wrapper == "command" and option in ("-v", "-V"):
                return ()  # prints where a command is, runs nothing
            if option in _WRAPPERS[wrapper] and rest:
                rest.pop(0)
        if wrapper == "timeout" and rest and _DURATION.fullmatch(rest[0].text):
            rest.pop(0)
    return tuple(rest)


def _argv(words: Sequence[Word], shell: str, depth: int) -> Endpoint | None:
    words = _unwrap(words)
    if not words:
        return None
    name = _name(words[0])
    if name in _SHELLS:
        return _shell(words, name, depth)
    if _PYTHON.fullmatch(name):
        return python(words[1:], bool(shell))
    reader = _TOOLS.get(name) or (exec_tools.grpc_health_probe if name.startswith("grpc_health_probe") else None)
    return reader(words[1:], bool(shell)) if reader else None


def _shell(words: Sequence[Word], name: str, depth: int) -> Endpoint | None:
    """`sh [options] -c SCRIPT [NAME ARGS...]`: the script's endpoint."""
    i, has_c = 1, False
    while i < len(words) and len(words[i].text) > 1 and words[i].text[0] in "-+":
        option = words[i].text
        i += 1
        if option == "--":
            break
        if option in ("-o", "+o", "-O", "+O"):
            i += 1
        elif not option.startswith("--") and "c" in option[1:]:
            has_c = True
    if not has_c or i >= len(words) or depth >= MAX_NESTING:
        return None
    return _script(words[i].text, name, depth + 1)


def _script(script: str, shell: str, depth: int) -> Endpoint | None:
    commands = split_script(script)
    steps = _steps(commands) if commands is not None else None
    return _choose(steps, shell, depth) if steps else None


def _steps(commands: Sequence[Command]) -> list[_Step] | None:
    """The commands with their place: statement, alternative, pipeline, loop, negation."""
    steps: list[_Step] = []
    loops = statement = alternative = pipeline = 0
    for command in commands:
        words = list(command.words)
        negated = header = False
        while words and words[0].text in _KEYWORDS:
            keyword = words.pop(0).text
            if keyword in ("case", "esac", "function"):
                return None
            if keyword in ("while", "until", "for", "select"):
                loops += 1
                header = header or keyword in ("for", "select")
            elif keyword == "done":
                loops = max(0, loops - 1)
            negated = negated or keyword == "!"
        if words or command.redirects:
            step = command._replace(words=tuple(words))
            steps.append(_Step(step, loops > 0, negated, header, statement, alternative, pipeline))
        if command.after == "||":
            alternative += 1
        elif command.after not in ("&&", "|"):
            statement, alternative = statement + 1, 0
        pipeline += command.after != "|"
    return steps


def _choose(steps: list[_Step], shell: str, depth: int) -> Endpoint | None:
    """The check the script's status depends on, with what the rest of the script loses."""
    found = {i: ep for i, step in enumerate(steps) if not step.header and (ep := _step(step.command, shell, depth))}
    if not found:
        return None
    first = steps[min(found)]
    chain = [i for i in found if (steps[i].statement, steps[i].alternative) == (first.statement, first.alternative)]
    index = next((i for i in chain if found[i].kind in ("http", "https")), chain[0])
    chosen = steps[index]
    lost = list(found[index].lost)
    lost += ["other checks chained with && are not kept"] if len(chain) > 1 else []
    if any(steps[i].statement > chosen.statement for i in found):
        lost.append("other checks later in the script are not kept")
    for i, step in enumerate(steps):
        if i in found or step.header:
            continue
        if step.pipeline == chosen.pipeline:
            lost += [f"a body check piped to {_label(step)}"] if i == index + 1 else []
        elif _decides(step, chosen) and not _trivial(step):
            lost.append(f"another command is not kept ({_label(step, full=True)})")
    lost += ["a loop"] if chosen.loop else ["a negated check (!)"] if chosen.negated else []
    return found[index]._replace(lost=unique(tuple(lost)))


def _decides(step: _Step, chosen: _Step) -> bool:
    """Whether a command's status counts with the chosen check's: same chain, or after it."""
    same = (step.statement, step.alternative) == (chosen.statement, chosen.alternative)
    return same or step.statement > chosen.statement


def _trivial(step: _Step) -> bool:
    words = _unwrap(step.command.words)
    return not words or _name(words[0]) in _TRIVIAL


def _label(step: _Step, full: bool = False) -> str:
    words = _unwrap(step.command.words) or step.command.words
    if not words:
        return "a redirection"
    text = " ".join(word.text for word in words) if full else _name(words[0])
    return text if len(text) <= 60 else text[:57] + "..."


def _step(command: Command, shell: str, depth: int) -> Endpoint | None:
    return _argv(command.words, shell, depth) or _dev_tcp(command, shell) or _substituted(command, shell, depth)


def _dev_tcp(command: Command, shell: str) -> Endpoint | None:
    """A redirection from or to /dev/tcp/HOST/PORT (bash opens a TCP connection)."""
    for redirect in command.redirects:
        target = redirect.target
        host, slash, port = target.text.removeprefix("/dev/tcp/").partition("/")
        if target.text.startswith("/dev/tcp/") and slash and is_local_host(host, target.dynamic):
            notes = () if shell in _DEV_TCP_SHELLS else (_DEV_TCP_NOTE,)
            return Endpoint("tcp", parse_port(port, target.dynamic), host.strip("[]"), "/dev/tcp", notes=notes)
    return None


def _substituted(command: Command, shell: str, depth: int) -> Endpoint | None:
    """A check inside `$(...)` or backticks: its output is used, unless only assigned."""
    if depth >= MAX_NESTING:
        return None
    assigns_only = all(_ASSIGNMENT.match(word.text) for word in command.words)
    for word in command.words + tuple(redirect.target for redirect in command.redirects):
        for source in word.substitutions:
            ep = _script(source, shell, depth + 1)
            if ep is not None:
                lost = () if assigns_only else (f"the output of {ep.tool} checked by the script",)
                return ep._replace(lost=unique(ep.lost + lost))
    return None
