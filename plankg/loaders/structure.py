"""Stage 2 of parsing: logical lines -> the document's section tree.

Numbering styles are not ranked in advance: the first style met opens a level and a
style already open closes everything below it (the usual way legal-document parsers
handle "I. / 1. / 1.1. / a) / - / +" and their many local variants). Unlabelled
lines are paragraphs of the item above them.

Some items are not content but metadata of their group, and are marked so:
"Phân công nhiệm vụ" blocks and their "Cơ quan chủ trì: …" lines (``assign``), a
"Cơ quan chủ trì" heading over a list of agencies (``assign_list``, its list items
``assign_value``), "Nội dung:" headers (``content``).

Assignment tables (biểu phân công, phụ lục) are read by their header words, in any
column order: data rows become ``row`` nodes with their cells in ``fields``, group rows
("I. Cải cách thể chế" spanning the table) become ``group`` nodes over them; header rows
(repeated at page breaks too) stay paragraphs of the item the table stands in. An appendix ("PHỤ LỤC", "Phụ lục II")
opens a top-level ``appendix`` node, so a task of its table has a path like
``("PL", "I", "r3")``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from plankg.loaders import agencies
from plankg.loaders import patterns as P
from plankg.loaders.clean import Line
from plankg.model import Part

# "Cơ quan chủ trì: …" / "Cơ quan phối hợp: …" / "Thời gian hoàn thành: Năm 2026" / "Sản phẩm: …"
# / "Đơn vị chủ trì thực hiện: Sở Nội vụ" / "Cơ quan, đơn vị chủ trì: …" / "Trách nhiệm thực hiện: …"
ASSIGN_FIELD = re.compile(
    r"(?P<field>(?i:(?:cơ\s+quan|đơn\s+vị)(?:\s*,\s*(?:cơ\s+quan|đơn\s+vị|địa\s+phương))*\s+"
    r"(?:chủ\s+trì|thực\s+hiện|phối\s+hợp)(?:\s+thực\s+hiện)?"
    r"|chủ\s+trì(?:\s+thực\s+hiện)?|phối\s+hợp(?:\s+thực\s+hiện)?|trách\s+nhiệm\s+thực\s+hiện"
    r"|thời\s+(?:gian|hạn)(?:\s+(?:hoàn\s+thành|thực\s+hiện))?|tiến\s+độ(?:\s+(?:thực\s+hiện|hoàn\s+thành))?"
    r"|sản\s+phẩm(?:\s+(?:đầu\s+ra|hoàn\s+thành))?))\s*:\s*"
)
# "Kết quả: Quyết định của Thủ tướng Chính phủ phê duyệt Đề án." / "Hình thức văn bản: Nghị định":
# a product only beside other assignment fields (elsewhere "Kết quả:" reports results).
PRODUCT_FIELD = re.compile(
    r"(?P<field>(?i:kết\s+quả(?:\s+(?:đầu\s+ra|thực\s+hiện|dự\s+kiến))?|hình\s+thức\s+(?:văn\s+bản|sản\s+phẩm)))"
    r"\s*:\s*"
)
# A heading over a list of agencies (252/KH-BCĐQG1237): "2. Cơ quan chủ trì, phối hợp" / "a) Cơ quan chủ trì"
# / "b) Cơ quan phối hợp" / "2. Chủ trì thực hiện" / "2. Cơ quan chủ trì, thực hiện".
ASSIGN_HEADING = re.compile(
    r"(?i:(?:(?:cơ\s+quan|đơn\s+vị)\s+)?(?:chủ\s+trì|phối\s+hợp|thực\s+hiện)"
    r"(?:\s*(?:,|và)\s*(?:phối\s+hợp|thực\s+hiện))?(?:\s+thực\s+hiện)?)\s*:?"
)
# "1.1.2. Phân công nhiệm vụ" / "2.2. Phân công nhiệm vụ thực hiện:" / "1.2.2. Phân công trách nhiệm"
ASSIGN_BLOCK = re.compile(r"(?i:phân\s+công)(?:\s+\S+){0,5}\s*:?\s*$")
# "1.1.1. Nội dung: Xác định việc rà soát …" / "3.1. Nội dung" / "1. Tên nhiệm vụ: Xây dựng Đề án …"
CONTENT_BLOCK = re.compile(
    r"(?i:nội\s+dung(?:\s+(?:thực\s+hiện|chủ\s+yếu))?|tên\s+nhiệm\s+vụ(?:\s+cụ\s+thể)?)\s*:?\s*")
# A "Nội dung" header: alone ("3.1. Nội dung"), or a label before its text ("Nội dung: Xác định …").
CONTENT_HEADER = re.compile(r"(?i:nội\s+dung(?:\s+\S+)?|tên\s+nhiệm\s+vụ(?:\s+cụ\s+thể)?)\s*(?::|$)")
# "PHỤ LỤC" / "Phụ lục I" / "PHỤ LỤC II: ĐỀ CƯƠNG BÁO CÁO" / "Phụ lục số 01"; what follows on the
# line must be a capitals title or a parenthesis, so "Phụ lục kèm theo Kế hoạch này …" is text.
APPENDIX = re.compile(
    r"(?:PHỤ\s+LỤC|Phụ\s+lục)(?:\s+(?:[Ss]ố\s+)?(?P<num>[IVXL]+|\d{1,2})\b)?\s*[.:\-–]?\s*(?P<rest>.*)"
)
# Words of an appendix title that make its numbered items tasks.
_APPENDIX_TASKS = re.compile(r"(?i:nhiệm\s+vụ|phân\s+công|giải\s+pháp|công\s+việc|chương\s+trình|đề\s+án)")

# Column headers of an assignment table ("biểu phân công nhiệm vụ"), matched whole, in
# this order, whatever the column order and case ("CƠ QUAN CHỦ TRÌ"):
# "| STT | Nhiệm vụ | Sản phẩm | Thời gian hoàn thành | Chủ trì thực hiện | Phối hợp thực hiện |
#   Theo dõi, kiểm tra, đôn đốc |"
# "| TT | Tên nhiệm vụ cụ thể | Cơ quan chủ trì | Cơ quan phối hợp | Kết quả | Thời gian hoàn thành |"
# "| TT | Nội dung | Trách nhiệm thực hiện | Thời gian (Năm 2026) |"
TABLE_COLUMNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("number", re.compile(r"(?i:stt|tt|số\s+tt|số\s+thứ\s+tự|thứ\s+tự)\.?")),
    ("lead", re.compile(
        r"(?i:.*chủ\s+trì.*|.*(?:cơ\s+quan|đơn\s+vị)\s+thực\s+hiện.*|trách\s+nhiệm(?:\s+thực\s+hiện)?"
        r"|(?:cơ\s+quan|đơn\s+vị)(?:\s+được\s+giao(?:\s+nhiệm\s+vụ)?)?)")),
    ("support", re.compile(r"(?i:.*phối\s+hợp.*)")),
    ("deadline", re.compile(
        r"(?i:.*(?:thời\s+gian|thời\s+hạn|tiến\s+độ|thời\s+điểm|lộ\s+trình).*|năm\s+hoàn\s+thành)")),
    ("product", re.compile(r"(?i:(?:dự\s+kiến\s+)?(?:sản\s+phẩm|kết\s+quả|hình\s+thức(?:\s+văn\s+bản)?).*)")),
    ("monitor", re.compile(r"(?i:(?:cơ\s+quan\s+)?(?:theo\s+dõi|đôn\s+đốc|giám\s+sát).*)")),
    ("task", re.compile(
        r"(?i:.*(?:nhiệm\s+vụ|nội\s+dung|công\s+việc|giải\s+pháp|đề\s+án|hoạt\s+động|chương\s+trình"
        r"|dự\s+án|tên\s+văn\s+bản).*)")),
    ("note", re.compile(r"(?i:ghi\s+chú|kinh\s+phí.*|nguồn\s+(?:vốn|kinh\s+phí).*|dự\s+toán.*|căn\s+cứ.*)")),
)
# Header cells that name no column role but still mark a header row: "Phân công", "Đơn vị".
# "CẤP TRÌNH/ PHÊ DUYỆT", "Cấp ban hành": the level a product goes to.
_HEADER_WORDS = re.compile(
    r"(?i:phân\s+công.*|.*thực\s+hiện|đơn\s+vị\s+tính|số\s+lượng|năm|cấp\s+\S+"
    r"|cấp\s+(?:trình|phê\s+duyệt|ban\s+hành|quyết\s+định)(?:\s*[/,]\s*\S+(?:\s+\S+)?)?)")
# Roles that carry an assignment: a row with none of them is a group row or a continuation.
_ASSIGN_ROLES = ("lead", "support", "deadline", "product")
# "(1) | (2) | (3)": the row numbering the columns under a header.
_COLUMN_NUMBER = re.compile(r"\(?\d{1,2}\)?")
# A row label written in the task cell when the table has no number column: "I. Đổi mới …",
# "A. Nhiệm vụ chung", "1. Nhóm nhiệm vụ …", "1.1 Rà soát …", "a) …".
_ROW_LABEL = re.compile(
    r"(?P<label>\d{1,2}(?:\.\d{1,2})+)\.?\s+(?=\S)"
    r"|(?P<short>[IVX]{1,4}|[A-ZĐ]|\d{1,3}|[a-zđ])\s*[.)]\s+(?=\S)"
)
# A year in a deadline header, for cells that omit it: "Thời gian (Năm 2026)".
_HEADER_YEAR = re.compile(r"(?<![\d\-–])((?:19|20)\d{2})(?![\d\-–])")
_ROMAN_NUMERAL = re.compile(r"(?:X{0,3})(?:IX|IV|V?I{0,3})")
_CELL_BAR = re.compile(r"\s*\|\s*")
# What a number cell holds: "1", "1.2", "II", "A", "a)", "(3)", or nothing.
_ROW_NUMBER = re.compile(r"\(?[\w.]{0,8}[.)]?")
# How many short unlabelled lines (page furniture) a table may be interrupted by.
_TABLE_GAP = 3

# Heading keywords that set the part of a subtree (matched at the start of a heading).
_PART_KEYWORDS: tuple[tuple[re.Pattern[str], Part], ...] = (
    (re.compile(r"(?i:(?:các\s+)?(?:mục\s+tiêu|chỉ\s+tiêu)|một\s+số\s+mục\s+tiêu)"), Part.OBJECTIVES),
    (re.compile(r"(?i:mục\s+đích|yêu\s+cầu|quan\s+điểm)"), Part.PURPOSE),
    (re.compile(r"(?i:tổ\s+chức\s+thực\s+hiện)"), Part.ORGANISATION),
    (re.compile(r"(?i:(?:các\s+)?(?:nhiệm\s+vụ|giải\s+pháp)|nội\s+dung|phân\s+công)"), Part.TASKS),
    (re.compile(r"(?i:căn\s+cứ)"), Part.PREAMBLE),
)


@dataclass(eq=False)
class Node:
    """A node of the tree; ``text`` is the item's first line without its label."""

    style: str
    label: str
    text: str
    lines: list[int]
    parent: Node | None = None
    body: list[Line] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    path: tuple[str, ...] = ()
    part: Part = Part.OTHER
    # root | item | para | assign | assign_block | assign_list | assign_value | content
    # | appendix | group | row
    kind: str = "item"
    fields: dict[str, str] = field(default_factory=dict)  # cells of a table row, by column role
    year: int | None = None  # the year a table header gives dates written without one

    @property
    def full_text(self) -> str:
        return " ".join([self.text, *(b.text for b in self.body)]).strip()

    @property
    def all_lines(self) -> list[int]:
        return [*self.lines, *(n for b in self.body for n in b.lines)]

    def walk(self) -> Iterator[Node]:
        """This node and its descendants in document order (iterative: trees can be deep)."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


def build_tree(lines: list[Line], *, default_part: Part = Part.TASKS) -> Node:
    """Build the section tree of the document body.

    >>> from plankg.loaders.clean import clean_text
    >>> text = "I. NHIỆM VỤ\\n1. Quy hoạch\\na) Rà soát\\n- Lập\\nb) Đầu tư\\nII. TỔ CHỨC THỰC HIỆN"
    >>> for node in list(build_tree(clean_text(text)).walk())[1:]:
    ...     print("/".join(node.path), node.part.value)
    I tasks
    I/1 tasks
    I/1/a tasks
    I/1/a/-1 tasks
    I/1/b tasks
    II organisation
    """
    lines = _split_stray_letters(_join_bare_labels(lines))
    root = Node("root", "", "", [], part=default_part, kind="root")
    stack: list[Node] = [root]
    has_labels = any(not line.table and P.match_label(line.text) for line in lines)
    table: _Table | None = None
    gap = 0
    for i, line in enumerate(lines):
        # A row with two cells ("I | Cải cách thể chế", a merged cell shown once) may reach us
        # as a plain line: within a table, a line with a cell bar is a row.
        if line.table or (table is not None and " | " in line.text):
            gap = 0
            table = _read_table_row(table, line, stack[-1])
            continue
        if table is not None and table.complete() and _is_merged_row(line, lines[i + 1:i + 2]):
            # A group row merged across the whole table, rendered as one cell: "II. Cải cách
            # tổ chức bộ máy" between two rows of the table.
            table.candidate, table.data = False, True
            _read_data_row(table, [line.text] * max(len(h) for h in table.headers), line)
            continue
        if table is not None:
            # Page furniture inside a table ("CÔNG BÁO/Số 238", "94") does not end it.
            gap += 1
            if table.candidate:
                table = None
            elif gap > _TABLE_GAP or len(line.text) > 60 or P.match_label(line.text) or _is_appendix(line.text):
                table = None
        if _is_recipients(line.text):
            # "Nơi nhận:" left in the body (a letter whose recipient list is laid out before
            # its signature): the list below is no part of the item above it.
            del stack[1:]
            node = Node("recipients", "NN", line.text, list(line.lines), parent=root, kind="recipients")
            root.children.append(node)
            stack.append(node)
            continue
        if stack[-1].kind == "recipients" and not _is_appendix(line.text):
            stack[-1].body.append(line)
            continue
        if _is_appendix(line.text):
            del stack[1:]
            node = Node("appendix", _appendix_label(line.text), line.text, list(line.lines), parent=root,
                        kind="appendix")
            root.children.append(node)
            stack.append(node)
            continue
        label = P.match_label(line.text) or _stray_letter(line.text, stack)
        appendix = stack[1] if len(stack) > 1 and stack[1].kind == "appendix" else None
        if label is None and appendix is not None and stack[-1] is appendix and not appendix.children:
            # The appendix title: "PHÂN CÔNG THỰC HIỆN NHIỆM VỤ …", "(Kèm theo Kế hoạch số …)".
            appendix.body.append(line)
            continue
        if label is None and has_labels and P.is_upper_heading(line.text) and len(line.text) < 150:
            # An unnumbered capitals heading ("NHIỆM VỤ VÀ GIẢI PHÁP") opens a top-level part
            # (within an appendix, a part of the appendix).
            top = appendix or root
            del stack[stack.index(top) + 1:]
            node = Node("caps", "", line.text, list(line.lines), parent=top)
            top.children.append(node)
            stack.append(node)
            continue
        if label is None:
            if not has_labels:
                # A document without numbering: every paragraph is an item of its own.
                node = Node("para", "", line.text, list(line.lines), parent=root, kind="para")
                root.children.append(node)
                continue
            stack[-1].body.append(line)
            continue
        style, text_label, rest = label
        rest = rest.strip()
        open_styles = [n.style for n in stack]
        if style in P.BULLET_STYLES and is_field(rest):
            # "- Đơn vị chủ trì thực hiện: Sở Nội vụ." belongs to the item just above it: it
            # continues a bullet list of that item, or starts one; a bullet list left open
            # further up ("Kính gửi: - …") is not its list.
            same = max((i for i, s in enumerate(open_styles) if s == style), default=None)
            if same is not None and all(s in P.BULLET_STYLES for s in open_styles[same + 1:]):
                del stack[same:]
        elif style in open_styles:
            del stack[open_styles.index(style):]
        elif style not in P.BULLET_STYLES:
            # A numbered item never belongs to a bullet: "1. Hoàn thiện …" after "Kính gửi:
            # - Các sở, …" or after a "Nơi nhận" list starts a new level above them.
            while len(stack) > 1 and stack[-1].style in P.BULLET_STYLES:
                stack.pop()
        node = Node(style, text_label, rest, list(line.lines), parent=stack[-1])
        stack[-1].children.append(node)
        stack.append(node)
    _assign_paths(root)
    _assign_parts(root, default_part)
    _mark_meta(root)
    return root


# "f) Sở Tài chính:": a letter the Vietnamese alphabet lacks (f, j, w, z), used by a writer who
# letters items as the Latin alphabet does.
_STRAY_LETTER = re.compile(r"(?P<label>[fjwz])\)\s+(?=\S)")


def _stray_letter(text: str, stack: list[Node]) -> tuple[str, str, str] | None:
    """A label of a letter the alphabet lacks, taken as one only among lettered items
    ("e) …", "g) …", then "f) Sở Tài chính:").

    >>> _stray_letter("f) Sở Tài chính:", [Node("letter", "g", "Sở Xây dựng", [])])
    ('letter', 'f', 'Sở Tài chính:')
    >>> _stray_letter("f) Sở Tài chính:", [Node("arabic", "1", "Sở Xây dựng", [])]) is None
    True
    """
    m = _STRAY_LETTER.match(text)
    if m is None or not any(n.style == "letter" for n in stack):
        return None
    return "letter", m.group("label"), text[m.end():]


# "… (còn gọi là đất Nông trường Tỉnh ủy). f) Sở Tài chính:": a stray letter joined to the line
# above (its lower-case start read as the rest of a sentence), cut off again.
_GLUED_STRAY_LETTER = re.compile(r"(?<=[.;:])\s+(?=[fjwz]\)\s+[A-ZĐÀ-Ỹ])")


def _split_stray_letters(lines: list[Line]) -> list[Line]:
    """Lines with a stray letter label glued to their end cut before it, in a document whose
    items are lettered."""
    if not any(_is_lettered(line) for line in lines):
        return lines
    out: list[Line] = []
    for line in lines:
        cut = None if line.table or len(line.lines) < 2 else _GLUED_STRAY_LETTER.search(line.text)
        if cut is None:
            out.append(line)
            continue
        out.append(Line(line.text[:cut.start()], line.lines[:-1], line.blank_before))
        out.append(Line(line.text[cut.end():], line.lines[-1:]))
    return out


def _is_lettered(line: Line) -> bool:
    label = None if line.table else P.match_label(line.text)
    return label is not None and label[0] == "letter"


# A dotted label alone on its line, its text on the next one ("1.4." / "Xây dựng kế hoạch …").
# (A bare "1." or "I." is as often a cell of a table flattened one cell per line.)
_BARE_LABEL = re.compile(r"\d{1,2}(?:\.\d{1,2})+\.?")


def _join_bare_labels(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev is not None and not prev.table and not line.table and _BARE_LABEL.fullmatch(prev.text) \
                and P.match_label(f"{prev.text} {line.text}"):
            out[-1] = Line(f"{prev.text} {line.text}", [*prev.lines, *line.lines], prev.blank_before)
        else:
            out.append(line)
    return out


def _is_merged_row(line: Line, following: list[Line]) -> bool:
    """Whether a plain line between two rows of a table is a group row merged across it.

    A group title may run long ("IV. Tăng cường, nâng cao năng lực cho các cơ quan quản lý
    nhà nước … bảo đảm quản lý, sử dụng quỹ bảo hiểm y tế hiệu quả, cân đối"): a labelled one
    may take two printed lines.
    """
    if not following or not following[0].table:
        return False
    label = P.match_label(line.text)
    limit = 400 if label is not None and label[0] in ("roman", "arabic", "dotted2") else 200
    if len(line.text) > limit:
        return False
    return not _is_header_like([c.strip() for c in _CELL_BAR.split(following[0].text)])


def is_field(text: str) -> bool:
    """Whether ``text`` opens with an assignment field ("Cơ quan chủ trì: …", "Kết quả: …").

    >>> is_field("Thời gian hoàn thành: Trong tháng 8/2025."), is_field("Thời gian qua, tỉnh đã …")
    (True, False)
    """
    return bool(ASSIGN_FIELD.match(text) or PRODUCT_FIELD.match(text))


def _is_recipients(text: str) -> bool:
    """ "Nơi nhận:" on a line of its own."""
    return P.RECIPIENTS.fullmatch(text.strip()) is not None


def _is_appendix(text: str) -> bool:
    m = APPENDIX.fullmatch(text)
    if m is None or len(text) > 200:
        return False
    rest = m.group("rest").strip()
    return not rest or rest.startswith("(") or P.is_upper_heading(rest)


def _appendix_label(text: str) -> str:
    """ "PHỤ LỤC" -> "PL"; "Phụ lục II" -> "PL2"; "Phụ lục số 01" -> "PL1"."""
    m = APPENDIX.fullmatch(text)
    num = m.group("num") if m else None
    if not num:
        return "PL"
    if num.isdigit():
        return f"PL{int(num)}"
    values = {"I": 1, "V": 5, "X": 10, "L": 50}
    total = 0
    for i, ch in enumerate(num):
        value = values[ch]
        total += -value if i + 1 < len(num) and values[num[i + 1]] > value else value
    return f"PL{total}"


# --- assignment tables -------------------------------------------------------------

@dataclass(eq=False)
class _Table:
    """An assignment table being read: its header, open group rows and last data row.

    A table is a ``candidate`` from its first header-like row until a data row shows
    whether its header names a task column and a lead or deadline column. Header rows
    stay paragraphs of the item the table stands in, as the lines of other tables do.
    """

    container: Node
    headers: list[list[str]]
    columns: dict[int, str]
    year: int | None
    candidate: bool = True
    data: bool = False
    groups: list[tuple[str, Node]] = field(default_factory=list)
    last: Node | None = None
    last_style: str | None = None
    last_cells: list[str] = field(default_factory=list)
    pending: tuple[str, Node] | None = None  # a labelled row with no assignment yet
    rows: int = 0

    def complete(self) -> bool:
        """Whether the header names a task column and a lead or deadline column."""
        found = set(self.columns.values())
        return "task" in found and bool(found & {"lead", "deadline"})

    def fields(self, cells: list[str]) -> dict[str, str]:
        """Cells by column role; cells of a column without a role are kept under "other"
        (a "Căn cứ" or "Ghi chú" column the reader does not know still names documents)."""
        values: dict[str, list[str]] = {}
        for i, cell in enumerate(cells):
            role = self.columns.get(i, "other")
            if cell and cell not in values.setdefault(role, []):
                values[role].append(cell)
        return {role: "; ".join(v) for role, v in values.items() if v}

    def parent(self, style: str | None) -> Node:
        """The node a row of label style ``style`` goes under (closing groups of that style)."""
        styles = [s for s, _ in self.groups]
        if style is not None and style in styles:
            del self.groups[styles.index(style):]
        return self.groups[-1][1] if self.groups else self.container


def _read_table_row(table: _Table | None, line: Line, container: Node) -> _Table | None:
    """Read one table row into the tree; return the table state after it."""
    # Cells are joined by " | "; a stage that strips the line leaves "| pháp luật. | …" for a
    # row whose first cell is empty, so split on the bar, not on the spaced bar.
    cells = [c.strip() for c in _CELL_BAR.split(line.text)]
    if table is not None and (_same_cells(cells, table.headers) or _is_numbering(cells)):
        container.body.append(line)  # a header repeated at a page break, a column-number row
        return table
    if _is_header_like(cells):
        if table is not None and not table.data:
            # The second row of a two-row header: "Chủ trì" | "Phối hợp" under "Cơ quan thực hiện".
            table.headers.append(cells)
            container.body.append(line)
            table.columns = header_roles(table.headers)
            table.year = table.year or _header_year(cells, table.columns)
            return table
        container.body.append(line)
        columns = header_roles([cells])
        return _Table(container, [cells], columns, _header_year(cells, columns))
    if table is None:
        container.body.append(line)
        return None
    if table.candidate:
        if not table.complete():
            container.body.append(line)  # a list of communes, a schedule of visits: not tasks
            return None
        table.candidate = False
    table.data = True
    width = max(len(h) for h in table.headers)
    if len(cells) == width - 1 and table.columns.get(0) == "number" and not _ROW_NUMBER.fullmatch(cells[0]):
        cells = ["", *cells]  # a row whose empty number cell was stripped with its bar
    _read_data_row(table, cells, line)
    return table


def _read_data_row(table: _Table, cells: list[str], line: Line) -> None:
    nonempty = [c for c in cells if c]
    if not nonempty:
        table.container.body.append(line)
        return
    fields = table.fields(cells)
    number = fields.get("number", "")
    task = fields.get("task", "")
    assigns = any(fields.get(r) for r in _ASSIGN_ROLES)
    # A group row merged across the table: the same text in every cell (but the number).
    merged = task != "" and sum(c == task for c in cells) >= 2 and all(c in (task, number) for c in nonempty)
    label, style, text = _row_label(number, task or ("" if assigns else nonempty[0]))
    if merged:
        _open_group(table, label, style, text, line)
    elif not assigns:
        # Text in the number and task cells only: a group row ("I | Cải cách thể chế"), a row
        # that may turn out to be one ("1 | Nhóm nhiệm vụ …" over "1.1"), or the rest of a
        # row cut by a page break.
        if style in ("roman", "upper"):
            _open_group(table, label, style, text, line)
        elif label:
            _add_row(table, label, style, text, fields, cells, line, assigns=False)
        elif table.last is not None and not P.is_upper_heading(text):
            _continue_row(table, cells, line)
        else:
            _open_group(table, "", "unlabelled", text, line)
    elif not number and not label and table.last is not None and _continues(cells, fields):
        _continue_row(table, cells, line)
    elif not task and table.last is not None:
        # A sub-row of a task cell merged down and written once ("| | Kế hoạch tự kiểm tra | …").
        _add_row(table, table.last.label, table.last_style, table.last.text, fields, cells, line, assigns=True)
    else:
        _add_row(table, label, style, text, fields, cells, line, assigns=True)


def _continues(cells: list[str], fields: dict[str, str]) -> bool:
    """Whether an unnumbered row continues the one above (its cells start in lower case)."""
    first = fields.get("task") or next((c for c in cells if c), "")
    return first[:1].islower()


def _open_group(table: _Table, label: str, style: str | None, text: str, line: Line) -> None:
    table.pending = None
    parent = table.parent(style)
    node = Node("tgroup", label, text, list(line.lines), parent=parent, kind="group")
    parent.children.append(node)
    table.groups.append((style or "unlabelled", node))
    table.last = None


def _add_row(table: _Table, label: str, style: str | None, text: str, fields: dict[str, str],
             cells: list[str], line: Line, *, assigns: bool) -> None:
    if table.pending is not None:
        if style is not None and style != table.pending[0] and style not in (s for s, _ in table.groups):
            _promote(table)  # "1 | Nhóm nhiệm vụ …" over "1.1", "1.2": the row was a group
        table.pending = None
    parent = table.parent(style)
    table.rows += 1
    node = Node("row", label or str(table.rows), text, list(line.lines), parent=parent, kind="row",
                fields=fields, year=table.year)
    parent.children.append(node)
    table.last, table.last_style, table.last_cells = node, style, list(cells)
    if not assigns and style is not None:
        table.pending = (style, node)


def _promote(table: _Table) -> None:
    """Make the pending row a group: the rows after it are numbered one level deeper."""
    assert table.pending is not None
    style, node = table.pending
    node.kind, node.style, node.fields = "group", "tgroup", {}
    table.groups.append((style, node))
    table.pending = None


def _continue_row(table: _Table, cells: list[str], line: Line) -> None:
    """Join a row's rest, cut by a page break, into the row above, cell by cell."""
    last = table.last
    assert last is not None
    merged = list(table.last_cells) + [""] * max(0, len(cells) - len(table.last_cells))
    for i, cell in enumerate(cells):
        if cell:
            merged[i] = f"{merged[i]} {cell}".strip()
    table.last_cells = merged
    fields = table.fields(merged)
    last.fields = fields
    last.text = fields.get("task", last.text)
    last.lines.extend(line.lines)


def _row_label(number: str, text: str) -> tuple[str, str | None, str]:
    """(label, label style, text) of a row: the number cell, else a label opening the text."""
    number = number.strip().rstrip(".)")
    if number and re.fullmatch(r"[\w.]{1,8}", number):
        number = re.sub(r"(?<![\d])0+(?=\d)", "", number)  # "09" -> "9", "1.05" -> "1.5"
        return number, _label_style(number), text
    if number and not text:
        text = number
    m = _ROW_LABEL.match(text)
    if m is None:
        return "", None, text
    label = m.group("label") or m.group("short")
    return label, _label_style(label), text[m.end():].strip()


def _label_style(label: str) -> str | None:
    """ "I" -> roman, "A" -> upper, "3" -> arabic, "1.2" -> dotted2, "a" -> lower."""
    if _ROMAN_NUMERAL.fullmatch(label) and label:
        return "roman"
    if re.fullmatch(r"[A-ZĐ]", label):
        return "upper"
    if label.isdigit():
        return "arabic"
    if re.fullmatch(r"\d{1,3}(?:\.\d{1,3})+", label):
        return f"dotted{label.count('.') + 1}"
    if re.fullmatch(r"[a-zđ]", label):
        return "lower"
    return None


def _same_cells(cells: list[str], headers: list[list[str]]) -> bool:
    key = [_fold_cell(c) for c in cells]
    return any(key == [_fold_cell(c) for c in h] for h in headers)


def _fold_cell(cell: str) -> str:
    return " ".join(cell.split()).casefold()


def _is_numbering(cells: list[str]) -> bool:
    """ "(1) | (2) | (3) | (4)": the row numbering the columns."""
    nonempty = [c for c in cells if c]
    if len(nonempty) < 3 or not all(_COLUMN_NUMBER.fullmatch(c) for c in nonempty):
        return False
    numbers = [int(c.strip("()")) for c in nonempty]
    return numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def _is_header_like(cells: list[str]) -> bool:
    """Whether every filled cell is a column header word ("Cơ quan chủ trì", "Phân công")."""
    nonempty = [c for c in cells if c]
    if len(nonempty) < 2 or any(len(c) > 60 for c in nonempty):
        return False
    roles = [_cell_role(c) for c in nonempty]
    if not any(r in ("task", *_ASSIGN_ROLES) for r in roles):
        return False
    unknown = sum(1 for r, c in zip(roles, nonempty, strict=True)
                  if r is None and not _HEADER_WORDS.fullmatch(_clean_header(c)))
    # A header names every column; one column of its own ("Cấp trình", "Ghi chú thêm") is
    # allowed beside a number, task, lead and support column.
    return unknown == 0 or (unknown == 1 and {"number", "task", "lead", "support"} <= set(roles))


def _clean_header(cell: str) -> str:
    # "Thời gian hoàn thành (4)" / "Cơ quan chủ trì*": column numbers and marks are not words.
    return re.sub(r"\s*\(\d{1,2}\)$", "", " ".join(cell.split())).strip(" :*")


def _cell_role(cell: str) -> str | None:
    text = _clean_header(cell)
    for role, rx in TABLE_COLUMNS:
        if rx.fullmatch(text):
            return role
    return None


def header_roles(rows: list[list[str]]) -> dict[int, str]:
    """Column roles from one or more header rows; a lower row refines the one above it.

    A merged cell over two columns ("Cơ quan thực hiện") is repeated in each column it
    covers; the row below names them ("Chủ trì" | "Phối hợp").

    >>> header_roles([["TT", "Nội dung", "Cơ quan thực hiện", "Cơ quan thực hiện", "Thời gian"],
    ...               ["TT", "Nội dung", "Chủ trì", "Phối hợp", "Thời gian"]])
    {0: 'number', 1: 'task', 2: 'lead', 3: 'support', 4: 'deadline'}
    """
    roles: dict[int, str] = {}
    for row in rows:
        for i, cell in enumerate(row):
            role = _cell_role(cell) if cell else None
            if role is not None:
                roles[i] = role
    return dict(sorted(roles.items()))


def _header_year(cells: list[str], columns: dict[int, str]) -> int | None:
    for i, cell in enumerate(cells):
        if columns.get(i) == "deadline":
            years = _HEADER_YEAR.findall(cell)
            if len(years) == 1:
                return int(years[0])
    return None


def table_header(cells: list[str]) -> dict[int, str] | None:
    """Column roles of an assignment-table header row, or None when it is not one.

    An assignment table has a task column and a lead or deadline column; a list of
    communes ("STT | Đơn vị | Phân loại") is not one.

    >>> table_header(["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"])
    {0: 'number', 1: 'task', 2: 'lead', 3: 'support', 4: 'deadline'}
    >>> table_header(["TT", "NHIỆM VỤ", "THỜI HẠN", "CƠ QUAN CHỦ TRÌ", "CƠ QUAN PHỐI HỢP"])
    {0: 'number', 1: 'task', 2: 'deadline', 3: 'lead', 4: 'support'}
    >>> table_header(["STT", "Đơn vị", "Phân loại"]) is None
    True
    >>> table_header(["1", "Rà soát quy hoạch", "Sở Xây dựng"]) is None
    True
    """
    if not _is_header_like(cells):
        return None
    roles = header_roles([cells])
    found = set(roles.values())
    if "task" in found and found & {"lead", "deadline"}:
        return roles
    return None


# --- paths, parts, metadata ---------------------------------------------------------

def _assign_paths(node: Node) -> None:
    counts: dict[str, int] = {}
    seen: dict[str, int] = {}
    for child in node.children:
        if child.style in P.BULLET_STYLES:
            prefix = "+" if child.style == "plus" else "-"
            counts[prefix] = counts.get(prefix, 0) + 1
            segment = f"{prefix}{counts[prefix]}"
        elif child.style == "para":
            counts["p"] = counts.get("p", 0) + 1
            segment = f"p{counts['p']}"
        elif child.style == "caps":
            counts["h"] = counts.get("h", 0) + 1
            segment = f"h{counts['h']}"
        elif child.style == "paren":
            segment = f"({child.label})"
        elif child.style == "row":
            segment = f"r{child.label}"
        elif child.style == "tgroup" and not child.label:
            counts["g"] = counts.get("g", 0) + 1
            segment = f"g{counts['g']}"
        else:
            segment = child.label
        # Duplicated labels (2233/KH-UBND has two "c)" under II.2) stay distinct.
        seen[segment] = seen.get(segment, 0) + 1
        if seen[segment] > 1:
            segment = f"{segment}~{seen[segment]}"
        child.path = (*node.path, segment)
        _assign_paths(child)


def part_of_heading(text: str) -> Part | None:
    """The part a heading opens, from its leading keyword.

    >>> part_of_heading("CÁC MỤC TIÊU, CHỈ TIÊU ĐẾN NĂM 2030")
    <Part.OBJECTIVES: 'objectives'>
    >>> part_of_heading("NHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU")
    <Part.TASKS: 'tasks'>
    >>> part_of_heading("Nhằm cụ thể hóa các mục tiêu") is None
    True
    """
    if len(text) > 150:
        return None
    for rx, part in _PART_KEYWORDS:
        if rx.match(text):
            return part
    return None


def _assign_parts(node: Node, inherited: Part) -> None:
    for child in node.children:
        part = inherited
        if child.kind == "appendix":
            part = _appendix_part(child)
        elif child.kind == "recipients":
            part = Part.OTHER
        elif child.kind in ("row", "group"):
            # An assignment table assigns work wherever it stands.
            part = inherited if inherited in (Part.TASKS, Part.ORGANISATION) else Part.TASKS
        elif child.style not in P.BULLET_STYLES:
            part = part_of_heading(child.text) or inherited
        if part is Part.PREAMBLE and inherited is not Part.PREAMBLE and child.parent is not None \
                and child.parent.style != "root":
            part = inherited
        child.part = part
        _assign_parts(child, part)


def _appendix_part(node: Node) -> Part:
    """An appendix holds tasks when it has an assignment table or a title naming tasks.

    "PHÂN CÔNG THỰC HIỆN NHIỆM VỤ …" does; "ĐỀ CƯƠNG BÁO CÁO" or a list of communes does not.
    """
    if any(n.kind == "row" for n in node.walk()):
        return Part.TASKS
    if any(not b.table and _cell_role(b.text) in ("lead", "support") for b in node.body):
        # "Cơ quan chủ trì" alone on a line: a table flattened one cell per line (text copied
        # out of a PDF); its cells cannot be told apart, so they give no tasks.
        return Part.OTHER
    title = " ".join([node.text, *(b.text for b in node.body[:3] if not b.text.startswith("("))])
    return Part.TASKS if _APPENDIX_TASKS.search(title) else Part.OTHER


def _lists_agencies(node: Node) -> bool:
    """Whether the items under a "Cơ quan chủ trì" heading name agencies, not tasks."""
    items = [c.text for c in node.children] or [b.text for b in node.body]
    named = sum(1 for text in items if agencies.match_at(text, 0) is not None or text[:4].lower() == "các ")
    return bool(items) and 2 * named >= len(items)


def _mark_meta(root: Node) -> None:
    for node in root.walk():
        if node is root or node.kind in ("para", "row", "group", "appendix", "assign_value", "recipients"):
            continue
        if ASSIGN_FIELD.match(node.text):
            node.kind = "assign"
        elif ASSIGN_HEADING.fullmatch(node.text) and node.style not in P.BULLET_STYLES:
            if any(ASSIGN_HEADING.fullmatch(c.text) or is_field(c.text) for c in node.children):
                node.kind = "assign_block"  # "2. Cơ quan chủ trì, phối hợp" over "a) Cơ quan chủ trì"
            elif _lists_agencies(node):
                node.kind = "assign_list"  # "a) Cơ quan chủ trì" over "- Ban Chỉ đạo quốc gia."
                for value in list(node.walk())[1:]:
                    value.kind = "assign_value"
        elif ASSIGN_BLOCK.match(node.text):
            node.kind = "assign_block"
        elif CONTENT_HEADER.match(node.text):
            node.kind = "content"
    # "Kết quả: …" is a product only among other assignment fields.
    for node in root.walk():
        if node.kind == "item" and PRODUCT_FIELD.match(node.text) and node.parent is not None \
                and any(s.kind in ("assign", "assign_list") for s in node.parent.children if s is not node):
            node.kind = "assign"
