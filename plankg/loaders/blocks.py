"""One document model for every input format (first step of the pipeline).

Every reader - plain text, Word, PDF, HTML, legacy Word through LibreOffice - turns a
file into the same stream of blocks:

* :class:`Paragraph`: one paragraph of text (list numbering already rendered in front);
* :class:`Table`: rows of :class:`Cell` values, merged cells expanded so that every row
  has one cell per grid column;
* :class:`PageBreak`: the start of a new page (PDF, and Word's explicit breaks).

Each block carries its provenance (:class:`Where`: page, source line or paragraph,
table, row, cell). Running heads, page numbers and signature stamps are *furniture*:
kept as paragraphs with ``furniture=True``, never deleted, never body text.

Everything after the readers sees blocks, never a format. :func:`render` lays a block
stream out as numbered logical lines for the interpretation stages, and returns, for
each line number, where that line came from, so that every message and every
``unparsed`` entry can name its page.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = ["Block", "Cell", "PageBreak", "Paragraph", "Rendered", "Source", "Table", "Where", "blocks_of_lines",
           "furniture_lines", "render"]


@dataclass(frozen=True, slots=True)
class Where:
    """Provenance of a block or cell; fields that do not apply to a format are ``None``.

    >>> str(Where(page=3, table=1, row=4, cell=2))
    'page 3, table 1, row 4, cell 2'
    >>> str(Where(line=12))
    'line 12'
    """

    page: int | None = None
    line: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None

    def __str__(self) -> str:
        parts = [(name, getattr(self, name)) for name in ("page", "line", "paragraph", "table", "row", "cell")]
        return ", ".join(f"{name} {value}" for name, value in parts if value is not None)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of text. ``furniture`` marks page headers, page numbers and stamps."""

    text: str
    where: Where = Where()
    furniture: bool = False


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell; ``text`` keeps the cell's paragraphs apart with ``\\n``."""

    text: str
    where: Where = Where()

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.text.split("\n") if p.strip()]


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of cells; a merged cell is repeated in every grid position it covers."""

    rows: tuple[tuple[Cell, ...], ...]
    where: Where = Where()

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass(frozen=True, slots=True)
class PageBreak:
    """Page ``page`` starts here."""

    page: int


Block = Paragraph | Table | PageBreak


@dataclass(frozen=True)
class Source:
    """A file read into blocks. ``name`` is what messages call the file."""

    name: str
    blocks: tuple[Block, ...]
    format: str = "text"
    # Documents bound into one file (a decision and the plan attached to it): the
    # block index where each later document starts. Empty for one-document files.
    parts: tuple[int, ...] = field(default=())


@dataclass(frozen=True)
class Rendered:
    """Blocks laid out as text lines for interpretation.

    ``text`` holds one line per paragraph, one per table row (cells joined with
    ``" | "``), and ``where[n - 1]`` is the provenance of line ``n``.
    """

    text: str
    where: tuple[Where, ...]

    def locate(self, line: int) -> Where:
        """Provenance of 1-based ``line`` (an empty :class:`Where` when out of range)."""
        return self.where[line - 1] if 0 < line <= len(self.where) else Where()


def render(blocks: Iterable[Block]) -> Rendered:
    """Lay ``blocks`` out as numbered lines, keeping where each line came from.

    Header tables (the two-column issuer | Quốc hiệu layout) are unfolded column by
    column, so the header reader meets "UBND TỈNH X", "Số: …" and the place and date
    as lines of their own; every other table keeps one line per row. Furniture is
    left out of the text: it is not body text, and it stays in the blocks.

    >>> r = render([Paragraph("KẾ HOẠCH", Where(line=1)),
    ...             Table(((Cell("Sở Y tế", Where(row=1, cell=1)), Cell("Năm 2026", Where(row=1, cell=2))),))])
    >>> r.text.splitlines(), str(r.locate(2))
    (['KẾ HOẠCH', 'Sở Y tế | Năm 2026'], 'row 1, cell 1')
    """
    lines: list[str] = []
    where: list[Where] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            if block.furniture:
                continue
            for piece in block.text.split("\n") or [""]:
                lines.append(piece)
                where.append(block.where)
        elif isinstance(block, Table):
            if is_layout_table(block):
                for cell in _columns(block):
                    for piece in cell.paragraphs:
                        lines.append(piece)
                        where.append(cell.where)
                continue
            for row in block.rows:
                # A merged cell is one Cell repeated in every column it spans: shown once.
                cells = [c for i, c in enumerate(row) if i == 0 or c is not row[i - 1]]
                texts = [" ".join(c.paragraphs) for c in cells]
                if not any(texts):
                    continue
                lines.append(" | ".join(texts))
                where.append(cells[0].where)
    return Rendered("\n".join(lines), tuple(where))


def _columns(table: Table) -> list[Cell]:
    """Cells of a layout table column by column, each merged cell once."""
    out: list[Cell] = []
    for col in range(table.width):
        previous: str | None = None
        for row in table.rows:
            if col < len(row):
                cell = row[col]
                duplicate = col > 0 and col - 1 < len(row) and row[col - 1] is cell
                if cell.text.strip() and cell.text != previous and not duplicate:
                    out.append(cell)
                previous = cell.text
    return out


def is_layout_table(table: Table) -> bool:
    """Is ``table`` a page-layout table (header or signature block), not a data table?

    Such tables have at most three columns and hold the header's parts: the Quốc
    hiệu or the Party's name, a "Số:" line, a place and date, or a signature block
    ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "Nơi nhận:").
    """
    from plankg.loaders import patterns as P

    # Merged cells widen the grid: count the distinct cells a row shows.
    distinct = [len({id(c) for c in row if c.text.strip()}) for row in table.rows]
    if max(distinct, default=0) > 3 or len(table.rows) > 8:
        return False
    texts = [p for row in table.rows for cell in row for p in cell.paragraphs]
    for text in texts:
        if P.MOTTO.search(text) or P.DOC_NUMBER.fullmatch(text) or P.PLACE_DATE.match(text):
            return True
        if P.RECIPIENTS.match(text) or P.SIGN_AUTHORITY.fullmatch(text) or P.SIGN_POSITION.fullmatch(text):
            return True
    return False


def blocks_of_lines(lines: Sequence[str], *, first_line: int = 1) -> list[Block]:
    """Blocks of a plain text: one paragraph per line, ``|``/tab rows grouped as tables,
    and tables flattened one cell per line (text copied out of a PDF) rebuilt as tables
    (:mod:`plankg.loaders.flattened`); the lines of such a table's span that are in no
    cell (page furniture, the header repeated at a page break) follow it as paragraphs.

    >>> bs = blocks_of_lines(["Số: 1/KH-UBND", "| STT | Nhiệm vụ |", "| 1 | Rà soát |", "Hết."])
    >>> [type(b).__name__ for b in bs], bs[1].rows[1][1].text
    (['Paragraph', 'Table', 'Paragraph'], 'Rà soát')
    """
    from plankg.loaders.flattened import find_flattened

    out: list[Block] = []
    rows: list[tuple[Cell, ...]] = []
    n_tables = 0
    furniture = furniture_lines(lines)
    flattened = {flat.start: flat for flat in find_flattened(lines, furniture)}
    skip_to = 0

    def flush() -> None:
        nonlocal rows, n_tables
        if rows:
            n_tables += 1
            width = max(len(r) for r in rows)
            padded = tuple(r + tuple(Cell("", r[-1].where) for _ in range(width - len(r))) for r in rows)
            out.append(Table(padded, padded[0][0].where))
            rows = []

    for offset, raw in enumerate(lines):
        if offset < skip_to:
            continue
        flat = flattened.get(offset)
        if flat is not None:
            flush()
            n_tables += 1
            out.append(flat.table(lines, first_line=first_line, number=n_tables))
            out.extend(flat.paragraphs(lines, furniture, first_line=first_line))
            skip_to = flat.end
            continue
        number = first_line + offset
        cells = _split_row(raw)
        if cells is None or offset in furniture:
            flush()
            out.append(Paragraph(raw, _line_where(number), furniture=offset in furniture))
            continue
        if _is_rule_row(cells):
            continue  # markdown's "|---|---|" separator
        rows.append(tuple(Cell(c, Where(line=number, table=n_tables + 1, row=len(rows) + 1, cell=i + 1))
                          for i, c in enumerate(cells)))
    flush()
    return out


@functools.lru_cache(maxsize=4_096)
def _line_where(number: int) -> Where:
    """``Where(line=number)``, one object per line number (a Where is frozen)."""
    return Where(line=number)


@functools.lru_cache(maxsize=65_536)  # asked of every line of every text file; plans restate lines
def _split_row(raw: str) -> tuple[str, ...] | None:
    stripped = raw.strip()
    if not (stripped.startswith("|") or stripped.count("|") >= 2):
        return None
    inner = stripped[1:] if stripped.startswith("|") else stripped
    inner = inner[:-1] if inner.endswith("|") else inner
    cells = tuple(" ".join(c.split()) for c in inner.split("|"))
    return cells if sum(1 for c in cells if c) >= 1 else None


def _is_rule_row(cells: tuple[str, ...]) -> bool:
    return all(set(c) <= set(":- ") for c in cells) and any(cells)


# A stamp of a digital signature as text extraction leaves it on the page:
# "Ký bởi: CÔNG BÁO …" / "Cơ quan: VĂN PHÒNG CHÍNH PHỦ" / "Ngày ký: 2026-05-27 07:55:25 +07:00"
_STAMP = re.compile(r"(?i:ký\s+bởi|cơ\s+quan|ngày\s+ký|thời\s+gian\s+ký|email)\s*:")
_SIGNED_BY = re.compile(r"(?i:ký\s+bởi)\s*:")
_PAGE_NUMBER = re.compile(r"[-–\s]*\d{1,4}[-–\s]*")
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]{3}")


@functools.lru_cache(maxsize=65_536)
def _furniture_key(text: str) -> str:
    """A short line's text with its digits as "#": what a running head keeps from page to page."""
    return _DIGITS.sub("#", text) if _DIGITS.search(text) else text


