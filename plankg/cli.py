"""The ``plankg`` command line: each command reads options, calls the library, prints.

Expected failures are :class:`~plankg.errors.PlankgError`; they are printed once, as
``Error: …`` on stderr with exit status 1 (``--debug`` shows the traceback). Bad
usage is click's exit status 2.

``build`` parses documents into a workspace; the query commands (``lineage``, ``cascade``,
``gaps``, ``agency``, ``search``, ``show``, ``stats``, ``deadlines``) and ``export`` read its
graph, so they start fast and never parse again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import inspect
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import click

from plankg import __version__
from plankg.errors import PlankgError
from plankg.exports import text
from plankg.graph import queries
from plankg.graph.workspace import (
    DEFAULT_WORKSPACE,
    STREAMED_FORMATS,
    WORKSPACE_ENV,
    agency_workspace,
    audit_workspace,
    build_workspace,
    curation_path,
    deadlines_workspace,
    export_csv_workspace,
    export_workspace,
    export_xlsx_workspace,
    gaps_workspace,
    jurisdiction_workspace,
    load_graph,
    load_records,
    load_subgraph,
    push_workspace,
    resolve_reference,
    search_workspace,
    sparql_workspace,
    stats_workspace,
)
from plankg.i18n import LANG_ENV, LANGUAGES, _, ngettext, set_language
from plankg.model import Level, NodeKind, Relation

F = TypeVar("F", bound=Callable[..., Any])

#: The rules of plankg check (plankg.exports.audit.RULES), listed here so that --help
#: does not import the audit.
RULE_IDS = ("clear-who", "clear-what", "clear-when", "clear-authority", "clear-responsibility", "clear-product",
            "deadline-within-parent", "orphan-task", "applies-earlier-document")


# --- the language -----------------------------------------------------------------------
# Help texts are written in English where the commands are defined, before the language is
# known; they are msgids, translated each time click reads them (scripts/update_catalogue.py
# extracts the docstrings and help= strings of this module). click's own strings ("Usage:",
# "Show this message and exit.") go through the module-level gettext of each click module,
# which is pointed at plankg's catalogue: the catalogue carries click's msgids too.

#: The click modules that bind ``gettext`` as ``_`` (and ``ngettext``) when imported.
_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "shell_completion", "termui", "types",
                  "utils")


def speak(language: str | None = None) -> str:
    """Speak ``language`` (None: as the environment asks), click's own messages included."""
    for name in _CLICK_MODULES:
        namespace = vars(importlib.import_module(f"click.{name}"))
        for attr, function in (("_", _), ("ngettext", ngettext)):
            if attr in namespace:
                namespace[attr] = function
    return set_language(language)


class _HelpText:
    """A help text kept as its English msgid and read in the current language."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.key = f"_msgid_{name}"

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        msgid = obj.__dict__.get(self.key)
        return _(inspect.cleandoc(msgid)) if msgid else msgid

    def __set__(self, obj: Any, value: str | None) -> None:
        obj.__dict__[self.key] = value


class _Option(click.Option):
    """An option whose help is translated when shown."""

    help = _HelpText()


def option(*decls: str, **attrs: Any) -> Callable[[F], F]:
    """:func:`click.option` with its help translated when shown."""
    return click.option(*decls, cls=_Option, **attrs)


def _show_help(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(ctx.get_help(), color=ctx.color)
        ctx.exit()


class _Translated(click.Command):
    """Help (the command's and its --help option's) translated when shown."""

    help = _HelpText()
    short_help = _HelpText()
    epilog = _HelpText()

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        # click words its own --help option when it first makes it (perhaps before --lang
        # was read) and keeps it: this one is worded each time it is shown. One object per
        # command, as click's, since parameters are ordered by identity.
        names = self.get_help_option_names(ctx)
        if not names or not self.add_help_option:
            return None
        if "_translated_help" not in self.__dict__:
            self.__dict__["_translated_help"] = _Option(
                names, is_flag=True, is_eager=True, expose_value=False, callback=_show_help,
                help="Show this message and exit.")
        option: click.Option = self.__dict__["_translated_help"]
        return option


class _Command(_Translated):
    """A command whose help is translated when shown."""


#: The language given to the group's --lang in this run, if any (view's page follows it).
_asked_language: str | None = None


def _requested_language(args: Sequence[str]) -> str | None:
    """The value of ``--lang`` among the group's options (before the command name)."""
    for i, arg in enumerate(args):
        if arg == "--lang":
            return args[i + 1] if i + 1 < len(args) else None
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if not arg.startswith("-"):
            return None
    return None


