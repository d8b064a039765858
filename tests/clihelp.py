"""Run the CLI in-process with byte streams, as kpt or a shell would."""

from __future__ import annotations

import io
from dataclasses import dataclass

from fix_kserve_probes.cli import main


@dataclass
class Run:
    code: int
    out: str
    err: str


def cli(*argv: str, stdin: str | bytes = b"") -> Run:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    out, err = io.BytesIO(), io.StringIO()
    code = main(list(argv), stdin=io.BytesIO(data), stdout=out, stderr=err)
    return Run(code, out.getvalue().decode("utf-8"), err.getvalue())
