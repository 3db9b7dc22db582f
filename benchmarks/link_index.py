"""Linking's similarity search: a loop over postings in Python, and scipy's sparse products.

``python benchmarks/link_index.py [--wards N]`` builds the graph of a synthetic national cascade
(34 provinces, N wards each; default 30) without links, then links it in one process twice,
best of two each: with plankg's index (the items of a tier's candidate documents a sparse
term-by-item matrix; the items closest to all the children of a batch of documents that share
their candidates from one product) and with the postings loop it replaced (a dictionary of
postings per candidate document, one child at a time).
It checks that both give every link with the same parent, score and evidence.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from plankg.graph.link import _Columns


class PostingsIndex(_Columns):
    """The index linking used before: postings per term, summed per child in its term order
    (one per candidate document: here one per segment). It answers as plankg's index does
    (``candidates``), over the same columns."""

    def __init__(self, segments: Sequence[list[str]], vec: Callable[[str], dict[str, float]], _terms: Any,
                 priors: Callable[[list[str]], tuple[Any, Any, Any]] | None = None) -> None:
        super().__init__(segments, priors)
        self.postings: list[dict[str, list[tuple[int, float]]]] = []
        for start, end in self.bounds:
            postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
            for column in range(start, end):
                for term, weight in vec(self.nodes[column]).items():
                    postings[term].append((column, weight))
            self.postings.append(postings)

    def candidates(self, queries: Any, rows: Any = None, k: int = 5) -> tuple[Any, Any, Any]:
        import numpy as np

        found: list[tuple[int, int, float]] = []
        for row, vector in enumerate(queries.vectors):
            if rows is not None and not rows[row]:
                continue
            for postings in self.postings:
                acc: dict[int, float] = {}
                for term, weight in vector.items():
                    for column, w in postings.get(term, ()):
                        acc[column] = acc.get(column, 0.0) + weight * w
                # (a sparse product keeps no sum that cancels to exactly 0.0)
                best = sorted(((c, sim) for c, sim in acc.items() if sim != 0.0), key=lambda cs: (-cs[1], cs[0]))
                found += [(row, c, sim) for c, sim in best[:k]]
        found.sort()
        return (np.array([f[0] for f in found], dtype=np.int64), np.array([f[1] for f in found], dtype=np.int64),
                np.array([f[2] for f in found], dtype=np.float64))


def timed_links(records: list[Any]) -> tuple[float, list[Any]]:
    from plankg.graph import build_graph
    from plankg.graph.link import link_graph

    times, links = [], []
    for _ in range(2):
        G = build_graph(records, link=False)
        start = time.perf_counter()
        link_graph(G, jobs=1)
        times.append(time.perf_counter() - start)
        links = sorted((u, v, d["score"], d["evidence"]) for u, v, k, d in G.edges(keys=True, data=True)
                       if k == "derived_from")
    return min(times), links


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wards", type=int, default=30)
    args = parser.parse_args()
    from national import national_workspace

    import plankg.graph.link as link
    from plankg.graph.workspace import load_records

    with tempfile.TemporaryDirectory() as tmp:
        records = load_records(national_workspace(Path(tmp), args.wards, link=False))
    matrix_s, matrix_links = timed_links(records)
    link._Index = PostingsIndex  # type: ignore[misc,assignment]
    loop_s, loop_links = timed_links(records)
    tasks = sum(len(r.tasks) for r in records)
    print(f"{len(records):,} documents, {tasks:,} tasks, {len(matrix_links):,} links; "
          f"links that differ: {sum(a != b for a, b in zip(matrix_links, loop_links, strict=True))}")
    print("| index | link s (one process) | ratio |")
    print("|---|---|---|")
    print(f"| postings loop | {loop_s:.2f} | 1.0× |")
    print(f"| scipy sparse products | {matrix_s:.2f} | {loop_s / matrix_s:.1f}× |")


if __name__ == "__main__":
    main()
