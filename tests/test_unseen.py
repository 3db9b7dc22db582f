"""Documents the parser was not tuned on: other provinces, a decision with "Điều",
an upper-case title, a "57- NQ/TW" typo, "1-" numbering and a flattened task table.

Each ``tests/data/docs/NAME.txt`` has its hand-written facts in ``tests/data/facts/NAME.json``
(the shape of the seed gold).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gold import compare_facts

from plankg.loaders import load_file

DATA = Path(__file__).parent / "data"
CASES = sorted(p.stem for p in (DATA / "docs").glob("*.txt"))


@pytest.mark.parametrize("name", CASES)
def test_unseen_document_facts(name: str) -> None:
    facts = json.loads((DATA / "facts" / f"{name}.json").read_text(encoding="utf-8"))
    record = load_file(DATA / "docs" / f"{name}.txt").to_dict()
    assert compare_facts(facts, record) == []
    assert record["unparsed"] == []
