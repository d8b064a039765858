"""Valid YAML that Kubernetes tools read must be read by the function too (issue 11).

Each file of ``tests/corpus/valid/`` (URLs and colons in flow collections, every scalar
style, merge keys, nested sequences, JSON, document markers with comments) is read by
kpt (``kpt fn source``, go-yaml v3 through kyaml) and by the function, both as a plain
stream and as the ResourceList kpt made of it. Resources the function does not fix come
back byte for byte.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .support import run

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "valid"
FILES = sorted(CORPUS.iterdir())
FIXED = {"flow-urls.yaml", "json-isvc.json"}  # InferenceServices with an exec probe the agent cannot run


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_kpt_and_the_function_both_accept(path: Path, kpt: str, fn_bin: Path, tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    shutil.copy(path, package / path.name)
    source = run([kpt, "fn", "source", package])
    assert source.returncode == 0, source.stderr

    stream = run([fn_bin], input=path.read_text())
    assert stream.returncode == 0, stream.stderr
    if path.name in FIXED:
        assert "httpGet" in stream.stdout and "exec" not in stream.stdout
    else:
        assert stream.stdout == path.read_text()

    listed = run([fn_bin], input=source.stdout)
    assert listed.returncode == 0, listed.stderr
    assert ("httpGet" in listed.stdout) == (path.name in FIXED)
