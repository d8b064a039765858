"""Bytes the function did not edit stay as they were, whichever applier ran (issue 11)."""

from __future__ import annotations

import pytest
from badinput_cases import ISVC, RUNTIME
from badinput_helpers import run_inproc

ANCHORED = ISVC.replace("      mode: all\n", "      mode: &mode all\n      url: *mode\n")


def _doc(name: str, comment: str) -> str:
    return ANCHORED.replace("sklearn-iris", name).replace("apiVersion:", f"# {comment}\napiVersion:", 1)


def test_anchor_names_reused_across_documents_stay_per_resource() -> None:
    """Regression: two documents reusing an anchor *name* sent the whole input through the
    round-trip fallback, which dropped comments and ``...``/``---  # c`` markers."""
    text = (_doc("a", "first") + "...\n---  # second document\n" + _doc("b", "second") + "---\n" + RUNTIME
            + "---\n# untouched\nkind: X\nmetadata: {name: x, labels: &mode {a: b}}\nx: *mode\n")
    run = run_inproc(["-v"], text.encode())
    assert run.code == 0, run.err
    out = run.out.decode()
    assert "round-trip applier for the whole input" not in run.err, run.err
    assert "ReusedAnchorWarning" not in run.err and "Warning" not in run.err
    for kept in ("# first\n", "...\n---  # second document\n", "# second\n", RUNTIME,
                 "# untouched\nkind: X\nmetadata: {name: x, labels: &mode {a: b}}\nx: *mode\n"):
        assert kept in out
    assert out.count("httpGet") == 2


def test_reused_anchor_names_in_one_resource_list_print_no_warning() -> None:
    items = "".join("- " + _doc(n, n).replace("\n", "\n  ").rstrip(" ") for n in ("a", "b"))
    text = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n" + items
    run = run_inproc([], text.encode())
    assert run.code == 0, run.err
    assert "Warning" not in run.err and "anchor" not in run.err.lower(), run.err
    items_out = run.out.decode().split("\nresults:")[0]
    assert items_out.count("httpGet:\n") == 2 and "exec:" not in items_out


@pytest.mark.parametrize(("indent", "dash"), [(2, 0), (2, 2), (4, 0), (4, 2), (4, 4)])
def test_the_per_resource_fallback_keeps_the_indentation_style(indent: int, dash: int) -> None:
    """Regression: 4-space files came back with ``-   name:`` block sequences."""
    pad, lead = " " * indent, " " * dash
    lines = ["apiVersion: serving.kserve.io/v1beta1", "kind: InferenceService", "metadata:",
             f"{pad}name: m", f"{pad}annotations:", f"{pad}{pad}serving.kserve.io/deploymentMode: RawDeployment",
             f"{pad}labels: {{a: &l b, c: *l}}", "spec:", f"{pad}predictor:", f"{pad}{pad}logger:",
             f"{pad * 3}mode: all", f"{pad}{pad}model:", f"{pad * 3}modelFormat: {{name: sklearn}}",
             f"{pad * 3}storageUri: gs://x", f"{pad * 3}env:", f"{pad * 3}{lead}- name: A",
             f"{pad * 3}{lead}  value: b", f"{pad * 3}readinessProbe:", f"{pad * 4}exec:",
             f"{pad * 5}command:", f"{pad * 5}{lead}- cat", f"{pad * 5}{lead}- /tmp/ready"]
    text = "\n".join(lines) + "\n"
    run = run_inproc([], text.encode())
    assert run.code == 0, run.err
    out = run.out.decode()
    assert "httpGet" in out
    assert f"{pad * 3}env:\n{pad * 3}{lead}- name: A\n{pad * 3}{lead}  value: b\n" in out, out
    assert f"\n{pad * 4}httpGet:\n{pad * 5}" in out, out


@pytest.mark.parametrize("indent", ["\t", "  ", "    "])
def test_json_edits_are_indented_like_the_file(indent: str) -> None:
    """Regression: tab-indented JSON got space-indented edits."""
    import json

    import yaml

    text = json.dumps(yaml.safe_load(ISVC), indent=indent) + "\n"
    run = run_inproc([], text.encode())
    assert run.code == 0, run.err
    out = run.out.decode()
    assert json.loads(out)["spec"]["predictor"]["model"]["readinessProbe"]["httpGet"]["port"] == 8080
    body = [line for line in out.splitlines() if line.strip()]
    other = " " if indent == "\t" else "\t"
    assert not [line for line in body if line.startswith(other)], out
    assert f"\n{indent * 5}\"httpGet\": {{\n{indent * 6}\"path\"" in out, out


def test_removing_the_last_key_of_a_file_without_a_final_newline_adds_none() -> None:
    text = ISVC.replace("        initialDelaySeconds: 10\n        periodSeconds: 5\n", "").rstrip("\n")
    run = run_inproc([], text.encode())
    assert run.code == 0, run.err
    assert not run.out.endswith(b"\n") and b"httpGet" in run.out


@pytest.mark.parametrize("flow_probe", [False, True])
def test_a_value_moved_into_a_startup_probe_keeps_its_quoting(flow_probe: bool, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Regression: ``["test", "-f", "x"]`` became ``[test, -f, x]`` in the new startupProbe."""
    config = tmp_path / "fn.yaml"
    config.write_text("apiVersion: fn.kpt.dev/v1alpha1\nkind: FixKServeProbes\nmetadata: {name: c}\n"
                      "spec: {keepAsStartupProbe: true}\n")
    text = ISVC
    if flow_probe:
        text = text.replace('''        exec:
          command: ["test", "-f", "/mnt/models/model.joblib"]
        initialDelaySeconds: 10
        periodSeconds: 5
''', '''        {exec: {command: ["test", "-f", "/mnt/models/model.joblib"]}, initialDelaySeconds: 10}
''').replace("readinessProbe:\n", "readinessProbe:\n")
    run = run_inproc(["--config", str(config)], text.encode())
    assert run.code == 0, run.err
    out = run.out.decode()
    assert "startupProbe" in out, out
    assert out.count('["test", "-f", "/mnt/models/model.joblib"]') == 1 and "[test," not in out, out
