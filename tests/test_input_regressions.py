"""Regressions: bugs the hostile-input work and the fuzzer found outside the input modules.

The others are guarded where they belong: the --debug traceback for errors carried as
error results (test_bad_input.py::test_debug_shows_the_traceback) and quadratic runtime
resolution (test_limits.py::test_cost_grows_linearly_with_services_and_runtimes).
"""

from __future__ import annotations

import pytest
from badinput_cases import ISVC, resource_list
from badinput_helpers import assert_clean_success, load_all, run_inproc

# The probe's command and a timing are aliases (results once showed them as Python reprs).
ALIASED = ISVC.replace("  name: sklearn-iris\n", "  name: sklearn-iris\n  labels: {cmd: &cmd [test, -f, x]}\n").replace(
    '          command: ["test", "-f", "/mnt/models/model.joblib"]\n', "          command: *cmd\n").replace(
    "        initialDelaySeconds: 10\n", "        initialDelaySeconds: &t 10\n        timeoutSeconds: *t\n")


def test_results_show_aliased_values_not_python_reprs() -> None:
    run = run_inproc([], resource_list(ALIASED).encode())
    assert_clean_success(run)
    assert b"Alias(name=" not in run.out, run.out.decode()
    (info,) = [r for r in load_all(run.out)[0]["results"] if r["severity"] == "info" and "field" in r]
    assert info["field"]["currentValue"]["exec"] == {"command": ["test", "-f", "x"]}
    assert info["field"]["currentValue"]["timeoutSeconds"] == 10


def test_the_aliased_probe_itself_is_rewritten() -> None:
    """What works already (and must keep working): the item is fixed and its aliases kept."""
    run = run_inproc([], resource_list(ALIASED).encode())
    assert_clean_success(run)
    probe = load_all(run.out)[0]["items"][0]["spec"]["predictor"]["model"]["readinessProbe"]
    assert probe["httpGet"] == {"path": "/v1/models/sklearn-iris", "port": 8080}
    assert probe["timeoutSeconds"] == probe["initialDelaySeconds"] == 10 and b"*t" in run.out


def test_the_type_in_a_message_reads_as_english() -> None:
    run = run_inproc([], b"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: [1]\n")
    assert run.code == 1 and "it is an int scalar" in run.err, run.err


@pytest.mark.parametrize("form", ["stream", "resourcelist"])
def test_what_the_round_trip_reader_refuses_is_a_clean_error(form: str) -> None:
    """Found by test_fuzz.py::test_mutated_inputs. YAML 1.2 allows a tab between a key and
    its ':' (libyaml and go-yaml read it; ruamel's pure-Python reader, which the round-trip
    applier needs for a resource with anchors, does not): one clear line, no internal error,
    and in a ResourceList an error result with the items unchanged."""
    isvc = ISVC.replace("  name: sklearn-iris\n", "  name: sklearn-iris\n  labels: {a: &a b, c: *a}\n").replace(
        "kind: InferenceService", "kind\t: InferenceService").replace(
        "command: [", "command: &c [")  # an anchor in the edit: the splicer leaves the resource to the round trip
    data = (isvc if form == "stream" else resource_list(isvc)).encode()
    run = run_inproc([], data)
    assert "internal error" not in run.err and "Traceback" not in run.err, run.err
    assert run.code == 1 and len(run.err.splitlines()) == 1 and "cannot rewrite InferenceService" in run.err
    if form == "resourcelist":
        assert run.out.startswith(data)
        from fix_kserve_probes.yamltext.scanner import scan  # (ruamel's pure-Python reader refuses this input)

        assert scan(run.out.decode()).docs[0].root["results"][0]["severity"] == "error"
