"""SPARQL over the export: named queries, bound parameters, result formats, the rdflib fallback."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph
import pytest
from click.testing import CliRunner
from small_graph import PROVINCE, WARD, build_small_graph

from plankg.cli import cli
from plankg.errors import QueryError
from plankg.exports import sparql
from plankg.exports.audit import audit
from plankg.exports.rdf import node_iri, to_rdf
from plankg.exports.sparql import (
    BASE,
    Result,
    Term,
    format_result,
    load_store,
    named_queries,
    query_form,
    resolve_query,
    run_query,
)
from plankg.graph import build_graph
from plankg.model import DocumentRecord
from plankg.normalize import fold

QUERIES = named_queries()
HOSTILE = ['x" } ; DROP ALL ; #', "x' } } INSERT DATA { <a> <b> <c> } #", 'a"""\n} LIMIT 0 #', "\\\" }\n#",
           "> } SELECT * { ?s ?p ?o } #"]


@pytest.fixture(scope="module")
def seed_graph(seed_records: dict[str, DocumentRecord]) -> nx.MultiDiGraph:
    return build_graph(seed_records.values())


@pytest.fixture(scope="module")
def store(seed_graph: nx.MultiDiGraph) -> pyoxigraph.Store:
    return load_store(seed_graph)


@pytest.fixture(scope="module")
def small() -> nx.MultiDiGraph:
    return build_small_graph()


def values(result: Result) -> list[tuple[str, ...]]:
    return [tuple(term.value if term else "" for term in row) for row in result.rows]


def rows(result: Result) -> list[dict[str, str | None]]:
    return [{name: term.value if term else None for name, term in zip(result.variables, row, strict=True)}
            for row in result.rows]


# --- named queries --------------------------------------------------------------------

def test_named_queries_document_their_parameters() -> None:
    assert sorted(QUERIES) == ["agency-tasks", "cascade", "lineage", "orphans", "overdue"]
    expected = {"lineage": ["task"], "cascade": ["directive"], "agency-tasks": ["agency"], "orphans": [],
                "overdue": ["today"]}
    for name, query in QUERIES.items():
        assert query.description
        assert [p.name for p in query.parameters] == expected[name]
        assert all(p.description for p in query.parameters)
        assert query_form(query.text) == "SELECT"


def test_lineage_climbs_from_the_ward_task_to_its_national_parent(small: nx.MultiDiGraph) -> None:
    result = run_query(small, QUERIES["lineage"].text, {"task": f"{WARD}#r2"})
    assert rows(result) == [{
        "depth": "1", "item": str(node_iri(f"{PROVINCE}#II/r2")),
        "label": "Đào tạo nguồn nhân lực công nghệ số cho cán bộ, công chức", "document": str(node_iri(PROVINCE)),
        "score": "0.8142", "status": "proposed",
    }]
    # The rejected link is not part of the lineage.
    assert run_query(small, QUERIES["lineage"].text, {"task": f"{WARD}#r3"}).rows == ()


def test_cascade_lists_derived_tasks_and_applying_documents(small: nx.MultiDiGraph) -> None:
    result = rows(run_query(small, QUERIES["cascade"].text, {"directive": PROVINCE}))
    derived = sorted(r["item"] for r in result if r["relation"] == "derived_from")
    assert derived == [str(node_iri(f"{WARD}#r1")), str(node_iri(f"{WARD}#r2"))]
    assert [(r["item"], r["parent"]) for r in result if r["relation"] == "applies"] == [
        (str(node_iri(WARD)), str(node_iri(PROVINCE)))]
    national = rows(run_query(small, QUERIES["cascade"].text, {"directive": "bo-chinh-tri/2024/57-nq-tw"}))
    assert {r["item"] for r in national} == {str(node_iri(PROVINCE)), str(node_iri(WARD))}


def test_agency_tasks_matches_names_with_or_without_accents(store: pyoxigraph.Store) -> None:
    accented = rows(run_query(store, QUERIES["agency-tasks"].text, {"agency": "Sở Tài chính"}))
    bare = rows(run_query(store, QUERIES["agency-tasks"].text, {"agency": "SO TAI CHINH"}))
    assert accented and accented == bare
    assert {r["role"] for r in accented} == {"lead", "support"}
    assert all("tài chính" in fold(r["agencyName"] or "") for r in accented)


def test_orphans_are_the_audits_orphan_tasks(seed_graph: nx.MultiDiGraph, store: pyoxigraph.Store) -> None:
    found = set(run_query(store, QUERIES["orphans"].text).column("task"))
    audited = {str(node_iri(v.node)) for v in audit(seed_graph).violations if v.rule.id == "orphan-task"}
    assert found and found == audited


