"""Tables flattened one cell per line, rebuilt as :class:`~plankg.loaders.blocks.Table` blocks.

Text extracted from a PDF (the Official Gazette's text twins) lays an appendix table out
one cell after another, each cell hard-wrapped at its column's width::

    STT                       <- the column header, its words wrapped too
    Tên nhiệm vụ cụ thể
    Cơ quan
    chủ trì
    ...
    I. Đổi mới mạnh mẽ tư duy ...      <- a group row spanning the table
    1.                        <- a row: its number, then its cells in column order
    Tăng cường lãnh đạo, chỉ đạo xây dựng và
    tổ chức thực hiện hiệu quả các chủ trương,
    ...
    Các
    bộ
    ở
    Trung ương,
    Ủy ban nhân
    ...
    Thường xuyên

:func:`find_flattened` finds such tables in the lines of a plain text, before the text
reader (:func:`~plankg.loaders.blocks.blocks_of_lines`) makes paragraphs of them:

1. A table opens at a run of short lines that read as column headers (``STT``/``TT``
   first, then the vocabulary of assignment tables: "Nhiệm vụ", "Cơ quan chủ trì",
   "Thời hạn", ...; wrapped header words are joined back); the header gives the number
   of columns. A header repeated at a page break is recognised line by line.
2. Rows open at a number alone on its line ("1.", "12", "1.1", the next in sequence),
   a dash alone (a sub-row), or a group label ("I", "II. Hoàn thiện thể chế ...").
   A row cut by a page break goes on after the repeated header.
3. The lines of a row are cut into its cells by dynamic programming. Each candidate
   cell is scored by the cues a reader uses: a wrapped line that starts in lower case
   continues its cell, a cell starts with a capital; a line stopped short although the
   next word would have fitted ends its cell; no line is wider than its column (widths
   learnt from the rows whose cells the capitals alone determine); a deadline column
   holds deadlines ("Thường xuyên", "Quý III/2027"), an agency column agencies.
4. The table ends at a line that cannot be a cell: a long prose line, an appendix
   heading, a signature block, the end of the text.

Nothing is lost: every non-empty line of the table's span goes to a cell, or stays a
paragraph after the table (page furniture, the repeated header, a footnote at a page
foot), marked as furniture where it is furniture.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from plankg.loaders import patterns as P
from plankg.loaders.agencies import match_at, runs_on
from plankg.loaders.blocks import Cell, Paragraph, Table, Where
from plankg.loaders.structure import TABLE_COLUMNS

__all__ = ["FlatTable", "find_flattened"]

# --- patterns -----------------------------------------------------------------------------

# A row number alone on its line: "1." / "12" / "1.1" / "2.3." (the "STT" column).
_NUMBER = re.compile(r"(?P<num>\d{1,3}(?:\.\d{1,3}){0,2})\.?")
# A row number and the row's first words on one line, set apart by a wide gap or without
# a dot ("1. Bộ Tài chính ..." is an item inside a cell): "13  Xây dựng, hoàn thiện thể chế
# về công tác" / "46 Kế hoạch triển khai đồng bộ hệ giá trị quốc gia, ...".
_NUMBER_TEXT = re.compile(r"(?P<num>\d{1,3}(?:\.\d{1,3}){0,2})(?:\.?\s{2,}|\s)(?P<text>[^\s\d.,%].*)")
# A group label alone: "I" / "II." / "A."; with its title: "I. Đổi mới mạnh mẽ tư duy ...".
_GROUP = re.compile(r"(?P<num>[IVXL]{1,6}|[A-ZĐ])\s*\.?")
_GROUP_TEXT = re.compile(r"(?P<num>[IVXL]{1,6}|[A-ZĐ])\s*[.\-–]\s*(?P<text>\S.*)"
                         r"|(?P<roman>[IVXL]{1,6})\s+(?P<title>[" + P.VI_UPPER + r"].*)")
# A sub-row marker alone on its line: "-" / "+".
_BULLET = re.compile(r"[-–+•]")
# Words a column header starts with ("Căn cứ bổ sung", "MỤC TIÊU 2026 - 2030", "Cấp trình").
_HEADER_START = re.compile(
    r"(?i:stt|tt|số|nội\s+dung|nhiệm\s+vụ|tên|cơ\s+quan|đơn\s+vị|chủ\s+trì|phối\s+hợp|thời|tiến\s+độ"
    r"|kết\s+quả|sản\s+phẩm|ghi\s+chú|căn\s+cứ|cấp|chỉ\s+tiêu|mục\s+tiêu|ngành|lĩnh\s+vực|kinh\s+phí|nguồn"
    r"|dự\s+toán|dự\s+kiến|hình\s+thức|lộ\s+trình|trách\s+nhiệm|theo\s+dõi|địa\s+phương|tốc\s+độ|giai\s+đoạn"
    r"|năm|văn\s+bản|hoạt\s+động|giải\s+pháp|công\s+việc|đề\s+án|chương\s+trình|dự\s+án|mức|tỷ\s+lệ|tỉ\s+lệ)\b"
)
# "Cơ quan" alone: a header word cut before "chủ trì" / "phối hợp".
_BARE_AGENCY = re.compile(r"(?i:cơ\s+quan|đơn\s+vị)")
# Where a table certainly ends: "Phụ lục II" / "PHỤ LỤC" / "Ghi chú: (*) Tốc độ tăng trưởng ...".
_TABLE_END = re.compile(r"(?:PHỤ\s+LỤC|Phụ\s+lục)(?:\s+(?:[Ss]ố\s+)?(?:[IVXL]+|\d{1,2}))?\s*$|(?i:ghi\s+chú)\s*:")
# What a deadline cell holds: "Thường xuyên" / "Năm 2026" / "Quý III/2027" / "2026 - 2030" /
# "Hằng năm và từng giai đoạn" / "Tháng 6/2026" / "Trước ngày 30/6/2026".
_DEADLINE = re.compile(
    r"(?i:thường\s+xuyên|hằng\s+(?:năm|quý|tháng)|hàng\s+(?:năm|quý|tháng)|định\s+kỳ|liên\s+tục|kịp\s+thời"
    r"|theo\s+(?:yêu\s+cầu|tiến\s+độ|kế\s+hoạch)|từng\s+giai\s+đoạn|(?:19|20)\d{2})"
)
_DEADLINE_START = re.compile(
    r"(?i:thường|hằng|hàng|định|liên|kịp|theo|trước|trong|từ|đến|cuối|đầu|giữa|quý|tháng|năm|giai|ngày"
    r"|sau|chậm|(?:thực\s+hiện|nhiệm\s+vụ)\s+thường|\d)"
)
# What an agency cell starts with: "Các bộ ở Trung ương" / "Ủy ban nhân dân cấp tỉnh" /
# "Bộ Tài chính" / "1. Bộ Tài chính đầu mối ...".
_AGENCY_START = re.compile(
    r"(?i:(?:\d{1,2}\.\s*)?(?:các\s+)?(?:bộ|ủy\s+ban|uỷ\s+ban|ubnd|cơ\s+quan|văn\s+phòng|ngân\s+hàng|thanh\s+tra"
    r"|kiểm\s+toán|tòa\s+án|toà\s+án|viện|đài|thông\s+tấn|ban|hội|sở|tổng|liên\s+đoàn|mặt\s+trận|đoàn|tập\s+đoàn"
    r"|chính\s+phủ|thủ\s+tướng|người\s+đứng\s+đầu|chủ\s+tịch|cơ\s+sở|đơn\s+vị|địa\s+phương|tỉnh|thành\s+phố"
    r"|doanh\s+nghiệp|trung\s+ương|học\s+viện|đại\s+học|cục|tổ\s+chức|lực\s+lượng|quân|công\s+an|bảo\s+hiểm"
    r"|nhnn|vpcp|ttcp)\b)"
)
# A line ending mid-phrase: a comma, a hyphen, a word that needs what follows.
_DANGLING = re.compile(r"(?:[,\-–(/&]|\b(?i:và|của|các|những|về|với|theo|tại|cho|trong|để|đến|ở|từ|là|có|được|hoặc))$")
# How far from the end a dangling end can start: its longest word, a final line end, one to spare.
_DANGLING_REACH = 7


def _dangles(text: str) -> bool:
    """Whether ``text`` ends on a word or mark that wants more (``_DANGLING``)."""
    return P.search_end(_DANGLING, text, _DANGLING_REACH) is not None


_ENDS_SENTENCE = re.compile(r"[.;:!?]$")  # (matches are at most 2 characters long, a line end included)
# A line ending on a word that wants a number, the next line opening with one: "Trước ngày" /
# "01/3/2027", "Nghị quyết số" / "140/NQ-CP", "Quý" / "III/2026".
_NUMBERED_ITEM = re.compile(r"(\d{1,2})\.\s")
_NEEDS_NUMBER = re.compile(r"(?<!\w)(?i:ngày|tháng|quý|số)$")  # (at most 6 characters long)
_NUMBER_START = re.compile(r"\d|[IVX]{1,4}\b")
# A list item inside a cell starts a paragraph of it: "2. Các bộ, cơ quan, ..." / "- Bộ Y tế".
_CELL_ITEM = re.compile(r"(?:\d{1,2}\.|[-+•])\s")
# Where a second agency cell starts on the line of the first, the extraction having merged
# two cells at the same height: "Bộ Nông nghiệp và Môi trường Các bộ, cơ quan, địa".
_MERGED_AGENCY = re.compile(
    r"(?<=[^\W\d_]) (?=(?:Các|Bộ|Ủy ban|Uỷ ban|UBND|Sở|Ban|Cơ quan|Ngân hàng|Tổng cục|Thanh tra|Kiểm toán"
    r"|Tòa án|Toà án|Viện|Đài|Thông tấn)\s)"
)
_CAPITAL_AFTER_LOWER = re.compile(r"(?<=[" + P.VI_LOWER + r"]) (?=[" + P.VI_UPPER + r"])")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}

_HEADER_LINE_MAX = 45  # a header line is short
_HEADER_CELLS_MAX = 12


@dataclass(frozen=True)
class _Line:
    """A line of the table's span: its index in the source lines and its collapsed text."""

    index: int
    text: str
    raw: str = ""  # the line as written (stripped): its wide gaps kept
    # A line of spaces follows: the trace the text extraction leaves where a cell's box
    # ends (" " after "Bộ Y tế" before "2028", the empty cell between them).
    ends: bool = False
    # The second piece of a line that holds two cells side by side (:func:`_split_merged`).
    glued: bool = False

    @property
    def lower(self) -> bool:
        """Starts in lower case (skipping an opening bracket or quote)."""
        for ch in self.text:
            if ch.isalpha():
                return ch.islower()
            if ch.isdigit():
                return False
        return False

    @property
    def word(self) -> str:
        return self.text.split(" ", 1)[0]


