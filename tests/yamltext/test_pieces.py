"""yamltext/pieces.py: cutting a ResourceList into items, and the line forms skim.py reads."""

from __future__ import annotations

import pytest
from guards import fails_after
from hypothesis import given
from hypothesis import strategies as st

from fix_kserve_probes.yamltext import pieces

RESOURCE_LIST = """apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
# a comment before the first item
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: a
- # kpt writes a comment here
  apiVersion: v1
  kind: ConfigMap
  data:
    script: |
      - not an item
    quoted: "two
- lines"
# a comment after an item
- apiVersion: v1
  kind: Secret
functionConfig:
  apiVersion: v1
"""


def texts(text: str) -> list[str]:
    found = pieces.item_pieces(text)
    assert found is not None
    return [text[a:b] for a, b in found]


def test_items_are_cut_where_an_entry_starts_at_column_zero() -> None:
    got = texts(RESOURCE_LIST)
    assert [t.split("\n", 1)[0] for t in got] == ["- apiVersion: v1", "- # kpt writes a comment here", "- lines\"",
                                                 "- apiVersion: v1"]
    assert got[-1].endswith("kind: Secret\n")  # the items end where functionConfig starts
    assert "".join(got) in RESOURCE_LIST


def test_a_cut_inside_a_quoted_scalar_leaves_a_piece_that_does_not_parse() -> None:
    first, second, third, last = texts(RESOURCE_LIST)
    assert pieces.parses(first) and pieces.parses(last)
    assert not pieces.parses(second)  # "two ... is cut short: the cut was inside it
    assert pieces.parses(second + third)


@pytest.mark.parametrize("text", [
    "apiVersion: v1\nkind: ResourceList\nitems:\n  - a: 1\n",  # entries indented
    "apiVersion: v1\nkind: ResourceList\nitems: []\n",
    "apiVersion: v1\nkind: ResourceList\nitems:\n- a: 1\nitems:\n- b: 1\n",  # two root items keys
    "items:\n- a: 1\n",
    "apiVersion: v1\nkind: ResourceList\nitems:\nx: 1\n- a: 1\n",
    "{\"items\": [{\"a\": 1}]}",
])
def test_other_layouts_are_not_cut(text: str) -> None:
    assert pieces.item_pieces(text) is None


@pytest.mark.parametrize(("text", "plain"), [
    ("- apiVersion: v1\n  kind: X  # comment\n  list:\n  - a\n  - b: 'c'\n  flow: [\"a\", 'b', c]\n", True),
    ("- a: {}\n  b: []\n  c: ''\n  d: \"x # y\"\n-\n  # only a comment\n\n", True),
    ("- a: |\n    block\n", False),
    ("- a: \"two\n    lines\"\n", False),
    ("- a: [x,\n    y]\n", False),
    ("- a: \"x\" # comment after quotes\n", False),
    ("- a: [x, [y]]\n", False),
    ("- a: [http://x]\n", False),
    ("- \"quoted key\": 1\n", False),
    ("- a: &x 1\n", False),
    ("- a: b\n  more words\n", False),
    ("- a:\tb\n", False),
    ("- a: gs://bucket/x:1   \n  b: a::b\n  c: x y  # note\n", True),
    ("- a: x :y\n", False),  # a blank before a colon: left to the full read
    ("- a: x#y\n", False),
    ("- a: b:\n", False),
    ("- a: [x , y ,]\n", True),
    ("- a: [x y, \"z\"]\n", True),
    ("- a: [x \"y\"]\n", False),
    ("- a: b\n    - c\n", False),  # "b - c": the plain scalar goes on (a review found it)
    ("- a: b\n\n      -\n", False),
    ("- a\n  - b\n", False),
    ("- a: b\n  c:\n    - d\n  e:\n  - f\n", True),  # block sequences, wide and compact
])
def test_plain_block_lines(text: str, plain: bool) -> None:
    assert pieces.plain_block(text) is plain


