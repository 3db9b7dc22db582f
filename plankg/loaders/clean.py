"""Stage 1 of parsing: raw text -> clean logical lines.

Documents reach us copied out of PDFs, Word files and web pages. This module removes
their artefacts (markdown emphasis, ``[bookmark: …]`` anchors, ``|`` table borders,
headings glued to bold text) and re-joins lines that were broken in mid-sentence,
in mid-date or by a hard wrap, while remembering every source line number so that
nothing is lost.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from plankg.loaders import patterns as P
from plankg.normalize import collapse_spaces, nfc


@dataclass
class Line:
    """One logical line: cleaned text plus the source lines it came from."""

    text: str
    lines: list[int]
    blank_before: bool = False
    table: bool = False

    @property
    def first(self) -> int:
        return self.lines[0]


# Words after which a line break cannot end a phrase: "ngày 30 tháng" / "3 năm 2026".
_DANGLING = re.compile(r"(?i:\b(?:ngày|tháng|năm|số|quý|giai\s+đoạn|từ|đến|và|của|với|tại))$")
# A line cannot end on these words: the phrase goes on in the next line, whatever its case.
_DANGLING_WORD = re.compile(r"(?<![\w/])(?:của|và|với|tại|theo|cho|về)$")
_STARTS_LOWER = re.compile(r"[" + P.VI_LOWER + r"]")
_TABLE_CELL_SEP = re.compile(r"[ ]*(?:\t|\|)[ ]*")
_HYPHEN_END = re.compile(r"\w-$")  # (matches are at most 3 characters long, a line end included)
_COMPOUND_END = re.compile(r"[\w/]-$")
_DASH_DIGIT = re.compile(r"[-–]\s*\d")
# A dash followed by a lower-case word: a bullet starts with a capital, a wrapped "- dân tộc" does not.
_WRAPPED_DASH = re.compile(r"[-–]\s+[" + P.VI_LOWER + r"]")


def clean_text(text: str, numbers: Sequence[int] | None = None) -> list[Line]:
    """Split ``text`` into cleaned logical lines.

    ``numbers`` gives the source line number of each physical line of ``text`` (the
    readers lay out blocks as lines; a header table unfolded into several lines keeps
    its source line); by default lines are numbered from 1.

    >>> [l.text for l in clean_text("KẾ HOẠCH**Thực hiện Quy hoạch tỉnh,\\ntầm nhìn**\\n")]
    ['KẾ HOẠCH', 'Thực hiện Quy hoạch tỉnh, tầm nhìn']
    >>> [(l.text, l.lines) for l in clean_text("a) Rà soát, bố\\n\\nsung quy hoạch.")]
    [('a) Rà soát, bố sung quy hoạch.', [1, 3])]
    """
    physical = nfc(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if numbers is None or len(numbers) != len(physical):
        numbers = range(1, len(physical) + 1)
    pieces: list[Line] = []
    blank = False
    for number, raw in zip(numbers, physical, strict=True):
        for piece in _cleaned_pieces(raw):
            if piece is None:
                blank = True
                continue
            pieces.append(Line(piece[0], [number], blank_before=blank, table=piece[1]))
            blank = False
    width = _wrap_width(pieces)
    joined: list[Line] = []
    tail = ""  # the last physical line joined into joined[-1]: a wrap is judged on it, not on the whole
    for line in pieces:
        if joined and _continues(joined[-1], tail, line, width):
            prev = joined[-1]
            glue = "" if width and P.search_end(_HYPHEN_END, tail, 3) else " "
            prev.text = prev.text + glue + line.text
            prev.lines.extend(line.lines)
        else:
            joined.append(line)
        tail = line.text
    return joined


# A ward plan restates its province's lines, and a plan its own field lines, word for word:
# each physical line is cleaned once per process.
@functools.lru_cache(maxsize=65_536)
def _cleaned_pieces(raw: str) -> tuple[tuple[str, bool] | None, ...]:
    """The cleaned pieces of a physical line with whether each is a table row; None for a
    piece that holds no text: a rule, or a footnote's text ("¹ Gồm ngân sách …", kept as an
    annotation of the record, not run into the item above it)."""
    pieces: list[tuple[str, bool] | None] = []
    for part in _split_glued(raw):
        cleaned, table = _clean_line(part)
        blank = not cleaned or P.DECORATION.fullmatch(cleaned) or (not table and P.FOOTNOTE.match(cleaned))
        pieces.append(None if blank else (cleaned, table))
    return tuple(pieces)


def _split_glued(raw: str) -> list[str]:
    # "I. MỤC ĐÍCH, YÊU CẦU**1. Mục đích**": a capitals heading glued to bold text is two
    # lines; elsewhere "**" is only emphasis.
    if "**" not in raw:
        return [raw]
    head, _, tail = raw.partition("**")
    head_clean = P.BOOKMARK.sub("", head).strip()
    if head_clean and P.is_upper_heading(head_clean) and tail.strip(" *"):
        return [head, *_split_glued(tail)]
    return [raw]


def _clean_line(raw: str) -> tuple[str, bool]:
    # Each pattern is tried only on a line holding its character (most hold none).
    text = P.BOOKMARK.sub("", raw) if "[bookmark:" in raw else raw
    if "*" in text:
        text = P.EMPHASIS.sub("", text.replace("**", ""))
    stripped = text.strip()
    table = False
    if stripped.startswith("|") or stripped.count("|") >= 2 or "\t" in stripped:
        # Empty cells are kept: they hold a column's place ("| 3 | Báo cáo | VP |  | Hằng quý |").
        inner = stripped.strip()
        inner = inner[1:] if inner.startswith("|") else inner
        inner = inner[:-1] if inner.endswith("|") else inner
        cells = [collapse_spaces(c) for c in _TABLE_CELL_SEP.split(inner)]
        if sum(1 for c in cells if c) >= 2:
            return " | ".join(cells), True
        stripped = " ".join(c for c in cells if c)
    text = P.SUPERSCRIPT.sub("", stripped) if P.SUPERSCRIPT_DIGIT.search(stripped) and not P.FOOTNOTE.match(stripped) \
        else stripped
    return collapse_spaces(text), table


def _wrap_width(lines: list[Line]) -> int:
    """Detect a hard wrap: most long lines end close to one width. 0 when not wrapped."""
    lengths = sorted(len(l.text) for l in lines if not l.table)
    if len(lengths) < 8:
        return 0
    width = lengths[int(len(lengths) * 0.95) - 1]
    if width > 160 or width < 30:
        return 0
    near = sum(1 for n in lengths if width - 12 <= n <= width)
    return width if near >= max(4, len(lengths) // 4) else 0


def _continues(prev: Line, tail: str, line: Line, width: int) -> bool:
    """Is ``line`` the continuation of ``prev`` (a break in mid-sentence)?

    ``tail`` is the last physical line joined into ``prev``: end-of-line tests and the
    wrap width look at it alone, so joining a long paragraph stays linear.
    """
    return not (prev.table or line.table) and _continues_text(tail, line.text, line.blank_before, width)


# Wrapped paragraphs break at the same words in every copy of a restated text: each pair of
# lines is judged once per process.
@functools.lru_cache(maxsize=65_536)
def _continues_text(tail: str, text: str, blank_before: bool, width: int) -> bool:
    """:func:`_continues` for two lines outside tables: ``text`` (after a blank line or not)
    below ``tail``."""
    if P.is_upper_heading(tail):
        return False
    if _DASH_DIGIT.match(text) and tail[-1:].isdecimal():
        return True  # a range broken by the wrap: "giai đoạn 2026" / "- 2030"
    if text.startswith("(") and P.ATTACHED.match(text):
        return False  # "(Kèm theo Quyết định số …)" under a title is a line of its own
    if width and _WRAPPED_DASH.match(text) and len(tail) >= width - 15 \
            and not tail.endswith((".", ";", ":", "!", "?")):
        return True  # a hard wrap before a hyphen: "lợi ích quốc gia" / "- dân tộc của Việt Nam"
    if P.match_label(text) or P.RECIPIENTS.match(text) or P.FOOTNOTE.match(text):
        return False
    if P.SIGN_AUTHORITY.match(text) or P.SIGN_POSITION.match(text):
        return False
    if _STARTS_LOWER.match(text):
        return True
    if width and _COMPOUND_END.search(tail) and not blank_before:
        return True  # a compound wrapped at its hyphen: "Tờ trình số 364/TTr-BNG-" / "NVVH ngày …"
    if text[0].isdigit() and _DANGLING.search(tail):
        return True
    if _DANGLING_WORD.search(tail) and not blank_before and not P.is_upper_heading(text):
        return True  # "… ngày 30 tháng 12 năm 2025 của" / "Ban Chỉ đạo Trung ương về …"
    if width and not blank_before:
        # textwrap's rule: the first word of this line did not fit on the previous one.
        first_word = text.split(" ", 1)[0]
        return len(tail) + 1 + len(first_word) > width - 1 and not tail.endswith(":")
    return False
