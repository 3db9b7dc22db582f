"""Time and memory of parsing the real-document corpus, file by file and as a whole.

Usage: ``python benchmarks/parse_realdocs.py [DIR]`` (default ``../shared/realdocs`` beside the
repository; the benchmark says so and stops when the folder is absent). Each file is parsed in
a fresh child process, so every figure includes that format's imports and the peak memory is
the file's own; the whole corpus is then parsed in one process, as ``plankg parse DIR`` does.
Targets (issue "Real documents"): a 60-page text-layer PDF in under 3 s, the corpus in under
30 s, memory under 1 GB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

_CHILD = """
import json, resource, sys, time
start = time.perf_counter()
from plankg.errors import PlankgError
from plankg.loaders import load_file
try:
    record = load_file(sys.argv[1])
    parts = record.with_attachments()
    result = {"documents": len(parts), "tasks": sum(len(p.tasks) for p in parts), "error": None}
except PlankgError as exc:
    result = {"documents": 0, "tasks": 0, "error": str(exc)}
result["seconds"] = time.perf_counter() - start
result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
"""

_WHOLE = """
import json, resource, sys, time
start = time.perf_counter()
from plankg.loaders import load_paths
results = list(load_paths([sys.argv[1]]))
print(json.dumps({"seconds": time.perf_counter() - start, "files": len(results),
                  "errors": sum(1 for r in results if r.error is not None),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def pages(path: Path) -> int | None:
    if path.suffix.lower() != ".pdf":
        return None
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        return None
    try:
        return len(document)
    finally:
        document.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    default = Path(__file__).resolve().parents[2] / "shared" / "realdocs"
    parser.add_argument("folder", nargs="?", type=Path, default=default)
    args = parser.parse_args()
    if not args.folder.is_dir():
        print(f"no corpus at {args.folder}: nothing to measure")
        return
    files = sorted(p for p in args.folder.iterdir() if p.suffix.lower() != ".md")
    print(f"{'file':58} {'pages':>5} {'docs':>4} {'tasks':>5} {'s':>6} {'MB':>6}")
    total = 0.0
    for path in files:
        out = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        total += r["seconds"]
        n = pages(path)
        note = "  (refused: " + r["error"].split(": ", 1)[-1][:40] + ")" if r["error"] else ""
        print(f"{path.name[:58]:58} {n or '':>5} {r['documents']:>4} {r['tasks']:>5} {r['seconds']:6.2f} "
              f"{r['peak_mb']:6.0f}{note}")
    print(f"sum of per-file times (each with its own imports): {total:.1f} s")
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _WHOLE, str(args.folder)], capture_output=True, text=True, check=True)
    whole = json.loads(out.stdout)
    print(f"whole corpus in one process: {whole['seconds']:.1f} s for {whole['files']} files "
          f"({whole['errors']} refused), peak {whole['peak_mb']:.0f} MB "
          f"(wall {time.perf_counter() - start:.1f} s with interpreter start)")


if __name__ == "__main__":
    main()
