"""A person's decisions about lineage links, and how they survive edits of the documents.

The curation file is a CSV (``child,parent,status,reason``, then ``child_text`` and
``parent_text``). ``child`` and ``parent`` name the two tasks: a node id, or any reference
``plankg show`` accepts ("2233/KH-UBND II.1.b"). ``status`` is ``confirmed``, ``rejected``
or ``added``. The two text columns hold a snapshot of both tasks when the decision was
made: they are what the decision is about.

Ids of tasks are their addresses (document and item path), and addresses move: a bullet
inserted above a task renumbers it, a retouched title or a new number renames an unnumbered
plan. On every build each decision is **anchored** again:

1. to the nodes its ids name, when their texts still match the snapshot (or there is no
   snapshot yet);
2. otherwise to the one task whose text matches the snapshot, preferring the decision's own
   document, then tasks of its path;
3. otherwise the decision is **stale**: it is reported with both texts, kept in the file
   untouched, and not applied. It never moves to another task.

Anchored decisions are written back with their current ids and snapshots, so the file
always reads true; a bad row (an unknown status, a spreadsheet formula, a reference that
names nothing) is an error naming the file and line, and the other rows still apply.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from plankg.errors import LinkError, UnknownNodeError
from plankg.i18n import _
from plankg.model import LinkStatus, NodeKind
from plankg.normalize import collapse_spaces, fold

__all__ = ["CURATION_COLUMNS", "Anchoring", "Curation", "Decision", "anchor", "load_curation", "write_decision"]

CURATION_COLUMNS = ("child", "parent", "status", "reason", "child_text", "parent_text")
_REQUIRED = CURATION_COLUMNS[:3]
_ITEM_KINDS = (NodeKind.TASK.value, NodeKind.TARGET.value)
# A cell a spreadsheet would run: "=HYPERLINK(…)", "@SUM(…)", "+A1", "-cmd|…" (OWASP).
_FORMULA = re.compile(r"[=@]|[+-](?![\d.])")


@dataclass(frozen=True)
class Decision:
    child: str
    parent: str
    status: LinkStatus
    reason: str
    line: int
    child_text: str = ""
    parent_text: str = ""


@dataclass
class Curation:
    """A person's decisions about links, from the curation CSV; ``errors`` are its bad rows."""

    decisions: list[Decision] = field(default_factory=list)
    errors: list[LinkError] = field(default_factory=list)
    path: Path | None = None

    def rejected(self) -> set[tuple[str, str]]:
        return {(d.child, d.parent) for d in self.decisions if d.status is LinkStatus.REJECTED}

    def confirmed(self) -> dict[str, list[Decision]]:
        out: dict[str, list[Decision]] = defaultdict(list)
        for d in self.decisions:
            if d.status is LinkStatus.CONFIRMED:
                out[d.child].append(d)
        return out


def load_curation(path: Path | None) -> Curation:
    """Read a curation CSV. A file that cannot be read at all raises
    :class:`~plankg.errors.LinkError`; a bad row is kept in :attr:`Curation.errors` (with
    its line) and the other rows are read."""
    if path is None or not Path(path).exists():
        return Curation(path=Path(path) if path else None)
    name = str(path)
    try:
        text = _decode(Path(path).read_bytes(), name)
    except IsADirectoryError:
        raise LinkError(_("the curation file is a directory"), path=name) from None
    except OSError as exc:
        raise LinkError(_("cannot read the curation file: {reason}")
                        .format(reason=exc.strerror or exc), path=name) from None
    try:
        decisions, errors = _read_decisions(text, name)
    except csv.Error as exc:
        raise LinkError(_("the curation file is not valid CSV: {exc}").format(exc=exc), path=name) from None
    return Curation(decisions, errors, Path(path))


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")  # saved as "Unicode text" by a spreadsheet
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise LinkError(_("the curation file is not UTF-8 (byte {start}): save it as CSV UTF-8")
                        .format(start=exc.start), path=name,
                        line=line) from None


def _read_decisions(text: str, path: str) -> tuple[list[Decision], list[LinkError]]:
    decisions: list[Decision] = []
    errors: list[LinkError] = []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in _REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise LinkError(_("curation file needs columns {columns}; missing {missing}")
                        .format(columns=', '.join(CURATION_COLUMNS[:4]), missing=', '.join(missing)),
                        path=path, line=1)
    for row in reader:
        line = reader.line_num
        try:
            decisions.append(_decision(row, line, path))
        except LinkError as exc:
            errors.append(exc)
    return decisions, errors


def _decision(row: dict[str, Any], line: int, path: str) -> Decision:
    for column in _REQUIRED:
        cell = (row.get(column) or "").strip()
        if _FORMULA.match(cell):
            raise LinkError(_("the {column} cell is a spreadsheet formula ({cell!r}): write the id as text")
                            .format(column=column, cell=cell[:40]),
                            path=path, line=line)
    status = (row.get("status") or "").strip().lower()
    if status == "added":
        status = LinkStatus.CONFIRMED.value
    if status not in (LinkStatus.CONFIRMED.value, LinkStatus.REJECTED.value):
        raise LinkError(_("status must be confirmed, rejected or added, not {status!r}")
                        .format(status=row.get('status')),
                        path=path, line=line)
    child, parent = (row.get("child") or "").strip(), (row.get("parent") or "").strip()
    if not child or not parent:
        raise LinkError(_("child and parent ids are required"), path=path, line=line)
    return Decision(child, parent, LinkStatus(status), (row.get("reason") or "").strip(), line,
                    (row.get("child_text") or "").strip(), (row.get("parent_text") or "").strip())


