"""Readable plain-text output: summaries of parsed documents (``plankg parse``) and query results."""

from __future__ import annotations

import dataclasses
import json
import re
import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from plankg.i18n import N_, NP_, _, ngettext, pgettext, term
from plankg.model import DocumentRecord, Relation

if TYPE_CHECKING:  # the graph stage (and networkx) is only imported when a graph is printed
    from plankg.graph.queries import AgencyTask, CascadeNode, DeadlineEntry, Gaps, Hit, Step
    from plankg.graph.workspace import BuildReport


def dumps_json(obj: Any) -> str:
    """The project's JSON style: UTF-8 text, NFC, no ASCII escapes, stable key order."""
    return json.dumps(obj, ensure_ascii=False, indent=2)


def records_json(records: list[DocumentRecord]) -> str:
    """One object for one record, a list for several (CONTRACT.md)."""
    if len(records) == 1:
        return dumps_json(records[0].to_dict())
    return dumps_json([r.to_dict() for r in records])


#: The attributes ``plankg show`` lists, named in the reader's language (the keys of the JSON stay).
ATTRIBUTES: dict[str, str] = {
    "agency_kind": NP_("attribute", "agency_kind"), "comparator": NP_("attribute", "comparator"),
    "date": NP_("attribute", "date"), "deadline_continuous": NP_("attribute", "deadline_continuous"),
    "deadline_end": NP_("attribute", "deadline_end"), "deadline_recurrence": NP_("attribute", "deadline_recurrence"),
    "deadline_start": NP_("attribute", "deadline_start"), "deadline_text": NP_("attribute", "deadline_text"),
    "document": NP_("attribute", "document"), "indicator": NP_("attribute", "indicator"),
    "issuer": NP_("attribute", "issuer"), "jurisdiction": NP_("attribute", "jurisdiction"),
    "label": NP_("attribute", "label"), "lead": NP_("attribute", "lead"), "level": NP_("attribute", "level"),
    "lines": NP_("attribute", "lines"), "name": NP_("attribute", "name"), "number": NP_("attribute", "number"),
    "part": NP_("attribute", "part"), "path": NP_("attribute", "path"), "place": NP_("attribute", "place"),
    "placeholder": NP_("attribute", "placeholder"), "product": NP_("attribute", "product"),
    "province": NP_("attribute", "province"), "source": NP_("attribute", "source"),
    "support": NP_("attribute", "support"), "text": NP_("attribute", "text"), "title": NP_("attribute", "title"),
    "type": NP_("attribute", "type"), "unit": NP_("attribute", "unit"), "value": NP_("attribute", "value"),
    "year": NP_("attribute", "year"), "band": NP_("attribute", "band"), "cited_in": NP_("attribute", "cited_in"),
    "evidence": NP_("attribute", "evidence"), "inferred": NP_("attribute", "inferred"),
    "method": NP_("attribute", "method"), "score": NP_("attribute", "score"), "status": NP_("attribute", "status"),
    "admin_unit": NP_("attribute", "admin_unit"), "unit_code": NP_("attribute", "unit_code"),
    "unit_name": NP_("attribute", "unit_name"), "merged_provinces": NP_("attribute", "merged_provinces"),
}

#: Attributes whose values are vocabulary words (:data:`TERMS`).
_TERM_ATTRIBUTES = frozenset({"agency_kind", "band", "kind", "level", "part", "status"})


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
    if d.number:
        number = d.number
    else:
        number = _("(no number, {symbol})").format(symbol=d.symbol) if d.symbol else _("(no number)")
    if d.date:
        date = d.date.isoformat()
    elif d.year and d.month:
        date = _("{month:02d}/{year} (day left blank)").format(month=d.month, year=d.year)
    else:
        date = str(d.year or "-")
    if d.place:
        date = _("{date}, {place}").format(date=date, place=d.place)
    if d.signer and d.signer.position:
        date = _("{date}; signed by {name}, {position}").format(date=date, name=d.signer.name,
                                                               position=d.signer.position)
    elif d.signer:
        date = _("{date}; signed by {name}").format(date=date, name=d.signer.name)
    lines = [d.source, f"  {d.type or _('Document')} {number}"]
    lines += _field(_("Title:"), d.title or "-")
    lines += _field(_("Issuer:"), _("{issuer} (level {level}, jurisdiction {jurisdiction})").format(
        issuer=d.issuer or "-", level=term(d.level) or "-", jurisdiction=d.jurisdiction or "-"))
    lines += _field(_("Date:"), date)
    for relation, title in ((Relation.ATTACHED_TO, N_("Attached to:")), (Relation.APPLIES, N_("Applies:")),
                            (Relation.BASED_ON, N_("Based on:")), (Relation.CITES, N_("Cites:"))):
        cites = [c for c in record.citations if c.relation is relation]
        if cites:
            lines += _field(_(title), "; ".join(_citation(c) for c in cites))
    with_lead = sum(1 for t in record.tasks if t.lead)
    with_deadline = sum(1 for t in record.tasks if t.deadline)
    lines += _field(_("Tasks:"), _("{count} ({lead} with a lead, {deadline} with a deadline)").format(
        count=len(record.tasks), lead=with_lead, deadline=with_deadline))
    lines += _field(_("Targets:"), str(len(record.targets)))
    lines += _field(_("Unparsed:"), ngettext("{count} line", "{count} lines", len(record.unparsed))
                    .format(count=len(record.unparsed)))
    lines.extend(f"    {_unparsed_at(u)}: {u.text[:100]}" for u in record.unparsed)
    return "\n".join(lines)