class _Group(_Translated, click.Group):
    """Translate PlankgError into one ``Error:`` line, in one place; speak the user's language."""

    command_class = _Command

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        # The language is chosen once, before click reads anything: --lang, else $PLANKG_LANG,
        # else the locale. The --lang option itself is declared below for --help and checking.
        global _asked_language
        _asked_language = _requested_language(sys.argv[1:] if args is None else list(args))
        speak(_asked_language)
        return super().main(args, *rest, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PlankgError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            _echo_err(_("Error: {message}").format(message=text.printable(str(exc))))
            ctx.exit(1)
        except OSError as exc:
            # Writing the output failed: a full disk, /dev/full, a closed pipe.
            if ctx.obj and ctx.obj.get("debug"):
                raise
            reason = exc.strerror or str(exc)
            if exc.filename:
                message = _("Error: {file}: {reason}").format(file=text.printable(str(exc.filename)), reason=reason)
            else:
                message = _("Error: cannot write the output: {reason}").format(reason=reason)
            try:
                click.echo(message, err=True)
            except OSError:
                pass
            ctx.exit(1)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="plankg", cls=_Option, help="Show the version and exit.")
@option("--lang", type=click.Choice(LANGUAGES), expose_value=False,
        help="Language of messages and help: en or vi (default: $PLANKG_LANG, else the locale's).")
