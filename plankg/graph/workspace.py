"""The workspace: parsed records and the built graph, persisted between commands.

``plankg build`` parses documents into a workspace directory (default ``./.plankg``, or
``$PLANKG_WORKSPACE``); every query command then loads the graph from it instead of
parsing again. Layout::

    manifest.json            format version, plankg version, the sources (path, sha256) and the
                             file of their records
    records/<key>.jsonl      the parsed records, one line per distinct source content:
                             ["<sha256>", <the record's to_dict() JSON>]; <key> is the sha256 of
                             the contents listed, so a build that lists others writes a new file
    graph.sqlite             nodes and edges, indexed both ways (plankg.graph.store)
    curation.csv             child,parent,status,reason,child_text,parent_text: lineage links
                             confirmed or rejected by hand, with a snapshot of both texts
    sparql/<key>/            the Oxigraph store of local SPARQL queries (filled by the first query
                             after a build, see :func:`sparql_store`; safe to delete)

Records are keyed by the sha256 of the source bytes, so an unchanged file is never parsed
twice. They are kept in one file, not a file each: a national corpus is thousands of sources,
and creating as many files costs more than writing one (seconds, on some file systems).
Every file is written to a temporary name and moved into place with :func:`os.replace`,
records first and the manifest last, so a build killed at any point leaves complete files:
the previous graph, or the new one (which carries its own format version) while the
manifest still lists the previous sources and records until the next build.
Queries about one node read only its neighbourhood from the graph file
(:func:`load_subgraph`); whole-graph queries read it all (:func:`load_graph`); the
N-Triples, Turtle, JSON and CSV exports, ``push`` and local SPARQL read it row by row
(:func:`export_workspace`), so their memory does not grow with the graph.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import orjson

from plankg import __version__
from plankg.errors import ExportError, InputError, PlankgError, UnknownNodeError, WorkspaceError
from plankg.graph import queries, refs, store
from plankg.graph.curation import Anchoring
from plankg.graph.curation import rewrite as rewrite_curation
from plankg.graph.processes import c_function, forking_context, start_worker
from plankg.i18n import _, current_language, ngettext, set_language, term
from plankg.normalize import search_key

if TYPE_CHECKING:  # networkx and the linker are imported only when needed: queries start faster
    from plankg.graph.build import Graph
    from plankg.graph.link import Progress
    from plankg.graph.subgraph import Subgraph
from plankg.model import (
    Agency,
    AgencyKind,
    Annotation,
    Citation,
    Deadline,
    DocumentInfo,
    DocumentRecord,
    Level,
    NodeKind,
    Part,
    Relation,
    Section,
    Signer,
    Target,
    Task,
    UnparsedLine,
)

__all__ = [
    "DEFAULT_WORKSPACE",
    "FORMAT_VERSION",
    "STREAMED_FORMATS",
    "WORKSPACE_ENV",
    "BuildReport",
    "build_workspace",
    "default_workspace",
    "export_csv_workspace",
    "export_workspace",
    "export_xlsx_workspace",
    "graph_data",
    "load_graph",
    "load_records",
    "load_subgraph",
    "node_ids_workspace",
    "push_workspace",
    "record_from_dict",
    "sparql_store",
    "sparql_workspace",
]

#: Version of the workspace layout; a workspace of another version must be rebuilt.
FORMAT_VERSION = 6
DEFAULT_WORKSPACE = Path(".plankg")
WORKSPACE_ENV = "PLANKG_WORKSPACE"
CURATION_HEADER = "child,parent,status,reason,child_text,parent_text\n"

_MANIFEST = "manifest.json"
_GRAPH = "graph.sqlite"
_RECORDS = "records"
_CURATION = "curation.csv"
_LOCK = "build.lock"
_RECORD_NAME = re.compile(r"^[0-9a-f]{64}\.jsonl?$")  # (.json: a record a file, in older workspaces)
_RECORDS_FILE = re.compile(rf"{_RECORDS}/[0-9a-f]{{64}}\.jsonl")


def default_workspace() -> Path:
    """``$PLANKG_WORKSPACE`` when set, else ``./.plankg``."""
    return Path(os.environ.get(WORKSPACE_ENV) or DEFAULT_WORKSPACE)


# --- records <-> JSON ------------------------------------------------------------------

def record_from_dict(data: dict[str, Any]) -> DocumentRecord:
    """Rebuild a :class:`DocumentRecord` from its JSON (``DocumentRecord.to_dict()``).

    JSON from older versions without ``lead_agencies``/``support_agencies`` still loads:
    a task's agencies are then looked up by name among the record's ``agencies``.

    Raises
    ------
    KeyError, TypeError, ValueError
        ``data`` is not the JSON of a record.

    Examples
    --------
    >>> from plankg.loaders import load_text
    >>> record = load_text("Số: 5/KH-UBND\\nKẾ HOẠCH\\nThử\\n1. Sở Y tế chủ trì, năm 2026.", source="a.txt")
    >>> record_from_dict(record.to_dict()) == record
    True
    """
    agencies = tuple(_agency(a) for a in data["agencies"])
    by_name = {a.name: a for a in agencies}

    def task_agencies(task: dict[str, Any], role: str) -> tuple[Agency, ...]:
        full = task.get(f"{role}_agencies")
        if full is not None:
            return tuple(_agency(a) for a in full)
        return tuple(by_name.get(name) or Agency(name, name) for name in task[role])

    return DocumentRecord(
        document=_document(data["document"]),
        citations=tuple(
            Citation(number=c["number"], type=c["type"], issuer=c["issuer"], date=_date(c["date"]),
                     level=_level(c["level"]), relation=Relation(c["relation"]), via=c["via"],
                     lines=tuple(c["lines"]), subject=c.get("subject"))
            for c in data["citations"]
        ),
        sections=tuple(
            Section(id=s["id"], path=tuple(s["path"]), label=s["label"], text=s["text"], part=Part(s["part"]),
                    lines=tuple(s["lines"]))
            for s in data["sections"]
        ),
        tasks=tuple(
            Task(id=t["id"], path=tuple(t["path"]), text=t["text"], lead=task_agencies(t, "lead"),
                 support=task_agencies(t, "support"), deadline=_deadline(t["deadline"]), part=Part(t["part"]),
                 lines=tuple(t["lines"]), product=t["product"])
            for t in data["tasks"]
        ),
        targets=tuple(
            Target(id=t["id"], path=tuple(t["path"]), text=t["text"], indicator=t["indicator"],
                   value=tuple(t["value"]) if isinstance(t["value"], list) else t["value"], unit=t["unit"],
                   comparator=t["comparator"], year=t["year"], line=t["line"])
            for t in data["targets"]
        ),
        agencies=agencies,
        unparsed=tuple(UnparsedLine(u["line"], u["text"], u.get("page"), tuple(u.get("lines", ())))
                       for u in data["unparsed"]),
        header_lines=tuple(data["header_lines"]),
        decoration_lines=tuple(data.get("decoration_lines", ())),
        annotations=tuple(Annotation(a["line"], a["kind"], a["text"], a.get("after"), a.get("note"), a.get("page"))
                          for a in data.get("annotations", ())),
        attachments=tuple(record_from_dict(a) for a in data.get("attachments", ())),
    )


def _document(d: dict[str, Any]) -> DocumentInfo:
    signer = d["signer"]
    return DocumentInfo(
        id=d["id"], source=d["source"], type=d["type"], number=d["number"], symbol=d["symbol"], title=d["title"],
        issuer=d["issuer"], level=_level(d["level"]), jurisdiction=d["jurisdiction"], date=_date(d["date"]),
        year=d["year"], place=d["place"], signer=Signer(signer["name"], signer["position"]) if signer else None,
        province=d.get("province"), month=d.get("month"),
    )


def _agency(a: dict[str, Any]) -> Agency:
    return Agency(name=a["name"], raw=a["raw"], kind=AgencyKind(a["kind"]), jurisdiction=a["jurisdiction"],
                  level=_level(a["level"]))


def _deadline(d: dict[str, Any] | None) -> Deadline | None:
    if d is None:
        return None
    return Deadline(text=d["text"], start=_date(d["start"]), end=_date(d["end"]), continuous=d["continuous"],
                    recurrence=d["recurrence"])


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _level(value: str | None) -> Level | None:
    return Level(value) if value else None


# --- graph <-> JSON --------------------------------------------------------------------

def graph_data(G: Graph) -> dict[str, Any]:
    """Node-link data of ``G`` (``edges`` key) in a stable order, for stable bytes.

    Nodes are sorted by id and edges by source, target and key; each node starts with its
    ``id`` and each edge with ``source``, ``target``, ``key``, the other attributes sorted.

    >>> from plankg.graph.build import Graph

    >>> G = Graph()
    >>> G.add_edge("b", "a", key="cites", relation="cites")
    'cites'
    >>> data = graph_data(G)
    >>> [n["id"] for n in data["nodes"]], data["edges"]
    (['a', 'b'], [{'source': 'b', 'target': 'a', 'key': 'cites', 'relation': 'cites'}])
    """
    import networkx as nx

    data: dict[str, Any] = nx.node_link_data(G, edges="edges")
    data["nodes"] = [{"id": n["id"], **{k: n[k] for k in sorted(n) if k != "id"}}
                     for n in sorted(data["nodes"], key=lambda n: str(n["id"]))]
    ends = ("source", "target", "key")
    data["edges"] = [{**{k: e[k] for k in ends}, **{k: e[k] for k in sorted(e) if k not in ends}}
                     for e in sorted(data["edges"], key=lambda e: tuple(str(e[k]) for k in ends))]
    return data


def load_graph(workspace: Path) -> Graph:
    """The whole graph of the workspace at ``workspace``.

    Raises
    ------
    WorkspaceError
        There is no workspace at ``workspace``, or it is corrupt or of another format version.
    """
    _check_manifest(workspace)
    try:
        return store.read_graph(workspace / _GRAPH, format_version=FORMAT_VERSION)
    except (store.StoreError, sqlite3.DatabaseError, ValueError, TypeError) as exc:
        raise _unreadable(workspace, exc) from None


def load_subgraph(workspace: Path, node_id: str, *, direction: str) -> Subgraph:
    """The part of the workspace graph a query about ``node_id`` needs.

    ``direction`` is ``up`` (lineage), ``down`` (cascade) or ``around`` (show); see
    :func:`plankg.graph.store.read_neighbourhood`. Only the rows needed are read, so a
    query answers quickly from a fresh process whatever the size of the workspace. The
    queries read the :class:`~plankg.graph.subgraph.Subgraph` as they read a whole graph;
    its ``to_networkx()`` gives it to networkx's algorithms.
    """
    _check_manifest(workspace)
    try:
        return store.read_neighbourhood(workspace / _GRAPH, node_id, direction=direction,
                                        format_version=FORMAT_VERSION)
    except (store.StoreError, sqlite3.DatabaseError, ValueError, TypeError) as exc:
        raise _unreadable(workspace, exc) from None


class _StoreNodes:
    """A :class:`~plankg.graph.refs.NodeSource` over the workspace's store: documents and
    the items of one document are read by key; only a search loads the whole graph."""

    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace

    def _read(self, **query: Any) -> list[tuple[str, dict[str, Any]]]:
        try:
            return store.read_nodes(self.workspace / _GRAPH, format_version=FORMAT_VERSION, **query)
        except (store.StoreError, sqlite3.DatabaseError, ValueError, TypeError) as exc:
            raise _unreadable(self.workspace, exc) from None

    def has(self, node_id: str) -> bool:
        return bool(self._read(ids=[node_id]))

    def documents(self) -> list[tuple[str, dict[str, Any]]]:
        return self._read(documents=True)

    def items(self, document: str) -> list[tuple[str, dict[str, Any]]]:
        return self._read(prefix=document + "#")

    def search(self, phrase: str) -> list[tuple[str, str, bool, bool]]:
        words = len(queries.search_words(phrase))
        hits = search_workspace(self.workspace, phrase, limit=50)
        return [(h.id, h.label, h.phrase, h.matched == words) for h in hits]


@contextlib.contextmanager
def _reading(workspace: Path) -> Iterator[Path]:
    """The workspace's store, checked, with its failures turned into a WorkspaceError."""
    _check_manifest(workspace)
    try:
        yield workspace / _GRAPH
    except (store.StoreError, sqlite3.DatabaseError, ValueError, TypeError) as exc:
        raise _unreadable(workspace, exc) from None


