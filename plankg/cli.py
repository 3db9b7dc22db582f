"""The ``plankg`` command line: each command reads options, calls the library, prints.

Expected failures are :class:`~plankg.errors.PlankgError`; they are printed once, as
``Error: …`` on stderr with exit status 1 (``--debug`` shows the traceback). Bad
usage is click's exit status 2.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path
from typing import Any

import click

from plankg import __version__
from plankg.errors import PlankgError
from plankg.exports.text import format_summaries, records_json
from plankg.loaders import load_paths


class _Group(click.Group):
    """Translate PlankgError into one ``Error:`` line, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PlankgError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="plankg")
@click.option("--debug", is_flag=True, help="Show full tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Trace Vietnamese plan documents from ward tasks up to national directives."""
    ctx.obj = {"debug": debug}


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the JSON records of CONTRACT.md.")
@click.option("--encoding", default=None, help="Force the text encoding (default: detect).")
def parse(paths: tuple[Path, ...], as_json: bool, encoding: str | None) -> None:
    """Parse plan documents (.txt, .md, .docx files or folders) and summarise them.

    Every bad file is reported on stderr as an "Error:" line; the good ones are
    still parsed and printed. The exit status is 1 when any file failed.
    """
    records = []
    failed = False
    for result in load_paths(list(paths), encoding=encoding):
        if result.error is not None:
            click.echo(f"Error: {result.error}", err=True)
            failed = True
        elif result.record is not None:
            records.append(result.record)
    if records:
        click.echo(records_json(records) if as_json else format_summaries(records))
    if failed:
        sys.exit(1)


@cli.command()
def demo() -> None:
    """Parse the bundled sample corpus (five real plans) and summarise it."""
    corpus = bundled_corpus()
    records = [r.record for r in load_paths([corpus]) if r.record is not None]
    click.echo(f"Bundled corpus: {len(records)} documents\n")
    click.echo(format_summaries(records))


def bundled_corpus() -> Path:
    """Folder of the sample documents shipped inside the package."""
    return Path(str(resources.files("plankg") / "data" / "corpus"))
