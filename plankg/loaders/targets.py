"""Targets: find the quantified targets (*chỉ tiêu*) in the text of one plan item.

Place in the pipeline: the plan loaders split a document into headings and items,
then call :func:`find_targets` on the full text of every item (a numbered item,
bullet or paragraph). They say whether the item sits in an objectives part
("MỤC TIÊU", "CHỈ TIÊU") and pass the year of the enclosing period heading, which
they compute with :func:`period_year`. Each :class:`TargetMatch` becomes a
:class:`plankg.model.Target` once the loader adds its id, path and line. Both
functions are pure and never raise.

How a target is read:

* The item is cut into clauses at ";" and at sentence ends (". "), never at the
  thousands dots of "6.800".
* A *quantity* is a number written the Vietnamese way ("6.800" = 6800, "45,83" =
  45.83) or a range ("từ 9 đến 11%", "1,5- 1,9%"), followed by a target unit ("%",
  "tấn", "triệu USD", "m2", "người/năm", ...). A number without such a unit is
  never a quantity: ages ("5 tuổi"), durations ("3 tháng"), levels ("mức độ 3"),
  counts of projects ("06 dự án"), technical specs ("220kV", "4G"), document
  numbers ("06-NQ/TW"), dates ("24/01/2022"), periods ("2021 - 2030"), chainages
  ("Km15+800/QL279") and map scales ("1/500").
* In an objectives part every quantity is a target. Elsewhere a quantity is a
  target only when a target cue ("đạt", "phấn đấu", "khoảng", "trên", ...) occurs
  among the eight words before it in its clause, or "trở lên" follows it.
* A target's ``text`` runs from the end of the previous quantity in its clause (or
  the clause start) to the end of its own quantity, "trở lên" and "/năm" included.
  Its ``indicator`` is that text without cue words and year phrases ("Tỷ lệ hộ
  nghèo"), or, when nothing is left ("100% tổ dân phố có nhà văn hoá"), the words
  after the quantity.
* Its ``year`` is the last "(đến | vào) năm YYYY" of its own text, else the
  caller's ``default_year``. Years in brackets ("theo giá so sánh năm 2010"), in
  dates ("tháng 3 năm 2026") and baselines ("so với năm 2020") do not count.

The text must be NFC and single-spaced, as every loader stage passes it;
:func:`find_targets` does not normalise it, so that ``start`` and ``end`` index
exactly the string given.

>>> [(t.indicator, t.value, t.unit, t.year) for t in find_targets(
...     "(1). Tổng sản lượng lương thực có hạt đến năm 2030 đạt 6.800 tấn.", objective=True)]
[('Tổng sản lượng lương thực có hạt', 6800.0, 'tấn', 2030)]
>>> t, = find_targets("Tỷ lệ đô thị hóa phấn đấu đạt trên 26%.", objective=False, default_year=2025)
>>> t.text, t.value, t.comparator, t.year
('Tỷ lệ đô thị hóa phấn đấu đạt trên 26%', 26.0, '>', 2025)
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Final

from plankg.normalize import collapse_spaces, nfc

__all__ = ["TargetMatch", "find_targets", "period_year"]

#: How many words before a quantity are searched for a target cue outside objectives.
CUE_WINDOW: Final = 8

# Characters before a quantity searched for the words glued to it ("giảm xuống dưới",
# "năm", "so với"). Looking back to the clause start instead would make a long
# clause with many values (a flattened table) quadratic.
_NEAR: Final = 40

# --- Building blocks (pattern text only; compiled into the regexes below) -----------

# A number: "6.800" (dots group thousands), "45,83" and "2,2" (comma is the decimal
# mark), "600". "1.5" cannot be a thousands group (groups have three digits), so it is
# read as the English-style decimal that Word exports sometimes contain.
_NUMBER: Final = r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+\.\d{1,2}(?!\d)|\d+(?:,\d+)?)"

# Scale words before a counted unit: "2,2 triệu USD", "168 nghìn tỷ đồng".
_SCALE: Final = r"(?:(?:nghìn|ngàn|triệu|tỷ|tỉ)\s+){0,2}"

# Target units. "đồng chí", "đồng bộ", "xã hội" are words, not units; "tuổi",
# "tháng", "năm", "ngày", "mức độ", "loại", "dự án", "lần" and "kV" are deliberately
# absent, so "trẻ từ 3- 5 tuổi", "dưới 3 tháng", "06 dự án" and "220kV" are no quantities.
_UNIT_BASE: Final = (
    r"%"  # "45,83%", "10%/năm"
    rf"|{_SCALE}(?:đồng(?!\s+(?:chí|bộ|thời|bào|đều|loạt)(?!\w))|USD|tấn"  # "2,2 triệu USD"
    r"|lượt\s+(?:người|khách)|lượt|người|lao\s+động|khách)"  # "90 lượt người/năm"
    r"|km(?:\^\s*2|²|2)|m(?:\^\s*2|²|\s?2)"  # "29,1m2", "28 m^2", "32 m²", "10 m 2"
    r"|km|ha|hộ|xã(?!\s+hội)|giường(?:\s+bệnh)?|bác\s+sĩ|doanh\s+nghiệp|sản\s+phẩm"
)

# A rate suffix: "10%/năm", "600 người/năm", "35 giường bệnh/vạn dân".
_PER: Final = r"(?:\s*/\s*(?:năm|người|tháng|vạn\s+dân|nghìn\s+dân|ha|hộ)(?!\w))*"

# --- Regexes ------------------------------------------------------------------------

# A quantity: a range or a single number, then a unit, then an optional "trở lên".
#   "từ 9 đến 11%", "11 - 16%", "1,5- 1,9%", "6 - 8m2", "6.800 tấn",
#   "99,9% trở lên", "168 nghìn tỷ đồng".
# The look-behind keeps out the digits of "Km15+800/QL279", "24/01/2022", "8/2026",
# "1/500", "06-NQ/TW" and the decimals of numbers already read.
_QUANTITY: Final = re.compile(
    rf"""
    (?<![\w.,/+\-–^])
    (?:
        từ\s+(?P<lo1>{_NUMBER})(?:\s*%)?\s*(?:đến|[-–])\s*(?P<hi1>{_NUMBER})
      | (?P<lo2>{_NUMBER})(?:\s*%)?\s*[-–]\s*(?P<hi2>{_NUMBER})
      | (?P<one>{_NUMBER})
    )
    \s*(?P<unit>(?P<base>{_UNIT_BASE})(?:(?<=%)|(?!\w)){_PER})
    (?P<trail>\s+trở\s+(?:lên|xuống)(?!\w))?
    """,
    re.IGNORECASE | re.VERBOSE,
)

_DIGIT: Final = re.compile(r"\d")

# Whatever ends a clause: ";" or a sentence end. "6.800" has no blank after its dot.
#   "... đạt 99,7%; 100% tổ dân phố có nhà văn hoá; ..."
_CLAUSE_BREAK: Final = re.compile(r";|\.(?=\s|$)")

# A year-like number read as a year, not a quantity: "năm 2025 hộ nghèo ...".
_YEAR_BEFORE: Final = re.compile(r"(?<!\w)(?:năm|giai\s+đoạn|thời\s+kỳ)\s*$", re.IGNORECASE)

# Target cues outside objectives, searched in the words before a quantity:
#   "tăng trưởng ... bình quân hàng năm đạt khoảng từ 9 đến 11%",
#   "cần huy động tổng số vốn đầu tư toàn xã hội khoảng 168 nghìn tỷ đồng".
# "tăng cường", "trên địa bàn", "trên cơ sở" and "dưới sự" are phrases, not cues.
_CUE: Final = re.compile(
    r"(?<!\w)(?:đạt|phấn\s+đấu|tăng(?!\s+cường)|giảm|duy\s+trì|khoảng|xấp\s+xỉ"
    r"|tối\s+thiểu|tối\s+đa|trên(?!\s+(?:địa\s+bàn|cơ\s+sở))|dưới(?!\s+sự)|hơn|vượt"
    r"|không\s+quá|không\s+thấp\s+hơn|không\s+dưới|ít\s+nhất|chiếm|là|bình\s+quân)(?!\w)",
    re.IGNORECASE,
)

# The comparator word right before a quantity:
#   "giảm xuống dưới 11,1%", "đạt trên 12m2", "đạt tối thiểu 28 m^2", "khoảng 168 ...".
# Anchored at the quantity, so the "trên" of "đất xây dựng đô thị trên tổng diện
# tích ... đạt khoảng 1,5- 1,9%" is no comparator.
_COMPARATOR_BEFORE: Final = re.compile(
    r"(?<!\w)(?P<cmp>giảm\s+xuống\s+dưới|xuống\s+dưới|không\s+thấp\s+hơn|không\s+ít\s+hơn"
    r"|không\s+dưới|tối\s+thiểu|ít\s+nhất|không\s+vượt\s+quá|không\s+quá|không\s+cao\s+hơn"
    r"|không\s+nhiều\s+hơn|tối\s+đa|thấp\s+hơn|ít\s+hơn|nhỏ\s+hơn|dưới|cao\s+hơn"
    r"|nhiều\s+hơn|lớn\s+hơn|trên|hơn|vượt|khoảng|xấp\s+xỉ|gần)\s*$",
    re.IGNORECASE,
)

_COMPARATORS: Final[dict[str, str]] = {
    "giảm xuống dưới": "<",
    "xuống dưới": "<",
    "dưới": "<",
    "thấp hơn": "<",
    "ít hơn": "<",
    "nhỏ hơn": "<",
    "không thấp hơn": ">=",
    "không ít hơn": ">=",
    "không dưới": ">=",
    "tối thiểu": ">=",
    "ít nhất": ">=",
    "không vượt quá": "<=",
    "không quá": "<=",
    "không cao hơn": "<=",
    "không nhiều hơn": "<=",
    "tối đa": "<=",
    "cao hơn": ">",
    "nhiều hơn": ">",
    "lớn hơn": ">",
    "trên": ">",
    "hơn": ">",
    "vượt": ">",
    "khoảng": "~",
    "xấp xỉ": "~",
    "gần": "~",
}

# A target year inside the target's text: "Tỷ lệ hộ nghèo đến năm 2030 là 0,5%",
# "vào năm 2025", "kế hoạch 5 năm 2021 - 2025" (the period's last year counts).
_YEAR_PHRASE: Final = re.compile(
    r"(?<!\w)(?:(?:đến|vào|trong)\s+)?năm\s+(?P<year>(?:19|20)\d{2})"
    r"(?:\s*[-–]\s*(?P<end>(?:19|20)\d{2}))?(?!\d)",
    re.IGNORECASE,
)

# A "năm YYYY" that is no target year: a date ("ngày 30 tháng 3 năm 2026") or a
# baseline ("giảm 10% so với năm 2020").
_NOT_TARGET_YEAR: Final = re.compile(r"(?:tháng\s+\d{1,2}|so\s+với(?:\s+cùng\s+kỳ)?)\s*$", re.IGNORECASE)

# Where a list of prefix-style quantities splits: "95% hộ gia đình, 100% tổ dân phố".
_LIST_SEPARATOR: Final = re.compile(r",\s|\svà\s")

# Labels, bullets and joiners before a target's text: "(1). ", "- ", "· ", "a) ",
# "2.1. ", ", ", "và ".
_LEADING_JUNK: Final = re.compile(
    r"(?:[\s,;:·•*+\-–—]+|và(?=\s|$)|\(\d{1,2}\)\.?|[a-zđ]\)(?=\s|$)|\d{1,2}(?:\.\d{1,2})*\.(?=\s|$))+",
    re.IGNORECASE,
)

# Words that say how a value is reached, not what is measured; peeled off the end
# of an indicator: "Tỷ lệ đô thị hóa phấn đấu đạt trên" -> "Tỷ lệ đô thị hóa".
_TRAILING_CUE: Final = re.compile(
    r"(?<!\w)(?:đạt|là|ở\s+mức|mức|khoảng|xấp\s+xỉ|gần|trên|dưới|hơn|vượt|tối\s+thiểu|tối\s+đa"
    r"|không\s+vượt\s+quá|không\s+quá|không\s+thấp\s+hơn|không\s+dưới|ít\s+nhất|phấn\s+đấu"
    r"|duy\s+trì|giảm\s+xuống|xuống|lên|từ|chiếm|còn|bằng|cho|tương\s+đương)\s*$",
    re.IGNORECASE,
)

# Left at the end of an indicator once the value is cut off: "đạt khoảng (", "là: ".
_TRAILING_PUNCTUATION: Final = frozenset(" \t\r\n,;:-–—(")

# Openers that frame a target rather than name it: "Duy trì tỷ lệ đường trục chính
# được cứng hóa đạt 100%", "Để thực hiện mục tiêu tăng trưởng ...".
_LEADING_FRAME: Final = re.compile(
    r"(?:phấn\s+đấu|duy\s+trì|tiếp\s+tục|để\s+thực\s+hiện\s+mục\s+tiêu)(?!\w)\s*", re.IGNORECASE
)

# A setting before the indicator, up to its comma: "trong thời kỳ quy hoạch 2021 - 2030,
# tỉnh Lai Châu cần huy động tổng số vốn đầu tư toàn xã hội khoảng 168 nghìn tỷ đồng".
_LEADING_SETTING: Final = re.compile(r"(?:trong|theo|đến|vào|sau|trước|tại)\s[^,;()]*,\s*(?=\S)", re.IGNORECASE)

# An indicator that is only a bracket belongs to the value before it, as in the
# table row "36% (tương đương 21 nghìn tỷ) 31%".
_ONLY_BRACKET: Final = re.compile(r"\([^()]*\)")

# Period and horizon phrases of headings: "Giai đoạn 2021-2025", "Đến năm 2025",
# "II. CÁC MỤC TIÊU, CHỈ TIÊU ĐẾN NĂM 2030", "Tầm nhìn đến năm 2045".
_HEADING_PERIOD: Final = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*[-–]\s*(?P<end>(?:19|20)\d{2})(?!\d)")
_HEADING_HORIZON: Final = re.compile(r"(?<!\w)(?:năm|đến)\s+(?P<year>(?:19|20)\d{2})(?!\d)", re.IGNORECASE)
# Dates in headings are no horizon: "ngày 24/01/2022", "ngày 30 tháng 3 năm 2026".
_HEADING_DATE: Final = re.compile(r"\d{1,2}/\d{1,2}/\d{4}|tháng\s+\d{1,2}\s+năm\s+\d{4}", re.IGNORECASE)

_SQUARE: Final = re.compile(r"(k?)m(?:\^\s*2|²|\s?2)", re.IGNORECASE)  # "28 m^2" -> "m2"
_SPACED_SLASH: Final = re.compile(r"\s*/\s*")  # "% / năm" -> "%/năm"
_DOT_DECIMAL: Final = re.compile(r"\d+\.\d{1,2}")  # "1.5" (a "6.800" group has 3 digits)


@dataclass(frozen=True)
class TargetMatch:
    """One quantified target found in an item's text.

    ``value`` is a float, or ``(low, high)`` for a range ("từ 9 đến 11%").
    ``comparator`` is one of ``=``, ``<``, ``<=``, ``>``, ``>=``, ``~``.
    ``unit`` is always set by :func:`find_targets` (a number without a target unit
    is no target); the type admits None to match :class:`plankg.model.Target`.
    ``start``/``end`` locate ``text`` in the string given to :func:`find_targets`.
    """

    text: str
    indicator: str
    value: float | tuple[float, float]
    unit: str | None
    comparator: str
    year: int | None
    start: int
    end: int


@dataclass(frozen=True)
class _Quantity:
    start: int
    end: int
    value: float | tuple[float, float]
    unit: str
    trail: str | None  # "trở lên" / "trở xuống", as written


def find_targets(text: str, *, objective: bool, default_year: int | None = None) -> list[TargetMatch]:
    """Return the targets of one item's text, in text order.

    Parameters
    ----------
    text
        Full text of one item, NFC (several sentences allowed).
    objective
        True when the item sits in an objectives part; every quantity is then a
        target. Otherwise a quantity needs a target cue before it.
    default_year
        Year of the enclosing period heading (see :func:`period_year`); used when the
        target's own text names no year.

    Examples
    --------
    >>> [(t.value, t.unit, t.comparator) for t in find_targets(
    ...     "tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng giảm xuống dưới 11,1%; tỷ lệ dân số"
    ...     " tham gia bảo hiểm y tế đạt 99,7%", objective=True)]
    [(11.1, '%', '<'), (99.7, '%', '=')]
    >>> find_targets("hoàn thiện hồ sơ, thủ tục trình phê duyệt 06 dự án", objective=False)
    []
    """
    found: list[TargetMatch] = []
    for start, end in _clauses(text):
        found.extend(_clause_targets(text, start, end, objective, default_year))
    return found


# Asked for each heading above every item: the same headings again and again.
@functools.lru_cache(maxsize=16_384)
def period_year(heading: str) -> int | None:
    """Return the year a period heading points to, or None.

    A period gives its last year, a horizon its year. A heading that names several
    different years ("Mục tiêu cụ thể đến năm 2025, định hướng đến năm 2030") is
    ambiguous and gives None: its sub-headings carry one year each.

    >>> period_year("2.1. Giai đoạn 2021-2025"), period_year("2.1. Đến năm 2025")
    (2025, 2025)
    >>> period_year("II. CÁC MỤC TIÊU, CHỈ TIÊU ĐẾN NĂM 2030")
    2030
    >>> period_year("Tầm nhìn đến năm 2045"), period_year("1. Mục tiêu tổng quát")
    (2045, None)
    >>> print(period_year("2. Mục tiêu cụ thể đến năm 2025, định hướng đến năm 2030"))
    None
    """
    rest = _HEADING_DATE.sub(" ", nfc(heading))
    years = {int(m.group("end")) for m in _HEADING_PERIOD.finditer(rest)}
    rest = _HEADING_PERIOD.sub(" ", rest)
    years.update(int(m.group("year")) for m in _HEADING_HORIZON.finditer(rest))
    return years.pop() if len(years) == 1 else None


# --- Clauses and quantities ---------------------------------------------------------


def _clauses(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _CLAUSE_BREAK.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _quantities(text: str, start: int, end: int) -> list[_Quantity]:
    # endpos stops the unit (and its look-aheads) at the clause end; look-behinds
    # still see the real text before ``start``.
    found: list[_Quantity] = []
    if _DIGIT.search(text, start, end) is None:
        return found  # every quantity holds a number (most clauses have none)
    for m in _QUANTITY.finditer(text, start, end):
        unit = _normalise_unit(m.group("unit"), m.group("base"))
        trail = _squash(m.group("trail")) if m.group("trail") else None
        one = m.group("one")
        if one is not None:
            if _is_year(one) and _YEAR_BEFORE.search(text, _near(start, m.start()), m.start()):
                continue
            found.append(_Quantity(m.start(), m.end(), _to_float(one), unit, trail))
            continue
        group = "1" if m.group("lo1") is not None else "2"
        low, high = _to_float(m.group("lo" + group)), _to_float(m.group("hi" + group))
        if low <= high:
            found.append(_Quantity(m.start(), m.end(), (low, high), unit, trail))
        else:
            # "2030 - 25%" is no range: keep only the number that carries the unit.
            found.append(_Quantity(m.start("hi" + group), m.end(), high, unit, trail))
    return found


def _clause_targets(text: str, start: int, end: int, objective: bool, default_year: int | None) -> list[TargetMatch]:
    quantities = _quantities(text, start, end)
    if not quantities:
        return []
    indicators = _indicators(text, start, end, quantities)
    found: list[TargetMatch] = []
    previous_end = start
    for quantity, indicator in zip(quantities, indicators, strict=True):
        span_start = _skip_leading_junk(text, previous_end, quantity.start)
        previous_end = quantity.end
        if not objective and not _has_cue(text, start, quantity):
            continue
        own_text = text[span_start : quantity.end]
        found.append(
            TargetMatch(
                text=own_text,
                indicator=indicator or collapse_spaces(own_text),
                value=quantity.value,
                unit=quantity.unit,
                comparator=_comparator(text, start, quantity),
                year=_year(text, span_start, quantity.start, default_year),
                start=span_start,
                end=quantity.end,
            )
        )
    return found


def _indicators(text: str, start: int, end: int, quantities: list[_Quantity]) -> list[str]:
    # Most targets name their indicator before the value ("Tỷ lệ che phủ rừng 45,83%");
    # some after it ("100% tổ dân phố có nhà văn hoá"), possibly as a list ("95% hộ
    # gia đình, 100% tổ dân phố, ..."). In such a list the text between two values is
    # split at its last comma or "và": the left part names the earlier value.
    indicators = [""] * len(quantities)
    after_first = [False] * len(quantities)
    previous_end = start
    for i, quantity in enumerate(quantities):
        own_start = previous_end
        if i > 0 and after_first[i - 1]:
            separator = _last_separator(text, previous_end, quantity.start)
            if separator is None:
                indicators[i - 1] = _clean_indicator(text[previous_end : quantity.start])
                own_start = quantity.start
            else:
                indicators[i - 1] = _clean_indicator(text[previous_end : separator.start()])
                own_start = separator.end()
        indicators[i] = _clean_indicator(text[own_start : quantity.start])
        after_first[i] = not indicators[i]
        previous_end = quantity.end
    if after_first[-1]:
        indicators[-1] = _clean_indicator(text[quantities[-1].end : end])
    return indicators


def _last_separator(text: str, start: int, end: int) -> re.Match[str] | None:
    last = None
    for m in _LIST_SEPARATOR.finditer(text, start, end):
        last = m
    return last


# --- Attributes of one target -------------------------------------------------------


def _has_cue(text: str, start: int, quantity: _Quantity) -> bool:
    if quantity.trail:  # "99,9% trở lên" states a threshold on its own
        return True
    window = " ".join(_last_words(text, start, quantity.start, CUE_WINDOW))
    return _CUE.search(window) is not None


def _comparator(text: str, start: int, quantity: _Quantity) -> str:
    if quantity.trail:
        return ">=" if quantity.trail.casefold().endswith("lên") else "<="
    m = _COMPARATOR_BEFORE.search(text, _near(start, quantity.start), quantity.start)
    if m is None:
        return "="
    return _COMPARATORS.get(_squash(m.group("cmp")).lower(), "=")


def _year(text: str, start: int, end: int, default_year: int | None) -> int | None:
    year = default_year
    depth, counted = 0, start  # bracket depth at ``counted``, kept up incrementally
    for m in _YEAR_PHRASE.finditer(text, start, end):
        depth += text.count("(", counted, m.start()) - text.count(")", counted, m.start())
        counted = m.start()
        # "(theo giá so sánh năm 2010)" and dates name no target year.
        if depth > 0:
            continue
        if _NOT_TARGET_YEAR.search(text, _near(start, m.start()), m.start()):
            continue
        year = int(m.group("end") or m.group("year"))
    return year


def _near(start: int, pos: int) -> int:
    return max(start, pos - _NEAR)


def _last_words(text: str, start: int, end: int, count: int) -> list[str]:
    # The last ``count`` words of text[start:end], reading only as far back as needed.
    width = 16 * count
    while True:
        low = max(start, end - width)
        words = text[low:end].rsplit(maxsplit=count)
        if len(words) > count:  # words[0] is the (maybe cut) rest of the window
            return words[1:]
        if low == start:
            return words
        width *= 4


def _skip_leading_junk(text: str, pos: int, limit: int) -> int:
    m = _LEADING_JUNK.match(text, pos, limit)
    return m.end() if m else pos


def _clean_indicator(raw: str) -> str:
    cleaned = _YEAR_PHRASE.sub(" ", raw)
    # Peel cue words off the end and labels, frames and settings off the front, by
    # moving two indices: slicing on every step would be quadratic on long runs.
    begin, end = 0, len(cleaned)
    while True:
        before = (begin, end)
        while end > begin and cleaned[end - 1] in _TRAILING_PUNCTUATION:
            end -= 1
        m = _TRAILING_CUE.search(cleaned, max(begin, end - _NEAR), end)
        if m:
            end = m.start()
        for pattern in (_LEADING_JUNK, _LEADING_FRAME, _LEADING_SETTING):
            m = pattern.match(cleaned, begin, end)
            if m:
                begin = m.end()
        if (begin, end) == before:
            break
    cleaned = collapse_spaces(cleaned[begin:end])
    if _ONLY_BRACKET.fullmatch(cleaned) or not any(ch.isalpha() for ch in cleaned):
        return ""
    return cleaned


# --- Numbers and units --------------------------------------------------------------


def _to_float(raw: str) -> float:
    if "," in raw:
        whole, fraction = raw.split(",", 1)
        return float(whole.replace(".", "") + "." + fraction)
    if _DOT_DECIMAL.fullmatch(raw):
        return float(raw)
    return float(raw.replace(".", ""))


def _is_year(raw: str) -> bool:
    return raw.isdigit() and 1900 <= int(raw) <= 2100


def _squash(text: str) -> str:
    # Every blank the regexes' \s accepts (collapse_spaces keeps line breaks), so that
    # units and comparator words compare exactly.
    return " ".join(text.split())


def _normalise_unit(raw: str, base: str) -> str:
    unit = _squash(raw)
    if _SQUARE.fullmatch(base):
        unit = _SQUARE.sub(r"\1m2", unit, count=1)
    return _SPACED_SLASH.sub("/", unit)