#: Candidates read by bm25 when fewer nodes than asked hold every query word.
_SEARCH_CANDIDATES = 5000


def search_workspace(workspace: Path, text: str, *, kinds: Iterable[str] | None = None,
                     limit: int | None = 20) -> list[queries.Hit]:
    """:func:`plankg.graph.queries.search` through the store's full-text index, without
    loading the graph.

    The nodes holding every word are all ranked, so whenever at least ``limit`` of them
    exist the answer is the whole-graph search's. Nodes holding only some words are taken
    from the best :data:`_SEARCH_CANDIDATES` by bm25.
    """
    query = queries.SearchQuery.of(text)
    wanted = set(kinds) if kinds is not None else None
    scored: dict[str, queries.Hit] = {}
    with _reading(workspace) as path:
        def score(node: str, kind: str, exact: str) -> queries.Hit | None:
            if wanted is not None and kind not in wanted:
                return None
            found = query.score([t.strip() for t in exact.split(store.FIELD_MARK.strip())])
            return queries.Hit(node, kind, "", None, None, *found) if found is not None else None

        def add(rows: Iterable[tuple[str, str, str, str]]) -> None:
            for node, kind, _, exact in rows:
                if node not in scored and (hit := score(node, kind, exact)) is not None:
                    scored[node] = hit

        words = list(query.words)
        top = _phrase_top(path, query, score, limit) if limit is not None and len(words) > 1 else None
        if top is None:
            add(store.search_rows(path, words, every=True, format_version=FORMAT_VERSION))
            if len(words) > 1 and (limit is None or len(scored) < limit):
                add(store.search_rows(path, words, every=False, format_version=FORMAT_VERSION,
                                      limit=None if limit is None else max(_SEARCH_CANDIDATES, 50 * limit)))
            top = sorted(scored.values(), key=queries.hit_order)[:limit]
        nodes = dict(store.read_nodes(path, ids=[h.id for h in top], format_version=FORMAT_VERSION))
    return [queries.hit(h.id, nodes[h.id], (h.matched, h.phrase, h.exact)) for h in top]


def _phrase_top(path: Path, query: queries.SearchQuery, score: Callable[[str, str, str], queries.Hit | None],
                limit: int) -> list[queries.Hit] | None:
    """The best ``limit`` hits when at least that many nodes hold the whole phrase, read
    without ranking every node that holds the words (thousands, nationally); else None.

    Hits rank by words matched, phrase, match as typed, kind, id. Every node holding the
    phrase as typed comes first (few); then the phrase holders in kind and id order, as the
    index returns them, until enough are found. The index's matches are a superset of what
    :meth:`~plankg.graph.queries.SearchQuery.score` confirms, so each is scored.
    """
    words = len(query.words)

    def best(hit: queries.Hit | None) -> bool:
        return hit is not None and hit.matched == words and hit.phrase

    phrase = query.phrase.split()
    exact = [h for row in store.search_phrase(path, phrase, typed=query.typed, format_version=FORMAT_VERSION)
             if best(h := score(row[0], row[1], row[3])) and h is not None and h.exact]
    top = sorted(exact, key=queries.hit_order)[:limit]
    seen = {h.id for h in top}
    for node, kind, _rank, text in store.search_phrase(path, phrase, typed=None, format_version=FORMAT_VERSION):
        if len(top) >= limit:
            return top
        if node not in seen and best(h := score(node, kind, text)) and h is not None and not h.exact:
            top.append(h)
    return top if len(top) >= limit else None


