"""The workbook planning officers open in Excel: tasks as an assignment appendix, with lineage.

``plankg export --format xlsx -o FILE`` writes three sheets:

* **Nhiệm vụ**: the columns of a standard assignment appendix (STT, Nhiệm vụ, Cơ quan chủ
  trì, Cơ quan phối hợp, Sản phẩm, Thời hạn, Văn bản, Mục), then the lineage (Nhiệm vụ cấp
  trên, Văn bản cấp trên, Mức tin cậy);
* **Khoảng trống**: the gaps of :func:`plankg.graph.queries.gaps`, one row each;
* **Thời hạn**: the deadlines of :func:`plankg.graph.queries.deadlines`, dated ones first.

Every sheet has a frozen header with filters, wrapped text and set widths. Text is written
as text, never as a formula: a cell starting with "=", "+", "-" or "@" gets Excel's hidden
quote prefix (OWASP's rule), so it shows as written and cannot run.

XlsxWriter writes it, in constant-memory mode (rows stream to the file): on 100,000 task rows
it took 7.2 s and 38 MB against openpyxl's write-only mode 8.1 s and 60 MB
(``benchmarks/xlsx_writers.py``, figures in benchmarks/README.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from plankg.errors import ExportError
from plankg.graph import queries
from plankg.graph.build import Graph
from plankg.i18n import _
from plankg.model import NodeKind, link_band

__all__ = ["TASK_COLUMNS", "GraphNodes", "Nodes", "query_table", "write_table", "write_workbook", "write_workbook_rows"]

#: (header, width) of the task sheet: an assignment appendix, then the lineage.
TASK_COLUMNS: tuple[tuple[str, int], ...] = (
    ("STT", 6), ("Nhiệm vụ", 60), ("Cơ quan chủ trì", 28), ("Cơ quan phối hợp", 28), ("Sản phẩm", 24),
    ("Thời hạn", 16), ("Văn bản", 28), ("Mục", 10), ("Nhiệm vụ cấp trên", 60), ("Văn bản cấp trên", 28),
    ("Mức tin cậy", 12),
)
_GAP_COLUMNS = (("Loại", 24), ("Nhiệm vụ", 60), ("Văn bản", 28), ("Mục", 10), ("Cơ quan chủ trì", 28),
                ("Văn bản cấp dưới", 28), ("Ghi chú", 36))
_DEADLINE_COLUMNS = (("Hạn", 12), ("Thời hạn", 18), ("Nhiệm vụ", 60), ("Cơ quan chủ trì", 28), ("Văn bản", 28),
                     ("Mục", 10))
_BANDS = {"strong": "mạnh", "likely": "khá", "weak": "yếu"}
_GAP_KINDS = {"uncascaded": "Chưa được cấp dưới triển khai", "orphans": "Không có nhiệm vụ cấp trên",
              "weak": "Chỉ có liên kết yếu", "unpicked": "Cấp xã chưa nhận", "inherited": "Kế thừa trước sáp nhập"}


def write_workbook(G: Graph, path: Path, *, focus: str | None = None) -> Path:
    """Write the workbook of ``G`` (or of the cascade around ``focus``) to ``path``."""
    return write_workbook_rows(path, GraphNodes(G), _tasks(G, focus), queries.gaps(G), queries.deadlines(G))


class Nodes(Protocol):
    """What the workbook's rows read of the graph: a node's attributes, a task's lineage parent."""

    def get(self, node: str) -> Mapping[str, Any] | None: ...

    def parent(self, node: str) -> tuple[str, Mapping[str, Any]] | None: ...


class GraphNodes:
    """:class:`Nodes` of a loaded graph."""

    def __init__(self, G: Graph) -> None:
        self.G = G

    def get(self, node: str) -> Mapping[str, Any] | None:
        return self.G.nodes[node] if node in self.G else None

    def parent(self, node: str) -> tuple[str, Mapping[str, Any]] | None:
        return queries._best_parent(self.G, node, set())