def write_decision(path: Path, child: str, parent: str, status: str, reason: str, *,
                   child_text: str = "", parent_text: str = "") -> None:
    """Append one decision to the curation file, creating it with a header if needed."""
    new = not path.exists() or path.stat().st_size == 0
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if new:
            writer.writerow(CURATION_COLUMNS)
        writer.writerow([child, parent, status, reason, child_text, parent_text])


# --- anchoring ------------------------------------------------------------------------------

@dataclass
class Anchoring:
    """The decisions that apply (with their current ids), the stale ones, and the bad rows."""

    decisions: list[Decision] = field(default_factory=list)
    stale: list[Decision] = field(default_factory=list)
    moved: list[tuple[Decision, Decision]] = field(default_factory=list)  # (as written, as anchored)
    errors: list[LinkError] = field(default_factory=list)


def text_key(text: str | None) -> str:
    """What two snapshots of one task share: case, spacing, Unicode form and spelling folded."""
    return collapse_spaces(fold(text or "")).rstrip(" .;:")


def anchor(G: Any, curation: Curation) -> Anchoring:
    """Anchor every decision of ``curation`` to the nodes of ``G`` (see the module docstring)."""
    from plankg.graph.refs import GraphNodes, resolve

    result = Anchoring(errors=list(curation.errors))
    by_text: dict[str, list[str]] = defaultdict(list)
    for node, data in G.nodes(data=True) if curation.decisions else ():  # (no decisions: no lookups)
        if data.get("kind") in _ITEM_KINDS:
            by_text[text_key(data.get("text"))].append(node)
    nodes = GraphNodes(G)
    name = str(curation.path) if curation.path else None

    def end(ref: str, snapshot: str, line: int) -> str | None:
        if ref in G and (not snapshot or text_key(G.nodes[ref].get("text")) == text_key(snapshot)):
            return ref
        if snapshot:
            return _by_snapshot(ref, by_text.get(text_key(snapshot), []))
        try:
            found = resolve(ref, nodes)
        except UnknownNodeError as exc:
            result.errors.append(LinkError(_("{ref!r} names no task: {reason}")
                                           .format(ref=ref, reason=str(exc).splitlines()[0]), path=name,
                                           line=line))
            return None
        if G.nodes[found].get("kind") not in _ITEM_KINDS:
            result.errors.append(LinkError(_("{ref!r} is a {kind}, not a task or target")
                                           .format(ref=ref, kind=G.nodes[found].get('kind')),
                                           path=name, line=line))
            return None
        return found

    for d in curation.decisions:
        errors = len(result.errors)
        child, parent = end(d.child, d.child_text, d.line), end(d.parent, d.parent_text, d.line)
        if len(result.errors) > errors:
            continue
        if child is None or parent is None:
            result.stale.append(d)
            continue
        now = replace(d, child=child, parent=parent, child_text=G.nodes[child].get("text") or "",
                      parent_text=G.nodes[parent].get("text") or "")
        result.decisions.append(now)
        if now != d:
            result.moved.append((d, now))
    return result


def _by_snapshot(old: str, candidates: list[str]) -> str | None:
    """The one task with the snapshot's text: in the decision's own document when several,
    then at its old path; None when there is none, or no way to choose."""
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    document, _, path = old.partition("#")
    same = [c for c in candidates if c.partition("#")[0] == document] or candidates
    if len(same) == 1:
        return same[0]
    at_path = [c for c in same if c.partition("#")[2] == path]
    return at_path[0] if len(at_path) == 1 else None


def rewrite(path: Path, anchoring: Anchoring) -> bool:
    """Write the anchored decisions' ids and snapshots back into their rows; every other row
    (stale, bad, extra columns) stays as it was. Returns whether the file changed."""
    if not anchoring.moved:
        return False
    raw = path.read_bytes()
    text = _decode(raw, str(path))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = list(reader.fieldnames or [])
    fields += [c for c in CURATION_COLUMNS if c not in fields]
    rows = [(reader.line_num, row) for row in reader]
    if any(None in row for _, row in rows):
        return False  # a row with more cells than the header: left for its author to mend
    updates = {old.line: new for old, new in anchoring.moved}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for line, row in rows:
        new = updates.get(line)
        if new is not None:
            row.update(child=new.child, parent=new.parent, child_text=new.child_text, parent_text=new.parent_text)
        writer.writerow({k: ("" if v is None else v) for k, v in row.items() if k is not None})
    data = out.getvalue().encode("utf-8-sig" if raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))
                                 else "utf-8")
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True