def overview_rows(workspace: Path, kinds: Sequence[str], relations: Sequence[str]) -> tuple[
        list[tuple[str, dict[str, Any]]], list[tuple[Any, ...]], list[tuple[Any, ...]], dict[str, list[str]]]:
    """What the viewer's overview reads, straight from the store: every document node; for
    each item of ``kinds``, ``(id, kind, fields)``, its fields ``[document, path, text, lead,
    deadline text, first line]`` as a JSON array; for each edge of ``relations``, ``(source,
    target, relation, score, band, status)``; and the search keys the build stored for those
    items, ``id: [folded with diacritics, folded without]``. Only the fields named are read,
    never the whole graph (in one ``json_extract`` of the six paths: SQLite parses each
    node's data once, not once per field)."""
    marks = ",".join("?" * len(kinds))
    item_sql = ("SELECT id, kind, json_extract(data, '$.document', '$.path', '$.text', '$.lead', '$.deadline_text', "
                f"'$.lines[0]') FROM nodes WHERE kind IN ({marks})")
    link_sql = ("SELECT source, target, key, json_extract(data, '$.score'), json_extract(data, '$.band'), "
                f"json_extract(data, '$.status') FROM edges WHERE key IN ({','.join('?' * len(relations))})")
    key_sql = f"SELECT id, exact, folded FROM search WHERE kind IN ({marks})"
    with _reading(workspace) as path:
        documents = store.read_nodes(path, documents=True, format_version=FORMAT_VERSION)
        items = store.select(path, item_sql, kinds, format_version=FORMAT_VERSION)
        links = store.select(path, link_sql, relations, format_version=FORMAT_VERSION)
        keys = {n: [exact, folded] for n, exact, folded in store.select(path, key_sql, kinds,
                                                                         format_version=FORMAT_VERSION)}
    return documents, items, links, keys


def gaps_workspace(workspace: Path, *, level: str | None = None, under: str | None = None,
                   agency: str | None = None) -> queries.Gaps:
    """:func:`plankg.graph.queries.gaps`, selected from the gaps the store holds (found on the
    whole graph when it was written): by level, by agency, and with ``under`` by the subtree of
    that node (:func:`plankg.graph.store.read_subtree`), never loading the graph."""
    wanted = Level(level).value if level else None
    with _reading(workspace) as path:
        scope = None
        heir = None
        if under is not None:
            kind, scope = store.read_subtree(path, under, format_version=FORMAT_VERSION)
            if kind is None:
                raise UnknownNodeError(under)
            if not scope:
                raise queries.wrong_kind(under, kind, "gaps --under")
            heir = under if kind == NodeKind.DOCUMENT.value else \
                str(dict(store.read_nodes(path, ids=[under], format_version=FORMAT_VERSION))[under].get("document"))
        rows = store.read_gaps(path, level=wanted, tasks=scope, heir=heir, format_version=FORMAT_VERSION)
    key = search_key(agency) if agency is not None else None
    found: dict[str, list[queries.Gap]] = {kind: [] for kind in (*store.GAP_KINDS, "inherited")}
    for kind, data in rows:
        gap = queries.Gap(**{**data, **{name: tuple(data[name]) for name in ("missing", "lead", "support")}})
        if key is None or gap.concerns(key):
            found[kind].append(gap)
    return queries.Gaps(**{kind: tuple(gaps) for kind, gaps in found.items()})


def audit_workspace(workspace: Path) -> Any:
    """The "6 rõ" audit (:func:`plankg.exports.audit.audit_store`) as SQL over the store."""
    from plankg.exports.audit import audit_store

    with _reading(workspace) as path:
        return audit_store(path, format_version=FORMAT_VERSION)


def agency_workspace(workspace: Path, name: str) -> list[queries.AgencyTask]:
    """:func:`plankg.graph.queries.agency_tasks` from the store: the agencies (through the
    kind index), the lead and support edges to them and their tasks, nothing else."""
    key = search_key(name)
    with _reading(workspace) as path:
        agencies = store.read_nodes(path, ids=_agency_candidates(path, key), format_version=FORMAT_VERSION)
        edges = store.read_edges_to(path, [n for n, _ in agencies], (Relation.LEAD.value, Relation.SUPPORT.value),
                                    format_version=FORMAT_VERSION)
        tasks = store.read_nodes(path, ids=[u for u, _, _, _ in edges], format_version=FORMAT_VERSION)
    return queries.agency_rows(key, agencies, [(u, v, k) for u, v, k, _ in edges], dict(tasks))


def jurisdiction_workspace(workspace: Path, name: str) -> Any:
    """:func:`plankg.graph.units.jurisdiction`, reading only the store's documents."""
    from plankg.graph.units import jurisdiction

    with _reading(workspace) as path:
        documents = store.read_kind(path, NodeKind.DOCUMENT.value, format_version=FORMAT_VERSION)
    from plankg.graph.build import Graph

    G = Graph()
    G.add_nodes_from(documents)
    return jurisdiction(G, name)


def _agency_candidates(path: Path, key: str) -> list[str]:
    """Agencies whose name holds ``key``, and those named as a body that merged in 2025 (which
    :func:`plankg.graph.queries.agency_rows` keeps when the body it went into matches)."""
    from plankg.graph.mergers import agency_mergers, name_key

    found = set(store.find_agencies(path, key, format_version=FORMAT_VERSION))
    for before in sorted({name_key(m.before) for m in agency_mergers()}):
        found.update(store.find_agencies(path, before, words=True, format_version=FORMAT_VERSION))
    return sorted(found)


def deadlines_workspace(workspace: Path, *, before: dt.date | None = None) -> list[queries.DeadlineEntry]:
    """:func:`plankg.graph.queries.deadlines` from the store: only the tasks with a deadline
    (due on or before ``before``, or without an end, when it is given)."""
    with _reading(workspace) as path:
        due = store.find_deadlines(path, before=before.isoformat() if before else None, format_version=FORMAT_VERSION)
        tasks = store.read_nodes(path, ids=due, format_version=FORMAT_VERSION)
    return queries.deadline_entries(tasks, before=before)


#: What :func:`export_workspace` writes from the store row by row.
STREAMED_FORMATS = ("nt", "turtle", "json")


def export_workspace(workspace: Path, fmt: str, out: IO[bytes]) -> int:
    """Write the workspace graph to ``out`` as N-Triples or Turtle (``nt``, ``turtle``) or as
    the node-link JSON of CONTRACT.md (``json``), reading the store row by row, so memory
    does not grow with the graph. Returns the count of triples (RDF) or of nodes and edges.

    The JSON is byte for byte the export of the loaded graph; the RDF is the same triples as
    :func:`plankg.exports.rdf.serialize` of it (the N-Triples and Turtle of a workspace come
    in the same order as those of its loaded graph). Two ids that would share an IRI are
    found by SQL before anything is written.

    Raises
    ------
    ExportError
        ``fmt`` is not one of :data:`STREAMED_FORMATS`, or the graph cannot be written in it.
    WorkspaceError
        There is no workspace at ``workspace``, or it is corrupt or of another format version.
    """
    from plankg.exports import rdf, tables

    if fmt not in STREAMED_FORMATS:
        raise ExportError(_("cannot stream {fmt!r} from the store: choose one of {formats}")
                          .format(fmt=fmt, formats=", ".join(STREAMED_FORMATS)))
    with _reading(workspace) as path, store.reader(path, format_version=FORMAT_VERSION) as read:
        if fmt == "json":
            return tables.write_json(read.nodes(), read.edges(), out)
        clash = read.first_clash(lambda node: str(rdf.node_iri(node)))
        if clash is not None:
            raise rdf.iri_clash(*clash)
        return rdf.write_rdf(read.nodes(), read.labelled_edges(Relation.DERIVED_FROM.value), out, fmt)


