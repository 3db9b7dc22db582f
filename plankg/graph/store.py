"""The graph on disk: one SQLite file of nodes and edges, indexed in both directions.

A national workspace holds hundreds of thousands of nodes. Search, agency, stats,
deadlines and gaps select from tables and indexes written beside the graph (an FTS5
index, agency keys, deadline ends, the gaps found on the whole graph); the lineage of one
task, the cascade below a task and ``show`` read only the rows they need, into a
:class:`~plankg.graph.subgraph.Subgraph`. So each answers from a fresh process in a
fraction of a second whatever the size. SQLite comes with Python; the file is written
under a temporary name and moved into place, so readers never see half a graph.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import multiprocessing as mp
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from plankg.graph.processes import start_worker
from plankg.graph.subgraph import Subgraph
from plankg.model import Relation
from plankg.normalize import fold, search_key

if TYPE_CHECKING:
    from plankg.graph.build import Graph

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE nodes (id TEXT PRIMARY KEY, kind TEXT NOT NULL, data TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE edges (source TEXT NOT NULL, target TEXT NOT NULL, key TEXT NOT NULL, data TEXT,
                    PRIMARY KEY (source, target, key)) WITHOUT ROWID;
CREATE VIRTUAL TABLE search USING fts5(id UNINDEXED, kind UNINDEXED, folded, exact,
                                      tokenize = "unicode61 remove_diacritics 0");
CREATE TABLE agency_keys (id TEXT PRIMARY KEY, key TEXT NOT NULL, words TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE deadlines (id TEXT PRIMARY KEY, end TEXT) WITHOUT ROWID;
CREATE TABLE gaps (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, task TEXT NOT NULL, level TEXT, data TEXT NOT NULL,
                   heir TEXT);
"""
# Indexes are made after the rows are in: one sort instead of a b-tree grown row by row.
_NODE_INDEXES = """
CREATE INDEX nodes_by_kind ON nodes (kind, id);
CREATE INDEX deadlines_by_end ON deadlines (end);
"""
# No index on the relation alone: a relation holds up to half the edges (108,000 links, 250,000
# part_of at national size), and reading them through such an index looks every row up in the
# table, ten times slower than the scan SQLite makes without it (the viewer's overview 5.2 ->
# 0.5 s, plankg check 9.6-15.3 -> 5.7-6.8 s); building it took 0.5 s of the build.
_EDGE_INDEXES = """
CREATE INDEX edges_by_target ON edges (target, source);
"""
_GAP_INDEXES = """
CREATE INDEX gaps_by_task ON gaps (task);
CREATE INDEX gaps_by_heir ON gaps (heir) WHERE heir IS NOT NULL;
"""
#: Edges a lineage walks up (from child to parent) and a cascade walks down.
UPWARD = frozenset({Relation.DERIVED_FROM.value, Relation.APPLIES.value, Relation.ATTACHED_TO.value})
DOWNWARD = UPWARD | {Relation.PART_OF.value}


class StoreError(Exception):
    """The file is not a graph store of the expected format (the workspace turns it into
    a :class:`~plankg.errors.WorkspaceError`)."""


#: From this many nodes a store is written by three processes (where ``fork`` exists): see
#: :class:`StoreWriter`.
PARALLEL_MIN_NODES = 50_000


