"""Hand the graph to a SPARQL 1.1 server, and query one.

``push`` uploads the N-Triples export with the SPARQL 1.1 Graph Store HTTP Protocol: an
HTTP ``PUT`` to ``STORE_URL?graph=IRI`` replaces that named graph, so pushing again never
duplicates a triple. ``remote_query`` sends a query with the SPARQL 1.1 Protocol and reads
the JSON results. Both use only the standard library.

Endpoints of common servers (HOST:PORT, DATASET and REPO are yours):

==========  ==============================================  ===========================================
server      store URL (push)                                query URL (sparql --endpoint)
==========  ==============================================  ===========================================
Oxigraph    http://HOST:7878/store                          http://HOST:7878/query
Fuseki      http://HOST:3030/DATASET/data                   http://HOST:3030/DATASET/sparql
GraphDB     http://HOST:7200/repositories/REPO/rdf-graphs/  http://HOST:7200/repositories/REPO
            service
Virtuoso    http://HOST:8890/sparql-graph-crud-auth         http://HOST:8890/sparql
==========  ==============================================  ===========================================

Credentials come from ``$PLANKG_SPARQL_USER`` and ``$PLANKG_SPARQL_PASSWORD``, or from the
netrc file (``$NETRC`` or ``~/.netrc``) entry of the endpoint's host, and are sent as HTTP
Basic authentication. They are never printed: error messages show the URL without any
user information.
"""

from __future__ import annotations

import base64
import json
import netrc
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from plankg.errors import ExportError, QueryError
from plankg.i18n import _

#: The named graph plankg writes to unless told otherwise.
DEFAULT_GRAPH = "https://w3id.org/plankg/graph"
USER_ENV = "PLANKG_SPARQL_USER"
PASSWORD_ENV = "PLANKG_SPARQL_PASSWORD"


@dataclass(frozen=True)
class PushReport:
    endpoint: str
    graph: str
    triples: int
    status: int


def push(data: bytes | IO[bytes], endpoint: str, *, graph: str = DEFAULT_GRAPH, timeout: float = 120.0,
         triples: int | None = None) -> PushReport:
    """Replace named graph ``graph`` at Graph Store endpoint ``endpoint`` with N-Triples ``data``.

    ``data`` is the bytes or a binary file positioned at their start (sent as it is read,
    with its length: a national export is never held in memory); ``triples`` is their
    count of triples when known, else the lines are counted.

    Raises
    ------
    ExportError
        The server cannot be reached or refuses the upload (the message names the URL and
        the HTTP status, never the credentials).
    """
    check_store_url(endpoint)
    url = _with_query(endpoint, {"graph": graph})
    headers = {"Content-Type": "application/n-triples; charset=utf-8"}
    if isinstance(data, bytes):
        triples = data.count(b"\n") if triples is None else triples
    else:
        start = data.tell()
        headers["Content-Length"] = str(os.fstat(data.fileno()).st_size - start)
        if triples is None:
            triples = sum(chunk.count(b"\n") for chunk in iter(lambda: data.read(1 << 20), b""))
            data.seek(start)
    request = urllib.request.Request(url, data=data, method="PUT", headers=headers)
    status = _send(request, timeout, ExportError).status
    return PushReport(_public(endpoint), graph, triples, status)


def check_store_url(endpoint: str) -> None:
    """Refuse a Graph Store URL :func:`push` cannot use, before anything is exported.

    Raises
    ------
    ExportError
        ``endpoint`` is not an http(s) URL with a host, or cannot be parsed.
    """
    _check_url(endpoint, ExportError)


@dataclass(frozen=True)
class _Response:
    status: int
    body: bytes


def remote_query(endpoint: str, query_text: str, bindings: Mapping[str, str | int] | None = None, *,
                 graph: str | None = DEFAULT_GRAPH, timeout: float = 60.0) -> Any:
    """Run a SELECT or ASK query at SPARQL endpoint ``endpoint``; parameters are bound values.

    ``graph`` is sent as the protocol's ``default-graph-uri``, so the named graph ``push``
    wrote is the default graph of the query on any SPARQL 1.1 server; None queries the
    server's own default graph. Returns a :class:`plankg.exports.sparql.Result`, so results
    print as local ones do.
    """
    from plankg.exports import sparql

    _check_url(endpoint, QueryError)
    text = sparql.prepare(query_text, bindings)
    url = _with_query(endpoint, {"default-graph-uri": graph}) if graph else endpoint
    request = urllib.request.Request(
        url, data=text.encode("utf-8"), method="POST",
        headers={"Content-Type": "application/sparql-query; charset=utf-8",
                 "Accept": "application/sparql-results+json"})
    response = _send(request, timeout, QueryError)
    try:
        answer = json.loads(response.body)
    except ValueError:
        raise QueryError(_("{endpoint} did not answer with SPARQL JSON results")
                         .format(endpoint=_public(endpoint))) from None
    try:
        return _result(sparql, answer)
    except (KeyError, TypeError, AttributeError) as exc:
        # "[]", an answer without "head", a binding without "type": not SPARQL JSON results.
        raise QueryError(_("{endpoint} answered with malformed SPARQL JSON results ({exc!r})")
                         .format(endpoint=_public(endpoint), exc=exc)) from None