def export_csv_workspace(workspace: Path, folder: Path) -> tuple[Path, Path]:
    """``nodes.csv`` and ``edges.csv`` of the workspace graph, written into ``folder`` from the
    store row by row (the columns found by SQL first): the same bytes as
    :func:`plankg.exports.tables.to_csv` of the loaded graph."""
    from plankg.exports import tables

    with _reading(workspace) as path, store.reader(path, format_version=FORMAT_VERSION) as read:
        node_names, edge_names = read.attribute_names()
        return tables.write_csv(folder, (read.nodes(), node_names | {"id"}),
                                (read.edges(), edge_names | {"source", "target", "key"}))


def export_xlsx_workspace(workspace: Path, path: Path) -> Path:
    """The workbook of :func:`plankg.exports.workbook.write_workbook` for the whole workspace,
    without loading the graph: the tasks in reading order by SQL, the gaps and deadlines the
    store holds, and each row's nodes and lineage parent read by key as it is written."""
    from plankg.exports.workbook import write_workbook_rows

    gaps = gaps_workspace(workspace)
    deadlines = deadlines_workspace(workspace)
    with _reading(workspace) as graph, store.reader(graph, format_version=FORMAT_VERSION) as read:
        return write_workbook_rows(path, _ReaderNodes(read), read.ids_in_reading_order(NodeKind.TASK.value),
                                   gaps, deadlines)


class _ReaderNodes:
    """The workbook's :class:`~plankg.exports.workbook.Nodes` read from the store by key; the
    documents (few, and named on every row) are kept once read."""

    def __init__(self, read: store.Reader) -> None:
        self.read = read
        self.documents: dict[str, dict[str, Any] | None] = {}

    def get(self, node: str) -> dict[str, Any] | None:
        if node in self.documents:
            return self.documents[node]
        data = self.read.node(node)
        if data is None or data.get("kind") == NodeKind.DOCUMENT.value:
            self.documents[node] = data
        return data

    def parent(self, node: str) -> tuple[str, dict[str, Any]] | None:
        return queries.best_link(self.read.out_edges(node, Relation.DERIVED_FROM.value))


def push_workspace(workspace: Path, endpoint: str, *, graph: str) -> Any:
    """:func:`plankg.exports.remote.push` of the workspace's N-Triples, streamed from the store
    into a temporary file and sent from it (a :class:`~plankg.exports.remote.PushReport`)."""
    from plankg.exports import remote

    remote.check_store_url(endpoint)
    with tempfile.TemporaryFile() as data:
        triples = export_workspace(workspace, "nt", data)
        data.seek(0)
        return remote.push(data, endpoint, graph=graph, triples=triples)


def sparql_workspace(workspace: Path, query_text: str, bindings: Mapping[str, str | int] | None = None, *,
                     ids: bool = False) -> tuple[Any, dict[str, str]]:
    """:func:`plankg.exports.sparql.run_query` over the workspace's RDF, and (with ``ids``)
    the node id of each export IRI in the result (see :func:`node_ids_workspace`).

    With pyoxigraph, the query runs on the Oxigraph store :func:`sparql_store` keeps in the
    workspace; without it, on rdflib's engine over the triples read from the store.
    """
    from plankg.exports import sparql

    try:
        import pyoxigraph  # noqa: F401
    except ImportError:
        import rdflib

        source = rdflib.Graph(bind_namespaces="none")
        with tempfile.TemporaryFile() as data:
            export_workspace(workspace, "nt", data)
            data.seek(0)
            source.parse(data=data.read().decode("utf-8"), format="nt")
        result = sparql.run_query(source, query_text, bindings)
    else:
        with _sparql_source(workspace) as store_:
            result = sparql.run_query(store_, query_text, bindings)
    found = {t.value for row in result.rows for t in row if t is not None and t.kind == "uri"}
    return result, node_ids_workspace(workspace, found) if ids else {}


def node_ids_workspace(workspace: Path, iris: Iterable[str]) -> dict[str, str]:
    """IRI -> node id for the export IRIs among ``iris`` whose node is in the workspace.

    An IRI is read back into the few ids that could have given it (the path part decoded,
    with one of its "/" as the "#" before an item path, or an agency's slug), and those
    are looked up in the store.
    """
    from urllib.parse import unquote

    from plankg.exports.rdf import BASE, node_iri

    candidates: dict[str, str] = {}
    for iri in iris:
        if not iri.startswith(BASE):
            continue
        rest = unquote(iri[len(BASE):])
        if rest.startswith("agency/"):
            candidates["agency:" + rest.removeprefix("agency/")] = iri
        candidates[rest] = iri
        for i, ch in enumerate(rest):
            if ch == "#":
                break
            if ch == "/":
                candidates[rest[:i] + "#" + rest[i + 1:]] = iri
    with _reading(workspace) as path:
        found = store.read_nodes(path, ids=sorted(candidates), format_version=FORMAT_VERSION)
    return {candidates[n]: n for n, _ in found if str(node_iri(n)) == candidates[n]}


#: The workspace's cache of Oxigraph stores for local SPARQL, one folder per graph.
_SPARQL = "sparql"


def sparql_store(workspace: Path) -> Any:
    """An Oxigraph store (``pyoxigraph.Store``) holding the workspace's RDF export.

    It is kept in ``sparql/<key>/`` of the workspace, ``key`` a digest of the graph file's
    identity (inode, size, modification time) and the plankg version: a build writes a new
    graph file, so the next query loads its triples once and later ones open the store
    read-only in a moment. The store is filled under a temporary name and renamed into
    place, so concurrent queries never see half a store (when two fill it at once, the
    first rename wins and the other's copy is dropped); stores of earlier graphs are
    removed then, except those a running process still reads (each reader holds a shared
    lock on ``sparql/<key>.lock``: this function's until the process ends, a query of
    :func:`sparql_workspace` while it runs). When the workspace cannot hold the store (a
    read-only folder, a full disk), or the graph changes while it is read, the triples are
    loaded in memory for this query alone.

    Raises
    ------
    ImportError
        pyoxigraph is not installed.
    WorkspaceError
        There is no workspace at ``workspace``, or it is corrupt or of another format version.
    """
    found, lock = _open_sparql_store(workspace)
    if lock is not None:
        _HELD_LOCKS.append(lock)  # the caller keeps the store: it stays until this process ends
    return found


#: Shared locks on the SPARQL stores :func:`sparql_store` returned, held until the process ends.
_HELD_LOCKS: list[IO[bytes]] = []


@contextlib.contextmanager
def _sparql_source(workspace: Path) -> Iterator[Any]:
    """The workspace's Oxigraph store, not removed by another process's fill while in use."""
    found, lock = _open_sparql_store(workspace)
    try:
        yield found
    finally:
        if lock is not None:
            lock.close()


def _open_sparql_store(workspace: Path) -> tuple[Any, IO[bytes] | None]:
    """:func:`sparql_store`'s store and the shared lock held on it (None for one in memory)."""
    import pyoxigraph as ox

    _check_manifest(workspace)
    key = _sparql_key(workspace)
    cache = workspace / _SPARQL
    final = cache / key
    tmp = cache / f"{key}.{os.getpid()}.tmp"
    lock: IO[bytes] | None = None
    try:
        cache.mkdir(exist_ok=True)
        lock = _shared_lock(cache / f"{key}.lock")
        if final.is_dir():
            with contextlib.suppress(OSError):
                return ox.Store.read_only(str(final)), lock
            shutil.rmtree(final, ignore_errors=True)  # damaged: filled again
        with tempfile.NamedTemporaryFile(dir=cache, suffix=".nt.tmp") as data:
            export_workspace(workspace, "nt", data)
            data.flush()
            if _sparql_key(workspace) != key:  # a build replaced the graph meanwhile
                lock.close()
                return _memory_store(data.name), None
            filling = ox.Store(str(tmp))
            _bulk_load_in_parts(filling, data.name)
            filling.flush()
            del filling  # closes the store before it is moved
        try:
            os.rename(tmp, final)
        except OSError:
            if not final.is_dir():
                raise
        _remove_unused_stores(cache, key)
        return ox.Store.read_only(str(final)), lock
    except OSError:
        if lock is not None:
            lock.close()
        with tempfile.NamedTemporaryFile(suffix=".nt") as data:
            export_workspace(workspace, "nt", data)
            data.flush()
            return _memory_store(data.name), None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