@dataclass
class _Row:
    label: _Line | None  # the number cell; None for a row without one
    kind: str = "row"  # row | group (label alone, title in the following lines) | title (label + title)
    parts: list[list[_Line]] = field(default_factory=lambda: [[]])  # one list per page

    @property
    def lines(self) -> list[_Line]:
        return [line for part in self.parts for line in part]


@dataclass(frozen=True)
class FlatTable:
    """A flattened table found in lines ``start``..``end - 1`` (indexes into the text's lines).

    ``header`` and every row of ``rows`` hold one tuple of source-line indexes per column
    (the lines of that cell); a group row spanning the table holds one cell, flagged in
    ``spans``. ``leftover`` are the span's non-empty lines that are in no cell.
    """

    start: int
    end: int
    header: tuple[tuple[_Line, ...], ...]
    rows: tuple[tuple[tuple[_Line, ...], ...], ...]
    spans: tuple[int, ...]  # per row: 0, or the column from which one cell spans the rest
    leftover: tuple[int, ...]
    repeated: frozenset[int]  # leftover lines that are the header repeated at a page break

    @property
    def width(self) -> int:
        return len(self.header)

    def table(self, lines: Sequence[str], *, first_line: int = 1, number: int = 1) -> Table:
        """The :class:`Table` block: the header row, then the rows; a spanning cell is one
        :class:`Cell` object repeated in every column it covers."""
        rows: list[tuple[Cell, ...]] = []
        fallback = self.start
        for r, (cells, span) in enumerate(zip([self.header, *self.rows], [0, *self.spans], strict=True), start=1):
            made: list[Cell] = []
            for c, cell_lines in enumerate(cells, start=1):
                anchor = cell_lines[0].index if cell_lines else fallback
                made.append(Cell(_cell_text(cell_lines),
                                 Where(line=first_line + anchor, table=number, row=r, cell=c)))
                if cell_lines:
                    fallback = cell_lines[0].index
            if span:
                made = made[:span - 1] + [made[span - 1]] * (self.width - span + 1)
            rows.append(tuple(made))
        return Table(tuple(rows), Where(line=first_line + self.start, table=number))

    def paragraphs(self, lines: Sequence[str], furniture: set[int], *, first_line: int = 1) -> list[Paragraph]:
        """The span's lines that are in no cell, in order: page furniture and repeated headers
        (as furniture), footnotes at a page foot."""
        return [Paragraph(lines[i], Where(line=first_line + i), furniture=i in furniture or i in self.repeated)
                for i in self.leftover]