@option("--debug", is_flag=True, help="Show full tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Trace Vietnamese plan documents from ward tasks up to national directives."""
    ctx.obj = {"debug": debug}


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@option("--json", "as_json", is_flag=True, help="Print the JSON records of CONTRACT.md.")
@option("--tasks", "with_tasks", is_flag=True, help="List each task found, with its lead and deadline.")
@option("--encoding", default=None, metavar="CODEC",
              help="Force the encoding of text files: a codec, or tcvn3/vni (default: detect).")
def parse(paths: tuple[Path, ...], as_json: bool, with_tasks: bool, encoding: str | None) -> None:
    """Parse plan documents (files or folders) and summarise them.

    Reads Word (.docx; .doc, .odt and .rtf through LibreOffice), PDF with a text
    layer, saved web pages (.html) and text (.txt, .md). A file that binds several
    documents (a decision and its attached plan) gives one summary per document.
    Every bad file is reported on stderr as an "Error:" line; the good ones are
    still parsed and printed. The exit status is 1 when any file failed.
    """
    from plankg.loaders import load_paths  # not needed by the query commands, which start faster without

    records = []
    failed = False
    for result in load_paths(list(paths), encoding=encoding):
        if result.error is not None:
            _echo_err(_("Error: {message}").format(message=text.printable(str(result.error))))
            failed = True
        elif result.record is not None:
            records.append(result.record)
    if records:
        if as_json:
            click.echo(text.records_json(records))
        else:
            _echo_text(text.format_summaries(records, tasks=with_tasks))
    if failed:
        sys.exit(1)


def json_option(command: F) -> F:
    return option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(command)


#: The ward task the demo traces (its id comes from the graph).
DEMO_TASK = "Thực hiện tốt quy chế quản lý chất thải"


@cli.command()
@json_option
def demo(as_json: bool) -> None:
    """Build the bundled sample corpus (five real plans) and trace one ward task.

    The corpus is built in a temporary workspace; the demo prints the documents, the
    lineage of a ward task up to the national plan and the cascade of that plan
    (with --json: the build's report, the lineage and the cascade as JSON).
    """
    with tempfile.TemporaryDirectory() as tmp:
        report = build_workspace([bundled_corpus()], Path(tmp))
        records, G = load_records(Path(tmp)), load_graph(Path(tmp))
    hits = queries.search(G, DEMO_TASK, kinds=[NodeKind.TASK.value], limit=1)
    steps = queries.lineage(G, hits[0].id) if hits and hits[0].phrase else []
    linked = any(s.relation == Relation.DERIVED_FROM.value for s in steps)
    top = next((s.document for s in reversed(steps) if s.document), None) if linked else None
    if as_json:
        build = {**report.to_dict(), "workspace": None}  # a temporary directory, gone already
        click.echo(text.query_json({"build": build, "lineage": steps if linked else [],
                                    "cascade": queries.cascade(G, top) if top else None}))
        return
    click.echo(ngettext("Bundled corpus: {count} document", "Bundled corpus: {count} documents",
                        report.documents).format(count=report.documents) + "\n")
    _echo_text(text.format_summaries(records))
    if not linked or top is None:
        click.echo("\n" + _("No lineage link was found for the ward task {task!r}.").format(task=DEMO_TASK))
        return
    click.echo("\n" + _("Lineage of a ward task (plankg lineage {id}):").format(id=steps[0].id) + "\n")
    _echo_text(text.format_lineage(steps))
    click.echo("\n" + _("Cascade of the national plan (plankg cascade {id}):").format(id=top) + "\n")
    _echo_text(text.format_cascade(queries.cascade(G, top)))


def bundled_corpus() -> Path:
    """Folder of the sample documents shipped inside the package."""
    return Path(str(resources.files("plankg") / "data" / "corpus"))


# --- workspace and queries -----------------------------------------------------------

def workspace_option(command: F) -> F:
    """``--workspace DIR``, shared by ``build``, every query and ``export``."""
    return option(
        "--workspace", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_WORKSPACE, metavar="DIR",
        envvar=WORKSPACE_ENV, show_default=True, show_envvar=True, help="Workspace directory.",
    )(command)


def _stderr_is_tty() -> bool:
    """A progress bar is drawn only for a person watching; piped runs stay quiet."""
    return sys.stderr.isatty()


def xlsx_option(command: F) -> F:
    """``-o FILE.xlsx``: the result as an Excel sheet, for the query commands whose answer is a table."""
    return option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.xlsx",
                        help="Write the result to an Excel workbook instead of printing it.")(command)


def _print(result: Any, as_json: bool, formatted: Callable[[], str], output: Path | None = None) -> None:
    """A query result: an Excel sheet (``-o FILE.xlsx``), JSON (which escapes control characters
    itself) or text with them shown as escapes."""
    if output is not None:
        from plankg.exports.workbook import query_table, write_table

        if output.suffix.lower() != ".xlsx":
            raise click.BadParameter(_("{path} does not end in .xlsx").format(path=output), param_hint="-o")
        written = write_table(output, *query_table(result))
        click.echo(_("Wrote {path}").format(path=text.printable(str(written))), err=True)
        return
    if as_json:
        click.echo(text.query_json(result))
    else:
        _echo_text(formatted())


def _echo_text(output: str) -> None:
    """Text for people: control characters shown as escapes, lines wrapped to the terminal."""
    click.echo(text.fit(text.printable(output), _text_width()))


def _echo_err(message: str) -> None:
    """An "Error:" or "Note:" line (already printable) on stderr, wrapped like :func:`_echo_text`
    when stderr is a terminal."""
    click.echo(text.fit(message, _text_width(sys.stderr)), err=True)


def _text_width(stream: Any = None) -> int | None:
    """Columns to wrap text for ``stream`` (stdout by default) to: the terminal's, or ``COLUMNS``
    when set; None (one record a line, for grep and friends) when the stream is piped and
    ``COLUMNS`` is unset."""
    import os
    import shutil

    if not (stream or sys.stdout).isatty() and not os.environ.get("COLUMNS", "").isdigit():
        return None
    return max(40, shutil.get_terminal_size().columns)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@workspace_option
