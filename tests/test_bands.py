"""Link bands: calibrated thresholds that keep their promise, shown wherever links are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from calibration import measure, table
from click.testing import CliRunner

from plankg.cli import cli
from plankg.graph.queries import gaps, lineage
from plankg.graph.workspace import build_workspace, load_graph
from plankg.model import LinkBand, link_band
from plankg.normalize import fold
from plankg.synthetic import local_tasks, write_cascade

DOCS = Path(__file__).parents[1] / "docs" / "lineage.md"


@pytest.fixture(scope="module")
def tallies() -> tuple:  # type: ignore[type-arg]
    return measure()


def test_each_band_keeps_its_promise(tallies: tuple) -> None:  # type: ignore[type-arg]
    for tally in tallies:
        strong, weak = tally.precision(LinkBand.STRONG), tally.precision(LinkBand.WEAK)
        assert strong is not None and strong >= 0.95
        assert weak is None or weak <= 0.25  # weak means mostly wrong: never shown as lineage
    seed = tallies[0]
    likely = seed.precision(LinkBand.LIKELY)
    assert likely is not None and likely >= 0.75


def test_the_documented_precision_is_the_measured_one(tallies: tuple) -> None:  # type: ignore[type-arg]
    text = DOCS.read_text(encoding="utf-8")
    documented = re.search(r"<!-- calibration:start -->\n(.*?)\n<!-- calibration:end -->", text, re.S)
    assert documented is not None
    assert documented.group(1) == table(*tallies), "docs/lineage.md is stale: run python tests/calibration.py"


def test_bands_follow_the_thresholds_and_confirmation() -> None:
    assert [link_band(s) for s in (0.5, 0.4999, 0.3, 0.2999, 0.1)] == [
        LinkBand.STRONG, LinkBand.LIKELY, LinkBand.LIKELY, LinkBand.WEAK, LinkBand.WEAK]
    assert link_band(0.05, "confirmed") is LinkBand.STRONG and link_band(0.9, "rejected") is None


def test_a_wards_own_tasks_are_weak_or_orphans_never_lineage(tmp_path: Path) -> None:
    write_cascade(tmp_path / "c", provinces=2, wards=3, variants=2, local=5, seed=9)
    build_workspace([tmp_path / "c"], tmp_path / "ws")
    G = load_graph(tmp_path / "ws")
    own = [fold(t) for t in local_tasks()]
    mine = [n for n, d in G.nodes(data=True) if d.get("kind") == "task" and any(o in fold(d["text"]) for o in own)]
    assert len(mine) == 2 * 3 * 5
    found = gaps(G)
    flagged = {g.task for g in found.weak} | {g.task for g in found.orphans}
    assert set(mine) <= flagged
    for task in mine:
        steps = lineage(G, task)  # the task's own link, when it has one, is never strong
        assert len(steps) == 1 or steps[1].relation != "derived_from" or steps[1].band != "strong"
    # The wards' province plans are loaded: their orphans match nothing, none waits for a document.
    assert all(g.reason == "no-match" for g in found.orphans if g.task in mine)


def test_gaps_tell_unloaded_directives_from_no_match(seed_workspace: Path) -> None:
    found = gaps(load_graph(seed_workspace))
    plan = [g for g in found.orphans if g.document == "ubnd-tinh-lai-chau/2026/2233-kh-ubnd"]
    assert plan and {g.reason for g in plan} == {"not-loaded"}
    assert plan[0].missing == ("01-TB/BCĐ", "130/TB-VPCP")
    ward = "tinh-lai-chau/ubnd-phuong-doan-ket/2026/kh-ubnd-3a4c2327"
    assert {g.document for g in found.weak} == {ward}
    assert all(g.parent and g.score is not None and g.score < 0.3 for g in found.weak)
    assert not {g.task for g in found.weak} & {g.task for g in found.orphans}


def test_commands_show_the_band(seed_workspace: Path) -> None:
    runner = CliRunner()
    ws = ["--workspace", str(seed_workspace)]
    out = runner.invoke(cli, ["lineage", "Thực hiện tốt quy chế quản lý chất thải, chất gây ô nhiễm", *ws]).stdout
    assert re.search(r"↑ derived_from 0\.\d\d (strong|likely|weak) proposed", out)
    text = runner.invoke(cli, ["gaps", *ws]).stdout
    assert re.search(r"^Weak links only \(\d+\): ", text, re.M)
    assert re.search(r"^Orphans, directive not loaded \(\d+\): ", text, re.M)
    assert "(not loaded: 01-TB/BCĐ, 130/TB-VPCP)" in text
    data = runner.invoke(cli, ["export", "--format", "json", *ws]).stdout
    assert '"band": "weak"' in data and '"band": "strong"' in data
