"""Deterministic benchmark inputs: a kpt-style ResourceList and an equivalent kustomization.

``resource_list(n, fraction, seed)`` returns the text kpt would send a function for a
package of ``n`` InferenceServices and ``n`` ConfigMaps (one ``models/<name>.yaml`` file
each, InferenceService first), with the annotations kpt adds
(``config.kubernetes.io/index``/``path``, ``internal.config.kubernetes.io/*``,
``config.k8s.io/id``) and comments, shaped like the captures in
``/work/shared/krm-inputs``. ``round(n * fraction)`` of the InferenceServices, chosen
with a seeded RNG, have ``spec.predictor.logger``: those get KServe's agent sidecar, so
their ``exec`` readinessProbe needs a rewrite.

``variant="anchored"`` (issue 11) gives every InferenceService anchors of its own: on
the model container's ``env`` list and on its resource ``requests``, which ``limits``
aliases. Anchor names are per resource (``&res-<name>``), all in the one document of
the ResourceList, so no alias leaves its resource.

``write_kustomization(directory, n, fraction, seed)`` writes the same resources as the
files on disk (without kpt's annotations) plus a ``kustomization.yaml`` with one JSON6902
patch per agent-bearing InferenceService that makes the same change.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SEED = 4
PROBE_PORT = 8080
NAMESPACES = 10
VARIANTS = ("plain", "anchored")


@dataclass(frozen=True)
class Model:
    """One generated InferenceService (and its ConfigMap)."""

    index: int
    agent: bool
    cpu_millis: int
    memory_mi: int
    initial_delay: int
    period: int

    @property
    def name(self) -> str:
        return f"sklearn-{self.index:05d}"

    @property
    def namespace(self) -> str:
        return f"models-{self.index % NAMESPACES}"

    @property
    def team(self) -> str:
        return f"team-{self.index % 7}"

    @property
    def file(self) -> str:
        return f"models/{self.name}.yaml"

    @property
    def probe_path(self) -> str:
        return f"/v1/models/{self.name}"


def agent_count(n: int, fraction: float) -> int:
    return min(n, max(0, round(n * fraction)))


def models(n: int, fraction: float, seed: int = SEED) -> list[Model]:
    rng = random.Random(f"{seed}:{n}:{fraction}")
    agents = set(rng.sample(range(n), agent_count(n, fraction)))
    return [
        Model(i, i in agents, rng.choice((100, 250, 500, 1000)), rng.choice((256, 512, 1024, 2048)),
              rng.choice((5, 10, 15, 30)), rng.choice((5, 10)))
        for i in range(n)
    ]


# --------------------------------------------------------------------------- resources


def isvc_lines(m: Model, variant: str = "plain") -> list[str]:
    """The InferenceService as a block mapping at column 0 (no kpt annotations)."""
    if variant == "anchored":
        return anchored_isvc_lines(m)
    lines = [
        f"# {m.name}: sklearn model, owned by {m.team}",
        "apiVersion: serving.kserve.io/v1beta1",
        "kind: InferenceService",
        "metadata:",
        f"  name: {m.name}",
        f"  namespace: {m.namespace}",
        "  annotations:",
        "    serving.kserve.io/deploymentMode: RawDeployment",
        "spec:",
        "  predictor:",
    ]
    if m.agent:
        lines += [
            "    logger:",
            "      mode: all",
            f"      url: http://message-dumper.{m.namespace}.svc.cluster.local",
        ]
    lines += [
        "    model:",
        "      modelFormat:",
        "        name: sklearn",
        f'      storageUri: "gs://kfserving-examples/models/sklearn/1.0/{m.name}"',
        "      resources:",
        "        requests:",
        f"          cpu: {m.cpu_millis}m",
        f"          memory: {m.memory_mi}Mi",
        "        limits:",
        f'          cpu: "{max(1, m.cpu_millis // 250)}"',
        f"          memory: {m.memory_mi * 2}Mi",
        "      readinessProbe:",
        "        exec: # the model file must be there",
        '          command: ["test", "-f", "/mnt/models/model.joblib"]',
        f"        initialDelaySeconds: {m.initial_delay}",
        f"        periodSeconds: {m.period}",
        "        timeoutSeconds: 2",
        "        failureThreshold: 3",
    ]
    return lines


def anchored_isvc_lines(m: Model) -> list[str]:
    """The same InferenceService with anchors of its own: the model container's ``env``
    and its resource ``requests`` are anchored, and ``limits`` is an alias of ``requests``."""
    lines = isvc_lines(m)
    at = lines.index("      resources:")
    env = [f"      env: &env-{m.name}", "      - name: MODEL_NAME", f"        value: {m.name}",
           "      - name: LOG_LEVEL", "        value: info"]
    resources = ["      resources:", f"        requests: &res-{m.name}", f"          cpu: {m.cpu_millis}m",
                 f"          memory: {m.memory_mi}Mi", f"        limits: *res-{m.name}"]
    end = lines.index("      readinessProbe:")
    return lines[:at] + env + resources + lines[end:]


def configmap_lines(m: Model) -> list[str]:
    return [
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        f"  name: {m.name}-settings",
        f"  namespace: {m.namespace}",
        "data:",
        f"  MODEL_NAME: {m.name}",
        "  LOG_LEVEL: info",
        '  BATCH_SIZE: "32"',
    ]


def kpt_annotations(path: str, index: int, resource_id: int) -> list[str]:
    """What kpt adds under metadata.annotations, at column 0 of the annotations map."""
    return [
        f"config.kubernetes.io/index: '{index}'",
        f"config.kubernetes.io/path: '{path}'",
        f"internal.config.kubernetes.io/index: '{index}'",
        f"internal.config.kubernetes.io/path: '{path}'",
        "internal.config.kubernetes.io/seqindent: 'compact'",
        f"internal.config.kubernetes.io/annotations-migration-resource-id: '{resource_id}'",
        f"internal.config.kubernetes.io/id: '{resource_id + 1}'",
        f"config.k8s.io/id: '{resource_id + 1}'",
    ]


def with_kpt_annotations(lines: list[str], path: str, index: int, resource_id: int) -> list[str]:
    """Insert kpt's annotations at the end of metadata (adding an annotations map if needed)."""
    extra = kpt_annotations(path, index, resource_id)
    meta = lines.index("metadata:")
    end = next(i for i in range(meta + 1, len(lines)) if not lines[i].startswith(" "))
    header = [] if "  annotations:" in lines[meta:end] else ["  annotations:"]
    return lines[:end] + header + ["    " + a for a in extra] + lines[end:]


