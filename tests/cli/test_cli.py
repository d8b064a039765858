"""The command line's modes: files, --in-place, --check, --config, --help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from clihelp import cli

BROKEN = """\
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: iris   # keep this comment
spec:
  predictor:
    batcher: {maxBatchSize: 8}
    containers:
      - name: kserve-container
        image: me/server
        readinessProbe:
          exec: {command: [test, -f, /ready]}
"""
FINE = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: b}\n"


def write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_help_goes_to_stdout_and_exits_0() -> None:
    r = cli("--help")
    assert r.code == 0 and "usage: fix-kserve-probes" in r.out and r.err == ""


def test_module_entry_point_matches_the_command() -> None:
    proc = subprocess.run([sys.executable, "-m", "fix_kserve_probes", "--version"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and proc.stdout.startswith("fix-kserve-probes ")


def test_bad_flags_exit_2() -> None:
    assert cli("--no-such-flag").code == 2
    assert cli("--in-place", "--check", "x.yaml").code == 2


def test_files_print_the_rewritten_stream(tmp_path: Path) -> None:
    a, b = write(tmp_path, "a.yaml", BROKEN), write(tmp_path, "b.yaml", FINE)
    r = cli(str(a), str(b))
    assert r.code == 0
    assert r.out == BROKEN.replace("exec: {command: [test, -f, /ready]}", "tcpSocket: {port: 8080}").replace(
        "tcpSocket: {port: 8080}", "tcpSocket:\n            port: 8080") + "---\n" + FINE
    assert a.read_text() == BROKEN  # not in place


def test_in_place_rewrites_only_what_changes(tmp_path: Path) -> None:
    a, b = write(tmp_path, "a.yaml", BROKEN), write(tmp_path, "b.yaml", FINE)
    before = b.stat().st_mtime_ns
    r = cli("--in-place", str(a), str(b))
    assert (r.code, r.out) == (0, "")
    assert "tcpSocket" in a.read_text() and "# keep this comment" in a.read_text()
    assert b.stat().st_mtime_ns == before
    assert cli("--check", str(a), str(b)).code == 0  # idempotent


def test_check_changes_nothing_and_names_the_file(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", BROKEN)
    r = cli("--check", str(a))
    assert r.code == 1 and a.read_text() == BROKEN
    assert f"{a} would change" in r.err and "[info]" in r.err


def test_directories_are_walked_for_manifests(tmp_path: Path) -> None:
    write(tmp_path, "apps/a.yaml", BROKEN)
    write(tmp_path, "apps/nested/b.yml", BROKEN)
    write(tmp_path, "apps/README.md", "not yaml")
    write(tmp_path, "apps/.hidden/c.yaml", BROKEN)
    r = cli("--check", str(tmp_path / "apps"))
    assert sorted(line.split()[1] for line in r.err.splitlines() if "would change" in line) == [
        str(tmp_path / "apps/a.yaml"), str(tmp_path / "apps/nested/b.yml")]


def test_config_file_applies_to_files_and_stdin(tmp_path: Path) -> None:
    config = write(tmp_path, "fn.yaml", "apiVersion: fn.kpt.dev/v1alpha1\nkind: FixKServeProbes\n"
                   "metadata: {name: c}\nspec: {strategy: http, httpPath: /healthz}\n")
    r = cli("--config", str(config), stdin=BROKEN)
    assert "path: /healthz" in r.out
    bad = write(tmp_path, "bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {mod: fix}\n")
    r = cli("--config", str(bad), str(write(tmp_path, "a.yaml", BROKEN)))
    assert r.code == 1 and "did you mean 'mode'" in r.err and len(r.err.splitlines()) == 1


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    r = cli(str(tmp_path / "nope.yaml"))
    assert r.code == 2 and "no such file" in r.err


def test_result_lines_name_the_file(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", BROKEN.replace("containers:", "containers:").replace("batcher", "logger"))
    r = cli("-v", str(a))
    assert f"({a})" in r.err


def test_printed_files_make_one_valid_stream(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", FINE)
    (tmp_path / "b.yaml").write_bytes(b"\xef\xbb\xbf%YAML 1.1\n---\n" + FINE.replace("cm", "cm2").encode())
    r = cli(str(tmp_path))
    assert r.out == FINE + "...\n%YAML 1.1\n---\n" + FINE.replace("cm", "cm2")
    assert cli(stdin=r.out).code == 0  # the function reads its own output back


def test_json_keys_that_differ_only_in_escaped_emoji_stay_distinct() -> None:
    import json

    doc = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"\U0001F680": "a", "\U0001F681": "b"}}
    text = json.dumps(doc)  # \\ud83d\\ude80 and \\ud83d\\ude81
    r = cli(stdin=text)
    assert (r.code, r.out) == (0, text)


def test_every_file_that_is_not_yaml_is_reported_not_only_the_first(tmp_path: Path) -> None:
    """A repository with two broken files: two error lines, so one round of fixes does."""
    write(tmp_path, "a.yaml", "a: [b\n")
    write(tmp_path, "b.yaml", BROKEN)
    write(tmp_path, "c.yaml", "x: {y\n")
    r = cli("--in-place", str(tmp_path))
    assert r.code == 1 and (tmp_path / "b.yaml").read_text() == BROKEN
    lines = r.err.splitlines()
    assert [line.split(": ")[2] for line in lines[:2]] == [str(tmp_path / "a.yaml"), str(tmp_path / "c.yaml")]
    assert all("invalid YAML" in line for line in lines[:2])
    assert lines[2:] == ["fix-kserve-probes: no file was written because of the errors above"]
