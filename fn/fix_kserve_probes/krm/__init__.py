"""The KRM function protocol: reading a ResourceList or a stream, the function config
(one pydantic schema, the single source of every setting), selection, and results.

Layered above ``kserve`` and ``yamltext``: it reads the scanner's positioned nodes and
validates settings with KServe's own names for deployment modes.
"""
