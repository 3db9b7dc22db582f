"""Shared fixtures: the bundled corpus, parsed and built into a workspace once per session, and a CLI runner."""

from __future__ import annotations

import contextlib
import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from plankg.graph.workspace import build_workspace
from plankg.i18n import LANG_ENV, set_language
from plankg.loaders import load_file
from plankg.model import DocumentRecord
from plankg.synthetic import write_cascade

ROOT = Path(__file__).resolve().parent.parent

# Importing readline (pdb does, under click's test runner) puts COLUMNS and LINES into the
# process's environment behind os.environ's back, and the plankg processes tests start would
# wrap their output to that width. Imported once here, its variables are taken out again.
with contextlib.suppress(ImportError):
    import readline  # noqa: F401
for _name in ("COLUMNS", "LINES"):
    if _name not in os.environ:
        os.unsetenv(_name)
CORPUS = ROOT / "plankg" / "data" / "corpus"
SEED_NAMES = sorted(p.name for p in CORPUS.glob("*.txt"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def seed_records() -> dict[str, DocumentRecord]:
    return {name: load_file(CORPUS / name) for name in SEED_NAMES}


def corpus_records(corpus: str, folder: Path, seed_records: dict[str, DocumentRecord],
                   **cascade: Any) -> list[DocumentRecord]:
    """The records of the seeds (``corpus`` "seeds") or of a cascade generated into ``folder``
    with ``cascade`` options ("cascade"): what tests parametrized on both build from."""
    if corpus == "seeds":
        return list(seed_records.values())
    write_cascade(folder, **cascade)
    return [load_file(p) for p in sorted(folder.glob("*.txt"))]


@pytest.fixture(scope="session")
def seed_dicts(seed_records: dict[str, DocumentRecord]) -> dict[str, dict[str, Any]]:
    return {name: rec.to_dict() for name, rec in seed_records.items()}


@pytest.fixture(scope="session")
def seed_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus built (and linked) into a workspace; tests must not change it."""
    workspace = tmp_path_factory.mktemp("seed") / "workspace"
    build_workspace([CORPUS], workspace)
    return workspace


@pytest.fixture(scope="session")
def cascade_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic national cascade (3 provinces, 4 wards each, wards' own tasks too),
    built and linked once: what the store-backed queries and exports are compared on."""
    root = tmp_path_factory.mktemp("cascade")
    write_cascade(root / "plans", provinces=3, wards=4, variants=2, local=3)
    build_workspace([root / "plans"], root / "ws")
    return root / "ws"


@pytest.fixture(params=["seed", "cascade"])
def workspace(request: pytest.FixtureRequest, seed_workspace: Path, cascade_workspace: Path) -> Path:
    """The seed workspace, then the synthetic cascade's."""
    return seed_workspace if request.param == "seed" else cascade_workspace


def load_script(name: str) -> Any:
    """A module of ``scripts/`` (not a package), loaded from its file."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