def test_overdue_lists_only_tasks_due_before_the_day(seed_graph: nx.MultiDiGraph, store: pyoxigraph.Store) -> None:
    result = rows(run_query(store, QUERIES["overdue"].text, {"today": "2026-06-01"}))
    expected = sorted(str(node_iri(n)) for n, d in seed_graph.nodes(data=True)
                      if d["kind"] == "task" and d.get("deadline_end") and d["deadline_end"] < "2026-06-01")
    assert sorted(r["task"] or "" for r in result) == expected
    assert [r["deadlineEnd"] for r in result] == sorted(r["deadlineEnd"] or "" for r in result)


# --- parameters are values, never query text --------------------------------------------

@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_parameter_cannot_alter_the_query(store: pyoxigraph.Store, value: str) -> None:
    size = len(store)
    assert run_query(store, QUERIES["agency-tasks"].text, {"agency": value}).rows == ()
    echoed = run_query(store, "SELECT ?v WHERE { }", {"v": value})
    assert echoed.column("v") == [value]
    assert len(store) == size


@pytest.mark.parametrize("value", ["http://e/a> } #", "http://e/a b", 'https://e/"x"'])
def test_a_hostile_iri_parameter_is_refused(store: pyoxigraph.Store, value: str) -> None:
    with pytest.raises(QueryError, match="not a valid IRI"):
        run_query(store, QUERIES["lineage"].text, {"task": value})


def test_a_hostile_node_id_becomes_a_harmless_iri(store: pyoxigraph.Store) -> None:
    result = run_query(store, "#   ?t  iri  a node\nSELECT ?t WHERE { }", {"t": 'x> } ; DROP ALL #"'})
    assert result.column("t") == [str(node_iri('x> } ; DROP ALL #"'))]
    assert run_query(store, QUERIES["lineage"].text, {"task": 'x> } ; DROP ALL #"'}).rows == ()


def test_a_hostile_parameter_name_is_refused(store: pyoxigraph.Store) -> None:
    with pytest.raises(QueryError, match="invalid parameter name"):
        run_query(store, "SELECT ?v WHERE { }", {"v) { } #": "x"})


def test_parameters_are_joined_to_the_top_level_group_past_braces_in_strings_and_comments(
        store: pyoxigraph.Store) -> None:
    query = 'SELECT (CONCAT("{", ?v, "}") AS ?w) # { not here\nWHERE { FILTER (STRLEN(?v) > 0) }'
    assert run_query(store, query, {"v": "a"}).column("w") == ["{a}"]


def test_typed_parameters(store: pyoxigraph.Store) -> None:
    with pytest.raises(QueryError, match="missing parameter \\?today"):
        run_query(store, QUERIES["overdue"].text)
    with pytest.raises(QueryError, match="must be a date"):
        run_query(store, QUERIES["overdue"].text, {"today": "1/6/2026"})
    with pytest.raises(QueryError, match="unknown parameter \\?day"):
        run_query(store, QUERIES["overdue"].text, {"today": "2026-06-01", "day": "x"})
    result = run_query(store, "SELECT (DATATYPE(?n) AS ?t) WHERE { }", {"n": 3})
    assert result.column("t") == ["http://www.w3.org/2001/XMLSchema#integer"]


def test_only_select_and_ask_queries_run(store: pyoxigraph.Store) -> None:
    assert run_query(store, "ASK { ?s a <http://data.europa.eu/eli/ontology#LegalResource> }").boolean is True
    with pytest.raises(QueryError, match="only SELECT and ASK"):
        run_query(store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="invalid SPARQL"):
        run_query(store, "SELECT ?s WHERE { ?s ")


def test_resolve_query_by_name_file_or_text(tmp_path: Path) -> None:
    assert resolve_query("orphans") == QUERIES["orphans"].text
    path = tmp_path / "q.rq"
    path.write_text("ASK {}", encoding="utf-8")
    assert resolve_query(str(path)) == "ASK {}"
    assert resolve_query("ASK { ?s ?p ?o }") == "ASK { ?s ?p ?o }"
    with pytest.raises(QueryError, match="not a query name"):
        resolve_query("no-such-query")


# --- formats and engines ---------------------------------------------------------------------

