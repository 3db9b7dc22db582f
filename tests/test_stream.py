"""Exports streamed from the store: the same output as the exports of the loaded graph.

JSON and CSV must be the same bytes; RDF the same triples (N-Triples and Turtle come
subject by subject in node id order). The golden files of tests/test_rdf.py were written
by the whole-graph rdflib export, so the streamed RDF of the small graph is checked
against them too. Memory flatness is measured by benchmarks/cascade.py, not here.
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
from click.testing import CliRunner
from small_graph import build_small_graph

from plankg.cli import cli
from plankg.errors import ExportError
from plankg.exports import export_graph
from plankg.exports.rdf import node_iri, serialize, to_rdf, write_rdf
from plankg.exports.tables import to_csv
from plankg.exports.workbook import write_workbook
from plankg.graph import store
from plankg.graph.workspace import (
    FORMAT_VERSION,
    build_workspace,
    export_csv_workspace,
    export_workspace,
    export_xlsx_workspace,
    load_graph,
    node_ids_workspace,
    sparql_workspace,
)
from plankg.model import Relation
from plankg.synthetic import write_cascade

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "expected" / "rdf"
FORMATS = {"nt": pyoxigraph.RdfFormat.N_TRIPLES, "turtle": pyoxigraph.RdfFormat.TURTLE}


def triples(data: bytes, fmt: str) -> set[str]:
    """The triples of an export, each in canonical N-Triples (no blank nodes are written)."""
    return {str(q.triple) for q in pyoxigraph.parse(data, format=FORMATS[fmt])}


def streamed(workspace: Path, fmt: str) -> bytes:
    out = io.BytesIO()
    export_workspace(workspace, fmt, out)
    return out.getvalue()


def test_json_is_the_same_bytes_as_the_loaded_graphs(workspace: Path) -> None:
    data = streamed(workspace, "json")
    assert data == export_graph(load_graph(workspace), "json")
    assert json.loads(data)["edges"]


def test_csv_is_the_same_bytes_as_the_loaded_graphs(workspace: Path, tmp_path: Path) -> None:
    paths = export_csv_workspace(workspace, tmp_path / "streamed")
    expected = to_csv(load_graph(workspace), tmp_path / "loaded")
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in expected]


@pytest.mark.parametrize("fmt", ["nt", "turtle"])
def test_rdf_is_the_same_triples_as_the_loaded_graphs(workspace: Path, fmt: str) -> None:
    data = streamed(workspace, fmt)
    loaded = serialize(load_graph(workspace), fmt)
    assert data == loaded  # the same rows in the same order
    assert triples(data, fmt) == triples(serialize(load_graph(workspace), "nt"), "nt")
    assert len(triples(data, fmt)) > 1000


def test_ntriples_lines_are_each_triple_once(cascade_workspace: Path) -> None:
    lines = streamed(cascade_workspace, "nt").decode("utf-8").splitlines()
    assert len(lines) == len(set(lines)) == len(triples("\n".join(lines).encode(), "nt"))


@pytest.mark.parametrize("fmt", ["nt", "turtle"])
def test_streamed_rdf_of_the_small_graph_matches_the_golden_files(tmp_path: Path, fmt: str) -> None:
    """Through a real store: the golden files were written by the rdflib export of the graph."""
    path = tmp_path / "graph.sqlite"
    store.write_graph(path, build_small_graph(), format_version=FORMAT_VERSION)
    out = io.BytesIO()
    with store.reader(path, format_version=FORMAT_VERSION) as read:
        count = write_rdf(read.nodes(), read.labelled_edges(Relation.DERIVED_FROM.value), out, fmt)
    golden = (GOLDEN / "small.nt").read_bytes()
    assert triples(out.getvalue(), fmt) == triples(golden, "nt")
    assert count == len(triples(golden, "nt"))


def test_ids_sharing_an_iri_are_found_by_sql(tmp_path: Path) -> None:
    G = nx.MultiDiGraph()
    G.add_node("a/2026/x#1", id="a/2026/x#1", kind="section", label="1", text="1", document="a/2026/x", path="1")
    G.add_node("a/2026/x/1", id="a/2026/x/1", kind="document", label="x", placeholder=True)
    G.add_node("b", id="b", kind="document", label="b", placeholder=True)
    path = tmp_path / "graph.sqlite"
    store.write_graph(path, G, format_version=FORMAT_VERSION)
    with store.reader(path, format_version=FORMAT_VERSION) as read:
        clash = read.first_clash(lambda n: str(node_iri(n)))
    assert clash == ("a/2026/x#1", "a/2026/x/1", str(node_iri("a/2026/x/1")))


def test_rows_out_of_order_are_refused() -> None:
    nodes = [("b", {"kind": "document", "label": "b"}), ("a", {"kind": "document", "label": "a"})]
    with pytest.raises(ExportError, match="out of order"):
        write_rdf(nodes, [], io.BytesIO())
    with pytest.raises(ExportError, match="not in the graph"):
        write_rdf(nodes[:1], [("a", "b", "cites", {"relation": "cites"}, None)], io.BytesIO())


def test_literals_escape_what_a_line_reader_would_split(tmp_path: Path) -> None:
    G = nx.MultiDiGraph()
    text = 'a "b" \\ c\nd\re\tf\x0bg\x85h\u2028i'
    G.add_node("d", id="d", kind="document", label=text, placeholder=True)
    data = serialize(G, "nt")
    assert len(data.decode("utf-8").splitlines()) == 3
    assert text in {q.triple.object.value for q in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES)}
    assert text in {str(o) for o in to_rdf(G).objects()}



# --- the command line -------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["nt", "turtle", "json"])
def test_export_command_streams_to_stdout_and_to_a_file(runner: CliRunner, seed_workspace: Path, tmp_path: Path,
                                                        fmt: str) -> None:
    expected = streamed(seed_workspace, fmt)
    result = runner.invoke(cli, ["export", "--format", fmt, "--workspace", str(seed_workspace)])
    assert (result.exit_code, result.stdout_bytes) == (0, expected)
    out = tmp_path / f"graph.{fmt}"
    result = runner.invoke(cli, ["export", "--format", fmt, "-o", str(out), "--workspace", str(seed_workspace)])
    assert (result.exit_code, result.output) == (0, "")
    assert out.read_bytes() == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # no temporary file left


def test_an_export_that_cannot_be_written_is_one_error(runner: CliRunner, seed_workspace: Path,
                                                       tmp_path: Path) -> None:
    out = tmp_path / "missing" / "graph.nt"
    result = runner.invoke(cli, ["export", "--format", "nt", "-o", str(out), "--workspace", str(seed_workspace)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert not out.parent.exists()


@pytest.mark.parametrize("args", [["export", "--format", "nt"], ["export", "--format", "turtle"],
                                  ["export", "--format", "json"], ["export", "--format", "csv", "-o", "{tmp}"],
                                  ["sparql", "orphans"], ["push", "--endpoint", "http://127.0.0.1:9/store"]])
def test_a_workspace_of_an_older_format_must_be_rebuilt(runner: CliRunner, seed_workspace: Path, tmp_path: Path,
                                                         args: list[str]) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(seed_workspace, workspace, ignore=shutil.ignore_patterns("sparql"))
    manifest = json.loads((workspace / "manifest.json").read_text(encoding="utf-8"))
    manifest["format"] = FORMAT_VERSION - 1
    (workspace / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with sqlite3.connect(workspace / "graph.sqlite") as con:
        con.execute("UPDATE meta SET value = ? WHERE key = 'format'", (str(FORMAT_VERSION - 1),))
    con.close()
    result = runner.invoke(cli, [a.format(tmp=tmp_path / "csv") for a in args] + ["--workspace", str(workspace)])
    assert result.exit_code == 1
    assert result.stderr == (f"Error: workspace at {workspace} is corrupt or from another plankg version: "
                             "rebuild it with 'plankg build'\n")
    assert result.stdout == ""


# --- local SPARQL ---------------------------------------------------------------------------

def test_result_iris_are_read_back_into_node_ids(seed_workspace: Path) -> None:
    G = load_graph(seed_workspace)
    wanted = {str(node_iri(n)): n for n in sorted(G.nodes)}
    assert any("#" in n for n in wanted.values()) and any(n.startswith("agency:") for n in wanted.values())
    assert node_ids_workspace(seed_workspace, [*wanted, "https://example.org/x"]) == wanted


def _small_workspace(tmp_path: Path) -> tuple[Path, Path]:
    """A two-province cascade's plans folder and the workspace built from it."""
    plans = tmp_path / "plans"
    write_cascade(plans, provinces=2, wards=1, variants=1)
    build_workspace([plans], tmp_path / "ws")
    return plans, tmp_path / "ws"


