"""The obvious KRM function, for comparison: ruamel.yaml round-trip load, edit, dump.

Reads a ResourceList on stdin, rewrites the ``exec`` readinessProbe of
``spec.predictor.model`` in every InferenceService whose predictor has a ``logger`` into
``httpGet /v1/models/<name>`` on port 8080 (keeping the timings), appends one ``info``
result per rewrite and writes the whole ResourceList back to stdout.

This is the baseline of issue 4, not a second implementation of the function: it knows
nothing about deployment modes, runtimes or the other components.

    .venv/bin/python bench/naive_fn.py < resource-list.yaml > out.yaml
"""

from __future__ import annotations

import sys
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

PORT = 8080
PROBE_PATH = ("spec", "predictor", "model", "readinessProbe")


def plain(value: Any) -> Any:
    """A deep copy as plain dicts and lists, so the dump has no anchors or aliases."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def rewrite(item: Any) -> dict[str, Any] | None:
    """Rewrite one item in place; return its result, or None when nothing changed."""
    if not isinstance(item, dict) or item.get("kind") != "InferenceService":
        return None
    predictor = (item.get("spec") or {}).get("predictor") or {}
    model = predictor.get("model") or {}
    probe = model.get("readinessProbe")
    if not predictor.get("logger") or not isinstance(probe, CommentedMap) or "exec" not in probe:
        return None
    name = item["metadata"]["name"]
    old = plain(probe)
    position = list(probe).index("exec")
    del probe["exec"]
    probe.insert(position, "httpGet", CommentedMap([("path", f"/v1/models/{name}"), ("port", PORT)]))
    meta = item["metadata"]
    ref = {"apiVersion": item["apiVersion"], "kind": item["kind"], "name": name}
    if meta.get("namespace"):
        ref["namespace"] = meta["namespace"]
    return {
        "message": f"the predictor agent (logger) cannot run exec probes; httpGet /v1/models/{name} on port {PORT}",
        "severity": "info",
        "resourceRef": ref,
        "field": {"path": ".".join(PROBE_PATH), "currentValue": old, "proposedValue": plain(probe)},
    }


def main() -> int:
    yaml = YAML()  # round-trip: comments, order and quoting survive
    yaml.preserve_quotes = True
    resource_list = yaml.load(sys.stdin)
    results = [r for r in (rewrite(item) for item in resource_list.get("items") or []) if r is not None]
    if results:
        resource_list["results"] = list(resource_list.get("results") or []) + results
    yaml.dump(resource_list, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