def _check_url(url: str, error: type[ExportError] | type[QueryError]) -> None:
    """Refuse a URL that cannot be parsed ("http://[::1/q", "http://host:abc/q") before using it."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - parsing the port is the check
    except ValueError as exc:
        raise error(_("not a valid URL ({exc})").format(exc=exc)) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise error(_("not an http(s) URL: {url}").format(url=_public(url)))


def _result(sparql: Any, answer: dict[str, Any]) -> Any:
    if "boolean" in answer:
        return sparql.Result((), (), boolean=bool(answer["boolean"]))
    names = tuple(answer["head"]["vars"])
    rows = []
    for binding in answer["results"]["bindings"]:
        row: list[Any] = []
        for name in names:
            value = binding.get(name)
            if value is None:
                row.append(None)
                continue
            kind = value["type"] if value["type"] in ("uri", "bnode") else "literal"
            row.append(sparql.Term(kind, value["value"], value.get("datatype"), value.get("xml:lang")))
        rows.append(tuple(row))
    return sparql.Result(names, tuple(rows))


def _send(request: urllib.request.Request, timeout: float, error: type[ExportError] | type[QueryError]) -> _Response:
    header, secrets = _authorization(request.full_url)
    request.full_url = _without_userinfo(request.full_url)  # credentials go in the header, never the URL
    if header:
        request.add_unredirected_header("Authorization", header)
    where = _public(request.full_url.split("?", 1)[0])
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # _authorization checked http(s)
            return _Response(response.status, response.read())
    except urllib.error.HTTPError as exc:
        with exc:  # an error response holds its connection until closed
            detail = exc.read(300).decode("utf-8", "replace").strip().splitlines()
        hint = f": {_redact(detail[0][:200], secrets)}" if detail else ""
        raise error(_("{endpoint} answered HTTP {code} {reason}{detail}")
                    .format(endpoint=where, code=exc.code, reason=exc.reason, detail=hint)) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise error(_("cannot reach {endpoint}: {reason}").format(endpoint=where, reason=reason)) from None


def _authorization(url: str) -> tuple[str | None, tuple[str, ...]]:
    """An HTTP Basic header from the URL's user information, the environment or the netrc
    file (None without credentials), and the secrets never to print (the header, its parts,
    the URL's query values)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ExportError(_("not an http(s) URL: {url}").format(url=_public(url)))
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if parts.username is not None:
        user = urllib.parse.unquote(parts.username)
        password = urllib.parse.unquote(parts.password or "")
    if user is None and parts.hostname:
        path = Path(os.environ.get("NETRC") or Path.home() / ".netrc")
        if path.is_file():
            try:
                entry = netrc.netrc(str(path)).authenticators(parts.hostname)
            except (netrc.NetrcParseError, OSError):
                entry = None
            if entry is not None:
                user, password = entry[0], entry[2]
    values = tuple(v for _, v in urllib.parse.parse_qsl(parts.query) if len(v) >= 4)
    if user is None:
        return None, values
    token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
    return f"Basic {token}", (token, *(x for x in (user, password) if x and len(x) >= 4), *values)


def _redact(text: str, secrets: Sequence[str]) -> str:
    """``text`` with every secret replaced: a server may echo the credentials it was sent."""
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def _with_query(url: str, params: dict[str, str]) -> str:
    parts = urllib.parse.urlsplit(url)
    query = "&".join(p for p in (parts.query, urllib.parse.urlencode(params)) if p)
    return urllib.parse.urlunsplit(parts._replace(query=query))


def _without_userinfo(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{host}:{parts.port}" if parts.port else host))


def _public(url: str) -> str:
    """``url`` without user information, safe to print (query values are shown as "***",
    since tokens travel there: "?token=…").

    >>> _public("http://ann:secret@localhost:7878/query?token=abc123&graph=g")
    'http://localhost:7878/query?token=***&graph=***'
    """
    try:
        parts = urllib.parse.urlsplit(_without_userinfo(url))
    except ValueError:
        return "(an invalid URL)"
    if parts.query:
        query = "&".join(f"{k}=***" for k, _ in urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
        parts = parts._replace(query=query)
    return urllib.parse.urlunsplit(parts)
