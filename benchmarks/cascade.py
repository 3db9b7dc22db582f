"""Scale benchmark: a national cascade built, linked, stored and queried on one machine.

Usage::

    python benchmarks/cascade.py                     # sizes 2, 10, 30, 100 wards per province
    python benchmarks/cascade.py --wards 2 10        # quick run

For each size a seeded corpus is generated (34 provinces, N wards each, ~36 tasks per
plan: plankg.synthetic) and measured in a FRESH process, so peak memory is per size:
parse, graph build, link, workspace write, workspace load, a lineage query from a fresh
process, RDF export, peak memory, and the share of ward tasks linked into their own
province's plan. Beside them runs a floor: reading the same files, NFC-normalising them
and running four compiled regexes over them. The report gives seconds, the ratio of the
build to the floor, and the growth exponent between consecutive sizes
(log(t2/t1) / log(n2/n1), n = documents), as a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

FLOOR_PATTERNS = [re.compile(p) for p in (
    r"\d+/[A-ZĐ]+-[A-Za-zĐ]+", r"(?m)^[IVX]+\.", r"(?m)^\d+\.", r"chủ trì|phối hợp",
)]


def floor(files: list[Path]) -> float:
    start = time.perf_counter()
    for path in files:
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
        for pattern in FLOOR_PATTERNS:
            pattern.findall(text)
    return time.perf_counter() - start


def measure(wards: int, provinces: int, variants: int) -> dict[str, float]:
    """Run in a fresh process: generate, then time every stage."""
    from plankg.graph.workspace import build_workspace, load_graph
    from plankg.synthetic import write_cascade

    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        cascade = write_cascade(corpus, provinces=provinces, wards=wards, variants=variants)
        files = sorted(corpus.glob("*.txt"))
        results["documents"] = len(files)
        results["megabytes"] = sum(p.stat().st_size for p in files) / 1e6
        results["floor"] = min(floor(files) for _ in range(3))
        workspace = Path(tmp) / "ws"
        timings: dict[str, float] = {}
        start = time.perf_counter()
        report = build_workspace([corpus], workspace, timings=timings)
        results["build"] = time.perf_counter() - start
        results["build_peak_mb"] = peak_mb()
        results.update(timings)
        results["tasks"] = report.tasks
        start = time.perf_counter()
        G = load_graph(workspace)
        results["load"] = time.perf_counter() - start
        results["accuracy"] = own_province_share(G, cascade)
        query = next(n for n, d in G.nodes(data=True)
                     if d["kind"] == "task" and G.nodes[d["document"]].get("level") == "commune"
                     and any(k == "derived_from" for _, _, k in G.out_edges(n, keys=True)))
        results["query"] = fresh_query(workspace, query)
        ward = G.nodes[query]["document"]
        province = next(v for _, v, k in G.out_edges(ward, keys=True) if k == "applies")
        for name, args in COMMANDS.items():
            results[f"cold_{name}"] = fresh([a.format(task=query, ward=ward, province=province) for a in args],
                                            workspace)
        from plankg.exports import sparql
        from plankg.exports.rdf import serialize

        start = time.perf_counter()
        data = serialize(G, "nt")
        results["rdf"] = time.perf_counter() - start
        results["triples"] = data.count(b"\n")
        del data
        start = time.perf_counter()
        store = sparql.load_store(G)
        results["store_load"] = time.perf_counter() - start
        start = time.perf_counter()
        found = sparql.run_query(store, sparql.resolve_query("lineage"), {"task": query})
        results["sparql"] = time.perf_counter() - start
        assert found.rows, "the SPARQL lineage found nothing"
    results["peak_mb"] = peak_mb()
    return results


def peak_mb() -> float:
    """Peak resident memory so far of this process and of its finished children (parsers)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return max(own, children)


def own_province_share(G: object, cascade: object) -> float:
    """Share of the ward plans' tasks whose derived_from parent is in their own province's plan.

    Every generated ward plan counts (found by its file name), so a plan whose issuer or
    level was not recognised counts as a miss rather than dropping out of the measure.
    """
    import networkx as nx

    from plankg.synthetic import Cascade

    assert isinstance(G, nx.MultiDiGraph) and isinstance(cascade, Cascade)
    by_source = {d["source"]: n for n, d in G.nodes(data=True) if d["kind"] == "document" and d.get("source")}
    own = {province: by_source[path.name] for province, path in cascade.provinces.items()}
    items: dict[str, list[str]] = {}
    for node, data in G.nodes(data=True):
        if data["kind"] == "task" and data.get("part") == "tasks":
            items.setdefault(data["document"], []).append(node)
    good = total = 0
    for path, province in cascade.wards.items():
        for node in items.get(by_source[path.name], []):
            total += 1
            parents = [v for _, v, k in G.out_edges(node, keys=True) if k == "derived_from"]
            good += bool(parents) and G.nodes[parents[0]]["document"] == own[province]
    return good / total if total else float("nan")