#: Summaries are read in a terminal: every line fits in 80 columns.
SUMMARY_WIDTH = 80


#: The labels of a summary's value column (the rare "Attached to:" may stand out of it).
_LABELS = (N_("Title:"), N_("Issuer:"), N_("Date:"), N_("Applies:"), N_("Based on:"), N_("Cites:"), N_("Tasks:"),
           N_("Targets:"), N_("Unparsed:"))


def _field(label: str, value: str) -> list[str]:
    """ "  Title:    …" wrapped at :data:`SUMMARY_WIDTH`, continuation lines under the value."""
    width = max(len(_(known)) for known in _LABELS)
    head = f"  {label:<{width}} "
    return textwrap.wrap(value, SUMMARY_WIDTH, initial_indent=head, subsequent_indent=" " * len(head),
                         break_on_hyphens=False, break_long_words=False) or [head.rstrip()]


def _unparsed_at(u: Any) -> str:
    if u.page is not None:
        return _("page {page}, line {line}").format(page=u.page, line=u.line)
    return _("line {line}").format(line=u.line)


def _citation(c: Any) -> str:
    extra = ", ".join(x for x in (c.issuer, c.date.isoformat() if c.date else None) if x)
    cited = f"{c.number}" + (f" ({extra})" if extra else "")
    return _("{citation} via {via}").format(citation=cited, via=c.via) if c.via else cited


# Control characters other than tab and newline: shown as escapes, never sent to a terminal
# (a document title or file name carrying "\x1b]0;…" would retitle or clear the window).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(value: str) -> str:
    r"""``value`` with control characters shown as escapes.

    >>> print(printable("KẾ HOẠCH\x1b[2J"))
    KẾ HOẠCH\x1b[2J
    """
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), value)


