"""Print the commands of the README's "Quick start" block, one per line.

``.ci/run`` executes exactly these, so CI and the README cannot drift apart.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def quickstart_commands(text: str) -> list[str]:
    m = re.search(r"^#+\s*Quick ?start.*?```[a-z]*\n(.*?)```", text, re.S | re.I | re.M)
    if m is None:
        raise SystemExit("README.md has no Quick start code block")
    return [line.strip() for line in m.group(1).splitlines() if line.strip() and not line.strip().startswith("#")]


if __name__ == "__main__":
    commands = quickstart_commands(README.read_text(encoding="utf-8"))
    if len(commands) != 2:
        sys.exit(f"Quick start must hold exactly two commands, found {len(commands)}")
    print("\n".join(commands))
