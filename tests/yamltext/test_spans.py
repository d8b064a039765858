"""Spans to text: overlapping spans are refused; the batched join is the plain join."""

from __future__ import annotations

import random

import pytest

from fix_kserve_probes.yamltext.ops import Refusal
from fix_kserve_probes.yamltext.spans import apply_spans, join_spans


def test_overlapping_spans_are_refused() -> None:
    assert apply_spans("abcdef", [(1, 3, "X"), (2, 4, "Y")]) == Refusal("edits overlap")
    assert apply_spans("abcdef", [(3, 4, "Y"), (1, 3, "X")]) == "aXYef"


@pytest.mark.parametrize("size", [0, 10, 70_000, 5_000_000])
def test_join_spans_equals_slicing_and_joining(size: int) -> None:
    """The output is joined in batches (no second copy of the text): the same text as
    joining every piece, across batch boundaries, with spans at the very start and end."""
    rng = random.Random(size)
    text = "".join(rng.choice("ab\nü😀") for _ in range(size))
    cuts = sorted(rng.sample(range(size + 1), min(size + 1, 400))) if size else [0, 0]
    spans = [(a, b, rng.choice(["", "X", "ü" * 70_000])) for a, b in zip(cuts[::2], cuts[1::2], strict=False)]
    expected, pos = [], 0
    for start, end, replacement in spans:
        expected += (text[pos:start], replacement)
        pos = end
    expected.append(text[pos:])
    assert join_spans(text, spans) == "".join(expected)
