"""Time parsing the five bundled seed documents in one process.

Usage: ``python benchmarks/parse_seeds.py [--repeat N]``. Reports the best and median wall
time of N rounds and the ratio to a floor (reading the same files, NFC-normalising them and
running a few compiled regexes over them), so the figure means the same on any machine.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
import unicodedata
from importlib import resources
from pathlib import Path

from plankg.loaders import load_file

CORPUS = Path(str(resources.files("plankg") / "data" / "corpus"))
_FLOOR_PATTERNS = [re.compile(p) for p in (r"\d+/[A-ZĐ]+-[A-Za-zĐ]+", r"(?m)^[IVX]+\.", r"(?m)^\d+\.", r"chủ trì")]


def floor(files: list[Path]) -> None:
    for path in files:
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
        for pattern in _FLOOR_PATTERNS:
            pattern.findall(text)


def parse(files: list[Path]) -> int:
    return sum(len(load_file(path).tasks) for path in files)


def timed(function: object, files: list[Path], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(files)  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    files = sorted(CORPUS.glob("*.txt"))
    cold_start = time.perf_counter()
    tasks = parse(files)
    cold = time.perf_counter() - cold_start
    warm = timed(parse, files, args.repeat)
    base = timed(floor, files, args.repeat)
    size = sum(p.stat().st_size for p in files)
    print(f"documents: {len(files)}  bytes: {size}  tasks: {tasks}")
    print(f"first parse (cold, includes imports of regex caches): {cold * 1000:.1f} ms")
    print(f"parse all seeds: best {min(warm) * 1000:.1f} ms, median {statistics.median(warm) * 1000:.1f} ms")
    print(f"floor (read + NFC + 4 regexes): best {min(base) * 1000:.2f} ms")
    print(f"ratio to floor (best/best): {min(warm) / min(base):.0f}x")


if __name__ == "__main__":
    main()