@option("--encoding", default=None, metavar="CODEC",
              help="Force the encoding of text files: a codec, or tcvn3/vni (default: detect).")
@option("--wait/--no-wait", default=True, show_default=True,
              help="When another build runs on the workspace, wait for it (or fail at once).")
@json_option
def build(paths: tuple[Path, ...], workspace: Path, encoding: str | None, wait: bool, as_json: bool) -> None:
    """Parse documents (files or folders) into the workspace and build its graph.

    Documents of earlier builds stay in the workspace; a file whose bytes are unchanged
    is not parsed again. With no PATH, the files of earlier builds are read again (after
    editing curation.csv, or the documents). When two files hold the same document, the
    one modified last is kept, and a "Note:" line says so. Every bad file is reported as
    an "Error:" line while the good ones are still built; the exit status is 1 when any
    file failed. To start afresh, delete the workspace directory.
    """
    with contextlib.ExitStack() as stack:
        def progress(items: Sequence[str], label: str) -> Iterable[str]:
            return stack.enter_context(click.progressbar(items, label=label, file=sys.stderr))

        report = build_workspace(list(paths), workspace, encoding=encoding,
                                 progress=progress if _stderr_is_tty() else None, wait=wait,
                                 on_wait=lambda: click.echo(_("Waiting for another build of {workspace} to finish…")
                                                            .format(workspace=workspace), err=True))
    for error in report.errors:
        _echo_err(_("Error: {message}").format(message=text.printable(str(error))))
    for notice in report.notices:
        _echo_err(_("Note: {notice}").format(notice=text.printable(notice)))
    if as_json:
        click.echo(text.query_json(report.to_dict()))
    elif report.written:
        _echo_text(text.format_build_report(report))
    if report.errors or not report.written:
        sys.exit(1)


@cli.command()
@click.argument("ref", metavar="REF")
@workspace_option
@json_option
@xlsx_option
def lineage(ref: str, workspace: Path, as_json: bool, output: Path | None) -> None:
    """Trace a task, target or document up to the highest directive it comes from.

    \b
    REF is a node id, an official number ("2233/KH-UBND", "57-NQ/TW"), a number
    with words that tell apart documents sharing it ("186/KH-UBND Tuyên Quang"), an
    item by number and path ("2233/KH-UBND II.1.b"), a file name, or a search phrase.
    """
    node_id = resolve_reference(workspace, ref)
    steps = queries.lineage(load_subgraph(workspace, node_id, direction="up"), node_id)
    _print(steps, as_json, lambda: text.format_lineage(steps), output)


@cli.command()
@click.argument("ref", metavar="REF")
@workspace_option
@json_option
@xlsx_option
def cascade(ref: str, workspace: Path, as_json: bool, output: Path | None) -> None:
    """Show the tree of documents and tasks below a document or task.

    REF names it as for lineage: an id, a number ("06-NQ/TW"), a number and item path,
    a file name or a search phrase.
    """
    node_id = resolve_reference(workspace, ref)
    root = queries.cascade(load_subgraph(workspace, node_id, direction="down"), node_id)
    _print(root, as_json, lambda: text.format_cascade(root), output)


@cli.command()
@option("--level", type=click.Choice([*(level.value for level in Level), "ward"]),
              help="Only gaps of lower documents of this level (ward: the same as commune).")
@option("--under", metavar="REF", help="Only gaps below this document or task (an id or a number).")
@option("--agency", metavar="NAME",
        help="Only gaps of tasks that name an agency matching NAME as lead or support (diacritics optional).")
@workspace_option
@json_option
@xlsx_option
def gaps(level: str | None, under: str | None, agency: str | None, workspace: Path, as_json: bool,
         output: Path | None) -> None:
    """List where the cascade breaks: uncascaded, orphan and unpicked tasks."""
    under = resolve_reference(workspace, under) if under is not None else None
    level = Level.COMMUNE.value if level == "ward" else level
    found = gaps_workspace(workspace, level=level, under=under, agency=agency)
    _print(found, as_json, lambda: text.format_gaps(found), output)


