"""Splitting an exec probe's shell script into simple commands."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fix_kserve_probes.kserve.exec_probe.shell_words import MAX_SCRIPT, Command, Redirect, Word, split_script


def only(script: str) -> Command:
    commands = split_script(script)
    assert commands is not None and len(commands) == 1
    return commands[0]


def texts(script: str) -> list[tuple[list[str], str]]:
    commands = split_script(script)
    assert commands is not None
    return [([w.text for w in c.words], c.after) for c in commands]


@pytest.mark.parametrize(("script", "want"), [
    ("curl -sf localhost:8080", [(["curl", "-sf", "localhost:8080"], "")]),
    ("a && b || c; d | e & f\ng", [(["a"], "&&"), (["b"], "||"), (["c"], ";"), (["d"], "|"), (["e"], "&"),
                                   (["f"], ";"), (["g"], "")]),
    ("a|&b", [(["a"], "|"), (["b"], "")]),
    ("'a b'\"c d\"e\\ f", [(["a bc de f"], "")]),
    ('"a\\"b\\$c\\x"', [(['a"b$c\\x'], "")]),
    ("a \\\n  b", [(["a", "b"], "")]),
    ("a # comment; b\nc", [(["a"], ";"), (["c"], "")]),
    ("a#b", [(["a#b"], "")]),
    ("(a; b) | c", [(["a"], ";"), (["b"], "|"), (["c"], "")]),
    ("a;", [(["a"], "")]),
    ("", []),
    ("$'GET /\\r\\n'", [(["GET /\\r\\n"], "")]),
])
def test_words_and_operators(script: str, want: list[tuple[list[str], str]]) -> None:
    assert texts(script) == want


def test_expansions_are_kept_and_marked() -> None:
    cmd = only("curl \"http://localhost:$(PORT)/x\" '$NOT' ${A:-1} $B `date` $((1+2)) $? $")
    words = cmd.words
    assert [w.text for w in words] == ["curl", "http://localhost:$(PORT)/x", "$NOT", "${A:-1}", "$B", "`date`",
                                       "$((1+2))", "$?", "$"]
    assert [w.dynamic for w in words] == [False, True, False, True, True, True, True, True, False]
    assert words[1].substitutions == ("PORT",)
    assert words[5].substitutions == ("date",)


def test_nested_substitution() -> None:
    cmd = only('[ "$(curl -s -w \'%{http_code}\' "http://x/$(cat /p)")" = 200 ]')
    assert cmd.words[1].substitutions == ("curl -s -w '%{http_code}' \"http://x/$(cat /p)\"",)


def test_redirections() -> None:
    cmd = only("curl x >/dev/null 2>&1 </dev/null 3<>/dev/tcp/h/1 &>>log <<<'' 2 > f")
    assert cmd.words == (Word("curl"), Word("x"), Word("2"))  # `2 >` (with a space) is an argument
    assert cmd.redirects == (
        Redirect(">", Word("/dev/null")), Redirect(">&", Word("1"), "2"), Redirect("<", Word("/dev/null")),
        Redirect("<>", Word("/dev/tcp/h/1"), "3"), Redirect("&>>", Word("log")), Redirect("<<<", Word("")),
        Redirect(">", Word("f")),
    )


def test_a_redirection_alone_is_a_command() -> None:
    assert split_script("</dev/tcp/localhost/8080") == (
        Command((), (Redirect("<", Word("/dev/tcp/localhost/8080")),), ""),
    )


@pytest.mark.parametrize("script", [
    "echo 'unbalanced", 'echo "unbalanced', "echo $(unbalanced", "echo `unbalanced", "echo ${unbalanced",
    "cat <<EOF\nx\nEOF", "diff <(a) <(b)", "echo >", "curl x 2>", "f() { a; }", "echo \"$(echo 'x)\"",
    "x" * (MAX_SCRIPT + 1), '"$(' * 40 + ')"' * 40, "echo \\",
])
def test_gives_up(script: str) -> None:
    assert split_script(script) is None


_PLAIN = st.text(alphabet=st.sampled_from(list("ab -=/.:'\"\\ \t")), max_size=40)


@given(_PLAIN)
def test_agrees_with_shlex_without_operators_or_expansions(script: str) -> None:
    try:
        expected: list[str] | None = shlex.split(script, posix=True)
    except ValueError:
        expected = None
    commands = split_script(script)
    got = None if commands is None else [w.text for c in commands for w in c.words]
    assert got == expected


def test_unquoted_nesting_is_counted_not_recursed() -> None:
    cmd = only("$(" * 2000 + ")" * 2000)
    assert len(cmd.words[0].substitutions) == 1


@given(st.text(max_size=80))
def test_never_raises(script: str) -> None:
    split_script(script)
