"""The KRM layer: items, configs, file references and result shapes."""

from __future__ import annotations

import re

import pytest

from fix_kserve_probes.errors import InputError
from fix_kserve_probes.krm import resourcelist as krm
from fix_kserve_probes.krm import results
from fix_kserve_probes.yamltext.scanner import scan


def read(text: str, origin: str | None = None) -> krm.Input:
    return krm.read(scan(text), origin)


def test_resource_list_items_and_file_references() -> None:
    inp = read("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n"
               "- {apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: models, annotations: "
               "{internal.config.kubernetes.io/path: dir/a.yaml, config.kubernetes.io/index: '3'}}}\n"
               "functionConfig: {apiVersion: v1, kind: ConfigMap, metadata: {name: f}}\n")
    (item,) = inp.items
    assert (inp.form, item.doc, item.prefix, item.file_path, item.file_index) == ("resourcelist", 0, ("items", 0), "dir/a.yaml", 3)
    assert item.ref == {"apiVersion": "v1", "kind": "ConfigMap", "name": "a", "namespace": "models"}
    assert results.file_ref(item) == {"path": "dir/a.yaml", "index": 3}
    assert inp.function_config is not None and inp.function_config["metadata"]["name"] == "f"


def test_stream_items_take_the_file_they_came_from() -> None:
    inp = read("---\n---\napiVersion: v1\nkind: A\nmetadata: {name: a}\n---\napiVersion: v1\nkind: B\nmetadata: {name: b}\n", "x.yaml")
    assert [(i.doc, i.file_path, i.file_index) for i in inp.items] == [(1, "x.yaml", 1), (2, "x.yaml", 2)]


@pytest.mark.parametrize(("text", "message"), [
    ("apiVersion: config.kubernetes.io/v2\nkind: ResourceList\nitems: []\n", "unsupported ResourceList apiVersion"),
    ("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: {a: 1}\n", "items must be a list"),
    ("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: [3]\n", "items[0] is not a Kubernetes resource"),
    ("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nfunctionConfig: [1]\n", "functionConfig must be a mapping"),
    ("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n---\napiVersion: v1\n", "must be the only document"),
    ("# only a comment\n", "no YAML documents"),
    ("- a\n- b\n", "document 1 is not a Kubernetes resource"),
])
def test_malformed_inputs_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        read(text)


def test_mappings_that_are_not_full_resources_pass_through() -> None:
    inp = read("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n"
               "- {apiVersion: kustomize.config.k8s.io/v1beta1, kind: Kustomization, resources: [a.yaml]}\n- {x: 1}\n")
    assert [i.ref for i in inp.items] == [
        {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "name": ""},
        {"apiVersion": "", "kind": "", "name": ""}]


def test_files_skip_documents_that_are_not_resources() -> None:
    inp = read("on: push\n---\n- a list\n---\napiVersion: v1\nkind: A\nmetadata: {name: a}\n", "ci.yaml")
    assert [i.doc for i in inp.items] == [0, 2]
    with pytest.raises(InputError, match="document 2 is not a Kubernetes resource"):
        read("on: push\n---\n- a list\n")


def test_results_shape_and_stderr_line() -> None:
    r = results.Result("msg", "warning", {"apiVersion": "v1", "kind": "A", "name": "a", "namespace": "n"},
                   {"path": "spec.x"}, {"path": "a.yaml"})
    assert r.to_dict() == {"message": "msg", "severity": "warning", "resourceRef": r.resource_ref,
                           "field": {"path": "spec.x"}, "file": {"path": "a.yaml"}}
    assert r.line() == "[warning] v1/A/n/a (a.yaml) spec.x: msg"
    assert results.Result("bare", "error").line() == "[error] bare"


@pytest.mark.parametrize("index", [".inf", "-.Inf", ".nan", "1" * 5000, "x"])
def test_regression_a_file_index_that_is_no_integer_is_none(index: str) -> None:
    """``config.kubernetes.io/index: .inf`` was an internal OverflowError (found by a review)."""
    inp = read("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n"
               f"- {{metadata: {{name: a, annotations: {{config.kubernetes.io/index: {index}}}}}}}\n")
    assert inp.items[0].file_index is None
