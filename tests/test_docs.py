"""Docs stay honest: the CLI reference is the real --help, and every command is in it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import click
import pytest

from plankg.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def _load_generator() -> object:
    spec = importlib.util.spec_from_file_location("gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_up_to_date() -> None:
    generator = _load_generator()
    expected = generator.render()  # type: ignore[attr-defined]
    actual = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/cli.md is stale: run python scripts/gen_cli_docs.py"


def test_every_command_is_documented() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in cli.list_commands(click.Context(cli)):
        assert f"## `plankg {name}`" in text


def test_readme_quick_start_has_two_commands() -> None:
    spec = importlib.util.spec_from_file_location("quickstart", ROOT / "scripts" / "quickstart.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    commands = module.quickstart_commands((ROOT / "README.md").read_text(encoding="utf-8"))
    assert commands == ["pip install -e . && plankg demo", "pip install -e '.[test]' && pytest"]


def test_ontology_reference_is_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("gen_ontology_docs", ROOT / "scripts" / "gen_ontology_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    actual = (ROOT / "docs" / "ontology.md").read_text(encoding="utf-8")
    assert actual == module.render(), "docs/ontology.md is stale: run python scripts/gen_ontology_docs.py"


def test_parse_examples_show_real_output() -> None:
    spec = importlib.util.spec_from_file_location("gen_parse_examples", ROOT / "scripts" / "gen_parse_examples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not module.REALDOCS.is_dir():
        pytest.skip("../shared/realdocs is not here")
    for path in module.DOCS:
        text = path.read_text(encoding="utf-8")
        assert "$ plankg parse" in text
        assert module.render(text) == text, f"{path.name} is stale: run python scripts/gen_parse_examples.py"
