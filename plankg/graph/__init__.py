"""Graph stage: document records -> a networkx MultiDiGraph, lineage links, queries."""

from plankg.graph.build import build_graph

__all__ = ["build_graph"]
