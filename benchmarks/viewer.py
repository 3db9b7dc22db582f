"""Time the HTML viewer: writing the page, and until headless Chromium has drawn it.

Usage: ``python benchmarks/viewer.py [--repeat N] [--nodes 2000] [--provinces 34]
[--wards N ...] [--workspace DIR ...]``.

Pages measured:

* ``seed``: the overview of the bundled seed corpus;
* ``focus``: the focus tree of the national plan of a synthetic cascade
  (:func:`plankg.synthetic.write_cascade`) with ``--provinces`` provinces and as many wards
  each as it takes for the view to hold at least ``--nodes`` nodes;
* ``national``: with ``--wards N`` (a national cascade of 34 provinces, N wards each, about
  36 tasks a plan, as ``benchmarks/cascade.py`` builds it) or ``--workspace DIR`` (a built
  workspace), the overview ``plankg view`` writes from the workspace's store. Its write is
  timed in a fresh process (wall and CPU seconds: the CPU figure holds when the machine
  is shared).

Each page is opened N times in headless Chromium with the network cut off and without a
virtual time budget; the page stores ``performance.now()`` at its first complete drawing
in ``<body data-drawn-ms>``, read back through ``--dump-dom``. Reported: that in-page time
(navigation start to graph drawn) and the wall time of the whole Chromium run (process
start to DOM dumped), best and median of N, plus the time Python took to write the page.

Needs Chromium at /usr/bin/chromium (Debian: ``apt-get install chromium``) or ``--chromium``.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

from national import national_workspace

from plankg.exports.viewer import render_html, view_nodes
from plankg.graph import build_graph
from plankg.graph.build import Graph
from plankg.loaders import load_file
from plankg.synthetic import write_cascade

CORPUS = Path(str(resources.files("plankg") / "data" / "corpus"))


def load_graph(folder: Path) -> Graph:
    return build_graph(load_file(p) for p in sorted(folder.glob("*.txt")))


def synthetic_view(folder: Path, provinces: int, target: int) -> tuple[Graph, str, int]:
    """The smallest cascade (wards per province) whose national focus view has ``target`` nodes."""
    wards = 1
    while True:
        cascade = write_cascade(folder / f"w{wards}", provinces=provinces, wards=wards)
        G = load_graph(cascade.folder)
        national = next(n for n, d in G.nodes(data=True) if d.get("source") == cascade.national.name)
        if len(view_nodes(G, national, 2)) >= target or wards >= 64:
            return G, national, wards
        wards += 1


def draw_time(chromium: str, page: Path, profile: Path) -> tuple[float, float, int]:
    """(in-page ms to first drawing, wall seconds of the Chromium run, nodes drawn)."""
    command = [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
               "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>", "--window-size=1400,900",
               "--dump-dom", page.as_uri()]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    wall = time.perf_counter() - start
    body = re.search(r"<body([^>]*)>", result.stdout)
    state = dict(re.findall(r'data-([\w-]+)="([^"]*)"', body.group(1))) if body else {}
    if "drawn-ms" not in state:
        error = html.unescape(state.get("error", "")) or result.stderr.strip()[-500:]
        raise SystemExit(f"{page.name}: the page reported no drawing ({error or 'no <body> state'})")
    return float(state["drawn-ms"]), wall, int(state["drawn"])


def measure(label: str, chromium: str, G: Graph, folder: Path, repeat: int, focus: str | None = None) -> None:
    start = time.perf_counter()
    page_text = render_html(G, focus=focus, depth=2)
    rendered = time.perf_counter() - start
    page = folder / f"{label}.html"
    page.write_text(page_text, encoding="utf-8")
    print(f"{label}: page {len(page_text.encode('utf-8')) / 1e6:.1f} MB, rendered by Python in {rendered:.2f} s")
    report_drawing(chromium, page, folder, repeat)


def report_drawing(chromium: str, page: Path, folder: Path, repeat: int) -> None:
    runs = [draw_time(chromium, page, folder / "profile") for _ in range(repeat)]
    in_page = [r[0] / 1000 for r in runs]
    wall = [r[1] for r in runs]
    print(f"  nodes drawn:     {runs[0][2]}")
    print(f"  drawn in page:   best {min(in_page):.2f} s, median {statistics.median(in_page):.2f} s")
    print(f"  Chromium run:    best {min(wall):.2f} s, median {statistics.median(wall):.2f} s")


_WRITE = """
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
from plankg.exports.viewer import write_workspace_view
write_workspace_view(Path(sys.argv[1]), Path(sys.argv[2]))
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"wall": time.perf_counter() - start, "cpu": usage.ru_utime + usage.ru_stime}))
"""


def measure_national(label: str, chromium: str, workspace: Path, folder: Path, repeat: int) -> None:
    """Write the overview of ``workspace`` in fresh processes (as ``plankg view`` does), then draw it."""
    page = folder / f"{label}.html"
    writes = []
    for _ in range(repeat):
        result = subprocess.run([sys.executable, "-c", _WRITE, str(workspace), str(page)], capture_output=True,
                                text=True, check=True)
        writes.append(json.loads(result.stdout))
    from plankg.graph.workspace import stats_workspace

    stats = stats_workspace(workspace)
    nodes = stats.get("nodes", {})
    print(f"{label}: {nodes.get('document', '?')} documents, {nodes.get('task', '?')} tasks, "
          f"page {page.stat().st_size / 1e6:.1f} MB")
    print(f"  written (fresh process): wall best {min(w['wall'] for w in writes):.2f} s, "
          f"median {statistics.median(w['wall'] for w in writes):.2f} s; "
          f"CPU best {min(w['cpu'] for w in writes):.2f} s")
    report_drawing(chromium, page, folder, repeat)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--nodes", type=int, default=2000, help="smallest size of the synthetic focus view")
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--wards", type=int, nargs="*", default=[],
                        help="also build and measure the overview of a national cascade of N wards per province")
    parser.add_argument("--workspace", type=Path, nargs="*", default=[],
                        help="also measure the overview of these built workspaces")
    parser.add_argument("--skip-small", action="store_true", help="measure only the national overviews")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)
    if not Path(args.chromium).exists():
        print(f"Chromium not found at {args.chromium}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if not args.skip_small:
            measure("seed", args.chromium, load_graph(CORPUS), folder, args.repeat)
            G, national, wards = synthetic_view(folder / "corpus", args.provinces, args.nodes)
            print(f"synthetic cascade: {args.provinces} provinces x {wards} wards, "
                  f"graph of {G.number_of_nodes()} nodes")
            measure("focus", args.chromium, G, folder, args.repeat, focus=national)
        for wards in args.wards:
            start = time.perf_counter()
            workspace = national_workspace(folder, wards)
            print(f"national cascade of {wards} wards per province built in {time.perf_counter() - start:.0f} s")
            measure_national(f"national-{wards}", args.chromium, workspace, folder, args.repeat)
        for i, workspace in enumerate(args.workspace):
            print(f"workspace {workspace}")
            measure_national(f"overview-{i}", args.chromium, workspace, folder, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