#: N-Triples lines bulk-loaded at a time: Oxigraph's loader holds what it is given in memory
#: (a national graph's 3.6 million triples at once: 1.6 GB; by 500,000: 0.6 GB, 1.5x the time).
_FILL_LINES = 500_000


def _bulk_load_in_parts(store: Any, path: str) -> None:
    """Load an N-Triples file into ``store`` a part at a time. Safe because the export names
    every resource by IRI: a blank node's label would mean another node in each part (the
    RDF tests check the export holds none)."""
    import itertools

    import pyoxigraph as ox

    with open(path, "rb") as handle:
        while part := b"".join(itertools.islice(handle, _FILL_LINES)):
            store.bulk_load(input=part, format=ox.RdfFormat.N_TRIPLES)


def _shared_lock(path: Path) -> IO[bytes]:
    import fcntl

    handle = path.open("a+b")
    try:
        fcntl.flock(handle, fcntl.LOCK_SH)  # waits while a fill removes this store
    except BaseException:
        handle.close()
        raise
    return handle


def _remove_unused_stores(cache: Path, key: str) -> None:
    """Remove the stores of earlier graphs that no process reads now (and their locks); a
    store still read is left for a later fill to remove."""
    import fcntl

    for old in sorted(cache.iterdir()):
        name = old.name.removesuffix(".lock")
        if name == key or old.name.endswith(".tmp") or (old.name.endswith(".lock") and (cache / name).exists()):
            continue
        with (cache / f"{name}.lock").open("a+b") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a query is reading it
            shutil.rmtree(cache / name, ignore_errors=True)
            (cache / f"{name}.lock").unlink(missing_ok=True)


def _sparql_key(workspace: Path) -> str:
    try:
        info = (workspace / _GRAPH).stat()
    except OSError as exc:
        raise _unreadable(workspace, exc) from None
    identity = f"{__version__}\n{FORMAT_VERSION}\n{info.st_ino}\n{info.st_size}\n{info.st_mtime_ns}"
    return hashlib.sha256(identity.encode()).hexdigest()[:20]


def _memory_store(path: str) -> Any:
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=path, format=ox.RdfFormat.N_TRIPLES)
    return store


def stats_workspace(workspace: Path) -> dict[str, Any]:
    """:func:`plankg.graph.queries.stats`, as counted when the store was written (or, for a
    store without them, by SQL counts)."""
    with _reading(workspace) as path:
        stored = store.read_stats(path, format_version=FORMAT_VERSION)
        if stored is not None:
            return stored
        found = store.counts(path, format_version=FORMAT_VERSION)
    counted = queries.stats_of(found["nodes"], found["edges"], found["documents"], found["links"])
    counted["units"] = queries.unit_counts(("", d) for d in found["units"])
    return counted


def curation_path(workspace: Path) -> Path:
    """The workspace's curation file (``curation.csv``)."""
    return workspace / _CURATION


def resolve_reference(workspace: Path, ref: str) -> str:
    """The node id of the workspace that ``ref`` names: an id, an official number (with
    words or an item path), a file name, an export IRI or a search phrase (see
    :mod:`plankg.graph.refs`).

    Raises
    ------
    UnknownNodeError
        ``ref`` names no node, or several (the error lists them).
    WorkspaceError
        There is no usable workspace at ``workspace``.
    """
    _check_manifest(workspace)
    return refs.resolve(ref, _StoreNodes(workspace))


def _check_manifest(workspace: Path) -> None:
    manifest_path = workspace / _MANIFEST
    if not manifest_path.is_file():
        raise WorkspaceError(_("no workspace at {workspace}: run 'plankg build PATH' first")
                             .format(workspace=workspace))
    try:
        manifest = json.loads(manifest_path.read_bytes())
        if manifest.get("format") != FORMAT_VERSION:
            raise ValueError("format version")
    except (OSError, ValueError, AttributeError):
        raise _corrupt(workspace) from None


def load_records(workspace: Path) -> list[DocumentRecord]:
    """The records of the workspace at ``workspace``, ordered by source file name.

    Raises
    ------
    WorkspaceError
        There is no workspace at ``workspace``, or it is corrupt or of another format version.
    """
    if not (workspace / _MANIFEST).is_file():
        raise WorkspaceError(_("no workspace at {workspace}: run 'plankg build PATH' first")
                             .format(workspace=workspace))
    state = _read_state(workspace)
    if not state.records or state.lost:
        raise _corrupt(workspace)
    return sorted(state.records.values(), key=lambda r: (r.document.source, r.document.id))


def _unreadable(workspace: Path, exc: BaseException) -> WorkspaceError:
    """The error for a graph store that cannot be read: locked by another program, or damaged."""
    if store.is_locked(exc):
        return WorkspaceError(_("workspace at {workspace} is locked by another program (it holds {graph}): try "
                                 "again when it has finished").format(workspace=workspace, graph=workspace / _GRAPH))
    return _corrupt(workspace)


def _corrupt(workspace: Path) -> WorkspaceError:
    return WorkspaceError(
        _("workspace at {workspace} is corrupt or from another plankg version: rebuild it with 'plankg build'")
        .format(workspace=workspace)
    )


# --- build -----------------------------------------------------------------------------

@dataclass(frozen=True)
class BuildReport:
    """What :func:`build_workspace` did.

    ``documents`` counts every record in the workspace after the build: ``parsed`` ones read
    from their file in this run and ``reused`` ones (unchanged content, or kept from an
    earlier build). ``links`` counts the ``derived_from`` edges that are not rejected.
    ``written`` is False when there was no document at all, so no workspace was written.
    """

    workspace: Path
    documents: int = 0
    parsed: int = 0
    reused: int = 0
    tasks: int = 0
    links: int = 0
    errors: tuple[PlankgError, ...] = ()
    written: bool = False
    notices: tuple[str, ...] = ()  # what the build decided on its own: a duplicate left out, a stale decision

    def to_dict(self) -> dict[str, Any]:
        """What ``plankg build --json`` prints: the counts, then each error with its file and
        line, and the notices.

        >>> BuildReport(Path("ws"), 1, 1, 0, 3, 0, written=True).to_dict()["errors"]
        []
        """
        data: dict[str, Any] = {}
        for name in (f.name for f in dataclasses.fields(self)):
            value = getattr(self, name)
            if name == "errors":
                value = [{"message": e.message, "path": e.path, "line": e.line, "type": type(e).__name__}
                         for e in value]
            data[name] = str(value) if isinstance(value, Path) else list(value) if isinstance(value, tuple) else value
        return data


@dataclass(frozen=True)
class _Source:
    path: str
    sha256: str