def write_workbook_rows(path: Path, nodes: Nodes, tasks: Iterable[str], gaps: queries.Gaps,
                        deadlines: Iterable[queries.DeadlineEntry]) -> Path:
    """Write the workbook of ``tasks`` (in the order given), with those of ``gaps`` and
    ``deadlines`` that concern them, reading nodes through ``nodes``: rows are written as they
    are made, so a store can feed it without loading the graph."""
    import xlsxwriter  # type: ignore[import-untyped]

    try:
        book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                               "strings_to_urls": False, "strings_to_numbers": False})
    except OSError as exc:
        raise ExportError(_("cannot write: {reason}").format(reason=exc.strerror or exc), path=str(path)) from None
    styles = _styles(book)
    keep: set[str] = set()

    def numbered() -> Iterator[list[Any]]:
        for i, node in enumerate(tasks, start=1):
            keep.add(node)
            yield _task_row(nodes, node, i)

    _sheet(book, styles, "Nhiệm vụ", TASK_COLUMNS, numbered())
    _sheet(book, styles, "Khoảng trống", _GAP_COLUMNS,
           (_gap_row(nodes, kind, gap) for kind in _GAP_KINDS for gap in getattr(gaps, kind) if gap.task in keep))
    _sheet(book, styles, "Thời hạn", _DEADLINE_COLUMNS,
           (_deadline_row(nodes, e) for e in deadlines if e.task in keep))
    try:
        book.close()
    except OSError as exc:
        raise ExportError(_("cannot write: {reason}").format(reason=exc.strerror or exc), path=str(path)) from None
    return path


def write_table(path: Path, name: str, columns: Sequence[tuple[str, int]], rows: Iterable[Sequence[Any]]) -> Path:
    """One sheet, styled as the workbook's: what ``-o FILE.xlsx`` of a query command writes."""
    import xlsxwriter

    try:
        book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                               "strings_to_urls": False, "strings_to_numbers": False})
        _sheet(book, _styles(book), name, columns, rows)
        book.close()
    except OSError as exc:
        raise ExportError(_("cannot write: {reason}").format(reason=exc.strerror or exc), path=str(path)) from None
    return path


_LINEAGE = (("Bước", 6), ("Loại", 10), ("Cấp", 10), ("Nội dung", 60), ("Văn bản", 28), ("Quan hệ", 14),
            ("Điểm", 8), ("Mức tin cậy", 12), ("Trạng thái", 12), ("Mã", 40))
_CASCADE = (("Tầng", 6), ("Loại", 10), ("Cấp", 10), ("Nội dung", 60), ("Quan hệ", 14), ("Điểm", 8),
            ("Mức tin cậy", 12), ("Cơ quan chủ trì", 28), ("Thời hạn", 16), ("Mã", 40))
_AGENCY = (("Cơ quan", 32), ("Vai trò", 10), ("Nhiệm vụ", 60), ("Văn bản", 40), ("Thời hạn", 16), ("Mã", 40))
_ROLES = {"lead": "chủ trì", "support": "phối hợp"}


def query_table(result: Any) -> tuple[str, Sequence[tuple[str, int]], list[list[Any]]]:
    """(sheet name, columns, rows) of a query command's result: a lineage, a cascade, gaps,
    an agency's tasks or deadlines. Texts are whole, ids are those every command accepts."""
    if isinstance(result, queries.Gaps):
        rows = [[_GAP_KINDS[kind], g.label, g.document, g.task, g.lower,
                 ", ".join(g.missing) or g.parent or g.agency or g.note]
                for kind in _GAP_KINDS for g in getattr(result, kind)]
        return "Khoảng trống", (("Loại", 24), ("Nhiệm vụ", 60), ("Văn bản", 40), ("Mã", 40), ("Văn bản cấp dưới", 40),
                                ("Ghi chú", 36)), rows
    if isinstance(result, queries.CascadeNode):
        def walk(node: queries.CascadeNode, depth: int) -> Iterable[list[Any]]:
            yield [depth, node.kind, node.level, node.text or node.label, node.relation, node.score,
                   _BANDS.get(node.band or "", node.band), "; ".join(node.lead), node.deadline, node.id]
            for child in node.children:
                yield from walk(child, depth + 1)
        return "Triển khai", _CASCADE, list(walk(result, 0))
    items = list(result)
    if items and isinstance(items[0], queries.Step):
        return "Nguồn gốc", _LINEAGE, [[i, s.kind, s.level, s.text or s.label, s.document, s.relation, s.score,
                                        _BANDS.get(s.band or "", s.band), s.status, s.id]
                                       for i, s in enumerate(items)]
    if items and isinstance(items[0], queries.AgencyTask):
        return "Cơ quan", _AGENCY, [[r.agency, _ROLES.get(r.role, r.role), r.text or r.label, r.document, r.deadline,
                                     r.task] for r in items]
    return "Thời hạn", (*_DEADLINE_COLUMNS[:5], ("Mã", 40)), [
        [e.end, e.deadline, e.text or e.label, "; ".join(e.lead), e.document, e.task] for e in items]


