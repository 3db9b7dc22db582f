"""How much of the corpus each administrative-unit dataset resolves (docs/units.md).

    python benchmarks/units_coverage.py [DIR ...]   (default ../shared/seeds ../shared/realdocs)

For every document parsed from the folders (attachments included) it takes the issuer's unit
(the document's jurisdiction, with its date, province and level) and the units named in its
agencies (their jurisdictions), and counts the share each dataset resolves to one official
unit with a code:

* ``vietnamadminunits`` through :mod:`plankg.graph.units` (units before and after 1 July 2025,
  the document's date choosing the list);
* ``vietnam-provinces`` (the 34 provinces and their communes of 2025 only), matched on its
  ``codename`` keys within the document's province.

"Việt Nam" (national documents) is counted apart: neither dataset lists the country.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from plankg.graph.units import COUNTRY, era_of, name_key, unit_table
from plankg.loaders import load_paths
from plankg.model import DocumentRecord

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [ROOT.parent / "shared" / "seeds", ROOT.parent / "shared" / "realdocs"]


def provinces_2025() -> tuple[dict[str, list[tuple[str, str]]], dict[str, str]]:
    """vietnam-provinces: name key -> [(code, province codename)], and province key -> codename."""
    from vietnam_provinces import Province, Ward

    by_key: dict[str, list[tuple[str, str]]] = defaultdict(list)
    provinces: dict[str, str] = {}
    for p in Province.iter_all():
        # "thành phố" only for the five centrally governed cities: "thành phố Lai Châu" is a district.
        city = p.division_type.value == "thành phố trung ương"
        for prefix in ("thanhpho", "") if city else ("tinh", ""):
            key = prefix + p.codename.replace("_", "")
            by_key[key].append((f"{p.code.value:02d}", p.codename))
            provinces[key] = p.codename
    codenames = {p.code: p.codename for p in Province.iter_all()}
    for w in Ward.iter_all():
        by_key[w.codename.replace("_", "")].append((f"{w.code.value:05d}", codenames[w.province_code]))
    return by_key, provinces


def resolve_2025(name: str, province: str | None, table: tuple[dict[str, list[tuple[str, str]]], dict[str, str]]
                 ) -> str | None:
    by_key, provinces = table
    found = by_key.get(name_key(name), [])
    if len(found) > 1 and province:
        codename = provinces.get(name_key(province))
        found = [f for f in found if f[1] == codename]
    return found[0][0] if len(found) == 1 else None


def code_agreement() -> tuple[int, int, list[str]]:
    """2025 communes whose code and name both datasets agree on, out of vietnam-provinces' list."""
    from vietnam_provinces import Ward

    from plankg.graph.units import Era, Level, _display

    ours = {u.code: u.name for u in unit_table().units.values() if u.era is Era.AFTER and u.level is Level.COMMUNE}
    wards = list(Ward.iter_all())
    by_name = {n: c for c, n in ours.items()}
    differ = [f"{_display(w.name)} {w.code.value:05d}/{by_name.get(_display(w.name), '-')}"
              for w in wards if ours.get(f"{w.code.value:05d}") != _display(w.name)]
    return len(wards) - len(differ), len(wards), differ


def records(folders: list[Path]) -> list[DocumentRecord]:
    out = []
    for result in load_paths([str(f) for f in folders if f.exists()]):
        if result.record is not None and result.path.name != "README.md":
            out.extend(result.record.with_attachments())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path, default=DEFAULT)
    args = parser.parse_args()
    docs = records(args.folders)
    if not docs:
        sys.exit("no documents (is ../shared there?)")
    units = unit_table()
    vp = provinces_2025()
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # resolved by vau, by vp, total
    missing: dict[str, set[str]] = defaultdict(set)
    for record in docs:
        d = record.document
        era = era_of(d.date, d.year, d.month)
        named = {(a.jurisdiction, a.level) for a in record.agencies if a.jurisdiction}
        items = [("issuer", d.jurisdiction, d.level)] + [("named", n, lv) for n, lv in sorted(named, key=str)]
        for what, name, level in items:
            if not name:
                counts[f"{what} (none written)"][2] += 1
                continue
            if name_key(name) == name_key(COUNTRY.name):
                counts[f"{what}: Việt Nam"][2] += 1
                continue
            row = counts[what]
            row[2] += 1
            found = units.resolve(name, era=era, province=d.province, level=level)
            if found.unit is not None:
                row[0] += 1
            else:
                missing["vietnamadminunits"].add(f"{name} ({found.reason})")
            if resolve_2025(name, d.province, vp):
                row[1] += 1
            else:
                missing["vietnam-provinces"].add(name)
    print(f"{len(docs)} documents")
    print("| names | count | vietnamadminunits | vietnam-provinces |")
    print("|---|---|---|---|")
    for what in sorted(counts):
        a, b, n = counts[what]
        if what in ("issuer", "named"):
            print(f"| {what} | {n} | {a} ({a / n:.0%}) | {b} ({b / n:.0%}) |")
        else:
            print(f"| {what} | {n} | | |")
    for dataset, names in sorted(missing.items()):
        print(f"not resolved by {dataset}: {'; '.join(sorted(names))}")
    same, total, differ = code_agreement()
    print(f"2025 communes with the same code and name in both datasets: {same} of {total} ({same / total:.1%}); "
          f"first that differ (name, vietnam-provinces code / vietnamadminunits code): {'; '.join(differ[:5])}")


if __name__ == "__main__":
    main()
