"""Stage 3 of parsing: the section tree -> tasks with effective lead, support, deadline.

Plans assign work in several ways, all handled here:

* a group block: "Phân công nhiệm vụ / - Cơ quan chủ trì: X / - Cơ quan phối hợp: Y /
  - Thời gian hoàn thành: Năm 2026", applying to every item of its group;
* fields of one item, on lines or bullets after it: "(1) Sao lưu … / - Đơn vị chủ trì thực
  hiện: Văn phòng UBND tỉnh. / - Thời gian hoàn thành: Trong tháng 8/2025.";
* a heading over a list of agencies: "2. Cơ quan chủ trì, phối hợp / a) Cơ quan chủ trì /
  - Ban Chỉ đạo quốc gia.";
* an assignment table: one task per row, its lead, support, product and deadline from
  the cells of their columns;
* an agency heading over bullets: "a) Sở Y tế" then "- Chủ trì, phối hợp với …";
* a subject sentence: "Sở Xây dựng chủ trì, phối hợp với các sở, ngành có liên quan …",
  "Công an tỉnh: Tổ chức nắm tình hình …", "Các huyện ủy, thị ủy, thành ủy xây dựng …";
* "Giao X chủ trì, phối hợp với Y …", also inside a sentence ("Trên cơ sở …, Sở Xây dựng
  chủ trì, phối hợp với …").

A task's effective values come from the nearest node (itself, then its ancestors)
that assigns a lead; support comes from the same assignment. plankg never guesses an
agency: an item under no assignment keeps empty lead and support.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from plankg.loaders import agencies
from plankg.loaders import patterns as P
from plankg.loaders.deadlines import find_deadline, parse_deadline
from plankg.loaders.structure import ASSIGN_FIELD, ASSIGN_HEADING, CONTENT_BLOCK, PRODUCT_FIELD, Node, is_field
from plankg.model import Agency, Deadline, Part, Task

# After the subject: "chủ trì, phối hợp với" / ": Phối hợp với" / "phối hợp chặt chẽ với"
# / "làm cơ quan đầu mối, chủ trì …" / "chủ trì phối hợp với".
# "chủ trì, phối với Công an tỉnh, …" (a word left out) is "phối hợp với".
_WITH = r"(?i:phối\s+hợp(?:\s+chặt\s+chẽ)?\s+(?:với\s+)?|phối\s+với\s+)"
SUPPORT_AFTER_SUBJECT = re.compile(
    r"\s*[:,]?\s*(?i:(?:là|làm)\s+cơ\s+quan\s+(?:đầu\s+mối|thường\s+trực)\s*,?\s*)?"
    r"(?i:(?:chủ\s+trì|chủ\s+động)\s*,?\s*)?(?i:tham\s+gia\s+)?" + _WITH
)
# "Chủ trì, phối hợp với chủ đầu tư và các sở, ngành có liên quan …" (subject inherited); "với" is
# often left out ("Giao Thanh tra tỉnh chủ trì, phối hợp Sở Nội vụ, …"): an agency must follow.
SUPPORT_NO_SUBJECT = re.compile(r"(?i:chủ\s+trì)\s*,?\s*" + _WITH)
# "Giao Văn phòng HĐND và UBND phường chủ trì, …"
# "Đề nghị Liên đoàn Lao động tỉnh: Chỉ đạo …": a request names the lead as "giao" does.
GIVE = re.compile(r"(?i:giao|đề\s+nghị)\s+")
# "Thời hạn các bộ, tỉnh tổng hợp, nhập dữ liệu và gửi danh sách … chậm nhất là ngày …": the
# deadline of a body's work names the body; "2. Trách nhiệm của Ủy ban nhân dân các tỉnh, thành
# phố trực thuộc Trung ương" heads the duties of the body it names.
_NAMED_BY = re.compile(r"(?i:thời\s+hạn|(?:trách\s+nhiệm|nhiệm\s+vụ)\s+của)\s+")
# "Xây dựng và tham mưu … (Giao Công an tỉnh tham mưu).": the body a note gives the item to.
_GIVE_NOTE = re.compile(r"\(\s*(?i:giao)\s+")
# "a) Tổng Cục Quản lý ruộng đất có trách nhiệm:", "c) Cục đo đạc và bản đồ Nhà nước có trách
# nhiệm:": a body with its duties names itself whole before "có trách nhiệm", whatever the case
# of its words (a 1980 directive writes names in lower case).
_DUTY = re.compile(r"(?P<name>[^,;:()]{2,80}?(?:\([^()]{1,60}\))?)\s+có\s+(?i:trách\s+nhiệm|nhiệm\s+vụ)\b")
# Words after a subject that show it is no subject: "… tổng hợp báo cáo / Ban Bí thư Trung ương
# Đảng theo yêu cầu …" (a wrapped line that goes on with the object of the line above).
_NOT_A_VERB = re.compile(
    r"\s+(?i:theo|về|của|tại|trong|với|và|cho|để|đến|từ|ở|qua|trên|dưới|sau|trước|nêu|như|là|các|đảng)\b")
_NAME_GOES_ON = re.compile(r"\s+(?:các|đảng|của)\b")
# "Đối với Nhà đầu tư Dự án cao tốc Tân Phú - Bảo Lộc: Khẩn trương nộp hồ sơ …": the body the
# item speaks to, before a colon.
_REGARDING = re.compile(r"(?i:đối\s+với|riêng)\s+")
_TOPIC_END = re.compile(r"\s*:")
# "Đối với việc đề xuất điều chỉnh hướng tuyến tại Km78+00 - Km81+00: Đề nghị Nhà đầu tư …":
# a topic before a colon, then the sentence that assigns (the topic short, with no full stop).
_TOPIC = re.compile(r"[^.:;]{3,200}:\s+(?=(?:Giao|Đề\s+nghị|Yêu\s+cầu|Thời\s+hạn)\s)")
# "Khẩn trương, phối hợp Trung tâm Phát triển quỹ đất tỉnh tập trung xét pháp lý …" / "Phối hợp
# Trung tâm …": an item of an agency heading that works with another body names its supporter.
_SUPPORT_OPENING = re.compile(
    r"(?:(?i:khẩn\s+trương|chủ\s+động|tập\s+trung)\s*,?\s*)?(?i:phối\s+hợp)(?i:\s+chặt\s+chẽ)?\s+(?i:với\s+)?")
# "UBND tỉnh giao Sở Tài chính chủ trì …", "…, Bộ Nội vụ đề nghị các bộ, tỉnh quan tâm, chỉ đạo
# thực hiện một số nội dung sau:": the second agency is the lead.
GIVE_AFTER_SUBJECT = re.compile(r"\s+(?i:giao|đề\s+nghị|yêu\s+cầu)\s+")
# Where the clause holding "X chủ trì, phối hợp với Y" starts: "Căn cứ …, Bộ Tài chính chủ trì, …".
_CLAUSE_START = re.compile(r"[.;:(]|\b(?i:giao|đề\s+nghị)\s")
# The value of a lead field that also names supporters: "Sở X chủ trì, phối hợp với Sở Y, Sở Z".
_LEAD_THEN_SUPPORT = re.compile(
    r"(?:\s*,\s*|\s+)(?:(?i:chủ\s+trì)\s*,?\s*)?(?i:(?:tham\s+gia\s+)?phối\s+hợp)(?i:\s+chặt\s+chẽ)?"
    r"(?:\s+(?i:với))?\s+"
)
# "Sở Nội vụ chủ trì" / "Giao Sở Nội vụ": the words around the agency in a lead value.
_LEAD_WORDS = re.compile(r"^(?i:giao)\s+|\s+(?i:chủ\s+trì)\s*[.,;]?\s*$")
# An adverbial put before the subject: "Căn cứ …,", "Trên cơ sở …,", "Trong năm 2013,", "Quý I/2027,".
# "Đối với kết quả Chỉ số CCHC năm 2025, các bộ, tỉnh hoàn thành …" too.
_FRONTED = re.compile(
    r"(?i:căn\s+cứ|trên\s+cơ\s+sở|trong|quý|năm|tháng|hằng|hàng|định\s+kỳ|sau\s+khi|từ|để|nhằm|đối\s+với)\b")
# How far into the sentence the subject may stand.
_FRONTED_REACH = 300
# A field value ends with its sentence: "Thực hiện thường xuyên. Yêu cầu các sở, …".
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-ỸÂĂÊÔƠƯ])")

_TASK_PARTS = frozenset({Part.TASKS, Part.ORGANISATION, Part.PURPOSE})
# Nodes whose children are content: items, paragraphs, table rows and their groups.
_CONTENT_KINDS = ("item", "para", "row", "group")


@dataclass
class Assignment:
    lead: list[Agency] | None = None
    support: list[Agency] | None = None
    deadline: Deadline | None = None
    product: str | None = None
    # "Phối hợp Trung tâm Phát triển quỹ đất tỉnh …" opening an item whose lead is elsewhere:
    # its supporters, unless assignment fields say who supports.
    opening_support: list[Agency] | None = None

    def copy(self) -> Assignment:
        """A shallow copy (its agencies and deadline are frozen), faster than dataclasses.replace.

        >>> full = Assignment(*(object() for _ in dataclasses.fields(Assignment)))
        >>> all(getattr(full.copy(), f.name) is getattr(full, f.name) for f in dataclasses.fields(Assignment))
        True
        """
        return Assignment(self.lead, self.support, self.deadline, self.product, self.opening_support)

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
    text: str = ""
    extra_text: list[str] = field(default_factory=list)
    # The paragraphs below the item's first line, as they stand in ``text``.
    paragraphs: list[str] = field(default_factory=list)
    extra_lines: list[int] = field(default_factory=list)


def derive_tasks(root: Node, ctx: agencies.Context, doc_id: str, lead_in: str = "") -> list[Task]:
    """Every task of the tree, in document order.

    ``lead_in`` is the paragraph before the first item; when it ends by addressing a body
    ("Thủ tướng Chính phủ yêu cầu Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc
    Trung ương:"), the items are that body's.
    """
    info: dict[int, _Info] = defaultdict(_Info)  # by id(node), made when first asked for
    addressed = _closing_give(lead_in.strip(), ctx, _ADDRESS) if lead_in.strip().endswith(":") else None
    if addressed:
        info[id(root)].group.lead = addressed
    for node in root.walk():
        if node is root:
            continue
        if node.kind == "assign":
            target = _field_target(node)
            if target is not None:
                _apply_fields(info[id(target)].group, node.full_text, ctx)
        elif node.kind == "assign_list":
            # "a) Cơ quan chủ trì" over "- Ban Chỉ đạo quốc gia." / "- Các Bộ, ngành liên quan."
            target = _field_target(node)
            values = [n.full_text.rstrip(" .;") for n in list(node.walk())[1:]]
            values += [b.text.rstrip(" .;") for b in node.body]
            name = node.text.rstrip(" :")
            if target is not None and values:
                _apply_field(info[id(target)].group, f"{name}: {'; '.join(values)}", ctx)
        elif node.kind == "content" and node.parent is not None and not _item_children(node):
            # "1.1.1. Nội dung: …" without sub-items is the body of its parent item.
            text = CONTENT_BLOCK.sub("", node.full_text, count=1).strip()
            if text:
                info[id(node.parent)].extra_text.append(text)
            info[id(node.parent)].extra_lines.extend(node.all_lines)
        elif node.kind in ("item", "para", "group"):
            info[id(node)].own, info[id(node)].text, info[id(node)].paragraphs = _item_assignment(node, ctx)
        elif node.kind == "row":
            info[id(node)].own, info[id(node)].text = _row_assignment(node, ctx), node.text

    tasks: list[Task] = []
    rosters: set[int] = set()  # the items whose list below names members, not work
    for node in root.walk():
        if node.kind not in ("item", "para", "row") or node.part not in _TASK_PARTS:
            continue
        if _ROSTER.search(node.text) and not _ROSTER_DUTIES.search(node.text):
            rosters.add(id(node))
        if any(id(above) in rosters for above in node.ancestors()):
            continue  # "Chánh Văn phòng Ủy ban nhân dân tỉnh;" under "Các thành viên Ban Chỉ đạo:"
        extra = info[id(node)]
        children = _item_children(node)
        # An item over a table of its own stays a task when it assigns someone itself
        # ("Báo và Phát thanh, Truyền hình tỉnh chủ trì … gồm 11 chuyên mục:" + a table).
        if children and not (all(c.kind in ("row", "group") for c in children) and extra.own.lead) \
                and not _is_own_task(node, extra, ctx):
            continue
        text = " ".join([extra.text, *extra.extra_text]).strip()
        text = _strip_inline_fields(text)
        if not text or _is_agency_only(text):
            continue
        lead, support, deadline, product = _effective(node, info)
        lines = tuple(sorted({*node.all_lines, *extra.extra_lines}))
        starts = _paragraph_starts(text, extra.paragraphs)
        first, *others = _assignment_sentences(text, ctx, starts) if node.kind != "row" else [(text, Assignment())]
        if others and deadline is not None and deadline.text not in first[0]:
            deadline = find_deadline(first[0]) or info[id(node)].group.deadline
        tasks.append(Task(
            id=f"{doc_id}#{'/'.join(node.path)}", path=node.path, text=first[0],
            lead=tuple(lead), support=tuple(support), deadline=deadline, part=node.part,
            lines=lines, product=product,
        ))
        for k, (sentence, given) in enumerate(others, start=2):
            # "… Giao Công an tỉnh theo dõi, đôn đốc việc thực hiện.": a sentence that gives
            # the work to another body is a task of its own, under the same item.
            path = (*node.path, f"s{k}")
            tasks.append(Task(
                id=f"{doc_id}#{'/'.join(path)}", path=path, text=sentence,
                lead=tuple(given.lead or ()), support=tuple(given.support or ()), deadline=given.deadline,
                part=node.part, lines=lines,
            ))
    return tasks


# What opens a list of members ("Thành lập Ban Chỉ đạo … gồm các thành viên sau:", "Các thành
# viên Ban Chỉ đạo:", "Thành phần Tổ công tác gồm:", "gồm các ông, bà có tên sau:"): the items
# below name people and offices (a body's members), not work; they stay sections of the plan.
# A list of what the members do ("Nhiệm vụ của các thành viên Ban Chỉ đạo:") is work.
# Only an item that opens with its members or composition, or ends "gồm (các) thành viên / ông,
# bà / đồng chí …:": "Khuyến khích các thành phần kinh tế tham gia các lĩnh vực sau:" is work.
_ROSTER = re.compile(r"^(?i:các\s+)?(?i:thành\s+viên|thành\s+phần)\b[^.;:]{0,200}:\s*$"
                     r"|\b(?i:gồm(?:\s+có)?\s+(?:các\s+)?(?:thành\s+viên|ông|bà|đồng\s+chí))[^.;:]{0,80}:\s*$")
_ROSTER_DUTIES = re.compile(r"(?i:nhiệm\s+vụ|trách\s+nhiệm|quyền\s+hạn|phân\s+công|chức\s+năng|chế\s+độ"
                            r"|thực\s+hiện|triển\s+khai)")


# "… trước ngày 30 tháng 6 năm 2026. Phương án bố trí, sử dụng phải gắn với yêu cầu …, theo
# hướng:" / "… địa phương mình phụ trách. Cụ thể:": an item's own sentences, then the words
# that open the list below it.
_LIST_OPENER = re.compile(r"[.;]\s+[^.;:]{1,400}:\s*$")


def _is_own_task(node: Node, extra: _Info, ctx: agencies.Context) -> bool:
    """Whether an item over items of its own is a task too: it states work in sentences of its
    own, naming who does it or when, before the words that open its list ("c) Kết thúc hoạt
    động … trước ngày 31 tháng 5 năm 2026. … theo hướng:" over "- …"; "3. Các bộ, ngành, Ủy ban
    nhân dân tỉnh … tổ chức thực hiện … phụ trách. Cụ thể:"). A preamble before the list
    ("Nhất quán với chủ trương …. Trong đó, UBND tỉnh giao các sở, ban, ngành … sau:") is none.
    """
    opener = _LIST_OPENER.search(extra.text)
    if node.kind != "item" or node.style == "roman" or opener is None or P.is_upper_heading(node.text):
        return False  # a section ("II. Nhiệm vụ, giải pháp …") is no task of its own
    own = parse_own(extra.text[:opener.start() + 1], ctx)
    return bool(own.lead) or (own.deadline is not None and own.deadline.end is not None
                              and _DUE_CUE.match(own.deadline.text) is not None)


# "trước ngày 31 tháng 5 năm 2026", "chậm nhất là …", "hoàn thành trong …": a date the work is
# due by ("thực hiện trong năm 2014" only places it).
_DUE_CUE = re.compile(r"(?i:trước|chậm\s+nhất|muộn\s+nhất|hoàn\s+thành|xong)\b")


# A sentence that opens by giving work to a body: "Giao Công an tỉnh theo dõi, đôn đốc …",
# "Yêu cầu các sở, ngành … tổ chức thực hiện tốt …", "Đề nghị Nhà đầu tư khẩn trương …".
_GIVING_SENTENCE = re.compile(r"(?:Giao|Đề\s+nghị|Yêu\s+cầu)\s+")


def _paragraph_starts(text: str, paragraphs: list[str]) -> set[int]:
    """Where each of ``paragraphs`` starts in ``text`` (they stand in it in order)."""
    starts: set[int] = set()
    pos = 0
    for para in paragraphs:
        at = text.find(para, pos)
        if at >= 0:
            starts.add(at)
            pos = at + len(para)
    return starts


def _assignment_sentences(text: str, ctx: agencies.Context,
                          paragraphs: set[int] | None = None) -> list[tuple[str, Assignment]]:
    """``text`` cut before each later sentence that gives work to a body other than the
    item's own; every piece with what it assigns (the first piece's is the item's).

    A sentence gives work when it opens with "Giao X", "Đề nghị X", "Yêu cầu X" or "X giao
    Y"; a paragraph of its own (``paragraphs``: where they start) also when it opens with its
    subject and its verb ("UBND các tỉnh, thành phố cần huy động …" below the last item of
    a 1980 directive).

    >>> ctx = agencies.Context(agencies.Level.PROVINCE, "tỉnh Lâm Đồng")
    >>> parts = _assignment_sentences("Giao Sở Tài chính bố trí kinh phí. Giao Công an tỉnh theo dõi, đôn đốc.", ctx)
    >>> [(t, [a.name for a in (x.lead or [])]) for t, x in parts]
    [('Giao Sở Tài chính bố trí kinh phí.', []), ('Giao Công an tỉnh theo dõi, đôn đốc.', ['Công an tỉnh Lâm Đồng'])]
    >>> text = "UBND tỉnh nhận được Công văn số 3/VPCP. Chủ tịch UBND tỉnh giao Sở Y tế chủ trì."
    >>> parts = _assignment_sentences(text, ctx)
    >>> [[a.name for a in (x.lead or [])] for _, x in parts[1:]]
    [['Sở Y tế tỉnh Lâm Đồng']]
    """
    spans = _sentence_spans(text)
    pieces: list[tuple[str, Assignment]] = [(text[spans[0][0]:spans[0][1]], Assignment())]
    owner = parse_own(pieces[0][0], ctx).lead
    for start, end in spans[1:]:
        sentence = text[start:end]
        # A paragraph below an item that names no one is the item's own ("Bước 2: Kiểm tra …" /
        # "Ban Chỉ đạo … tổ chức kiểm tra …"): only below a subject of its own is it another's.
        given = _given_by(sentence, ctx, own_paragraph=owner is not None and start in (paragraphs or set()))
        if given is not None and given.lead and {a.name for a in given.lead} != {a.name for a in owner or []}:
            pieces.append((sentence, given))
            owner = given.lead
        else:
            pieces[-1] = (f"{pieces[-1][0]} {sentence}", pieces[-1][1])
    # A later piece is due when its own sentences say ("… Thời gian hoàn tất: trước ngày …").
    return [pieces[0], *((text, dataclasses.replace(given, deadline=find_deadline(text) or given.deadline))
                         for text, given in pieces[1:])]


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, as :data:`_SENTENCE_END` cuts it."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for gap in _SENTENCE_END.finditer(text):
        spans.append((pos, gap.start()))
        pos = gap.end()
    spans.append((pos, len(text)))
    return spans


def _given_by(sentence: str, ctx: agencies.Context, *, own_paragraph: bool) -> Assignment | None:
    """What a later sentence of an item assigns, when it gives work to a body of its own."""
    give = _GIVING_SENTENCE.match(sentence)
    if give is not None:
        return parse_own(sentence, ctx) if agencies.match_at(sentence, give.end()) else None
    found, end = agencies.match_list(sentence)
    if not found:
        return None
    if GIVE_AFTER_SUBJECT.match(sentence, end) or (own_paragraph and _VERB_NEXT.match(sentence, end)
                                                    and not _NOT_A_VERB.match(sentence, end)):
        return parse_own(sentence, ctx)
    return None


# A subject's verb: a lower-case word after it.
_VERB_NEXT = re.compile(r"\s+[a-zđà-ỹ]")


def _field_target(node: Node) -> Node | None:
    """The node an assignment field sets: its item, or the group of a "Phân công" block."""
    target = node.parent
    while target is not None and target.kind in ("assign_block", "assign_list"):
        target = target.parent
    return target


def _item_assignment(node: Node, ctx: agencies.Context) -> tuple[Assignment, str, list[str]]:
    """What an item assigns, its text without its field lines, and the paragraphs of that
    text below its first line.

    Field lines below the item ("Cơ quan chủ trì: Bộ Tư pháp.", "Thời gian thực hiện: Quý
    II/2026") set its fields and are no part of its text; "Kết quả: …" counts as a field
    only beside another one.
    """
    texts = [node.text]
    fields: list[str] = []
    body = [line for line in node.body if not line.table or not _has_rows(node)]
    for line in body:
        (fields if is_field(line.text) else texts).append(line.text)
    if fields and not any(ASSIGN_FIELD.match(f) for f in fields):
        texts, fields = [node.text, *(b.text for b in body)], []
    text = " ".join(texts).strip()
    result = Assignment()
    for value in fields:
        _apply_fields(result, value, ctx)
    own = parse_own(text, ctx)
    if own.lead is None and len(texts) > 1:
        # "III. TỔ CHỨC THỰC HIỆN" / "Giao Sở Tài chính bố trí kinh phí …": a heading
        # assigns no one; the paragraph below it does (unless its first words are no subject
        # but the object of the line above, wrapped: "… tổng hợp báo cáo" / "Ban Bí thư Trung
        # ương Đảng theo yêu cầu …").
        below_text = " ".join(texts[1:])
        below = parse_own(below_text, ctx)
        found, end = agencies.match_list(below_text)
        if found and _NOT_A_VERB.match(below_text, end):
            below.lead = below.support = None
        own.merge(below)
    result.merge(own)
    has_fields = fields or any(c.kind in ("assign", "assign_list", "assign_block") for c in node.children)
    opening = _SUPPORT_OPENING.match(text) if result.support is None and not has_fields else None
    if opening is not None:
        # Where field lines name who acts ("- Đơn vị thực hiện: Công an tỉnh."), the
        # fields are the assignment and "Phối hợp với …" is what the body does.
        found, _ = agencies.match_list(text, opening.end())
        result.opening_support = agencies.canonical_list(found, ctx) or None
    return result, text, texts[1:]


def _has_rows(node: Node) -> bool:
    """Whether an assignment table stands in ``node`` (its header rows are then no text)."""
    return any(c.kind in ("row", "group") for c in node.children)


def _row_assignment(node: Node, ctx: agencies.Context) -> Assignment:
    """The assignment of a table row, from the cells of its lead, support, product and deadline."""
    result = Assignment()
    cells = node.fields
    if cells.get("lead"):
        _apply_lead(result, cells["lead"], ctx)
    if cells.get("support"):
        result.support = agencies.split_agencies(cells["support"], ctx)
    if cells.get("deadline"):
        result.deadline = _cell_deadline(cells["deadline"], node.year)
    if cells.get("product"):
        result.product = cells["product"]
    return result


def _cell_deadline(value: str, year: int | None) -> Deadline | None:
    """A deadline cell; the header's year completes a cell written without one.

    >>> _cell_deadline("Từ 20 giờ 15 phút - 20 giờ 45 phút ngày 10 tháng 4", 2026).end
    datetime.date(2026, 4, 10)
    """
    deadline = parse_deadline(value)
    if deadline is None or year is None or re.search(r"(?:19|20)\d\d", value):
        return deadline
    dated = parse_deadline(f"{deadline.text} năm {year}")
    return dataclasses.replace(dated, text=deadline.text) if dated is not None else deadline


def _item_children(node: Node) -> list[Node]:
    """Content children of ``node``; "Nội dung" headers with items are transparent."""
    out: list[Node] = []
    for child in node.children:
        if child.kind in _CONTENT_KINDS:
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
    from_fields = False
    for n in chain:
        own, group = info[id(n)].own, info[id(n)].group
        # The node's own values first, its group's where it has none (Assignment.merge).
        here_lead = own.lead if own.lead is not None else group.lead
        if lead is None and here_lead is not None and own.lead is None:
            from_fields = True
        # A deadline field below the item ("- Thời gian hoàn thành: Thực hiện thường xuyên.")
        # states what its text only mentions ("… Thường xuyên kiểm tra …").
        deadline = deadline or group.deadline or own.deadline
        product = product or own.product or group.product
        if lead is None:
            here_support = own.support if own.support is not None else group.support
            if support is None and here_support is not None:
                support = here_support
            if here_lead is not None:
                lead = here_lead
    if support is None and not from_fields:
        support = info[id(node)].own.opening_support
    return lead or [], support or [], deadline, product


def parse_own(text: str, ctx: agencies.Context) -> Assignment:
    """What an item's own sentence assigns: subject lead, support, deadline, inline fields.

    >>> ctx = agencies.Context(agencies.Level.PROVINCE, "tỉnh Lai Châu")
    >>> a = parse_own("Sở Tài chính chủ trì, phối hợp với Sở Xây dựng tham mưu UBND tỉnh", ctx)
    >>> [x.name for x in a.lead], [x.name for x in a.support]
    (['Sở Tài chính tỉnh Lai Châu'], ['Sở Xây dựng tỉnh Lai Châu'])
    >>> parse_own("Phối hợp với Sở Xây dựng làm việc với các bộ", ctx).support is None
    True
    >>> a = parse_own("Trên cơ sở đề nghị của các huyện, Sở Xây dựng chủ trì, phối hợp với Sở Tài chính thẩm định", ctx)
    >>> [x.name for x in a.lead], [x.name for x in a.support]
    (['Sở Xây dựng tỉnh Lai Châu'], ['Sở Tài chính tỉnh Lai Châu'])
    """
    # A copy: callers fill in and clear its fields. (The agencies and deadline are frozen.)
    shared = _BODILESS.get(text)
    if shared is not None:
        return shared.copy()
    own = _parse_own(text, ctx)
    if not own.lead and not own.support:
        if len(_BODILESS) >= _BODILESS_MAX:
            _BODILESS.clear()
        _BODILESS[text] = own
    return own.copy()


# The context only qualifies the bodies a text names, and whether a text assigns a body does
# not depend on it (each mention is one body in any context): a text that assigns none reads
# the same in every document. Such texts, most of those a ward plan restates from its
# province's plan, are then read once per process, not once per ward. (A dictionary, not an
# lru_cache: a reading is kept only once it is known to name no body; emptied when full.)
_BODILESS: dict[str, Assignment] = {}
_BODILESS_MAX = 65_536


# An item's text is read several times (is it a task of its own, its sentences, its assignment).
@functools.lru_cache(maxsize=16_384)
def _parse_own(text: str, ctx: agencies.Context) -> Assignment:
    result = Assignment()
    # Every field label ends in a colon: most item texts have none, and skip the pattern.
    fields = [f for f in ASSIGN_FIELD.finditer(text) if f.start() > 0] if ":" in text else []
    if fields:
        for i, f in enumerate(fields):
            end = fields[i + 1].start() if i + 1 < len(fields) else len(text)
            _apply_field(result, text[f.start():end], ctx)
        text = text[: fields[0].start()]
    pos = 0
    give = GIVE.match(text) or _REGARDING.match(text) or _NAMED_BY.match(text)
    if give:
        pos = give.end()
    mentions, end = agencies.match_list(text, pos)
    duty = _DUTY.match(text, pos) if agencies.opens_name(text, pos) else None
    if duty is not None and end < duty.end("name"):
        named = agencies.split_agencies(duty.group("name"), ctx)
        if len(named) == 1:
            result.lead, mentions = named, []
    if mentions and give is not None and _REGARDING.match(text) and not _TOPIC_END.match(text, end):
        mentions = []  # "Đối với dự án …" names a matter, not the body asked to act
    if mentions:
        after_give = GIVE_AFTER_SUBJECT.match(text, end)
        if after_give:
            given, end2 = agencies.match_list(text, after_give.end())
            if given:
                mentions, end = given, end2
        result.lead = result.lead or agencies.canonical_list(mentions, ctx)
        sup = SUPPORT_AFTER_SUBJECT.match(text, end)
        if sup:
            sup_mentions, _ = agencies.match_list(text, sup.end())
            if sup_mentions:
                result.support = result.support or agencies.canonical_list(sup_mentions, ctx)
    else:
        sup = SUPPORT_NO_SUBJECT.match(text)
        if sup:
            sup_mentions, _ = agencies.match_list(text, sup.end())
            if sup_mentions:
                result.support = agencies.canonical_list(sup_mentions, ctx)
    if result.lead is None:
        result.lead = _fronted_subject(text, ctx)
    if result.lead is None:
        result.lead = _closing_give(text, ctx)
    note = _GIVE_NOTE.search(text) if result.lead is None else None
    if note is not None:
        given, _ = agencies.match_list(text, note.end())
        result.lead = agencies.canonical_list(given, ctx) or None
    topic = _TOPIC.match(text) if result.lead is None else None
    if topic is not None:
        # "Việc điều chỉnh chủ trương đầu tư …: Đề nghị Nhà đầu tư hoàn thiện hồ sơ …": a topic,
        # then the sentence that gives the work.
        after = parse_own(text[topic.end():], ctx)
        if after.lead:
            result.lead, result.support = after.lead, result.support or after.support
    if result.support is None:
        _chair_inside(result, text, ctx)
    result.deadline = result.deadline or find_deadline(text)
    return result


# "… theo đề xuất của Trung tâm …. Giao Trung tâm Xúc đầu tư, Thương mại và Du lịch:" / "3. Về
# nội dung dự thảo Kế hoạch …, giao Trung tâm Xúc tiến Đầu tư, …:": a heading that ends by
# giving the items below it to a body.
_CLOSING_GIVE = re.compile(r"(?:^|[.;,]\s+)(?i:giao)\s+")
_ADDRESS = re.compile(r"(?:^|[.;,]\s+|\s)(?i:giao|yêu\s+cầu|đề\s+nghị)\s+")


def _closing_give(text: str, ctx: agencies.Context, rx: re.Pattern[str] = _CLOSING_GIVE) -> list[Agency] | None:
    """The body a heading gives its items to in its last clause ("…, giao Sở X:"), if any.

    >>> ctx = agencies.Context(agencies.Level.PROVINCE, "tỉnh Lâm Đồng")
    >>> [a.name for a in _closing_give("Thống nhất tổ chức Hội nghị. Giao Sở Tài chính:", ctx)]
    ['Sở Tài chính tỉnh Lâm Đồng']
    """
    for m in reversed(list(rx.finditer(text))):
        found, end = agencies.match_list(text, m.end())
        if found and not text[end:].strip(" :"):
            return agencies.canonical_list(found, ctx)
    return None


def _fronted_subject(text: str, ctx: agencies.Context) -> list[Agency] | None:
    """The subject after a fronted adverbial: "Căn cứ Kế hoạch …, các cơ quan, đơn vị, địa phương
    xây dựng Kế hoạch …", "Trong năm 2013, Ủy ban nhân dân các tỉnh … phải thực hiện …".

    >>> ctx = agencies.Context(agencies.Level.PROVINCE, "tỉnh Lâm Đồng")
    >>> [a.name for a in _fronted_subject("Quý I/2027, các cơ quan, đơn vị, địa phương đánh giá kết quả", ctx)]
    ['các cơ quan, đơn vị, địa phương']
    >>> _fronted_subject("Rà soát, sắp xếp, Sở Y tế", ctx) is None
    True
    """
    opener = _FRONTED.match(text)
    if opener is None:
        return None
    clause_end = min((text.find(c) for c in ".;:" if c in text), default=len(text))
    for comma in re.finditer(r",\s*", text[:min(clause_end, _FRONTED_REACH)]):
        if agencies.ends_with_kind(text[:comma.start()]):
            continue  # a comma inside a list of bodies: "Mỗi cơ quan, đơn vị, địa phương được …"
        found, end = agencies.match_list(text, comma.end())
        # The subject is followed by its verb: a lower-case word, not the end of the sentence
        # nor the rest of a name ("… cấp uỷ, cơ quan, tổ chức đảng các cấp").
        if found and re.match(r"\s+[a-zđà-ỹ]", text[end:end + 2]) and not _NAME_GOES_ON.match(text, end):
            give = GIVE_AFTER_SUBJECT.match(text, end)
            given = agencies.match_list(text, give.end())[0] if give is not None else []
            return agencies.canonical_list(given or found, ctx)
    return None


def _chair_inside(result: Assignment, text: str, ctx: agencies.Context) -> None:
    """ "…, Sở Xây dựng chủ trì, phối hợp với Sở Tài chính …" inside a sentence, or "…;
    chủ trì, phối hợp với Bộ Nội vụ …" after the item's own subject, gives its supporters."""
    for m in SUPPORT_NO_SUBJECT.finditer(text):
        found, _ = agencies.match_list(text, m.end())
        if not found:
            continue
        support = agencies.canonical_list(found, ctx)
        subject = _subject_before(text, m.start(), ctx)
        if subject is None:
            result.support = support
            return
        if result.lead is None or {a.name for a in subject} == {a.name for a in result.lead}:
            result.lead = result.lead or subject
            result.support = support
            return


def _subject_before(text: str, pos: int, ctx: agencies.Context) -> list[Agency] | None:
    """The agencies written right before ``pos`` in the same clause, if any."""
    starts = [m.end() for m in _CLAUSE_START.finditer(text, 0, pos)]
    clause_start = max(starts, default=0)
    for mention in agencies.find_mentions(text[clause_start:pos]):
        found, end = agencies.match_list(text, clause_start + mention.start)
        if found and not text[end:pos].strip(" ,"):
            return agencies.canonical_list(found, ctx)
    return None


def _apply_fields(target: Assignment, text: str, ctx: agencies.Context) -> None:
    """A line of fields: "Cơ quan chủ trì: Sở Nội vụ; cơ quan phối hợp: Văn phòng UBND tỉnh."."""
    for piece in _field_pieces(text):
        _apply_field(target, piece, ctx)


@functools.lru_cache(maxsize=16_384)  # a plan repeats its field lines item after item
def _field_pieces(text: str) -> tuple[str, ...]:
    """``text`` cut before each field label in it."""
    starts = [m.start() for m in ASSIGN_FIELD.finditer(text)] or [0]
    if starts[0] != 0:
        starts.insert(0, 0)
    return tuple(text[begin:end] for begin, end in zip(starts, [*starts[1:], len(text)], strict=True))


def _apply_field(target: Assignment, text: str, ctx: agencies.Context) -> None:
    field = _field_of(text)
    if field is None:
        return
    name, value = field
    if "chủ trì" in name:
        _apply_lead(target, value, ctx)
    elif "phối hợp" in name:
        target.support = agencies.split_agencies(value, ctx)
    elif name.startswith(("thời", "tiến")):
        target.deadline = parse_deadline(value)
    elif "thực hiện" in name and target.lead is not None:
        # "a) Cơ quan chủ trì: …" then "b) Đơn vị thực hiện: Các Đội chuyên trách": the units
        # that carry the work out under the lead take part in it.
        target.support = (target.support or []) + agencies.split_agencies(value, ctx)
    elif "thực hiện" in name:
        _apply_lead(target, value, ctx)
    else:
        target.product = value or None


@functools.lru_cache(maxsize=16_384)  # a plan repeats its field lines item after item
def _field_of(text: str) -> tuple[str, str] | None:
    """The label of the field ``text`` opens with, in lower case, and its value (its first
    sentence); None when it opens with none."""
    m = ASSIGN_FIELD.match(text) or PRODUCT_FIELD.match(text) or ASSIGN_HEADING.match(text)
    if m is None:
        return None
    name = " ".join(m.group(0).lower().split()).rstrip(" :")
    return name, _SENTENCE_END.split(text[m.end():].strip(), maxsplit=1)[0].strip(" .;:")


def _apply_lead(target: Assignment, value: str, ctx: agencies.Context) -> None:
    """A lead value; "Sở X chủ trì, phối hợp với Sở Y, Sở Z" also names the supporters.

    >>> a = Assignment()
    >>> _apply_lead(a, "Sở Nội vụ chủ trì, phối hợp với Sở Y tế, Sở Tài chính", agencies.Context())
    >>> [x.name for x in a.lead], [x.name for x in a.support]
    (['Sở Nội vụ'], ['Sở Y tế', 'Sở Tài chính'])
    """
    lead, support = _lead_value(value)
    if support is not None:
        target.support = target.support or agencies.split_agencies(support, ctx)
    target.lead = agencies.split_agencies(lead, ctx)


@functools.lru_cache(maxsize=16_384)
def _lead_value(value: str) -> tuple[str, str | None]:
    """A lead value's lead, and the supporters it names after "phối hợp với" (or None)."""
    split = _LEAD_THEN_SUPPORT.search(value)
    support = None
    if split is not None and value[split.end():].strip(" .;"):
        value, support = value[: split.start()], value[split.end():]
    return _LEAD_WORDS.sub("", value), support


def _strip_inline_fields(text: str) -> str:
    # Every field label ends in a colon: most item texts have none, and skip the pattern.
    first = ASSIGN_FIELD.search(text) if ":" in text else None
    if first is not None and first.start() > 0:
        return text[: first.start()].rstrip(" ;,.")
    return text


def _is_agency_only(text: str) -> bool:
    mentions, end = agencies.match_list(text)
    return bool(mentions) and not text[end:].strip(" :.;,")