# Characters XML 1.0 cannot hold at all, not even as references: C0 controls other than
# tab, newline and carriage return, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    r"""``value`` with the characters XML 1.0 forbids replaced by U+FFFD, visibly.

    GraphML, GEXF and RDF/XML must be well-formed for every reader; a stray control
    character copied out of a Word file or a PDF would otherwise make the whole file
    unreadable. The JSON, Turtle and N-Triples exports escape such characters and keep them.

    >>> xml_text("Sở Y tế\x0b(phối hợp)\x01")
    'Sở Y tế�(phối hợp)�'
    """
    return _NOT_XML.sub("\ufffd", value)


def format_summaries(records: Iterable[DocumentRecord], *, tasks: bool = False) -> str:
    """Summaries of ``records``; documents bound in the same file follow their file's first.
    With ``tasks``, each summary is followed by its tasks (item, text, lead, deadline)."""
    out: list[str] = []
    for record in records:
        parts = record.with_attachments()
        out.append(format_summary(record) + (format_tasks(record) if tasks else ""))
        for k, part in enumerate(parts[1:], start=2):
            summary = format_summary(part).split("\n", 1)
            out.append(_("{source} (document {k} of {n} in the file)").format(source=summary[0], k=k, n=len(parts))
                       + f"\n{summary[1]}"
                       + (format_tasks(part) if tasks else ""))
    return printable("\n\n".join(out))


def format_tasks(record: DocumentRecord) -> str:
    """The tasks of one record, one block each: item path and text, then lead, support and deadline.

    >>> from plankg.loaders import load_text
    >>> print(format_tasks(load_text("KẾ HOẠCH\\nThử\\n1. Sở Y tế chủ trì, hoàn thành trong năm 2026.\\n")))
    <BLANKLINE>
    Tasks (1):
      1  Sở Y tế chủ trì, hoàn thành trong năm 2026.
         lead: Sở Y tế · deadline: trong năm 2026
    """
    import textwrap

    lines = ["", _("Tasks ({count}):").format(count=len(record.tasks))]
    for task in record.tasks:
        lines += textwrap.wrap(f"{'/'.join(task.path)}  {task.text}", 78, initial_indent="  ",
                               subsequent_indent="     ", break_long_words=False)
        notes = [_("lead: {agencies}").format(agencies=", ".join(a.name for a in task.lead)) if task.lead else "",
                 _("support: {agencies}").format(agencies=", ".join(a.name for a in task.support))
                 if task.support else "",
                 _("deadline: {deadline}").format(deadline=task.deadline.text) if task.deadline else ""]
        if any(notes):
            lines += textwrap.wrap(" · ".join(n for n in notes if n), 78, initial_indent="     ",
                                   subsequent_indent="     ", break_long_words=False)
    return "\n".join(lines)


# --- workspace and queries ------------------------------------------------------------
# What the query commands print: readable text by default, JSON (``--json``) for scripts.

def query_json(result: Any) -> str:
    """JSON of a query result: dataclasses become objects, tuples lists."""
    return dumps_json(_plain(result))


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def format_build_report(report: BuildReport) -> str:
    """The one line ``plankg build`` prints.

    >>> from pathlib import Path
    >>> from plankg.graph.workspace import BuildReport
    >>> format_build_report(BuildReport(Path(".plankg"), 5, 2, 3, 214, 34))
    'Built workspace .plankg: 5 documents (2 parsed, 3 reused), 214 tasks, 34 links'
    >>> format_build_report(BuildReport(Path(".plankg"), 1, 1, 0, 1, 1))
    'Built workspace .plankg: 1 document (1 parsed, 0 reused), 1 task, 1 link'
    """
    return _("Built workspace {workspace}: {documents} ({parsed} parsed, {reused} reused), {tasks}, {links}").format(
        workspace=report.workspace, parsed=report.parsed, reused=report.reused,
        documents=ngettext("{count} document", "{count} documents", report.documents).format(count=report.documents),
        tasks=ngettext("{count} task", "{count} tasks", report.tasks).format(count=report.tasks),
        links=ngettext("{count} link", "{count} links", report.links).format(count=report.links))


def _where(kind: str, node: str, level: str | None, placeholder: bool = False) -> str:
    extra = ", ".join(x for x in (term(level), _("not loaded") if placeholder else None) if x)
    return f"{term(kind)} {node}" + (f" ({extra})" if extra else "")


def _link(relation: str | None, score: float | None, status: str | None, band: str | None = None) -> str:
    """"derived_from 0.37 likely proposed": the score's band (strong, likely, weak) beside it."""
    return " ".join(x for x in (term(relation), f"{score:.2f}" if score is not None else None, term(band),
                                term(status)) if x)


def format_lineage(steps: list[Step]) -> str:
    """A lineage, start first: each node with its text, and the edge that leads up from it.

    >>> from plankg.graph.queries import Step
    >>> print(format_lineage([Step("p#3", "task", "Du lịch", "Du lịch cộng đồng", "p", "commune"),
    ...                       Step("kh#1", "task", "Du lịch", "Phát triển du lịch", "kh", "national",
    ...                            "derived_from", 0.8, "tfidf", "proposed", ("du lịch",))]))
    task p#3 (commune)
      Du lịch cộng đồng
      ↑ derived_from 0.80 proposed (tfidf; evidence: "du lịch")
    task kh#1 (national)
      Phát triển du lịch
    """
    lines: list[str] = []
    for i, step in enumerate(steps):
        if i:
            up = _link(step.relation, step.score, step.status, step.band)
            evidence = _("evidence: {phrases}").format(phrases="; ".join(f'"{e}"' for e in step.evidence))
            notes = "; ".join(x for x in (step.method, evidence if step.evidence else None) if x)
            lines.append(f"  ↑ {up}" + (f" ({notes})" if notes else ""))
        lines.append(_where(step.kind, step.id, step.level, step.placeholder))
        if step.kind == "document":
            lines.append(f"  {step.label}")
        if step.text:
            lines.append(f"  {step.text}")
    return "\n".join(lines)


