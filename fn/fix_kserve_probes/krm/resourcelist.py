"""Read the input as KRM: a ResourceList's items and functionConfig, or a stream's
documents; and the keys a ResourceList gets back (``items``, ``results``).

Modelled on kyaml's fn framework (kustomize kyaml/fn/framework): reading the input,
processing and writing results are separate one-job pieces.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, NamedTuple

from ..errors import InputError
from ..kserve.plaindata import annotations_of
from ..yamltext.ops import Append, MapOp, Path, Put
from ..yamltext.scanner import Scan, YMap, YSeq

RESOURCE_LIST_VERSIONS = ("config.kubernetes.io/v1", "config.kubernetes.io/v1beta1", "config.kubernetes.io/v1alpha1")
PATH_ANNOTATIONS = ("internal.config.kubernetes.io/path", "config.kubernetes.io/path")
INDEX_ANNOTATIONS = ("internal.config.kubernetes.io/index", "config.kubernetes.io/index")
Form = Literal["resourcelist", "stream"]


class Item(NamedTuple):
    doc: int  # document that holds the item
    prefix: Path  # path from that document's root to the item
    data: YMap
    file_path: str | None = None
    file_index: int | None = None
    source: int = 0  # which source of the package holds it

    @property
    def ref(self) -> dict[str, str]:
        meta = self.data.get("metadata")
        meta = meta if isinstance(meta, dict) else {}
        ref = {"apiVersion": str(self.data.get("apiVersion", "")), "kind": str(self.data.get("kind", ""))}
        ref["name"] = str(meta.get("name", ""))
        if meta.get("namespace"):
            ref["namespace"] = str(meta["namespace"])
        return ref

    def describe(self) -> str:
        ref = self.ref
        name = f"{ref['namespace']}/{ref['name']}" if "namespace" in ref else ref["name"]
        where = f" ({self.file_path})" if self.file_path else ""
        return f"{ref['kind']} {name}{where}"


class Input(NamedTuple):
    form: Form
    items: list[Item]
    function_config: YMap | None = None
    root: YMap | None = None  # the ResourceList itself
    doc: int = 0  # the document that holds it (empty documents may come first)


def resource_list_root(scan: Scan) -> tuple[int, YMap] | None:
    """(document, root mapping) when the input is (meant to be) a ResourceList."""
    n, first = next(((n, d.root) for n, d in enumerate(scan.docs) if d.root is not None), (0, None))
    return (n, first) if isinstance(first, YMap) and first.get("kind") == "ResourceList" else None


def read(scan: Scan, origin: str | None = None) -> Input:
    """The input's items; ``origin`` names the file a plain stream came from."""
    found = resource_list_root(scan)
    if found is not None:
        if sum(d.root is not None for d in scan.docs) > 1:
            raise InputError("a ResourceList must be the only document in the input")
        return _resource_list(*found)
    if not any(d.root is not None for d in scan.docs):
        raise InputError("input holds no YAML documents")
    items = []
    for n, doc in enumerate(scan.docs):
        if doc.root is None or (origin is not None and not isinstance(doc.root, YMap)):
            continue  # in a file, a document that is no resource is someone else's YAML: leave it
        label = f"document {n + 1}" + (f" of {origin}" if origin else "")
        for item in _expand(_item(doc.root, n, (), label), label, skip_odd=origin is not None):
            items.append(item._replace(file_path=origin, file_index=n) if origin is not None else item)
    return Input("stream", items)


def is_list(value: Any) -> bool:
    """A ``kind: List`` (or ``v1/List``, or a ``*List`` such as kubectl prints) with ``items``."""
    kind = value.get("kind") if isinstance(value, YMap) else None
    return isinstance(kind, str) and kind.endswith("List") and kind != "ResourceList" \
        and isinstance(value.get("items"), YSeq)


def _expand(item: Item, label: str, skip_odd: bool) -> list[Item]:
    """An item, or the resources a List holds, each edited in place within the list;
    they keep the List's file annotations (kubectl prints none on the items)."""
    if not is_list(item.data):
        return [item]
    out = []
    for j, value in enumerate(item.data["items"]):
        if skip_odd and not isinstance(value, YMap):
            continue
        inner = _item(value, item.doc, (*item.prefix, "items", j), f"{label} items[{j}]")
        if inner.file_path is None:
            inner = inner._replace(file_path=item.file_path, file_index=item.file_index)
        out.extend(_expand(inner, f"{label} items[{j}]", skip_odd))
    return out


def _resource_list(doc: int, root: YMap) -> Input:
    version = root.get("apiVersion")
    if version not in RESOURCE_LIST_VERSIONS:
        raise InputError(
            f"unsupported ResourceList apiVersion {version!r}; expected one of {', '.join(RESOURCE_LIST_VERSIONS)}"
        )
    raw_items = root.get("items")
    if raw_items is None:
        raw_items = []
    if not isinstance(raw_items, YSeq) and raw_items != []:
        raise InputError(f"ResourceList items must be a list, not {_type_name(raw_items)}")
    items = [inner for i, value in enumerate(raw_items)
             for inner in _expand(_item(value, doc, ("items", i), f"items[{i}]"), f"items[{i}]", False)]
    config = root.get("functionConfig")
    if config is not None and not isinstance(config, YMap):
        raise InputError(f"ResourceList functionConfig must be a mapping, not {_type_name(config)}")
    return Input("resourcelist", items, config, root, doc)


def _item(value: Any, doc: int, prefix: Path, label: str) -> Item:
    if not isinstance(value, YMap):
        raise InputError(f"{label} is not a Kubernetes resource: it is {_type_name(value)}, not a mapping")
    # Mappings without apiVersion, kind or metadata.name (a kustomization.yaml, say) are
    # kept and passed through untouched, as kpt and kustomize keep them.
    notes = annotations_of(value)
    file_path = next((str(notes[k]) for k in PATH_ANNOTATIONS if notes.get(k)), None)
    index = next((notes[k] for k in INDEX_ANNOTATIONS if k in notes), None)
    try:
        file_index = int(index) if index is not None else None
    except (TypeError, ValueError, OverflowError):  # OverflowError: .inf
        file_index = None
    return Item(doc, prefix, value, file_path, file_index)


def _type_name(value: Any) -> str:
    if isinstance(value, (list, YSeq)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "null"
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name} scalar"


def output_ops(inp: Input, results: Sequence[dict[str, Any]]) -> list[tuple[int, MapOp]]:
    """Keys to add to the ResourceList: ``results`` when there are any, ``items`` if absent.

    Results already in the input (from an earlier run) are kept as written; ours follow.
    """
    if inp.form != "resourcelist" or inp.root is None:
        return []
    ops: list[tuple[int, MapOp]] = []
    if "items" not in inp.root:
        ops.append((inp.doc, Put((), "items", [])))
    if results:
        new = list(results)
        existing = inp.root.get("results")
        if existing is not None and not isinstance(existing, YSeq):
            new.insert(0, existing)  # one prior result not in a list: kept, as the list's first
        ops.append((inp.doc, Append((), "results", new) if isinstance(existing, YSeq) else Put((), "results", new)))
    return ops
