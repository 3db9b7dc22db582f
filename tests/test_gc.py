"""A build pauses the cycle collector and always restores it."""

from __future__ import annotations

import gc
from pathlib import Path

from conftest import CORPUS

from plankg.graph.workspace import build_workspace


def test_build_restores_the_collector(tmp_path: Path) -> None:
    assert gc.isenabled()
    build_workspace([CORPUS / "000_52f910eca6da929a.txt"], tmp_path / "ws")
    assert gc.isenabled()
    build_workspace([tmp_path / "missing.txt"], tmp_path / "ws2")
    assert gc.isenabled()
