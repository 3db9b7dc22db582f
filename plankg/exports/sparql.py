"""SPARQL over the workspace graph: its RDF export loaded into an Oxigraph store.

:func:`run_query` takes the networkx graph (or its RDF, or a loaded store), a query and
parameter values, and returns a :class:`Result` that :func:`format_result` prints as a
table, CSV or SPARQL JSON. Named queries ship as ``plankg/ontology/queries/<name>.rq``;
each opens with a comment naming its parameters and their types::

    # Parameters:
    #   ?task  iri  the task or target: its node id (as in the JSON export) or its IRI

Parameters are bound values, never text pasted into the query: each value becomes an RDF
term (an IRI, a typed or plain literal) serialised by the engine's own term classes,
which escape quotes, braces and newlines, and the terms are joined to the query's
top-level group pattern as a ``VALUES`` block. Use a parameter in that group (its triple
patterns and FILTERs), not only inside a subquery. Without pyoxigraph the same query runs
on rdflib's in-memory engine with the values as ``initBindings``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any
from typing import Literal as TypingLiteral

import networkx as nx
import rdflib
from rdflib.namespace import XSD

from plankg.errors import QueryError
from plankg.exports.rdf import BASE, PREFIXES, node_iri, serialize, to_rdf, unit_of_iri
from plankg.i18n import _
from plankg.ontology import resource

if TYPE_CHECKING:
    import pyoxigraph

    from plankg.graph.build import Graph

__all__ = [
    "NamedQuery",
    "Parameter",
    "Result",
    "Term",
    "format_result",
    "load_store",
    "named_queries",
    "parse_parameters",
    "resolve_query",
    "run_query",
]

ParameterType = TypingLiteral["iri", "string", "date", "integer"]
ResultFormat = TypingLiteral["table", "csv", "json"]
RESULT_FORMATS: tuple[ResultFormat, ...] = ("table", "csv", "json")

_PARAMETER = re.compile(r"^#\s+\?(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>iri|string|date|integer)\b\s*(?P<doc>.*)$")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_FORM = re.compile(r"(?<![\w:?$])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])", re.IGNORECASE)
_TABLE_WIDTH = 60


# --- results ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """One value of a result row, as in the SPARQL JSON results format."""

    kind: TypingLiteral["uri", "literal", "bnode"]
    value: str
    datatype: str | None = None  # None for plain and language-tagged literals
    language: str | None = None

    def to_json(self) -> dict[str, str]:
        out = {"type": self.kind, "value": self.value}
        if self.datatype:
            out["datatype"] = self.datatype
        if self.language:
            out["xml:lang"] = self.language
        return out


@dataclass(frozen=True)
class Result:
    """Rows of a SELECT query (``boolean`` is None), or the answer of an ASK query."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]
    boolean: bool | None = None

    def column(self, name: str) -> list[str | None]:
        """The values of one variable, as strings (None where unbound)."""
        i = self.variables.index(name)
        return [term.value if term is not None else None for term in (row[i] for row in self.rows)]


# --- named queries ------------------------------------------------------------------------

@dataclass(frozen=True)
class Parameter:
    """A parameter a query declares in its opening comment."""

    name: str
    type: ParameterType
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str


def parse_parameters(query_text: str) -> tuple[Parameter, ...]:
    """The parameters declared in the opening comment of ``query_text``.

    >>> parse_parameters("# Parameters:\\n#   ?today  date  the day\\nSELECT * {}")
    (Parameter(name='today', type='date', description='the day'),)
    """
    params = []
    for line in query_text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = _PARAMETER.match(stripped)
        if m:
            kind: ParameterType = m.group("type")  # type: ignore[assignment]
            params.append(Parameter(m.group("name"), kind, m.group("doc").strip()))
    return tuple(params)


