"""Refresh the ``$ plankg parse FILE`` examples of README.md and docs/tour.md from real runs.

Usage: ``python scripts/gen_parse_examples.py [--check]``. Each example is a ```text block whose
first line is ``$ plankg parse NAME``; NAME is a file of ``../shared/realdocs`` (the development
corpus beside the repository). The block's other lines are replaced by what ``plankg parse``
prints today. ``--check`` only reports stale blocks (exit status 1). Without the corpus the
script says so and changes nothing.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from click.testing import CliRunner

from plankg.cli import cli

ROOT = Path(__file__).resolve().parents[1]
REALDOCS = ROOT.parent / "shared" / "realdocs"
DOCS = (ROOT / "README.md", ROOT / "docs" / "tour.md")
_BLOCK = re.compile(r"```text\n\$ plankg parse (?P<name>\S+)\n(?P<body>.*?)```", re.S)


def render(text: str) -> str:
    """``text`` with every parse example's output replaced by a real run's."""

    def run(m: re.Match[str]) -> str:
        result = CliRunner().invoke(cli, ["parse", str(REALDOCS / m.group("name"))])
        output = result.stdout.replace(str(REALDOCS) + "/", "")
        return f"```text\n$ plankg parse {m.group('name')}\n{output}```"

    return _BLOCK.sub(run, text)


def main() -> int:
    if not REALDOCS.is_dir():
        print(f"no corpus at {REALDOCS}: examples left as they are")
        return 0
    stale = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        fresh = render(text)
        if fresh != text:
            stale.append(path)
            if "--check" not in sys.argv:
                path.write_text(fresh, encoding="utf-8")
    for path in stale:
        print(("stale: " if "--check" in sys.argv else "wrote ") + str(path.relative_to(ROOT)))
    return 1 if stale and "--check" in sys.argv else 0


if __name__ == "__main__":
    sys.exit(main())
