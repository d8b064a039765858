"""The run's summary line on stderr (issue 13): stream and files mode, --check, --diff,
--in-place, validate mode, --quiet; under kpt it is the last info result instead."""

from __future__ import annotations

from pathlib import Path

from clihelp import cli
from ruamel.yaml import YAML
from test_cli import BROKEN as GUESSED  # its port is a guess: a warning
from test_cli import FINE, write

PROG = "fix-kserve-probes: "
RUNTIME = """\
apiVersion: serving.kserve.io/v1alpha1
kind: ServingRuntime
metadata: {name: rt}
spec:
  supportedModelFormats: [{name: custom, autoSelect: true}]
  containers:
    - name: kserve-container
      image: me/rt
      ports: [{containerPort: 8080}]
      readinessProbe: {exec: {command: [cat, /ready]}}
"""
BROKEN = GUESSED.replace("image: me/server\n", "image: me/server\n        ports: [{containerPort: 8080}]\n")
USER = """\
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: user, annotations: {serving.kserve.io/deploymentMode: Standard}}
spec:
  predictor:
    logger: {mode: all}
    model: {modelFormat: {name: custom}, runtime: rt, storageUri: s3://b/m}
"""


def test_a_stream_gets_the_summary_last_on_stderr() -> None:
    r = cli(stdin=(BROKEN + "---\n" + FINE).encode())
    assert r.code == 0 and "tcpSocket:\n            port: 8080\n" in r.out
    assert r.err == PROG + "fixed 1 readinessProbe in 1 InferenceService\n"


def test_nothing_to_fix_counts_the_resources() -> None:
    r = cli(stdin=(FINE + "---\n" + FINE.replace("name: cm", "name: cm2")).encode())
    assert (r.code, r.err) == (0, PROG + "nothing to fix in 2 resources\n")


def test_files_mode_counts_kinds_and_files(tmp_path: Path) -> None:
    write(tmp_path, "a/isvc.yaml", BROKEN)
    write(tmp_path, "b/rt.yaml", RUNTIME)
    write(tmp_path, "b/user.yaml", USER)
    write(tmp_path, "c/cm.yaml", FINE)
    r = cli("--in-place", str(tmp_path))
    assert r.code == 0, r.err
    assert r.err.splitlines()[-1] == (PROG + "fixed 2 readinessProbes in 1 InferenceService and 1 ServingRuntime "
                                      "(2 files)")


def test_check_and_diff_say_would_fix(tmp_path: Path) -> None:
    path = write(tmp_path, "isvc.yaml", BROKEN)
    for flag in ("--check", "--diff"):
        r = cli(flag, str(path))
        assert r.code == 1
        assert r.err.splitlines()[-1] == PROG + "would fix 1 readinessProbe in 1 InferenceService (1 file)"
    assert path.read_text() == BROKEN


def test_validate_mode_says_would_fix_and_counts_its_error_lines() -> None:
    r = cli("--set", "mode=validate", stdin=BROKEN.encode())
    assert r.code == 1
    assert [line.split("]")[0] for line in r.err.splitlines()[:-1]] == [PROG + "[error"]
    assert r.err.splitlines()[-1] == PROG + "would fix 1 readinessProbe in 1 InferenceService; 1 error"


def test_problems_are_counted_after_the_changes() -> None:
    r = cli(stdin=GUESSED.encode())
    assert r.err.splitlines()[-1] == PROG + "fixed 1 readinessProbe in 1 InferenceService; 1 warning"
    unknown = GUESSED.replace("name: iris   # keep this comment",
                              "name: iris\n  annotations: {serving.kserve.io/deploymentMode: Raw}")
    assert cli(stdin=unknown.encode()).err.splitlines()[-1] == PROG + "fixed 1 readinessProbe in 1 InferenceService; 2 warnings"
    broken_port = BROKEN.replace("exec: {command: [test, -f, /ready]}", "httpGet: {port: nope}")
    r = cli(stdin=broken_port.encode())
    assert r.code == 1
    assert r.err.splitlines()[-1] == PROG + "fixed nothing in 1 resource; 1 error"


def test_quiet_drops_the_summary_and_info_lines_but_not_warnings() -> None:
    unknown = BROKEN.replace("name: iris   # keep this comment",
                             "name: iris\n  annotations: {serving.kserve.io/deploymentMode: Raw}")
    r = cli("--quiet", "--check", stdin=unknown.encode())
    assert r.code == 1
    assert [line.split("]")[0] for line in r.err.splitlines()] == [PROG + "[warning", PROG + "stdin would change"]
    assert cli("-q", stdin=BROKEN.encode()).err == ""


def test_a_failed_in_place_run_writes_nothing_and_prints_no_summary(tmp_path: Path) -> None:
    good = write(tmp_path, "good.yaml", BROKEN)
    write(tmp_path, "bad.yaml", BROKEN.replace("exec: {command: [test, -f, /ready]}", "httpGet: {port: nope}"))
    r = cli("--in-place", str(tmp_path))
    assert r.code == 1 and good.read_text() == BROKEN
    assert r.err.splitlines()[-1] == PROG + "no file was written because of the errors above"


def test_a_refused_input_gets_its_error_line_only() -> None:
    r = cli(stdin=b"a: [b\n")
    assert r.code == 1 and len(r.err.splitlines()) == 1 and "error:" in r.err


def test_under_kpt_the_summary_is_the_last_info_result_and_not_on_stderr() -> None:
    body = "".join("  " + line + "\n" if line else "\n" for line in BROKEN.splitlines())
    text = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- " + body.lstrip()
    r = cli(stdin=text.encode())
    assert (r.code, r.err) == (0, "")
    results = YAML(typ="safe").load(r.out)["results"]
    assert results[-1] == {"message": "fixed 1 readinessProbe in 1 InferenceService", "severity": "info"}