@cli.command()
@click.argument("words", metavar="NAME", nargs=-1, required=True)
@workspace_option
@json_option
@xlsx_option
def agency(words: tuple[str, ...], workspace: Path, as_json: bool, output: Path | None) -> None:
    """List the tasks agencies matching NAME lead or support (diacritics optional, quotes
    around a name of several words too):

    $ plankg agency Sở Y tế
    """
    name = " ".join(words)
    rows = agency_workspace(workspace, name)
    _print(rows, as_json, lambda: text.format_agency_tasks(rows, name), output)


@cli.command()
@click.argument("words", metavar="NAME", nargs=-1, required=True)
@workspace_option
@json_option
def jurisdiction(words: tuple[str, ...], workspace: Path, as_json: bool) -> None:
    """Show an official unit: its code, predecessors and successors across the 2025
    reorganisation, and the plans made for it and for its predecessors.

    NAME is a unit's name (phường Đoàn Kết, diacritics and quotes optional) or id
    ("unit:03388").
    """
    found = jurisdiction_workspace(workspace, " ".join(words))
    _print(found, as_json, lambda: text.format_jurisdiction(found))


@cli.command()
@click.argument("words", metavar="QUERY", nargs=-1, required=True)
@option("--limit", type=click.IntRange(min=1), default=20, show_default=True, metavar="N", help="At most N results.")
@workspace_option
@json_option
def search(words: tuple[str, ...], limit: int, workspace: Path, as_json: bool) -> None:
    """Search tasks, targets, documents and agencies (diacritics optional, quotes around
    several words too):

    $ plankg search thu hut dau tu
    """
    query = " ".join(words)
    hits = search_workspace(workspace, query, limit=limit)
    _print(hits, as_json, lambda: text.format_hits(hits, query))


@cli.command()
@click.argument("ref", metavar="REF")
@workspace_option
@json_option
def show(ref: str, workspace: Path, as_json: bool) -> None:
    """Show a node's attributes and edges.

    REF names it as for lineage: an id (also as plankg sparql prints it), a number,
    a number and item path, a file name or a search phrase. An administrative unit's id
    (unit:03388) shows the unit, as plankg jurisdiction does.
    """
    if ref.startswith("unit:"):
        found = jurisdiction_workspace(workspace, ref)
        _print(found, as_json, lambda: text.format_jurisdiction(found))
        return
    node_id = resolve_reference(workspace, ref)
    node = queries.show(load_subgraph(workspace, node_id, direction="around"), node_id)
    _print(node, as_json, lambda: text.format_show(node))


@cli.command()
@workspace_option
@json_option
def stats(workspace: Path, as_json: bool) -> None:
    """Count nodes, edges, documents per level and lineage links per status."""
    counts = stats_workspace(workspace)
    _print(counts, as_json, lambda: text.format_stats(counts))


@cli.command()
@option("--before", type=click.DateTime(formats=["%d/%m/%Y", "%Y-%m-%d"]), metavar="DATE",
              help="Only tasks due on or before DATE (inclusive), as 31/12/2026 or 2026-12-31; ongoing work is kept.")
@workspace_option
@json_option
@xlsx_option
def deadlines(before: dt.datetime | None, workspace: Path, as_json: bool, output: Path | None) -> None:
    """List task deadlines by date, then continuous or recurring ones."""
    entries = deadlines_workspace(workspace, before=before.date() if before else None)
    _print(entries, as_json, lambda: text.format_deadlines(entries), output)


EXPORT_FORMATS = ["turtle", "nt", "jsonld", "xml", "graphml", "gexf", "csv", "json", "xlsx"]


@cli.command()
@option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="json", show_default=True,
              help="Output format: RDF (turtle, nt, jsonld, xml), graphml, gexf, csv, json (node-link) or xlsx "
                   "(a workbook of tasks with lineage, gaps and deadlines).")
@option("-o", "--output", type=click.Path(path_type=Path), metavar="FILE",
              help="Write to FILE instead of stdout; for csv, the folder that gets nodes.csv and edges.csv.")
