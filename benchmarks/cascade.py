"""Scale benchmark: a national cascade built, linked, stored and queried on one machine.

Usage::

    python benchmarks/cascade.py                     # sizes 2, 10, 30, 100 wards per province
    python benchmarks/cascade.py --wards 2 10        # quick run

For each size a seeded corpus is generated (34 provinces, N wards each, ~36 tasks per
plan: plankg.synthetic). Every size is built three times, each build from scratch in a
fresh process just after its own floor, the sizes taking turns (the first build of each,
then the second of each, ...) so that the host's drift over the minutes of a run does not
read as growth between sizes; the run with the median ratio is each size's. Then each size
is measured in a FRESH process, so peak memory is per size: workspace load, a lineage
query from a fresh process, the N-Triples, Turtle, JSON and CSV exports and a local
SPARQL lineage query (each a fresh ``python -m plankg`` process, with its own peak
memory), peak memory, and the share of ward tasks linked into their own province's plan.
Beside them runs a floor: reading the same files, NFC-normalising them and running four
compiled regexes over them. The report gives seconds, the ratio of the
build to the floor, and the growth exponent between consecutive sizes (log(t2/t1) /
log(n2/n1), n = documents), as Markdown tables.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

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


def measure(wards: int, provinces: int, variants: int, folder: Path | None = None) -> dict[str, float]:
    """Run in a fresh process: generate, build (unless ``folder`` holds the corpus, the workspace
    its builds left and their figures, ``builds.json``: see :func:`main`), then time every stage."""
    from plankg.graph.workspace import load_graph
    from plankg.synthetic import write_cascade

    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        here = folder or Path(tmp)
        corpus = here / "corpus"
        # (Seeded: written again over a corpus already there, the same files.)
        cascade = write_cascade(corpus, provinces=provinces, wards=wards, variants=variants)
        files = sorted(corpus.glob("*.txt"))
        results["documents"] = len(files)
        results["megabytes"] = sum(p.stat().st_size for p in files) / 1e6
        workspace = here / "ws"
        if folder is None:
            results.update(median_pair([one_pair(corpus, files, workspace) for _ in range(3)]))
        else:
            results.update(json.loads((folder / "builds.json").read_text()))
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
        results["peak_mb"] = peak_mb()  # before the exports: their processes are measured on their own
        # Exports and local SPARQL, each from a fresh process: its own time and peak memory.
        for fmt in EXPORTS:
            out = Path(tmp) / f"export.{fmt}"
            seconds, peak = fresh_peak(["export", "--format", fmt, "-o", str(out)], workspace)
            results[f"export_{fmt}"], results[f"export_{fmt}_mb"] = seconds, peak
            if fmt == "nt":
                with open(out, "rb") as handle:
                    results["triples"] = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
            shutil.rmtree(out) if out.is_dir() else out.unlink()
        lineage = ["sparql", "lineage", "--param", f"task={query}"]
        for key in ("sparql_fill", "sparql"):  # the first fills the workspace's store, the second opens it
            seconds, peak = fresh_peak(lineage, workspace, refuse=b"(0 rows)")
            results[key], results[f"{key}_mb"] = seconds, peak
    return results


#: Builds one workspace in this fresh process and prints, as JSON, its seconds (the build
#: alone, as a program calling plankg would time it), those of each stage, its task count and
#: the peak resident memory (MB) of the process and of its parsing and linking children.
_BUILDER = ("import json, resource, sys, time; from pathlib import Path; "
            "from plankg.graph.workspace import build_workspace; timings = {}; start = time.perf_counter(); "
            "report = build_workspace([Path(sys.argv[1])], Path(sys.argv[2]), timings=timings); "
            "timings['build'] = time.perf_counter() - start; timings['tasks'] = report.tasks; "
            "peaks = [resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]; "
            "timings['build_peak_mb'] = max(peaks) / 1024; print(json.dumps(timings))")


def one_pair(corpus: Path, files: list[Path], workspace: Path) -> tuple[float, dict[str, Any]]:
    """One build of ``corpus`` from scratch in a fresh process, just after its own floor (the
    best of three), so that a build and its floor meet the host at the same speed (a shared
    virtual machine's varies by a fifth within the hour): their ratio, and the build's seconds,
    stages and peak memory with the floor's seconds. The workspace is left at ``workspace``."""
    best_floor = min(floor(files) for _ in range(3))
    shutil.rmtree(workspace, ignore_errors=True)
    run = subprocess.run([sys.executable, "-c", _BUILDER, str(corpus), str(workspace)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-500:]
    timings = json.loads(run.stdout.strip().splitlines()[-1])
    return timings["build"] / best_floor, {**timings, "floor": best_floor}


def median_pair(pairs: list[tuple[float, dict[str, Any]]]) -> dict[str, Any]:
    """The run of :func:`one_pair` with the median ratio, its seconds and stages, with every
    run's build and floor seconds (``builds``, ``floors``) and the highest peak memory."""
    median = sorted(pairs, key=lambda pair: pair[0])[len(pairs) // 2][1]
    return {**median, "build_peak_mb": max(t["build_peak_mb"] for _, t in pairs),
            "builds": [t["build"] for _, t in pairs], "floors": [t["floor"] for _, t in pairs]}


#: Generates one size's corpus in a fresh process (the measuring process stays small).
_GENERATOR = ("import sys; from pathlib import Path; from plankg.synthetic import write_cascade; "
              "write_cascade(Path(sys.argv[1]), provinces=int(sys.argv[2]), wards=int(sys.argv[3]), "
              "variants=int(sys.argv[4]))")


#: Export formats measured, each by ``plankg export`` in a fresh process.
EXPORTS = ("nt", "turtle", "json", "csv", "xlsx")


#: Runs a command and writes its peak RSS (KB) to a file. Started by this small process, the
#: command's peak is its own: Linux counts in a child's peak the RSS of the process it was
#: forked from, which for the measuring process is the whole loaded graph.
_LAUNCHER = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[2:]); "
             "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
             "sys.exit(code)")


def fresh_peak(args: list[str], workspace: Path, refuse: bytes | None = None) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of one run of ``plankg ARGS`` in a fresh process,
    whose output must not hold ``refuse``."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as peak:
        start = time.perf_counter()
        run = subprocess.run([sys.executable, "-c", _LAUNCHER, peak.name,
                              sys.executable, "-m", "plankg", *args, "--workspace", str(workspace)],
                             stdout=out, stderr=err)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        output = out.read()
        assert run.returncode == 0 and not (refuse is not None and (not output or refuse in output)), err.read()[-500:]
        return seconds, int(peak.read()) / 1024


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


def export_table(rows: list[dict[str, float]]) -> str:
    """Seconds and peak MB of each export and of local SPARQL, each in a fresh process."""
    head = ("| wards/prov | triples | " + " | ".join(f"`export --format {f}` s (peak MB)" for f in EXPORTS)
            + " | `sparql lineage`, first: fills the store s (peak MB) | `sparql lineage`, cached s (peak MB) |")
    lines = [head, "|" + "---|" * (len(EXPORTS) + 4)]
    for r in rows:
        cells = [f"{r['export_' + f]:.1f} ({r['export_' + f + '_mb']:.0f})" for f in EXPORTS]
        cells += [f"{r['sparql_fill']:.1f} ({r['sparql_fill_mb']:.0f})", f"{r['sparql']:.2f} ({r['sparql_mb']:.0f})"]
        lines.append(f"| {int(r['wards'])} | {int(r['triples'])} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


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
            "build/floor | exponent | exponent, steady floor | build peak MB | load s | query s | triples "
            "| peak MB, build and load | own province |")
    columns = head.count("|") - 1
    lines = [head, "|" + "---|" * columns]
    previous = None
    for r in rows:
        exponent = steady = ""
        if previous is not None:
            sizes = math.log(r["documents"] / previous["documents"])
            exponent = f"{math.log(r['build'] / previous['build']) / sizes:.2f}"
            # The same growth with each build divided by its floor (a pass linear in the corpus,
            # timed just before it): what a machine whose speed drifts between the sizes'
            # builds leaves of the build's own growth.
            ratios = (r["build"] / r["floor"]) / (previous["build"] / previous["floor"])
            steady = f"{1 + math.log(ratios) / sizes:.2f}"
        lines.append(
            f"| {int(r['wards'])} | {int(r['documents'])} | {int(r['tasks'])} | {r['megabytes']:.1f} "
            f"| {r['floor']:.2f} "
            f"| {r['parse']:.1f} | {r['graph']:.1f} | {r['link']:.1f} | {r['write']:.1f} | {r['build']:.1f} "
            f"| {r['build'] / r['floor']:.0f}× | {exponent} | {steady} | {r['build_peak_mb']:.0f} | {r['load']:.2f} "
            f"| {r['query']:.2f} | {int(r['triples'])} | {r['peak_mb']:.0f} | {100 * r['accuracy']:.2f}% |")
        previous = r
    return "\n".join(lines)


def compile_package() -> None:
    """Byte-compile plankg, as pip does when it installs a package and Python does on a first
    import. Where PYTHONDONTWRITEBYTECODE is set (as on the machine these figures come from)
    an editable install is never compiled, and every fresh process compiled its sources
    again: 0.17 s of each query command's 0.3-0.5 s there."""
    import compileall

    import plankg

    compileall.compile_dir(Path(plankg.__file__).parent, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wards", type=int, nargs="+", default=[2, 10, 30, 100], help="wards per province")
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--variants", type=int, default=3, help="areas per base task (3 gives ~36 tasks a plan)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: measure one size, print JSON
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)  # internal: its corpus, built already
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one, args.provinces, args.variants, args.folder)))
        return
    compile_package()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folders = {wards: Path(tmp) / f"w{wards}" for wards in args.wards}
        for wards, folder in folders.items():
            subprocess.run([sys.executable, "-c", _GENERATOR, str(folder / "corpus"), str(args.provinces),
                            str(wards), str(args.variants)], check=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        # The sizes take turns: the first build of each, then the second of each, then the third.
        pairs: dict[int, list[tuple[float, dict[str, Any]]]] = {wards: [] for wards in folders}
        for _ in range(3):
            for wards, folder in folders.items():
                corpus = folder / "corpus"
                pairs[wards].append(one_pair(corpus, sorted(corpus.glob("*.txt")), folder / "ws"))
        for wards, folder in folders.items():
            (folder / "builds.json").write_text(json.dumps(median_pair(pairs[wards])))
            out = subprocess.run([sys.executable, __file__, "--one", str(wards), "--provinces", str(args.provinces),
                                  "--variants", str(args.variants), "--folder", str(folder)],
                                 capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
            if out.returncode:
                sys.exit(f"measuring {wards} wards/province failed ({out.returncode}):\n{out.stderr}")
            shutil.rmtree(folder)
            row = json.loads(out.stdout.strip().splitlines()[-1])
            row["wards"] = wards
            rows.append(row)
            runs = ", ".join(f"{b:.1f}/{f:.3f}" for b, f in zip(row["builds"], row["floors"], strict=True))
            print(f"measured {wards} wards/province: build {row['build']:.1f} s, floor {row['floor']:.3f} s "
                  f"(the median of build/floor s: {runs})", file=sys.stderr)
    print(table(rows))
    print()
    print(export_table(rows))
    print()
    print(command_table(rows))


if __name__ == "__main__":
    main()
