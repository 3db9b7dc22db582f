"""The 2025 mergers of ministries and provincial departments, from a data table.

On 1 March 2025 the Government went to 14 ministries and the provinces merged their
departments: Sở Kế hoạch và Đầu tư into Sở Tài chính, Sở Thông tin và Truyền thông into Sở
Khoa học và Công nghệ, Sở Tài nguyên và Môi trường with Sở Nông nghiệp và Phát triển nông thôn
into Sở Nông nghiệp và Môi trường, and so on. A task a 2022 plan gave Sở Kế hoạch và Đầu tư is
now Sở Tài chính's work: ``plankg agency "Sở Tài chính"`` lists it, marked as assigned before
the merger. The table (``data/agency_mergers.csv``) gives each merger's old and new name, date,
whether the whole body went to the new one, and its legal source.

Agency ids do not change: a body that continues (Sở Tài chính, which took in Sở Kế hoạch và
Đầu tư) keeps its name and so its id; a body that ceased keeps the id it had.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plankg.normalize import search_key

TABLE = Path(__file__).parent / "data" / "agency_mergers.csv"


@dataclass(frozen=True)
class Merger:
    """One row of the table: ``before`` went (``whole`` or in part) into ``after`` on ``date``."""

    level: str
    before: str
    after: str
    date: dt.date
    whole: bool
    source: str

    @property
    def short_source(self) -> str:
        """The source's number and date ("Nghị định số 45/2025/NĐ-CP ngày 28/02/2025")."""
        return self.source.split(" của ", 1)[0]


@functools.cache
def agency_mergers() -> tuple[Merger, ...]:
    """The rows of the table, in its order.

    >>> [m.after for m in agency_mergers() if m.before == "Sở Kế hoạch và Đầu tư"]
    ['Sở Tài chính']
    """
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return tuple(Merger(row["level"], row["before"], row["after"], dt.date.fromisoformat(row["date"]),
                            row["whole"] == "yes", row["source"]) for row in csv.DictReader(handle))


def name_key(text: str) -> str:
    """A name's :func:`search_key` with punctuation as spaces: how names are matched to the table.

    >>> name_key("Sở Lao động - Thương binh và Xã hội")
    'so lao dong thuong binh va xa hoi'
    """
    return re.sub(r"[^a-z0-9]+", " ", search_key(text)).strip()


@functools.cache
def _by_key() -> dict[str, tuple[Merger, ...]]:
    out: dict[str, list[Merger]] = {}
    for merger in agency_mergers():
        out.setdefault(name_key(merger.before), []).append(merger)
    return {k: tuple(v) for k, v in out.items()}


def successors(name: str, jurisdiction: str | None = None, *,
               provinces: list[str] | None = None) -> list[tuple[str, Merger]]:
    """The names ``name`` goes on under after a merger, with the merger: the new body's name
    with the same jurisdiction, and with the province the old one was merged into
    (``provinces``, when the caller knows them: :func:`mark_merged_provinces`; else they are
    looked up in the list of administrative units).

    >>> [n for n, _ in successors("Sở Kế hoạch và Đầu tư tỉnh Kon Tum", "tỉnh Kon Tum")]
    ['Sở Tài chính tỉnh Kon Tum', 'Sở Tài chính tỉnh Quảng Ngãi']
    >>> [n for n, _ in successors("Bộ Tài nguyên và Môi trường")]
    ['Bộ Nông nghiệp và Môi trường']
    >>> successors("Sở Tài chính tỉnh Lai Châu", "tỉnh Lai Châu")
    []
    """
    base, tails = name, [""]
    if jurisdiction and name.endswith(" " + jurisdiction):
        base = name[: -len(jurisdiction) - 1]
        merged = provinces if provinces is not None else _merged_provinces(jurisdiction)
        tails = [" " + jurisdiction, *(" " + p for p in merged)]
    out = []
    for merger in _by_key().get(name_key(base), ()):
        out += [(merger.after + tail, merger) for tail in tails]
    return list(dict.fromkeys(out))


def _merged_provinces(jurisdiction: str) -> list[str]:
    """The provinces a province of before 1 July 2025 was merged into, when it did not go on alone."""
    from plankg.graph.units import Era, unit_table
    from plankg.model import Level

    table = unit_table()
    found = table.resolve(jurisdiction, era=Era.BEFORE, level=Level.PROVINCE).unit
    if found is None or found.level is not Level.PROVINCE:
        return []
    return [u.name for u in table.successors(found) if not table.continues(found, u)]


def merged_into(data: dict[str, Any], key: str) -> tuple[str, Merger] | None:
    """For an agency node that does not match the search ``key`` (:func:`search_key` of what
    was asked), the body it merged into that does, with the merger; else None."""
    name = data.get("name") or ""
    for successor, merger in successors(name, data.get("jurisdiction"), provinces=data.get("merged_provinces")):
        if key in search_key(successor):
            return successor, merger
    return None


def mark_merged_provinces(G: Any) -> None:
    """Give each agency named as a body that merged in 2025 followed by its province ("Sở Kế
    hoạch và Đầu tư tỉnh Kon Tum") ``merged_provinces``: the provinces its province was merged
    into (none for one that went on alone). Done once by the build, so that ``plankg agency``
    finds the body under its successor's name without reading the list of administrative
    units (about a second) at every question.
    """
    for _node, data in G.nodes(data=True):
        jurisdiction = data.get("jurisdiction")
        if data.get("kind") != "agency" or not jurisdiction:
            continue
        name = data.get("name") or ""
        if name.endswith(" " + jurisdiction) and name_key(name[: -len(jurisdiction) - 1]) in _by_key():
            data["merged_provinces"] = _merged_provinces(jurisdiction)
