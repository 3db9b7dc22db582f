"""Every structural regex of the loaders, each with a real example line.

Patterns for deadlines and targets live beside their parsers (``deadlines.py``,
``targets.py``); the ones here describe layout: numbering labels, header lines,
document numbers and the signature block.
"""

from __future__ import annotations

import functools
import re

# Vietnamese letters used for lettered items: a) b) c) d) đ) e) g) h) i) k) ...
VI_LOWER = "a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
VI_UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"

# --- numbering labels -------------------------------------------------------------
# Each entry: (style, regex). The regex must match at the start of a cleaned line and
# expose group "label"; the rest of the line after the match is the item's text.
LABELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "Phần I. TÌNH HÌNH" / "PHẦN THỨ HAI"
    ("part", re.compile(r"(?i:phần)\s+(?P<label>[IVXLC]+|\d{1,2}|thứ\s+\w+)\b\s*[.:\-–]?\s*")),
    # "Chương II. TỔ CHỨC THỰC HIỆN"
    ("chapter", re.compile(r"(?i:chương)\s+(?P<label>[IVXLC]+|\d{1,2})\b\s*[.:\-–]?\s*")),
    # "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch ..."
    ("article", re.compile(r"(?i:điều)\s+(?P<label>\d{1,3})\s*[.:\-–]\s*")),
    # "Khoản 2." (rare in plans, common in decisions)
    ("clause", re.compile(r"(?i:khoản)\s+(?P<label>\d{1,3})\s*[.:\-–]\s*")),
    # "I. MỤC ĐÍCH, YÊU CẦU" / "II- MỤC TIÊU" / "IV – TỔ CHỨC THỰC HIỆN"
    ("roman", re.compile(r"(?P<label>[IVX]{1,5})\s*[.\-–:]\s*(?=\S)")),
    # "1.1.1. Nội dung: ..." / "2.1.Giai đoạn 2021-2025"
    ("dotted3", re.compile(r"(?P<label>\d{1,2}\.\d{1,2}\.\d{1,2})\.?\s*(?=[^\d\s.])")),
    ("dotted2", re.compile(r"(?P<label>\d{1,2}\.\d{1,2})\.?\s*(?=[^\d\s.])")),
    # "(1). Tổng sản lượng lương thực có hạt ..." / "(a) ..."
    ("paren", re.compile(r"\((?P<label>\d{1,2}|[" + VI_LOWER[:3] + r"đ])\)\.?\s*(?=\S)")),
    # "1. Mục tiêu tổng quát" / "2) ..."
    ("arabic", re.compile(r"(?P<label>\d{1,2})\s*[.)]\s*(?=\S)(?!\d)")),
    # "1- Mục tiêu" / "2 – Nhiệm vụ" (a dash then a capital: not "20-30%")
    ("arabic-dash", re.compile(r"(?P<label>\d{1,2})\s*[-–]\s+(?=[" + VI_UPPER + r"])")),
    # "a) Sở Y tế" / "đ) Ban Quản lý dự án đầu tư xây dựng tỉnh"
    ("letter", re.compile(r"(?P<label>[a-zđ])\s*\)\s*(?=\S)")),
    # "- Cơ quan chủ trì: ..." / "· Tỷ lệ phủ kín ..." / "+ Đầu tư nâng cấp ..."
    ("dash", re.compile(r"(?P<label>[-–—])\s*(?=[^\s\-–—])")),
    ("dot", re.compile(r"(?P<label>[•·●▪◦∙*])\s*(?=[^\s*])")),
    ("plus", re.compile(r"(?P<label>\+)\s*(?=\S)")),
)

BULLET_STYLES = frozenset({"dash", "dot", "plus"})

# A run of punctuation only: "-----", "*****", "___". Carries no text.
DECORATION = re.compile(r"[\W_]*")