class StoreWriter:
    """Writes a graph's store in two steps, so that most of it is written while the build links.

    Linking adds edges and never changes a node, so the tables of the nodes alone (nodes, the
    full-text index, the deadline and agency lookups) can be written as soon as the graph is
    built: for a large graph (:data:`PARALLEL_MIN_NODES`, or ``jobs`` > 1) a forked child
    starts on them at once, in the file that becomes the store. :meth:`finish`, called once
    the graph is complete, writes the edges there while a second child computes the gaps and
    the statistics, and copies them in. The rows are the same written by one process or
    three; a child that fails has its part written here instead. Until :meth:`finish` has
    moved the file into place, :meth:`close` (and leaving the ``with`` block) abandons it:
    children stopped, parts removed, the previous store untouched.

    >>> import tempfile
    >>> from plankg.graph.build import build_graph
    >>> from plankg.loaders import load_text
    >>> G = build_graph([load_text("Số: 5/KH-UBND\\nKẾ HOẠCH\\n1. Sở Y tế chủ trì.", source="a.txt")], link=False)
    >>> path = Path(tempfile.mkdtemp()) / "graph.sqlite"
    >>> with StoreWriter(path, G, format_version=1) as writer:
    ...     writer.finish()  # (after linking G)
    >>> sorted(p.name for p in path.parent.iterdir())
    ['graph.sqlite']
    """

    def __init__(self, path: Path, G: Graph, *, format_version: int, jobs: int | None = None) -> None:
        self.path, self.G, self.format_version = path, G, format_version
        self.tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        self._gaps_part = path.with_name(f"{path.name}.{os.getpid()}.gaps.tmp")
        workers = jobs if jobs is not None else (2 if G.number_of_nodes() >= PARALLEL_MIN_NODES else 1)
        # (A daemonic process, a multiprocessing.Pool's worker, may not start processes of its own.)
        self.parallel = workers > 1 and "fork" in mp.get_all_start_methods() and not mp.current_process().daemon
        self._children: list[Any] = []
        self._done = False
        self._remove_parts()
        self._nodes_child = self._fork(_write_node_part, self.tmp) if self.parallel else None

    def __enter__(self) -> StoreWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def finish(self) -> None:
        """Write the rest of the (now complete) graph and move the store into place."""
        try:
            if self.parallel:
                self._finish_in_parts()
            else:
                with _connect(self.tmp) as con:
                    con.executescript(_SCHEMA)
                    _fill_node_tables(con, self.G)
                    _fill_edges(con, self.G)
                    _fill_gaps(con, self.G)
                    _complete(con, self.format_version)
            with open(self.tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(self.tmp, self.path)
            self._done = True
        finally:
            self.close()

    def close(self) -> None:
        """Stop the children still writing and remove every part (and, unless the store was
        finished, the unfinished store)."""
        for child in self._children:
            if child.is_alive():
                child.terminate()
            child.join()
        self._children.clear()
        self._remove_parts()

    def _finish_in_parts(self) -> None:
        gaps_child = self._fork(_write_gaps_part, self._gaps_part)
        assert self._nodes_child is not None
        self._join(self._nodes_child, self.tmp, _write_node_part)  # done while linking, as a rule
        with _connect(self.tmp) as con:
            _fill_edges(con, self.G)
            con.commit()
            self._join(gaps_child, self._gaps_part, _write_gaps_part)
            con.execute("ATTACH DATABASE ? AS part", (str(self._gaps_part),))
            for table in ("gaps", "meta"):  # primary-key order in, primary-key order out: a fast append
                con.execute(f"INSERT INTO main.{table} SELECT * FROM part.{table}")
            con.commit()
            con.execute("DETACH DATABASE part")
            _complete(con, self.format_version)

    def _fork(self, write: Callable[[Path, Graph], None], part: Path) -> Any:
        # Forked, the child shares the graph as it is now: nothing is pickled.
        child = mp.get_context("fork").Process(target=_child_main, args=(write, part, self.G, os.getpid()),
                                               daemon=True)
        child.start()
        self._children.append(child)
        return child

    def _join(self, child: Any, part: Path, write: Callable[[Path, Graph], None]) -> None:
        child.join()
        if child.exitcode != 0:  # never expected; the part is then written here
            part.unlink(missing_ok=True)
            write(part, self.G)

    def _remove_parts(self) -> None:
        for part in (self._gaps_part, *(() if self._done else (self.tmp,))):
            part.unlink(missing_ok=True)


def write_graph(path: Path, G: Graph, *, format_version: int, jobs: int | None = None) -> None:
    """Write the complete graph ``G`` to ``path`` atomically, rows in sorted order (stable
    content): :class:`StoreWriter` in one go."""
    with StoreWriter(path, G, format_version=format_version, jobs=jobs) as writer:
        writer.finish()


@contextlib.contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection for writing a new store file: no journal, no syncing until the end."""
    con = sqlite3.connect(path)
    try:
        con.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
        yield con
    finally:
        con.close()


def _schema_of(*tables: str) -> str:
    return ";".join(statement for statement in _SCHEMA.split(";")
                    if any(f"TABLE {table} " in statement for table in tables))


def _child_main(write: Callable[[Path, Graph], None], part: Path, G: Graph, parent: int) -> None:
    start_worker(parent)
    try:
        write(part, G)
    except BaseException:  # the parent writes this part itself, and reports what fails there
        os._exit(1)


def _write_node_part(tmp: Path, G: Graph) -> None:
    """The store file with its schema and the tables of the nodes alone, on disk: synced
    here, while the build still links, the store's final sync has only the rest to write."""
    with _connect(tmp) as con:
        con.executescript(_SCHEMA)
        _fill_node_tables(con, G)
        con.commit()
    with open(tmp, "rb+") as handle:
        os.fsync(handle.fileno())


def _write_gaps_part(part: Path, G: Graph) -> None:
    """The gaps and the statistics, in a file of their own."""
    with _connect(part) as con:
        con.executescript(_schema_of("gaps", "meta"))
        _fill_gaps(con, G)
        con.commit()


def _fill_node_tables(con: sqlite3.Connection, G: Graph) -> None:
    """Nodes, full-text rows and lookup tables, and their indexes: what linking does not
    change. Rows are kept in primary-key order by SQLite itself: no sorting needed here."""
    con.executemany("INSERT INTO nodes VALUES (?, ?, ?)",
                    ((n, d.get("kind") or "", _dumps(d)) for n, d in G.nodes(data=True)))
    con.executemany("INSERT INTO search VALUES (?, ?, ?, ?)", _search_rows(G))
    con.executemany("INSERT INTO deadlines VALUES (?, ?)",
                    ((n, d.get("deadline_end")) for n, d in G.nodes(data=True)
                     if d.get("kind") == "task" and d.get("deadline_text")))
    from plankg.graph.mergers import name_key

    con.executemany("INSERT INTO agency_keys VALUES (?, ?, ?)",
                    ((n, search_key(d.get("name") or ""), f' {name_key(d.get("name") or "")} ')
                     for n, d in G.nodes(data=True) if d.get("kind") == "agency"))
    con.executescript(_NODE_INDEXES)  # (indexes are made after the rows are in: one sort each)


def _fill_edges(con: sqlite3.Connection, G: Graph) -> None:
    con.executemany("INSERT INTO edges VALUES (?, ?, ?, ?)", _edge_rows(G))
    con.executescript(_EDGE_INDEXES)


def _fill_gaps(con: sqlite3.Connection, G: Graph) -> None:
    """The gaps (indexed by whoever completes the store) and what plankg stats answers,
    counted once here rather than at every question."""
    from plankg.graph.queries import stats

    con.executemany("INSERT INTO gaps VALUES (?, ?, ?, ?, ?, ?)", _gap_rows(G))
    con.execute("INSERT INTO meta VALUES ('stats', ?)", (_dumps(stats(G)),))


def _edge_rows(G: Graph) -> Iterator[tuple[str, str, str, str | None]]:
    return ((u, v, k, _edge_data(k, d)) for u, v, k, d in G.edges(keys=True, data=True))


def _complete(con: sqlite3.Connection, format_version: int) -> None:
    """The gaps' indexes and the format: the store is complete."""
    con.executescript(_GAP_INDEXES)
    con.execute("INSERT INTO meta VALUES ('format', ?)", (str(format_version),))
    con.commit()


def _search_rows(G: Graph) -> Iterator[tuple[str, str, str, str]]:
    """One full-text row per searchable node: its texts folded without diacritics (what a
    search without them matches) and with them (to rank matches as typed first)."""
    from plankg.graph.queries import search_texts

    for node, data in G.nodes(data=True):
        texts = FIELD_MARK.join(t for t in search_texts(data) if t) if data.get("kind") in _SEARCHED else ""
        if texts:
            yield node, data["kind"], search_key(texts), fold(texts)


def _gap_rows(G: Graph) -> Iterator[tuple[int, str, str, str | None, str, str | None]]:
    """Every gap of the whole graph, in :func:`~plankg.graph.queries.gaps`' order, with the
    level its ``--level`` filter reads (the lower document's; an orphan's own document's):
    ``gaps`` with filters then selects rows instead of loading the graph. Then the inherited
    gaps of each document (``heir``), which ``gaps --under`` a node of it adds."""
    from plankg.graph.queries import whole_graph_gaps

    found, inherited = whole_graph_gaps(G)
    seq = 0
    for kind in GAP_KINDS:
        for gap in getattr(found, kind):
            lower = gap.lower if kind in ("uncascaded", "unpicked") else gap.document
            seq += 1
            yield seq, kind, gap.task, G.nodes[lower].get("level") if lower in G else None, \
                _gap_json(gap), None
    for heir, gap in inherited:
        seq += 1
        yield seq, "inherited", gap.task, G.nodes[heir].get("level"), _gap_json(gap), heir


def _gap_json(gap: Any) -> str:
    # A gap's fields are strings, numbers and tuples of strings: no deep copy (asdict) needed.
    return _dumps({f.name: getattr(gap, f.name) for f in dataclasses.fields(gap)})


#: The lists of :class:`~plankg.graph.queries.Gaps` kept for the whole graph, as the ``gaps``
#: table's ``kind`` (whose "inherited" rows belong to one document each).
GAP_KINDS = ("uncascaded", "orphans", "unpicked", "weak")


def read_gaps(path: Path, *, format_version: int, level: str | None = None,
              tasks: Iterable[str] | None = None, heir: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    """(kind, gap fields) of the stored gaps, in order: those whose level is ``level`` and
    whose task is among ``tasks`` (each when given), then the inherited gaps of the document
    ``heir`` (of that level) when it is given."""
    where, params = ("AND level = ?", [level]) if level else ("", [])
    with _open(path, format_version) as con:
        if tasks is None:
            rows = list(con.execute(f"SELECT seq, kind, data FROM gaps WHERE heir IS NULL {where}", params))
        else:
            wanted = sorted(set(tasks))
            rows = []
            for chunk in range(0, len(wanted), 500):
                part = wanted[chunk:chunk + 500]
                rows += con.execute(f"SELECT seq, kind, data FROM gaps WHERE heir IS NULL {where} "
                                    f"AND task IN ({','.join('?' * len(part))})", [*params, *part])
        if heir is not None:
            rows += con.execute(f"SELECT seq, kind, data FROM gaps WHERE heir = ? {where}", [heir, *params])
    return [(kind, json.loads(data)) for _, kind, data in sorted(rows)]


def read_subtree(path: Path, root: str, *, format_version: int) -> tuple[str | None, set[str]]:
    """The kind of ``root`` (None when it is not stored) and the nodes of its subtree, as
    :func:`plankg.graph.queries.gaps` scopes ``under``: lower documents (through applies and
    attached_to), the items of each document, the items derived from each item (links not
    rejected) and, under a document, the documents of those items. Read level by level."""
    with _open(path, format_version) as con:
        row = con.execute("SELECT kind FROM nodes WHERE id = ?", (root,)).fetchone()
        if row is None:
            return None, set()
        root_kind = str(row[0])
        if root_kind not in ("document", "task", "target"):
            return root_kind, set()
        kinds = {root: root_kind}
        frontier = [root]
        while frontier:
            documents = [n for n in frontier if kinds[n] == "document"]
            items = [n for n in frontier if kinds[n] != "document"]
            below: dict[str, str] = {}
            for u, _ in _select_in(con, "SELECT source, key FROM edges INDEXED BY edges_by_target WHERE "
                                   "key IN ('applies', 'attached_to') AND "
                                   "target IN ({})", documents):
                below.setdefault(u, "")
            for document in documents:
                below.update(con.execute("SELECT id, kind FROM nodes WHERE id >= ? AND id < ? AND kind IN "
                                         "('task', 'target')", (document + "#", document + "$")))
            children = [u for u, data in _select_in(con, "SELECT source, data FROM edges INDEXED BY edges_by_target "
                                                    "WHERE key = 'derived_from' "
                                                    "AND target IN ({})", items)
                        if _edge_attrs("derived_from", data).get("status") != "rejected"]
            for child in children:
                below.setdefault(child, "")
            unknown = [n for n, kind in below.items() if not kind]
            found = dict(_select_in(con, "SELECT id, kind FROM nodes WHERE id IN ({})", unknown))
            if root_kind == "document" and children:
                for _, document in _select_in(con, "SELECT id, json_extract(data, '$.document') FROM nodes "
                                              "WHERE id IN ({})", children):
                    if document:
                        below.setdefault(document, "")
                found.update(_select_in(con, "SELECT id, kind FROM nodes WHERE id IN ({})",
                                        [n for n, kind in below.items() if not kind and n not in found]))
            frontier = []
            for node in sorted(below):
                kind = below[node] or found.get(node)
                if kind and node not in kinds:
                    kinds[node] = kind
                    frontier.append(node)
    return root_kind, set(kinds)


def _select_in(con: sqlite3.Connection, sql: str, values: list[str]) -> list[tuple[Any, Any]]:
    """Rows of ``sql`` whose ``{}`` is filled with ``values`` as bound parameters, 500 at a time."""
    rows: list[tuple[Any, Any]] = []
    for chunk in range(0, len(values), 500):
        part = values[chunk:chunk + 500]
        rows += con.execute(sql.format(",".join("?" * len(part))), part)
    return rows


_SEARCHED = frozenset({"document", "task", "target", "agency"})
#: Joins a node's texts in one search row (a document's title, number and issuer), so a
#: phrase is never matched across two of them.
FIELD_MARK = " ¶ "


def search_rows(path: Path, words: list[str], *, format_version: int, every: bool,
                limit: int | None = None) -> list[tuple[str, str, str, str]]:
    """(id, kind, folded text, text) of the nodes holding every one of ``words`` (``every``)
    or any of them (best bm25 first, at most ``limit``); ``words`` are folded, without
    diacritics, as :func:`plankg.graph.queries.search_words` gives them."""
    if not words:
        return []
    joiner = " AND " if every else " OR "
    query = "folded : (" + joiner.join('"' + w.replace('"', '""') + '"' for w in words) + ")"
    sql = "SELECT id, kind, folded, exact FROM search WHERE search MATCH ? ORDER BY rank"
    with _open(path, format_version) as con:
        if limit is None:
            return list(con.execute(sql, (query,)))
        return list(con.execute(sql + " LIMIT ?", (query, limit)))


def search_phrase(path: Path, words: Iterable[str], *, typed: Iterable[str] | None,
                  format_version: int) -> Iterator[tuple[str, str, str, str]]:
    """(id, kind, folded text, text) of the nodes holding ``words`` (folded) as a phrase and,
    when ``typed`` words are given, each of them as typed: in the order search ranks equal
    hits (documents, tasks, targets, agencies, others; then id), read as they are consumed."""
    from plankg.graph.queries import KIND_ORDER

    query = 'folded : "' + " ".join(w.replace('"', '""') for w in words) + '"'
    if typed:
        query += " AND exact : (" + " AND ".join('"' + w.replace('"', '""') + '"' for w in sorted(typed)) + ")"
    with _open(path, format_version) as con:
        order = " ".join(f"WHEN '{kind}' THEN {rank}" for kind, rank in KIND_ORDER.items())
        yield from con.execute(
            f"SELECT id, kind, folded, exact FROM search WHERE search MATCH ? "
            f"ORDER BY CASE kind {order} ELSE 9 END, id", (query,))


def read_kind(path: Path, kind: str, *, format_version: int, where: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every node of ``kind`` (through the kind index), optionally filtered by an SQL
    condition on ``data`` (a JSON text): ``"json_extract(data, '$.deadline_text') IS NOT NULL"``."""
    with _open(path, format_version) as con:
        rows = con.execute(f"SELECT id, data FROM nodes WHERE kind = ? {'AND ' + where if where else ''} ORDER BY id",
                           (kind,))
        return [(n, json.loads(d)) for n, d in rows]


def find_deadlines(path: Path, *, format_version: int, before: str | None = None) -> list[str]:
    """Ids of the tasks with a deadline: every one, or those due on or before ``before``
    (an ISO date) and those without an end (continuous, recurring, undated)."""
    with _open(path, format_version) as con:
        if before is None:
            rows = con.execute("SELECT id FROM deadlines")
        else:
            rows = con.execute("SELECT id FROM deadlines WHERE end IS NULL "
                               "UNION SELECT id FROM deadlines WHERE end <= ?", (before,))
        return [n for n, in rows]


def find_agencies(path: Path, key: str, *, format_version: int, words: bool = False) -> list[str]:
    """Ids of the agencies whose name's :func:`~plankg.normalize.search_key` holds ``key``, or
    (``words``) whose :func:`~plankg.graph.mergers.name_key` holds the words of ``key``."""
    column, key = ("words", f" {key} ") if words else ("key", key)
    with _open(path, format_version) as con:
        rows = con.execute(f"SELECT id FROM agency_keys WHERE instr({column}, ?) > 0 OR ? = '' ORDER BY id",
                           (key, key))
        return [n for n, in rows]


def read_edges_to(path: Path, targets: Iterable[str], keys: Iterable[str], *,
                  format_version: int) -> list[tuple[str, str, str, dict[str, Any]]]:
    """Edges of the given keys that end at any of ``targets`` (through the target index)."""
    wanted, keys = list(dict.fromkeys(targets)), tuple(keys)
    out: list[tuple[str, str, str, dict[str, Any]]] = []
    with _open(path, format_version) as con:
        for chunk in range(0, len(wanted), 500):
            part = wanted[chunk:chunk + 500]
            # By target: the planner would otherwise walk the key index, every lead edge of the nation.
            rows = con.execute(f"SELECT * FROM edges INDEXED BY edges_by_target "
                               f"WHERE target IN ({','.join('?' * len(part))}) "
                               f"AND key IN ({','.join('?' * len(keys))})", [*part, *keys])
            out += [(u, v, k, _edge_attrs(k, d)) for u, v, k, d in rows]
    return sorted(out, key=lambda e: e[:3])


def read_stats(path: Path, *, format_version: int) -> dict[str, Any] | None:
    """The counts of ``plankg stats`` stored when the graph was written."""
    with _open(path, format_version) as con:
        row = con.execute("SELECT value FROM meta WHERE key = 'stats'").fetchone()
    found: dict[str, Any] | None = json.loads(row[0]) if row else None
    return found


def counts(path: Path, *, format_version: int) -> dict[str, Any]:
    """What ``plankg stats`` counts, by SQL: nodes per kind, edges per relation, link statuses,
    and the document nodes (for their levels)."""
    with _open(path, format_version) as con:
        nodes = dict(con.execute("SELECT kind, count(*) FROM nodes GROUP BY kind"))
        edges = dict(con.execute("SELECT key, count(*) FROM edges GROUP BY key"))
        links = dict(con.execute("SELECT json_extract(data, '$.status'), count(*) FROM edges "
                                 "WHERE key = 'derived_from' GROUP BY 1"))
        documents = [json.loads(d) for (d,) in con.execute("SELECT data FROM nodes WHERE kind = 'document'")]
        # Jurisdictions with their official unit, or null when none was found (plankg.graph.units).
        units = [{"jurisdiction": j, "province": p, "admin_unit": u} for j, p, u in con.execute(
            "SELECT json_extract(data, '$.jurisdiction'), json_extract(data, '$.province'), "
            "json_extract(data, '$.admin_unit') FROM nodes WHERE json_type(data, '$.admin_unit') IS NOT NULL")]
    return {"nodes": nodes, "edges": edges, "links": links, "documents": documents, "units": units}


def select(path: Path, sql: str, params: Iterable[Any] = (), *, format_version: int) -> list[tuple[Any, ...]]:
    """Rows of a read-only SQL query over the store (tables ``nodes(id, kind, data)`` and
    ``edges(source, target, key, data)``, ``data`` a JSON text)."""
    with _open(path, format_version) as con:
        return list(con.execute(sql, tuple(params)))


def read_graph(path: Path, *, format_version: int) -> Graph:
    """The whole graph stored at ``path``."""
    from plankg.graph.build import Graph

    with _open(path, format_version) as con:
        G = Graph()
        G.add_nodes_from((n, json.loads(d)) for n, d in con.execute("SELECT id, data FROM nodes ORDER BY id"))
        for u, v, k, d in con.execute("SELECT * FROM edges ORDER BY source, target, key"):
            G.add_edge(u, v, key=k, **_edge_attrs(k, d))
    return G


def read_neighbourhood(path: Path, start: str, *, direction: str, format_version: int) -> Subgraph:
    """The part of the stored graph a query around ``start`` needs.

    ``up``: ``start`` and everything reached by following derived_from, applies and
    attached_to edges upward (with all out-edges of those nodes and their ends), plus the
    documents of the items met. ``down``: everything that reaches ``start`` through
    derived_from, applies, attached_to and part_of edges, plus the documents of the items
    met. ``around``: ``start`` with its in- and out-edges and their ends. A ``start`` not
    in the store gives a graph without it (the query then reports the unknown id).
    """
    if direction not in ("up", "down", "around"):
        raise ValueError(f"direction must be up, down or around, not {direction!r}")
    G = Subgraph()  # not networkx: importing it would take a third of the query (plankg.graph.subgraph)
    with _open(path, format_version) as con:
        def load(nodes: Iterable[str]) -> None:
            G.add_nodes_from(_nodes_by_id(con, [n for n in set(nodes) if n not in G]))

        load([start])
        if start not in G:
            return G
        frontier, seen = [start], set()
        while frontier:
            node = frontier.pop()
            if node in seen or node not in G:
                continue
            seen.add(node)
            document = G.nodes[node].get("document")
            if direction == "around":
                rows = [*con.execute("SELECT * FROM edges WHERE source = ?", (node,)),
                        *con.execute("SELECT * FROM edges WHERE target = ?", (node,))]
            elif direction == "up":
                rows = list(con.execute("SELECT * FROM edges WHERE source = ?", (node,)))
            else:
                rows = list(con.execute("SELECT * FROM edges WHERE target = ?", (node,)))
            load([*(r[0] for r in rows), *(r[1] for r in rows), *([document] if document else [])])
            for u, v, k, d in rows:
                if direction == "down" and k not in DOWNWARD:
                    continue
                G.add_edge(u, v, key=k, **_edge_attrs(k, d))
                if direction == "up" and k in UPWARD:
                    frontier.append(v)
                elif direction == "down":
                    frontier.append(u)
            if direction == "up" and document:
                frontier.append(document)
    return G


class Reader:
    """Whole-store reads in a stable order, row by row, through one connection: what the
    streaming exports need (:func:`reader`), with memory that does not grow with the graph.

    Nodes come by id and edges by source, target and key: SQLite's binary order of UTF-8
    text is the order of code points, so the same as Python's ``sorted`` of the ids.
    """

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con

    def nodes(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every node, by id."""
        for node, data in self.con.execute("SELECT id, data FROM nodes ORDER BY id"):
            yield node, json.loads(data)

    def edges(self) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """Every edge, by source, target and key."""
        for u, v, k, d in self.con.execute("SELECT * FROM edges ORDER BY source, target, key"):
            yield u, v, k, _edge_attrs(k, d)

    def labelled_edges(self, key: str) -> Iterator[tuple[str, str, str, dict[str, Any], str | None]]:
        """Every edge as :meth:`edges` gives them, with the label of the target of those of ``key``
        (None for the others): one lookup on the primary key per such edge."""
        rows = self.con.execute(
            "SELECT e.source, e.target, e.key, e.data, json_extract(n.data, '$.label') FROM edges AS e "
            "LEFT JOIN nodes AS n ON e.key = ? AND n.id = e.target ORDER BY e.source, e.target, e.key", (key,))
        for u, v, k, d, label in rows:
            yield u, v, k, _edge_attrs(k, d), label

    def node(self, node: str) -> dict[str, Any] | None:
        """One node's attributes (None when it is not stored)."""
        row = self.con.execute("SELECT data FROM nodes WHERE id = ?", (node,)).fetchone()
        return json.loads(row[0]) if row else None

    def out_edges(self, node: str, key: str) -> list[tuple[str, dict[str, Any]]]:
        """(target, attributes) of the edges of ``key`` from ``node``, by target."""
        rows = self.con.execute("SELECT target, data FROM edges WHERE source = ? AND key = ? ORDER BY target",
                                (node, key))
        return [(v, _edge_attrs(key, d)) for v, d in rows]

    def ids_in_reading_order(self, kind: str) -> Iterator[str]:
        """The ids of the nodes of ``kind`` by document, first source line and id (the order of
        :func:`plankg.graph.queries.reading_order`), sorted by SQLite."""
        rows = self.con.execute(
            "SELECT id FROM nodes WHERE kind = ? ORDER BY coalesce(json_extract(data, '$.document'), ''), "
            "coalesce(json_extract(data, '$.lines[0]'), 0), id", (kind,))
        for (node,) in rows:
            yield node

    def attribute_names(self) -> tuple[set[str], set[str]]:
        """The attribute names of the nodes and of the edges (an edge stored without data has
        only ``relation``), as JSON keys read by SQL."""
        nodes = {k for (k,) in self.con.execute("SELECT DISTINCT j.key FROM nodes, json_each(nodes.data) AS j")}
        edges = {k for (k,) in self.con.execute(
            "SELECT DISTINCT j.key FROM edges, json_each(edges.data) AS j WHERE edges.data IS NOT NULL")}
        if self.con.execute("SELECT 1 FROM edges WHERE data IS NULL LIMIT 1").fetchone():
            edges.add("relation")
        return nodes, edges

    def first_clash(self, key: Callable[[str], str]) -> tuple[str, str, str] | None:
        """Two node ids that ``key`` maps to the same value (the first by value), and that
        value; None when ``key`` is one-to-one on the stored ids. SQLite groups the values."""
        self.con.create_function("plankg_key", 1, key, deterministic=True)
        row = self.con.execute("SELECT plankg_key(id) AS k, min(id), max(id) FROM nodes GROUP BY k "
                               "HAVING count(*) > 1 ORDER BY k LIMIT 1").fetchone()
        return (row[1], row[2], row[0]) if row else None


@contextlib.contextmanager
def reader(path: Path, *, format_version: int) -> Iterator[Reader]:
    """A :class:`Reader` of the store at ``path``, all its reads in one snapshot."""
    with _open(path, format_version) as con:
        con.execute("BEGIN")
        yield Reader(con)


# Seconds a query waits for another program's lock on the store before giving up.
BUSY_TIMEOUT = 5.0


def is_locked(exc: BaseException) -> bool:
    """Is ``exc`` SQLite's "database is locked" (another program holds the file), not damage?"""
    return isinstance(exc, (sqlite3.OperationalError, StoreError)) and "database is locked" in str(exc)


def read_nodes(path: Path, *, format_version: int, ids: Iterable[str] = (), prefix: str | None = None,
               documents: bool = False) -> list[tuple[str, dict[str, Any]]]:
    """Nodes by id, the nodes whose id starts with ``prefix`` (the items of a document), or
    every document node, in id order; read without loading the graph."""
    with _open(path, format_version) as con:
        found = dict(_nodes_by_id(con, list(dict.fromkeys(ids))))
        rows: list[tuple[str, str]] = []
        if prefix:
            # A range on the primary key: every id that starts with the prefix sorts between these.
            rows += con.execute("SELECT id, data FROM nodes WHERE id >= ? AND id < ?", (prefix, prefix + "\U0010ffff"))
        if documents:
            rows += con.execute("SELECT id, data FROM nodes WHERE kind = 'document'")
    found.update((n, json.loads(d)) for n, d in rows)
    return sorted(found.items())


def _nodes_by_id(con: sqlite3.Connection, ids: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """The stored nodes among ``ids``, read 500 at a time (SQLite's bound-parameter limit)."""
    found: list[tuple[str, dict[str, Any]]] = []
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        rows = con.execute(f"SELECT id, data FROM nodes WHERE id IN ({','.join('?' * len(part))})", part)
        found += [(n, json.loads(d)) for n, d in rows]
    return found


@contextlib.contextmanager
def _open(path: Path, format_version: int) -> Iterator[sqlite3.Connection]:
    """A read-only connection to a graph store of ``format_version``."""
    if not path.is_file():
        raise StoreError("missing")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT)
    except sqlite3.DatabaseError as exc:
        raise StoreError(str(exc)) from None
    try:
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreError(str(exc)) from None
        if row is None or row[0] != str(format_version):
            raise StoreError("format version")
        yield con
    finally:
        con.close()


def _edge_data(key: str, data: dict[str, Any]) -> str | None:
    """Most edges carry only their relation, which is their key: those store nothing."""
    if len(data) == 1 and data.get("relation") == key:
        return None
    return _dumps(data)


def _edge_attrs(key: str, data: str | None) -> dict[str, Any]:
    if data is None:
        return {"relation": key}
    attrs: dict[str, Any] = json.loads(data)
    return attrs


def _dumps(data: dict[str, Any]) -> str:
    """Compact JSON with sorted keys, as ``json.dumps(data, ensure_ascii=False,
    separators=(",", ":"), sort_keys=True)`` writes it, by orjson (about three times faster
    on a national store's 400,000 rows; benchmarks/README.md)."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode("utf-8")