def format_cascade(root: CascadeNode) -> str:
    """A cascade tree: each lower document or task under the node it comes from.

    >>> from plankg.graph.queries import CascadeNode
    >>> child = CascadeNode("p#3", "task", "Du lịch cộng đồng", None, "p", "commune", "derived_from", 0.8,
    ...                     "proposed", ("UBND phường",), "Năm 2026")
    >>> print(format_cascade(CascadeNode("kh#1", "task", "Phát triển du lịch", None, "kh", "national",
    ...                                  children=(child,))))
    task kh#1 (national)  Phát triển du lịch
    └── derived_from 0.80 proposed: task p#3 (commune)  Du lịch cộng đồng  [lead: UBND phường; deadline: Năm 2026]
    """
    lines = [_cascade_line(root)]

    def walk(node: CascadeNode, prefix: str) -> None:
        for i, child in enumerate(node.children):
            last = i == len(node.children) - 1
            link = _link(child.relation, child.score, child.status, child.band)
            lines.append(f"{prefix}{'└── ' if last else '├── '}{link}: " + _cascade_line(child))
            walk(child, prefix + ("    " if last else "│   "))

    walk(root, "")
    return "\n".join(lines)


def _cascade_line(node: CascadeNode) -> str:
    notes = "; ".join(x for x in (_("lead: {agencies}").format(agencies=", ".join(node.lead)) if node.lead else None,
                                  _("deadline: {deadline}").format(deadline=node.deadline) if node.deadline else None,
                                  node.note)
                      if x)
    return f"{_where(node.kind, node.id, node.level, node.placeholder)}  {node.label}" + (
        f"  [{notes}]" if notes else "")


def format_gaps(found: Gaps) -> str:
    """The kinds of gaps, grouped by the documents involved; orphans by their reason."""
    not_loaded = tuple(g for g in found.orphans if g.reason == "not-loaded")
    no_match = tuple(g for g in found.orphans if g.reason != "not-loaded")
    sections = [
        (_("Uncascaded ({count}): higher tasks meant for the lower level (no lead, an agency of that level, a "
           "collective lead) that the lower document does not take up"), found.uncascaded),
        (_("Orphans, no matching directive ({count}): tasks of lower documents that no loaded higher task matches"),
         no_match),
        (_("Orphans, directive not loaded ({count}): tasks whose plan implements documents that are cited but not "
           "loaded (load them and build again)"), not_loaded),
        (_("Weak links only ({count}): tasks whose only parent is a weak candidate: review them (plankg review)"),
         found.weak),
        (_("Unpicked ({count}): tasks given to every commune that a loaded commune document does not take up"),
         found.unpicked),
    ]
    if found.inherited:
        sections.append((_("Inherited ({count}): tasks that plans made for the units before the 2025 "
                           "reorganisation gave this level, that the document does not take up"), found.inherited))
    lines: list[str] = []
    for title, gaps in sections:
        lines.append(title.format(count=len(gaps)))
        group: tuple[str | None, str] | None = None
        for gap in gaps:
            if (gap.lower, gap.document) != group:
                group = (gap.lower, gap.document)
                head = f"  {gap.lower} ← {gap.document}" if gap.lower else f"  {gap.document}"
                lines.append(head + ("  " + _("(not loaded: {documents})").format(documents=", ".join(gap.missing))
                                     if gap.missing else ""))
            notes = [_("lead: {agencies}").format(agencies=", ".join(gap.lead)) if gap.lead else "",
                     gap.agency or "", _("inherited: {note}").format(note=gap.note) if gap.note else ""]
            if gap.parent and gap.score is not None:
                notes.append(_("weak {score:.2f}: {parent}").format(score=gap.score, parent=gap.parent))
            elif gap.parent:
                notes.append(gap.parent)
            note = "; ".join(n for n in notes if n)
            # The item number within the group's document; the whole id when it has none.
            item = gap.path if gap.path and gap.task.endswith("#" + gap.path) else gap.task
            lines.append(f"    {item}  {gap.label}" + (f"  [{note}]" if note else ""))
    return "\n".join(lines)