def _cell_text(lines: Sequence[_Line]) -> str:
    """The wrapped lines of a cell joined back: a space between lines, none after a hyphen
    cut in a compound ("210-" / "KL/TW"), a new paragraph at a list item."""
    text = ""
    for line in lines:
        if not text:
            text = line.text
        elif _CELL_ITEM.match(line.text):
            text += "\n" + line.text
        elif re.search(r"\w-$", text):
            text += line.text
        else:
            text += " " + line.text
    return text


# --- header ------------------------------------------------------------------------------

def _role(text: str) -> str | None:
    """The column role of a header cell by the assignment-table vocabulary of :mod:`structure`."""
    text = _header_text(text)
    for role, rx in TABLE_COLUMNS:
        if rx.fullmatch(text):
            return role
    return None


def _is_number_column(text: str) -> bool:
    """``_role(text) == "number"``, asked of every line: the number column's pattern comes
    first in the vocabulary, so it alone decides."""
    return _NUMBER_COLUMN.fullmatch(_header_text(text)) is not None


@functools.lru_cache(maxsize=65_536)  # asked of every line of every text file; plans restate lines
def _opens_number_column(raw: str) -> bool:
    """Whether the line ``raw`` is the header cell of a number column ("STT")."""
    return bool(raw.strip()) and _is_number_column(" ".join(raw.split()))


def _header_text(text: str) -> str:
    # Only a text ending in ")" can end in a column number "(3)": the search is spared otherwise.
    if text.endswith((")", ")\n")):
        text = _COLUMN_NUMBER.sub("", text)
    return text.strip(" :*")


_COLUMN_NUMBER = re.compile(r"\s*\(\d{1,2}\)$")
_NUMBER_COLUMN = TABLE_COLUMNS[0][1]
assert TABLE_COLUMNS[0][0] == "number"


