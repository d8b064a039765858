"""The format-exact text engine: decode bytes, scan YAML/JSON into positioned plain
data, and apply key operations so that every byte outside an edit stays as it was.

Nothing here imports the CLI, the KRM layer or KServe knowledge; its errors are its
own (``errors.TextError``) and an applier's "not here" is a value (``ops.Refusal``).
"""
