"""Every golden case split into one resource per file, planned in files mode, decides what
the stream run decides (issue 9: a repository is one input). ResourceLists and JSON
inputs are one document by nature, and anchors cannot reach across files, so those cases
are left out."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from clihelp import cli
from ruamel.yaml import YAML
from test_golden import CASES, GOLDEN


def loaded(text: str) -> list[Any]:
    return [d for d in YAML(typ="safe", pure=True).load_all(text) if d is not None]


def splittable(case: str) -> bool:
    text = (GOLDEN / case / "input.yaml").read_text(encoding="utf-8-sig")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")).lstrip()
    # an alias cannot point into another file: a case whose documents share anchors stays whole
    shares_anchors = "<<:" in body or " *" in body.replace(" * ", "")
    return not body.startswith(("{", "[")) and "kind: ResourceList" not in text and not shares_anchors


@pytest.mark.parametrize("case", [c for c in CASES if splittable(c)])
def test_one_resource_per_file_decides_as_the_stream(case: str, tmp_path: Path) -> None:
    folder = GOLDEN / case
    config = ["--config", str(folder / "config.yaml")] if (folder / "config.yaml").is_file() else []
    data = (folder / "input.yaml").read_bytes()
    stream = cli(*config, stdin=data)
    docs = loaded(data.decode("utf-8-sig"))
    paths = []
    for n, doc in enumerate(docs):
        out = io.StringIO()
        dumper = YAML(typ="safe", pure=True)
        dumper.default_flow_style = False
        dumper.dump(doc, out)
        path = tmp_path / f"{n:03}.yaml"
        path.write_text(out.getvalue())
        paths.append(str(path))
    files = cli(*config, *paths)
    assert files.code == stream.code, files.err
    assert loaded(files.out) == loaded(stream.out)
    assert files.err.count("[warning]") == stream.err.count("[warning]")
    assert files.err.count("[error]") == stream.err.count("[error]")
