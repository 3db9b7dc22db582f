"""Shared fixtures: the bundled corpus, parsed and built into a workspace once per session, and a CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from plankg.graph.workspace import build_workspace
from plankg.i18n import LANG_ENV, set_language
from plankg.loaders import load_file
from plankg.model import DocumentRecord

CORPUS = Path(__file__).resolve().parent.parent / "plankg" / "data" / "corpus"
SEED_NAMES = sorted(p.name for p in CORPUS.glob("*.txt"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def seed_records() -> dict[str, DocumentRecord]:
    return {name: load_file(CORPUS / name) for name in SEED_NAMES}


@pytest.fixture(scope="session")
def seed_dicts(seed_records: dict[str, DocumentRecord]) -> dict[str, dict[str, Any]]:
    return {name: rec.to_dict() for name, rec in seed_records.items()}


@pytest.fixture(scope="session")
def seed_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus built (and linked) into a workspace; tests must not change it."""
    workspace = tmp_path_factory.mktemp("seed") / "workspace"
    build_workspace([CORPUS], workspace)
    return workspace


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests read English output whatever the locale they run in (tests/test_i18n.py asks for
    Vietnamese itself); a test that switched the language leaves English behind. Nor do they
    wrap to a terminal's width (tests/test_cli.py asks for a width itself)."""
    monkeypatch.setenv(LANG_ENV, "en")
    monkeypatch.delenv("COLUMNS", raising=False)
    yield
    set_language("en")


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()
