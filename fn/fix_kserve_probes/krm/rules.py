"""The rule ids results carry (``Result.rule``), one per problem class, each with the
line SARIF shows as its short description.

docs/results.md lists the same ids (tests/krm/test_rule_registry.py checks that, and that every
rule a finding or result is made with is here). An id is kebab-case and stable: CI
suppressions and dashboards key on it, so a rule is renamed only with a changelog entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

UNCLASSIFIED = "unclassified"  # a result made without a rule id; none should be

RULES: Mapping[str, str] = MappingProxyType({
    # Edits: one result per change.
    "probe-rewritten": "A readinessProbe the agent cannot run (or a port or startupProbe beside it) was changed",
    "probe-needs-fix": "Validate mode: a readinessProbe the agent cannot run needs the change named, not made",
    # Findings of the planner (kserve/).
    "unusable-port": "A readinessProbe is not changed: the port it would check is not a usable port number",
    "port-name-not-found": "A probe's named port names no containerPort, and the agent's prober cannot resolve names",
    "guessed-server": "The server was guessed (from the image or args): check the httpGet path it is given",
    "no-default-probe": "A probe was removed from a container KServe gives no default probe",
    "https-became-tcp": "An HTTPS check became tcpSocket: the agent's prober cannot complete TLS",
    "assumed-default-port": "No source states the server's port; KServe's default was assumed",
    "exec-check-not-kept": "An exec command's check cannot be kept in full by the new handler",
    "model-name-unresolved": "--model_name names a variable the env does not set; the server as a whole is checked",
    "port-variable-unset": "A port flag names a variable the env does not set; the port came from the next source",
    "several-handlers": "An agent-read probe has more than one handler; Kubernetes accepts exactly one",
    "handler-without-port": "An agent-read probe's handler has no port; the agent's prober needs one",
    "versioned-ready-path": "An httpGet path answers 501 on KServe's Python server",
    "unknown-deployment-mode": "An unknown deployment-mode annotation was treated as the default mode",
    "shipped-exec-probe": "A KServe runtime not in the input ships an exec readinessProbe the agent cannot run",
    "runtime-not-in-input": "The runtime an InferenceService uses is not in the input, so its probe cannot be checked",
    "runtime-not-fixed": "A runtime's probe the agent cannot run is not changed (fixRuntimes false, or excluded)",
    "handlers-disagree": "InferenceServices using one runtime set different handlers; merged probes will have two",
    "missing-name": "A KServe resource without metadata.name is left alone",
    "assumed-shipped-runtimes": "KServe's shipped runtimes not in the input were assumed as KServe ships them",
    # Findings and results of the run itself.
    "read-only-context": "A context resource (read-only) would need a change; fix it where it is kept",
    "config-invalid": "The function config is invalid",
    "input-invalid": "The input cannot be read as KRM resources",
    "run-summary": "The run's one-line summary: what changed (or would), in how many resources and files",
    UNCLASSIFIED: "A result without a rule id",
})


def describe(rule: str) -> str:
    """The short description of ``rule`` (an unknown id is described as unclassified)."""
    return RULES.get(rule, RULES[UNCLASSIFIED])