def _joins_header(cell: str, line: str) -> bool:
    """Does header line ``line`` continue the header cell ``cell`` (a wrapped header)?"""
    first = line[0]
    if first.islower() or first.isdigit() or first in "(%/":
        return True  # "Cơ quan" / "chủ trì", "MỤC TIÊU" / "2026 - 2030"
    if re.search(r"[/,\-–&]$", cell):
        return True  # "NGÀNH, LĨNH VỰC/" / "ĐỊA PHƯƠNG"
    role = _role(cell)
    if _role(f"{cell} {line}") is not None and ((role is None and _role(line) is None) or _BARE_AGENCY.fullmatch(cell)):
        return True  # "CƠ QUAN CHỦ" / "TRÌ, THEO DÕI", "CƠ QUAN" / "PHỐI HỢP"
    # "THỜI HẠN" / "HOÀN THÀNH": in capitals, a line no header starts with
    return line.upper() == line and _role(line) is None and not _HEADER_START.match(line)


def _is_header_cell(text: str) -> bool:
    return _role(text) is not None or bool(_HEADER_START.match(text)) or text.upper() == text


def _read_header(span: Sequence[_Line], start: int) -> list[list[_Line]] | None:
    """The header's cells when a column header opens at ``span[start]``, else None."""
    if not _is_number_column(span[start].text):
        return None
    cells: list[list[_Line]] = [[span[start]]]
    k = start + 1
    while k < len(span) and len(cells) <= _HEADER_CELLS_MAX:
        line = span[k]
        if len(line.text) > _HEADER_LINE_MAX or _row_start_shape(line.text):
            break
        cell = " ".join(x.text for x in cells[-1])
        if len(cells) > 1 and _joins_header(cell, line.text):
            cells[-1].append(line)
        else:
            cells.append([line])
        k += 1
    # The header ends at its last cell that reads as one.
    texts = [" ".join(x.text for x in c) for c in cells]
    n = 1
    while n < len(cells) and _is_header_cell(texts[n]) and len(texts[n]) <= 60:
        n += 1
    cells = cells[:n]
    roles = {_role(t) for t in texts[:n]}
    if n < 3 or not roles & {"lead", "support", "deadline"}:
        return None
    return cells


def _row_start_shape(text: str) -> bool:
    return bool(_NUMBER.fullmatch(text) or _GROUP.fullmatch(text)
                or _BULLET.fullmatch(text) or (_GROUP_TEXT.fullmatch(text) and _roman(text) is not None))


def _group_label(text: str) -> str | None:
    """ "II" of "II." / "II. Hoàn thiện thể chế" / "II Hoàn thiện thể chế"."""
    m = _GROUP.fullmatch(text) or _GROUP_TEXT.fullmatch(text)
    return None if m is None else m.group("num") or m.group("roman")


def _roman(text: str) -> int | None:
    num = _group_label(text)
    if num is None:
        return None
    if not re.fullmatch(r"(?:X{0,3})(?:IX|IV|V?I{0,3})|L", num):
        return None
    total = 0
    for i, ch in enumerate(num):
        value = _ROMAN_VALUES[ch]
        total += -value if i + 1 < len(num) and _ROMAN_VALUES[num[i + 1]] > value else value
    return total


# --- rows --------------------------------------------------------------------------------

@dataclass
class _Numbering:
    """The sequence the row labels follow, to tell a row number from a number in a cell."""

    last: tuple[int, ...] | None = None
    roman: int = 0
    letter: str = ""
    after_group: bool = True

    def is_next(self, label: str) -> bool:
        parts = tuple(int(p) for p in label.rstrip(".").split("."))
        if self.last is None or self.after_group:
            if parts[-1] == 1 and (len(parts) == 1 or self.last is None or parts[:-1] == self.last[:len(parts) - 1]):
                return True
        if self.last is None:
            return parts in ((1,), (1, 1))
        nexts = {(*self.last, 1)}
        for i in range(len(self.last)):
            nexts.add((*self.last[:i], self.last[i] + 1))
        return parts in nexts

    def take(self, label: str) -> None:
        self.last = tuple(int(p) for p in label.rstrip(".").split("."))
        self.after_group = False

    def is_next_group(self, text: str) -> bool:
        value = _roman(text)
        if value is not None and value == self.roman + 1:
            return True
        label = _group_label(text)
        if label is None or len(label) != 1 or not label.isalpha():
            return False
        expected = chr(ord(self.letter) + 1) if self.letter else "A"
        return label == expected and self.roman == 0

    def take_group(self, text: str) -> None:
        value = _roman(text)
        if value is not None and value == self.roman + 1:
            self.roman = value
        else:
            self.letter = _group_label(text) or ""
        self.after_group = True


def _matches_header(span: Sequence[_Line], k: int, header: Sequence[str]) -> bool:
    if k + len(header) > len(span):
        return False
    return all(span[k + j].text.casefold() == h for j, h in enumerate(header))


