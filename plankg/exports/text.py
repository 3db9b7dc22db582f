"""Readable plain-text summaries of parsed documents (what ``plankg parse`` prints)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from plankg.model import DocumentRecord, Relation


def dumps_json(obj: Any) -> str:
    """The project's JSON style: UTF-8 text, NFC, no ASCII escapes, stable key order."""
    return json.dumps(obj, ensure_ascii=False, indent=2)


def records_json(records: list[DocumentRecord]) -> str:
    """One object for one record, a list for several (CONTRACT.md)."""
    if len(records) == 1:
        return dumps_json(records[0].to_dict())
    return dumps_json([r.to_dict() for r in records])


def format_summary(record: DocumentRecord) -> str:
    """A short human summary of one record.

    >>> from plankg.loaders import load_text
    >>> print(format_summary(load_text("Số: 7/KH-UBND\\nKẾ HOẠCH\\nThử\\n1. Sở Y tế chủ trì.", source="a.txt")))
    a.txt
      Kế hoạch 7/KH-UBND
      Title:    Thử
      Issuer:   - (level -, jurisdiction -)
      Date:     -
      Tasks:    1 (1 with a lead, 0 with a deadline)
      Targets:  0
      Unparsed: 0 lines
    """
    d = record.document
    number = d.number or (f"(no number, {d.symbol})" if d.symbol else "(no number)")
    lines = [
        d.source,
        f"  {d.type or 'Document'} {number}",
        f"  Title:    {d.title or '-'}",
        f"  Issuer:   {d.issuer or '-'} (level {d.level or '-'}, jurisdiction {d.jurisdiction or '-'})",
        f"  Date:     {d.date.isoformat() if d.date else (d.year or '-')}"
        + (f", {d.place}" if d.place else "")
        + (f"; signed by {d.signer.name}" + (f", {d.signer.position}" if d.signer.position else "")
           if d.signer else ""),
    ]
    for relation, title in ((Relation.ATTACHED_TO, "Attached to"), (Relation.APPLIES, "Applies"),
                            (Relation.BASED_ON, "Based on"), (Relation.CITES, "Cites")):
        cites = [c for c in record.citations if c.relation is relation]
        if cites:
            lines.append(f"  {title + ':':<9} " + "; ".join(_citation(c) for c in cites))
    with_lead = sum(1 for t in record.tasks if t.lead)
    with_deadline = sum(1 for t in record.tasks if t.deadline)
    lines.append(f"  Tasks:    {len(record.tasks)} ({with_lead} with a lead, {with_deadline} with a deadline)")
    lines.append(f"  Targets:  {len(record.targets)}")
    lines.append(f"  Unparsed: {len(record.unparsed)} lines")
    lines.extend(f"    line {u.line}: {u.text[:100]}" for u in record.unparsed)
    return "\n".join(lines)


def _citation(c: Any) -> str:
    extra = ", ".join(x for x in (c.issuer, c.date.isoformat() if c.date else None) if x)
    via = f" via {c.via}" if c.via else ""
    return f"{c.number}" + (f" ({extra})" if extra else "") + via


def format_summaries(records: Iterable[DocumentRecord]) -> str:
    return "\n\n".join(format_summary(r) for r in records)