def as_item(lines: list[str]) -> list[str]:
    """A block mapping at column 0 as a compact ``- `` sequence entry at column 0."""
    # A head comment lands where kpt keeps it: "- # comment", the mapping on the next line.
    return [f"- {lines[0]}"] + ["  " + line for line in lines[1:]]


KPTFILE = """\
- apiVersion: kpt.dev/v1
  kind: Kptfile
  metadata:
    name: fraud-scoring
    annotations:
      config.kubernetes.io/local-config: "true"
      config.kubernetes.io/index: '0'
      config.kubernetes.io/path: 'Kptfile'
      internal.config.kubernetes.io/index: '0'
      internal.config.kubernetes.io/path: 'Kptfile'
      internal.config.kubernetes.io/seqindent: 'compact'
      internal.config.kubernetes.io/annotations-migration-resource-id: '0'
      internal.config.kubernetes.io/id: '1'
      config.k8s.io/id: '1'
  info:
    description: generated benchmark package
"""


def resource_list(n: int, fraction: float, seed: int = SEED, variant: str = "plain") -> str:
    """The ResourceList kpt sends: Kptfile, then per model its InferenceService and ConfigMap."""
    parts = ["apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n", KPTFILE]
    resource_id = 1
    for m in models(n, fraction, seed):
        for index, lines in enumerate((isvc_lines(m, variant), configmap_lines(m))):
            parts.append("\n".join(as_item(with_kpt_annotations(lines, m.file, index, resource_id))) + "\n")
            resource_id += 1
    return "".join(parts)


# --------------------------------------------------------------------------- kustomize


def json6902_ops(m: Model) -> list[dict[str, object]]:
    """The patch that makes the change the function makes (exec -> httpGet, timings kept)."""
    probe = "/spec/predictor/model/readinessProbe"
    return [
        {"op": "remove", "path": f"{probe}/exec"},
        {"op": "add", "path": f"{probe}/httpGet", "value": {"path": m.probe_path, "port": PROBE_PORT}},
    ]


def kustomization_lines(ms: list[Model]) -> Iterator[str]:
    yield "apiVersion: kustomize.config.k8s.io/v1beta1"
    yield "kind: Kustomization"
    yield "resources:"
    for m in ms:
        yield f"- {m.file}"
    agents = [m for m in ms if m.agent]
    if not agents:
        return
    yield "patches:"
    for m in agents:
        yield "- target:"
        yield "    group: serving.kserve.io"
        yield "    version: v1beta1"
        yield "    kind: InferenceService"
        yield f"    name: {m.name}"
        yield f"    namespace: {m.namespace}"
        yield f"  patch: '{json.dumps(json6902_ops(m))}'"


def write_kustomization(directory: Path, n: int, fraction: float, seed: int = SEED) -> int:
    """Write the kustomization; return the bytes kustomize will read."""
    ms = models(n, fraction, seed)
    (directory / "models").mkdir(parents=True, exist_ok=True)
    total = 0
    for m in ms:
        text = "\n".join(isvc_lines(m)) + "\n---\n" + "\n".join(configmap_lines(m)) + "\n"
        (directory / m.file).write_text(text)
        total += len(text.encode())
    kustomization = "\n".join(kustomization_lines(ms)) + "\n"
    (directory / "kustomization.yaml").write_text(kustomization)
    return total + len(kustomization.encode())