def find_flattened(lines: Sequence[str], furniture: set[int] | None = None) -> list[FlatTable]:
    """Tables flattened one cell per line in ``lines`` (a plain text, split in lines).

    ``furniture`` are the indexes of running heads, page numbers and stamps
    (:func:`~plankg.loaders.blocks.furniture_lines`): skipped inside a table.

    >>> text = ["PHỤ LỤC", "STT", "Nhiệm vụ", "Cơ quan", "chủ trì", "Thời hạn", "1.",
    ...         "Rà soát quy hoạch", "Sở Xây dựng", "Quý II/2026", "2.", "Lập kế hoạch",
    ...         "Sở Tài chính", "Năm 2026"]
    >>> [flat] = find_flattened(text)
    >>> t = flat.table(text)
    >>> [[c.text for c in row] for row in t.rows[1:]]
    [['1.', 'Rà soát quy hoạch', 'Sở Xây dựng', 'Quý II/2026'], ['2.', 'Lập kế hoạch', 'Sở Tài chính', 'Năm 2026']]
    """
    if not any(_opens_number_column(raw) for raw in lines):
        return []  # no line could open a column header (most documents): nothing to rebuild
    furniture = _running_furniture(lines, furniture or set())
    span = [_Line(i, " ".join(raw.split()), raw.strip(), _is_box_end(lines, i))
            for i, raw in enumerate(lines) if raw.strip() and i not in furniture]
    width = _prose_width(span)
    found: list[FlatTable] = []
    k = 0
    while k < len(span):
        header = _read_header(span, k)
        if header is None:
            k += 1
            continue
        table, k = _read_table(lines, span, k, header, width, furniture)
        if table is not None:
            found.append(table)
    return found


_STAMP = re.compile(r"(?i:ký\s+bởi|cơ\s+quan|ngày\s+ký|thời\s+gian\s+ký|email)\s*:")
_DIGITS = re.compile(r"\d+")


def _running_furniture(lines: Sequence[str], furniture: set[int]) -> set[int]:
    """The furniture that really is: the page's running head (the most frequent one), the page
    numbers beside it, and stamps. A table flattened one cell per line has recurring short
    cells ("2026 - 2027") next to bare row numbers ("2") that look like a head and its page
    number; those are cells."""
    keys: dict[str, int] = {}
    for i in furniture:
        text = lines[i].strip()
        if not _DIGITS.fullmatch(text) and not _STAMP.match(text):
            key = _DIGITS.sub("#", text)
            keys[key] = keys.get(key, 0) + 1
    top = max(keys.values(), default=0)
    # A running head has words ("CÔNG BÁO/Số #/Ngày #-#-#"), a cell "2026 - 2027" none.
    heads = {key for key, count in keys.items() if count * 2 >= top and re.search(r"[^\W\d_]{3}", key)}
    kept: set[int] = set()
    for i in sorted(furniture):
        text = lines[i].strip()
        if _STAMP.match(text) or _DIGITS.sub("#", text) in heads:
            kept.add(i)
    for i in sorted(furniture):
        if i not in kept and _DIGITS.fullmatch(lines[i].strip() or "x"):
            near = [j for j in range(max(0, i - 3), i + 4) if j in kept and not _STAMP.match(lines[j].strip())]
            if near:
                kept.add(i)
    # Stamp lines without a "Ký bởi:" of their own follow one that is kept.
    kept.update(i for i in furniture if i not in kept and i - 1 in kept and not _DIGITS.fullmatch(lines[i].strip()))
    return kept


def _is_box_end(lines: Sequence[str], i: int) -> bool:
    """Is line ``i`` followed by a line of spaces (not an empty line: that is a page's end)?"""
    return i + 1 < len(lines) and lines[i + 1] != "" and not lines[i + 1].strip()


def _prose_width(span: Sequence[_Line]) -> int:
    lengths = sorted(len(line.text) for line in span if len(line.text) >= 30)
    return lengths[int(len(lengths) * 0.95)] if len(lengths) >= 20 else 80


