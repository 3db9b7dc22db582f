"""The single description of plankg's records, nodes and edges.

Loaders produce :class:`DocumentRecord` values; the graph stage turns them into nodes
and edges whose attributes are the fields below. Everything here is frozen: a record
is a value, safe to cache, compare and hash.

Glossary (Vietnamese -> field): *số ký hiệu* -> ``number``; *cơ quan ban hành* ->
``issuer``; *cơ quan chủ trì* -> ``lead``; *cơ quan phối hợp* -> ``support``;
*thời gian hoàn thành* -> ``deadline``; *chỉ tiêu* -> :class:`Target`;
*căn cứ* -> ``based_on``; *thực hiện / triển khai* -> ``applies``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Level(StrEnum):
    """Administrative level of an issuer or jurisdiction, highest first."""

    NATIONAL = "national"
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"

    @property
    def rank(self) -> int:
        """0 for national ... 3 for commune; lower ranks are higher in the hierarchy."""
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.NATIONAL: 0, Level.PROVINCE: 1, Level.DISTRICT: 2, Level.COMMUNE: 3}


class Relation(StrEnum):
    """Edge relations of the graph (see CONTRACT.md)."""

    PART_OF = "part_of"
    APPLIES = "applies"
    BASED_ON = "based_on"
    CITES = "cites"
    ATTACHED_TO = "attached_to"
    DERIVED_FROM = "derived_from"
    LEAD = "lead"
    SUPPORT = "support"
    ISSUED_BY = "issued_by"
    SUB_ORGANIZATION_OF = "sub_organization_of"


#: Strength order used when one document mentions another several times.
CITATION_STRENGTH = {
    Relation.ATTACHED_TO: 3,
    Relation.APPLIES: 2,
    Relation.BASED_ON: 1,
    Relation.CITES: 0,
}


class AgencyKind(StrEnum):
    """How an assignment names its agency."""

    SPECIFIC = "specific"          # "Sở Tài chính tỉnh Lai Châu"
    COLLECTIVE = "collective"      # "các cơ quan, đơn vị liên quan"
    DISTRIBUTIVE = "distributive"  # "UBND các xã, phường": addressed to each unit


class NodeKind(StrEnum):
    """Kinds of graph nodes."""

    DOCUMENT = "document"
    SECTION = "section"
    TASK = "task"
    TARGET = "target"
    AGENCY = "agency"


class LinkStatus(StrEnum):
    """Review state of a ``derived_from`` link."""

    PROPOSED = "proposed"    # inferred by plankg
    CONFIRMED = "confirmed"  # confirmed or added by a person in the curation file
    REJECTED = "rejected"    # rejected by a person: kept for the record, never proposed again


class LinkBand(StrEnum):
    """How far a ``derived_from`` link can be trusted, from its score (see :func:`link_band`)."""

    STRONG = "strong"  # right in every measured case: show as lineage
    LIKELY = "likely"  # right in most: worth a glance
    WEAK = "weak"      # mostly wrong: a candidate to review, not lineage


#: Lowest scores of the strong and likely bands, calibrated on the seed gold and synthetic
#: cascades (docs/lineage.md gives the measured precision of each band).
STRONG_SCORE = 0.5
LIKELY_SCORE = 0.3


def link_band(score: float | None, status: str | None = None) -> LinkBand | None:
    """The band of a link: a person's confirmation makes it strong; rejected links have none.

    >>> link_band(0.62), link_band(0.37), link_band(0.12), link_band(0.12, "confirmed")
    (<LinkBand.STRONG: 'strong'>, <LinkBand.LIKELY: 'likely'>, <LinkBand.WEAK: 'weak'>, <LinkBand.STRONG: 'strong'>)
    """
    if status == LinkStatus.REJECTED:  # (a str enum: equal to its value, without reading it)
        return None
    if status == LinkStatus.CONFIRMED:
        return LinkBand.STRONG
    if score is None:
        return None
    if score >= STRONG_SCORE:
        return LinkBand.STRONG
    return LinkBand.LIKELY if score >= LIKELY_SCORE else LinkBand.WEAK


class Part(StrEnum):
    """Which part of a plan an item sits in."""

    PREAMBLE = "preamble"
    PURPOSE = "purpose"            # Mục đích, yêu cầu; Quan điểm
    OBJECTIVES = "objectives"      # Mục tiêu, chỉ tiêu
    TASKS = "tasks"                # Nhiệm vụ, giải pháp; Nội dung
    ORGANISATION = "organisation"  # Tổ chức thực hiện
    OTHER = "other"


@dataclass(frozen=True)
class Deadline:
    """A deadline as written ("Thường xuyên, liên tục trong giai đoạn 2026-2030").

    ``start``/``end`` are the first and last day of the span; ``continuous`` marks
    "thường xuyên" work; ``recurrence`` is weekly/monthly/quarterly/semiannual/yearly or None.
    """

    text: str
    start: dt.date | None = None
    end: dt.date | None = None
    continuous: bool = False
    recurrence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "continuous": self.continuous,
            "recurrence": self.recurrence,
        }


@dataclass(frozen=True)
class Agency:
    """An agency as assigned in a document, with its canonical name."""

    name: str                       # canonical, jurisdiction-qualified when specific
    raw: str                        # exactly as written
    kind: AgencyKind = AgencyKind.SPECIFIC
    jurisdiction: str | None = None
    level: Level | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "raw": self.raw,
            "kind": self.kind.value,
            "jurisdiction": self.jurisdiction,
            "level": self.level.value if self.level else None,
        }


@dataclass(frozen=True)
class Signer:
    name: str
    position: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "position": self.position}


@dataclass(frozen=True)
class Citation:
    """A document referenced by the text, merged over all its mentions."""

    number: str
    type: str | None
    issuer: str | None
    date: dt.date | None
    level: Level | None
    relation: Relation
    via: str | None = None
    lines: tuple[int, ...] = ()
    subject: str | None = None    # what the cited document is about, as the text says

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "type": self.type,
            "issuer": self.issuer,
            "date": self.date.isoformat() if self.date else None,
            "level": self.level.value if self.level else None,
            "relation": self.relation.value,
            "via": self.via,
            "lines": list(self.lines),
            "subject": self.subject,
        }


@dataclass(frozen=True)
class Section:
    """A node of the document tree: a heading or numbered/bulleted item."""

    id: str
    path: tuple[str, ...]
    label: str
    text: str
    part: Part
    lines: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": list(self.path),
            "label": self.label,
            "text": self.text,
            "part": self.part.value,
            "lines": list(self.lines),
        }


@dataclass(frozen=True)
class Task:
    """A directive item with its effective lead, support and deadline."""

    id: str
    path: tuple[str, ...]
    text: str
    lead: tuple[Agency, ...]
    support: tuple[Agency, ...]
    deadline: Deadline | None
    part: Part
    lines: tuple[int, ...]
    product: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": list(self.path),
            "text": self.text,
            "lead": [a.name for a in self.lead],
            "support": [a.name for a in self.support],
            # The full agencies (kind, jurisdiction, level, spelling in the text).
            "lead_agencies": [a.to_dict() for a in self.lead],
            "support_agencies": [a.to_dict() for a in self.support],
            "deadline": self.deadline.to_dict() if self.deadline else None,
            "product": self.product,
            "part": self.part.value,
            "lines": list(self.lines),
        }


@dataclass(frozen=True)
class Target:
    """A quantified target ("Tỷ lệ che phủ rừng 45,83%")."""

    id: str
    path: tuple[str, ...]
    text: str
    indicator: str
    value: float | tuple[float, float]
    unit: str | None
    comparator: str
    year: int | None
    line: int

    def to_dict(self) -> dict[str, Any]:
        value: float | list[float]
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {
            "id": self.id,
            "path": list(self.path),
            "text": self.text,
            "indicator": self.indicator,
            "value": value,
            "unit": self.unit,
            "comparator": self.comparator,
            "year": self.year,
            "line": self.line,
        }


@dataclass(frozen=True)
class UnparsedLine:
    line: int
    text: str
    page: int | None = None  # PDF sources: the page the line is on
    lines: tuple[int, ...] = ()  # every source line joined into ``text``, when there are several

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"line": self.line, "text": self.text}
        if self.page is not None:
            out["page"] = self.page
        if len(self.lines) > 1:
            out["lines"] = list(self.lines)
        return out


@dataclass(frozen=True)
class Annotation:
    """A mark the cleaner takes out of the running text, kept with its source line.

    ``kind`` is ``"bookmark"`` (a Word anchor, ``[bookmark: name]``; ``text`` is its name),
    ``"footnote"`` (a superscript footnote reference, "66-NQ/TW¹"; ``text`` is the mark in
    plain digits, ``after`` the word it follows and ``note`` the footnote's text when the
    document gives it) or ``"note"`` (the footnote itself, "¹ Gồm ngân sách …": ``text`` is
    its mark, ``note`` its text).
    """

    line: int
    kind: str
    text: str
    after: str | None = None
    note: str | None = None
    page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"line": self.line, "kind": self.kind, "text": self.text}
        for key in ("after", "note", "page"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


@dataclass(frozen=True)
class DocumentInfo:
    """Header facts of one document."""

    id: str
    source: str
    type: str | None
    number: str | None
    symbol: str | None
    title: str | None
    issuer: str | None
    level: Level | None
    jurisdiction: str | None
    date: dt.date | None
    year: int | None
    place: str | None
    signer: Signer | None
    province: str | None = None   # the province the document speaks within
    month: int | None = None      # kept when the day is blank (a draft: "ngày   tháng 3 năm 2026")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "type": self.type,
            "number": self.number,
            "symbol": self.symbol,
            "title": self.title,
            "issuer": self.issuer,
            "level": self.level.value if self.level else None,
            "jurisdiction": self.jurisdiction,
            "date": self.date.isoformat() if self.date else None,
            "year": self.year,
            "month": self.month,
            "place": self.place,
            "signer": self.signer.to_dict() if self.signer else None,
            "province": self.province,
        }


@dataclass(frozen=True)
class DocumentRecord:
    """Everything a loader extracted from one document."""

    document: DocumentInfo
    citations: tuple[Citation, ...] = ()
    sections: tuple[Section, ...] = ()
    tasks: tuple[Task, ...] = ()
    targets: tuple[Target, ...] = ()
    agencies: tuple[Agency, ...] = ()
    unparsed: tuple[UnparsedLine, ...] = ()
    header_lines: tuple[int, ...] = field(default=())
    # Source lines without a letter or digit (rules "_____", "* * *"): recorded, so every
    # line with any text is accounted for.
    decoration_lines: tuple[int, ...] = ()
    # Bookmarks and footnote references taken out of the text, with their lines.
    annotations: tuple[Annotation, ...] = ()
    # Documents bound in the same file after this one (a decision's attached plan, the
    # plan's appendix), each a record of its own tied by an ``attached_to`` citation.
    attachments: tuple[DocumentRecord, ...] = ()

    def with_attachments(self) -> tuple[DocumentRecord, ...]:
        """This record and the records bound in the same file, in file order."""
        return (self, *(r for a in self.attachments for r in a.with_attachments()))

    def accounted_lines(self) -> set[int]:
        """The source lines this record holds (not its attachments): header and footer,
        decorations, annotations, sections and unparsed lines."""
        lines = {*self.header_lines, *self.decoration_lines, *(a.line for a in self.annotations)}
        for section in self.sections:
            lines.update(section.lines)
        for u in self.unparsed:
            lines.update((u.line, *u.lines))
        return lines

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of CONTRACT.md (plus extra fields)."""
        out = self._own_dict()
        if self.attachments:
            out["attachments"] = [a.to_dict() for a in self.attachments]
        return out

    def _own_dict(self) -> dict[str, Any]:
        return {
            "document": self.document.to_dict(),
            "citations": [c.to_dict() for c in self.citations],
            "tasks": [t.to_dict() for t in self.tasks],
            "targets": [t.to_dict() for t in self.targets],
            "sections": [s.to_dict() for s in self.sections],
            "agencies": [a.to_dict() for a in self.agencies],
            "unparsed": [u.to_dict() for u in self.unparsed],
            "header_lines": list(self.header_lines),
            **({"decoration_lines": list(self.decoration_lines)} if self.decoration_lines else {}),
            **({"annotations": [a.to_dict() for a in self.annotations]} if self.annotations else {}),
        }
