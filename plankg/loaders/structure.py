"""Stage 2 of parsing: logical lines -> the document's section tree.

Numbering styles are not ranked in advance: the first style met opens a level and a
style already open closes everything below it (the usual way legal-document parsers
handle "I. / 1. / 1.1. / a) / - / +" and their many local variants). Unlabelled
lines are paragraphs of the item above them; table rows too.

Some items are not content but metadata of their group, and are marked so:
"Phân công nhiệm vụ" blocks and their "Cơ quan chủ trì: …" lines (``assign``),
"Nội dung:" headers (``content``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from plankg.loaders import patterns as P
from plankg.loaders.clean import Line
from plankg.model import Part

# "Cơ quan chủ trì: …" / "Cơ quan phối hợp: …" / "Thời gian hoàn thành: Năm 2026" / "Sản phẩm: …"
ASSIGN_FIELD = re.compile(
    r"(?P<field>(?i:(?:cơ\s+quan|đơn\s+vị)\s+(?:chủ\s+trì|thực\s+hiện|phối\s+hợp)(?:\s+thực\s+hiện)?"
    r"|chủ\s+trì|phối\s+hợp|thời\s+(?:gian|hạn)(?:\s+(?:hoàn\s+thành|thực\s+hiện))?|tiến\s+độ(?:\s+thực\s+hiện)?"
    r"|sản\s+phẩm(?:\s+(?:đầu\s+ra|hoàn\s+thành))?))\s*:\s*"
)
# "1.1.2. Phân công nhiệm vụ" / "2.2. Phân công nhiệm vụ thực hiện:" / "1.2.2. Phân công trách nhiệm"
ASSIGN_BLOCK = re.compile(r"(?i:phân\s+công)(?:\s+\S+){0,5}\s*:?\s*$")
# "1.1.1. Nội dung: Xác định việc rà soát …" / "3.1. Nội dung"
CONTENT_BLOCK = re.compile(r"(?i:nội\s+dung)(?:\s+(?i:thực\s+hiện|chủ\s+yếu))?\s*:?\s*")
# A "Nội dung" header: alone ("3.1. Nội dung"), or a label before its text ("Nội dung: Xác định …").
CONTENT_HEADER = re.compile(r"(?i:nội\s+dung)(?:\s+\S+)?\s*(?::|$)")

# Heading keywords that set the part of a subtree (matched at the start of a heading).
# Column headers of a task table ("biểu phân công nhiệm vụ"):
# "| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm |"
TABLE_COLUMNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("number", re.compile(r"(?i:stt|tt|số\s+tt|số\s+thứ\s+tự)")),
    ("lead", re.compile(r"(?i:.*chủ\s+trì.*|.*đơn\s+vị\s+thực\s+hiện.*)")),
    ("support", re.compile(r"(?i:.*phối\s+hợp.*)")),
    ("deadline", re.compile(r"(?i:.*(?:thời\s+gian|thời\s+hạn|tiến\s+độ).*)")),
    ("product", re.compile(r"(?i:.*sản\s+phẩm.*)")),
    ("task", re.compile(r"(?i:.*(?:nhiệm\s+vụ|nội\s+dung|công\s+việc|giải\s+pháp|tên\s+đề\s+án).*)")),
)

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
    kind: str = "item"   # root | item | assign | assign_block | content | para | row
    fields: dict[str, str] = field(default_factory=dict)  # cells of a task-table row

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
    root = Node("root", "", "", [], part=default_part, kind="root")
    stack: list[Node] = [root]
    has_labels = any(not line.table and P.match_label(line.text) for line in lines)
    columns: dict[int, str] | None = None
    rows = 0
    for line in lines:
        if not line.table:
            columns = None
        else:
            cells = line.text.split(" | ")
            header = table_header(cells)
            if header is not None:
                columns, rows = header, 0
                stack[-1].body.append(line)
                continue
            if columns is not None:
                fields = {columns[i]: c for i, c in enumerate(cells) if i in columns and c}
                if fields.get("task"):
                    rows += 1
                    number = fields.get("number", "")
                    label_text = number if re.fullmatch(r"[\w.]{1,6}", number) else str(rows)
                    node = Node("row", label_text, fields["task"], list(line.lines), parent=stack[-1],
                                kind="row", fields=fields)
                    stack[-1].children.append(node)
                    continue
        label = None if line.table else P.match_label(line.text)
        if label is None and has_labels and P.is_upper_heading(line.text) and len(line.text) < 150:
            # An unnumbered capitals heading ("NHIỆM VỤ VÀ GIẢI PHÁP") opens a top-level part.
            del stack[1:]
            node = Node("caps", "", line.text, list(line.lines), parent=root)
            root.children.append(node)
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
        open_styles = [n.style for n in stack]
        if style in open_styles:
            del stack[open_styles.index(style):]
        node = Node(style, text_label, rest.strip(), list(line.lines), parent=stack[-1])
        stack[-1].children.append(node)
        stack.append(node)
    _assign_paths(root)
    _assign_parts(root, default_part)
    _mark_meta(root)
    return root


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
        else:
            segment = child.label
        # Duplicated labels (2233/KH-UBND has two "c)" under II.2) stay distinct.
        seen[segment] = seen.get(segment, 0) + 1
        if seen[segment] > 1:
            segment = f"{segment}~{seen[segment]}"
        child.path = (*node.path, segment)
        _assign_paths(child)


def table_header(cells: list[str]) -> dict[int, str] | None:
    """Column roles of a task-table header row, or None when it is not one.

    >>> table_header(["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"])
    {0: 'number', 1: 'task', 2: 'lead', 3: 'support', 4: 'deadline'}
    >>> table_header(["1", "Rà soát quy hoạch", "Sở Xây dựng"]) is None
    True
    """
    roles: dict[int, str] = {}
    for i, cell in enumerate(cells):
        if len(cell) > 60:
            return None
        for role, rx in TABLE_COLUMNS:
            if role not in roles.values() and rx.fullmatch(cell.strip()):
                roles[i] = role
                break
    found = set(roles.values())
    if "task" in found and found & {"lead", "deadline"}:
        return roles
    return None


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
        if child.style not in P.BULLET_STYLES:
            part = part_of_heading(child.text) or inherited
        if part is Part.PREAMBLE and inherited is not Part.PREAMBLE and child.parent is not None \
                and child.parent.style != "root":
            part = inherited
        child.part = part
        _assign_parts(child, part)


def _mark_meta(root: Node) -> None:
    for node in root.walk():
        if node is root or node.kind in ("para", "row"):
            continue
        if ASSIGN_FIELD.match(node.text):
            node.kind = "assign"
        elif ASSIGN_BLOCK.match(node.text):
            node.kind = "assign_block"
        elif CONTENT_HEADER.match(node.text):
            node.kind = "content"