def _read_table(lines: Sequence[str], span: Sequence[_Line], start: int, header: list[list[_Line]], prose: int,
                furniture: set[int]) -> tuple[FlatTable | None, int]:
    """Read the table whose header opens at ``span[start]``; return it and where reading goes on."""
    header_texts = [line.text.casefold() for cell in header for line in cell]
    k = start + len(header_texts)
    rows: list[_Row] = []
    numbering = _Numbering()
    repeated: set[int] = set()
    long_line = max(60, int(prose * 0.9))

    def current() -> _Row:
        if not rows:
            rows.append(_Row(None))
        return rows[-1]

    breaks = sorted(furniture)
    while k < len(span):
        line = span[k]
        text = line.text
        if k > start and _page_break_between(breaks, span[k - 1].index, line.index) and rows and rows[-1].parts[-1]:
            rows[-1].parts.append([])  # a row cut by a page break goes on cell by cell
        if _matches_header(span, k, header_texts):
            repeated.update(x.index for x in span[k:k + len(header_texts)])
            k += len(header_texts)
            if rows and rows[-1].parts[-1]:
                rows[-1].parts.append([])
            continue
        if _TABLE_END.match(text) or P.SIGN_AUTHORITY.fullmatch(text) or P.RECIPIENTS.match(text):
            break
        row = rows[-1] if rows else None
        filled = len(row.lines) if row is not None else 0
        m_num = _NUMBER.fullmatch(text) or _NUMBER_TEXT.fullmatch(line.raw)
        if m_num and numbering.is_next(m_num.group("num")) and (
                filled >= 2 or row is None or row.kind != "row" or _is_child(numbering, m_num.group("num"))):
            numbering.take(m_num.group("num"))
            if m_num.re is _NUMBER_TEXT:
                num = m_num.group("num")
                rest = " ".join(m_num.group("text").split())
                rows.append(_Row(_Line(line.index, num), parts=[[_Line(line.index, rest, rest)]]))
            else:
                rows.append(_Row(line))
            k += 1
            continue
        if _BULLET.fullmatch(text) and (row is None or filled >= 1):
            rows.append(_Row(line))
            k += 1
            continue
        if (_GROUP.fullmatch(text) or _GROUP_TEXT.fullmatch(text)) and numbering.is_next_group(text):
            numbering.take_group(text)
            titled = _GROUP_TEXT.fullmatch(text)
            if titled is None:
                rows.append(_Row(line, kind="group"))
            elif titled.group("roman"):
                # "III Nhóm nhiệm vụ ...": without a dot the numeral stands in the number
                # column and the title spans the others; "I. Đổi mới ..." is one cell.
                title = titled.group("title")
                rows.append(_Row(_Line(line.index, titled.group("roman")), kind="group",
                                 parts=[[_Line(line.index, title, title)]]))
            else:
                rows.append(_Row(None, kind="title", parts=[[line]]))
            k += 1
            continue
        if len(text) >= long_line and not (row is not None and row.kind != "row" and len(row.parts) == 1):
            # Prose: the table has ended - unless the header comes back after it (a
            # footnote at the foot of a page, the table going on over the page).
            j = k
            while j < len(span) and len(span[j].text) >= long_line and j - k < 4:
                j += 1
            if j < len(span) and _matches_header(span, j, header_texts):
                k = j  # the footnote stays a paragraph (a leftover line of the span)
                continue
            if j < len(span) and P.search_end(_ENDS_SENTENCE, span[j].text, 2) and not _row_start_shape(span[j].text):
                j += 1  # the paragraph's last line, short
            nxt = _NUMBER.fullmatch(span[j].text) if j < len(span) else None
            if row is not None and row.kind == "row" and nxt is not None and numbering.is_next(nxt.group("num")):
                # A note spanning the row after its number ("Các bộ, cơ quan, địa phương trong
                # đó mô tả ..."), the next row's number after it: the table goes on.
                rows.append(_Row(None, kind="group", parts=[list(span[k:j])]))
                k = j
                continue
            break
        current().parts[-1].append(line)
        k += 1
    if not any(r.label is not None for r in rows):
        return None, start + 1
    end = span[k - 1].index + 1
    roles = [_role(" ".join(x.text for x in cell)) for cell in header[1:]]
    cells = _segment_rows(rows, roles)
    used = {x.index for cell in header for x in cell}
    used.update(x.index for row_cells in cells for cell in row_cells for x in cell)
    first = header[0][0].index
    leftover = tuple(i for i in range(first, end) if lines[i].strip() and i not in used)
    spans = tuple(_span_of(row) for row in rows)
    flat = FlatTable(first, end, tuple(tuple(c) for c in header), tuple(cells), spans, leftover,
                     frozenset(repeated) | frozenset(i for i in leftover if i in furniture))
    return flat, k


def _page_break_between(breaks: Sequence[int], a: int, b: int) -> bool:
    """Is there page furniture (a running head, a page number) between lines ``a`` and ``b``?"""
    i = bisect.bisect_right(breaks, a)
    return i < len(breaks) and breaks[i] < b


def _is_child(numbering: _Numbering, label: str) -> bool:
    parts = tuple(int(p) for p in label.rstrip(".").split("."))
    return numbering.last is not None and parts == (*numbering.last, 1)


def _span_of(row: _Row) -> int:
    if row.kind == "title":
        return 1
    if row.kind == "group":
        return 2
    return 0


# --- cells -------------------------------------------------------------------------------

def _segment_rows(rows: list[_Row], roles: Sequence[str | None]) -> list[tuple[tuple[_Line, ...], ...]]:
    """Cut every row's lines into its cells (one tuple of lines per column); ``roles`` are
    the roles of the columns after the number."""
    n = len(roles)
    widths: list[float | None] = [None] * n
    # Rows whose cells the capitals alone fix teach the columns' widths.
    sure: list[list[list[_Line]]] = []
    for row in rows:
        if row.kind == "row" and len(row.parts) == 1:
            part = row.parts[0]
            starts = [i for i, line in enumerate(part) if i == 0 or not line.lower]
            if len(starts) == n and part:
                bounds = [*starts, len(part)]
                sure.append([part[bounds[j]:bounds[j + 1]] for j in range(n)])
    widths = _widths(sure, n) if len(sure) >= 2 else widths
    for _ in range(2):
        cut = [_segment_row(row, roles, widths) for row in rows]
        learnt = _widths([c for c, row in zip(cut, rows, strict=True) if row.kind == "row"], n)
        widths = [w if w is not None else old for w, old in zip(learnt, widths, strict=True)]
    cut = [_segment_row(row, roles, widths) for row in rows]
    out: list[tuple[tuple[_Line, ...], ...]] = []
    for row, cells in zip(rows, cut, strict=True):
        number = (row.label,) if row.label is not None else ()
        if row.kind == "title":
            out.append(((*row.lines,), *([()] * n)))
        elif row.kind == "group":
            out.append((number, tuple(row.lines), *([()] * (n - 1))))
        else:
            out.append((number, *(tuple(c) for c in cells)))
    return out


