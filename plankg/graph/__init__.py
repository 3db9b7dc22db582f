"""Graph stage: document records -> a networkx MultiDiGraph, lineage links, queries.

networkx is imported only when a graph is built or read whole (``build_graph``): the query
commands that answer from the store's indexes start without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from plankg.graph.build import build_graph

__all__ = ["build_graph"]


def __getattr__(name: str) -> Any:
    if name == "build_graph":
        from plankg.graph.build import build_graph

        return build_graph
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
