"""Comparison rules of the hand-checked gold facts (tests/data/gold/seeds.json).

Kept apart from the tests so the rules are written once: names compare after folding
case, Unicode form and spelling variants; a canonical name may add a jurisdiction
qualifier to the gold's unqualified name ("Sở Xây dựng" = "Sở Xây dựng tỉnh Lai Châu").
The gold's relation words map onto the contract's: implements -> applies,
references -> cites or based_on.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from plankg.normalize import fold

GOLD_PATH = Path(__file__).parent / "data" / "gold" / "seeds.json"
RELATIONS = {"implements": {"applies"}, "references": {"cites", "based_on"}, "attached_to": {"attached_to"},
             "applies": {"applies"}, "based_on": {"based_on"}, "cites": {"cites"}}
_QUALIFIER = re.compile(r"^(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn) \S.*$")
_BARE_UNIT = re.compile(r"(?:^|\s)(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|tỉnh ủy|thành ủy)$")
_PLACE = re.compile(r"\w+(?: \w+){0,3}")


def load_gold() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GOLD_PATH.read_text(encoding="utf-8"))
    return data


def same_name(predicted: str, gold: str) -> bool:
    p, g = fold(predicted), fold(gold)
    if p == g:
        return True
    if not p.startswith(g + " "):
        return False
    tail = p[len(g) + 1:]
    # "Sở Xây dựng" + "tỉnh Lai Châu"; "Văn phòng UBND tỉnh" + "Lâm Đồng" (a bare unit named).
    return bool(_QUALIFIER.match(tail)) or (bool(_BARE_UNIT.search(g)) and _PLACE.fullmatch(tail) is not None)


def same_names(predicted: list[str], gold: list[str]) -> bool:
    return len(predicted) == len(gold) and all(
        any(same_name(p, g) for p in predicted) for g in gold
    )


def find_task(tasks: list[dict[str, Any]], snippet: str) -> dict[str, Any] | None:
    key = fold(snippet)
    for task in tasks:
        if key in fold(task["text"]):
            return task
    return None


def deadline_matches(predicted: dict[str, Any] | None, gold: dict[str, Any]) -> bool:
    if predicted is None:
        return False
    for key, value in gold.items():
        got = predicted.get(key)
        if key in ("start", "end"):
            if got is None or not str(got).startswith(str(value)):
                return False
        elif got != value:
            return False
    return True


def target_matches(predicted: dict[str, Any], gold: dict[str, Any]) -> bool:
    if fold(gold["snippet"]) not in fold(predicted["text"]):
        return False
    value = predicted["value"]
    if value != gold["value"] and not (isinstance(value, list) and value == list(gold["value"]))\
            and not (isinstance(value, float) and isinstance(gold["value"], (int, float))
                     and abs(value - gold["value"]) < 1e-9):
        return False
    if fold(predicted["unit"] or "") != fold(gold["unit"]):
        return False
    if "comparator" in gold and predicted["comparator"] != gold["comparator"]:
        return False
    return not ("year" in gold and predicted["year"] != gold["year"])


def compare(name: str, record: dict[str, Any]) -> list[str]:
    """Every gold fact of seed document ``name`` that ``record`` gets wrong, as messages."""
    return compare_facts(load_gold()["documents"][name], record)


def compare_facts(facts: dict[str, Any], record: dict[str, Any]) -> list[str]:
    """Every fact of ``facts`` (the gold's per-document shape) that ``record`` gets wrong."""
    errors: list[str] = []
    doc = record["document"]
    for key, expected in facts["document"].items():
        if key == "title_contains":
            ok = fold(expected) in fold(doc["title"] or "")
        elif key == "signer":
            ok = doc["signer"] is not None and fold(doc["signer"]["name"]) == fold(expected)
        elif key == "number_in":
            ok = doc["number"] in expected
        elif key == "issuer":
            ok = same_name(doc["issuer"] or "", expected)
        else:
            ok = doc[key] == expected
        if not ok:
            errors.append(f"document.{key}: expected {expected!r}, got {doc.get(key.split('_')[0])!r}")
    by_number = {c["number"]: c for c in record["citations"]}
    for gold in facts["cites"]:
        if gold.get("or_is_document_number") and doc["number"] == gold["number"]:
            continue
        c = by_number.get(gold["number"])
        if c is None:
            errors.append(f"citation {gold['number']} missing")
            continue
        if c["date"] != gold["date"] or c["level"] != gold["level"] \
                or c["relation"] not in RELATIONS[gold["relation"]] \
                or ("issuer" in gold and not same_name(c["issuer"] or "", gold["issuer"])) \
                or ("via" in gold and c["via"] != gold["via"]):
            errors.append(f"citation {gold['number']}: {c}")
    extra = set(by_number) - {c["number"] for c in facts["cites"]}
    if extra:
        errors.append(f"unexpected citations {sorted(extra)}")
    for gold in facts["tasks"]:
        task = find_task(record["tasks"], gold["snippet"])
        if task is None:
            errors.append(f"task missing: {gold['snippet']!r}")
            continue
        if "lead" in gold and not same_names(task["lead"], gold["lead"]):
            errors.append(f"lead of {gold['snippet']!r}: {task['lead']}")
        if "support" in gold and not same_names(task["support"], gold["support"]):
            errors.append(f"support of {gold['snippet']!r}: {task['support']}")
        if "deadline" in gold and not deadline_matches(task["deadline"], gold["deadline"]):
            errors.append(f"deadline of {gold['snippet']!r}: {task['deadline']}")
    for gold in facts["targets"]:
        if not any(target_matches(t, gold) for t in record["targets"]):
            errors.append(f"target missing: {gold['snippet']!r}")
    if facts["targets"] == [] and record["targets"]:
        errors.append(f"unexpected targets: {[t['text'] for t in record['targets']]}")
    return errors