def _widths(rows: Sequence[Sequence[Sequence[_Line]]], n: int) -> list[float | None]:
    """Each column's width in characters: the longest lines of its wrapped cells."""
    widths: list[float | None] = []
    for j in range(n):
        tops = sorted(max(len(x.text) for x in row[j]) for row in rows if len(row[j]) >= 2)
        if len(tops) >= 2:
            widths.append(float(tops[min(len(tops) - 1, int(len(tops) * 0.9))]))
        else:
            singles = sorted(len(x.text) for row in rows for x in row[j])
            widths.append(float(singles[int(len(singles) * 0.9)]) if len(singles) >= 3 else None)
    return widths


def _segment_row(row: _Row, roles: Sequence[str | None], widths: Sequence[float | None]) -> list[list[_Line]]:
    n = len(roles)
    if row.kind != "row":
        return [[] for _ in range(n)]
    cells: list[list[_Line]] = [[] for _ in range(n)]
    for p, part in enumerate(row.parts):
        if not part:
            continue
        part = _split_merged(part)
        tails = [c[-1] if c else None for c in cells]
        for j, cell in enumerate(_segment(part, roles, widths, continued=p > 0, tails=tails)):
            cells[j].extend(cell)
    return cells


def _split_merged(part: Sequence[_Line]) -> list[_Line]:
    """Lines that hold two agency cells side by side cut in two pieces (the second ``glued``):
    the cut is a candidate cell boundary; pieces that stay in one cell read as the line did."""
    out: list[_Line] = []
    for k, line in enumerate(part):
        cut = _merged_at(line, part[k + 1].text if k + 1 < len(part) else "")
        if cut is None:
            out.append(line)
            continue
        left, right = line.text[:cut].rstrip(), line.text[cut:].lstrip()
        out.append(_Line(line.index, left, left))
        out.append(_Line(line.index, right, right, line.ends, glued=True))
    return out


def _merged_at(line: _Line, after: str) -> int | None:
    """Where a line holding two cells side by side may be cut, if anywhere: before a second
    agency cell ("Bộ Nông nghiệp và Môi trường Các bộ, cơ quan, địa"), before the deadline
    beside an agency cell ("Các tỉnh, thành phố Nhiệm vụ thường" / "xuyên": ``after`` is the
    next line), before the agency cell
    beside the last line of a task ("theo lộ trình phù hợp Bộ Y tế")."""
    text = line.text
    if line.lower:
        for m in _CAPITAL_AFTER_LOWER.finditer(text):
            mention = match_at(text, m.end())
            if mention is not None and mention.end >= len(text.rstrip(" .")) and not _dangles(text[:m.start()]):
                return m.end()
        return None
    if not _AGENCY_START.match(text):
        return None
    agency = _MERGED_AGENCY.search(text)
    if agency is not None and not _dangles(text[:agency.start()]):
        return agency.end()
    for m in _CAPITAL_AFTER_LOWER.finditer(text):
        left, right = text[:m.start()], text[m.end():]
        if _DEADLINE_START.match(right) and _DEADLINE.search(f"{right} {after}") and not _dangles(left) \
                and not runs_on(left, right):
            return m.end()
    return None