def fit(text: str, width: int | None) -> str:
    """``text`` with each line longer than ``width`` wrapped at spaces, its continuation lines
    indented four more than the line itself (ids and words are never cut); as it is when
    ``width`` is None.

    >>> print(fit("  II/1/b  Rà soát, cập nhật quy hoạch  [lead: Sở Xây dựng]", 30))
      II/1/b  Rà soát, cập nhật
          quy hoạch  [lead: Sở Xây
          dựng]
    """
    if width is None:
        return text
    out: list[str] = []
    for line in text.splitlines():
        if len(line) <= width:
            out.append(line)
            continue
        indent = " " * (len(line) - len(line.lstrip(" ")))
        out += textwrap.wrap(line, width, subsequent_indent=indent + "    ", break_long_words=False,
                             break_on_hyphens=False) or [line]
    return "\n".join(out)


def format_agency_tasks(rows: list[AgencyTask], name: str) -> str:
    """Tasks per agency: role, task id, label and deadline."""
    if not rows:
        return _("No task is led or supported by an agency matching {name!r}.").format(name=name)
    lines: list[str] = []
    roles = [term(r.role) or "" for r in rows]
    width = max(7, *(len(role) for role in roles))
    for agency_id in dict.fromkeys(r.agency_id for r in rows):
        mine = [r for r in rows if r.agency_id == agency_id]
        lines.append(ngettext("{agency} ({id}): {count} task", "{agency} ({id}): {count} tasks", len(mine))
                     .format(agency=mine[0].agency, id=agency_id, count=len(mine)))
        if mine[0].note:
            lines.append("  " + mine[0].note)
        lines.extend(f"  {term(r.role) or '':<{width}} {r.task}  {r.label}"
                     + ("  [" + _("deadline: {deadline}").format(deadline=r.deadline) + "]" if r.deadline else "")
                     for r in mine)
    return "\n".join(lines)


def format_hits(hits: list[Hit], text: str) -> str:
    """Search results, best first: kind, id, label."""
    if not hits:
        return _("No match for {text!r}.").format(text=text)
    kinds = [term(h.kind) or "" for h in hits]
    width = max(8, *(len(kind) for kind in kinds))
    return "\n".join(f"{kind:<{width}} {h.id}  {h.label}" for kind, h in zip(kinds, hits, strict=True))


def format_show(node: dict[str, Any], *, limit: int = 10) -> str:
    """A node's attributes, then its edges by direction and relation (at most ``limit`` each)."""
    attrs = node["attributes"]
    lines = [f"{term(attrs.get('kind', 'node'))} {node['id']}"]
    lines.extend(f"  {_attribute(key)}: {_value(value, key)}" for key, value in attrs.items()
                 if key not in ("id", "kind"))
    for direction, title, arrow in (("out", N_("Out:"), "→"), ("in", N_("In:"), "←")):
        if not node[direction]:
            continue
        lines.append(_(title))
        for relation, entries in node[direction].items():
            for entry in entries[:limit]:
                extra = {k: v for k, v in entry.items() if k not in ("id", "kind", "label")}
                notes = "; ".join(f"{_attribute(k)} {_value(v, k)}" for k, v in extra.items())
                lines.append(f"  {term(relation)} {arrow} {term(entry['kind'])} {entry['id']}  {entry['label']}"
                             + (f"  [{notes}]" if notes else ""))
            if len(entries) > limit:
                more = _("… and {count} more (--json lists all)").format(count=len(entries) - limit)
                lines.append(f"  {term(relation)} {arrow} {more}")
    return "\n".join(lines)


def _attribute(key: str) -> str:
    return pgettext("attribute", ATTRIBUTES[key]) if key in ATTRIBUTES else key


def _value(value: Any, key: str | None = None) -> str:
    if isinstance(value, list):
        return "; ".join(_value(v, key) for v in value) if value else "-"
    if isinstance(value, bool):
        return _("True") if value else _("False")
    if key in _TERM_ATTRIBUTES and isinstance(value, str):
        return term(value) or value
    return "-" if value is None else str(value)


