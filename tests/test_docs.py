"""Docs stay honest: the CLI reference is the real --help, and every command is in it."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from conftest import ROOT, load_script

from plankg.cli import cli


def test_cli_reference_is_up_to_date() -> None:
    generator = load_script("gen_cli_docs")
    expected = generator.render()  # type: ignore[attr-defined]
    actual = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/cli.md is stale: run python scripts/gen_cli_docs.py"


def test_every_command_is_documented() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in cli.list_commands(click.Context(cli)):
        assert f"## `plankg {name}`" in text


def test_readme_quick_start_has_two_commands() -> None:
    module = load_script("quickstart")
    commands = module.quickstart_commands((ROOT / "README.md").read_text(encoding="utf-8"))
    assert commands == ["pip install -e . && plankg demo", "pip install -e '.[test]' && pytest"]


def test_ontology_reference_is_up_to_date() -> None:
    module = load_script("gen_ontology_docs")
    actual = (ROOT / "docs" / "ontology.md").read_text(encoding="utf-8")
    assert actual == module.render(), "docs/ontology.md is stale: run python scripts/gen_ontology_docs.py"


def test_parse_examples_show_real_output() -> None:
    module = load_script("gen_parse_examples")
    if not module.REALDOCS.is_dir():
        pytest.skip("../shared/realdocs is not here")
    for path in module.DOCS:
        text = path.read_text(encoding="utf-8")
        assert "$ plankg parse" in text
        assert module.render(text) == text, f"{path.name} is stale: run python scripts/gen_parse_examples.py"


def test_the_python_api_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/api.md's example runs as written, from a folder holding the bundled corpus at the
    path it names, and writes its workspace, pages and exports there."""
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks
    (tmp_path / "plankg").mkdir()
    (tmp_path / "plankg" / "data").symlink_to(ROOT / "plankg" / "data", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        exec(compile(block, str(ROOT / "docs" / "api.md"), "exec"), {})
    assert (tmp_path / ".plankg" / "manifest.json").is_file() and (tmp_path / "plan.html").is_file()
