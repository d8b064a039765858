"""fix-kserve-probes: a KRM function for KServe agent readiness probes."""

__version__ = "0.1.0"
