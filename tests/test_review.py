"""plankg review, driven by scripted keys: every decision lands in curation.csv at once and
applies at the next build."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import CORPUS

from plankg.cli import cli
from plankg.graph.review import alternatives, pending_links
from plankg.graph.workspace import build_workspace, load_graph


def _workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    shutil.copytree(CORPUS, folder)
    build_workspace([folder], tmp_path / "ws")
    return tmp_path / "ws"


def _rows(workspace: Path) -> list[dict[str, str]]:
    with (workspace / "curation.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_links_come_weakest_first_and_alternatives_exclude_the_proposed(tmp_path: Path) -> None:
    G = load_graph(_workspace(tmp_path))
    pending = pending_links(G)
    assert pending and [c.score for c in pending] == sorted(c.score for c in pending)
    first = pending[0]
    offers = alternatives(G, first.child, exclude=frozenset({first.parent}))
    assert offers and first.parent not in {o.parent for o in offers}
    assert [o.score for o in offers] == sorted((o.score for o in offers), reverse=True)


def test_scripted_review_writes_each_decision_and_build_applies_them(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    G = load_graph(workspace)
    first, second, third = pending_links(G)[:3]
    offer = alternatives(G, third.child, exclude=frozenset({third.parent}))[0]
    runner = CliRunner()
    # confirm, an unknown key then reject, another parent (offer 1), then quit.
    result = runner.invoke(cli, ["review", "--workspace", str(workspace)], input="c x r o 1\nq")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(f"[1/{len(pending_links(G))}] {first.band} {first.score:.2f}\n")
    assert [line for line in out.splitlines() if len(line) > 80 and str(tmp_path) not in line] == []
    assert "1 confirmed, 2 rejected, 1 added, 0 skipped: written to" in out
    rows = _rows(workspace)
    assert [(r["child"], r["parent"], r["status"]) for r in rows] == [
        (first.child, first.parent, "confirmed"), (second.child, second.parent, "rejected"),
        (third.child, third.parent, "rejected"), (third.child, offer.parent, "added")]
    assert all(r["child_text"] and r["parent_text"] for r in rows)
    # The next review skips what is already decided; the build applies it.
    again = runner.invoke(cli, ["review", "--workspace", str(workspace), "--limit", "1"], input="q")
    decided = {(c.child, c.parent) for c in (first, second, third)}
    following = next(c for c in pending_links(G) if (c.child, c.parent) not in decided)
    assert again.stdout.startswith(f"[1/1] {following.band} {following.score:.2f}\n")
    assert f"({following.child})\n" in again.stdout and f"({following.parent})\n" in again.stdout
    build_workspace([], workspace)
    G = load_graph(workspace)
    status = {(u, v): d["status"] for u, v, k, d in G.edges(keys=True, data=True) if k == "derived_from"}
    assert status[(first.child, first.parent)] == "confirmed"
    assert status[(second.child, second.parent)] == "rejected"
    assert status[(third.child, third.parent)] == "rejected"
    assert status[(third.child, offer.parent)] == "confirmed"


def test_review_of_one_document_and_nothing_to_review(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["review", "2233/KH-UBND", "--workspace", str(workspace)], input="q")
    assert result.exit_code == 0 and result.stdout == "No proposed link to review.\n"
    ward = runner.invoke(cli, ["review", "000_52f910eca6da929a.txt", "--workspace", str(workspace)], input="s q")
    assert "0 confirmed, 0 rejected, 0 added, 1 skipped." in ward.stdout
    assert _rows(workspace) == []


def test_review_json_lists_the_links_without_asking(tmp_path: Path) -> None:
    build_workspace([CORPUS], tmp_path / "ws")
    result = CliRunner().invoke(cli, ["review", "--json", "--limit", "3", "--workspace", str(tmp_path / "ws")],
                                input="")
    assert result.exit_code == 0, result.output
    links = json.loads(result.stdout)
    assert len(links) == 3 and [link["score"] for link in links] == sorted(link["score"] for link in links)
    assert {"child", "parent", "score", "band", "evidence"} <= set(links[0])
    assert (tmp_path / "ws" / "curation.csv").read_text(encoding="utf-8").count("\n") == 1  # nothing decided
