"""The floor under any YAML-reading function: libyaml's events of the input, and nothing else.

Reads stdin as the function does (all of it, decoded as UTF-8) and pulls every event
from PyYAML's C parser, ``yaml._yaml.CParser``, the binding the function's scanner uses
(``fn/fix_kserve_probes/yamltext/parser.py``). No tree, no output. Issue 11's speed
targets are ratios of the function's CPU to this one's, measured in the same run.

    .venv/bin/python bench/event_walk.py < resource-list.yaml
"""

from __future__ import annotations

import sys


def main() -> int:
    from yaml._yaml import CParser

    text = sys.stdin.buffer.read().decode("utf-8")
    get = CParser(text).get_event
    count = 0
    while get() is not None:
        count += 1
    print(f"{count} events")
    return 0


if __name__ == "__main__":
    sys.exit(main())