def fresh_query(workspace: Path, node: str) -> float:
    return fresh(["lineage", node], workspace)


#: Every query command, as an officer types it (from a fresh process, output discarded).
COMMANDS = {
    "search": ["search", "thu gom xu ly chat thai ran"],
    "agency": ["agency", "so tai chinh"],
    "stats": ["stats"],
    "deadlines": ["deadlines", "--before", "2026-10-01"],
    "show": ["show", "{task}"],
    "lineage": ["lineage", "{task}"],
    "cascade": ["cascade", "{ward}"],
    "gaps_under": ["gaps", "--under", "{province}"],
    "gaps_level": ["gaps", "--level", "ward"],
    "check": ["check"],
}


def fresh(args: list[str], workspace: Path) -> float:
    """Best of three runs of ``plankg ARGS`` in a fresh process (imports included)."""
    best = math.inf
    for _ in range(3):
        start = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "plankg", *args, "--workspace", str(workspace)],
                             capture_output=True)
        assert run.returncode in (0, 1) and not run.stderr.strip().startswith(b"Traceback"), run.stderr[-500:]
        best = min(best, time.perf_counter() - start)
    return best


def command_table(rows: list[dict[str, float]]) -> str:
    """Cold seconds of each query command per size (target: under 0.5 s each)."""
    head = "| wards/prov | tasks | " + " | ".join(f"`{n.replace('_', ' --')}` s" for n in COMMANDS) + " |"
    lines = [head, "|" + "---|" * (len(COMMANDS) + 2)]
    for r in rows:
        lines.append(f"| {int(r['wards'])} | {int(r['tasks'])} | "
                     + " | ".join(f"{r['cold_' + n]:.2f}" for n in COMMANDS) + " |")
    return "\n".join(lines)


def table(rows: list[dict[str, float]]) -> str:
    head = ("| wards/prov | docs | tasks | MB | floor s | parse s | graph s | link s | write s | build s | "
            "build/floor | exponent | build peak MB | load s | query s | RDF s | triples | SPARQL lineage s "
            "| peak MB, all stages | own province |")
    columns = head.count("|") - 1
    lines = [head, "|" + "---|" * columns]
    previous = None
    for r in rows:
        exponent = ""
        if previous is not None:
            growth = math.log(r["build"] / previous["build"]) / math.log(r["documents"] / previous["documents"])
            exponent = f"{growth:.2f}"
        lines.append(
            f"| {int(r['wards'])} | {int(r['documents'])} | {int(r['tasks'])} | {r['megabytes']:.1f} "
            f"| {r['floor']:.2f} "
            f"| {r['parse']:.1f} | {r['graph']:.1f} | {r['link']:.1f} | {r['write']:.1f} | {r['build']:.1f} "
            f"| {r['build'] / r['floor']:.0f}× | {exponent} | {r['build_peak_mb']:.0f} | {r['load']:.2f} "
            f"| {r['query']:.2f} | {r['rdf']:.1f} "
            f"| {int(r['triples'])} | {r['sparql']:.3f} | {r['peak_mb']:.0f} | {100 * r['accuracy']:.2f}% |")
        previous = r
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wards", type=int, nargs="+", default=[2, 10, 30, 100], help="wards per province")
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--variants", type=int, default=3, help="areas per base task (3 gives ~36 tasks a plan)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: measure one size, print JSON
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one, args.provinces, args.variants)))
        return
    rows = []
    for wards in args.wards:
        out = subprocess.run([sys.executable, __file__, "--one", str(wards), "--provinces", str(args.provinces),
                              "--variants", str(args.variants)], check=True, capture_output=True, text=True,
                             env={**os.environ, "PYTHONHASHSEED": "0"})
        row = json.loads(out.stdout.strip().splitlines()[-1])
        row["wards"] = wards
        rows.append(row)
        print(f"measured {wards} wards/province: {row['build']:.1f} s", file=sys.stderr)
    print(table(rows))
    print()
    print(command_table(rows))


if __name__ == "__main__":
    main()