def test_result_formats(small: nx.MultiDiGraph) -> None:
    result = run_query(small, QUERIES["lineage"].text, {"task": f"{WARD}#r1"})
    table = format_result(result, "table").splitlines()
    assert [cell.strip() for cell in table[0].split(" | ")] == list(result.variables)
    assert table[-1] == "(1 row)" and "id:ubnd-tinh-lai-chau/2026/12-kh-ubnd/II/r1" in table[2]
    records = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert records[0] == list(result.variables) and len(records) == 2
    data: dict[str, Any] = json.loads(format_result(result, "json"))
    assert data["head"]["vars"] == list(result.variables)
    binding = data["results"]["bindings"][0]
    assert binding["item"] == {"type": "uri", "value": str(node_iri(f"{PROVINCE}#II/r1"))}
    assert binding["label"]["xml:lang"] == "vi"
    assert binding["score"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"
    assert json.loads(format_result(Result((), (), True), "json")) == {"head": {}, "boolean": True}
    with pytest.raises(QueryError, match="table, csv, json"):
        format_result(result, "xml")


def test_rdflib_fallback_gives_the_same_rows(small: nx.MultiDiGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    cases = [("lineage", {"task": f"{WARD}#r1"}), ("agency-tasks", {"agency": "cong an"}),
             ("overdue", {"today": "2027-12-31"}), ("cascade", {"directive": PROVINCE})]
    expected = [run_query(small, QUERIES[name].text, params) for name, params in cases]

    def missing() -> None:
        raise ImportError("pyoxigraph")

    monkeypatch.setattr(sparql, "_import_oxigraph", missing)
    for (name, params), want in zip(cases, expected, strict=True):
        got = run_query(to_rdf(small), QUERIES[name].text, params)
        assert got.variables == want.variables
        assert sorted(values(got)) == sorted(values(want)), name
    assert run_query(small, "SELECT ?v WHERE { }", {"v": HOSTILE[0]}).column("v") == [HOSTILE[0]]


# --- tables that fit a terminal ------------------------------------------------------------

LONG_ID = "ubnd-tinh-lai-chau/2026/2233-kh-ubnd/II/3/a"
LONG_TEXT = "Sở Tài chính chủ trì, phối hợp với các sở, ngành có liên quan: huy động tối đa nguồn lực"


def _wide() -> Result:
    """Two rows: a node's IRI (never cut), a long text and a short one (cut widest first)."""
    return Result(("item", "label", "status"), tuple(
        (Term("uri", BASE + LONG_ID + suffix), Term("literal", LONG_TEXT), Term("literal", "đề xuất"))
        for suffix in ("", "/b")))


@pytest.mark.parametrize("width", [80, 100, 120])
def test_a_table_wider_than_the_terminal_cuts_its_texts_never_its_ids(width: int) -> None:
    whole = format_result(_wide(), "table").splitlines()
    fitted = format_result(_wide(), "table", width=width).splitlines()
    assert max(map(len, whole)) > width >= max(map(len, fitted))
    assert len(fitted) == len(whole) and fitted[-1] == "(2 rows)"
    assert [line.split(" | ")[0].rstrip() for line in fitted[2:-1]] == [f"id:{LONG_ID}", f"id:{LONG_ID}/b"]
    label = fitted[2].split(" | ")[1].rstrip()
    assert label.endswith("…") and LONG_TEXT.startswith(label[:-1])
    assert fitted[2].endswith(" | đề xuất")  # the short column is not cut while the long one can be


def test_a_table_whose_ids_alone_are_too_wide_is_shown_a_row_at_a_time() -> None:
    lines = format_result(_wide(), "table", width=60).splitlines()
    assert lines[0].startswith("-[ 1 ]-") and lines[4].startswith("-[ 2 ]-") and lines[-1] == "(2 rows)"
    assert lines[1:4] == [f"item   | id:{LONG_ID}", f"label  | {LONG_TEXT[:59]}…", "status | đề xuất"]
    assert max(len(line) for line in lines if line.startswith("-[")) <= 60


def test_a_table_that_fits_or_has_no_width_is_unchanged() -> None:
    whole = format_result(_wide(), "table")
    assert format_result(_wide(), "table", width=len(max(whole.splitlines(), key=len))) == whole
    assert format_result(_wide(), "table", width=None) == whole


def test_sparql_fits_the_terminal_and_prints_a_plain_table_to_a_pipe(seed_workspace: Path) -> None:
    runner = CliRunner()
    command = ["sparql", "agency-tasks", "--param", "agency=Sở Tài chính", "--workspace", str(seed_workspace)]
    terminal = runner.invoke(cli, command, env={"COLUMNS": "80"})
    piped = runner.invoke(cli, command, env={"COLUMNS": ""})
    assert terminal.exit_code == piped.exit_code == 0, terminal.output + piped.output
    assert max(map(len, terminal.stdout.splitlines())) <= 80
    assert max(map(len, piped.stdout.splitlines())) > 80  # one row a line, for grep and friends
    assert terminal.stdout.splitlines()[-1] == piped.stdout.splitlines()[-1]  # the same rows
