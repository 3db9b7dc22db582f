"""What ``plankg review`` walks: the proposed links to decide, and other parents to offer.

The review itself (keys, screen) is the command line's; this module only chooses and orders
the links and ranks alternatives, so scripts can drive a review too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from plankg.graph.build import Graph
from plankg.model import LinkStatus, NodeKind, Relation, link_band

__all__ = ["Candidate", "alternatives", "pending_links"]

_ITEMS = (NodeKind.TASK.value, NodeKind.TARGET.value)


@dataclass(frozen=True)
class Candidate:
    """A proposed link to review, or another parent to offer in its place."""

    child: str
    parent: str
    score: float
    band: str | None
    evidence: tuple[str, ...] = ()


def pending_links(G: Graph, *, document: str | None = None) -> list[Candidate]:
    """Proposed links still to decide, weakest first: every one, or those of the tasks and
    targets of ``document``."""
    found = []
    for child, parent, key, data in G.edges(keys=True, data=True):
        if key != Relation.DERIVED_FROM.value or data.get("status") != LinkStatus.PROPOSED.value:
            continue
        if document is not None and G.nodes[child].get("document") != document:
            continue
        score = float(data.get("score") or 0.0)
        band = link_band(score, data.get("status"))
        found.append(Candidate(child, parent, score, band.value if band else None,
                               tuple(data.get("evidence") or ())))
    return sorted(found, key=lambda c: (c.score, c.child, c.parent))


def alternatives(G: Graph, child: str, *, limit: int = 5, exclude: frozenset[str] = frozenset()) -> list[Candidate]:
    """Other parents for ``child``, most similar first: tasks and targets of the documents its
    current parents belong to, and of the higher documents its own document applies."""
    from plankg.graph.link import Vectorizer, cosine, shared_phrases

    documents = {G.nodes[p].get("document") for _, p, k in G.out_edges(child, keys=True)
                 if k == Relation.DERIVED_FROM.value}
    own = G.nodes[child].get("document")
    if own in G:
        documents |= {up for _, up, k in G.out_edges(own, keys=True)
                      if k in (Relation.APPLIES.value, Relation.ATTACHED_TO.value)}
    pool = [n for n, d in G.nodes(data=True) if d.get("kind") in _ITEMS and d.get("document") in documents
            and n != child and n not in exclude]
    if not pool:
        return []
    text = _text(G, child)
    vectorizer = Vectorizer([text, *(_text(G, n) for n in pool)])
    mine = vectorizer.vector(text)
    ranked = sorted(((cosine(mine, vectorizer.vector(_text(G, n))), n) for n in pool), key=lambda s: (-s[0], s[1]))
    return [Candidate(child, n, round(score, 4), None, tuple(shared_phrases(text, _text(G, n))))
            for score, n in ranked[:limit] if score > 0]


def _text(G: Graph, node: str) -> str:
    data: dict[str, Any] = G.nodes[node]
    return str(data.get("text") or data.get("label") or "")