def _segment(part: Sequence[_Line], roles: Sequence[str | None], widths: Sequence[float | None], *,
             continued: bool, tails: Sequence[_Line | None] = ()) -> list[list[_Line]]:
    """The best cut of ``part`` into one cell per column of ``roles``, in order (some may be empty).

    ``tails`` are the last lines of the row's cells before a page break, for the rest of
    the row (``continued``): a line in lower case after the break goes on with a cell cut
    mid-phrase ("Ủy ban nhân dân các" / "tỉnh, thành phố")."""
    n = len(roles)
    m = len(part)
    lengths = [len(x.text) for x in part]
    # Additive costs: a line too wide for a column; a capital inside a cell.
    # A cell box's end inside a cell; prefix sums over the lines but the last of a cell.
    box_ends = [0] * (m + 1)
    for i in range(m):
        box_ends[i + 1] = box_ends[i] + (1 if part[i].ends else 0)
    # An agency name cut at a line break goes on in the next line ("thành phố trực" /
    # "thuộc trung ương", "… cấp tỉnh trình" / "Hội đồng nhân dân"): the break is inside a cell.
    runs = [i > 0 and (runs_on(" ".join(x.text for x in part[max(0, i - 2):i]), " ".join(x.text for x in part[i:i + 3]))
                       or bool(P.search_end(_NEEDS_NUMBER, part[i - 1].text, 6) and _NUMBER_START.match(part[i].text)))
            for i in range(m)]
    # "2. Bộ Tài chính đầu mối" goes on with the list whose "1." came before it.
    items = [False] * m
    for i in range(1, m):
        item = _NUMBERED_ITEM.match(part[i].text)
        if item is not None and int(item.group(1)) > 1:
            previous = f"{int(item.group(1)) - 1}."
            items[i] = any(x.text.startswith(previous + " ") for x in part[:i])
    line_cost = [[0.0] * (m + 1) for _ in range(n)]
    join_cost = [[0.0] * (m + 1) for _ in range(n)]
    for j in range(n):
        w = widths[j]
        for i in range(m):
            cost = 0.0
            if w is not None and lengths[i] > w * 1.15 + 2:
                cost = 3.0 + (lengths[i] - w) / 3
            line_cost[j][i + 1] = line_cost[j][i] + cost
            join = 0.0
            prev = part[i - 1]
            fitted = (i > 0 and w is not None and " " in prev.text
                      and lengths[i - 1] + 1 + len(part[i].word) <= 0.85 * w and not _dangles(prev.text))
            if part[i].glued:
                pass  # one line as extracted: staying together costs nothing
            elif items[i]:
                join = -1.0
            elif runs[i]:
                join = -0.5
            elif i > 0 and roles[j] in ("lead", "support") and prev.text.endswith(";") \
                    and _AGENCY_START.match(part[i].text):
                join = -0.8  # ";" parts the agencies of one cell: "Bộ Giáo dục và Đào tạo;" / "Bộ Y tế"
            elif i > 0 and not part[i].lower:
                join = 0.6
                if fitted:
                    join += 2.5  # the line stopped short although the next word would have fitted
                if P.search_end(_ENDS_SENTENCE, prev.text, 2) and not _CELL_ITEM.match(part[i].text) \
                        and not (roles[j] in ("lead", "support") and prev.text.endswith(";")):
                    join += 1.0  # (";" parts the agencies of one cell: "Bộ Nội vụ;" / "Bộ Y tế")
                if _dangles(prev.text):
                    join -= 0.5
            elif fitted and continued:
                # After a page break a cell's rest starts in lower case: a line stopped short
                # ends the cell before it, whatever the case of the next.
                join = 1.5
            join_cost[j][i + 1] = join_cost[j][i] + join

    # The DP below asks for every (column, first line, end) span: what depends on the end is
    # summed from prefix sums, the rest is worked out once per column and first line (and
    # per end only while a cell's few opening lines are read). The adjustments are applied
    # in the same order as ever, so every score is the same float.
    starts: dict[tuple[int, int], list[float]] = {}
    openings: dict[tuple[int, int, int], float | None] = {}

    def start_terms(j: int, a: int) -> list[float]:
        terms: list[float] = []
        first = part[a]
        tail = tails[j] if j < len(tails) else None
        if continued and first.lower and tails:
            # The rest of a row cut by a page break goes on with the cell that was cut.
            if tail is None:
                terms.append(-3.0)
            elif _dangles(tail.text) or runs_on(tail.text, " ".join(x.text for x in part[a:a + 3])):
                terms.append(1.5)
            elif P.search_end(_ENDS_SENTENCE, tail.text, 2) or j > 0:
                terms.append(-1.0)
        elif first.lower and (a > 0 or j > 0 or not continued):
            # A cell starts with a capital; the rest of a row cut by a page break goes on
            # with the first cell that was cut.
            terms.append(-(1.0 if continued else 5.0))
        if part[a].glued:
            terms.append(-1.5)  # a cell boundary inside an extracted line needs its content to show it
        if a > 0:
            prev = part[a - 1].text
            if _dangles(prev) or re.search(r"\w-$", prev) or runs[a]:
                terms.append(-2.0)
        return terms

    def opening_term(j: int, a: int, b: int) -> float | None:
        role = roles[j]
        if role == "deadline" and not continued:
            text = " ".join(x.text for x in part[a:b]) if b - a <= 6 else ""
            if text and len(text) <= 60 and _DEADLINE_START.match(text) and _DEADLINE.search(text):
                return 2.0
            return -1.5
        if role in ("lead", "support") and not continued:
            # "Các" / "Bộ," wrapped word by word in a narrow column: read the cell's opening words.
            opening = " ".join(x.text for x in part[a:min(b, a + 3)])
            return 1.0 if _AGENCY_START.match(opening) else -1.0
        if role in ("task", "product") and b - a <= 3 and not continued:
            text = " ".join(x.text for x in part[a:b])
            if len(text) <= 40 and _DEADLINE_START.match(text) and _DEADLINE.search(text):
                return -1.0
        return None

    def cell_score(j: int, a: int, b: int) -> float:
        if a == b:
            if continued:
                return -0.3
            return -1.2 if a > 0 and part[a - 1].ends else -3.0
        score = -(line_cost[j][b] - line_cost[j][a]) - (join_cost[j][b] - join_cost[j][a + 1])
        score -= 2.5 * (box_ends[b - 1] - box_ends[a])
        terms = starts.get((j, a))
        if terms is None:
            terms = starts[(j, a)] = start_terms(j, a)
        for term in terms:
            score += term
        # Past its opening lines (6 for a deadline, 3 for an agency or a task) a cell's
        # opening term no longer depends on where it ends.
        key = (j, a, min(b, a + 7))
        if key not in openings:
            openings[key] = opening_term(j, a, b)
        found = openings[key]
        if found is not None:
            score += found
        return score

    neg = float("-inf")
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for j in range(n):
        for a in range(m + 1):
            if best[j][a] == neg:
                continue
            for b in range(a, m + 1):
                if j == n - 1 and b != m:
                    continue
                score = best[j][a] + cell_score(j, a, b)
                if score > best[j + 1][b]:
                    best[j + 1][b] = score
                    back[j + 1][b] = a
    cells: list[list[_Line]] = []
    b = m
    for j in range(n, 0, -1):
        a = back[j][b]
        cells.append(list(part[a:b]))
        b = a
    return cells[::-1]

