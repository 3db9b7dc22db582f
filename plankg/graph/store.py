"""The graph on disk: one SQLite file of nodes and edges, indexed in both directions.

A national workspace holds hundreds of thousands of nodes. Whole-graph queries (gaps,
search, stats) load everything; the lineage of one task, the cascade below a task and
``show`` read only the rows they need, so they answer from a fresh process in a fraction
of a second whatever the size. SQLite comes with Python; the file is written under a
temporary name and moved into place, so readers never see half a graph.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from plankg.graph.build import Graph
from plankg.model import Relation
from plankg.normalize import fold, search_key

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE nodes (id TEXT PRIMARY KEY, kind TEXT NOT NULL, data TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE edges (source TEXT NOT NULL, target TEXT NOT NULL, key TEXT NOT NULL, data TEXT,
                    PRIMARY KEY (source, target, key)) WITHOUT ROWID;
CREATE VIRTUAL TABLE search USING fts5(id UNINDEXED, kind UNINDEXED, folded, exact,
                                      tokenize = "unicode61 remove_diacritics 0");
"""
# Indexes are made after the rows are in: one sort instead of a b-tree grown row by row.
_INDEXES = """
CREATE INDEX nodes_by_kind ON nodes (kind, id);
CREATE INDEX edges_by_target ON edges (target, source);
CREATE INDEX edges_by_key ON edges (key);
"""
#: Edges a lineage walks up (from child to parent) and a cascade walks down.
UPWARD = frozenset({Relation.DERIVED_FROM.value, Relation.APPLIES.value, Relation.ATTACHED_TO.value})
DOWNWARD = UPWARD | {Relation.PART_OF.value}


class StoreError(Exception):
    """The file is not a graph store of the expected format (the workspace turns it into
    a :class:`~plankg.errors.WorkspaceError`)."""


def write_graph(path: Path, G: Graph, *, format_version: int) -> None:
    """Write ``G`` to ``path`` atomically, rows in sorted order (stable content)."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        con = sqlite3.connect(tmp)
        try:
            con.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
            con.execute("INSERT INTO meta VALUES ('format', ?)", (str(format_version),))
            # What plankg stats answers, counted once here rather than at every question.
            from plankg.graph.queries import stats

            con.execute("INSERT INTO meta VALUES ('stats', ?)", (_dumps(stats(G)),))
            # Rows are kept in primary-key order by SQLite itself: no sorting needed here.
            con.executemany("INSERT INTO nodes VALUES (?, ?, ?)",
                            ((n, d.get("kind") or "", _dumps(d)) for n, d in G.nodes(data=True)))
            con.executemany("INSERT INTO edges VALUES (?, ?, ?, ?)",
                            ((u, v, k, _edge_data(k, d)) for u, v, k, d in G.edges(keys=True, data=True)))
            con.executemany("INSERT INTO search VALUES (?, ?, ?, ?)", _search_rows(G))
            con.executescript(_INDEXES)
            con.commit()
        finally:
            con.close()
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _search_rows(G: Graph) -> Iterator[tuple[str, str, str, str]]:
    """One full-text row per searchable node: its texts folded without diacritics (what a
    search without them matches) and with them (to rank matches as typed first)."""
    from plankg.graph.queries import search_texts

    for node, data in G.nodes(data=True):
        texts = FIELD_MARK.join(t for t in search_texts(data) if t) if data.get("kind") in _SEARCHED else ""
        if texts:
            yield node, data["kind"], search_key(texts), fold(texts)


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


def read_kind(path: Path, kind: str, *, format_version: int, where: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every node of ``kind`` (through the kind index), optionally filtered by an SQL
    condition on ``data`` (a JSON text): ``"json_extract(data, '$.deadline_text') IS NOT NULL"``."""
    with _open(path, format_version) as con:
        rows = con.execute(f"SELECT id, data FROM nodes WHERE kind = ? {'AND ' + where if where else ''} ORDER BY id",
                           (kind,))
        return [(n, json.loads(d)) for n, d in rows]