@option("--focus", metavar="REF", help="xlsx only: the tasks of the cascade around this document or task.")
@workspace_option
def export(fmt: str, output: Path | None, focus: str | None, workspace: Path) -> None:
    """Export the workspace graph (RDF, GraphML, GEXF, CSV, node-link JSON or an Excel workbook)."""
    from plankg.exports import export_graph, write_bytes, write_stream

    if focus is not None and fmt != "xlsx":
        raise click.UsageError(_("--focus is for --format xlsx"))
    focus = resolve_reference(workspace, focus) if focus is not None else None
    if fmt in STREAMED_FORMATS:  # written from the store as it is read: any size in little memory
        if output is None:
            # The bytes under stdout (click.get_binary_stream is deprecated from click 8.5).
            export_workspace(workspace, fmt, sys.stdout.buffer)
        else:
            write_stream(output, lambda out: export_workspace(workspace, fmt, out))
    elif fmt == "csv":
        if output is None:
            raise click.UsageError(_("--format csv writes two files: give the folder with -o DIR"))
        for path in export_csv_workspace(workspace, output):
            click.echo(_("Wrote {path}").format(path=path), err=True)
    elif fmt == "xlsx":
        from plankg.exports.workbook import write_workbook

        if output is None:
            raise click.UsageError(_("--format xlsx writes a workbook: give the file with -o FILE.xlsx"))
        if focus is None:  # the whole workspace, row by row from the store
            written = export_xlsx_workspace(workspace, output)
        else:
            written = write_workbook(load_graph(workspace), output, focus=focus)
        click.echo(_("Wrote {path}").format(path=written), err=True)
    elif output is None:
        click.echo(export_graph(load_graph(workspace), fmt), nl=False)
    else:
        write_bytes(output, export_graph(load_graph(workspace), fmt))


@cli.command()
@click.argument("query")
@option("--param", "params", multiple=True, metavar="NAME=VALUE", help="Bind ?NAME to VALUE (repeatable).")
@option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="table for people; csv, or json (SPARQL 1.1 results) for programs.")
@option("--endpoint", metavar="QUERY_URL", help="Query this SPARQL 1.1 server instead of the workspace.")
@option("--graph", "graph_iri", metavar="IRI", default="https://w3id.org/plankg/graph", show_default=True,
              help="With --endpoint: the named graph to query (as pushed); '' for the server's default graph.")
@workspace_option
def sparql(query: str, params: tuple[str, ...], fmt: str, endpoint: str | None, graph_iri: str,
           workspace: Path) -> None:
    """Run QUERY: a named query (lineage, cascade, agency-tasks, orphans, overdue), a .rq
    file, or SPARQL text, over the workspace or a server. Parameters are bound values,
    never pasted into the query."""
    from plankg.exports import remote
    from plankg.exports import sparql as engine

    query_text = engine.resolve_query(query)
    ids: dict[str, str] = {}
    if endpoint:
        result = remote.remote_query(endpoint, query_text, _bindings(params), graph=graph_iri or None)
    else:
        result, ids = sparql_workspace(workspace, query_text, _bindings(params), ids=fmt == "table")
    output = engine.format_result(result, fmt, ids=ids, width=_text_width() if fmt == "table" else None).rstrip("\n")
    click.echo(text.printable(output) if fmt == "table" else output)


@cli.command()
@option("--endpoint", metavar="STORE_URL", required=True,
              help="Graph Store endpoint, e.g. http://localhost:7878/store (Oxigraph).")
@option("--graph", "graph_iri", metavar="IRI", default="https://w3id.org/plankg/graph", show_default=True,
              help="Named graph to replace.")
@workspace_option
@json_option
def push(endpoint: str, graph_iri: str, workspace: Path, as_json: bool) -> None:
    """Load the workspace graph into a SPARQL 1.1 store, replacing the named graph.

    Credentials come from $PLANKG_SPARQL_USER/$PLANKG_SPARQL_PASSWORD or the netrc file.
    """
    report = push_workspace(workspace, endpoint, graph=graph_iri)
    if as_json:
        click.echo(text.query_json(report))
        return
    click.echo(_("Pushed {count} triples to graph <{graph}> at {endpoint}")
               .format(count=report.triples, graph=report.graph, endpoint=report.endpoint))


