"""Encoding a graph store's rows as JSON with the standard library and with orjson.

``python benchmarks/json_writers.py [--wards N]`` builds a synthetic national cascade (34 provinces,
N wards each; default 30), then encodes every node's and edge's attributes the way the store writes
them (compact, keys sorted, UTF-8 text) with ``json.dumps`` and with ``orjson.dumps``, best of three,
and checks that both give the same text for every row (the store's bytes must not change with the
library). Also every record file's content (compact, keys in their order).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any


def best(encode: Any, rows: list[Any]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        for row in rows:
            encode(row)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wards", type=int, default=30)
    args = parser.parse_args()
    import orjson
    from national import national_workspace

    from plankg.graph.workspace import load_graph, load_records

    with tempfile.TemporaryDirectory() as tmp:
        workspace = national_workspace(Path(tmp), args.wards)
        G = load_graph(workspace)
        records = [r.to_dict() for r in load_records(workspace)]
    rows = [d for _, d in G.nodes(data=True)] + [d for _, _, d in G.edges(data=True)]

    def stdlib(row: Any) -> str:
        return json.dumps(row, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    def fast(row: Any) -> str:
        return orjson.dumps(row, option=orjson.OPT_SORT_KEYS).decode("utf-8")

    def stdlib_record(row: Any) -> bytes:
        return json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    differ = sum(stdlib(row) != fast(row) for row in rows)
    differ += sum(stdlib_record(r) != orjson.dumps(r) for r in records)
    print(f"{len(rows):,} store rows, {len(records):,} records; rows encoded differently: {differ}")
    print("| what | json s | orjson s | ratio |")
    print("|---|---|---|---|")
    for what, slow, quick, items in (("store rows", stdlib, fast, rows),
                                     ("record files", stdlib_record, orjson.dumps, records)):
        a, b = best(slow, items), best(quick, items)
        print(f"| {what} | {a:.2f} | {b:.2f} | {a / b:.1f}× |")


if __name__ == "__main__":
    main()
