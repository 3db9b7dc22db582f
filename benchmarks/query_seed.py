"""Time one query in a fresh process against the seed workspace.

Usage: ``python benchmarks/query_seed.py [--repeat N]``. Builds the bundled corpus into a
temporary workspace, then runs ``python -m plankg lineage <ward task> --workspace DIR`` N
times (default 5), each in a new interpreter, and prints the best wall time in seconds:
what a user waits for, imports and graph loading included. The target is well under 0.5 s.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

from plankg.graph.queries import search
from plankg.graph.workspace import build_workspace, load_graph

CORPUS = Path(str(resources.files("plankg") / "data" / "corpus"))
WARD_TASK = "Thực hiện tốt quy chế quản lý chất thải"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "workspace"
        build_workspace([CORPUS], workspace)
        task = search(load_graph(workspace), WARD_TASK, kinds=["task"], limit=1)[0].id
        command = [sys.executable, "-m", "plankg", "lineage", task, "--workspace", str(workspace)]
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
    print(f"fresh-process lineage query on the seed workspace: best of {args.repeat}: {min(times):.3f} s")


if __name__ == "__main__":
    main()
