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
    WORKSPACE_ENV,
    agency_workspace,
    audit_workspace,
    build_workspace,
    curation_path,
    deadlines_workspace,
    gaps_workspace,
    load_graph,
    load_records,
    load_subgraph,
    resolve_reference,
    search_workspace,
    stats_workspace,
)
from plankg.model import Level, NodeKind, Relation

F = TypeVar("F", bound=Callable[..., Any])

#: The rules of plankg check (plankg.exports.audit.RULES), listed here so that --help
#: does not import the audit.
RULE_IDS = ("clear-who", "clear-what", "clear-when", "clear-authority", "clear-responsibility", "clear-product",
            "deadline-within-parent", "orphan-task", "applies-earlier-document")


class _Group(click.Group):
    """Translate PlankgError into one ``Error:`` line, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PlankgError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"Error: {text.printable(str(exc))}", err=True)
            ctx.exit(1)
        except OSError as exc:
            # Writing the output failed: a full disk, /dev/full, a closed pipe.
            if ctx.obj and ctx.obj.get("debug"):
                raise
            where = f"{text.printable(str(exc.filename))}: " if exc.filename else "cannot write the output: "
            try:
                click.echo(f"Error: {where}{exc.strerror or exc}", err=True)
            except OSError:
                pass
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
@click.option("--tasks", "with_tasks", is_flag=True, help="List each task found, with its lead and deadline.")
@click.option("--encoding", default=None,
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
            click.echo(f"Error: {text.printable(str(result.error))}", err=True)
            failed = True
        elif result.record is not None:
            records.append(result.record)
    if records:
        click.echo(text.records_json(records) if as_json else text.format_summaries(records, tasks=with_tasks))
    if failed:
        sys.exit(1)


#: The ward task the demo traces (its id comes from the graph).
DEMO_TASK = "Thực hiện tốt quy chế quản lý chất thải"


@cli.command()
def demo() -> None:
    """Build the bundled sample corpus (five real plans) and trace one ward task.

    The corpus is built in a temporary workspace; the demo prints the documents, the
    lineage of a ward task up to the national plan and the cascade of that plan.
    """
    with tempfile.TemporaryDirectory() as tmp:
        report = build_workspace([bundled_corpus()], Path(tmp))
        records, G = load_records(Path(tmp)), load_graph(Path(tmp))
    click.echo(f"Bundled corpus: {report.documents} documents\n")
    click.echo(text.format_summaries(records))
    hits = queries.search(G, DEMO_TASK, kinds=[NodeKind.TASK.value], limit=1)
    steps = queries.lineage(G, hits[0].id) if hits and hits[0].phrase else []
    if not any(s.relation == Relation.DERIVED_FROM.value for s in steps):
        click.echo(f"\nNo lineage link was found for the ward task {DEMO_TASK!r}.")
        return
    top = next(s.document for s in reversed(steps) if s.document)
    click.echo(f"\nLineage of a ward task (plankg lineage {steps[0].id}):\n")
    click.echo(text.format_lineage(steps))
    click.echo(f"\nCascade of the national plan (plankg cascade {top}):\n")
    click.echo(text.format_cascade(queries.cascade(G, top)))


def bundled_corpus() -> Path:
    """Folder of the sample documents shipped inside the package."""
    return Path(str(resources.files("plankg") / "data" / "corpus"))


# --- workspace and queries -----------------------------------------------------------

def workspace_option(command: F) -> F:
    """``--workspace DIR``, shared by ``build``, every query and ``export``."""
    return click.option(
        "--workspace", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_WORKSPACE, metavar="DIR",
        envvar=WORKSPACE_ENV, show_default=True, show_envvar=True, help="Workspace directory.",
    )(command)


def json_option(command: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(command)


def _stderr_is_tty() -> bool:
    """A progress bar is drawn only for a person watching; piped runs stay quiet."""
    return sys.stderr.isatty()


def xlsx_option(command: F) -> F:
    """``-o FILE.xlsx``: the result as an Excel sheet, for the query commands whose answer is a table."""
    return click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.xlsx",
                        help="Write the result to an Excel workbook instead of printing it.")(command)


def _print(result: Any, as_json: bool, formatted: Callable[[], str], output: Path | None = None) -> None:
    """A query result: an Excel sheet (``-o FILE.xlsx``), JSON (which escapes control characters
    itself) or text with them shown as escapes."""
    if output is not None:
        from plankg.exports.workbook import query_table, write_table

        if output.suffix.lower() != ".xlsx":
            raise click.BadParameter(f"{output} does not end in .xlsx", param_hint="-o")
        click.echo(f"Wrote {text.printable(str(write_table(output, *query_table(result))))}", err=True)
        return
    click.echo(text.query_json(result) if as_json else text.printable(formatted()))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@workspace_option
@click.option("--encoding", default=None,
              help="Force the encoding of text files: a codec, or tcvn3/vni (default: detect).")
@click.option("--wait/--no-wait", default=True, show_default=True,
              help="When another build runs on the workspace, wait for it (or fail at once).")
def build(paths: tuple[Path, ...], workspace: Path, encoding: str | None, wait: bool) -> None:
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
                                 on_wait=lambda: click.echo(f"Waiting for another build of {workspace} to finish…",
                                                            err=True))
    for error in report.errors:
        click.echo(f"Error: {text.printable(str(error))}", err=True)
    for notice in report.notices:
        click.echo(f"Note: {text.printable(notice)}", err=True)
    if report.written:
        click.echo(text.printable(text.format_build_report(report)))
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
@click.option("--level", type=click.Choice([*(level.value for level in Level), "ward"]),
              help="Only gaps of lower documents of this level (ward: the same as commune).")
@click.option("--under", metavar="REF", help="Only gaps below this document or task (an id or a number).")
@workspace_option
@json_option
@xlsx_option
def gaps(level: str | None, under: str | None, workspace: Path, as_json: bool, output: Path | None) -> None:
    """List where the cascade breaks: uncascaded, orphan and unpicked tasks."""
    under = resolve_reference(workspace, under) if under is not None else None
    level = Level.COMMUNE.value if level == "ward" else level
    found = gaps_workspace(workspace, level=level, under=under)
    _print(found, as_json, lambda: text.format_gaps(found), output)


@cli.command()
@click.argument("name")
@workspace_option
@json_option
@xlsx_option
def agency(name: str, workspace: Path, as_json: bool, output: Path | None) -> None:
    """List the tasks agencies matching NAME lead or support (diacritics optional)."""
    rows = agency_workspace(workspace, name)
    _print(rows, as_json, lambda: text.format_agency_tasks(rows, name), output)


@cli.command()
@click.argument("query")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="At most N results.")
@workspace_option
@json_option
def search(query: str, limit: int, workspace: Path, as_json: bool) -> None:
    """Search tasks, targets, documents and agencies (diacritics optional)."""
    hits = search_workspace(workspace, query, limit=limit)
    _print(hits, as_json, lambda: text.format_hits(hits, query))


@cli.command()
@click.argument("ref", metavar="REF")
@workspace_option
@json_option
def show(ref: str, workspace: Path, as_json: bool) -> None:
    """Show a node's attributes and edges.

    REF names it as for lineage: an id (also as plankg sparql prints it), a number,
    a number and item path, a file name or a search phrase.
    """
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
@click.option("--before", type=click.DateTime(formats=["%d/%m/%Y", "%Y-%m-%d"]), metavar="DATE",
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
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="json", show_default=True,
              help="Output format: RDF (turtle, nt, jsonld, xml), graphml, gexf, csv, json (node-link) or xlsx "
                   "(a workbook of tasks with lineage, gaps and deadlines).")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write to FILE instead of stdout; for csv, the folder that gets nodes.csv and edges.csv.")
@click.option("--focus", metavar="REF", help="xlsx only: the tasks of the cascade around this document or task.")
@workspace_option
def export(fmt: str, output: Path | None, focus: str | None, workspace: Path) -> None:
    """Export the workspace graph (RDF, GraphML, GEXF, CSV, node-link JSON or an Excel workbook)."""
    from plankg.exports import export_graph, tables, write_bytes

    if focus is not None and fmt != "xlsx":
        raise click.UsageError("--focus is for --format xlsx")
    focus = resolve_reference(workspace, focus) if focus is not None else None
    G = load_graph(workspace)
    if fmt == "xlsx":
        from plankg.exports.workbook import write_workbook

        if output is None:
            raise click.UsageError("--format xlsx writes a workbook: give the file with -o FILE.xlsx")
        click.echo(f"Wrote {write_workbook(G, output, focus=focus)}", err=True)
    elif fmt == "csv":
        if output is None:
            raise click.UsageError("--format csv writes two files: give the folder with -o DIR")
        for path in tables.to_csv(G, output):
            click.echo(f"Wrote {path}", err=True)
    elif output is None:
        click.echo(export_graph(G, fmt), nl=False)
    else:
        write_bytes(output, export_graph(G, fmt))


@cli.command()
@click.argument("query")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="Bind ?NAME to VALUE (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="table for people; csv, or json (SPARQL 1.1 results) for programs.")
@click.option("--endpoint", metavar="QUERY_URL", help="Query this SPARQL 1.1 server instead of the workspace.")
@click.option("--graph", "graph_iri", metavar="IRI", default="https://w3id.org/plankg/graph", show_default=True,
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
        G = load_graph(workspace)
        result = engine.run_query(G, query_text, _bindings(params))
        ids = engine.node_ids(G) if fmt == "table" else {}
    output = engine.format_result(result, fmt, ids=ids).rstrip("\n")
    click.echo(text.printable(output) if fmt == "table" else output)


@cli.command()
@click.option("--endpoint", metavar="STORE_URL", required=True,
              help="Graph Store endpoint, e.g. http://localhost:7878/store (Oxigraph).")
@click.option("--graph", "graph_iri", metavar="IRI", default="https://w3id.org/plankg/graph", show_default=True,
              help="Named graph to replace.")
@workspace_option
def push(endpoint: str, graph_iri: str, workspace: Path) -> None:
    """Load the workspace graph into a SPARQL 1.1 store, replacing the named graph.

    Credentials come from $PLANKG_SPARQL_USER/$PLANKG_SPARQL_PASSWORD or the netrc file.
    """
    from plankg.exports import export_graph, remote

    report = remote.push(export_graph(load_graph(workspace), "nt"), endpoint, graph=graph_iri)
    click.echo(f"Pushed {report.triples} triples to graph <{report.graph}> at {report.endpoint}")


def _bindings(params: tuple[str, ...]) -> dict[str, str | int]:
    bindings: dict[str, str | int] = {}
    for param in params:
        name, sep, value = param.partition("=")
        if not sep or not name.strip("? "):
            raise click.BadParameter(f"{param!r} is not NAME=VALUE", param_hint="--param")
        bindings[name.strip("? ")] = value
    return bindings


@cli.command()
@click.option("--engine", type=click.Choice(["sql", "shacl"]), default="sql", show_default=True,
              help="sql: the rules as SQL over the workspace (fast at any size); shacl: pySHACL over the RDF "
                   "export (the reference, slow on large workspaces). Both find the same.")
@click.option("--rule", "rules", multiple=True, type=click.Choice(list(RULE_IDS)),
              help="Only findings of this rule (repeatable).")
@click.option("--document", "documents", multiple=True, metavar="REF",
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
        click.echo(text.printable(format_audit(report)))
    if report.errors:
        sys.exit(1)


@cli.command()
@click.argument("ref", metavar="[REF]", required=False)
@click.option("--limit", type=click.IntRange(min=1), help="Stop after N links.")
@workspace_option
def review(ref: str | None, limit: int | None, workspace: Path) -> None:
    """Review proposed lineage links in the terminal, weakest first.

    REF limits the review to the links of one document or task. For each link both
    texts, the score, its band and the shared phrases are shown; press a key:

    \b
      c  confirm the link          r  reject it
      o  choose another parent     s  skip it
      q  quit

    Each decision is written to the workspace's curation.csv at once (with a
    snapshot of both texts); run "plankg build" to apply them.
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
    if not items:
        click.echo("No proposed link to review.")
        return
    counts = {"confirmed": 0, "rejected": 0, "added": 0, "skipped": 0}

    def write(child: str, parent: str, status: str) -> None:
        write_decision(path, child, parent, status, "plankg review",
                       child_text=G.nodes[child].get("text") or "", parent_text=G.nodes[parent].get("text") or "")
        counts[status] += 1

    for number, item in enumerate(items, start=1):
        click.echo(text.printable(text.format_review_item(G, item, number, len(items))))
        while True:
            key = _key("[c]onfirm  [r]eject  [o]ther parent  [s]kip  [q]uit ")
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
    click.echo(f"{counts['confirmed']} confirmed, {counts['rejected']} rejected, {counts['added']} added, "
               f"{counts['skipped']} skipped" + (f": written to\n  {path}\nRun 'plankg build' to apply them."
                                                 if written else "."))


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
        answer = click.prompt("Number or reference (Enter: skip)", default="", show_default=False).strip()
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
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("plankg.html"),
              show_default=True, help="Write the page to FILE.")
@click.option("--focus", metavar="REF",
              help="Draw only the cascade around this document, task or agency (an id, a number…).")
@click.option("--depth", type=click.IntRange(min=0), default=2, show_default=True,
              help="Lineage steps drawn below --focus.")
@click.option("--lang", "language", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
              help="Language of the page's own words.")
@workspace_option
def view(output: Path, focus: str | None, depth: int, language: str, workspace: Path) -> None:
    """Write the graph as one interactive HTML page that works offline.

    Without --focus the page is an overview: one box per document, by level and province,
    and a click on a document shows its tasks. With --focus it draws the cascade around one
    document, task or agency as a tree, each task with its text, lead agency and deadline.
    Search ignores diacritics and ranks whole words typed as written first.
    """
    from plankg.exports.viewer import write_workspace_view

    focus = resolve_reference(workspace, focus) if focus is not None else None
    path = write_workspace_view(workspace, output, focus=focus, depth=depth, language=language,
                                title=f"plankg · {focus}" if focus else "plankg")
    click.echo(f"Wrote {path}")
