"""Bounded cost (issue 5): the size cap, the nesting and alias limits at their exact
boundaries, aliases never expanded, and error lines that stay one bounded line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from badinput_cases import ISVC, RUNTIME, resource_list
from badinput_helpers import assert_clean_error, assert_clean_success, load_all, run_child, run_inproc

from fix_kserve_probes.errors import one_line
from fix_kserve_probes.yamltext.source import DEFAULT_MAX_BYTES, parse_size

CONFIGMAP_HEAD = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: limits}\ndata:\n  d: "


def nested(levels: int) -> bytes:
    """A ConfigMap whose deepest collection is ``levels`` deep, counting the document's root
    mapping as 1 and ``data`` as 2."""
    lists = levels - 2
    return (CONFIGMAP_HEAD + "[" * lists + "]" * lists + "\n").encode()


def test_nesting_is_allowed_to_256_levels_and_refused_beyond() -> None:
    assert_clean_success(ok := run_inproc([], nested(256)))
    assert ok.out == nested(256)
    run = run_inproc([], nested(257))
    assert_clean_error(run, r"^input has nesting deeper than 256 levels \(line 5, column \d+\)$")


def aliases(n: int) -> bytes:
    return (CONFIGMAP_HEAD + "&x lol\n  e: [" + ", ".join(["*x"] * n) + "]\n").encode()


def test_up_to_10000_aliases_are_allowed_and_none_is_expanded() -> None:
    run = run_inproc([], aliases(10_000))
    assert_clean_success(run)
    assert run.out == aliases(10_000)
    assert_clean_error(run_inproc([], aliases(10_001)), r"^input has more than 10000 aliases \(line 6, column \d+\)$")


def test_the_size_cap_is_exact_on_stdin_and_for_files(tmp_path: Path) -> None:
    data = (ISVC + "---\n" + RUNTIME).encode()
    n = len(data)
    assert run_inproc(["--max-input-bytes", str(n)], data).code == 0
    assert_clean_error(run_inproc(["--max-input-bytes", str(n - 1)], data),
                       rf"^input is larger than the {n - 1:,}-byte limit \(raise it with --max-input-bytes")
    path = tmp_path / "isvc.yaml"
    path.write_bytes(data)
    assert run_inproc(["--max-input-bytes", str(n), str(path)]).code == 0
    message = assert_clean_error(run_inproc(["--max-input-bytes", str(n - 1), "--in-place", str(path)], b""),
                                 r"file is larger than", in_place=True)
    assert message.startswith(f"{path}: ") and path.read_bytes() == data


def test_the_default_cap_is_32_mib_and_help_says_so() -> None:
    assert DEFAULT_MAX_BYTES == 32 * 1024 * 1024
    assert "default 32Mi" in " ".join(run_inproc(["--help"]).out.decode().split())


@pytest.mark.parametrize(("text", "size"), [("1048576", 1048576), ("64Mi", 64 << 20), ("1Gi", 1 << 30),
                                            ("512Ki", 512 << 10), ("1k", 1000), ("2M", 2_000_000), (" 3G ", 3 * 10**9)])
def test_sizes_take_kubernetes_suffixes(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "1.5Mi", "10 MB", "1m", "0x10"])
def test_a_bad_size_is_a_usage_error_on_the_flag_and_in_the_environment(bad: str) -> None:
    flag = run_inproc(["--max-input-bytes", bad], b"a: 1\n")
    assert flag.code == 2 and "argument --max-input-bytes: not a positive size" in flag.err
    env = run_inproc([], b"a: 1\n", {"FIX_KSERVE_PROBES_MAX_INPUT_BYTES": bad})
    assert env.code == 2 and env.lines == [
        f"fix-kserve-probes: error: FIX_KSERVE_PROBES_MAX_INPUT_BYTES: not a positive size in bytes: {bad!r} "
        "(examples: 1048576, 64Mi, 1Gi)"]


def test_the_flag_wins_over_the_environment() -> None:
    data = (ISVC + "---\n" + RUNTIME).encode()
    env = {"FIX_KSERVE_PROBES_MAX_INPUT_BYTES": "10"}
    assert run_inproc([], data, env).code == 1
    assert run_inproc(["--max-input-bytes", "1Mi"], data, env).code == 0


def bomb(indent: str) -> str:
    lines = [f"{indent}a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"{indent}a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("form", ["stream", "resourcelist"])
def test_an_alias_bomb_in_the_rewritten_resource_is_not_expanded(form: str) -> None:
    """The round-trip applier re-dumps a resource with anchors: it must write the aliases back."""
    isvc = ISVC.replace("    logger:\n", "    x-lol:\n" + bomb("      ") + "    logger:\n")
    data = (isvc + "---\n" + RUNTIME if form == "stream" else resource_list(isvc, RUNTIME)).encode()
    start = time.process_time()
    run = run_inproc([], data)
    assert time.process_time() - start < 5
    assert_clean_success(run)
    assert len(run.out) < 2 * len(data) and run.out.count(b"*a7") == 10
    items = load_all(run.out) if form == "stream" else load_all(run.out)[0]["items"]
    assert items[0]["spec"]["predictor"]["model"]["readinessProbe"]["httpGet"]["path"] == "/v1/models/sklearn-iris"


@pytest.mark.parametrize("form", ["stream", "resourcelist"])
def test_the_round_trip_applier_handles_nesting_up_to_the_limit(form: str) -> None:
    """Regression: ruamel's round-trip loader spends 4 frames a level, so an edited resource
    with an anchor nested near 256 levels hit RecursionError (an internal error) before."""
    levels = 256 - (3 if form == "stream" else 5)  # under the root, spec and predictor (and items, item)
    isvc = ISVC.replace("  name: sklearn-iris\n", "  name: sklearn-iris\n  labels: {a: &a b, c: *a}\n").replace(
        "    logger:\n", f"    x-deep: {'[' * levels}{']' * levels}\n    logger:\n")
    data = (isvc + "---\n" + RUNTIME if form == "stream" else resource_list(isvc, RUNTIME)).encode()
    assert "nesting deeper" in run_inproc([], data.replace(b"[", b"[[", 1).replace(b"]", b"]]", 1)).err
    run = run_child([], data)
    assert_clean_success(run)
    items = load_all(run.out) if form == "stream" else load_all(run.out)[0]["items"]
    assert "httpGet" in items[0]["spec"]["predictor"]["model"]["readinessProbe"]


def test_one_line_escapes_control_characters_and_bounds_the_length() -> None:
    assert one_line("a\nb\x1b[2J\u2028c\td é🚀") == "a\\nb\\x1b[2J\\u2028c\\td é🚀"
    long = one_line("x" * 10_000)
    assert len(long) == 501 and long.endswith("…")


def test_error_lines_never_carry_the_input_raw(tmp_path: Path) -> None:
    """Paths and names in messages come from the input: no escape sequence or line break gets through."""
    path = tmp_path / "\x1b[2Jevil\u2028name.yaml"
    path.write_text("a: [b\n")
    run = run_inproc([str(path)])
    assert_clean_error(run, r"did not find expected")
    assert "\x1b" not in run.err and "\u2028" not in run.err and "\\x1b[2Jevil\\u2028name.yaml" in run.err

    named = ISVC.replace("name: sklearn-iris", 'name: "iris\\e]0;owned\\a"').replace("RawDeployment", "Bogus")
    run = run_inproc([], named.encode())
    assert run.code == 0 and "[warning]" in run.err and "\x1b" not in run.err and "\\x1b]0;owned\\x07" in run.err

    config = tmp_path / "fn.yaml"
    config.write_text("apiVersion: fn.kpt.dev/v1alpha1\nkind: FixKServeProbes\nmetadata: {name: c}\n"
                      f"spec: {{strategy: {'x' * 100_000}}}\n")
    run = run_inproc(["--config", str(config)], ISVC.encode())
    assert_clean_error(run, r"spec\.strategy")


def pairs(n: int) -> str:
    """``n`` InferenceServices (each with an agent) and ``n`` runtimes that could serve them."""
    docs = []
    for i in range(n):
        docs.append(ISVC.replace("name: sklearn-iris", f"name: isvc-{i}"))
        docs.append(RUNTIME.replace("name: kserve-sklearnserver", f"name: runtime-{i}"))
    return "---\n".join(docs)


def test_cost_grows_linearly_with_services_and_runtimes() -> None:
    """Regression: runtime resolution scanned every runtime for every InferenceService, so
    2,333 of each (2.7 MB) took 13 s, and a 32 MiB input would have run for half an hour."""
    from fix_kserve_probes import engine
    from fix_kserve_probes.yamltext.source import decode

    def cpu(n: int) -> float:
        """The best of three runs: other work (a collection of garbage that earlier tests
        left, say) only ever adds time."""
        import gc

        text = decode(pairs(n).encode())
        best = float("inf")
        for _ in range(3):
            gc.collect()
            start = time.process_time()
            engine.run(text)
            best = min(best, time.process_time() - start)
        return best

    small, large = cpu(300), cpu(1200)
    assert large / small < 8, f"4x the input took {large / small:.1f}x the time ({small:.2f} s, {large:.2f} s)"


def test_a_large_string_aliased_many_times_is_summarised_in_results() -> None:
    """Regression (issue 11): the node cap counted nodes, not bytes, so a 1 MB scalar
    aliased 2,000 times inside a probe became 2 GB of results."""
    from badinput_cases import ISVC, resource_list

    big = "x" * (1 << 20)
    probe = "\n".join(["        exec:", f"          command: [&big {big}, " + ", ".join(["*big"] * 2000) + "]",
                       "        initialDelaySeconds: 10"])
    text = ISVC.replace('        exec:\n          command: ["test", "-f", "/mnt/models/model.joblib"]\n'
                        '        initialDelaySeconds: 10', probe)
    data = resource_list(text).encode()
    run = run_inproc(["--max-input-bytes", "64Mi"], data)
    assert run.code == 0, run.err
    assert len(run.out) < len(data) + 100_000, len(run.out)
    assert b"not shown: it is over 10,000 nodes or 64 KiB of text" in run.out


def test_plain_copies_are_capped_by_characters_as_well_as_nodes() -> None:
    from fix_kserve_probes.yamltext import emit

    assert emit.plain({"a": "x" * 100}, max_chars=200) == {"a": "x" * 100}
    assert emit.plain({"a": ["x" * 100] * 3}, max_chars=200) is emit.TOO_LARGE
    assert emit.plain({"k" * 300: 1}, max_chars=200) is emit.TOO_LARGE
