"""Official administrative units and their succession across the 2025 reorganisation.

On 1 July 2025 Vietnam went from 63 provinces to 34, abolished the district level and merged
communes and wards. A document names its unit as it stood on the document's date: "thành
phố Lai Châu" in a 2022 plan is a district that no longer exists; its territory is now
phường Tân Phong and phường Đoàn Kết. This module resolves such names to official units
with their code (*mã đơn vị hành chính*) and answers which units came before and after.

The units come from the ``vietnamadminunits`` package (its data files only, read without
importing the package): the 63 provinces, their districts and communes before the
reorganisation, the 34 provinces and their communes after it, and the mapping of old
communes to new ones. ``docs/units.md`` says why this dataset and how much of the corpus
it resolves. Nothing here needs the network.

A unit's id carries its code: ``unit:03388`` is a unit in force from 1 July 2025,
``unit:03389@pre2025`` one of before (codes were reused, so the era is part of the id).
The country itself is ``unit:VN`` (ISO 3166-1; the official code list starts at provinces).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from plankg.model import Level
from plankg.normalize import nfc, strip_accents

#: The day the reorganised units took office (provinces merged, districts abolished, communes merged).
REORGANISATION = dt.date(2025, 7, 1)

#: The dataset read, pinned in pyproject.toml.
DATASET = "vietnamadminunits"


class Era(StrEnum):
    """Which list of units a name is resolved against."""

    BEFORE = "pre2025"  # 63 provinces, districts, communes before 1 July 2025
    AFTER = "2025"      # 34 provinces and their communes from 1 July 2025


@dataclass(frozen=True)
class Unit:
    """An official administrative unit.

    ``name`` is written as plankg writes jurisdictions ("phường Đoàn Kết", "tỉnh Lai Châu");
    ``province`` is the name of the province it belongs to (itself for a province) and
    ``district`` the district of a commune before 2025.
    """

    code: str
    name: str
    level: Level
    era: Era
    province: str | None = None
    province_code: str | None = None
    district: str | None = None
    district_code: str | None = None

    @property
    def id(self) -> str:
        """Stable id: the code, with the era for units before the reorganisation.

        >>> Unit("12", "tỉnh Lai Châu", Level.PROVINCE, Era.BEFORE).id
        'unit:12@pre2025'
        """
        if self.level is Level.NATIONAL:
            return f"unit:{self.code}"
        return f"unit:{self.code}" if self.era is Era.AFTER else f"unit:{self.code}@{self.era.value}"

    @property
    def valid_from(self) -> dt.date | None:
        """First day in office (only known for the reorganised units)."""
        return REORGANISATION if self.era is Era.AFTER and self.level is not Level.NATIONAL else None

    @property
    def valid_until(self) -> dt.date | None:
        """Last day in office of a unit of before the reorganisation."""
        return REORGANISATION - dt.timedelta(days=1) if self.era is Era.BEFORE else None

    def describe(self) -> str:
        """The name with its code and, for a former unit, the era.

        >>> Unit("105", "thành phố Lai Châu", Level.DISTRICT, Era.BEFORE, "tỉnh Lai Châu").describe()
        'thành phố Lai Châu, tỉnh Lai Châu (code 105, before 1 July 2025)'
        """
        where = f", {self.province}" if self.province and self.province != self.name else ""
        if self.district and self.district != self.name:
            where = f", {self.district}{where}"
        era = ", before 1 July 2025" if self.era is Era.BEFORE else ""
        return f"{self.name}{where} (code {self.code}{era})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "code": self.code, "name": self.name, "level": self.level.value, "era": self.era.value,
            "province": self.province, "province_code": self.province_code,
            "district": self.district, "district_code": self.district_code,
        }


@dataclass(frozen=True)
class Succession:
    """``before`` was succeeded by ``after`` on ``date``; ``whole`` when all of ``before``'s
    territory went to ``after`` (a commune merged whole, a province merged), not a part
    (a district split among new communes, a commune divided)."""

    before: Unit
    after: Unit
    date: dt.date
    whole: bool

    def to_dict(self) -> dict[str, Any]:
        return {"before": self.before.id, "after": self.after.id, "date": self.date.isoformat(),
                "whole": self.whole}


COUNTRY = Unit("VN", "Việt Nam", Level.NATIONAL, Era.AFTER)

# Type words a name starts with, with the level they usually mean ("thành phố" is a province
# or a district; the level given by the caller decides).
_TYPES: tuple[tuple[str, tuple[Level, ...]], ...] = (
    ("thành phố", (Level.PROVINCE, Level.DISTRICT)),
    ("tỉnh", (Level.PROVINCE,)),
    ("huyện", (Level.DISTRICT,)),
    ("quận", (Level.DISTRICT,)),
    ("thị xã", (Level.DISTRICT,)),
    ("thị trấn", (Level.COMMUNE,)),
    ("đặc khu", (Level.COMMUNE,)),
    ("phường", (Level.COMMUNE,)),
    ("xã", (Level.COMMUNE,)),
)


def name_key(name: str) -> str:
    """The comparison key of a unit name: no case, diacritics, spaces or punctuation
    (the dataset's own key form).

    >>> name_key("Phường Đoàn  Kết"), name_key("phường 1 Bảo Lộc")
    ('phuongdoanket', 'phuong1baoloc')
    """
    return re.sub(r"[^a-z0-9]", "", strip_accents(nfc(name)).lower())


def levels_of(name: str) -> tuple[Level, ...]:
    """The levels a name's type word allows; all below national when it has none.

    >>> levels_of("thành phố Lai Châu")
    (<Level.PROVINCE: 'province'>, <Level.DISTRICT: 'district'>)
    >>> levels_of("Đoàn Kết")
    (<Level.PROVINCE: 'province'>, <Level.DISTRICT: 'district'>, <Level.COMMUNE: 'commune'>)
    """
    low = nfc(name).strip().lower()
    for word, levels in _TYPES:
        if low.startswith(word + " "):
            return levels
    return (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)


def era_of(date: dt.date | None = None, year: int | None = None, month: int | None = None) -> Era | None:
    """The list a document's names are read against: its date decides; a year alone
    decides except 2025 without a month; None when nothing is known.

    >>> era_of(dt.date(2022, 7, 5)), era_of(year=2026), era_of(year=2025), era_of(year=2025, month=9)
    (<Era.BEFORE: 'pre2025'>, <Era.AFTER: '2025'>, None, <Era.AFTER: '2025'>)
    """
    if date is not None:
        return Era.BEFORE if date < REORGANISATION else Era.AFTER
    if year is None:
        return None
    if year != REORGANISATION.year:
        return Era.BEFORE if year < REORGANISATION.year else Era.AFTER
    if month is None:
        return None
    return Era.BEFORE if month < REORGANISATION.month else Era.AFTER


@dataclass(frozen=True)
class Resolution:
    """The answer for one name: the unit, or why there is none (``"not-found"``,
    ``"ambiguous"`` with the candidates)."""

    name: str
    unit: Unit | None
    reason: str | None = None
    candidates: tuple[Unit, ...] = ()


@dataclass
class UnitTable:
    """The official units of both eras, indexed by name key, and their succession.

    >>> table = unit_table()
    >>> table.resolve("phường Đoàn Kết", era=Era.AFTER, province="tỉnh Lai Châu").unit.code
    '03388'
    >>> table.resolve("phường Đoàn Kết", era=Era.BEFORE, province="tỉnh Lai Châu").unit.code
    '03389'
    >>> sorted(u.name for u in table.successors(table.resolve("thành phố Lai Châu", era=Era.BEFORE).unit))
    ['phường Tân Phong', 'phường Đoàn Kết']
    """

    units: dict[str, Unit] = field(default_factory=dict)
    keys: dict[tuple[Era, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    after: dict[str, list[tuple[str, bool]]] = field(default_factory=lambda: defaultdict(list))
    before: dict[str, list[tuple[str, bool]]] = field(default_factory=lambda: defaultdict(list))
    available: bool = True
    problem: str | None = None  # why the dataset could not be read, when it could not

    def add(self, unit: Unit, full: str, keywords: str | None) -> str:
        """Add ``unit`` (once) under its name's key and the dataset's keywords; its id."""
        uid = unit.id
        if uid not in self.units:
            self.units[uid] = unit
            # The dataset's keywords hold the typed key ("phuongdoanket") and spelling variants.
            keys = set(json.loads(keywords)) if keywords else {name_key(full)}
            for key in sorted(keys):
                self.keys[(unit.era, key)].append(uid)
        return uid

    def link(self, old: str, new: str, whole: bool) -> None:
        if old in self.units and new in self.units and (new, whole) not in self.after[old]:
            self.after[old].append((new, whole))
            self.before[new].append((old, whole))

    def get(self, unit_id: str) -> Unit | None:
        return COUNTRY if unit_id == COUNTRY.id else self.units.get(unit_id)

    def resolve(self, name: str, *, era: Era | None = None, province: str | None = None,
                level: Level | str | None = None) -> Resolution:
        """The unit ``name`` means in ``era`` (None: the new list, then the old one), within
        ``province`` when several units share the name ("phường 1"). A name found only in
        the other era's list resolves there (a 2026 text recalling "tỉnh Kon Tum").
        """
        key = name_key(name)
        if key in ("vietnam", "nuoccnxhcnvietnam", "cacnuoccnxhcnvietnam"):
            return Resolution(name, COUNTRY)
        levels = levels_of(name)
        # The caller's level is a preference: "UBND thành phố Hồ Chí Minh" may come tagged as a
        # district by its type word, yet the city is a province.
        tries = [(Level(level),), levels] if level is not None and Level(level) in levels else [levels]
        order = [era] if era is not None else [Era.AFTER, Era.BEFORE]
        order += [e for e in (Era.AFTER, Era.BEFORE) if e not in order]
        ambiguous: tuple[Unit, ...] = ()
        for current, allowed in ((e, lv) for e in order for lv in tries):
            found = [self.units[i] for i in self.keys.get((current, key), ()) if self.units[i].level in allowed]
            if not found:
                continue
            # The highest level first: "thành phố Hà Nội" is the province, not a district.
            top = min(u.level.rank for u in found)
            found = [u for u in found if u.level.rank == top]
            if province and found[0].level is not Level.PROVINCE and self._provinces(province, current):
                # Within the document's province: "phường Đông Phong" of tỉnh Tây Ninh is not
                # the ward of that name in Lai Châu (a name of no unit there is kept as text).
                found = self._within(found, province, current)
                if not found:
                    continue
            if len(found) == 1:
                return Resolution(name, found[0])
            ambiguous = ambiguous or tuple(sorted(found, key=lambda u: u.id))
        if ambiguous:
            return Resolution(name, None, "ambiguous", ambiguous)
        return Resolution(name, None, "not-found")

    def _within(self, units: list[Unit], province: str, era: Era) -> list[Unit]:
        codes = {u.code for u in self._provinces(province, era)}
        return [u for u in units if u.province_code in codes]

    def _provinces(self, name: str, era: Era) -> list[Unit]:
        """The provinces of ``era`` a province name means: itself, or for a name of the other
        era the provinces it was merged into or merged from."""
        key = name_key(name)
        same = [self.units[i] for i in self.keys.get((era, key), ()) if self.units[i].level is Level.PROVINCE]
        if same:
            return same
        other = Era.AFTER if era is Era.BEFORE else Era.BEFORE
        linked = [u for i in self.keys.get((other, key), ()) if self.units[i].level is Level.PROVINCE
                  for u in (*self.successors(self.units[i]), *self.predecessors(self.units[i]))]
        return [u for u in linked if u.level is Level.PROVINCE]

    def continues(self, before: Unit, after: Unit) -> bool:
        """Whether ``after`` is ``before`` going on unchanged: same code and name, its one
        predecessor and successor (tỉnh Lai Châu, which merged with no other province)."""
        return (before.code, before.name) == (after.code, after.name) and \
            [u.id for u in self.successors(before)] == [after.id] and \
            [u.id for u in self.predecessors(after)] == [before.id]

    def successors(self, unit: Unit) -> tuple[Unit, ...]:
        """The units that took over ``unit``'s territory on 1 July 2025."""
        return tuple(self.units[i] for i, _ in sorted(self.after.get(unit.id, ())))

    def predecessors(self, unit: Unit) -> tuple[Unit, ...]:
        """The units whose territory, or part of it, ``unit`` took over."""
        return tuple(sorted((self.units[i] for i, _ in self.before.get(unit.id, ())),
                            key=lambda u: (u.level.rank, u.name, u.id)))

    def successions(self, unit: Unit) -> Iterator[Succession]:
        """Every succession ``unit`` takes part in, as predecessor or successor."""
        for other, whole in sorted(self.after.get(unit.id, ())):
            yield Succession(unit, self.units[other], REORGANISATION, whole)
        for other, whole in sorted(self.before.get(unit.id, ())):
            yield Succession(self.units[other], unit, REORGANISATION, whole)

    def search(self, name: str) -> list[Unit]:
        """Every unit of either era whose name key is ``name``'s (for a person's query)."""
        key = name_key(name)
        levels = levels_of(name)
        found = [self.units[i] for era in Era for i in self.keys.get((era, key), ()) if self.units[i].level in levels]
        return sorted(found, key=lambda u: (u.era is Era.BEFORE, u.level.rank, u.province or "", u.id))


def dataset_dir() -> Path | None:
    """The installed dataset's data folder, found without importing the package (its
    address parser pulls in geometry libraries plankg does not need)."""
    spec = importlib.util.find_spec(DATASET)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    return folder if (folder / "dataset.db").is_file() else None


def dataset_version() -> str | None:
    """The installed dataset's version (recorded in docs/units.md's measurement)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DATASET)
    except PackageNotFoundError:
        return None


@functools.cache
def unit_table() -> UnitTable:
    """The table of units, read once per process; empty (``available`` False) when the
    dataset is not installed, so every name stays text and is reported as not found."""
    folder = dataset_dir()
    if folder is None:
        return UnitTable(available=False, problem=f"{DATASET} is not installed")
    return read_table(folder)


def read_table(folder: Path) -> UnitTable:
    """The table of the dataset files in ``folder``; a damaged install gives an empty table
    that says why, never an exception: a build goes on with the names as text."""
    try:
        return _read_table(folder)
    except (OSError, sqlite3.Error, ValueError, KeyError) as exc:
        return UnitTable(available=False, problem=f"{folder}: {exc}")


@functools.cache
def _display(full: str) -> str:
    """"Phường Đoàn Kết" -> "phường Đoàn Kết": type words in lower case, as plankg writes them."""
    full = nfc(full).strip()
    low = full.lower()
    for word, _ in _TYPES:
        if low.startswith(word + " "):
            return word + full[len(word):]
    return full


def _read_table(folder: Path) -> UnitTable:
    table = UnitTable()
    uri = f"file:{folder / 'dataset.db'}?mode=ro&immutable=1"
    con = sqlite3.connect(uri, uri=True)
    try:
        con.execute("PRAGMA temp_store = MEMORY")  # sorting needs no temporary file (a full disk)
        old = con.execute(
            "SELECT province, provinceCode, provinceKey, provinceKeywords, district, districtCode, districtKey, "
            "districtKeywords, ward, wardCode, wardKey, wardKeywords FROM admin_units_legacy "
            "ORDER BY provinceCode, districtCode, wardCode").fetchall()
        new = con.execute(
            "SELECT province, provinceCode, provinceKey, provinceKeywords, ward, wardCode, wardKey, wardKeywords "
            "FROM admin_units ORDER BY provinceCode, wardCode").fetchall()
    finally:
        con.close()
    old_ids: dict[str, str] = {}       # "tinhlaichau_thanhpholaichau_phuongdoanket" -> unit id
    old_provinces: dict[str, str] = {}  # "tinhlaichau" -> unit id
    district_wards: dict[str, list[str]] = defaultdict(list)
    districts: dict[str, str] = {}
    for (p, pc, pk, pkw, d, dc, dk, dkw, w, wc, wk, wkw) in old:
        province = _display(p)
        if pk not in old_provinces:
            old_provinces[pk] = table.add(Unit(pc, province, Level.PROVINCE, Era.BEFORE, province, pc), p, pkw)
        if not d or not dc:
            continue
        district = _display(d)
        district_id = districts.get(dc) or table.add(Unit(dc, district, Level.DISTRICT, Era.BEFORE, province, pc),
                                                     d, dkw)
        districts[dc] = district_id
        if not w or not wc:
            continue
        ward = table.add(Unit(wc, _display(w), Level.COMMUNE, Era.BEFORE, province, pc, district, dc), w, wkw)
        old_ids[f"{pk}_{dk}_{wk}"] = ward
        district_wards[district_id].append(ward)
    new_ids: dict[tuple[str, str], str] = {}
    new_provinces: dict[str, str] = {}
    for (p, pc, pk, pkw, w, wc, wk, wkw) in new:
        province = _display(p)
        if pk not in new_provinces:
            new_provinces[pk] = table.add(Unit(pc, province, Level.PROVINCE, Era.AFTER, province, pc), p, pkw)
        new_ids[(pk, wk)] = table.add(Unit(wc, _display(w), Level.COMMUNE, Era.AFTER, province, pc), w, wkw)
    _read_succession(table, folder / "converter_2025.json", old_ids, old_provinces, new_ids, new_provinces)
    # A district's successors are those of its communes; its territory always went to several.
    for district, wards in district_wards.items():
        for ward in wards:
            for new_id, _ in list(table.after.get(ward, ())):
                table.link(district, new_id, False)
    return table


def _read_succession(table: UnitTable, path: Path, old_ids: dict[str, str], old_provinces: dict[str, str],
                     new_ids: dict[tuple[str, str], str], new_provinces: dict[str, str]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    for new_key, old_keys in sorted(data["DICT_PROVINCE"].items()):
        for old_key in old_keys:
            if old_key in old_provinces and new_key in new_provinces:
                table.link(old_provinces[old_key], new_provinces[new_key], True)
    # Communes merged whole into one new commune ...
    for province_key, wards in sorted(data["DICT_PROVINCE_WARD_NO_DIVIDED"].items()):
        for new_key, old_keys in sorted(wards.items()):
            new = new_ids.get((province_key, new_key))
            for old_key in old_keys:
                if new and old_key in old_ids:
                    table.link(old_ids[old_key], new, True)
    # ... and communes divided among several.
    for province_key, olds in sorted(data["DICT_PROVINCE_WARD_DIVIDED"].items()):
        for old_key, parts in sorted(olds.items()):
            for part in parts:
                new = new_ids.get((province_key, part["newWardKey"]))
                if new and old_key in old_ids:
                    table.link(old_ids[old_key], new, False)


# --- the graph -------------------------------------------------------------------------

def annotate_units(G: Any) -> None:
    """Give each loaded document and each agency with a jurisdiction its official unit:
    ``admin_unit`` (the unit's id), ``unit_code`` and ``unit_name``; a name the list lacks keeps
    its text and gets ``admin_unit`` None (counted by ``plankg stats``, reported by the build).

    A document's own date chooses the list; an agency's, the dates of the documents that
    name it when they agree.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("d", kind="document", jurisdiction="thành phố Lai Châu", province="tỉnh Lai Châu",
    ...            level="district", year=2022)
    >>> annotate_units(G)
    >>> G.nodes["d"]["admin_unit"], G.nodes["d"]["unit_code"]
    ('unit:105@pre2025', '105')
    """
    table = unit_table()
    mark_not_before(G)
    # Read from networkx's dictionaries: a national graph has 600,000 edges, and only those
    # into agencies name them.
    nodes: dict[str, dict[str, Any]] = G._node
    predecessors: dict[str, dict[str, dict[str, dict[str, Any]]]] = G._pred
    documents: dict[str, Era | None] = {}
    resolved: dict[tuple[str, Era | None, str | None, str | None], Unit | None] = {}
    for node, data in nodes.items():
        if data.get("kind") == "document" and not data.get("placeholder"):
            date = dt.date.fromisoformat(data["date"]) if data.get("date") else None
            documents[node] = era_of(date, data.get("year"), data.get("month"))
    for node, data in nodes.items():
        name = data.get("jurisdiction")
        if not name:
            continue
        kind = data.get("kind")
        if kind == "document" and node in documents:
            era = documents[node]
        elif kind == "agency":
            era = _era_naming(node, nodes, predecessors, documents)
        else:
            continue
        key = (name, era, data.get("province"), data.get("level"))
        if key not in resolved:  # a ward's name stands in the jurisdiction of each of its bodies
            resolved[key] = table.resolve(name, era=era, province=key[2], level=key[3]).unit
        unit = resolved[key]
        data["admin_unit"] = unit.id if unit else None
        data["unit_code"] = unit.code if unit else None
        data["unit_name"] = unit.name if unit else None


def _era_naming(agency: str, nodes: dict[str, dict[str, Any]],
                predecessors: dict[str, dict[str, dict[str, dict[str, Any]]]],
                documents: dict[str, Era | None]) -> Era | None:
    """The era of the documents that issue, or give a task to, ``agency``, when those that
    have one agree; None otherwise (read no further than a second era: a province's
    department is named by thousands of tasks)."""
    found: Era | None = None
    for source, keyed in predecessors[agency].items():
        for data in keyed.values():
            relation = data.get("relation")
            if relation in ("issued_by", "lead", "support"):
                document = source if relation == "issued_by" else nodes[source].get("document")
                era = documents[document] if document in documents else None  # (a placeholder: none)
                if era is None:
                    continue
                if found is not None and era != found:
                    return None
                found = era
    return found


def units_not_found(nodes: Iterable[tuple[str, dict[str, Any]]]) -> list[str]:
    """The jurisdiction names, with their province, that no official unit matched."""
    names = set()
    for _, data in nodes:
        if data.get("jurisdiction") and "admin_unit" in data and data["admin_unit"] is None:
            province = data.get("province")
            name = data["jurisdiction"]
            names.add(f"{name} ({province})" if province and province != name else name)
    return sorted(names)


def listed(names: list[str], limit: int = 12) -> str:
    """``names`` joined for one line, the first ``limit`` of them when there are more (the
    count is said beside them; ``plankg stats --json`` lists every one).

    >>> listed(["a", "b", "c"], limit=2)
    'a; b; …'
    """
    return "; ".join(names[:limit]) + ("; …" if len(names) > limit else "")


def units_notice(G: Any) -> list[str]:
    """The build's one summary line on names not found, or nothing.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", kind="agency", jurisdiction="xã Việt Nam", admin_unit=None)
    >>> units_notice(G)
    ['1 unit name not found in the official list: xã Việt Nam']
    """
    from plankg.i18n import _, ngettext

    names = units_not_found(G.nodes(data=True))
    if not names:
        return []
    line = ngettext("{n} unit name not found in the official list: {names}",
                    "{n} unit names not found in the official list: {names}", len(names))
    notes = [line.format(n=len(names), names=listed(names))]
    problem = unit_table().problem
    if problem:
        notes.insert(0, _("the official list of units could not be read ({problem})").format(problem=problem))
    return notes


# --- queries -----------------------------------------------------------------------------

def _when(data: dict[str, Any]) -> str:
    """When a plan was issued, as far as it is known: its year, else after its latest citation."""
    from plankg.i18n import _

    if data.get("year"):
        return str(data["year"])
    if data.get("not_before"):
        day = dt.date.fromisoformat(data["not_before"])
        return _("after {date}").format(date=day.strftime("%d/%m/%Y"))
    return _("undated")


def inheritance_note(unit: Unit, data: dict[str, Any]) -> str:
    """How a plan made for a former unit reaches its successors.

    >>> unit = Unit("105", "thành phố Lai Châu", Level.DISTRICT, Era.BEFORE)
    >>> inheritance_note(unit, {"year": 2022})
    'thành phố Lai Châu, 2022 (before the merger)'
    """
    from plankg.i18n import _

    return _("{unit}, {when} (before the merger)").format(unit=unit.name, when=_when(data))


def inherited_by(data: dict[str, Any]) -> list[tuple[Unit, str]]:
    """The units that inherit a document made for a unit abolished or merged on 1 July 2025,
    each with the note that says so; nothing for a document of a current unit."""
    table = unit_table()
    unit = table.get(data.get("admin_unit") or "")
    if unit is None or unit.era is not Era.BEFORE:
        return []
    note = inheritance_note(unit, data)
    return [(successor, note) for successor in table.successors(unit) if not table.continues(unit, successor)]


def mark_not_before(G: Any) -> None:
    """Give an undated loaded document ``not_before``: the latest date of the documents it
    cites (it cannot be older), so an inherited plan can say when it was made."""
    for node, data in G.nodes(data=True):
        if data.get("kind") != "document" or data.get("placeholder") or data.get("date") or data.get("year"):
            continue
        dates = [G.nodes[v].get("date") for _, v, d in G.out_edges(node, data=True)
                 if d.get("relation") in ("applies", "based_on", "cites", "attached_to")]
        known = sorted(d for d in dates if d)
        if known:
            data["not_before"] = known[-1]


@dataclass(frozen=True)
class UnitPlan:
    """A loaded plan made for a unit, or for one of its predecessors (``inherited``) or
    successors (``later``), with the note that says so."""

    document: str
    label: str
    title: str | None
    date: str | None
    year: int | None
    unit: str
    unit_name: str
    inherited: bool = False
    later: bool = False
    note: str | None = None


@dataclass(frozen=True)
class UnitSuccession:
    """A predecessor or successor of the unit asked for, with the date and whether all of
    the former unit's territory went to the later one."""

    unit: Unit
    date: str
    whole: bool


@dataclass(frozen=True)
class Jurisdiction:
    """What ``plankg jurisdiction`` answers."""

    unit: Unit
    predecessors: tuple[UnitSuccession, ...]
    successors: tuple[UnitSuccession, ...]
    plans: tuple[UnitPlan, ...]


def find_unit(name: str, used: Iterable[str] = ()) -> Unit:
    """The unit a person means by ``name`` (a name in either era's list, or a unit id);
    among several, those the graph uses (``used``: unit ids), then those in office now.

    >>> find_unit("thành phố Lai Châu").id
    'unit:105@pre2025'
    >>> find_unit("unit:03388").name
    'phường Đoàn Kết'
    """
    from plankg.errors import QueryError
    from plankg.i18n import _

    table = unit_table()
    if not table.available:
        raise QueryError(_("the official list of units is not installed: pip install {package}").format(
            package=DATASET))
    if name.startswith("unit:"):
        unit = table.get(name)
        if unit is None:
            raise QueryError(_("no official unit has the id {id}").format(id=name))
        return unit
    found = table.search(name)
    if name_key(name) == name_key(COUNTRY.name):
        found = [COUNTRY]
    if not found:
        raise QueryError(_("no official unit is named {name}").format(name=name))
    used_ids = set(used)
    preferences: tuple[Callable[[Unit], bool], ...] = (lambda u: u.id in used_ids, lambda u: u.era is Era.AFTER)
    for keep in preferences:
        if len(found) > 1 and any(keep(u) for u in found):
            found = [u for u in found if keep(u)]
    if len(found) > 1:
        choices = "; ".join(f"{u.id} {u.describe()}" for u in found[:10])
        raise QueryError(_("{name} names {n} units; give one by its id: {choices}").format(
            name=name, n=len(found), choices=choices))
    return found[0]


def jurisdiction(G: Any, name: str) -> Jurisdiction:
    """A unit, its predecessors and successors, and the loaded plans made for it, for its
    predecessors (inherited) and for its successors.

    Parameters
    ----------
    G : MultiDiGraph
        A plankg graph (its document nodes are enough).
    name : str
        A unit's name ("phường Đoàn Kết", diacritics optional) or id ("unit:03388").

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("kh", kind="document", label="Kế hoạch 7/KH-TU", admin_unit="unit:105@pre2025", year=2022)
    >>> found = jurisdiction(G, "phường Đoàn Kết")
    >>> found.unit.code, [(p.document, p.note) for p in found.plans]
    ('03388', [('kh', 'thành phố Lai Châu, 2022 (before the merger)')])
    """
    table = unit_table()
    documents = [(n, d) for n, d in G.nodes(data=True) if d.get("kind") == "document" and not d.get("placeholder")]
    unit = find_unit(name, (d["admin_unit"] for _, d in documents if d.get("admin_unit")))
    before = sorted((s for s in table.successions(unit) if s.after == unit),
                    key=lambda s: (s.before.level.rank, s.before.name, s.before.id))
    after = sorted((s for s in table.successions(unit) if s.before == unit),
                   key=lambda s: (s.after.level.rank, s.after.name, s.after.id))
    day = REORGANISATION.isoformat()
    roles: dict[str, tuple[Unit, str]] = {unit.id: (unit, "own")}
    for s in before:
        roles.setdefault(s.before.id, (s.before, "inherited"))
    for s in after:
        roles.setdefault(s.after.id, (s.after, "later"))
    plans = []
    for node, data in documents:
        role = roles.get(data.get("admin_unit") or "")
        if role is None:
            continue
        owner, kind = role
        plans.append(UnitPlan(
            document=node, label=data.get("label", node), title=data.get("title"), date=data.get("date"),
            year=data.get("year"), unit=owner.id, unit_name=owner.name, inherited=kind == "inherited",
            later=kind == "later", note=inheritance_note(owner, data) if kind == "inherited" else None))
    plans.sort(key=lambda p: (p.inherited, p.later, -(p.year or 0), p.document))
    return Jurisdiction(
        unit=unit,
        predecessors=tuple(UnitSuccession(s.before, day, s.whole) for s in before),
        successors=tuple(UnitSuccession(s.after, day, s.whole) for s in after),
        plans=tuple(plans),
    )
