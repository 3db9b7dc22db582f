"""Queries through the store's indexes answer exactly as the whole-graph queries, on the seed
corpus and on a synthetic cascade, and never load the whole graph."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from click.testing import CliRunner

from plankg.cli import cli
from plankg.graph import queries, store
from plankg.graph.workspace import (
    FORMAT_VERSION,
    agency_workspace,
    deadlines_workspace,
    gaps_workspace,
    load_graph,
    search_workspace,
    stats_workspace,
)
from plankg.normalize import search_key

PAIRS = [("thu hút đầu tư", "thu hut dau tu"), ("quy hoạch tỉnh", "quy hoach tinh"), ("Sở Tài chính", "so tai chinh"),
         ("chuyển đổi số", "chuyen doi so"), ("vệ sinh môi trường", "ve sinh moi truong"), ("đất", "dat"),
         ("Uỷ ban nhân dân", "uy ban nhan dan")]
SEARCHES = [text for pair in PAIRS for text in pair] + ["2233/KH-UBND", "zzqx", "quy hoạch"]
AGENCIES = ["so tai chinh", "Công an", "UBND", "phong kinh te", "xyz"]


@pytest.mark.parametrize("limit", [None, 20, 3])
def test_search_through_the_index_is_the_whole_graph_search(workspace: Path, limit: int | None) -> None:
    G = load_graph(workspace)
    for text in SEARCHES:
        assert search_workspace(workspace, text, limit=limit) == queries.search(G, text, limit=limit), text


def test_search_without_diacritics_finds_what_search_with_them_finds(workspace: Path) -> None:
    for marked, plain in PAIRS:
        found = {h.id for h in search_workspace(workspace, plain, limit=None)}
        assert found == {h.id for h in search_workspace(workspace, marked, limit=None)}, (plain, marked)


def test_matches_as_typed_rank_first(seed_workspace: Path) -> None:
    hits = search_workspace(seed_workspace, "đất", limit=None)
    assert any(h.exact for h in hits) and not all(h.exact for h in hits)  # "đất" and "đạt", "Đắk"…
    for a, b in itertools.pairwise(hits):
        if (a.matched, a.phrase) == (b.matched, b.phrase):
            assert a.exact >= b.exact
    assert all(h.text and "đất" in h.text.lower() for h in hits if h.exact and h.kind == "task")


def test_agency_deadlines_and_stats_through_the_store_are_the_graph_queries(workspace: Path) -> None:
    G = load_graph(workspace)
    for name in AGENCIES:
        assert agency_workspace(workspace, name) == queries.agency_tasks(G, name), name
    for before in (None, dt.date(2026, 6, 1), dt.date(2027, 1, 1)):
        assert deadlines_workspace(workspace, before=before) == queries.deadlines(G, before=before)
    assert stats_workspace(workspace) == queries.stats(G)


def test_query_commands_never_load_the_whole_graph(seed_workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the whole graph was loaded")

    monkeypatch.setattr(store, "read_graph", refuse)
    runner = CliRunner()
    ws = ["--workspace", str(seed_workspace)]
    for args in (["search", "thu hut dau tu"], ["agency", "so tai chinh"], ["stats"], ["deadlines"],
                 ["deadlines", "--before", "2026-06-01"], ["show", "2233/KH-UBND"], ["lineage", "2233/KH-UBND II.1.b"],
                 ["cascade", "06-NQ/TW"], ["gaps"], ["gaps", "--level", "ward"], ["gaps", "--under", "06-NQ/TW"],
                 ["gaps", "--under", "2233/KH-UBND II.1.b", "--json"]):
        result = runner.invoke(cli, [*args, *ws])
        assert result.exit_code == 0, (args, result.output)
    ambiguous = runner.invoke(cli, ["show", "quy che quan ly chat thai", *ws])  # a phrase search, then a list
    assert ambiguous.exit_code == 1 and "did you mean" in ambiguous.stderr


def test_gaps_under_a_node_from_the_store_are_the_whole_graph_gaps(workspace: Path) -> None:
    G = load_graph(workspace)
    for level in (None, "commune", "province", "national"):
        assert gaps_workspace(workspace, level=level) == queries.gaps(G, level=level), level
    for name in AGENCIES:
        found = gaps_workspace(workspace, agency=name)
        assert found == queries.gaps(G, agency=name), name
        every = [g for kind in ("uncascaded", "orphans", "unpicked", "weak") for g in getattr(found, kind)]
        assert all(g.concerns(search_key(name)) for g in every)
    roots = [n for n, d in G.nodes(data=True) if d.get("kind") == "document"]
    roots += [n for n, d in G.nodes(data=True) if d.get("kind") == "task"][::5]
    for root in roots:
        for level in (None, "commune"):
            assert gaps_workspace(workspace, level=level, under=root) == queries.gaps(G, level=level, under=root), \
                (root, level)


def test_stats_without_stored_counts_are_counted_by_sql(seed_workspace: Path, tmp_path: Path) -> None:
    import shutil
    import sqlite3

    copy = tmp_path / "ws"
    shutil.copytree(seed_workspace, copy)
    with sqlite3.connect(copy / "graph.sqlite") as con:
        con.execute("DELETE FROM meta WHERE key = 'stats'")
    assert stats_workspace(copy) == stats_workspace(seed_workspace) == queries.stats(load_graph(seed_workspace))


def test_gaps_under_an_agency_is_refused_from_the_store(seed_workspace: Path) -> None:
    agency = next(n for n, _ in store.read_kind(seed_workspace / "graph.sqlite", "agency",
                                                format_version=FORMAT_VERSION))
    result = CliRunner().invoke(cli, ["gaps", "--under", agency, "--workspace", str(seed_workspace)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: gaps --under needs a document, task or target id; {agency!r} is an agency\n"


def test_many_phrase_holders_rank_without_reading_every_word_holder(cascade_workspace: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    G = load_graph(cascade_workspace)
    phrases = ("thu gom xử lý chất thải", "thu gom xu ly chat thai")
    expected = {text: queries.search(G, text, limit=5) for text in phrases}

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("every word holder was read")

    monkeypatch.setattr(store, "search_rows", refuse)
    for text, hits in expected.items():
        assert len(hits) == 5 and all(h.phrase for h in hits)
        assert search_workspace(cascade_workspace, text, limit=5) == hits, text


@pytest.mark.parametrize("args", [["search", "thu hut dau tu"], ["agency", "so tai chinh"], ["stats"],
                                  ["deadlines", "--before", "31/12/2026"], ["gaps", "--level", "ward"],
                                  ["gaps", "--under", "2233/KH-UBND"]])
def test_store_queries_start_without_networkx(seed_workspace: Path, args: list[str]) -> None:
    """Importing networkx takes longer than answering these from the store's indexes."""
    import subprocess
    import sys

    script = ("import sys\nfrom plankg.cli import cli\ncli.main(sys.argv[1:], standalone_mode=False)\n"
              "assert 'networkx' not in sys.modules, 'networkx was imported'\n")
    run = subprocess.run([sys.executable, "-c", script, *args, "--workspace", str(seed_workspace)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
