"""Measured precision of the link bands (strong, likely, weak), on two corpora with known answers.

* **Seed gold**: the links proposed for the ward plan of the gold (its 24 hand-checked pairs
  are every task of it that has a parent); a link is right when the gold pairs its child with
  its parent, wrong otherwise.
* **Synthetic cascade**: ward plans restating their province's tasks, plus tasks of the
  ward's own that have no parent (``write_cascade(local=…)``); a link is right when both ends
  restate the same base task.

``python tests/calibration.py`` prints the table that ``docs/lineage.md`` shows;
``tests/test_bands.py`` checks the bands keep their promise.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from gold import load_gold

from plankg.graph.build import Graph
from plankg.graph.workspace import build_workspace, load_graph
from plankg.model import LinkBand, link_band
from plankg.normalize import fold
from plankg.synthetic import local_tasks, task_pool, write_cascade

CORPUS = Path(__file__).parents[1] / "plankg" / "data" / "corpus"


@dataclass
class Tally:
    """Right and wrong links per band."""

    right: Counter[str]
    wrong: Counter[str]

    def precision(self, band: LinkBand) -> float | None:
        total = self.right[band.value] + self.wrong[band.value]
        return self.right[band.value] / total if total else None

    def row(self, band: LinkBand) -> str:
        right, total = self.right[band.value], self.right[band.value] + self.wrong[band.value]
        return f"{right}/{total} ({right / total:.0%})" if total else "–"


def _links(G: Graph) -> list[tuple[str, str, LinkBand]]:
    out = []
    for child, parent, key, data in G.edges(keys=True, data=True):
        band = link_band(data.get("score"), data.get("status")) if key == "derived_from" else None
        if band is not None:
            out.append((child, parent, band))
    return out


def seed_tally(G: Graph) -> Tally:
    gold = load_gold()["lineage"]
    child_doc = next(n for n, d in G.nodes(data=True) if d.get("source") == gold["child_document"])
    tally = Tally(Counter(), Counter())
    for child, parent, band in _links(G):
        if G.nodes[child].get("document") != child_doc:
            continue
        text, above = fold(G.nodes[child]["text"]), fold(G.nodes[parent].get("text") or "")
        right = any(fold(p["child"]) in text and fold(p["parent"]) in above for p in gold["pairs"])
        (tally.right if right else tally.wrong)[band.value] += 1
    return tally


def synthetic_tally(G: Graph) -> Tally:
    base = sorted((fold(text) for _, text, _ in task_pool(3)), key=len, reverse=True)
    own = [fold(text) for text in local_tasks()]

    def restates(text: str) -> str | None:
        folded = fold(text)
        if any(o in folded for o in own):
            return None
        return next((b for b in base if b[1:] in folded), None)  # "Tập trung xây dựng …": case of the first letter

    tally = Tally(Counter(), Counter())
    for child, parent, band in _links(G):
        mine, above = restates(G.nodes[child]["text"]), restates(G.nodes[parent].get("text") or "")
        right = mine is not None and mine == above
        (tally.right if right else tally.wrong)[band.value] += 1
    return tally


def measure() -> tuple[Tally, Tally]:
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds"
        build_workspace([CORPUS], seeds)
        folder = Path(tmp) / "cascade"
        write_cascade(folder, provinces=6, wards=6, variants=3, local=6, seed=3)
        synthetic = Path(tmp) / "synthetic"
        build_workspace([folder], synthetic)
        return seed_tally(load_graph(seeds)), synthetic_tally(load_graph(synthetic))


def table(seed: Tally, synthetic: Tally) -> str:
    lines = ["| band | score | seed gold (ward plan) | synthetic cascade (6 provinces × 6 wards) |",
             "|---|---|---|---|"]
    ranges = {LinkBand.STRONG: "≥ 0.50 (or confirmed)", LinkBand.LIKELY: "0.30 – 0.50", LinkBand.WEAK: "< 0.30"}
    for band in LinkBand:
        lines.append(f"| {band.value} | {ranges[band]} | {seed.row(band)} | {synthetic.row(band)} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(*measure()))
