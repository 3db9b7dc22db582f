"""Deadlines: turn the time expressions of plan documents into :class:`Deadline` values.

Place in the pipeline: the plan loaders split a document into sections and tasks and
then ask this module when each task is due. They call :func:`parse_deadline` on the
value of an explicit field ("Thời gian hoàn thành: Năm 2026.", a "Tiến độ" table
cell) and, when a task has no such field, :func:`find_deadline` on its running text.
Both are pure and never raise, so a loader can call them on any line it meets.

Semantics shared by both functions:

* Partial dates stand for the first / last day of their span: "Năm 2026" is
  2026-01-01..2026-12-31, "Quý II/2026" is 2026-04-01..2026-06-30.
* ``start`` is kept only when the phrase gives a start (a year, quarter, period,
  "từ ..."). "trước ...", "đến ...", "chậm nhất ...", "trong tháng ..." and a bare
  day ("30/6/2026") give only ``end``.
* ``recurrence`` is weekly/monthly/quarterly/semiannual/yearly. ``continuous`` marks
  ongoing work: "thường xuyên", "liên tục", "và các năm tiếp theo", or a recurrence
  with no anchor date ("Hằng năm"). An anchored recurrence ("trước ngày 15 tháng 10
  hằng năm") is a recurring due date, not ongoing work, so it is not continuous.
* A phrase that names an impossible date ("31/2/2026") keeps its text, without dates.

>>> parse_deadline("Thường xuyên, liên tục trong giai đoạn 2026-2030.").to_dict()
... # doctest: +NORMALIZE_WHITESPACE
{'text': 'Thường xuyên, liên tục trong giai đoạn 2026-2030', 'start': '2026-01-01',
 'end': '2030-12-31', 'continuous': True, 'recurrence': None}
>>> find_deadline("Báo cáo kết quả gửi Sở Tài chính trước ngày 10/4/2026.").to_dict()
... # doctest: +NORMALIZE_WHITESPACE
{'text': 'trước ngày 10/4/2026', 'start': None, 'end': '2026-04-10',
 'continuous': False, 'recurrence': None}
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Final

from plankg.model import Deadline
from plankg.normalize import collapse_spaces, nfc

# --- Building blocks (pattern text only; compiled into the regexes below) -----------

# A plan year: "2026". Restricted to 19xx/20xx so that quantities such as
# "hoàn thành 1500 căn hộ" are never read as years.
_YEAR: Final = r"(?:19|20)[0-9]{2}(?![0-9])"

# One calendar expression. Each alternative has its own named groups so that
# :func:`_calendar_span` can tell which one matched. Alternatives, in order:
#   day, numeric    "ngày 10/4/2026", "30/6/2026"
#   day, in words   "ngày 30 tháng 3 năm 2026"
#   part of a year  "6 tháng đầu năm 2026", "nửa cuối năm 2026"
#   quarter         "Quý II/2026", "quý 2 năm 2026"
#   month           "tháng 8/2026", "tháng 8 năm 2026"
#   period          "giai đoạn 2026-2030", "2026 - 2030"
#   year            "năm 2026" (the bare "2026" is accepted only in field values)
_WHEN: Final = (
    r"(?<![0-9])(?:ngày\s+)?(?P<dn_d>[0-9]{1,2})\s*[/.-]\s*(?P<dn_m>[0-9]{1,2})"
    rf"\s*[/.-]\s*(?P<dn_y>{_YEAR})"
    r"|(?<![0-9])(?:ngày\s+)?(?P<dw_d>[0-9]{1,2})\s+tháng\s+(?P<dw_m>[0-9]{1,2})"
    rf"\s*,?\s+năm\s+(?P<dw_y>{_YEAR})"
    r"|(?:(?<![0-9])(?P<h_n>[0-9]{1,2})\s+tháng|nửa)\s+(?P<h_side>đầu|cuối)"
    rf"\s+năm\s+(?P<h_y>{_YEAR})"
    r"|quý\s+(?P<q_q>IV|I{1,3}|[1-4])(?:\s*[/-]\s*|\s*,?\s+năm\s+)"
    rf"(?P<q_y>{_YEAR})"
    r"|tháng\s+(?P<m_m>[0-9]{1,2})(?:\s*[/-]\s*|\s*,?\s+năm\s+)"
    rf"(?P<m_y>{_YEAR})"
    r"|(?:(?:giai\s+đoạn|thời\s+kỳ|năm)\s+)?(?<![0-9/.])"
    rf"(?P<p_a>{_YEAR})\s*[-–—]\s*(?:năm\s+)?(?P<p_b>{_YEAR})"
    rf"|(?P<y_word>năm\s+)?(?<![0-9/.-])(?P<y_y>{_YEAR})"
)

# The word before a calendar expression that says how to read it ("trước",
# "từ", "trong tháng" ...). Longer alternatives first so "đến hết" beats "đến".
_QUALIFIER: Final = (
    r"(?P<qual>hoàn\s+thành|chậm\s+nhất(?:\s+(?:là|vào|trong))?"
    r"|muộn\s+nhất(?:\s+(?:là|vào|trong))?|trước|kể\s+từ|bắt\s+đầu\s+từ|từ"
    r"|đến\s+hết|đến|tới|trong\s+cả|trong|vào|xong)"
)

# A recurrence: "hằng năm", "hàng tháng", "định kỳ 6 tháng", "6 tháng một lần".
# Not followed by a number, so "mặt hàng năm 2026" is no recurrence.
_EVERY: Final = (
    r"\b(?:(?P<lead>định\s+kỳ|hằng|hàng|mỗi)\s+(?:(?:hằng|hàng|mỗi)\s+)?"
    r"(?:(?P<count>[0-9]{1,2}|một|ba|sáu)\s+)?(?P<unit>tuần|tháng|quý|năm)"
    r"|(?P<count2>[0-9]{1,2}|một|ba|sáu)\s+(?P<unit2>tháng|năm)\s+(?:một|1|01)\s+lần)"
    r"\b(?!\s*[/0-9])"
)

# --- Compiled regexes -------------------------------------------------------------

# "trước ngày 10/4/2026", "trong tháng 8/2026", "Từ năm 2026", "Năm 2026"
_TIMED: Final = re.compile(rf"(?:\b{_QUALIFIER}\s+)?(?P<when>{_WHEN})", re.IGNORECASE)
# Every calendar expression holds a year: a text without one is spared the long pattern
# above, tried at each of its characters (most task texts that reach it name a recurrence,
# or "hàng hóa", and no year).
_ANY_YEAR: Final = re.compile(_YEAR)

# "báo cáo UBND tỉnh vào thứ 2 hằng tuần"; "hằng năm", "định kỳ 6 tháng"
_RECURRENCE: Final = re.compile(_EVERY, re.IGNORECASE)

_ANCHORED_EVERY: Final = (
    r"(?:hằng|hàng|mỗi)\s+(?:tuần|tháng|quý|năm)"
    # "Trước ngày 05 của tháng liền kề": due each month, in the month after the one reported.
    r"|(?:tuần|tháng|quý)\s+(?:liền\s+kề|tiếp\s+theo|kế\s+tiếp|liền\s+sau|sau)"
)
# (what a text needs for the pattern below to be worth trying)
_ANY_ANCHORED_EVERY: Final = re.compile(_ANCHORED_EVERY, re.IGNORECASE)
# "trước ngày 15 tháng 10 hằng năm", "vào thứ 2 hằng tuần", "trước ngày 20 hằng tháng":
# a recurring due date; the anchor itself has no year, so it yields no dates.
_ANCHORED_RECURRENCE: Final = re.compile(
    r"(?:\b(?:trước|vào|trong|đến|chậm\s+nhất(?:\s+(?:là|vào))?)\s+)?"
    r"(?:ngày\s+[0-9]{1,2}(?:\s*/\s*[0-9]{1,2}|\s+tháng\s+[0-9]{1,2})?"
    r"|thứ\s+(?:[2-7]|hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật|tháng\s+[0-9]{1,2}"
    r"|(?:ngày\s+)?(?:đầu|cuối|giữa)\s+(?:tuần|tháng|quý|năm))"
    rf"\s+(?:của\s+)?(?P<rec>{_ANCHORED_EVERY})\b(?!\s*[/0-9])",
    re.IGNORECASE,
)
# The unit of a "tháng liền kề" anchor: the period that recurs.
_NEXT_PERIOD: Final = re.compile(r"(?P<unit>tuần|tháng|quý)\s+\S", re.IGNORECASE)
_PERIOD_RECURRENCE: Final = {"tuần": "weekly", "tháng": "monthly", "quý": "quarterly"}

# "Thường xuyên, liên tục trong cả giai đoạn 2026-2030" - ongoing work in a field.
_ONGOING_WORD: Final = re.compile(r"\b(?:thường\s+xuyên|liên\s+tục)\b", re.IGNORECASE)

# "Năm 2026 và các năm tiếp theo", "Từ năm 2026 trở đi": the span has no end.
_OPEN_ENDED: Final = re.compile(
    r"\b(?:các|những)\s+năm\s+(?:tiếp\s+theo|sau|kế\s+tiếp)\b|\btrở\s+đi\b", re.IGNORECASE
)

# "(*thực hiện thường xuyên*)", "thường xuyên, liên tục trong giai đoạn 2026-2030".
# In running text a bare "thường xuyên" is an adverb ("phối hợp thường xuyên, trực
# tiếp với Bộ Xây dựng"), so only these fuller forms count as a deadline.
_ONGOING_PHRASE: Final = re.compile(
    r"\b(?:thực\s+hiện\s+(?:thường\s+xuyên|liên\s+tục)"
    r"(?:\s*,\s*(?:thường\s+xuyên|liên\s+tục))?|thường\s+xuyên\s*,\s*liên\s+tục"
    # "thường xuyên tổ chức rà soát …": before the task's own verb the adverb schedules it.
    r"|thường\s+xuyên(?=\s+(?:tổ\s+chức|rà\s+soát|theo\s+dõi|kiểm\s+tra|cập\s+nhật|đôn\s+đốc|tuyên\s+truyền"
    r"|báo\s+cáo|tổng\s+hợp|thực\s+hiện|đăng\s+tải|phát\s+sóng|duy\s+trì|giám\s+sát)\b))\b"
    rf"(?:\s+(?P<qual>trong(?:\s+cả)?)\s+(?P<when>{_WHEN}))?",
    re.IGNORECASE,
)

# "(trong quý III năm 2022)", "(Quý II/2026)": a parenthesis holding only a time.
_PARENTHESIS: Final = re.compile(r"\(([^()]*)\)")

# "Thời gian hoàn thành: Năm 2026." written inside the running text of a task.
_FIELD_LABEL: Final = re.compile(
    r"\b(?:thời\s+gian\s+(?:hoàn\s+thành|thực\s+hiện)|thời\s+hạn(?:\s+hoàn\s+thành)?"
    r"|tiến\s+độ(?:\s+(?:thực\s+hiện|hoàn\s+thành))?)\s*:\s*(?P<value>[^;.()]+)",
    re.IGNORECASE,
)

# "hoàn thành dự án ... ngày 30/6/2026" - the completion verb that makes a later
# bare date in the same clause a deadline.
_COMPLETION: Final = re.compile(r"\b(?:hoàn\s+thành|xong)\b", re.IGNORECASE)

# "Nghị quyết số 06-NQ/TW ngày 24/01/2022": a document number between the completion
# verb and the date means the date is the cited document's, not a deadline.
_DOCUMENT_REFERENCE: Final = re.compile(r"\bsố\b|\S/\S", re.IGNORECASE)

# A document number: "7178/PA-UBND", "06-NQ/TW", "60/2021/NĐ-CP" (never a date: "30/6/2026").
_DOCUMENT_NUMBER: Final = r"\d+(?:/(?:19|20)\d{2})?/[A-ZĐ][\w.\-]*|\d+-[A-ZĐ][\w.]*/[A-ZĐ][\w\-]*"

# "Phương án số 7178/PA-UBND ngày 14/11/2025": the date right after a document number is
# that document's date, never a deadline, in a field value as in running text.
_CITED_DATE_TAIL: Final = re.compile(rf"(?:{_DOCUMENT_NUMBER})\s*,?\s*(?:ngày\s*)?$", re.IGNORECASE)

# "(Quyết định số 1737/QĐ-UBND ngày 17/10/2025)": a parenthesis citing a document.
_CITING: Final = re.compile(rf"(?:{_DOCUMENT_NUMBER})")

# "(trong đó, báo cáo sơ kết trước ngày 30/6/2026)": a note on one part of the item.
_PART_NOTE: Final = re.compile(r"\s*[*_]*\s*(?:trong\s+đó|riêng|đối\s+với|kể\s+cả|ngoại\s+trừ)\b", re.IGNORECASE)

# "tính đến ngày 31/12/2025": a statistics cut-off, not a deadline.
_CUTOFF_TAIL: Final = re.compile(r"\btính\s*$", re.IGNORECASE)

# "thu nhập bình quân hàng tháng": an average, not a schedule.
_AVERAGE_TAIL: Final = re.compile(r"\b(?:bình\s+quân|trung\s+bình)\s*$", re.IGNORECASE)

# Any whitespace run, line breaks included ("ngày 30 tháng 3 năm\n2026").
_WHITESPACE: Final = re.compile(r"\s+")

_ROMAN: Final = {"I": 1, "II": 2, "III": 3, "IV": 4}
_WORD_COUNTS: Final = {"một": 1, "ba": 3, "sáu": 6}
# Most frequent first: "định kỳ 6 tháng, hằng năm" reports every six months.
_RECURRENCES: Final = ("weekly", "monthly", "quarterly", "semiannual", "yearly")
_MONTHS_TO_RECURRENCE: Final = {1: "monthly", 3: "quarterly", 6: "semiannual", 12: "yearly"}

# Qualifiers whose phrase gives only the end of the span.
_BY_QUALIFIERS: Final = ("trước", "đến", "tới", "chậm nhất", "muộn nhất")
_FROM_QUALIFIERS: Final = ("từ", "kể từ", "bắt đầu từ")
# Qualifiers that make a phrase in running text a deadline on their own.
_STRONG_CUES: Final = ("trước", "chậm nhất", "muộn nhất", "hoàn thành", "xong")
# How far apart merged phrases may be for the merged text to cover them all.
_MERGED_TEXT_LIMIT: Final = 120
# How many characters before a phrase are searched for its cues.
_LOOK_BACK: Final = 160
# The clause-breaking characters that bound "the words before" a phrase.
_CLAUSE_BREAKS: Final = ".;:!?()"


@dataclass(frozen=True)
class _Phrase:
    """A candidate deadline phrase of the running text, with its position."""

    start: int
    end: int
    deadline: Deadline


def parse_deadline(text: str) -> Deadline | None:
    """Read the value of a deadline field ("Thời gian hoàn thành: <value>").

    Returns None only when the value is blank; a value that names no time keeps its
    text with no dates, so nothing written in the document is lost.

    >>> parse_deadline("Quý II/2026").to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'text': 'Quý II/2026', 'start': '2026-04-01', 'end': '2026-06-30',
     'continuous': False, 'recurrence': None}
    >>> parse_deadline("Theo tiến độ dự án")
    Deadline(text='Theo tiến độ dự án', start=None, end=None, continuous=False, recurrence=None)
    >>> parse_deadline("  ") is None
    True
    """
    # Trailing "." / ";" end the sentence of the field, they are not part of the value.
    value = _flatten(text).rstrip(" .;")
    if not value:
        return None
    return _interpret(value)


# Every deadline phrase holds a digit (a date, a year, a month) or one of these words
# ("thường xuyên", "hằng tuần", "định kỳ", "và các năm tiếp theo"): a cheap test that
# spares the full patterns on most task texts.
_MAYBE_DEADLINE = re.compile(r"\d|(?i:thường\s+xuyên|liên\s+tục|hằng|hàng|mỗi|định\s+kỳ|tiếp\s+theo|trở\s+đi)")


# Items restate the same deadline phrases plan after plan; a Deadline is immutable.
@functools.lru_cache(maxsize=16_384)
def find_deadline(text: str) -> Deadline | None:
    """Find the deadline phrase of a task's running text, or None.

    Only phrases with a cue count ("trước ngày ...", "trong tháng ...", "hoàn thành
    ...", "hằng tuần", "thực hiện thường xuyên"): a bare year or "đến năm 2030" in a
    plan is its scope, and "đã khởi công năm 2025" is history. When several phrases
    occur the last one with dates wins; a recurrence or "thường xuyên" found elsewhere
    is merged into it. The returned ``text`` is the phrase as written.

    >>> find_deadline("hoàn thành dự án trong tháng 8/2026.").to_dict()
    ... # doctest: +NORMALIZE_WHITESPACE
    {'text': 'trong tháng 8/2026', 'start': None, 'end': '2026-08-31',
     'continuous': False, 'recurrence': None}
    >>> find_deadline("quy hoạch đô thị đến năm 2030, tầm nhìn đến năm 2045") is None
    True
    """
    flat = _flatten(text)
    if not _MAYBE_DEADLINE.search(flat):
        return None  # most task texts: no digit and no word of recurrence or continuity
    phrases = _outermost(_outside_notes(flat, _phrases(flat)))
    if not phrases:
        return None
    # "dates over none, and among dated phrases the last": later phrases in a task usually
    # restate or tighten the earlier ones. Without dates the first schedule is the task's
    # own ("Hằng tháng tổ chức 01 cuộc đối thoại …; trước 16 giờ hằng tuần báo cáo kết quả").
    dated = [p for p in phrases if _has_dates(p.deadline)]
    best = max(dated, key=lambda p: p.start) if dated else min(phrases, key=lambda p: p.start)
    return _merge(flat, _first_clause_due(flat, dated) or best, phrases)


def _first_clause_due(flat: str, dated: list[_Phrase]) -> _Phrase | None:
    """The due date of the item's first dated clause, when later clauses have dates of their own.

    An item that gives several jobs a date each ("Khẩn trương nộp hồ sơ … trước ngày 28/4/2026;
    khẩn trương lập báo cáo …; hoàn thành báo cáo … trước ngày 05/5/2026", "Thời hạn các bộ,
    tỉnh gửi danh sách … chậm nhất là ngày 19/12/2025. Thời hạn các đối tượng trả lời phiếu …
    chậm nhất là ngày 26/01/2026") is due when its first job is: the job the item opens with,
    and the one whose subject the item names. Within one clause the last date still wins
    ("triển khai từ tháng 3/2026, hoàn thành trước ngày 30/6/2026").
    """
    due = [p for p in dated if p.deadline.end is not None and not _starts_only(flat, p)]
    clauses = {_clause_index(flat, p.start) for p in due}
    if len(clauses) < 2:
        return None
    first = min(clauses)
    return max((p for p in due if _clause_index(flat, p.start) == first), key=lambda p: p.start)


def _clause_index(flat: str, pos: int) -> int:
    """How many clause breaks (";", a sentence end) stand before ``pos``, outside parentheses."""
    depth = count = 0
    for i, ch in enumerate(flat[:pos]):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and (ch == ";" or (ch == "." and flat[i + 1:i + 2] == " " and flat[i + 2:i + 3].isupper())):
            count += 1
    return count


def _starts_only(flat: str, phrase: _Phrase) -> bool:
    """ "từ tháng 3/2026": a phrase that says when work starts, not when it is due."""
    return _FROM_START.match(flat, phrase.start) is not None


_FROM_START: Final = re.compile(r"(?:kể\s+từ|bắt\s+đầu\s+từ|từ)\b", re.IGNORECASE)


# --- Field values ------------------------------------------------------------------


def _flatten(text: str) -> str:
    """NFC with every whitespace run, line breaks included, made one space."""
    return collapse_spaces(_WHITESPACE.sub(" ", nfc(text)))


def _interpret(value: str) -> Deadline:
    """The Deadline of a whole field value (already flattened)."""
    # "Từ năm 2026 đến năm 2030" gives a start and an end from two phrases: the union
    # of all phrases is the span the field names.
    starts: list[dt.date] = []
    ends: list[dt.date] = []
    for match in _TIMED.finditer(value):
        if _is_cited_date(value, match.start()):
            continue
        start, end = _dates(match)
        if start is not None:
            starts.append(start)
        if end is not None:
            ends.append(end)
    start = min(starts) if starts else None
    end = max(ends) if ends else None
    open_ended = _OPEN_ENDED.search(value) is not None
    if open_ended:
        end = None
    if start is not None and end is not None and start > end:
        # "Từ năm 2030 đến năm 2026": a reversed span is a typo we cannot resolve.
        start = end = None
    recurrence, anchored = _recurrence(value)
    continuous = (
        open_ended
        or _ONGOING_WORD.search(value) is not None
        or (recurrence is not None and not anchored)
    )
    return Deadline(
        text=value,
        start=start,
        end=end,
        continuous=continuous,
        recurrence=recurrence,
    )


def _recurrence(value: str) -> tuple[str | None, bool]:
    """The most frequent recurrence named in ``value`` and whether it is anchored."""
    found: list[str] = []
    anchored = False
    for match in _ANCHORED_RECURRENCE.finditer(value):
        kind = _recurrence_of(match.group("rec"))
        if kind is not None:
            found.append(kind)
            anchored = True
    for match in _RECURRENCE.finditer(value):
        kind = _recurrence_kind(match)
        if kind is not None:
            found.append(kind)
    if not found:
        return None, False
    return min(found, key=_RECURRENCES.index), anchored


def _recurrence_of(phrase: str) -> str | None:
    """The recurrence of a phrase known to be one ("hằng tuần" -> "weekly", "tháng liền kề" ->
    "monthly")."""
    match = _RECURRENCE.search(phrase)
    if match is not None:
        return _recurrence_kind(match)
    following = _NEXT_PERIOD.match(phrase)
    return _PERIOD_RECURRENCE[following.group("unit").casefold()] if following is not None else None


def _recurrence_kind(match: re.Match[str]) -> str | None:
    """Map a :data:`_RECURRENCE` match to one of :data:`_RECURRENCES`, or None."""
    unit = (match.group("unit") or match.group("unit2")).casefold()
    raw_count = match.group("count") or match.group("count2")
    count = 1 if raw_count is None else _count(raw_count)
    if unit == "tuần":
        return "weekly" if count == 1 else None
    if unit == "quý":
        return "quarterly" if count == 1 else None
    if unit == "năm":
        return "yearly" if count == 1 else None
    return _MONTHS_TO_RECURRENCE.get(count)


def _count(word: str) -> int:
    """ "06" -> 6, "sáu" -> 6."""
    folded = word.casefold()
    return _WORD_COUNTS[folded] if folded in _WORD_COUNTS else int(folded)


# --- Calendar expressions ----------------------------------------------------------


def _dates(match: re.Match[str]) -> tuple[dt.date | None, dt.date | None]:
    """The (start, end) a qualified calendar expression of :data:`_TIMED` gives."""
    span = _calendar_span(match)
    if span is None:
        return None, None
    kind, first, last = span
    qualifier = _qualifier(match)
    if qualifier.startswith(_FROM_QUALIFIERS):
        return first, None
    if qualifier.startswith(_BY_QUALIFIERS) or kind == "day":
        return None, last
    # The contract reads "(hoàn thành) trong tháng 8/2026" as a due date, while a
    # quarter or a year after "trong" is a period of work.
    if kind == "month" and qualifier.startswith(("trong", "hoàn thành", "xong")):
        return None, last
    return first, last


def _qualifier(match: re.Match[str]) -> str:
    """The qualifier of a :data:`_TIMED` match, folded ("Chậm  nhất" -> "chậm nhất")."""
    raw = match.group("qual")
    return "" if raw is None else " ".join(raw.casefold().split())


def _calendar_span(match: re.Match[str]) -> tuple[str, dt.date, dt.date] | None:
    """(kind, first day, last day) of the :data:`_WHEN` part of ``match``.

    None when the text names no real date ("31/2/2026", "tháng 13/2026").
    """
    group = match.group
    try:
        if group("dn_y") is not None:
            day = dt.date(int(group("dn_y")), int(group("dn_m")), int(group("dn_d")))
            return "day", day, day
        if group("dw_y") is not None:
            day = dt.date(int(group("dw_y")), int(group("dw_m")), int(group("dw_d")))
            return "day", day, day
        if group("h_y") is not None:
            year = int(group("h_y"))
            months = 6 if group("h_n") is None else int(group("h_n"))
            if not 1 <= months <= 12:
                return None
            if group("h_side").casefold() == "đầu":
                return "part", dt.date(year, 1, 1), _month_end(year, months)
            return "part", dt.date(year, 13 - months, 1), dt.date(year, 12, 31)
        if group("q_y") is not None:
            year = int(group("q_y"))
            raw = group("q_q").upper()
            quarter = _ROMAN[raw] if raw in _ROMAN else int(raw)
            return "quarter", dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
        if group("m_y") is not None:
            year, month = int(group("m_y")), int(group("m_m"))
            return "month", dt.date(year, month, 1), _month_end(year, month)
        if group("p_a") is not None:
            first_year, last_year = int(group("p_a")), int(group("p_b"))
            if last_year < first_year:
                return None
            return "period", dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
        year = int(group("y_y"))
        return "year", dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        # An impossible day or month: the phrase is kept, its dates are not.
        return None


def _month_end(year: int, month: int) -> dt.date:
    """Last day of a month; raises ValueError for a month outside 1..12."""
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} out of range")
    return dt.date(year, month, calendar.monthrange(year, month)[1])


# --- Running text ------------------------------------------------------------------


def _phrases(flat: str) -> list[_Phrase]:
    """Every cue-based deadline phrase of ``flat``, in no particular order."""
    found: list[_Phrase] = []
    for match in _TIMED.finditer(flat) if _ANY_YEAR.search(flat) else ():
        if _is_deadline_cue(flat, match) and not _is_cited_date(flat, match.start()):
            start, end = _dates(match)
            found.append(_phrase(flat, match.start(), match.end(), start=start, end=end))
    for match in _ANCHORED_RECURRENCE.finditer(flat) if _ANY_ANCHORED_EVERY.search(flat) else ():
        kind = _recurrence_of(match.group("rec"))
        if kind is not None:
            found.append(_phrase(flat, match.start(), match.end(), recurrence=kind))
    for match in _RECURRENCE.finditer(flat):
        kind = _recurrence_kind(match)
        if kind is not None and _is_schedule(flat, match, kind):
            found.append(
                _phrase(flat, match.start(), match.end(), recurrence=kind, continuous=True)
            )
    for match in _ONGOING_PHRASE.finditer(flat):
        start = end = None
        if match.group("when") is not None:
            start, end = _dates(match)
        found.append(
            _phrase(flat, match.start(), match.end(), start=start, end=end, continuous=True)
        )
    found.extend(_parenthesised(flat))
    found.extend(_labelled(flat))
    found.extend(_fronted(flat))
    return found


def _fronted(flat: str) -> list[_Phrase]:
    """A time put before the task's subject: "Quý I/2027, các cơ quan, đơn vị đánh giá …".

    Only a quarter, month, day or part of a year: "Năm 2026, …" and "Giai đoạn 2026-2030, …"
    set the scene of a whole section as often as they date one task.
    """
    match = _TIMED.match(flat)
    if match is None or match.group("qual") is not None or not flat[match.end():].lstrip().startswith(","):
        return []
    span = _calendar_span(match)
    if span is None or span[0] in ("year", "period"):
        return []
    start, end = _dates(match)
    return [_phrase(flat, match.start(), match.end(), start=start, end=end)]


def _is_cited_date(text: str, start: int) -> bool:
    """Whether the calendar expression at ``start`` dates a document named just before it."""
    return _CITED_DATE_TAIL.search(text[max(0, start - 40) : start]) is not None


def _outside_notes(flat: str, phrases: list[_Phrase]) -> list[_Phrase]:
    """The phrases that speak for the whole item, not for a bracketed note.

    A parenthesis citing a document ("(Quyết định số … ngày 12/3/2025)") or noting one part
    of the item ("(trong đó, báo cáo sơ kết trước ngày 30/6/2026)") gives no deadline; a
    phrase inside any other parenthesis counts only when the running text has none of its
    own. A parenthesis holding only a time ("(Quý II/2026)") is the item's own deadline.
    """
    notes = [(m.start(), m.end(), m.group(1)) for m in _PARENTHESIS.finditer(flat)]
    if not notes:
        return phrases
    primary: list[_Phrase] = []
    secondary: list[_Phrase] = []
    for phrase in phrases:
        note = next(((lo, hi, inner) for lo, hi, inner in notes if lo < phrase.start and phrase.end < hi), None)
        if note is None:
            primary.append(phrase)
            continue
        lo, hi, inner = note
        if _CITING.search(inner) or _PART_NOTE.match(inner):
            continue
        if flat[lo + 1 : hi - 1].strip(" *_") == flat[phrase.start : phrase.end]:
            primary.append(phrase)  # "(Quý II/2026)": the whole parenthesis is the time
        else:
            secondary.append(phrase)
    return primary or secondary


def _phrase(
    flat: str,
    lo: int,
    hi: int,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    continuous: bool = False,
    recurrence: str | None = None,
) -> _Phrase:
    """A candidate whose text is ``flat[lo:hi]``, so it is always a slice of the input."""
    return _Phrase(lo, hi, Deadline(flat[lo:hi], start, end, continuous, recurrence))


def _is_deadline_cue(flat: str, match: re.Match[str]) -> bool:
    """Whether a calendar expression of the running text is a deadline."""
    span = _calendar_span(match)
    kind = span[0] if span is not None else _syntactic_kind(match)
    # "hoàn thành 1500 căn hộ ... 2026": a bare number is only a year in a field value.
    if kind == "year" and match.group("y_word") is None:
        return False
    qualifier = _qualifier(match)
    # The cues looked for before a phrase sit within its clause, a few words back;
    # bounding the look-back keeps long texts linear.
    before = flat[max(0, match.start() - _LOOK_BACK) : match.start()]
    if _is_past(before):
        return False
    if qualifier.startswith(_STRONG_CUES):
        return True
    # "hoàn thành dự án vào năm 2026": a weak qualifier is made a deadline by a
    # completion verb earlier in the clause.
    completed = _completion_in_clause(before)
    if qualifier.startswith("trong"):
        # "trong giai đoạn 2026-2030" is the plan's scope unless something is to be
        # completed within it.
        return kind != "period" or completed
    if qualifier == "vào":
        return completed
    if qualifier in ("đến", "đến hết", "tới"):
        # "đến năm 2030" is the plan's horizon even after a completion verb ("hoàn
        # thành Quy hoạch tỉnh thời kỳ 2021-2030, tầm nhìn đến năm 2050").
        if kind in ("year", "period"):
            return False
        # "đến ngày 30/6/2026" is a deadline, "tính đến ngày 31/12/2025" a cut-off.
        return completed or (kind == "day" and _CUTOFF_TAIL.search(before[-12:]) is None)
    if qualifier == "" and kind == "day":
        # "hoàn thành việc lập hồ sơ ngày 30/6/2026"
        return completed and match.group("when").casefold().startswith("ngày")
    return False


def _syntactic_kind(match: re.Match[str]) -> str:
    """The kind of a :data:`_TIMED` match whose date is impossible ("31/2/2026")."""
    if match.group("dn_y") is not None or match.group("dw_y") is not None:
        return "day"
    for group, kind in (("h_y", "part"), ("q_y", "quarter"), ("m_y", "month")):
        if match.group(group) is not None:
            return kind
    return "period" if match.group("p_a") is not None else "year"


def _is_past(before: str) -> bool:
    """Whether "đã" is among the three words before a phrase ("đã khởi công năm 2025")."""
    words = _clause(before).split()[-3:]
    return any(word.casefold().strip(",*") == "đã" for word in words)


def _clause(before: str) -> str:
    """The part of ``before`` after its last clause break."""
    cut = max(before.rfind(char) for char in _CLAUSE_BREAKS)
    return before[cut + 1 :]


def _completion_in_clause(before: str) -> bool:
    """Whether the clause ending at a phrase completes something before it.

    True for "hoàn thành dự án ..." but not for "đã hoàn thành ..." (history), nor when
    a document number stands in between ("hoàn thành Kế hoạch số 12/KH-UBND ngày
    5/3/2026": the date is that document's).
    """
    clause = _clause(before)
    verbs = list(_COMPLETION.finditer(clause))
    if not verbs:
        return False
    verb = verbs[-1]
    between = clause[verb.end() :]
    return (
        len(between) <= 80
        and _DOCUMENT_REFERENCE.search(between) is None
        and not _is_past(clause[: verb.start()])
    )


def _is_schedule(flat: str, match: re.Match[str], kind: str) -> bool:
    """Whether a bare recurrence of the running text schedules the task.

    "báo cáo hằng tháng" and "định kỳ 6 tháng" do; "kế hoạch đầu tư công trung hạn và
    hằng năm" names a kind of plan and "bình quân hàng năm" an average, so a bare
    yearly word counts only after "định kỳ".
    """
    if _AVERAGE_TAIL.search(flat[max(0, match.start() - 16) : match.start()]) is not None:
        return False
    lead = (match.group("lead") or "").casefold()
    return kind != "yearly" or lead.startswith("định")


def _parenthesised(flat: str) -> list[_Phrase]:
    """Deadlines written alone in a parenthesis: "(Quý II/2026)", "(thường xuyên)".

    A lone year or period in parentheses ("(giai đoạn 2021-2025)") is scope, not a
    deadline.
    """
    found: list[_Phrase] = []
    for match in _PARENTHESIS.finditer(flat):
        inner = match.group(1)
        # Markdown emphasis and spaces around the content are not part of the phrase.
        stripped = inner.strip(" *_")
        if not stripped:
            continue
        lo = match.start(1) + inner.index(stripped)
        hi = lo + len(stripped)
        timed = _TIMED.fullmatch(stripped)
        if timed is not None:
            kind = _calendar_span(timed)
            if timed.group("qual") is not None or (
                kind is not None and kind[0] not in ("year", "period")
            ):
                start, end = _dates(timed)
                found.append(_phrase(flat, lo, hi, start=start, end=end))
            continue
        if _ONGOING_WORD.fullmatch(stripped) is not None:
            found.append(_phrase(flat, lo, hi, continuous=True))
            continue
        every = _RECURRENCE.fullmatch(stripped)
        if every is not None:
            kind_name = _recurrence_kind(every)
            if kind_name is not None:
                found.append(_phrase(flat, lo, hi, recurrence=kind_name, continuous=True))
    return found


def _labelled(flat: str) -> list[_Phrase]:
    """ "Thời gian hoàn thành: Năm 2026" inside running text: the value is a field."""
    found: list[_Phrase] = []
    for match in _FIELD_LABEL.finditer(flat):
        value = match.group("value")
        stripped = value.strip(" *_")
        if not stripped:
            continue
        lo = match.start("value") + value.index(stripped)
        hi = lo + len(stripped)
        parsed = _interpret(stripped)
        found.append(
            _phrase(
                flat,
                lo,
                hi,
                start=parsed.start,
                end=parsed.end,
                continuous=parsed.continuous,
                recurrence=parsed.recurrence,
            )
        )
    return found


def _outermost(phrases: list[_Phrase]) -> list[_Phrase]:
    """Drop phrases lying inside another ("hằng tuần" in "vào thứ 2 hằng tuần")."""
    kept: list[_Phrase] = []
    reach = -1
    # Sorted by start, longest first: a phrase lies inside an earlier one exactly when
    # it ends no later than the furthest end seen so far.
    for phrase in sorted(phrases, key=lambda p: (p.start, -p.end)):
        if phrase.end <= reach:
            continue
        kept.append(phrase)
        reach = phrase.end
    return kept


def _has_dates(deadline: Deadline) -> bool:
    return deadline.start is not None or deadline.end is not None


def _merge(flat: str, best: _Phrase, phrases: list[_Phrase]) -> Deadline:
    """``best`` completed with a recurrence / "thường xuyên" named by other phrases.

    "báo cáo hằng quý ... hoàn thành trước ngày 31/12/2026" is quarterly work due at
    the end of 2026. The merged text spans every phrase used when they sit close
    together in one sentence, and is ``best``'s own text otherwise.
    """
    used = [best]
    deadline = best.deadline
    recurrence, continuous = deadline.recurrence, deadline.continuous
    others = sorted((p for p in phrases if p is not best), key=lambda p: p.start)
    if recurrence is None:
        donor = next((p for p in reversed(others) if p.deadline.recurrence), None)
        if donor is not None:
            recurrence = donor.deadline.recurrence
            continuous = continuous or donor.deadline.continuous
            used.append(donor)
    if not continuous:
        donor = next((p for p in reversed(others) if p.deadline.continuous), None)
        if donor is not None:
            continuous = True
            used.append(donor)
    if len(used) == 1:
        return deadline
    lo, hi = min(p.start for p in used), max(p.end for p in used)
    covering = flat[lo:hi]
    close = len(covering) <= _MERGED_TEXT_LIMIT and not any(c in covering for c in ".;")
    text = covering if close else deadline.text
    return Deadline(text, deadline.start, deadline.end, continuous, recurrence)