def _styles(book: Any) -> dict[str, Any]:
    return {"head": book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7",
                                     "border": 1}),
            "text": book.add_format({"text_wrap": True, "valign": "top"}),
            "quoted": book.add_format({"text_wrap": True, "valign": "top", "quote_prefix": True}),
            "number": book.add_format({"valign": "top", "num_format": "0.00"})}


def _tasks(G: Graph, focus: str | None) -> list[str]:
    """Tasks in reading order: every one, or those of the cascade around ``focus``."""
    index = queries._Index(G)
    if focus is None:
        wanted: Iterable[str] = (n for n, d in G.nodes(data=True) if d.get("kind") == NodeKind.TASK.value)
    else:
        # The cascade below (every task of each document in it) and the lineage above.
        below = {node.id for node in queries.cascade(G, focus).walk()}
        documents = {n for n in below if G.nodes[n].get("kind") == NodeKind.DOCUMENT.value}
        chosen = below | {step.id for step in queries.lineage(G, focus)}
        wanted = (n for n, d in G.nodes(data=True) if d.get("kind") == NodeKind.TASK.value
                  and (n in chosen or d.get("document") in documents))
    return sorted(wanted, key=index.order)


def _sheet(book: Any, styles: dict[str, Any], name: str, columns: Sequence[tuple[str, int]],
           rows: Iterable[Sequence[Any]]) -> None:
    sheet = book.add_worksheet(name)
    for col, (header, width) in enumerate(columns):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, header, styles["head"])
    sheet.freeze_panes(1, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, bool) or value is None or value == "":
                continue
            if isinstance(value, (int, float)):
                sheet.write_number(count, col, value, styles["number" if isinstance(value, float) else "text"])
            elif value:
                text = str(value)
                style = styles["quoted"] if text.startswith(("=", "+", "-", "@")) else styles["text"]
                sheet.write_string(count, col, text, style)
    sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)


def _task_row(nodes: Nodes, node: str, number: int) -> list[Any]:
    data = nodes.get(node) or {}
    found = nodes.parent(node)
    parent, edge = found if found else (None, {})
    up = (nodes.get(parent) or {}) if parent else {}
    up_document = _document(nodes, up.get("document"))
    band = None
    if parent:
        link = link_band(edge.get("score"), edge.get("status"))
        band = _BANDS.get(link.value, link.value) if link else None
    return [number, data.get("text") or data.get("label"), "; ".join(data.get("lead") or ()),
            "; ".join(data.get("support") or ()), data.get("product"), data.get("deadline_text"),
            _document(nodes, data.get("document")), data.get("path"), up.get("text") or up.get("label"),
            up_document, band]


def _document(nodes: Nodes, document: str | None) -> str | None:
    """A document as an officer names it: its type and number, else its type and whole title."""
    data = nodes.get(document) if document is not None else None
    if data is None:
        return document
    kind = data.get("type") or "Văn bản"
    if data.get("number"):
        return f"{kind} {data['number']}"
    return f"{kind}: {data['title']}" if data.get("title") else str(data.get("label") or document)


def _gap_row(nodes: Nodes, kind: str, gap: queries.Gap) -> list[Any]:
    data = nodes.get(gap.task) or {}
    note = ""
    if gap.missing:
        note = "Văn bản cấp trên chưa nạp: " + ", ".join(gap.missing)
    elif gap.parent:
        note = f"Liên kết yếu ({gap.score:.2f}): {(nodes.get(gap.parent) or {}).get('label')}"
    elif gap.agency:
        note = gap.agency
    return [_GAP_KINDS[kind], data.get("text") or gap.label, _document(nodes, gap.document), data.get("path"),
            "; ".join(data.get("lead") or ()), _document(nodes, gap.lower), note]


def _deadline_row(nodes: Nodes, entry: queries.DeadlineEntry) -> list[Any]:
    return [entry.end, entry.deadline, entry.text or entry.label, "; ".join(entry.lead),
            _document(nodes, entry.document), (nodes.get(entry.task) or {}).get("path")]