def named_queries() -> dict[str, NamedQuery]:
    """The queries shipped in ``plankg/ontology/queries``, by name.

    >>> sorted(named_queries())
    ['agency-tasks', 'cascade', 'lineage', 'orphans', 'overdue']
    >>> [p.name for p in named_queries()["overdue"].parameters]
    ['today']
    """
    queries = {}
    for entry in sorted(resource("queries").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        name = entry.name.removesuffix(".rq")
        text = entry.read_text(encoding="utf-8")
        first = text.splitlines()[0].lstrip("# ") if text else ""
        description = first.split(":", 1)[1].strip() if first.startswith(f"{name}:") else first
        queries[name] = NamedQuery(name, description, parse_parameters(text), text)
    return queries


def resolve_query(spec: str) -> str:
    """The text of a query given by name (``lineage``), by file, or as SPARQL text.

    Raises
    ------
    QueryError
        ``spec`` names a file that cannot be read.

    Examples
    --------
    >>> resolve_query("overdue").splitlines()[0]
    '# overdue: tasks whose deadline ended before a given day (plankg knows deadlines, not'
    >>> resolve_query("ASK { ?s ?p ?o }")
    'ASK { ?s ?p ?o }'
    """
    queries = named_queries()
    if spec in queries:
        return queries[spec].text
    if "{" not in spec and "\n" not in spec:
        path = Path(spec)
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            known = ", ".join(sorted(queries))
            raise QueryError(_("not a query name ({known}) nor a readable file: {reason}")
                             .format(known=known, reason=exc.strerror or exc),
                             path=spec) from None
    return spec


# --- running ------------------------------------------------------------------------------

def _import_oxigraph() -> ModuleType:
    import pyoxigraph

    return pyoxigraph


def load_store(source: Graph | rdflib.Graph) -> pyoxigraph.Store:
    """An in-memory Oxigraph store holding the RDF export of ``source``.

    Load it once to run several queries: :func:`run_query` accepts the store.

    >>> from plankg.graph.build import Graph
    >>> G = Graph()
    >>> G.add_node("d", id="d", kind="document", label="Kế hoạch 1/KH", placeholder=True)
    >>> len(load_store(G))
    3
    """
    ox = _import_oxigraph()
    data = serialize(source, "nt")  # written directly for a plankg graph: fast at any size
    store: pyoxigraph.Store = ox.Store()
    store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    return store


def run_query(source: Any, query_text: str, bindings: Mapping[str, str | int] | None = None) -> Result:
    """Run a SELECT or ASK query over ``source`` with parameter values ``bindings``.

    ``source`` is the networkx graph, its RDF graph (:func:`~plankg.exports.rdf.to_rdf`) or
    a store from :func:`load_store`. Parameters declared in the query's opening comment
    are typed by their declaration: ``iri`` takes a node id (``agency:so-y-te``) or an
    ``http(s)://`` IRI, ``date`` an ISO date, ``integer`` a number, ``string`` any text.
    A query that declares none takes any: integers become ``xsd:integer``, text a string.

    Raises
    ------
    QueryError
        The query is not valid SPARQL, is not a SELECT or ASK query, or a parameter is
        missing, unknown or not of its declared type.

    Examples
    --------
    >>> from plankg.loaders import load_text
    >>> from plankg.graph import build_graph
    >>> G = build_graph([load_text("Số: 5/KH-UBND\\nKẾ HOẠCH\\nThử\\n1. Sở Y tế chủ trì.", source="a.txt")])
    >>> q = "SELECT ?id WHERE { ?d <http://data.europa.eu/eli/ontology#id_local> ?id FILTER(?id = ?n) }"
    >>> run_query(G, q, {"n": "5/KH-UBND"}).column("id")
    ['5/KH-UBND']
    """
    form = query_form(query_text)
    if form not in ("SELECT", "ASK"):
        raise QueryError(_("only SELECT and ASK queries can be run, not {form}").format(form=form or _('this text')))
    values = _binding_terms(query_text, dict(bindings or {}))
    try:
        ox = _import_oxigraph()
    except ImportError:
        return _run_rdflib(source, query_text, values)
    if isinstance(source, ox.Store):
        store = source
    elif isinstance(source, (rdflib.Graph, nx.MultiDiGraph)):
        store = load_store(source)
    else:
        raise QueryError(_("cannot query a {kind}").format(kind=type(source).__name__))
    text = _with_values(query_text, {name: _ox_term(ox, term) for name, term in values.items()})
    try:
        answer = store.query(text, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise QueryError(_("invalid SPARQL: {exc}").format(exc=exc)) from None
    if isinstance(answer, ox.QueryBoolean):
        return Result((), (), bool(answer))
    variables = tuple(v.value for v in answer.variables)
    rows = tuple(tuple(_from_ox(ox, solution[name]) for name in variables) for solution in answer)
    return Result(variables, rows)


def query_form(query_text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the form of the query, or None.

    >>> query_form("PREFIX select: <http://e/> # SELECT\\nASK { ?s select:p ?o }")
    'ASK'
    """
    for kind, start, end in _scan(query_text):
        if kind == "code":
            m = _FORM.search(query_text, start, end)
            if m:
                return m.group(1).upper()
    return None


def _binding_terms(query_text: str, bindings: dict[str, str | int]) -> dict[str, rdflib.term.Identifier]:
    declared = {p.name: p for p in parse_parameters(query_text)}
    if declared:
        unknown = sorted(set(bindings) - set(declared))
        if unknown:
            raise QueryError(_("unknown parameter {unknown}: this query takes {declared}").format(
                unknown=", ".join("?" + u for u in unknown), declared=", ".join("?" + name for name in declared)))
        missing = [name for name in declared if name not in bindings]
        if missing:
            raise QueryError(_("missing parameter {parameters}").format(
                parameters="; ".join(f"?{m}: {declared[m].description}" for m in missing)))
    terms: dict[str, rdflib.term.Identifier] = {}
    for name, value in sorted(bindings.items()):
        if not _VARIABLE.match(name):
            raise QueryError(_("invalid parameter name {name!r}: use letters, digits and _").format(name=name))
        param = declared.get(name)
        terms[name] = _term(name, param.type if param else None, value)
    return terms


def _term(name: str, kind: ParameterType | None, value: str | int) -> rdflib.term.Identifier:
    if kind == "iri":
        text = str(value)
        iri = text if text.startswith(("http://", "https://")) else str(node_iri(text))
        if not _IRIREF.fullmatch(f"<{iri}>"):
            raise QueryError(_("?{name} is not a valid IRI: {text!r}").format(name=name, text=text))
        return rdflib.URIRef(iri)
    if kind == "date":
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            raise QueryError(_("?{name} must be a date like 2026-05-01, not {value!r}")
                             .format(name=name, value=value)) from None
        return rdflib.Literal(day.isoformat(), datatype=XSD.date)
    if kind == "integer" or (kind is None and isinstance(value, int)):
        try:
            number = int(value)
        except ValueError:
            raise QueryError(_("?{name} must be an integer, not {value!r}").format(name=name, value=value)) from None
        return rdflib.Literal(str(number), datatype=XSD.integer)
    return rdflib.Literal(str(value))


def prepare(query_text: str, bindings: Mapping[str, str | int] | None = None) -> str:
    """The text a remote SPARQL endpoint runs: the default prefix declarations, then the
    query with its parameters bound as a ``VALUES`` block of escaped RDF terms.

    >>> print(prepare("SELECT ?d WHERE { ?d eli:id_local ?n }", {"n": 'x" } DROP ALL #'}))
    PREFIX dcterms: <http://purl.org/dc/terms/>
    PREFIX eli: <http://data.europa.eu/eli/ontology#>
    PREFIX org: <http://www.w3.org/ns/org#>
    PREFIX pkg: <https://w3id.org/plankg/ontology#>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
    SELECT ?d WHERE { VALUES (?n) { ("x\\" } DROP ALL #") }  ?d eli:id_local ?n }
    """
    form = query_form(query_text)
    if form not in ("SELECT", "ASK"):
        raise QueryError(_("only SELECT and ASK queries can be run, not {form}").format(form=form or _('this text')))
    values = _binding_terms(query_text, dict(bindings or {}))
    text = _with_values(query_text, {name: _N3(term) for name, term in values.items()})
    declared = {m.lower() for m in re.findall(r"(?im)^\s*PREFIX\s+([\w-]*)\s*:", text)}
    head = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(PREFIXES.items()) if p.lower() not in declared)
    return head + text


class _N3:
    """A term written in SPARQL syntax (rdflib escapes quotes, backslashes and newlines)."""

    def __init__(self, term: rdflib.term.Identifier) -> None:
        self.term = term

    def __str__(self) -> str:
        return str(self.term.n3())


def _ox_term(ox: ModuleType, term: rdflib.term.Identifier) -> Any:
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    assert isinstance(term, rdflib.Literal)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def _with_values(query_text: str, terms: Mapping[str, Any]) -> str:
    """``query_text`` with ``VALUES (?a ?b) { (t1 t2) }`` opening its top-level group.

    The terms are serialised by their own ``str()`` (N-Triples syntax, fully escaped), so
    no value can close the block or the query. The insertion point is the first ``{``
    outside comments, strings, IRIs and parentheses, after the query form keyword.
    """
    if not terms:
        return query_text
    names = sorted(terms)
    block = (" VALUES (" + " ".join("?" + n for n in names) + ") { ("
             + " ".join(str(terms[n]) for n in names) + ") } ")
    seen_form = False
    depth = 0
    for kind, start, end in _scan(query_text):
        if kind != "code":
            continue
        if not seen_form:
            m = _FORM.search(query_text, start, end)
            if m is None:
                continue
            seen_form = True
            start = m.end()
        for i in range(start, end):
            ch = query_text[i]
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            elif ch == "{" and depth == 0:
                return query_text[: i + 1] + block + query_text[i + 1:]
    raise QueryError(_("cannot bind parameters: the query has no WHERE { … } group"))


def _scan(text: str) -> list[tuple[str, int, int]]:
    """Split SPARQL text into code, comment, string and IRI spans (start, end offsets)."""
    spans: list[tuple[str, int, int]] = []
    i, n, code_start = 0, len(text), 0
    while i < n:
        ch = text[i]
        kind, end = None, i
        if ch == "#" and not (i and text[i - 1] == "\\"):  # "ex:a\\#b" is a name, not a comment
            newline = text.find("\n", i)
            kind, end = "comment", n if newline < 0 else newline
        elif ch in "'\"":
            quote = text[i: i + 3] if text[i: i + 3] in ("'''", '"""') else ch
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            kind, end = "string", min(j + len(quote), n)
        elif ch == "<":
            m = _IRIREF.match(text, i)
            if m:
                kind, end = "iri", m.end()
        if kind is None:
            i += 1
            continue
        if code_start < i:
            spans.append(("code", code_start, i))
        spans.append((kind, i, end))
        i = code_start = end
    if code_start < n:
        spans.append(("code", code_start, n))
    return spans


def _from_ox(ox: ModuleType, term: Any) -> Term | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    datatype = term.datatype.value if term.datatype is not None else None
    if term.language or datatype == str(XSD.string):
        datatype = None
    return Term("literal", term.value, datatype, term.language or None)


def _run_rdflib(source: Any, query_text: str, values: Mapping[str, rdflib.term.Identifier]) -> Result:
    """The fallback engine: rdflib's, with the values as initial bindings."""
    rdf = source if isinstance(source, rdflib.Graph) else to_rdf(source)
    try:
        answer = rdf.query(query_text, initNs=PREFIXES, initBindings=dict(values))
    except Exception as exc:  # rdflib raises pyparsing's exceptions, and others while evaluating
        raise QueryError(_("SPARQL query failed: {exc}").format(exc=exc)) from None
    if answer.type == "ASK":
        return Result((), (), bool(answer.askAnswer))
    variables = tuple(str(v) for v in answer.vars or ())
    rows = []
    for row in answer:
        assert isinstance(row, rdflib.query.ResultRow)
        rows.append(tuple(_from_rdflib(row[v]) for v in variables))
    return Result(variables, tuple(rows))


def _from_rdflib(term: Any) -> Term | None:
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return Term("uri", str(term))
    if isinstance(term, rdflib.BNode):
        return Term("bnode", str(term))
    assert isinstance(term, rdflib.Literal)
    datatype = str(term.datatype) if term.datatype is not None and term.datatype != XSD.string else None
    return Term("literal", str(term), datatype, term.language)


# --- formatting ---------------------------------------------------------------------------

def format_result(result: Result, fmt: str = "table", *, ids: Mapping[str, str] | None = None,
                  width: int | None = None) -> str:
    """``result`` as an aligned ``table`` for people, ``csv``, or ``json`` (SPARQL 1.1 JSON results).

    In a table, the IRI of a node is shown as its node id when ``ids`` (IRI -> node id,
    see :func:`node_ids`) knows it, else as ``id:…`` (``https://w3id.org/plankg/id/``);
    both are accepted by every command that takes a node, and never cut. Other IRIs are
    shortened with the export's prefixes and long values cut at 60 characters. A table
    wider than ``width`` (a terminal's columns) has its columns without IRIs cut to fit, no
    narrower than their name or 10 characters; when that is not enough, it is shown a row
    at a time, a value a line, as psql's expanded display does. CSV and JSON keep every
    value whole.

    >>> r = Result(("task", "n"), ((Term("uri", BASE + "a/2026/1-kh/II/1"), Term("literal", "3", str(XSD.integer))),))
    >>> print(format_result(r))
    task                | n
    --------------------+--
    id:a/2026/1-kh/II/1 | 3
    (1 row)
    """
    if fmt == "json":
        return json.dumps(_json(result), ensure_ascii=False, indent=2)
    if fmt == "csv":
        return _csv(result)
    if fmt == "table":
        return _table(result, ids or {}, width)
    raise QueryError(_("unknown result format {fmt!r}: choose one of {formats}")
                     .format(fmt=fmt, formats=', '.join(RESULT_FORMATS)))


def _json(result: Result) -> dict[str, Any]:
    if result.boolean is not None:
        return {"head": {}, "boolean": result.boolean}
    return {
        "head": {"vars": list(result.variables)},
        "results": {"bindings": [
            {name: term.to_json() for name, term in zip(result.variables, row, strict=True) if term is not None}
            for row in result.rows
        ]},
    }


def _csv(result: Result) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if result.boolean is not None:
        writer.writerows([["boolean"], ["true" if result.boolean else "false"]])
    else:
        writer.writerow(result.variables)
        writer.writerows([term.value if term is not None else "" for term in row] for row in result.rows)
    return out.getvalue()


def node_ids(G: Any) -> dict[str, str]:
    """IRI -> node id for every node of ``G``, to show query results as ids."""
    from plankg.exports.rdf import node_iri

    return {str(node_iri(n)): n for n in G}


def _short(term: Term | None, ids: Mapping[str, str]) -> str:
    if term is None:
        return ""
    value = term.value
    if term.kind == "uri" and value in ids:
        return ids[value]
    if term.kind == "uri" and (unit := unit_of_iri(value)):
        return unit  # an administrative unit: plankg show and jurisdiction take its id
    if term.kind == "uri" and value.startswith(BASE):
        return f"id:{value[len(BASE):]}"  # an id: whole, so it can be given to show
    if term.kind == "uri":
        for prefix, namespace in (("id", BASE), *PREFIXES.items()):
            if value.startswith(namespace):
                value = f"{prefix}:{value[len(namespace):]}"
                break
    value = " ".join(value.split())
    return value if len(value) <= _TABLE_WIDTH else value[: _TABLE_WIDTH - 1] + "…"


def _table(result: Result, ids: Mapping[str, str], width: int | None) -> str:
    if result.boolean is not None:
        return "true" if result.boolean else "false"
    names = result.variables
    cells = [[_short(term, ids) for term in row] for row in result.rows]
    widths = [max([len(name)] + [len(row[i]) for row in cells]) for i, name in enumerate(names)]
    count = len(result.rows)
    rows = f"({count} row{'s' if count != 1 else ''})"
    if width is not None and sum(widths) + 3 * (len(widths) - 1) > width:
        # The least width of each column: 0 for one holding IRIs (ids, never cut).
        least = [0 if any(term is not None and term.kind == "uri" for term in (row[i] for row in result.rows))
                 else max(len(name), _MIN_CUT) for i, name in enumerate(names)]
        fitted = _fit(widths, least, width)
        if fitted is None:
            return "\n".join([*_expanded(names, cells, width), rows])
        widths = fitted
        cells = [[_cut(value, w) for value, w in zip(row, widths, strict=True)] for row in cells]
    lines = [_row(names, widths), "-+-".join("-" * w for w in widths)]
    lines.extend(_row(row, widths) for row in cells)
    lines.append(rows)
    return "\n".join(lines)


_MIN_CUT = 10  # a column cut to fit a terminal keeps at least this many characters (or its name's)


def _fit(widths: Sequence[int], least: Sequence[int], width: int) -> list[int] | None:
    """Column widths within ``width`` (separators included): the widest columns narrowed
    first, a column ``i`` never below ``least[i]`` (0: never cut); None when they cannot fit."""
    room = width - 3 * (len(widths) - 1) - sum(w for w, low in zip(widths, least, strict=True) if not low)
    if sum(min(w, low) for w, low in zip(widths, least, strict=True) if low) > room:
        return None
    cap = max(widths)
    while sum(min(w, max(cap, low)) for w, low in zip(widths, least, strict=True) if low) > room:
        cap -= 1
    return [w if not low else min(w, max(cap, low)) for w, low in zip(widths, least, strict=True)]


def _cut(value: str, width: int) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"


def _expanded(names: Sequence[str], cells: Sequence[Sequence[str]], width: int) -> Iterator[str]:
    """Each row as a block of ``name | value`` lines under a ``-[ n ]-`` rule."""
    label = max(len(name) for name in names)
    for number, row in enumerate(cells, 1):
        head = f"-[ {number} ]"
        yield head + "-" * max(1, min(width, label + 3 + max(map(len, row), default=0)) - len(head))
        yield from (f"{name.ljust(label)} | {value}".rstrip() for name, value in zip(names, row, strict=True))


def _row(values: Sequence[str], widths: Sequence[int]) -> str:
    return " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()
