"""The national cascade the benchmarks share: ``benchmarks/cascade.py``'s corpus, built."""

from __future__ import annotations

from pathlib import Path


def national_workspace(folder: Path, wards: int, *, link: bool = True) -> Path:
    """A workspace of the national cascade of benchmarks/cascade.py: 34 provinces, ``wards`` wards each."""
    from plankg.graph.workspace import build_workspace
    from plankg.synthetic import write_cascade

    corpus = folder / f"national-{wards}"
    write_cascade(corpus, provinces=34, wards=wards, variants=3)
    workspace = folder / f"ws-{wards}"
    build_workspace([corpus], workspace, link=link)
    return workspace