def _bindings(params: tuple[str, ...]) -> dict[str, str | int]:
    bindings: dict[str, str | int] = {}
    for param in params:
        name, sep, value = param.partition("=")
        if not sep or not name.strip("? "):
            raise click.BadParameter(_("{param!r} is not NAME=VALUE").format(param=param), param_hint="--param")
        bindings[name.strip("? ")] = value
    return bindings


@cli.command()
@option("--engine", type=click.Choice(["sql", "shacl"]), default="sql", show_default=True,
              help="sql: the rules as SQL over the workspace (fast at any size); shacl: pySHACL over the RDF "
                   "export (the reference, slow on large workspaces). Both find the same.")
@option("--rule", "rules", multiple=True, type=click.Choice(list(RULE_IDS)), metavar="RULE",
              help="Only findings of this rule (repeatable); the rules are listed in the summary of plankg check.")
@option("--document", "documents", multiple=True, metavar="REF",
              help="Only findings in this document: an id, a number or a file name (repeatable).")
@workspace_option
@json_option
def check(engine: str, rules: tuple[str, ...], documents: tuple[str, ...], workspace: Path, as_json: bool) -> None:
    """Audit every task for the "6 rõ" and its lineage.

    The summary lists every rule with its count, zero included, and its severity.
    The exit status is 1 when a finding of severity "error" remains (no lead, no
    text, no deadline, no authority, a deadline past the parent's, a document
    applying a later one); warnings alone (a collective lead, a missing product,
    a task without a higher source) exit 0.
    """
    from plankg.exports.audit import audit, format_audit

    report = audit(load_graph(workspace)) if engine == "shacl" else audit_workspace(workspace)
    report = report.select(rules=rules, documents=[resolve_reference(workspace, d) for d in documents])
    if as_json:
        click.echo(text.query_json(report.to_dict()))
    else:
        _echo_text(format_audit(report))
    if report.errors:
        sys.exit(1)


@cli.command()
@click.argument("ref", metavar="[REF]", required=False)
@option("--limit", type=click.IntRange(min=1), metavar="N", help="Stop after N links.")
@workspace_option
@json_option
def review(ref: str | None, limit: int | None, workspace: Path, as_json: bool) -> None:
    """Review proposed lineage links in the terminal, weakest first.

    REF limits the review to the links of one document or task. For each link both
    texts, the score, its band and the shared phrases are shown; press a key:

    \b
      c  confirm the link          r  reject it
      o  choose another parent     s  skip it
      q  quit

    Each decision is written to the workspace's curation.csv at once (with a
    snapshot of both texts); run "plankg build" to apply them. With --json the
    links to review are printed instead, and nothing is asked.
    """
    from plankg.graph.curation import load_curation, write_decision
    from plankg.graph.review import alternatives, pending_links

    G = load_graph(workspace)
    document: str | None = None
    only: str | None = None
    if ref is not None:
        node = resolve_reference(workspace, ref)
        if G.nodes[node].get("kind") == NodeKind.DOCUMENT.value:
            document = node
        else:
            only, document = node, G.nodes[node].get("document")
    path = curation_path(workspace)
    decided = {(d.child, d.parent) for d in load_curation(path).decisions}
    items = [c for c in pending_links(G, document=document)
             if (c.child, c.parent) not in decided and (only is None or c.child == only)]
    if limit is not None:
        items = items[:limit]
    if as_json:
        click.echo(text.query_json(items))
        return
    if not items:
        click.echo(_("No proposed link to review."))
        return
    counts = {"confirmed": 0, "rejected": 0, "added": 0, "skipped": 0}

    def write(child: str, parent: str, status: str) -> None:
        write_decision(path, child, parent, status, "plankg review",
                       child_text=G.nodes[child].get("text") or "", parent_text=G.nodes[parent].get("text") or "")
        counts[status] += 1

    for number, item in enumerate(items, start=1):
        click.echo(text.printable(text.format_review_item(G, item, number, len(items))))
        while True:
            key = _key(_("[c]onfirm  [r]eject  [o]ther parent  [s]kip  [q]uit "))
            if key in ("c", "r", "s", "q", "o"):
                break
        if key == "q":
            break
        if key == "s":
            counts["skipped"] += 1
        elif key in ("c", "r"):
            write(item.child, item.parent, "confirmed" if key == "c" else "rejected")
        else:
            other = _choose_parent(G, workspace, item, alternatives(G, item.child, exclude=frozenset({item.parent})))
            if other is None:
                counts["skipped"] += 1
            else:
                write(item.child, item.parent, "rejected")
                write(item.child, other, "added")
        click.echo("")
    written = counts["confirmed"] + counts["rejected"] + counts["added"]
    if written:
        summary = _("{confirmed} confirmed, {rejected} rejected, {added} added, {skipped} skipped: written to\n"
                    "  {path}\nRun 'plankg build' to apply them.")
    else:
        summary = _("{confirmed} confirmed, {rejected} rejected, {added} added, {skipped} skipped.")
    click.echo(summary.format(path=path, **counts))


