"""Hand-checked facts about the real documents of ``../shared/realdocs`` (tests/data/realfacts).

The documents themselves are not in the repository: tests that read them skip when the
folder is absent. Each fact file covers one document, in every format it comes in (a
Công báo PDF and its text twin share one file), and lists every document bound in
that file (a decision, then the plan attached to it), their citations, a sample of
task rows and (``not_tasks``) lines that are no task (a committee's members). Names compare
by the rules of :mod:`gold`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gold import deadline_matches, same_name, same_names

from plankg.errors import PlankgError
from plankg.loaders import load_file
from plankg.normalize import fold

REALDOCS = Path(__file__).resolve().parents[2] / "shared" / "realdocs"
# What a plan does with a document it names: implements it, is issued with it, or only
# refers to it. Legal basis and mention are one class, as in the seeds' gold: where a
# "Căn cứ" names a law or a resolution, only whether the plan implements it is a fact.
RELATIONS = {"applies": {"applies"}, "attached_to": {"attached_to"}, "based_on": {"based_on", "cites"},
             "cites": {"based_on", "cites"}}
FACTS = Path(__file__).parent / "data" / "realfacts"


def fact_files() -> list[Path]:
    return sorted(FACTS.glob("*.json"))


def load_facts(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def cases() -> list[tuple[str, str]]:
    """(fact file stem, document file name) for every file a fact file covers."""
    return [(path.stem, name) for path in fact_files() for name in load_facts(path)["files"]]


def check_file(stem: str, name: str) -> list[str]:
    """Every fact about ``name`` that plankg gets wrong, as messages (empty when all hold)."""
    facts = load_facts(FACTS / f"{stem}.json")
    try:
        record = load_file(REALDOCS / name)
    except PlankgError as exc:
        if "error" in facts and fold(facts["error"]) in fold(str(exc)):
            return []
        return [f"error: {exc}"]
    if "error" in facts:
        return [f"expected the error {facts['error']!r}, got a record"]
    records = [r.to_dict() for r in record.with_attachments()]
    errors: list[str] = []
    for k, doc_facts in enumerate(facts["documents"]):
        found = _match(doc_facts, records, k)
        if found is None:
            errors.append(f"document {k + 1} missing: {doc_facts['document'].get('title_contains')!r}")
            continue
        errors.extend(f"document {k + 1}: {e}" for e in _check_document(doc_facts, found))
    tasks = [t for r in records for t in r["tasks"]]
    for gold in facts.get("tasks", []):
        # A plan often states a task twice, as a bullet of its text and as a row of its
        # appendix table that assigns it: the fact holds when one of them bears it out.
        candidates = [t for t in tasks if fold(gold["snippet"]) in fold(t["text"])]
        if not candidates:
            errors.append(f"task missing: {gold['snippet']!r}")
            continue
        errors.extend(min((_check_task(gold, t) for t in candidates), key=len))
    for snippet in facts.get("not_tasks", []):
        # A line that names people or offices (a committee's members) and gives no work.
        if any(fold(snippet) in fold(t["text"]) for t in tasks):
            errors.append(f"read as a task: {snippet!r}")
    return errors


def _check_task(gold: dict[str, Any], task: dict[str, Any]) -> list[str]:
    errors = []
    if "lead" in gold and not same_names(task["lead"], gold["lead"]):
        errors.append(f"lead of {gold['snippet']!r}: {task['lead']} (expected {gold['lead']})")
    if "support" in gold and not same_names(task["support"], gold["support"]):
        errors.append(f"support of {gold['snippet']!r}: {task['support']} (expected {gold['support']})")
    if "deadline" in gold and not deadline_matches(task["deadline"], gold["deadline"]):
        errors.append(f"deadline of {gold['snippet']!r}: {task['deadline']} (expected {gold['deadline']})")
    return errors


def _match(doc_facts: dict[str, Any], records: list[dict[str, Any]], k: int) -> dict[str, Any] | None:
    """The record a fact document describes: the file's first for the first, else by title."""
    if k == 0:
        return records[0]
    wanted = fold(doc_facts["document"].get("title_contains") or "")
    for record in records[1:]:
        if wanted and wanted in fold(record["document"]["title"] or ""):
            return record
    return records[k] if k < len(records) else None


def _check_document(facts: dict[str, Any], record: dict[str, Any]) -> list[str]:
    errors: list[str] = []
    doc = record["document"]
    for key, expected in facts["document"].items():
        if key == "title_contains":
            ok = fold(expected) in fold(doc["title"] or "")
        elif key == "issuer":
            ok = same_name(doc["issuer"] or "", expected)
        else:
            ok = doc.get(key) == expected
        if not ok:
            got = doc["title"] if key == "title_contains" else doc.get(key)
            errors.append(f"{key}: expected {expected!r}, got {got!r}")
    by_number = {fold(c["number"]): c for c in record["citations"]}
    for gold in facts["cites"]:
        c = by_number.get(fold(gold["number"]))
        if c is None:
            errors.append(f"citation {gold['number']} missing")
            continue
        wrong = [key for key in ("date", "level") if key in gold and c[key] != gold[key]]
        # Where a document allows two readings ("Căn cứ" a programme the plan may or may not
        # carry out), its fact lists both under "relation_either".
        allowed = set().union(*(RELATIONS[r] for r in gold.get("relation_either", [gold["relation"]])))
        if c["relation"] not in allowed:
            wrong.append("relation")
        if "issuer" in gold and not same_name(c["issuer"] or "", gold["issuer"]):
            wrong.append("issuer")
        if wrong:
            errors.append(f"citation {gold['number']} {', '.join(wrong)}: {_short(c)} (expected {_short(gold)})")
    extra = set(by_number) - {fold(c["number"]) for c in facts["cites"]}
    if extra:
        errors.append(f"unexpected citations {sorted(by_number[e]['number'] for e in extra)}")
    return errors


def _short(c: dict[str, Any]) -> str:
    return ", ".join(f"{k}={c.get(k)}" for k in ("relation", "issuer", "date", "level"))


if __name__ == "__main__":  # python tests/realdocs.py: the report, file by file
    total = 0
    for stem, name in cases():
        problems = check_file(stem, name)
        total += len(problems)
        print(f"{name}: {len(problems)} wrong")
        for problem in problems:
            print(f"    {problem}")
    print(f"{total} facts wrong")