@dataclass
class _State:
    """Sources of a workspace by path; by sha256, records, the encoding they were read with
    and their lines in the records file (until it is written)."""

    sources: dict[str, _Source] = field(default_factory=dict)
    records: dict[str, DocumentRecord] = field(default_factory=dict)
    encodings: dict[str, str | None] = field(default_factory=dict)
    lines: dict[str, bytes] = field(default_factory=dict)
    records_file: str | None = None  # as the manifest names it
    lost: int = 0  # sources whose record is missing from the records file, or unreadable

    def add(self, source: _Source, record: DocumentRecord, encoding: str | None, line: bytes) -> None:
        self.sources[source.path] = source
        if source.sha256 not in self.records:
            self.records[source.sha256] = record
            self.encodings[source.sha256] = encoding
            self.lines[source.sha256] = line

    def records_name(self) -> str:
        """The records file of these sources' contents: named by them, so that the file a
        manifest names is never replaced by a build that lists other contents."""
        listed = "".join(f"{digest} {self.encodings[digest]}\n" for digest in sorted(self.records))
        return f"{_RECORDS}/{hashlib.sha256(listed.encode()).hexdigest()}.jsonl"


def build_workspace(
    paths: Sequence[str | Path],
    workspace: Path,
    *,
    encoding: str | None = None,
    progress: Progress | None = None,
    link: bool = True,
    jobs: int | None = None,
    timings: dict[str, float] | None = None,
    wait: bool = True,
    on_wait: Callable[[], None] | None = None,
) -> BuildReport:
    """Parse ``paths`` (files and folders) into ``workspace`` and build its graph.

    Sources loaded by earlier builds stay in the workspace; a source whose bytes (and
    ``encoding``) are unchanged since it was parsed is reused, not parsed again. Every bad
    file is reported in :attr:`BuildReport.errors` while the good ones are still built; a
    source that was loaded before and now fails keeps its last good record.
    ``progress``, when given, wraps each list of work items with a label ("Parsing",
    "Linking"; "Building the graph" and "Writing the workspace" as one step each): a
    progress bar for a person watching.
    ``link`` runs lineage inference, which reads the workspace's ``curation.csv``.
    ``jobs`` is how many processes parse, link and write the store of a large batch (default:
    one per CPU core to parse and link, and three processes to write a large store; 1 keeps
    the whole build in this process);
    ``timings``, when given, receives the seconds spent in each stage (parse, graph, link,
    write). Builds of one workspace never interleave: a second one waits for the first
    (``on_wait`` is called once when it starts waiting), or with ``wait=False`` is refused
    with a :class:`WorkspaceError`.

    Raises
    ------
    WorkspaceError
        ``workspace`` is a file, or a directory holding other things than a workspace.
    LinkError
        The curation file is invalid (raised by lineage inference).
    """
    _check_workspace_dir(workspace)
    created = not workspace.exists()
    try:
        with _build_lock(workspace, wait=wait, on_wait=on_wait), _bulk_allocation():
            report = _build(paths, workspace, encoding, progress, link, jobs, timings)
    except BaseException:  # an error, or Ctrl-C: a new workspace is not left half made
        if created:
            _remove_empty(workspace)
        raise
    if created and not report.written:
        _remove_empty(workspace)
    return report


def _remove_empty(workspace: Path) -> None:
    """Nothing could be loaded into a new workspace: leave no empty one behind."""
    with contextlib.suppress(OSError):
        if not (workspace / _MANIFEST).exists():
            (workspace / _LOCK).unlink(missing_ok=True)
            (workspace / _CURATION).unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                for path in (workspace / _RECORDS).iterdir():
                    if _RECORD_NAME.match(path.name):
                        path.unlink()  # written before the build stopped
                (workspace / _RECORDS).rmdir()
            workspace.rmdir()


@contextlib.contextmanager
def _build_lock(workspace: Path, *, wait: bool, on_wait: Callable[[], None] | None) -> Iterator[None]:
    """Hold the workspace's build lock: one build at a time, never interleaved.

    The lock is the operating system's (``fcntl.flock`` on ``build.lock``), so a build killed
    with SIGKILL releases it with its process: a stale lock cannot block later builds.
    Queries do not take it; they read the last complete state, which a build replaces
    atomically.
    """
    import fcntl

    try:
        workspace.mkdir(parents=True, exist_ok=True)
        handle = (workspace / _LOCK).open("a+b")
    except OSError as exc:
        raise WorkspaceError(_("cannot write the workspace at {workspace}: {reason}")
                             .format(workspace=workspace, reason=exc.strerror or exc)) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise WorkspaceError(_("another build is running on {workspace}: wait for it, or use --wait")
                                     .format(workspace=workspace)) from None
            if on_wait is not None:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def _bulk_allocation() -> Iterator[None]:
    """Pause Python's cycle collector while a build allocates millions of long-lived objects.

    A build creates the records, then the graph, and frees almost nothing on the way; the
    collector would rescan that growing heap again and again (it made the graph stage of a
    national build three times slower). Its state is restored afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(paths: Sequence[str | Path], workspace: Path, encoding: str | None, progress: Progress | None,
           link: bool, jobs: int | None, timings: dict[str, float] | None) -> BuildReport:
    # Imported here: query commands load the workspace without compiling the loaders' patterns.
    from plankg.graph.link import link_graph
    from plankg.loaders.sources import expand_paths

    clock = _Clock(timings)
    _check_workspace_dir(workspace)
    _sweep_temporary_files(workspace)
    previous = _read_state(workspace)
    if not paths:
        # "plankg build" alone: the files of earlier builds, read again where they changed.
        if not previous.sources:
            raise WorkspaceError(_("no sources are recorded in {workspace}: give the files or folders to build")
                                 .format(workspace=workspace))
        paths = sorted(previous.sources)
    files, expand_errors = expand_paths(paths)
    errors: list[PlankgError] = list(expand_errors)
    state = _State()
    parsed: set[str] = set()
    todo: list[tuple[Path, str]] = []
    for file in files:
        try:
            digest = hashlib.sha256(file.read_bytes()).hexdigest()
        except OSError:
            digest = ""  # load_file reports the problem in its own words
        if digest and digest in previous.records and previous.encodings[digest] == encoding:
            state.add(_Source(str(file), digest), previous.records[digest], encoding, previous.lines[digest])
        else:
            todo.append((file, digest))
    results = _parse_all(todo, encoding, jobs, progress,
                         meanwhile=functools.partial(_prepare_later_stages, link=link))
    for (file, digest), result in zip(todo, results, strict=True):
        if isinstance(result, InputError):
            errors.append(result)
        elif digest in state.records:  # the same content twice in this batch
            state.add(_Source(str(file), digest), state.records[digest], encoding, state.lines[digest])
        else:
            record, line = result
            state.add(_Source(str(file), digest), record, encoding, line)
            parsed.add(digest)
    clock.lap("parse")
    notices = _keep_previous(previous, state)
    notices += _drop_duplicates(state)
    notices += _headerless(state)
    parsed &= set(state.records)
    if not state.records:
        return BuildReport(workspace, errors=tuple(errors))
    # The records file, unless the manifest already names the same one, is written and made
    # durable (before the manifest names it) by a thread, while the graph is built; it has
    # finished before any process is forked.
    state.records_file = state.records_name()
    del results  # the records are let go with the state's, before linking (below)
    writing = _RecordsWriter(workspace, state) if state.records_file != previous.records_file else None
    G: Graph | None = None
    try:
        del previous
        state.lines.clear()
        _return_freed_memory()
        records = [state.records[digest] for digest in sorted(state.records)]
        curation = workspace / _CURATION
        with _writing(workspace):
            if not curation.exists():
                _write_atomic(curation, CURATION_HEADER.encode("utf-8"))
        documents = sum(len(r.with_attachments()) for r in records)
        tasks = sum(len(part.tasks) for r in records for part in r.with_attachments())
        from plankg.graph.build import build_graph

        G = _in_stage(progress, _("Building the graph"), functools.partial(build_graph, records, link=False))
        from plankg.graph.units import units_notice

        notices += units_notice(G)
        # The graph holds all the rest needs: records (already on disk) are let go before
        # linking, which is where a national build needs its memory.
        del records
        state.records.clear()  # their digests stay the keys of state.encodings
        clock.lap("graph")
        if writing is not None:
            with _writing(workspace):
                writing.finish()
        with _writing(workspace):
            # Linking never changes a node: the store's node tables are written while it links.
            writer = store.StoreWriter(workspace / _GRAPH, G, format_version=FORMAT_VERSION, jobs=jobs)
        with writer:
            if link:
                linked = link_graph(G, curation=curation, progress=progress, jobs=jobs, unlinked=True)
                errors += linked.anchoring.errors
                notices += _curation_notices(linked.anchoring)
                with _writing(workspace):
                    rewrite_curation(curation, linked.anchoring)
            clock.lap("link")
            with _writing(workspace):
                _in_stage(progress, _("Writing the workspace"),
                          lambda: _write_state(workspace, state, writer))
    except BaseException:  # an error, or Ctrl-C: never left writing, nor its file left unnamed
        if writing is not None:
            writing.thread.join()
            _drop_unnamed_records(workspace, state.records_file)
        if G is not None:
            G.clear()  # (as below: else traced in full by the cycle collector, at exit for Ctrl-C)
        raise
    report = BuildReport(
        workspace, documents=documents, parsed=len(parsed), reused=documents - len(parsed),
        tasks=tasks, links=linked.links if link else 0, errors=tuple(errors), written=True, notices=tuple(notices),
    )
    # The graph is let go here, by reference counts: networkx's cached views make it a cycle,
    # which the cycle collector (paused for the build) would otherwise trace in full.
    G.clear()
    clock.lap("write")
    return report


def _prepare_later_stages(*, link: bool) -> None:
    """What the later stages need, made ready while the workers parse: the table of
    administrative units (0.4 s, read in the graph stage, which runs on one core) and the
    sparse matrices' modules (0.2 s, imported by each linking worker otherwise: they are
    forked from this process)."""
    from plankg.graph.units import unit_table

    unit_table()
    if link:
        import scipy.sparse  # noqa: F401


_T = TypeVar("_T")


def _in_stage(progress: Progress | None, label: str, work: Callable[[], _T]) -> _T:
    """``work()``, shown to a person watching as a one-step bar with ``label``: the stages
    without items to count (building the graph, writing the store) take seconds at national
    size, and a silent terminal after the linking bar looks stuck."""
    if progress is None:
        return work()
    result: list[_T] = []
    for _step in progress([label], label):
        result.append(work())
    return result[0]


class _Clock:
    """Seconds per build stage, recorded only when the caller asked for them."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
        self.last = now


