"""Stage 3 of parsing: the section tree -> tasks with effective lead, support, deadline.

Plans assign work in several ways, all handled here:

* a group block: "Phân công nhiệm vụ / - Cơ quan chủ trì: X / - Cơ quan phối hợp: Y /
  - Thời gian hoàn thành: Năm 2026", applying to every item of its group;
* an agency heading over bullets: "a) Sở Y tế" then "- Chủ trì, phối hợp với …";
* a subject sentence: "Sở Xây dựng chủ trì, phối hợp với các sở, ngành có liên quan …",
  "Công an tỉnh: Tổ chức nắm tình hình …", "Các huyện ủy, thị ủy, thành ủy xây dựng …";
* "Giao X chủ trì, phối hợp với Y …".

A task's effective values come from the nearest node (itself, then its ancestors)
that assigns a lead; support comes from the same assignment. plankg never guesses an
agency: an item under no assignment keeps empty lead and support.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plankg.loaders import agencies
from plankg.loaders.deadlines import find_deadline, parse_deadline
from plankg.loaders.structure import ASSIGN_FIELD, CONTENT_BLOCK, Node
from plankg.model import Agency, Deadline, Part, Task

# After the subject: "chủ trì, phối hợp với" / ": Phối hợp với" / "phối hợp chặt chẽ với"
# / "làm cơ quan đầu mối, chủ trì …" / "chủ trì phối hợp với".
SUPPORT_AFTER_SUBJECT = re.compile(
    r"\s*[:,]?\s*(?i:(?:là|làm)\s+cơ\s+quan\s+(?:đầu\s+mối|thường\s+trực)\s*,?\s*)?"
    r"(?i:(?:chủ\s+trì|chủ\s+động)\s*,?\s*)?(?i:(?:tham\s+gia\s+)?phối\s+hợp)(?i:\s+chặt\s+chẽ)?\s+(?i:với)\s+"
)
# "Chủ trì, phối hợp với chủ đầu tư và các sở, ngành có liên quan …" (subject inherited)
SUPPORT_NO_SUBJECT = re.compile(r"(?i:chủ\s+trì)\s*,?\s*(?i:phối\s+hợp)(?i:\s+chặt\s+chẽ)?\s+(?i:với)\s+")
# "Giao Văn phòng HĐND và UBND phường chủ trì, …"
GIVE = re.compile(r"(?i:giao)\s+")
# "UBND tỉnh giao Sở Tài chính chủ trì …": the second agency is the lead.
GIVE_AFTER_SUBJECT = re.compile(r"\s+(?i:giao)\s+")

_TASK_PARTS = frozenset({Part.TASKS, Part.ORGANISATION, Part.PURPOSE})


@dataclass
class Assignment:
    lead: list[Agency] | None = None
    support: list[Agency] | None = None
    deadline: Deadline | None = None
    product: str | None = None

    def merge(self, other: Assignment) -> None:
        """Fill fields still empty from ``other`` (group block values)."""
        self.lead = self.lead if self.lead is not None else other.lead
        self.support = self.support if self.support is not None else other.support
        self.deadline = self.deadline or other.deadline
        self.product = self.product or other.product


@dataclass
class _Info:
    own: Assignment = field(default_factory=Assignment)
    group: Assignment = field(default_factory=Assignment)
    extra_text: list[str] = field(default_factory=list)
    extra_lines: list[int] = field(default_factory=list)


def derive_tasks(root: Node, ctx: agencies.Context, doc_id: str) -> list[Task]:
    """Every task of the tree, in document order."""
    info: dict[int, _Info] = {id(n): _Info() for n in root.walk()}
    for node in root.walk():
        if node is root:
            continue
        if node.kind == "assign":
            target = node.parent
            if target is not None and target.kind == "assign_block":
                target = target.parent
            if target is not None:
                _apply_field(info[id(target)].group, node.full_text, ctx)
        elif node.kind == "content" and node.parent is not None and not _item_children(node):
            # "1.1.1. Nội dung: …" without sub-items is the body of its parent item.
            text = CONTENT_BLOCK.sub("", node.full_text, count=1).strip()
            if text:
                info[id(node.parent)].extra_text.append(text)
            info[id(node.parent)].extra_lines.extend(node.all_lines)
        elif node.kind in ("item", "para"):
            own = parse_own(node.full_text, ctx)
            if own.lead is None and node.body:
                # "III. TỔ CHỨC THỰC HIỆN" / "Giao Sở Tài chính bố trí kinh phí …": a heading
                # assigns no one; the paragraph below it does.
                own.merge(parse_own(" ".join(b.text for b in node.body), ctx))
            info[id(node)].own = own
        elif node.kind == "row":
            own = info[id(node)].own
            for name, value in node.fields.items():
                label = {"lead": "Cơ quan chủ trì", "support": "Cơ quan phối hợp",
                         "deadline": "Thời gian", "product": "Sản phẩm"}.get(name)
                if label:
                    _apply_field(own, f"{label}: {value}", ctx)

    tasks: list[Task] = []
    for node in root.walk():
        if node.kind not in ("item", "para", "row") or node.part not in _TASK_PARTS:
            continue
        if _item_children(node):
            continue
        extra = info[id(node)]
        text = " ".join([node.full_text, *extra.extra_text]).strip()
        text = _strip_inline_fields(text)
        if not text or _is_agency_only(text):
            continue
        lead, support, deadline, product = _effective(node, info)
        lines = tuple(sorted({*node.all_lines, *extra.extra_lines}))
        tasks.append(Task(
            id=f"{doc_id}#{'/'.join(node.path)}", path=node.path, text=text,
            lead=tuple(lead), support=tuple(support), deadline=deadline, part=node.part,
            lines=lines, product=product,
        ))
    return tasks


def _item_children(node: Node) -> list[Node]:
    """Content children of ``node``; "Nội dung" headers with items are transparent."""
    out: list[Node] = []
    for child in node.children:
        if child.kind in ("item", "para", "row"):
            out.append(child)
        elif child.kind == "content" and _item_children(child):
            out.append(child)
    return out


def _effective(node: Node, info: dict[int, _Info]) -> tuple[list[Agency], list[Agency], Deadline | None, str | None]:
    lead: list[Agency] | None = None
    support: list[Agency] | None = None
    deadline: Deadline | None = None
    product: str | None = None
    chain = [node, *node.ancestors()]
    for n in chain:
        here = Assignment()
        here.merge(info[id(n)].own)
        here.merge(info[id(n)].group)
        deadline = deadline or here.deadline
        product = product or here.product
        if lead is None:
            if support is None and here.support is not None:
                support = here.support
            if here.lead is not None:
                lead = here.lead
    return lead or [], support or [], deadline, product


def parse_own(text: str, ctx: agencies.Context) -> Assignment:
    """What an item's own sentence assigns: subject lead, support, deadline, inline fields.

    >>> ctx = agencies.Context(agencies.Level.PROVINCE, "tỉnh Lai Châu")
    >>> a = parse_own("Sở Tài chính chủ trì, phối hợp với Sở Xây dựng tham mưu UBND tỉnh", ctx)
    >>> [x.name for x in a.lead], [x.name for x in a.support]
    (['Sở Tài chính tỉnh Lai Châu'], ['Sở Xây dựng tỉnh Lai Châu'])
    >>> parse_own("Phối hợp với Sở Xây dựng làm việc với các bộ", ctx).support is None
    True
    """
    result = Assignment()
    fields = list(ASSIGN_FIELD.finditer(text))
    if fields and fields[0].start() > 0:
        for i, f in enumerate(fields):
            end = fields[i + 1].start() if i + 1 < len(fields) else len(text)
            _apply_field(result, text[f.start():end], ctx)
        text = text[: fields[0].start()]
    pos = 0
    give = GIVE.match(text)
    if give:
        pos = give.end()
    mentions, end = agencies.match_list(text, pos)
    if mentions:
        after_give = GIVE_AFTER_SUBJECT.match(text, end)
        if after_give:
            given, end2 = agencies.match_list(text, after_give.end())
            if given:
                mentions, end = given, end2
        result.lead = result.lead or [agencies.canonicalize(m, ctx) for m in mentions]
        sup = SUPPORT_AFTER_SUBJECT.match(text, end)
        if sup:
            sup_mentions, _ = agencies.match_list(text, sup.end())
            if sup_mentions:
                result.support = result.support or [agencies.canonicalize(m, ctx) for m in sup_mentions]
    else:
        sup = SUPPORT_NO_SUBJECT.match(text)
        if sup:
            sup_mentions, _ = agencies.match_list(text, sup.end())
            if sup_mentions:
                result.support = [agencies.canonicalize(m, ctx) for m in sup_mentions]
    result.deadline = result.deadline or find_deadline(text)
    return result


def _apply_field(target: Assignment, text: str, ctx: agencies.Context) -> None:
    m = ASSIGN_FIELD.match(text)
    if m is None:
        return
    name = m.group("field").lower()
    value = text[m.end():].strip().rstrip(".;")
    if "phối hợp" in name:
        found, _ = agencies.match_list(value)
        target.support = [agencies.canonicalize(x, ctx) for x in found] or _raw_agencies(value, ctx)
    elif "chủ trì" in name or ("thực hiện" in name and "thời" not in name):
        found, _ = agencies.match_list(value)
        target.lead = [agencies.canonicalize(x, ctx) for x in found] or _raw_agencies(value, ctx)
    elif name.startswith(("thời", "tiến")):
        target.deadline = parse_deadline(value)
    elif name.startswith("sản phẩm"):
        target.product = value or None


def _raw_agencies(value: str, ctx: agencies.Context) -> list[Agency]:
    """A field value no pattern recognises is still an assignment: keep it as written."""
    parts = [p.strip() for p in re.split(r";", value) if p.strip()]
    return [agencies.canonicalize(p, ctx) for p in parts]


def _strip_inline_fields(text: str) -> str:
    fields = list(ASSIGN_FIELD.finditer(text))
    if fields and fields[0].start() > 0:
        return text[: fields[0].start()].rstrip(" ;,.")
    return text


def _is_agency_only(text: str) -> bool:
    mentions, end = agencies.match_list(text)
    return bool(mentions) and not text[end:].strip(" :.;,")