def _rebuild_with(plans: Path, workspace: Path, text: str) -> None:
    """Build again with one plan more (or changed): a new graph file."""
    (plans / "extra.txt").write_text(f"Số: 9/KH-UBND\nKẾ HOẠCH\nThử\n{text}\n", encoding="utf-8")
    build_workspace([plans], workspace)


def test_sparql_store_is_cached_and_renewed_by_a_build(tmp_path: Path) -> None:
    plans, workspace = _small_workspace(tmp_path)
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?d a <http://data.europa.eu/eli/ontology#LegalResource> }"
    first, _ = sparql_workspace(workspace, query)
    [cached] = _stores(workspace)
    again, _ = sparql_workspace(workspace, query)
    assert again == first and _stores(workspace) == [cached]
    _rebuild_with(plans, workspace, "1. Sở Y tế chủ trì.")
    renewed, _ = sparql_workspace(workspace, query)
    assert int(renewed.column("n")[0] or 0) == int(first.column("n")[0] or 0) + 1
    [fresh] = _stores(workspace)
    assert fresh.name != cached.name
    assert sorted(p.name for p in (workspace / "sparql").iterdir()) == [fresh.name, f"{fresh.name}.lock"]


def _stores(workspace: Path) -> list[Path]:
    return sorted(p for p in (workspace / "sparql").iterdir() if p.is_dir())


