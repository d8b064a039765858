"""--set KEY=VALUE (the ConfigMap form's keys, over --config) and --diff (issue 13)."""

from __future__ import annotations

from pathlib import Path

from clihelp import cli
from test_cli import BROKEN, FINE, write


def test_set_takes_the_configmap_keys_and_coercion() -> None:
    r = cli("--set", "strategy=tcp", "--set", "port=9000", stdin=BROKEN.encode())
    assert r.code == 0, r.err
    assert "tcpSocket:\n            port: 9000\n" in r.out


def test_set_errors_name_the_key_with_a_did_you_mean() -> None:
    r = cli("--set", "stratgy=tcp", stdin=BROKEN.encode())
    assert r.code == 1 and r.out == ""
    assert r.err == ("fix-kserve-probes: error: invalid function config: --set stratgy: unknown field 'stratgy'; "
                     "did you mean 'strategy'?\n")
    r = cli("--set", "strategy=tpc", stdin=BROKEN.encode())
    assert r.code == 1 and "--set strategy:" in r.err and "did you mean 'tcp'" in r.err
    r = cli("--set", "strategy", stdin=BROKEN.encode())
    assert r.code == 2 and "expected KEY=VALUE" in r.err


def test_set_overrides_the_config_file(tmp_path: Path) -> None:
    config = write(tmp_path, "fn.yaml", "apiVersion: fn.kpt.dev/v1alpha1\nkind: FixKServeProbes\n"
                                        "spec: {strategy: tcp, port: 7000}\n")
    r = cli("--config", str(config), "--set", "port=7001", stdin=BROKEN.encode())
    assert r.code == 0, r.err
    assert "tcpSocket:\n            port: 7001\n" in r.out


def test_help_lists_every_setting_with_its_default() -> None:
    r = cli("--help")
    for key in ("strategy", "keepAsStartupProbe", "selector.labels", "exclude.kind"):
        assert f"\n  {key} " in r.out
    assert "'auto' | 'http' | 'tcp' | 'remove'; default 'auto'" in r.out


def test_diff_on_stdin_prints_the_change_and_exits_1() -> None:
    r = cli("--diff", stdin=BROKEN.encode())
    assert r.code == 1, r.err
    assert r.out.startswith("--- a/stdin\n+++ b/stdin\n")
    assert "-          exec: {command: [test, -f, /ready]}\n" in r.out and "+          tcpSocket:\n" in r.out
    r = cli("--diff", stdin=FINE.encode())
    assert r.code == 0 and r.out == ""


def test_diff_in_files_mode_is_per_file_and_changes_nothing(tmp_path: Path) -> None:
    broken, fine = write(tmp_path, "a/isvc.yaml", BROKEN), write(tmp_path, "b/cm.yaml", FINE)
    r = cli("--diff", str(broken), str(fine))
    assert r.code == 1, r.err
    assert r.out.count("--- ") == 1 and f"--- {broken}\n+++ {broken}\n" in r.out
    assert broken.read_text() == BROKEN and fine.read_text() == FINE
    assert cli("--diff", str(fine)).code == 0


def test_diff_excludes_in_place_and_check() -> None:
    assert cli("--diff", "--check", stdin=BROKEN.encode()).code == 2


def test_config_file_problems_name_the_file_and_line(tmp_path: Path) -> None:
    config = write(tmp_path, "fn.yaml", "apiVersion: fn.kpt.dev/v1alpha1\nkind: FixKServeProbes\nmetadata:\n  name: fn\n"
                                        "spec:\n  strategy: tcp\n  port: 99999\n  stratgy: x\n")
    r = cli("--config", str(config), stdin=BROKEN.encode())
    assert (r.code, r.out) == (1, "")
    assert r.err == (f"fix-kserve-probes: error: invalid function config: {config}:7: spec.port: must be between 1 "
                     f"and 65535 (got 99999); {config}:8: spec.stratgy: unknown field 'stratgy'; "
                     "did you mean 'strategy'?\n")


def test_a_field_the_file_does_not_hold_gets_no_line(tmp_path: Path) -> None:
    """A value from --set, or a required key that is missing, is not in the file: no line is made up."""
    cm = write(tmp_path, "cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  strategy: tpc\n")
    r = cli("--config", str(cm), "--set", "port=0", stdin=BROKEN.encode())
    assert r.code == 1
    assert f"{cm}:5: data.strategy: " in r.err and "; --set port: must be between 1 and 65535 (got 0)" in r.err
    r = cli("--config", str(cm), "--set", "strategy=bogus", stdin=BROKEN.encode())  # over the file's own value
    assert r.err.startswith("fix-kserve-probes: error: invalid function config: --set strategy: ") and str(cm) not in r.err
    typed = write(tmp_path, "t.yaml", "apiVersion: fn.kpt.dev/v1alpha1\nkind: FixKServeProbes\n"
                                      "spec:\n  extraTargets:\n  - {kind: X}\n")
    r = cli("--config", str(typed), stdin=BROKEN.encode())
    assert r.err == "fix-kserve-probes: error: invalid function config: spec.extraTargets[0].containers: Field required\n"