#: Below this many files a process pool costs more than it saves.
_PARALLEL_MIN_FILES = 64


def _sweep_temporary_files(workspace: Path) -> None:
    """Remove what a killed build left half-written (it never replaced a real file)."""
    if workspace.is_dir():
        for leftover in [*workspace.glob("*.tmp"), *workspace.glob(f"{_RECORDS}/*.tmp")]:
            leftover.unlink(missing_ok=True)


def _parse_all(todo: list[tuple[Path, str]], encoding: str | None, jobs: int | None,
               progress: Progress | None, meanwhile: Callable[[], object] = lambda: None,
               ) -> list[tuple[DocumentRecord, bytes] | InputError]:
    """Parse files, in several processes for large batches, into each record and its line of
    the records file (encoded where it was parsed); errors are returned, not raised.
    ``meanwhile`` is run here while the workers parse (first, when there are none)."""
    files = [file for file, _digest in todo]
    digests = [digest for _file, digest in todo]
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    import multiprocessing

    # (A daemonic process, a multiprocessing.Pool's worker, may not start processes of its own.)
    if workers > 1 and len(files) >= _PARALLEL_MIN_FILES and not multiprocessing.current_process().daemon:
        from concurrent.futures import ProcessPoolExecutor

        # Workers speak the language of the build (errors are worded where they are raised)
        # and die with it.
        context, parent = forking_context()
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_parse_worker,
                                 initargs=(current_language(), parent)) as pool:
            results = pool.map(_parse_one, files, digests, [encoding] * len(files), chunksize=16)
            meanwhile()
            if progress is not None:
                names = [str(f) for f in files]
                return [r for _file, r in zip(progress(names, _("Parsing")), results, strict=True)]
            return list(results)
    meanwhile()
    return [_parse_one(file, digest, encoding) for file, digest in zip(_tracked(files, progress), digests, strict=True)]


def _start_parse_worker(language: str, parent: int | None) -> None:
    start_worker(parent)
    set_language(language)


def _tracked(files: list[Path], progress: Progress | None) -> Iterable[Path]:
    if progress is None:
        return files
    return (Path(name) for name in progress([str(f) for f in files], _("Parsing")))


def _parse_one(file: Path, digest: str, encoding: str | None) -> tuple[DocumentRecord, bytes] | InputError:
    from plankg.loaders import load_file

    try:
        record = load_file(file, encoding=encoding)
    except InputError as exc:
        return exc
    return record, _record_line(digest, record)


def _record_line(digest: str, record: DocumentRecord) -> bytes:
    """The record's line in the records file: ``["<digest>",<record JSON>]`` and a newline
    (JSON never holds a bare one)."""
    return b'["%s",%s]\n' % (digest.encode("ascii"), _compact(record.to_dict()))


def _return_freed_memory() -> None:
    """Give the free pages of the C heap back to the system, where the C library can
    (glibc's ``malloc_trim``): the records file's lines (170 MB at national size) were freed
    in pieces among other allocations, and would otherwise stay in this process's memory and
    in every process forked from it (the build's peak 860 -> 1,020 MB without this)."""
    trim = c_function("malloc_trim")
    if trim is not None:  # glibc's
        trim(0)


class _RecordsWriter:
    """Writes the records file of a state (its lines in digest order) and syncs it, in a
    thread. Beside the file the manifest names (until it names this one), it leaves a killed
    build's workspace as it was. The lines are joined here, so that the thread makes one
    write: it waits for the interpreter lock once, not once a line."""

    def __init__(self, workspace: Path, state: _State) -> None:
        assert state.records_file is not None
        self.path = workspace / state.records_file
        self.failed: OSError | None = None
        self.data = b"".join(state.lines[d] for d in sorted(state.records))
        self.thread = threading.Thread(target=self._write, name="plankg-records")
        self.thread.start()

    def _write(self) -> None:
        data, self.data = self.data, b""  # let go once written, not once the thread is joined
        try:
            _records_dir(self.path.parent.parent)
            _write_atomic(self.path, data)
        except OSError as exc:
            self.failed = exc

    def finish(self) -> None:
        """Wait for the thread; raise what it could not write."""
        self.thread.join()
        if self.failed is not None:
            raise self.failed


def _keep_previous(previous: _State, state: _State) -> list[str]:
    """Keep the earlier sources not loaded in this build (and the last good record of a failing one).

    A source is left out when this build loaded other content with the same document id: an
    edited copy of that document was loaded from another path. Each one left out is told.
    """
    documents = {r.document.id: path for path, source in sorted(state.sources.items())
                 for r in [state.records[source.sha256]]}
    notices = []
    for path, source in sorted(previous.sources.items()):
        if path in state.sources:
            continue
        record = previous.records[source.sha256]
        newer = documents.get(record.document.id)
        if source.sha256 in state.records or newer is None:
            state.add(source, record, previous.encodings[source.sha256], previous.lines[source.sha256])
        else:
            notices.append(_("{document} is now read from {newer}: {path} (of an earlier build) is left out")
                           .format(document=_name(record), newer=newer, path=path))
    return notices


