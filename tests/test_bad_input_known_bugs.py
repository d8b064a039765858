"""Bugs the hostile-input work found outside the input modules, each pinned by a strict
xfail (it fails today; when it passes, the bug is fixed and the mark must go).

The others: the --debug traceback for errors carried as error results
(test_bad_input.py::test_debug_shows_the_traceback) and quadratic runtime resolution
(test_limits.py::test_cost_grows_linearly_with_services_and_runtimes).
"""

from __future__ import annotations

import pytest
from badinput_cases import ISVC, resource_list
from badinput_helpers import assert_clean_success, load_all, run_inproc

# The probe's command and a timing are aliases: the planner sees yamlscan.Alias values.
ALIASED = ISVC.replace("  name: sklearn-iris\n", "  name: sklearn-iris\n  labels: {cmd: &cmd [test, -f, x]}\n").replace(
    '          command: ["test", "-f", "/mnt/models/model.joblib"]\n', "          command: *cmd\n").replace(
    "        initialDelaySeconds: 10\n", "        initialDelaySeconds: &t 10\n        timeoutSeconds: *t\n")


@pytest.mark.xfail(strict=True, reason=(
    "bug: a rewritten probe that holds aliases is reported with Python reprs: the result's currentValue and "
    "proposedValue carry yamlscan.Alias objects, which emit.scalar writes as \"Alias(name='cmd')\""))
def test_results_never_show_python_reprs_for_aliases() -> None:
    run = run_inproc([], resource_list(ALIASED).encode())
    assert_clean_success(run)
    assert b"Alias(name=" not in run.out, run.out.decode()


def test_the_aliased_probe_itself_is_rewritten() -> None:
    """What works already (and must keep working): the item is fixed and its aliases kept."""
    run = run_inproc([], resource_list(ALIASED).encode())
    assert_clean_success(run)
    probe = load_all(run.out)[0]["items"][0]["spec"]["predictor"]["model"]["readinessProbe"]
    assert probe["httpGet"] == {"path": "/v1/models/sklearn-iris", "port": 8080}
    assert probe["timeoutSeconds"] == probe["initialDelaySeconds"] == 10 and b"*t" in run.out


@pytest.mark.xfail(strict=True, reason="bug: krm._type_name says 'a int scalar' (article before a vowel)")
def test_the_type_in_a_message_reads_as_english() -> None:
    run = run_inproc([], b"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: [1]\n")
    assert run.code == 1 and "it is an int scalar" in run.err, run.err


@pytest.mark.xfail(strict=True, reason=(
    "bug: the round-trip applier's pure-Python parser refuses YAML that libyaml (the scanner) reads, such as a "
    "tab before ':'; a resource with anchors that needs a rewrite then ends in an internal ScannerError"))
@pytest.mark.parametrize("form", ["stream", "resourcelist"])
def test_what_the_scanner_reads_the_round_trip_applier_reads(form: str) -> None:
    """Found by test_fuzz.py::test_mutated_inputs. YAML 1.2 allows tabs as separation
    between a key and its ':' (libyaml and go-yaml read it, ruamel's pure scanner does not)."""
    isvc = ISVC.replace("  name: sklearn-iris\n", "  name: sklearn-iris\n  labels: {a: &a b, c: *a}\n").replace(
        "kind: InferenceService", "kind\t: InferenceService")
    run = run_inproc([], (isvc if form == "stream" else resource_list(isvc)).encode())
    assert "internal error" not in run.err, run.err
    assert run.code == 0 and b"httpGet" in run.out
