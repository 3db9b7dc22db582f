"""Exports: records and graphs -> text summaries, JSON, RDF, HTML and tabular files.

:func:`export_graph` gives the bytes of one single-file export format (``plankg export``);
CSV writes two files, with :func:`plankg.exports.tables.to_csv`. The format modules are
imported on use, so commands that export nothing never load rdflib.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeVar

from plankg.errors import ExportError
from plankg.i18n import _

if TYPE_CHECKING:
    from plankg.graph.build import Graph

__all__ = ["GRAPH_FORMATS", "export_graph", "write_bytes", "write_stream"]

T = TypeVar("T")

#: Single-file formats of :func:`export_graph`: RDF (see :mod:`plankg.exports.rdf`), then tables.
GRAPH_FORMATS = ("turtle", "nt", "jsonld", "xml", "graphml", "gexf", "json")


def export_graph(G: Graph, fmt: str) -> bytes:
    """``G`` in ``fmt`` (one of :data:`GRAPH_FORMATS`) as UTF-8 bytes; the same graph gives the same bytes.

    Raises
    ------
    ExportError
        ``fmt`` is not one of :data:`GRAPH_FORMATS`.

    Examples
    --------
    >>> from plankg.graph.build import Graph
    >>> G = Graph()
    >>> G.add_node("d", id="d", kind="document", label="Kế hoạch 1/KH-UBND", placeholder=True)
    >>> print(export_graph(G, "turtle").decode().split("\\n\\n", 1)[1])
    <https://w3id.org/plankg/id/d> a eli:LegalResource ;
        rdfs:label "Kế hoạch 1/KH-UBND"@vi ;
        pkg:placeholder true .
    <BLANKLINE>
    """
    from plankg.exports import tables

    if fmt == "json":
        return (tables.to_json(G) + "\n").encode("utf-8")
    if fmt == "graphml":
        return tables.to_graphml(G)
    if fmt == "gexf":
        return tables.to_gexf(G)
    from plankg.exports import rdf

    if fmt in rdf.FORMATS:
        return rdf.serialize(G, fmt)
    if fmt == "csv":
        raise ExportError(_("csv is two files, nodes.csv and edges.csv: write them with "
                             "plankg.exports.tables.to_csv"))
    raise ExportError(_("unknown export format {fmt!r}: choose one of {formats}")
                      .format(fmt=fmt, formats=', '.join(GRAPH_FORMATS)))


def write_bytes(path: Path, data: bytes) -> None:
    """Write an export to ``path``; an OSError becomes an :class:`~plankg.errors.ExportError`."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise ExportError(_("cannot write: {reason}").format(reason=exc.strerror or exc), path=str(path)) from None


def write_stream(path: Path, write: Callable[[IO[bytes]], T]) -> T:
    """Run ``write`` on a file opened for ``path`` and return what it returns.

    A regular file is written under a temporary name beside it and moved into place when
    ``write`` has finished, so a failed export never leaves half a file (nor replaces the
    previous one); anything else (``/dev/stdout``, a pipe) is written directly. An OSError
    becomes an :class:`~plankg.errors.ExportError`.
    """
    direct = path.exists() and not path.is_file()
    target = path if direct else path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        try:
            with open(target, "wb") as out:
                result = write(out)
            if not direct:
                os.replace(target, path)
        except OSError as exc:
            raise ExportError(_("cannot write: {reason}").format(reason=exc.strerror or exc),
                              path=str(path)) from None
    finally:
        if not direct:
            target.unlink(missing_ok=True)
    return result