def _key(prompt: str) -> str:
    """One key press at a terminal, or the next non-blank character of piped input (a
    script of keys); the end of input counts as q."""
    click.echo(prompt, nl=False)
    try:
        if sys.stdin.isatty():
            key = click.getchar()
        else:
            key = " "
            while key and key.isspace():
                key = sys.stdin.read(1)
    except (EOFError, KeyboardInterrupt):
        key = ""
    key = (key or "q").lower()
    click.echo(key if key.isprintable() else "")
    return key


def _choose_parent(G: Any, workspace: Path, item: Any, offers: list[Any]) -> str | None:
    """Another parent: a number from the offers, or any reference; empty to go back."""
    for n, offer in enumerate(offers, start=1):
        click.echo(text.printable(text.format_offer(G, offer, n)))
    while True:
        answer = click.prompt(_("Number or reference (Enter: skip)"), default="", show_default=False).strip()
        if not answer:
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(offers):
            parent: str = offers[int(answer) - 1].parent
            return parent
        try:
            return resolve_reference(workspace, answer)
        except PlankgError as exc:
            click.echo(text.printable(str(exc)))


@cli.command()
@option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("plankg.html"),
              show_default=True, help="Write the page to FILE.")
@option("--focus", metavar="REF",
              help="Draw only the cascade around this document, task or agency (an id, a number…).")
@option("--depth", type=click.IntRange(min=0), default=2, show_default=True, metavar="N",
              help="Lineage steps drawn below --focus.")
@option("--lang", "language", type=click.Choice(LANGUAGES),
        help="Language of the page's own words (default: plankg --lang or $PLANKG_LANG when given, else vi).")
@workspace_option
@json_option
def view(output: Path, focus: str | None, depth: int, language: str | None, workspace: Path, as_json: bool) -> None:
    """Write the graph as one interactive HTML page that works offline.

    Without --focus the page is an overview: one box per document, by level and province,
    and a click on a document shows its tasks. With --focus it draws the cascade around one
    document, task or agency as a tree, each task with its text, lead agency and deadline.
    Search ignores diacritics and ranks whole words typed as written first.
    """
    from plankg.exports.viewer import write_workspace_view

    focus = resolve_reference(workspace, focus) if focus is not None else None
    language = language or _asked_language or os.environ.get(LANG_ENV) or "vi"
    if language not in LANGUAGES:
        language = "vi"
    path = write_workspace_view(workspace, output, focus=focus, depth=depth, language=language,
                                title=f"plankg · {focus}" if focus else "plankg")
    if as_json:
        click.echo(text.query_json({"path": str(path), "focus": focus, "language": language}))
        return
    click.echo(_("Wrote {path}").format(path=path))
