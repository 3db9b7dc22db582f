"""The loaders reproduce every hand-checked fact of tests/data/gold/seeds.json."""

from __future__ import annotations

from typing import Any

import pytest
from gold import RELATIONS, deadline_matches, find_task, load_gold, same_name, same_names, target_matches

from plankg.normalize import fold

GOLD = load_gold()
DOCS = GOLD["documents"]


def _doc_cases() -> list[tuple[str, str, Any]]:
    return [(name, key, value) for name, facts in DOCS.items() for key, value in facts["document"].items()]


@pytest.mark.parametrize(("name", "key", "expected"), _doc_cases(), ids=lambda v: str(v)[:30])
def test_document_fact(seed_dicts: dict[str, Any], name: str, key: str, expected: Any) -> None:
    doc = seed_dicts[name]["document"]
    if key == "title_contains":
        assert fold(expected) in fold(doc["title"] or "")
    elif key == "signer":
        assert doc["signer"] is not None and fold(doc["signer"]["name"]) == fold(expected)
    elif key == "number_in":
        assert doc["number"] in expected
    elif key == "issuer":
        assert same_name(doc["issuer"] or "", expected)
    else:
        assert doc[key] == expected


def _citation_cases() -> list[tuple[str, dict[str, Any]]]:
    return [(name, c) for name, facts in DOCS.items() for c in facts["cites"]]


def _case_id(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("number") or value["snippet"][:40])
    return str(value)[:4]


@pytest.mark.parametrize(("name", "gold"), _citation_cases(), ids=_case_id)
def test_citation(seed_dicts: dict[str, Any], name: str, gold: dict[str, Any]) -> None:
    record = seed_dicts[name]
    if gold.get("or_is_document_number") and record["document"]["number"] == gold["number"]:
        return
    found = [c for c in record["citations"] if c["number"] == gold["number"]]
    assert len(found) == 1, [c["number"] for c in record["citations"]]
    c = found[0]
    assert c["date"] == gold["date"]
    assert c["level"] == gold["level"]
    assert c["relation"] in RELATIONS[gold["relation"]]
    if "issuer" in gold:
        assert same_name(c["issuer"] or "", gold["issuer"])
    if "via" in gold:
        assert c["via"] == gold["via"]


def test_citations_have_no_extra_numbers(seed_dicts: dict[str, Any]) -> None:
    for name, facts in DOCS.items():
        expected = {c["number"] for c in facts["cites"]}
        got = {c["number"] for c in seed_dicts[name]["citations"]}
        assert got == expected, name


def _task_cases() -> list[tuple[str, dict[str, Any]]]:
    return [(name, t) for name, facts in DOCS.items() for t in facts["tasks"]]


@pytest.mark.parametrize(("name", "gold"), _task_cases(), ids=_case_id)
def test_task(seed_dicts: dict[str, Any], name: str, gold: dict[str, Any]) -> None:
    task = find_task(seed_dicts[name]["tasks"], gold["snippet"])
    assert task is not None, gold["snippet"]
    if "lead" in gold:
        assert same_names(task["lead"], gold["lead"]), task["lead"]
    if "support" in gold:
        assert same_names(task["support"], gold["support"]), task["support"]
    if "deadline" in gold:
        assert deadline_matches(task["deadline"], gold["deadline"]), task["deadline"]


def _target_cases() -> list[tuple[str, dict[str, Any]]]:
    return [(name, t) for name, facts in DOCS.items() for t in facts["targets"]]


@pytest.mark.parametrize(("name", "gold"), _target_cases(), ids=_case_id)
def test_target(seed_dicts: dict[str, Any], name: str, gold: dict[str, Any]) -> None:
    targets = seed_dicts[name]["targets"]
    assert any(target_matches(t, gold) for t in targets), [
        (t["text"], t["value"], t["unit"], t["comparator"], t["year"]) for t in targets
        if fold(gold["snippet"]) in fold(t["text"])]


def test_documents_without_gold_targets_have_none(seed_dicts: dict[str, Any]) -> None:
    for name, facts in DOCS.items():
        if facts["targets"] == []:
            assert seed_dicts[name]["targets"] == [], name