def test_a_store_still_read_is_not_removed_by_the_next_fill(tmp_path: Path) -> None:
    import fcntl

    plans, workspace = _small_workspace(tmp_path)
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    sparql_workspace(workspace, query)
    [old] = _stores(workspace)
    with (workspace / "sparql" / f"{old.name}.lock").open("a+b") as reader:  # another process reading it
        fcntl.flock(reader, fcntl.LOCK_SH)
        _rebuild_with(plans, workspace, "1. Sở Y tế chủ trì.")
        sparql_workspace(workspace, query)
        assert old in _stores(workspace) and len(_stores(workspace)) == 2
    _rebuild_with(plans, workspace, "1. Sở Y tế chủ trì, UBND xã phối hợp.")
    sparql_workspace(workspace, query)
    [newest] = _stores(workspace)  # the reader is gone: both earlier stores are removed
    assert newest != old and not (workspace / "sparql" / f"{old.name}.lock").exists()


def test_concurrent_queries_fill_the_store_once_and_agree(seed_workspace: Path, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(seed_workspace, workspace, ignore=shutil.ignore_patterns("sparql"))
    command = [sys.executable, "-m", "plankg", "sparql", "orphans", "--format", "csv", "--workspace", str(workspace)]
    runs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], [err for _, err in outputs]
    assert len({out for out, _ in outputs}) == 1 and outputs[0][0].count(b"\n") > 1
    assert [p.name.endswith(".tmp") for p in _stores(workspace)] == [False]


# --- the workbook -----------------------------------------------------------------------------

def test_workbook_from_the_store_holds_the_loaded_graphs_cells(workspace: Path, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    streamed_book = openpyxl.load_workbook(export_xlsx_workspace(workspace, tmp_path / "store.xlsx"))
    loaded_book = openpyxl.load_workbook(write_workbook(load_graph(workspace), tmp_path / "graph.xlsx"))
    assert streamed_book.sheetnames == loaded_book.sheetnames
    for name in loaded_book.sheetnames:
        cells = [[(c.value, c.quotePrefix) for c in row] for row in streamed_book[name].iter_rows()]
        assert cells == [[(c.value, c.quotePrefix) for c in row] for row in loaded_book[name].iter_rows()]
        assert streamed_book[name].auto_filter.ref == loaded_book[name].auto_filter.ref
    assert streamed_book["Nhiệm vụ"].max_row > 100 and streamed_book["Khoảng trống"].max_row > 1


def test_the_store_filled_in_parts_holds_every_triple(seed_workspace: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import plankg.graph.workspace as ws

    workspace = tmp_path / "ws"
    shutil.copytree(seed_workspace, workspace, ignore=shutil.ignore_patterns("sparql"))
    monkeypatch.setattr(ws, "_FILL_LINES", 97)  # many parts, none on a round boundary
    with ws._sparql_source(workspace) as filled, tempfile.TemporaryFile() as data:
        export_workspace(workspace, "nt", data)
        data.seek(0)
        lines = data.read().splitlines()
        assert len(lines) > 20 * 97 and len(filled) == len(set(lines))
