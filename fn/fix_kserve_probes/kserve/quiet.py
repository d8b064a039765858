"""Resources the planner leaves alone, told from their text (``skim.py`` leaves them unread).

Each test answers True only when the parsed resource could not make the planner
(``plan.py``) change anything or say anything, whatever else the input holds; when
unsure it answers False, and the resource is read in full. The text is one item of a
ResourceList as kyaml lays it out (two spaces a level, the item's keys at column 2),
with no backslash: no escape can spell a word the tests look for.

- ``planner_words``: the planner or another resource's decision reads it
  (``plan``, ``sites.known``, ``modes.cluster_default_mode``, a List it expands,
  kpt's local-config items it must not count). Without those words it is passed over.
- ``agent_free``: an InferenceService that KServe gives no agent, with a name and a
  known deployment mode, so ``sites.find_sites`` finds nothing in it. It reads the keys
  ``components.agent_reasons`` and ``components.is_multi_model`` read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .components import AGENT_ANNOTATIONS, FRAMEWORKS, ISVC
from .modes import DEPLOYMENT_MODE, canonical_mode

Scalar = Callable[[str], Any]  # a one-line scalar token's value; ... when it is none

# Kinds and names some decision reads (besides InferenceServices: agent_free).
PLANNER_WORDS = ("InferenceService", "ServingRuntime", "inferenceservice-config", "local-config", "List", "\\")
# Anything that could give a component an agent, or hide a key behind an alias, merge
# key or tag: ``logger``/``batcher`` fields, the agent annotations, the multi-model
# container env, canaries (merged over the predictor), anchors, aliases and tags.
AGENT_WORDS = ("logger", "batcher", AGENT_ANNOTATIONS[0].rsplit("/", 1)[0], "MULTI_MODEL_SERVER", "canary",
               "\\", "*", "&", "!", "<<")

_END = r"[ ]*(?:#[^\n]*)?\n"  # the rest of a line that opens a block


def _lines_below(indent: int) -> str:
    """Any number of lines indented ``indent`` or more, or blank, or comments; each matches
    one way only, so a search that fails does not backtrack through them."""
    return rf"(?:(?:[ ]{{{indent}}}[^\n]*|[ ]{{0,{indent - 1}}}(?:#[^\n]*)?)\n)"


_NAME = re.compile(rf"{_lines_below(4)}*?    name:([^\n]*)")
_MODE = re.compile(rf"\n[ ]+{re.escape(DEPLOYMENT_MODE)}:([^\n]*)")
_PREDICTOR = re.compile(rf"{_lines_below(4)}*?    predictor:{_END}((?:[ ]{{6}}[^\n]*\n|[ ]{{0,5}}(?:#[^\n]*)?\n)*)")
_MODEL_FIELDS = ("model", *FRAMEWORKS)
_FIELD_LINES = tuple(f"\n      {key}:" for key in _MODEL_FIELDS)
_FIELD = re.compile(rf"\n      (?:{'|'.join(_MODEL_FIELDS)}):{_END}")
_STORAGE_URI = re.compile(rf"{_lines_below(8)}*?        storageUri:([^\n]*)")
_CONTAINERS = re.compile(rf"\n      containers:{_END}(?:[ ]*#[^\n]*\n)*[ ]{{6}}(?:[ ]{{2}})?-[ ]")
_PLAIN = re.compile(r"[ ]+(\S[^\n]*)")


def planner_words(text: str) -> tuple[str, ...]:
    """The words of ``PLANNER_WORDS`` in ``text``: none, and the planner passes it over."""
    return tuple(word for word in PLANNER_WORDS if word in text)


# What can spell a word or bring in keys from elsewhere: an escape, an alias, a merge key.
HIDING = ("\\", "*", "<<")


def runtime_may_inject(text: str) -> bool:
    """The item might be a runtime whose ``spec.annotations`` hold an agent annotation
    (``sites.Known``): then any InferenceService may have an agent."""
    # A sign's first character first: one character is found at memchr speed, "<<" is not
    # (0.1 ms against 2.8 ms in a 3.75 MB ResourceList, measured).
    hidden = any(sign[0] in text and sign in text for sign in HIDING)
    return ("ServingRuntime" in text or hidden) and (AGENT_WORDS[2] in text or hidden)


def agent_words(text: str) -> bool:
    """``text`` holds a word of ``AGENT_WORDS``: the quick test ``agent_free`` makes first."""
    return any(word in text for word in AGENT_WORDS)


def agent_free(text: str, scalar: Scalar, plain_block: Callable[[str], bool]) -> bool:
    """``text`` (one InferenceService) makes the planner find nothing: no agent, a name,
    no unknown deployment mode. ``plain_block`` (``yamltext.pieces``) says that the text
    is laid out in the form these regular expressions read."""
    if agent_words(text) or not plain_block(text):
        return False
    kinds = _item_keys(text, "kind")
    if len(kinds) != 1 or _value(_line_rest(text, kinds[0]), scalar) != ISVC:
        return False
    metadata = _item_keys(text, "metadata")
    name = _NAME.match(text, _next_line(text, metadata[0])) if len(metadata) == 1 else None
    if name is None or not isinstance(_value(name.group(1), scalar), str):
        return False
    modes = _MODE.findall(text) if "deploymentMode" in text else []
    if len(modes) != text.count("deploymentMode") or any(canonical_mode(_value(m, scalar)) is None for m in modes):
        return False
    return _not_multi_model(text, scalar)


def _not_multi_model(text: str, scalar: Scalar) -> bool:
    """``components.is_multi_model`` is False for ``spec.predictor``: it has a container
    list (whose env cannot set MULTI_MODEL_SERVER: that word is absent), or its one model
    field sets ``storageUri``. Anything else (``storage``, ``storageUris``, HuggingFace)
    is left to the full read."""
    spec = _item_keys(text, "spec")
    predictor = _PREDICTOR.match(text, _next_line(text, spec[0])) if len(spec) == 1 else None
    if predictor is None:
        return False
    body = "\n" + predictor.group(1)
    if "\n      containers:" in body and _CONTAINERS.search(body):
        return True
    fields = [needle for needle in _FIELD_LINES if needle in body]
    if len(fields) != 1 or body.count(fields[0]) != 1:
        return False
    field = _FIELD.match(body, body.index(fields[0]))
    uri = _STORAGE_URI.match(body, field.end()) if field else None
    return uri is not None and _value(uri.group(1), scalar) not in (None, ...)


def _item_keys(text: str, key: str) -> list[int]:
    """Where each line that holds the item's own ``key`` starts, past the key and its colon."""
    found = [len(key) + 3] if text.startswith(f"- {key}:") else []
    needle = f"\n  {key}:"
    at = text.find(needle)
    while at >= 0:
        found.append(at + len(needle))
        at = text.find(needle, at + 1)
    return found


def _line_rest(text: str, at: int) -> str:
    end = text.find("\n", at)
    return text[at:] if end < 0 else text[at:end]


def _next_line(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end + 1


def _value(rest: str, scalar: Scalar) -> Any:
    """The scalar after ``key:`` on a line; ... when there is none."""
    m = _PLAIN.fullmatch(rest)
    return scalar(m.group(1)) if m else ...