def furniture_lines(lines: Sequence[str]) -> set[int]:
    """Indexes of the running heads, page numbers and signature stamps of a text that
    was extracted from a paginated document (the Công báo text twins).

    A running head is a short line that recurs, digits aside, at least three times and
    stands next to a page number ("CÔNG BÁO/Số 286/Ngày 27-05-2026" over "89"); a stamp is
    a "Ký bởi:" line with the "Cơ quan:" and "Ngày ký:" lines that follow it.

    >>> text = ["CÔNG BÁO/Số 286/Ngày 27-05-2026", "89", "Điều 1.", "CÔNG BÁO/Số 286/Ngày 27-05-2026", "90",
    ...         "Điều 2.", "CÔNG BÁO/Số 286/Ngày 27-05-2026", "91", "Ký bởi: CÔNG BÁO", "Cơ quan: VPCP", "Hết."]
    >>> sorted(furniture_lines(text))
    [0, 1, 3, 4, 6, 7, 8, 9]
    """
    stripped = [line.strip() for line in lines]
    keys: dict[int, str] = {}  # each short line's text with its digits as "#"
    counts: dict[str, int] = {}
    for i, text in enumerate(stripped):
        if 0 < len(text) <= 80:
            key = keys[i] = _furniture_key(text)
            counts[key] = counts.get(key, 0) + 1
    found: set[int] = set()
    filled = [i for i, text in enumerate(stripped) if text]
    heads: dict[int, list[int]] = {}
    for k, i in enumerate(filled):
        text = stripped[i]
        if i not in keys or keys[i] == text or counts[keys[i]] < 3 or _PAGE_NUMBER.fullmatch(text) \
                or not _WORD.search(text):
            continue  # a running head has words ("CÔNG BÁO/Số 286"); "2026 - 2027" in a table has none
        neighbours = [filled[j] for j in (k - 1, k + 1) if 0 <= j < len(filled)]
        numbers = [j for j in neighbours if _PAGE_NUMBER.fullmatch(stripped[j])]
        if numbers:
            heads[i] = numbers
    # The head is on (nearly) every page: a table cell that recurs next to a row number
    # ("Quý II/2026" over "4") does so on far fewer.
    beside = Counter(keys[i] for i in heads)
    top = max(beside.values(), default=0)
    # The page number stands on one side of the head, the same on every page ("CÔNG BÁO/…"
    # over "66"): a number on the other side is a cell ("2026" closing a table row).
    sides = Counter(j > i for i, numbers in heads.items() for j in numbers)
    side = sides[True] >= sides[False]
    for i, numbers in heads.items():
        if beside[keys[i]] * 2 >= top:
            found.add(i)
            found.update(j for j in numbers if len(numbers) == 1 or (j > i) == side)
    for k, i in enumerate(filled):
        if ":" in stripped[i] and _SIGNED_BY.match(stripped[i]):  # (the stamp's label ends in a colon)
            found.add(i)
            for j in filled[k + 1:k + 4]:
                if not _STAMP.match(stripped[j]):
                    break
                found.add(j)
    return found