@pytest.mark.parametrize(("token", "value"), [
    ("abc", "abc"), ("abc  # note", "abc"), ("'it''s'", "it's"), ('"x # y"', "x # y"), ("12", 12),
    ("null", None), ("~", None), ("true", True), ("[a]", ...), ("'a' # c", ...),
])
def test_scalar_tokens(token: str, value: object) -> None:
    assert pieces.scalar(token) == value if value is not ... else pieces.scalar(token) is ...


def test_entries_that_open_a_block_mapping() -> None:
    assert pieces.is_mapping_entry("- apiVersion: v1\n")
    assert pieces.is_mapping_entry("- # note\n  apiVersion: v1\n")
    assert not pieces.is_mapping_entry("- just a scalar\n")
    assert not pieces.is_mapping_entry("- a:b\n")
    assert not pieces.is_mapping_entry("- [a]: b\n")


def test_parses_is_libyaml() -> None:
    assert pieces.parses("- a: 1\n")
    assert not pieces.parses("- a: [1\n")
    assert not pieces.parses("- a: 1\n b: 2\n")


# Lines an item may hold, some of which leave a quoted scalar or a flow collection open,
# or close one a line above them opened, or break the indentation.
ITEM_LINES = ["  a: 1", "  b: 'x", "  c: \"y", "  z\"", "  q'", "  d: [1,", "  2]", "  e: {f: 1,", "  g: 2}",
              "  h: |", "    text", "   bad: 1", "  # note", "", "  - i", "  j: k: l"]


@given(st.lists(st.lists(st.sampled_from(ITEM_LINES), max_size=5), min_size=1, max_size=12))
def test_each_parses_says_what_parses_says_of_each_piece_alone(bodies: list[list[str]]) -> None:
    text = "".join("- k: v\n" + "".join(f"{line}\n" for line in body) for body in bodies)
    found = pieces.item_pieces("apiVersion: v1\nitems:\n" + text)
    assert found is not None
    whole = "apiVersion: v1\nitems:\n" + text
    assert pieces.each_parses(whole, found) == [pieces.parses(whole[a:b]) for a, b in found]


def test_a_piece_left_open_fails_although_the_next_one_closes_it() -> None:
    whole = 'items:\n- a: "open\n- b: close"\n- c: 1\n'
    found = pieces.item_pieces("x: 1\n" + whole)
    assert found is not None
    assert pieces.each_parses("x: 1\n" + whole, found) == [False, True, True]  # `close"` is plain alone
    assert pieces.parses(whole)  # together they are one valid item


def test_a_directive_ending_a_piece_is_not_read_as_the_next_documents() -> None:
    """A "%YAML" line needs a "---" after it: the next piece's, in a batch (a review's
    counterexample; skim.py refuses such a piece anyway, as a line at column 0)."""
    text = "- k: v\n%YAML 1.1\n- k: v\n"
    assert pieces.each_parses(text, [(0, 17), (17, 24)]) == [False, True]


def test_each_parses_checks_big_inputs_a_batch_at_a_time() -> None:
    body = "- k: v\n" + "  a: 1\n" * 2000
    whole = "items:\n" + body * 40 + '- bad: "open\n' + body * 3
    found = pieces.item_pieces("x: 1\n" + whole)
    assert found is not None and len(found) == 44
    assert pieces.each_parses("x: 1\n" + whole, found) == [True] * 40 + [False] + [True] * 3


@pytest.mark.parametrize("line", ["a: b   ", "- x y   ", "k: [a , b ]  ", "# note   ", "            deep: 1  "])
def test_plain_block_fails_at_once_after_many_lines_it_could_split_two_ways(line: str) -> None:
    text = "- a: 1\n" + f"  {line}\n" * 200 + "  bad: |\n"
    with fails_after(10):
        assert not pieces.plain_block(text)