# --- cleaning artefacts -----------------------------------------------------------
# "[bookmark: _GoBack]Triển khai thực hiện Chương trình hành động ..."
BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
# "**TM. ỦY BAN NHÂN DÂN" / "(*thực hiện thường xuyên*)" / "*(qua Sở Tài chính)*"
EMPHASIS = re.compile(r"\*{1,3}(?=\S)|(?<=\S)\*{1,3}")
# "KẾ HOẠCH**Thực hiện Quy hoạch tỉnh Lai Châu" : an upper-case heading glued to bold text.
GLUED_BOLD = re.compile(r"\*\*")
# "¹ Gồm ngân sách nhà nước từ trung ương và địa phương, ..."
FOOTNOTE = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s")
# A footnote mark after a word, glued or after one space: "Nghị quyết số 66-NQ/TW¹", "khu vực
# nhà nước ¹" (not the power of a unit: "32 m²", "km²"). Matched by lookbehinds rather than a
# leading "\s*", which would make a long run of spaces quadratic.
SUPERSCRIPT = re.compile(r"(?:(?<=[^\sm])|(?<=[^\sm] ))[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
# Any superscript digit: a quick test before the patterns above, which most lines fail.
SUPERSCRIPT_DIGIT = re.compile("[¹²³⁴⁵⁶⁷⁸⁹⁰]")

# --- header lines -----------------------------------------------------------------
# "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" / "Độc lập - Tự do - Hạnh phúc" / "ĐẢNG CỘNG SẢN VIỆT NAM"
MOTTO = re.compile(
    r"(?i:cộng\s+hòa\s+xã\s+hội\s+chủ\s+nghĩa\s+việt\s+nam|cộng\s+hoà\s+xã\s+hội\s+chủ\s+nghĩa"
    r"\s+việt\s+nam|độc\s+lập\s*[-–]\s*tự\s+do\s*[-–]\s*hạnh\s+phúc|đảng\s+cộng\s+sản\s+việt\s+nam)"
)
# "Số: 2233/KH-UBND" / "Số: /KH-UBND" / "Số 21-CTr/TU"
NUMBER_LINE = re.compile(r"(?i:số)\s*:?\s*(?P<rest>[\w/\-– .Đđ]*)$")
# A number line proper, with its symbol: "Số: 844/QĐ-TTg", "Số 12-KH/TU", a draft's
# "Số:      /KH-UBND"; not "Số hóa hồ sơ" or "Số lượng".
DOC_NUMBER = re.compile(
    r"(?i:số)\s*:?\s*(?:\d+[a-z]?(?:/\d{4})?)?\s*[/-]\s*[" + VI_UPPER + r"][\w&Đđ]*(?:\s*[-/]\s*[\w&Đđ]+)*\.?"
)
# "Lai Châu, ngày 30 tháng 3 năm 2026" / "Đoàn Kết, ngày tháng năm 2026"
PLACE_DATE = re.compile(
    r"(?P<place>[^,\d()]{2,40}?)\s*,\s*(?i:ngày)\s*(?P<day>\d ?\d|\d)?\s*(?i:tháng)\s*"
    r"(?P<month>\d ?\d|\d)?\s*(?i:năm)\s*(?P<year>\d{4})"
)  # a copied header may split a number: "ngày 26 tháng 0 6 năm 2018"
# "(Kèm theo Quyết định số 1486/QĐ-TTg ngày 29 tháng 11 năm 2024 của Thủ tướng Chính phủ)"
ATTACHED = re.compile(r"\(?\s*(?i:(?:ban\s+hành\s+)?kèm\s+theo)\b")

# Document types, longest first. Upper-case forms appear as the type line.
DOC_TYPES = (
    "Chương trình hành động",
    "Chương trình công tác",
    "Chương trình",
    "Kế hoạch hành động",
    "Kế hoạch",
    "Quyết định",
    "Nghị quyết",
    "Nghị định",
    "Thông báo kết luận",
    "Thông báo",
    "Hướng dẫn",
    "Chỉ thị",
    "Kết luận",
    "Báo cáo",
    "Tờ trình",
    "Thông tư",
    "Công văn",
    "Đề án",
    "Quy chế",
    "Quy định",
    "Luật",
    "Pháp lệnh",
    "Công điện",
)
DOC_TYPE_LINE = re.compile(
    r"(?P<type>" + "|".join(t.upper() for t in DOC_TYPES) + r")(?![" + VI_UPPER + r"])\s*(?P<rest>.*)"
)

# --- signature block ---------------------------------------------------------------
# "TM. ỦY BAN NHÂN DÂN" / "T/M BAN THƯỜNG VỤ" / "KT. CHỦ TỊCH" / "TL. BỘ TRƯỞNG"
SIGN_AUTHORITY = re.compile(r"(?P<kind>TM|T/M|KT|K/T|TL|T/L|TUQ|Q)\s*[./]?\s+(?P<body>[" + VI_UPPER + r" ]+)$")
# "CHỦ TỊCH" / "PHÓ BÍ THƯ" / "PHÓ CHỦ TỊCH THƯỜNG TRỰC"
SIGN_POSITION = re.compile(
    r"(?P<pos>(?:PHÓ\s+)?(?:CHỦ\s+TỊCH|BÍ\s+THƯ|THỦ\s+TƯỚNG|BỘ\s+TRƯỞNG|THỨ\s+TRƯỞNG|GIÁM\s+ĐỐC"
    r"|TRƯỞNG\s+BAN|CHÁNH\s+VĂN\s+PHÒNG|TỔNG\s+BÍ\s+THƯ|TRƯỞNG\s+PHÒNG)(?:\s+THƯỜNG\s+TRỰC)?)$"
)
# "Nơi nhận:"
RECIPIENTS = re.compile(r"(?i:nơi\s+nhận)\s*(?::|$|-\s)")  # not "Nơi nhận văn bản xác định …" (a guide's prose)
# "Trên đây là Kế hoạch triển khai thực hiện ..."
CLOSING = re.compile(r"(?i:trên\s+đây\s+là)\b")


def search_end(rx: re.Pattern[str], text: str, reach: int) -> re.Match[str] | None:
    """``rx.search(text)`` for a pattern anchored at the end (``$``) whose matches are at most
    ``reach`` characters long, a final line end included: looked for in those last characters
    only, where a whole-text search tries every position. Look-behinds and word boundaries
    still see the characters before.

    >>> search_end(re.compile(r"\\w-$"), "kinh tế - xã hội: phát triển kinh-", 3).group()
    'h-'
    """
    return rx.search(text, max(0, len(text) - reach))


# Several readers ask about the same line (joining, tree building, item tests): each
# answer is a dozen pattern matches, so it is kept.
@functools.lru_cache(maxsize=32_768)
def match_label(text: str) -> tuple[str, str, str] | None:
    """Return ``(style, label, rest)`` when ``text`` starts with a numbering label.

    >>> match_label("1.1.2. Phân công nhiệm vụ")
    ('dotted3', '1.1.2', 'Phân công nhiệm vụ')
    >>> match_label("II- MỤC TIÊU")
    ('roman', 'II', 'MỤC TIÊU')
    >>> match_label("đ) Ban Quản lý dự án đầu tư xây dựng tỉnh")
    ('letter', 'đ', 'Ban Quản lý dự án đầu tư xây dựng tỉnh')
    >>> match_label("2030 là năm bản lề") is None
    True
    """
    for style, pattern in LABELS:
        m = pattern.match(text)
        if m is None:
            continue
        rest = text[m.end():]
        if style == "roman" and not _is_roman_heading(m.group("label"), rest):
            continue
        if style == "letter" and m.group("label") not in "abcdđeghiklmnopqrstuvxy":
            continue
        return style, m.group("label"), rest
    return None


def _is_roman_heading(label: str, rest: str) -> bool:
    # "I. MỤC ĐÍCH" is a heading; "V. I. Lênin" or "X-quang" is not. Roman headings are
    # upper-case (or at least start upper-case) and the numeral is well formed.
    if not re.fullmatch(r"(?:X{0,3})(?:IX|IV|V?I{0,3})", label):
        return False
    first = rest[:1]
    return bool(first) and (first.isupper() or first.isdigit() or first in "*(")


@functools.lru_cache(maxsize=65_536)  # asked of each line by several stages
def is_upper_heading(text: str) -> bool:
    """True for a line written all in capitals ("NHIỆM VỤ VÀ GIẢI PHÁP").

    >>> is_upper_heading("I. MỤC ĐÍCH, YÊU CẦU")
    True
    >>> is_upper_heading("1. Mục đích")
    False
    """
    # Upper-casing changes nothing and lower-casing something: every letter is a capital.
    return text == text.upper() and text != text.lower() and sum(ch.isalpha() for ch in text[:8]) >= 2
