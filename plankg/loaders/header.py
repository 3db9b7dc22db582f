"""The document header, recognised by role (stage 2 of parsing, after :mod:`clean`).

State documents lay their header out by the rules of Nghị định 30/2020/NĐ-CP (Phụ
lục I), Party documents by Hướng dẫn 36-HD/VPTW. Both have the same parts:

* the **issuer**, one or two lines: the parent body, then the issuing body
  ("UBND TỈNH LÂM ĐỒNG / SỞ NỘI VỤ"; "TỈNH ỦY ĐIỆN BIÊN / *");
* the **Quốc hiệu and tiêu ngữ** ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do
  - Hạnh phúc"), or "ĐẢNG CỘNG SẢN VIỆT NAM";
* the **number** ("Số: 123/KH-UBND", "Số 12-KH/TU"; a draft leaves the number blank);
* the **place and date** (a draft leaves the day blank);
* the **type and title** ("KẾ HOẠCH / Cải cách hành chính …"), or for a letter
  (công văn) its "V/v …" summary and "Kính gửi:" list.

Real files put these parts in any order and layout: Word table cells (which
:func:`plankg.loaders.blocks.render` unfolds cell by cell), PDF columns read side by
side, markdown tables, copies flattened by legal websites onto one line, with site
banners before them. :func:`split_roles` first cuts the leading lines where one part
ends and the next begins; :func:`parse_header` then gives each piece its role. The
Quốc hiệu, tiêu ngữ and Party name are recognised as such and so never join an
issuer or a title, and never set a level.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field

from plankg.loaders import patterns as P
from plankg.loaders.citations import normalize_number
from plankg.loaders.clean import Line
from plankg.normalize import collapse_spaces

__all__ = ["Header", "caps_to_name", "parse_header", "split_documents", "split_roles", "split_signatures"]

# Where one header part ends and another begins, inside a line that holds several.
# "PHỦ THỦ TƯỚNG ----- CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập – Tự do – Hạnh phúc -------"
_QUOC_HIEU = r"CỘNG\s+HO?[ÒÀ]A?\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM|CỘNG\s+HÒA\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM"
_TIEU_NGU = r"Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc"
_PARTY = r"ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM"
_MOTTO_PART = re.compile(r"(?i:" + "|".join((_QUOC_HIEU, _TIEU_NGU, _PARTY)) + r")")
# "Số: 844/QĐ-TTg", "Số 12-KH/TU", "Số:      /KH-UBND", "Số      -NQ/TU"
_NUMBER_PART = re.compile(
    r"(?<![\w/])Số\s*:?\s*(?:\d+[a-z]?(?:/\d{4})?\s*)?[/-]\s*[" + P.VI_UPPER + r"][\w&Đđ]*(?:\s*[-/]\s*[\w&Đđ]+)*"
    r"|(?<![\w/])Số\s*:\s*$"
)
# "Hà Nội, ngày 13 tháng 5 năm 2026" / "Lâm Đồng, ngày       tháng 12 năm 2025"
_PLACE_WORD = r"[" + P.VI_UPPER + r"][" + P.VI_LOWER + P.VI_UPPER + r"]*"
_PLACE_DATE_PART = re.compile(
    r"(?<![-/\w])(?:" + _PLACE_WORD + r"\s+){0,5}" + _PLACE_WORD
    + r"\s*,\s*ngày\s*(?:\d{1,2})?\s*tháng\s*(?:\d{1,2})?\s*năm\s*\d{4}"
)
_DECORATION_RUN = re.compile(r"\s*(?:[-–—_=~*.]{3,}|\*(?=\s|$))\s*")
_SUBJECT = re.compile(r"(?i:v/v|về\s+việc)\b\s*:?\s*")
_GREETING = re.compile(r"(?i:kính\s+gửi)\s*:?")
_DOC_TYPE_START = re.compile(r"(?:" + "|".join(t.upper() for t in P.DOC_TYPES) + r")(?![" + P.VI_UPPER + r"])")
# The type line: "KẾ HOẠCH", "QUYẾT ĐỊNH", or an appendix bound after its plan ("PHỤ LỤC II").
_TYPE_LINE = re.compile(
    r"(?P<type>" + "|".join(t.upper() for t in P.DOC_TYPES)
    + r"|(?:PHỤ\s+LỤC|Phụ\s+lục)(?:\s+(?:[Ss]ố\s+)?(?:[IVXLC]+|\d{1,2})\b)?)"
    r"(?![" + P.VI_UPPER + r"])\s*(?P<rest>.*)"
)
# The rest of a type line that names its issuer: "… CỦA CHÍNH PHỦ", "… CỦA UBND TỈNH".
_OF_ISSUER = re.compile(r"CỦA\s+[" + P.VI_UPPER + r" ]{3,40}")
# A word with lower-case letters: where an upper-case title glued to body text ends.
_MIXED_WORD = re.compile(r"(?<!\S)[" + P.VI_UPPER + r"][" + P.VI_LOWER + r"]+(?=\s)")
# Lines that open the preamble or the body: the header is over.
_BODY_START = re.compile(
    r"(?i:căn\s+cứ|thực\s+hiện|triển\s+khai|để|nhằm|thi\s+hành|theo\s+đề\s+nghị|xét\s+đề\s+nghị)\b"
)
# The issuing body's own line under its parent: "SỞ NỘI VỤ" under "UBND TỈNH LÂM ĐỒNG".
_BODY_WORD = re.compile(
    r"(?:SỞ|BAN|PHÒNG|VĂN\s+PHÒNG|BỘ|CỤC|TỔNG\s+CỤC|VỤ|TRUNG\s+TÂM|CÔNG\s+AN|BỘ\s+CHỈ\s+HUY|THANH\s+TRA"
    r"|ỦY\s+BAN|UỶ\s+BAN|UBND|HỘI\s+ĐỒNG|ĐẢNG\s+ỦY|ĐẢNG\s+UỶ|CHI\s+BỘ|ĐOÀN|TỔ\s+CÔNG\s+TÁC|BAN\s+CHỈ\s+ĐẠO)\b"
)
_UNIT_WORD = re.compile(r"(?:TỈNH|THÀNH\s+PHỐ|HUYỆN|QUẬN|THỊ\s+XÃ|XÃ|PHƯỜNG|THỊ\s+TRẤN|ĐẶC\s+KHU)\b")
# Symbols that name a type: "KH-UBND" is a Kế hoạch even without its type line.
_SYMBOL_TYPES = (
    ("CTr", "Chương trình"), ("KH", "Kế hoạch"), ("QĐ", "Quyết định"), ("NQ", "Nghị quyết"), ("CT", "Chỉ thị"),
    ("TB", "Thông báo"), ("HD", "Hướng dẫn"), ("BC", "Báo cáo"), ("TTr", "Tờ trình"), ("KL", "Kết luận"),
    ("CĐ", "Công điện"), ("ĐA", "Đề án"), ("QC", "Quy chế"),
)
# How far into a document a header may start (site banners, a dataset's "# title").
_MAX_LEAD = 6
_MAX_HEADER = 60


@dataclass
class Header:
    """What the header says; ``lines`` are the source lines it used."""

    type: str | None = None
    number: str | None = None
    symbol: str | None = None
    title: str | None = None
    title_lines: list[int] = field(default_factory=list)
    place: str | None = None
    date: dt.date | None = None
    year: int | None = None
    month: int | None = None
    heading: list[str] = field(default_factory=list)   # the issuer block's lines, in capitals
    authority: str | None = None                       # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …" under the title
    stamped: str | None = None                         # a number stamped beside a blank "Số:"
    motto: bool = False                                # the Quốc hiệu or the Party's name was seen
    attached: list[Line] = field(default_factory=list)
    recipients: list[Line] = field(default_factory=list)  # "Kính gửi: …" of a letter
    lines: list[int] = field(default_factory=list)

    @property
    def issuer(self) -> str | None:
        """The issuing body named by the issuer block, as a name ("UBND tỉnh Lâm Đồng")."""
        return issuer_of(self.heading)


def split_roles(lines: list[Line]) -> list[Line]:
    """Cut the leading lines where one header part ends and the next begins.

    >>> [l.text for l in split_roles([Line("PHỦ THỦ TƯỚNG ----- CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM "
    ...                                    "Độc lập – Tự do – Hạnh phúc -------", [1])])]
    ['PHỦ THỦ TƯỚNG', 'CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập – Tự do – Hạnh phúc']
    >>> [l.text for l in split_roles([Line("Số: 435/QĐ-UBND Kon Tum, ngày 04 tháng 5 năm 2020 QUYẾT ĐỊNH V/V BAN "
    ...                                    "HÀNH CHƯƠNG TRÌNH", [3])])]
    ['Số: 435/QĐ-UBND', 'Kon Tum, ngày 04 tháng 5 năm 2020', 'QUYẾT ĐỊNH V/V BAN HÀNH CHƯƠNG TRÌNH']
    """
    out: list[Line] = []
    in_header = True
    for i, line in enumerate(lines):
        if not in_header or i >= _MAX_HEADER or line.table:
            out.append(line)
            continue
        if _BODY_START.match(line.text) or (P.match_label(line.text) and not _NUMBER_PART.match(line.text)):
            in_header = False
            out.append(line)
            continue
        pieces = _cut(line.text)
        if len(pieces) == 1 and pieces[0] == line.text:
            out.append(line)
            continue
        for k, piece in enumerate(pieces):
            out.append(Line(piece, list(line.lines), blank_before=line.blank_before if k == 0 else False))
    return _join_number(out)


def _cut(text: str) -> list[str]:
    cuts: set[int] = set()
    for pattern in (_MOTTO_PART, _NUMBER_PART, _PLACE_DATE_PART):
        for m in pattern.finditer(text):
            cuts.update((m.start(), m.end()))
    for m in _DECORATION_RUN.finditer(text):
        cuts.update((m.start(), m.end()))
    for m in _SUBJECT.finditer(text):
        before = text[: m.start()].rstrip()
        if before and _NUMBER_PART.search(before) and _NUMBER_PART.search(before).end() == len(before):  # type: ignore[union-attr]
            cuts.add(m.start())  # "Số: 123/UBND-NC V/v …"
    pieces: list[str] = []
    start = 0
    for cut in sorted(cuts | {len(text)}):
        piece = text[start:cut].strip()
        start = cut
        if piece and not P.DECORATION.fullmatch(piece):
            pieces.extend(_cut_title(piece))
    return pieces or [text]


def _cut_title(piece: str) -> list[str]:
    """ "CHỈ THỊ VỀ CÔNG TÁC … CẢ NƯỚC Ngày 24 tháng 6 …": an upper-case type and title
    glued to the body text that follows it are two pieces."""
    if not _DOC_TYPE_START.match(piece) or P.is_upper_heading(piece):
        return [piece]
    m = _MIXED_WORD.search(piece)
    if m is None or not P.is_upper_heading(piece[: m.start()]):
        return [piece]
    return [piece[: m.start()].strip(), piece[m.start():].strip()]


_NUMBER_LABEL = re.compile(r"(?i:số)\s*:?")
_NUMBER_REST = re.compile(r"\d*\s*[/-]\s*\w")


def _join_number(lines: list[Line]) -> list[Line]:
    # "Số:" alone, its number on the next line ("299/TTg Hà Nội, ngày …" was cut apart).
    out: list[Line] = []
    for line in lines:
        if out and _NUMBER_LABEL.fullmatch(out[-1].text) and _NUMBER_REST.match(line.text):
            prev = out[-1]
            out[-1] = Line(f"{prev.text} {line.text}", prev.lines + line.lines, prev.blank_before)
            continue
        out.append(line)
    return out


def parse_header(lines: list[Line]) -> tuple[Header, list[Line]]:
    """Read the header parts from the first lines; return them and the remaining lines."""
    h = Header()
    vocabulary: set[str] | None = None
    lead = _lead_length(lines)
    h.lines.extend(n for line in lines[:lead] for n in line.lines)
    i = lead
    seen_role = False
    while i < len(lines) and i < _MAX_HEADER:
        line = lines[i]
        t = line.text
        if line.table:
            break
        if _is_motto(t):
            seen_role = h.motto = True
            h.lines.extend(line.lines)
        elif (m := P.NUMBER_LINE.fullmatch(t)) and len(t) < 60 and h.number is None and h.symbol is None:
            _set_number(h, m.group("rest"))
            seen_role = True
            h.lines.extend(line.lines)
        elif (m := P.PLACE_DATE.match(t)) and len(t) < 90 and h.place is None and h.year is None:
            _set_place_date(h, m)
            seen_role = True
            h.lines.extend(line.lines)
        elif h.type is None and (m := _TYPE_LINE.fullmatch(t)) and (
                P.is_upper_heading(m.group("type")) or m.group("type").startswith("Phụ")):
            i = _read_title(h, lines, i, m.group("type"), m.group("rest"))
            seen_role = True
            continue
        elif h.title is None and _SUBJECT.match(t) and (h.symbol or h.heading):
            h.title = collapse_spaces(t).rstrip(" ,;")  # the trích yếu as printed: "V/v …"
            h.title_lines = list(line.lines)
            h.lines.extend(line.lines)
        elif _GREETING.match(t):
            i = _read_recipients(h, lines, i)
            seen_role = True
            continue
        elif t.startswith("(") and P.ATTACHED.match(t):
            h.attached.append(line)
            h.lines.extend(line.lines)
        elif t in ("*", "***") or P.DECORATION.fullmatch(t):
            h.lines.extend(line.lines)
        elif re.fullmatch(r"\d{1,6}", t) and h.number is None and h.type is None:
            # A number stamped over a blank "Số:      /BNV-CCHC" by the e-office system.
            h.stamped = t
            h.lines.extend(line.lines)
        elif P.is_upper_heading(t) and not P.match_label(t) and len(t) < 120:
            if h.type is None and h.title is None:
                if _is_spaced_out(t):
                    vocabulary = vocabulary or _vocabulary(lines)
                    t = despace(t, vocabulary)
                h.heading.append(t)
            elif h.authority is None and (_BODY_WORD.search(t) or _is_authority(t, h)):
                h.authority = t
            else:
                break
            seen_role = True
            h.lines.extend(line.lines)
        else:
            break
        i += 1
    if not seen_role and lead:
        # No header after all: the leading lines are the document's own text.
        return Header(), lines
    if h.place and _is_spaced_out(h.place):
        h.place = despace(h.place, vocabulary or _vocabulary(lines))
    if h.number is None and h.symbol and h.stamped:
        h.number = normalize_number(f"{h.stamped}/{h.symbol}")
    if h.type is None and h.symbol:
        h.type = _type_of_symbol(h.symbol, letter=h.title is not None or bool(h.recipients))
    return h, lines[i:]


def _lead_length(lines: list[Line]) -> int:
    """Lines before the header proper: a site banner or a dataset's "# title" line.

    They are skipped when a header part (Quốc hiệu, number, place and date, or an
    issuer in capitals followed by one of those) follows within a few lines.
    """
    for i, line in enumerate(lines[: _MAX_LEAD + 1]):
        t = line.text
        if line.table:
            return 0  # a data table: header tables were unfolded into lines by the reader
        if _is_motto(t) or P.NUMBER_LINE.fullmatch(t) or P.PLACE_DATE.match(t):
            return _issuer_start(lines, i)
        if P.DOC_TYPE_LINE.fullmatch(t) and P.is_upper_heading(t.split(" ", 1)[0]):
            return i if i and not any(_is_motto(x.text) for x in lines[i:i + 8]) else _issuer_start(lines, i)
    return 0


def _issuer_start(lines: list[Line], i: int) -> int:
    # Capitals lines just before the first header part are the issuer block.
    while i > 0 and P.is_upper_heading(lines[i - 1].text) and not P.DOC_TYPE_LINE.fullmatch(lines[i - 1].text):
        i -= 1
    return i


def _read_title(h: Header, lines: list[Line], i: int, type_word: str, rest: str) -> int:
    line = lines[i]
    h.type = _type_name(type_word)
    h.lines.extend(line.lines)
    if _OF_ISSUER.fullmatch(rest.strip()):
        rest = ""  # "CHƯƠNG TRÌNH HÀNH ĐỘNG CỦA CHÍNH PHỦ": the type's name, not its title
    title_parts = [rest.strip()] if rest.strip() else []
    title_lines = list(line.lines) if title_parts else []
    j = i + 1
    while j < len(lines):
        nxt = lines[j]
        if nxt.table or P.match_label(nxt.text) or (P.ATTACHED.match(nxt.text) and nxt.text.startswith("(")):
            break
        if title_parts and not _continues_title(title_parts[-1], nxt):
            break
        if P.PLACE_DATE.match(nxt.text) or P.NUMBER_LINE.fullmatch(nxt.text) or _is_motto(nxt.text):
            break
        if title_parts and _is_authority(nxt.text, h):
            break
        if _BODY_START.match(nxt.text) and (re.match(r"(?i:căn\s+cứ|xét|theo)\b", nxt.text) or (
                title_parts and (nxt.blank_before or not _type_tail(title_parts))
                and not (P.is_upper_heading(nxt.text) and P.is_upper_heading(title_parts[-1])))):
            break  # a title may open with "Triển khai …" / "Thực hiện …", a preamble too
        title_parts.append(nxt.text)
        title_lines.extend(nxt.lines)
        j += 1
    if title_parts:
        title = collapse_spaces(" ".join(title_parts)).rstrip(" ,")
        if h.type in ("Chương trình", "Kế hoạch") and re.match(r"(?i:hành\s+động)\s+\S", title):
            # "CHƯƠNG TRÌNH" / "Hành động thực hiện Kết luận …": a Chương trình hành động.
            h.type += " hành động"
            title = re.sub(r"^(?i:hành\s+động)\s+", "", title)
        h.title = title
        h.title_lines = title_lines
        h.lines.extend(title_lines)
    return j


def _type_tail(parts: list[str]) -> bool:
    """Is the title so far only the end of the type line ("CHƯƠNG TRÌNH HÀNH ĐỘNG / CỦA CHÍNH PHỦ")?"""
    return len(parts) == 1 and P.is_upper_heading(parts[0]) and len(parts[0]) <= 40


def _continues_title(prev: str, nxt: Line) -> bool:
    """Does ``nxt`` continue a title? Capitals continue capitals; a title in sentence case
    wraps onto short lines with no blank line between them ("Ban hành Kế hoạch hành động
    thực hiện" / "Chỉ thị số 52-CT/TW ngày 03 tháng 10 năm 2025 của Ban Bí thư")."""
    if P.is_upper_heading(prev) and (P.is_upper_heading(nxt.text) or len(prev) > 40):
        # A short line in capitals ("CỦA CHÍNH PHỦ") may finish the type line and lead
        # into a title in sentence case.
        return P.is_upper_heading(nxt.text)
    return (not nxt.blank_before and not P.is_upper_heading(nxt.text) and len(nxt.text) <= 250
            and not prev.endswith((".", ";", ":")) and not nxt.text.endswith((".", ";", ":")))


def _is_authority(text: str, h: Header) -> bool:
    """The capitals line under a decision's title that names who decides: "THỦ TƯỚNG CHÍNH
    PHỦ", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", or the issuer block again."""
    if re.match(r"(?:THỦ\s+TƯỚNG|CHỦ\s+TỊCH|BỘ\s+TRƯỞNG|GIÁM\s+ĐỐC|TRƯỞNG\s+BAN)\b", text):
        return True
    return bool(h.heading) and collapse_spaces(text) == collapse_spaces(" ".join(h.heading))


def _read_recipients(h: Header, lines: list[Line], i: int) -> int:
    """ "Kính gửi: - Công an tỉnh; - Sở Y tế; …": the addressees of a letter."""
    h.recipients.append(lines[i])
    h.lines.extend(lines[i].lines)
    j = i + 1
    greeting_rest = _GREETING.sub("", lines[i].text, count=1).strip()
    while j < len(lines):
        t = lines[j].text
        if not (t.startswith(("-", "–", "+", "•")) or (not greeting_rest and j == i + 1 and len(t) < 150)):
            break
        h.recipients.append(lines[j])
        h.lines.extend(lines[j].lines)
        j += 1
    return j


def _is_motto(text: str) -> bool:
    return bool(P.MOTTO.fullmatch(text.strip(" -*_")) or (P.MOTTO.search(text) and len(text) < 90
                                                            and not P.match_label(text)))


def _set_number(h: Header, rest: str) -> None:
    rest = rest.strip().rstrip(".")
    m = re.match(r"(\d+[a-z]?(?:/\d{4})?)?\s*([/-])\s*(\S.*)", rest)
    if not m:
        return
    symbol = re.sub(r"\s+", "", m.group(3))
    h.symbol = symbol
    if m.group(1):
        h.number = normalize_number(f"{m.group(1)}{m.group(2)}{symbol}")


def _set_place_date(h: Header, m: re.Match[str]) -> None:
    h.place = m.group("place").strip(" ,")
    year = int(m.group("year"))
    h.year = year
    month = int(m.group("month").replace(" ", "")) if m.group("month") else None
    h.month = month if month and 1 <= month <= 12 else None
    if m.group("day") and h.month:
        try:
            h.date = dt.date(year, h.month, int(m.group("day").replace(" ", "")))
        except ValueError:
            h.date = None


def _type_name(upper: str) -> str:
    upper = collapse_spaces(upper)
    if upper.upper().startswith("PHỤ LỤC"):
        return "Phụ lục"
    for t in P.DOC_TYPES:
        if t.upper() == upper:
            return t
    return upper.capitalize()


def _type_of_symbol(symbol: str, *, letter: bool) -> str | None:
    """The type a document number's symbol names ("KH-UBND" -> Kế hoạch); a letter's
    symbol names only its issuer ("UBND-NC"), which makes it a Công văn."""
    head = re.split(r"[-/]", symbol, maxsplit=1)[0]
    for code, name in _SYMBOL_TYPES:
        if head == code:
            return name
    return "Công văn" if letter else None


# Letters a text extraction has spaced out: "ỦY B AN NHÂN D Â N T HÀNH P HỐ HỒ C H Í M I NH".
_LONE_LETTER = re.compile(r"(?<!\S)[" + P.VI_UPPER + P.VI_LOWER + r"](?!\S)")


def _is_spaced_out(text: str) -> bool:
    return len(_LONE_LETTER.findall(text)) >= 2


def _vocabulary(lines: list[Line]) -> set[str]:
    """Words of two letters or more written whole somewhere in the document, case-folded."""
    return {w.casefold() for line in lines for w in re.findall(r"[^\W\d_]{2,}", line.text)}


def despace(text: str, vocabulary: set[str]) -> str:
    """Join letters a text extraction spaced out, where the joined word is a word of the document.

    >>> despace("ỦY B AN NHÂN D Â N T HÀNH P HỐ HỒ C H Í M I NH",
    ...         {"ban", "dân", "thành", "phố", "chí", "minh", "nhân", "ủy", "hồ", "an", "hành"})
    'ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH'
    """
    tokens = text.split()
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for j in range(min(len(tokens), i + 4), i + 1, -1):
            span = tokens[i:j]
            joined = "".join(span)
            if any(len(t) == 1 for t in span) and joined.casefold() in vocabulary:
                out.append(joined)
                i = j
                break
        else:
            out.append(tokens[i])
            i += 1
    return " ".join(out)


def issuer_of(heading: list[str]) -> str | None:
    """The issuing body of an issuer block, as a name.

    >>> issuer_of(["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"])
    'Ủy ban nhân dân tỉnh Lâm Đồng'
    >>> issuer_of(["UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ"])
    'Sở Nội vụ tỉnh Lâm Đồng'
    >>> issuer_of(["TỈNH UỶ ĐỒNG THÁP"])
    'Tỉnh uỷ Đồng Tháp'
    """
    parts = [collapse_spaces(h.strip(" *-")) for h in heading if h.strip(" *-") and not _is_motto(h)]
    if not parts:
        return None
    # Join continuation lines ("ỦY BAN NHÂN DÂN" + "TỈNH LÂM ĐỒNG"); a new body starts a new part.
    bodies: list[str] = []
    for part in parts:
        if bodies and (_UNIT_WORD.match(part) or not _BODY_WORD.match(part)) and not _is_party_body(part):
            bodies[-1] = f"{bodies[-1]} {part}"
        else:
            bodies.append(part)
    issuing = bodies[-1]
    if len(bodies) > 1 and not _UNIT_WORD.search(issuing):
        parent = bodies[-2]
        unit = _UNIT_WORD.search(parent)
        if unit and _PROVINCIAL_BODY.match(issuing):
            # "SỞ NỘI VỤ" under "UBND TỈNH LÂM ĐỒNG": a department (or committee) of the province.
            issuing = f"{issuing} {parent[unit.start():]}"
        elif re.fullmatch(r"BAN\s+CHẤP\s+HÀNH\s+TRUNG\s+ƯƠNG(?:\s+ĐẢNG)?", parent):
            # "BAN CHẤP HÀNH TRUNG ƯƠNG / VĂN PHÒNG": the Văn phòng Trung ương Đảng.
            return caps_to_name(issuing) + " Trung ương Đảng"
        else:
            # "UBND TỈNH X / VĂN PHÒNG", "TỈNH ỦY X / BAN TUYÊN GIÁO": a body of the parent.
            return f"{caps_to_name(issuing)} {caps_to_name(parent)}"
    return caps_to_name(issuing)


# Bodies of a province named under its UBND: "SỞ NỘI VỤ", "BAN CHỈ ĐẠO … ĐỀ ÁN 06".
_PROVINCIAL_BODY = re.compile(
    r"(?:SỞ|CÔNG\s+AN|BỘ\s+CHỈ\s+HUY|BAN\s+QUẢN\s+LÝ|BAN\s+CHỈ\s+ĐẠO|HỘI\s+ĐỒNG|TỔ\s+CÔNG\s+TÁC)\b"
)


def _is_party_body(part: str) -> bool:
    return bool(re.match(r"(?:TỈNH|THÀNH|HUYỆN|ĐẢNG)\s+[UỦ][ỶY]", part))


def caps_to_name(text: str) -> str:
    """A name written in capitals, in its usual case; abbreviations stay in capitals.

    >>> caps_to_name("ỦY BAN NHÂN DÂN TỈNH LAI CHÂU"), caps_to_name("UBND TỈNH KON TUM")
    ('Ủy ban nhân dân tỉnh Lai Châu', 'UBND tỉnh Kon Tum')
    """
    low = collapse_spaces(text).lower()
    m = re.search(r"\b((?:tỉnh|thành|huyện|đảng) u[ỷy]|tỉnh ủy|thành ủy|huyện ủy|đảng ủy|tỉnh|thành phố|huyện|quận"
                  r"|thị xã|xã(?! hội)|phường|thị trấn|đặc khu)\s+(.+)$", low)
    head = low
    tail = ""
    if m:
        head = low[: m.start()].strip()
        place = " ".join(w.capitalize() for w in m.group(2).split())
        unit = m.group(1)
        unit = unit.capitalize() if "ủy" in unit or "uỷ" in unit else unit
        tail = f" {unit} {place}"
    head = head[:1].upper() + head[1:]
    head = re.sub(r"\b(?i:ubnd|hđnd|mttq)\b", lambda mm: mm.group(0).upper(), head)  # also the first word
    head = re.sub(r"^Ban thường vụ", "Ban Thường vụ", head)
    head = re.sub(r"^(Sở|Bộ|Ban|Cục|Vụ|Phòng|Văn phòng|Công an|Trung tâm|Tổng cục) (\w)",
                  lambda mm: f"{mm.group(1)} {mm.group(2).upper()}", head, count=1)
    return (head + tail).strip()


# --- signature blocks and documents bound together ----------------------------------------

# "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "TL. BỘ TRƯỞNG", "Q. GIÁM ĐỐC", "TUQ. CHỦ TỊCH"
# "TM|T/M|TL|T/L|TUQ", "KT|K/T", "Q" not inside a word: each look-behind follows the letter it
# guards, so the pattern opens on T, K or Q and the regex engine skips to them (3x faster).
_SIGN_TOKEN = re.compile(r"(?:T(?<![\w/]T)(?:M|/M|L|/L|UQ)|K(?<![\w/]K)(?:T|/T)|Q(?<![\w/]Q))\s*[./]\s*(?=["
                         + P.VI_UPPER + r"]{2})")
_NAME = r"[" + P.VI_UPPER + r"][" + P.VI_LOWER + r"]+(?:\s+[" + P.VI_UPPER + r"][" + P.VI_LOWER + r"]+){1,4}"
# "… PHÓ CHỦ TỊCH Nguyễn Hữu Tháp CHƯƠNG TRÌNH HÀNH ĐỘNG …": capitals, a name, capitals again.
_CAPS_NAME_CAPS = re.compile(
    r"(?<=[" + P.VI_UPPER + r"])\s+(?P<name>" + _NAME + r")(?:\s+(?=[" + P.VI_UPPER + r"]{2,}\b)|$)"
)


# A title in capitals glued to its "(Ban hành kèm theo Quyết định số …)" line.
_ATTACHED_AFTER = re.compile(r"\S\s*(?=\((?i:ban\s+hành\s+)?(?i:kèm\s+theo)\b)")


# "THỦ TƯỚNG Nguyễn Tấn Dũng": a position and the signer's name on one line.
_POSITION_NAME = re.compile(P.SIGN_POSITION.pattern.rstrip("$") + r"\s+" + _NAME)


def _ends_in_capitals(text: str) -> bool:
    """Does ``text`` end with a title in capitals (three words or more)?"""
    words = text.split()
    tail: list[str] = []
    for word in reversed(words):
        if word != word.upper():
            break
        tail.append(word)
    return len(tail) >= 3 and P.is_upper_heading(" ".join(reversed(tail)))


def split_signatures(lines: list[Line]) -> list[Line]:
    """Cut signature blocks flattened onto one line into their parts.

    >>> [l.text for l in split_signatures([Line("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Hữu Tháp "
    ...                                         "CHƯƠNG TRÌNH HÀNH ĐỘNG", [9])])]
    ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH', 'Nguyễn Hữu Tháp', 'CHƯƠNG TRÌNH HÀNH ĐỘNG']
    """
    out: list[Line] = []
    for line in lines:
        t = line.text
        if line.table or len(t.split()) < 4:
            out.append(line)
            continue
        attached = _ATTACHED_AFTER.search(t) if "(" in t else None
        if attached and not _ends_in_capitals(t[: attached.start() + 1]):
            attached = None  # "(ban hành kèm theo …)" inside a sentence describes what it follows
        if not (attached or _SIGN_TOKEN.search(t) or _POSITION_NAME.fullmatch(t)):
            out.append(line)
            continue
        cuts = {m.start() for m in _SIGN_TOKEN.finditer(t)}
        if attached:
            cuts.add(attached.start() + 1)  # "… TRONG TÌNH HÌNH MỚI” (Ban hành kèm theo Quyết định …)"
        for m in _CAPS_NAME_CAPS.finditer(t):
            cuts.update((m.start("name"), m.end("name")))
        pieces = [t[a:b].strip() for a, b in itertools.pairwise(sorted(cuts | {0, len(t)}))]
        pieces = [p for p in pieces if p]
        # A position run ("KT. CHỦ TỊCH PHÓ CHỦ TỊCH") holds the authority and the position.
        final: list[str] = []
        for piece in pieces:
            authority = P.SIGN_AUTHORITY.fullmatch(piece)
            pos = re.search(r"\s(" + P.SIGN_POSITION.pattern + r")", piece) if authority else None
            if pos and pos.start() > 0:
                final.extend((piece[: pos.start()].strip(), pos.group(1)))
            else:
                final.append(piece)
        if len(final) == 1:
            out.append(line)
            continue
        out.extend(Line(p, list(line.lines), blank_before=line.blank_before if k == 0 else False)
                   for k, p in enumerate(final))
    return out


def split_documents(lines: list[Line]) -> list[list[Line]]:
    """Split the lines of a file that binds several documents: a decision, the plan
    attached to it, the plan's appendix.

    A later document starts where, after a signature block, a second header begins
    (the Quốc hiệu or the Party's name with its issuer, followed by a type or number
    line), or where a type line in capitals ("KẾ HOẠCH HÀNH ĐỘNG", "PHỤ LỤC") is followed
    by its "(Kèm theo …)" line. Sample headers inside a guide's tables never count.
    """
    starts: list[int] = []
    signed = False
    signature_at = -99
    last = 0
    for i, line in enumerate(lines):
        t = line.text
        if line.table:
            continue
        if P.SIGN_AUTHORITY.fullmatch(t) or P.SIGN_POSITION.fullmatch(t) or P.RECIPIENTS.match(t):
            signed = True
            signature_at = i
            continue
        if i - last < 12 or i < 12:
            continue
        start = None
        if signed and _MOTTO_PART.search(t) and not re.search(r"(?i:độc\s+lập)", t) and _header_follows(lines, i):
            start = _issuer_start(lines, i)
        elif (_is_attachment_heading(t) and (_attached_line_follows(lines, i)
                                             or (signed and i - signature_at <= 4 and P.DOC_TYPE_LINE.fullmatch(t)))) \
                or (signed and i - signature_at <= 4 and _APPENDIX_START.match(t)):
            # "KẾ HOẠCH HÀNH ĐỘNG" over "(Kèm theo Quyết định số …)", or a type line right
            # after the signer's name: the decision is over, its programme begins.
            start = i
        if start is not None and start > last:
            starts.append(start)
            last = start
            signed = False
    bounds = [0, *starts, len(lines)]
    return [lines[a:b] for a, b in itertools.pairwise(bounds) if b > a] or [lines]


# "Phụ lục", "PHỤ LỤC II", "Phụ lục số 01: …" opening a page after the signature.
_APPENDIX_START = re.compile(
    r"(?:PHỤ\s+LỤC|Phụ\s+lục)(?:\s+(?:[Ss]ố\s+)?(?:[IVXLC]+|\d{1,2})\b)?\s*[.:\-–]?\s*(?:$|[" + P.VI_UPPER + r"(])"
)


def _attached_line_follows(lines: list[Line], i: int) -> bool:
    """Is the heading at ``i`` followed, after its title lines, by "(Kèm theo …)"?"""
    for line in lines[i + 1:i + 9]:
        if line.text.startswith("(") and P.ATTACHED.match(line.text):
            return True
        if line.table or P.match_label(line.text) or (_BODY_START.match(line.text)
                                                      and not P.is_upper_heading(line.text)):
            return False
    return False


def _header_follows(lines: list[Line], i: int) -> bool:
    return any(P.DOC_NUMBER.fullmatch(x.text) or (P.DOC_TYPE_LINE.fullmatch(x.text) and P.is_upper_heading(x.text))
               or P.PLACE_DATE.match(x.text) for x in lines[i + 1:i + 10])


def _is_attachment_heading(text: str) -> bool:
    if not P.is_upper_heading(text) or text.endswith(":"):
        return False  # "QUYẾT ĐỊNH:" opens a decision's articles
    return bool(re.match(r"PHỤ\s+LỤC\b", text) or P.DOC_TYPE_LINE.fullmatch(text))