def _drop_duplicates(state: _State) -> list[str]:
    """One file per document: when files of different content hold the same document (same
    issuer, number and year), keep the one modified last and say so."""
    holders: dict[str, list[str]] = {}
    for path, source in sorted(state.sources.items()):
        holders.setdefault(state.records[source.sha256].document.id, []).append(path)
    notices = []
    for paths in holders.values():
        if len({state.sources[p].sha256 for p in paths}) < 2:
            continue  # one content, several copies: nothing to choose
        keep = max(paths, key=lambda p: (_modified(p), p))
        record = state.records[state.sources[keep].sha256]
        for path in paths:
            if state.sources[path].sha256 != state.sources[keep].sha256:
                state.sources.pop(path)
        others = ", ".join(p for p in paths if p != keep and p not in state.sources)
        notices.append(_("{document} is in {count} files: keeping {keep} (modified last), leaving out {others}")
                       .format(document=_name(record), count=len(paths), keep=keep, others=others))
    used = {source.sha256 for source in state.sources.values()}
    for digest in [d for d in state.records if d not in used]:
        del state.records[digest], state.lines[digest]
    return notices


def _headerless(state: _State) -> list[str]:
    """The files in which no header fact at all was found (type, number, issuer, date,
    title): a README or a letter picked up with the plans, say. Each is kept, as an untitled
    document, and named, so that a user can tell it from a plan whose header was lost."""
    notices = []
    for path, source in sorted(state.sources.items()):
        d = state.records[source.sha256].document
        if not (d.type or d.number or d.issuer or d.date or d.title):
            notices.append(_("{path}: no header found (no type, number, issuer, date or title); "
                             "it is kept as an untitled document").format(path=path))
    return notices


def _curation_notices(anchoring: Anchoring) -> list[str]:
    """What a build tells of the curation file: the decisions that no longer match any task
    (kept in the file, not applied), with both texts, and those that followed their tasks."""
    notices = []
    if anchoring.stale:
        lines = [ngettext("{count} decision of curation.csv no longer match any task (kept in the file, not "
                          "applied; edit or delete the rows):",
                          "{count} decisions of curation.csv no longer match any task (kept in the file, not "
                          "applied; edit or delete the rows):", len(anchoring.stale))
                 .format(count=len(anchoring.stale))]
        for d in anchoring.stale:
            lines.append("  " + _("line {line}: {status} {child} ← {parent}").format(
                line=d.line, status=term(d.status.value), child=_quote(d.child_text or d.child),
                parent=_quote(d.parent_text or d.parent)))
        notices.append("\n".join(lines))
    moved = [new for old, new in anchoring.moved if (old.child, old.parent) != (new.child, new.parent)]
    if moved:
        notices.append(ngettext("{count} decision of curation.csv followed their tasks to new ids (the file is "
                                "updated)",
                                "{count} decisions of curation.csv followed their tasks to new ids (the file is "
                                "updated)", len(moved)).format(count=len(moved)))
    return notices


def _quote(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return f'"{text if len(text) <= width else text[:width - 1] + "…"}"'


def _modified(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


def _name(record: DocumentRecord) -> str:
    d = record.document
    return f"{d.type or _('Document')} {d.number or d.id}"


def _check_workspace_dir(workspace: Path) -> None:
    if workspace.exists() and not workspace.is_dir():
        raise WorkspaceError(_("{workspace} is a file, not a workspace directory").format(workspace=workspace))
    if workspace.is_dir():
        names = {p.name for p in workspace.iterdir()}
        if names and not names & {_MANIFEST, _GRAPH, _RECORDS, _CURATION, _LOCK}:
            raise WorkspaceError(_("{workspace} holds other files and is not a plankg workspace: choose another "
                                    "--workspace").format(workspace=workspace))


def _read_state(workspace: Path) -> _State:
    """Sources and records of an existing workspace; nothing if it is missing, corrupt or outdated."""
    state = _State()
    try:
        manifest = json.loads((workspace / _MANIFEST).read_bytes())
        if manifest.get("format") != FORMAT_VERSION or manifest.get("plankg") != __version__:
            return state  # records parsed by another version of the loaders are parsed again
        sources = [(_Source(s["path"], s["sha256"]), s["encoding"]) for s in manifest["sources"]]
        records_file = manifest["records"]
        if not _RECORDS_FILE.fullmatch(records_file):
            raise ValueError(records_file)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return state  # (a manifest without "records": an older version's, parsed again)
    lines = _record_lines(workspace / records_file)
    for source, encoding in sources:
        if source.sha256 in state.records:  # the same content at another path
            state.add(source, state.records[source.sha256], encoding, state.lines[source.sha256])
            continue
        try:
            line = lines[source.sha256]
            record = record_from_dict(orjson.loads(line)[1])
        except (ValueError, KeyError, TypeError, AttributeError, IndexError):
            state.lost += 1  # parsed again when its source is given again
            continue
        state.add(source, record, encoding, line)
    state.records_file = None if state.lost else records_file
    return state


def _record_lines(path: Path) -> dict[str, bytes]:
    """The lines of a records file by the digest each begins with; none if it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    return {line[2:66].decode("ascii", "replace"): line for line in data.splitlines(keepends=True)}


@contextlib.contextmanager
def _writing(workspace: Path) -> Iterator[None]:
    """Turn a failed workspace write (a full disk, a file size limit, a read-only folder) into
    one :class:`WorkspaceError` naming the file. Every file is replaced atomically and the
    manifest last, so the workspace keeps its previous build."""
    try:
        yield
    except (OSError, sqlite3.Error) as exc:
        reason = (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
        where = re.sub(r"\.\d+\.tmp$", "", os.fsdecode(getattr(exc, "filename", None) or workspace))
        raise WorkspaceError(
            _("cannot write the workspace: {reason}; this build was not saved, the previous one stays (free "
               "space and build again)").format(reason=reason),
            path=where,
        ) from None


def _records_dir(workspace: Path) -> Path:
    """The folder of the records file, created where missing."""
    records_dir = workspace / _RECORDS
    if records_dir.exists() and not records_dir.is_dir():
        records_dir.unlink()  # a damaged workspace: its records are parsed again, and rewritten here
    records_dir.mkdir(exist_ok=True)
    return records_dir


def _write_state(workspace: Path, state: _State, writer: store.StoreWriter) -> None:
    # (The records file was synced while the graph was built.)
    assert state.records_file is not None
    writer.finish()
    manifest = {
        "format": FORMAT_VERSION,
        "plankg": __version__,
        "records": state.records_file,
        "sources": [
            {"path": s.path, "sha256": s.sha256, "encoding": state.encodings[s.sha256]}
            for s in (state.sources[path] for path in sorted(state.sources))
        ],
    }
    # ASCII escapes: a source path that is not valid UTF-8 (lone surrogates) still round-trips.
    _write_atomic(workspace / _MANIFEST, (json.dumps(manifest, ensure_ascii=True, indent=2) + "\n").encode())
    # The records files no manifest names any more (of an earlier build, or of an older
    # version's layout: a file a record) are dropped.
    kept = Path(state.records_file).name
    for path in (workspace / _RECORDS).iterdir():
        if _RECORD_NAME.match(path.name) and path.name != kept:
            path.unlink(missing_ok=True)


def _drop_unnamed_records(workspace: Path, name: str) -> None:
    """Remove the records file ``name`` (relative to ``workspace``) of a build that stopped,
    unless the manifest names it: the build stopped after writing it. Kept when the manifest
    cannot be read (the next build drops it once it names another)."""
    manifest = workspace / _MANIFEST
    with contextlib.suppress(OSError, ValueError, AttributeError):
        named = json.loads(manifest.read_bytes()).get("records") if manifest.exists() else None
        if named != name:
            (workspace / name).unlink(missing_ok=True)


def _compact(data: Any) -> bytes:
    """``json.dumps(data, ensure_ascii=False, separators=(",", ":"))`` in UTF-8, by orjson."""
    return orjson.dumps(data)


def _write_atomic(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Write ``data`` to a temporary file beside ``path`` (synced unless ``sync`` is false),
    then move it into place."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            if sync:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:
            exc.filename = os.fspath(path)  # a failed write() names no file
        raise

