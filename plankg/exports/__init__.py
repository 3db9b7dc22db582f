"""Exports: records and graphs -> text summaries, JSON, RDF, HTML and tabular files.

:func:`export_graph` gives the bytes of one single-file export format (``plankg export``);
CSV writes two files, with :func:`plankg.exports.tables.to_csv`. The format modules are
imported on use, so commands that export nothing never load rdflib.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from plankg.errors import ExportError
from plankg.i18n import _

if TYPE_CHECKING:
    from plankg.graph.build import Graph

__all__ = ["GRAPH_FORMATS", "export_graph", "write_bytes"]

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
    >>> print(export_graph(G, "turtle").decode())
    @prefix eli: <http://data.europa.eu/eli/ontology#> .
    @prefix pkg: <https://w3id.org/plankg/ontology#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    <BLANKLINE>
    <https://w3id.org/plankg/id/d> a eli:LegalResource ;
        rdfs:label "Kế hoạch 1/KH-UBND"@vi ;
        pkg:placeholder true .
    <BLANKLINE>
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