def format_stats(counts: dict[str, Any]) -> str:
    """Counts per node kind, relation, document level and link status, one line each.

    >>> print(format_stats({"nodes": {"task": 2}, "edges": {"part_of": 2},
    ...                     "documents": {"national": {"loaded": 1, "placeholder": 2}},
    ...                     "links": {"proposed": 1, "confirmed": 0, "rejected": 0}}))
    Nodes:     task 2
    Edges:     part_of 2
    Documents: national 1 loaded + 2 not loaded
    Links:     proposed 1, confirmed 0, rejected 0
    """
    def pairs(d: dict[str, int]) -> str:
        return ", ".join(f"{term(k)} {v}" for k, v in d.items()) or "-"

    documents = ", ".join(_("{level} {loaded} loaded + {placeholder} not loaded").format(
        level=term(level), loaded=c["loaded"], placeholder=c["placeholder"])
        for level, c in counts["documents"].items()) or "-"
    rows = [(_("Nodes:"), pairs(counts["nodes"])), (_("Edges:"), pairs(counts["edges"])),
            (_("Documents:"), documents), (_("Links:"), pairs(counts["links"]))]
    units = counts.get("units")
    if units:
        line = _("{resolved} resolved to an official unit, {missing} not found").format(
            resolved=units["resolved"], missing=units["not_found"])
        if units["not_found_names"]:
            from plankg.graph.units import listed

            line += ": " + listed(units["not_found_names"])
        rows.append((_("Units:"), line))
    width = max(len(label) for label, _values in rows)
    return "\n".join(f"{label:<{width}} {value}" for label, value in rows)


def format_deadlines(entries: list[DeadlineEntry]) -> str:
    """Dated tasks by end date, then ongoing ones with their deadline text."""
    dated = [e for e in entries if not e.is_ongoing]
    ongoing = [e for e in entries if e.is_ongoing]
    lines = [_("By date ({count}):").format(count=len(dated))]
    lines.extend(f"  {e.end}  {e.task}  {e.label}  [{e.deadline}]" for e in dated)
    lines.append(_("Continuous, recurring or undated ({count}):").format(count=len(ongoing)))
    lines.extend(f"  {e.task}  {e.label}  [{e.deadline}]" for e in ongoing)
    return "\n".join(lines)


def format_review_item(G: Any, item: Any, number: int, total: int, width: int = 78) -> str:
    """One link under review: the score and band, both texts wrapped, the shared phrases."""
    import textwrap

    def block(title: str, node: str) -> list[str]:
        data = G.nodes[node]
        document = G.nodes[data["document"]] if data.get("document") in G else {}
        where = f"{data.get('path') or ''} · {document.get('label') or data.get('document') or ''}"
        head = _cut(f"{_(title)}: {where}", width)
        body = textwrap.wrap(data.get("text") or data.get("label") or node, width - 2) or [""]
        return [head, *(f"  {line}" for line in body), f"  ({node})"]

    lines = [f"[{number}/{total}] {term(item.band) or '-'} {item.score:.2f}"]
    lines += block(N_("Task"), item.child)
    lines += block(N_("Proposed parent"), item.parent)
    if item.evidence:
        lines += textwrap.wrap(_("Shared: {phrases}").format(phrases="; ".join(f'"{e}"' for e in item.evidence)),
                               width, subsequent_indent="  ")
    return "\n".join(lines)


def format_offer(G: Any, offer: Any, number: int, width: int = 78) -> str:
    """One other parent offered during a review, on one line."""
    data = G.nodes[offer.parent]
    words = data.get("text") or data.get("label") or ""
    return _cut(f"  {number}. {offer.score:.2f}  {data.get('path') or ''}  {words}", width)


def _cut(line: str, width: int) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"


def format_jurisdiction(found: Any) -> str:
    """A unit with its code, predecessors and successors, and the plans made for it and for
    its predecessors (:func:`plankg.graph.units.jurisdiction`)."""
    unit = found.unit
    lines = [f"{unit.describe()}  {unit.id}"]

    def succession(title: str, rows: Any) -> None:
        lines.append(title.format(n=len(rows)))
        for row in rows:
            share = _("whole") if row.whole else _("part")
            lines.append(f"  {row.date}  {row.unit.describe()}  ({share})")

    succession(_("Predecessors ({n}):"), found.predecessors)
    succession(_("Successors ({n}):"), found.successors)
    lines.append(_("Plans ({n}):").format(n=len(found.plans)))
    for plan in found.plans:
        when = plan.date or (str(plan.year) if plan.year else "-")
        lines.append(f"  {plan.document}  {plan.label}  ({when})")
        if plan.inherited:
            lines.append("    " + _("inherited: {note}").format(note=plan.note))
        elif plan.later:
            lines.append("    " + _("made for its successor {unit}").format(unit=plan.unit_name))
    return "\n".join(lines)