def read_edges_to(path: Path, targets: Iterable[str], keys: Iterable[str], *,
                  format_version: int) -> list[tuple[str, str, str, dict[str, Any]]]:
    """Edges of the given keys that end at any of ``targets`` (through the target index)."""
    wanted, keys = list(dict.fromkeys(targets)), tuple(keys)
    out: list[tuple[str, str, str, dict[str, Any]]] = []
    with _open(path, format_version) as con:
        for chunk in range(0, len(wanted), 500):
            part = wanted[chunk:chunk + 500]
            rows = con.execute(f"SELECT * FROM edges WHERE target IN ({','.join('?' * len(part))}) "
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
    with _open(path, format_version) as con:
        G = Graph()
        G.add_nodes_from((n, json.loads(d)) for n, d in con.execute("SELECT id, data FROM nodes ORDER BY id"))
        for u, v, k, d in con.execute("SELECT * FROM edges ORDER BY source, target, key"):
            G.add_edge(u, v, key=k, **_edge_attrs(k, d))
    return G


def read_neighbourhood(path: Path, start: str, *, direction: str, format_version: int) -> Graph:
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
    G = Graph()
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


def read_below(path: Path, start: str, *, format_version: int) -> Graph:
    """What ``gaps --under start`` needs, without the rest of the graph.

    The documents below ``start`` (those its ``down`` neighbourhood meets, and its own) and
    the lower documents of each (which apply it, directly or through cited placeholders, or
    whose items derive from its items) are read whole: their items, every edge touching
    them or their items, the nodes at the other ends, and the chains of cited placeholders
    above them. Every document node is read too (the commune plans that may take up a
    task). A ``start`` not in the store gives a graph without it.
    """
    G = Graph()
    with _open(path, format_version) as con:
        def load(nodes: Iterable[str]) -> None:
            G.add_nodes_from(_nodes_by_id(con, [n for n in set(nodes) if n not in G]))

        def edges(column: str, nodes: Iterable[str]) -> list[tuple[str, str, str, str | None]]:
            wanted = sorted(set(nodes))
            out: list[tuple[str, str, str, str | None]] = []
            for chunk in range(0, len(wanted), 500):
                part = wanted[chunk:chunk + 500]
                out += con.execute(f"SELECT * FROM edges WHERE {column} IN ({','.join('?' * len(part))})", part)
            return out

        def items(document: str) -> list[str]:
            rows = con.execute("SELECT id, data FROM nodes WHERE id >= ? AND id < ?", (document + "#", document + "$"))
            found = [(n, json.loads(d)) for n, d in rows]
            G.add_nodes_from(found)
            return [n for n, _ in found]

        load([start])
        if start not in G:
            return G
        documents = con.execute("SELECT id, data FROM nodes WHERE kind = 'document'")
        G.add_nodes_from((n, json.loads(d)) for n, d in documents)

        def document_of(node: str) -> str:
            return str(G.nodes[node].get("document") or node)

        # The documents below start: down through applies, attached_to, derived_from and part_of.
        seen: set[str] = set()
        frontier = [start, document_of(start)]
        while frontier:  # breadth by breadth: one query per level, not one per node
            level = [n for n in dict.fromkeys(frontier) if n not in seen]
            seen.update(level)
            rows = [r for r in edges("target", level) if r[2] in DOWNWARD]
            load([r[0] for r in rows])
            frontier = [r[0] for r in rows]
        below = {document_of(n) for n in seen if n in G}
        # And the lower documents of each: through placeholders, or by their items' links.
        whole: set[str] = set()
        members: list[str] = []
        pending = sorted(below)
        while pending:
            whole.update(pending)
            new = [n for d in pending for n in items(d)]
            members += new
            above = [r for r in edges("target", [*pending, *new]) if r[2] in UPWARD]
            load([r[0] for r in above])
            lower = {document_of(u) for u, *_ in above}
            lower |= {u for u, *_ in above if G.nodes[u].get("placeholder")}
            pending = sorted(lower - whole)
        nodes = whole | set(members)
        rows = edges("source", nodes) + edges("target", nodes)
        load([n for r in rows for n in r[:2]])
        for u, v, k, d in rows:
            if not G.has_edge(u, v, key=k):
                G.add_edge(u, v, key=k, **_edge_attrs(k, d))
        # On through the cited placeholders above them, whose chains a gap's reason follows.
        outward = sorted({v for _, v, _, _ in rows if G.nodes[v].get("placeholder")} - whole)
        done = set(whole)
        while outward:
            done.update(outward)
            rows = edges("source", outward)
            load([r[1] for r in rows])
            for u, v, k, d in rows:
                if not G.has_edge(u, v, key=k):
                    G.add_edge(u, v, key=k, **_edge_attrs(k, d))
            outward = sorted({v for _, v, _, _ in rows if G.nodes[v].get("placeholder")} - done)
    return G


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
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
