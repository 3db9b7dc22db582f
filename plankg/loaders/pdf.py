"""A text-layer PDF -> blocks (first step of the pipeline, PDF branch).

Plans reach us as Official Gazette (Công báo) PDFs and as signed scans of provincial
letters. This reader turns a PDF with a text layer into the shared block model
(:mod:`plankg.loaders.blocks`), so later stages never see a PDF:

* **Characters** come from PDFium (``pypdfium2``): Unicode value and box of each
  character, in content order. Measured on the 12 real PDFs of the development corpus
  (``benchmarks/pdf_extract.py``), PDFium extracts all text in about 0.8 s where
  pdfplumber (pdfminer) needs about 28 s, 11 s for the 67-page NQ-109 alone - over the
  3 s budget for a 60-page file. Both give the same NFC text with every diacritic.
  pdfplumber's table finder was also weaker here: Công báo tables are drawn as
  hundreds of filled hairline rectangles, slightly misaligned, and it split one
  six-column table into 13 columns. So everything below is built on PDFium alone;
  pdfplumber is not used.
* **Lines**: characters are cut into segments at PDFium's line ends and at wide
  horizontal gaps, and segments on the same baseline form a visual line. Each page's
  lines keep their top-to-bottom order.
* **Tables** are rebuilt from ruling lines: dark hairline rectangles and stroked
  horizontal/vertical path segments. Rules that touch form one table; the distinct
  x and y positions of its rules give the grid, and a missing rule between two grid
  cells merges them (a merged cell repeats one :class:`Cell` in every position it
  covers, so a group row "I. ..." fills the whole row). Characters inside a table go
  to their cell and nowhere else. A table that ends its page and whose columns match
  the table opening the next page is one table: a repeated header row is dropped and
  a row cut by the break (first cell empty) is joined to the row before.
* **Two-column regions** - the issuer | Quốc hiệu header, the "Nơi nhận" |
  signature block - are lines made of two segments far apart plus the lines above or
  below that stay in one of the two column zones. Up to 8 lines become a two-column
  :class:`Table` (one row per visual line) that the header reader unfolds; longer
  regions become the left column's paragraphs, then the right column's.
* **Paragraphs**: hard-wrapped lines are joined. A new paragraph starts at an indented
  line, a numbered label ("1.", "a)", "- ", "Điều 3."), a line in capitals, a wider
  vertical gap, or after a line that stopped short although the next word would have
  fitted. A line ending in "-" right after a letter or digit ("52-" / "CT/TW") is a
  wrapped compound: joined without a space, hyphen kept (Vietnamese does not
  hyphenate syllables, so the hyphen is always real text).
* **Furniture** (``furniture=True``, never deleted): running heads and feet - a top or
  bottom line whose text, with digits masked, recurs on at least half the pages
  ("CÔNG BÁO/Số 286/Ngày 27-05-2026   89") -, bare page numbers, and signature stamps.
  Stamps are annotations (a signature widget): their appearance is flattened into
  the page so the text can be read, and every line inside an annotation's rectangle
  is furniture; stamp lines drawn as page text ("Ký bởi: …", "Ngày ký: …") too.
* **Documents bound together** (a decision, its plan, the plan's appendix):
  :attr:`Source.parts` holds the index of the :class:`PageBreak` of each page that
  starts another document - a page that opens with the issuer | Quốc hiệu header, or
  whose first body line is a "PHỤ LỤC" heading.

Refused with :class:`InputError`: non-PDFs, corrupt and password-protected files
(owner-password-only files, common for signed documents, open normally), files over
``max_bytes`` or over 2000 pages, scans without a text layer, and text layers from a
legacy 8-bit Vietnamese font (TCVN3/VNI shown through a Latin encoding): real
Vietnamese text has about 30% letters with Vietnamese diacritics (28-31% over the
corpus), those layers have none.
"""

from __future__ import annotations

import ctypes
import itertools
import re
import statistics
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plankg.errors import InputError
from plankg.i18n import N_, _
from plankg.loaders.blocks import Block, Cell, PageBreak, Paragraph, Source, Table, Where
from plankg.loaders.decode import read_bytes
from plankg.normalize import limit_marks

__all__ = ["read_pdf"]

# --- limits and thresholds ------------------------------------------------------------
_MAX_PAGES = 2000
# A text layer this long is enough to judge whether it is Vietnamese at all.
_MIN_LETTERS_TO_JUDGE = 200
# Share of letters carrying Vietnamese diacritics (ă â đ ê ô ơ ư and the tone marks)
# below which a text layer is taken for legacy-font mojibake; real text is near 0.3.
_MIN_VIETNAMESE_SHARE = 0.05
# Ruling lines: thinner than this (points) is a line, not a shaded box.
_RULE_THICKNESS = 2.5
# Positions closer than this (points) are the same grid line.
_SNAP = 3.0
# A running head must recur on at least this share of the pages.
_RUNNING_SHARE = 0.5
# Two-column regions with at most this many lines become a layout table.
_MAX_LAYOUT_ROWS = 8

_ENCRYPTED = N_("encrypted PDF: decrypt it first")
_NO_TEXT = N_("no text layer (scanned?): OCR it first, e.g. `ocrmypdf -l vie in.pdf out.pdf`")
_UNREADABLE = N_("text layer unreadable (legacy font?): OCR it first, e.g. "
                 "`ocrmypdf --force-ocr -l vie in.pdf out.pdf`")

# Labels that open a paragraph, e.g. "1. Tăng cường …", "1.2. …", "a) …", "- Uỷ ban …",
# "Điều 3. Bộ trưởng …", "II. NHIỆM VỤ", "Chương I".
_LABEL = re.compile(
    r"(?:\d{1,3}(?:\.\d{1,3})*\.(?=\s)|[a-zđ]\)|\d{1,3}\)|[-–+•*]\s"
    r"|(?:Điều|Chương|Mục|Phần)\s+[\dIVXLC]+|[IVXLC]{1,6}\.(?=\s))"
)
# Stamp lines drawn as page text, e.g. "Ký bởi: CÔNG BÁO NƯỚC CỘNG HÒA …",
# "Ngày ký: 2026-05-27 07:55:25 +07:00", "Cơ quan: VĂN PHÒNG CHÍNH PHỦ".
_STAMP = re.compile(r"(?i:ký bởi|người ký|signed by|ngày ký|thời gian ký|signing time)\s*:")
_STAMP_NEXT = re.compile(r"(?i:cơ quan|email|chức vụ|thời gian ký|ngày ký)\s*:")
# A bare page number: "89", "- 12 -", "Trang 3".
_PAGE_NUMBER = re.compile(r"(?i:trang\s*)?[-–\s]*\d{1,4}[-–\s]*(?:/\s*\d{1,4})?")
# The national motto or the Party's name in a header, e.g. "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".
_NATIONAL = re.compile(r"(?i:cộng\s+h(?:òa|oà)\s+xã\s+hội\s+chủ\s+nghĩa\s+việt\s+nam|đảng\s+cộng\s+sản\s+việt\s+nam)")
# An appendix heading, e.g. "PHỤ LỤC", "PHỤ LỤC I", "Phụ lục II".
_APPENDIX = re.compile(r"(?:PHỤ LỤC|Phụ lục)(?:\s+[\dIVXLC]+)?\b")
_DIGITS = re.compile(r"\d+")


# --- model of one page -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Char:
    """One character in top-down page coordinates; ``text`` is " " for a word space."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float = 0.0  # font size in points

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class _Segment:
    """A run of characters on one baseline with no wide gap."""

    chars: list[_Char]
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 0.0
    text: str = ""

    def finish(self) -> _Segment:
        ink = [c for c in self.chars if c.text != " "]
        self.x0 = min(c.x0 for c in ink)
        self.x1 = max(c.x1 for c in ink)
        self.top = min(c.top for c in ink)
        self.bottom = max(c.bottom for c in ink)
        self.size = statistics.median(c.size for c in ink)
        self.text = " ".join("".join(c.text for c in self.chars).split())
        return self

    @property
    def first_word_width(self) -> float:
        """Width of the segment's first word (how much room it would need on the line above)."""
        end = self.x0
        for c in self.chars:
            if c.text == " ":
                break
            end = max(end, c.x1)
        return end - self.x0


@dataclass(slots=True)
class _Line:
    """A visual line: segments on one baseline, left to right."""

    segments: list[_Segment]
    number: int = 0
    furniture: bool = False
    stamp: bool = False

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        return max(s.x1 for s in self.segments)

    @property
    def top(self) -> float:
        return min(s.top for s in self.segments)

    @property
    def bottom(self) -> float:
        return max(s.bottom for s in self.segments)

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)


@dataclass(frozen=True, slots=True)
class _Rule:
    """A horizontal (``pos`` = y, span in x) or vertical (``pos`` = x, span in y) ruling line."""

    pos: float
    lo: float
    hi: float


@dataclass(slots=True)
class _Grid:
    """One table found on one page: texts per grid row, merged cells sharing a key."""

    xs: list[float]
    top: float
    rows: list[list[tuple[int, str]]]  # (merged-cell key, text) per grid column


@dataclass(slots=True)
class _Page:
    number: int
    width: float
    height: float
    lines: list[_Line]
    grids: list[_Grid]
    char_count: int = 0
    scanned: bool = False


# --- entry point ---------------------------------------------------------------------------


def read_pdf(path: Path, *, max_bytes: int = 100_000_000) -> Source:
    """Read the text-layer PDF at ``path`` into blocks.

    Args:
        path: the ``.pdf`` file.
        max_bytes: limit on the file size.

    Raises:
        InputError: the file is missing, unreadable, larger than ``max_bytes``, not a
            PDF, corrupt, password-protected, longer than 2000 pages, without a text
            layer, or with a text layer in a legacy font.
    """
    name = str(path)
    data = read_bytes(path, max_bytes=max_bytes)
    # The header may follow up to 1 KiB of junk (PDF 1.7, annex H); anything else is not a PDF.
    if b"%PDF-" not in data[:1024]:
        raise InputError(_("not a PDF file"), path=name)

    # Imported here: PDFium is only needed for PDF input.
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD:
            raise InputError(_(_ENCRYPTED), path=name) from None
        raise InputError(_("corrupt PDF: {exc}").format(exc=exc), path=name) from None
    except Exception as exc:  # PDFium is a C library: any failure means a bad file
        raise InputError(_("corrupt PDF: {exc}").format(exc=exc), path=name) from None
    try:
        count = len(document)
        if count > _MAX_PAGES:
            raise InputError(_("too many pages ({count}; the limit is {limit})")
                             .format(count=count, limit=_MAX_PAGES), path=name)
        pages = []
        for index in range(count):
            try:
                pages.append(_read_page(document, index))
            except InputError:
                raise
            except Exception as exc:
                raise InputError(_("page {number}: cannot read: {exc}")
                                 .format(number=index + 1, exc=exc), path=name) from None
    finally:
        document.close()

    _check_text_layer(pages, name)
    _mark_running_heads(pages)
    blocks, parts = _assemble(pages)
    return Source(path.name, tuple(blocks), format="pdf", parts=tuple(parts))


def _check_text_layer(pages: Sequence[_Page], name: str) -> None:
    """Refuse scans without text and legacy-font text layers (both need OCR)."""
    for page in pages:
        if page.scanned:
            raise InputError(_("page {number}: {problem}").format(number=page.number, problem=_(_NO_TEXT)), path=name)
    letters = 0
    vietnamese = 0
    for page in pages:
        for line in page.lines:
            for ch in line.text:
                if ch.isalpha():
                    letters += 1
                    vietnamese += not ch.isascii()
        for grid in page.grids:
            for row in grid.rows:
                for _cell, text in row:
                    letters += sum(ch.isalpha() for ch in text)
                    vietnamese += sum(ch.isalpha() and not ch.isascii() for ch in text)
    if letters == 0:
        raise InputError(_(_NO_TEXT), path=name)
    if letters >= _MIN_LETTERS_TO_JUDGE and vietnamese / letters < _MIN_VIETNAMESE_SHARE:
        raise InputError(_(_UNREADABLE), path=name)


# --- one page: characters, rules, tables, lines --------------------------------------------


def _read_page(document: Any, index: int) -> _Page:
    page = document[index]
    try:
        width, height = (float(v) for v in page.get_size())
        stamps = _flatten_annotations(page, height)
        if stamps:
            # Flattening rewrote the content stream; PDFium reads it again on reload.
            page.close()
            page = document[index]
        rules = _find_rules(page, height)
        chars = _read_chars(page, height)
        scanned = not chars and _has_page_image(page, width, height)
    finally:
        page.close()

    grids, outside = _find_tables(rules, chars)
    lines = _build_lines(outside)
    for number, line in enumerate(lines, start=1):
        line.number = number
        if any(_is_inside(line, rect) for rect in stamps) and not _FILLED_IN.fullmatch(line.text.strip()):
            # A signature stamp; but a number or date an e-office system fills into the
            # header ("Số: 1187 /QĐ-BNV", "12094") is the document's own text.
            line.furniture = line.stamp = True
    _mark_stamp_text(lines)
    return _Page(index + 1, width, height, lines, grids, len(chars), scanned)


# Header fields an e-office system fills in through a form field or stamp annotation.
_FILLED_IN = re.compile(
    r"\d{1,6}|(?i:số)\s*:?\s*\d{0,6}\s*[/-]\s*\S+|[^,\d]{2,40},\s*(?i:ngày)\s*\d{0,2}\s*(?i:tháng)\s*\d{0,2}\s*(?i:năm)\s*\d{4}"
)


def _flatten_annotations(page: Any, height: float) -> list[tuple[float, float, float, float]]:
    """Rectangles (x0, top, x1, bottom) of the annotations drawn into the page.

    A signature stamp lives in a widget annotation's appearance, not in the page
    text; flattening makes PDFium read it. Links and pop-ups have no appearance.
    Annotations covering a quarter of the page or more are not taken for stamps.
    """
    import pypdfium2.raw as raw  # type: ignore[import-untyped]

    rects: list[tuple[float, float, float, float]] = []
    width = float(page.get_width())
    for i in range(raw.FPDFPage_GetAnnotCount(page.raw)):
        annot = raw.FPDFPage_GetAnnot(page.raw, i)
        try:
            if raw.FPDFAnnot_GetSubtype(annot) in (raw.FPDF_ANNOT_LINK, raw.FPDF_ANNOT_POPUP):
                continue
            box = raw.FS_RECTF()
            if not raw.FPDFAnnot_GetRect(annot, box):
                continue
            x0, x1 = sorted((float(box.left), float(box.right)))
            b, t = sorted((float(box.bottom), float(box.top)))
            if (x1 - x0) * (t - b) < 0.25 * width * height:
                rects.append((x0, height - t, x1, height - b))
        finally:
            raw.FPDFPage_CloseAnnot(annot)
    if rects and raw.FPDFPage_Flatten(page.raw, raw.FLAT_NORMALDISPLAY) != raw.FLATTEN_SUCCESS:
        return []
    return rects


def _is_inside(line: _Line, rect: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = rect
    cx = (line.x0 + line.x1) / 2
    cy = (line.top + line.bottom) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def _read_chars(page: Any, height: float) -> list[_Char]:
    """Every character with its box; PDFium's inserted spaces and line ends kept as breaks."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        handle = textpage.raw
        count = raw.FPDFText_CountChars(handle)
        # Loose boxes span the glyph's advance and the font's ascent to descent: letters
        # of one word touch, and every letter of a line has about the same top and bottom.
        box = raw.FS_RECTF()
        chars: list[_Char] = []
        for i in range(count):
            code = raw.FPDFText_GetUnicode(handle, i)
            if code in (0x0D, 0x0A):
                chars.append(_Char("\n", 0, 0, 0, 0))
                continue
            if code in (0x20, 0xA0, 0x09) or code == 0:
                chars.append(_Char(" ", 0, 0, 0, 0))
                continue
            if not raw.FPDFText_GetLooseCharBox(handle, i, box):
                continue
            # PDFium reports a soft hyphen at a line end as U+0002.
            text = "-" if code == 0x02 else chr(code) if code <= 0x10FFFF else "\ufffd"
            if not text.isprintable() and not unicodedata.combining(text):
                continue
            x0, x1 = sorted((float(box.left), float(box.right)))
            b, t = sorted((float(box.bottom), float(box.top)))
            size = float(raw.FPDFText_GetFontSize(handle, i))
            if size < 3:
                # A 1-point font scaled up by the text matrix (NQ-109's body text): the
                # box height is the better measure of the type size.
                size = t - b
            chars.append(_Char(text, x0, x1, height - t, height - b, max(size, 1.0)))
    finally:
        textpage.close()
    return chars


def _has_page_image(page: Any, width: float, height: float) -> bool:
    """Does an image cover most of the page (a scanned page)?"""
    import pypdfium2.raw as raw

    for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
        x0, b, x1, t = obj.get_bounds()
        if (x1 - x0) * (t - b) > 0.5 * width * height:
            return True
    return False


def _find_rules(page: Any, height: float) -> tuple[list[_Rule], list[_Rule]]:
    """Horizontal and vertical ruling lines of the page (top-down coordinates).

    Word and the Gazette's typesetting draw table borders as thin filled rectangles;
    other producers stroke path segments. White or transparent shapes are cell
    backgrounds and masks, not rules.
    """
    import pypdfium2.raw as raw

    horizontal: list[_Rule] = []
    vertical: list[_Rule] = []
    fill_mode = ctypes.c_int()
    stroke = ctypes.c_int()
    rgba = [ctypes.c_uint() for _ in range(4)]
    for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_PATH,), max_depth=1):
        handle = obj.raw
        if not raw.FPDFPath_GetDrawMode(handle, ctypes.byref(fill_mode), ctypes.byref(stroke)):
            continue
        if fill_mode.value:
            raw.FPDFPageObj_GetFillColor(handle, *(ctypes.byref(v) for v in rgba))
            if _is_dark(rgba):
                x0, b, x1, t = (float(v) for v in obj.get_bounds())
                _add_box(horizontal, vertical, x0, height - t, x1, height - b)
        if stroke.value:
            raw.FPDFPageObj_GetStrokeColor(handle, *(ctypes.byref(v) for v in rgba))
            if _is_dark(rgba):
                for (xa, ya), (xb, yb) in _path_lines(obj):
                    _add_box(horizontal, vertical, min(xa, xb), height - max(ya, yb), max(xa, xb), height - min(ya, yb))
    return _merge_rules(horizontal), _merge_rules(vertical)


def _is_dark(rgba: Sequence[ctypes.c_uint]) -> bool:
    r, g, b, a = (v.value for v in rgba)
    return a > 0 and (r + g + b) / 3 < 200


def _add_box(horizontal: list[_Rule], vertical: list[_Rule], x0: float, top: float, x1: float, bottom: float) -> None:
    w, h = x1 - x0, bottom - top
    if h <= _RULE_THICKNESS and w > _RULE_THICKNESS:
        horizontal.append(_Rule((top + bottom) / 2, x0, x1))
    elif w <= _RULE_THICKNESS and h > _RULE_THICKNESS:
        vertical.append(_Rule((x0 + x1) / 2, top, bottom))


def _path_lines(obj: Any) -> Iterator[tuple[tuple[float, float], tuple[float, float]]]:
    """Straight segments of a path object, in page coordinates."""
    import pypdfium2.raw as raw

    a, b, c, d, e, f = obj.get_matrix().get()
    x = ctypes.c_float()
    y = ctypes.c_float()
    start: tuple[float, float] | None = None
    current: tuple[float, float] | None = None
    for i in range(raw.FPDFPath_CountSegments(obj.raw)):
        segment = raw.FPDFPath_GetPathSegment(obj.raw, i)
        if not raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
            continue
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == raw.FPDF_SEGMENT_LINETO and current is not None:
            yield current, point
        current = point
        if raw.FPDFPathSegment_GetClose(segment) and start is not None and current is not None:
            yield current, start
            current = start


def _merge_rules(rules: list[_Rule]) -> list[_Rule]:
    """Join collinear pieces: a border drawn cell by cell becomes one rule."""
    merged: list[_Rule] = []
    for group in _cluster(sorted(rules, key=lambda r: r.pos), key=lambda r: r.pos):
        pos = statistics.fmean(r.pos for r in group)
        lo = hi = None
        for rule in sorted(group, key=lambda r: r.lo):
            if lo is None or hi is None:
                lo, hi = rule.lo, rule.hi
            elif rule.lo <= hi + _SNAP:
                hi = max(hi, rule.hi)
            else:
                merged.append(_Rule(pos, lo, hi))
                lo, hi = rule.lo, rule.hi
        if lo is not None and hi is not None:
            merged.append(_Rule(pos, lo, hi))
    return merged


def _cluster(items: list[Any], key: Any) -> list[list[Any]]:
    """Split position-sorted ``items`` where consecutive positions differ by more than _SNAP."""
    groups: list[list[Any]] = []
    for item in items:
        if groups and key(item) - key(groups[-1][-1]) <= _SNAP:
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


# --- tables ----------------------------------------------------------------------------------


def _find_tables(rules: tuple[list[_Rule], list[_Rule]], chars: list[_Char]) -> tuple[list[_Grid], list[_Char]]:
    """Tables from the page's rules, and the characters that lie outside every table."""
    horizontal, vertical = rules
    grids: list[_Grid] = []
    outside = chars
    for hs, vs in _connected_rules(horizontal, vertical):
        xs = _positions([v.pos for v in vs])
        ys = _positions([h.pos for h in hs])
        if len(xs) < 2 or len(ys) < 2 or (len(xs) - 1) * (len(ys) - 1) < 2:
            continue  # a frame around text, or an underline
        inside: list[_Char] = []
        rest: list[_Char] = []
        for ch in outside:
            is_in = ch.text in " \n" or (xs[0] <= ch.cx <= xs[-1] and ys[0] <= ch.cy <= ys[-1])
            # Breaks go to both sides: they only separate runs of text.
            if is_in:
                inside.append(ch)
            if not is_in or ch.text in " \n":
                rest.append(ch)
        grids.append(_build_grid(xs, ys, hs, vs, inside))
        outside = rest
    grids.sort(key=lambda g: g.top)
    return grids, outside


def _connected_rules(horizontal: list[_Rule], vertical: list[_Rule]) -> list[tuple[list[_Rule], list[_Rule]]]:
    """Groups of rules that cross or touch one another (one group per drawn table)."""
    parent = list(range(len(horizontal) + len(vertical)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(horizontal):
        for j, v in enumerate(vertical):
            if h.lo - _SNAP <= v.pos <= h.hi + _SNAP and v.lo - _SNAP <= h.pos <= v.hi + _SNAP:
                parent[find(i)] = find(len(horizontal) + j)
    groups: dict[int, tuple[list[_Rule], list[_Rule]]] = {}
    for i, h in enumerate(horizontal):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vertical):
        groups.setdefault(find(len(horizontal) + j), ([], []))[1].append(v)
    return [g for _, g in sorted(groups.items()) if g[0] and g[1]]


def _positions(values: Iterable[float]) -> list[float]:
    """Distinct grid positions; rules closer than a hairline pair (double borders) count once."""
    snapped = [statistics.fmean(g) for g in _cluster(sorted(values), key=lambda v: v)]
    out: list[float] = []
    for value in snapped:
        if out and value - out[-1] < 2 * _SNAP:
            continue
        out.append(value)
    return out


def _covers(rules: list[_Rule], pos: float, at: float) -> bool:
    return any(abs(r.pos - pos) <= 2 * _SNAP and r.lo - _SNAP <= at <= r.hi + _SNAP for r in rules)


def _build_grid(xs: list[float], ys: list[float], hs: list[_Rule], vs: list[_Rule], chars: list[_Char]) -> _Grid:
    """Cells of one ruled table; a missing rule between neighbours merges them."""
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)  # the top-left cell names the merged cell

    for r in range(n_rows):
        mid_y = (ys[r] + ys[r + 1]) / 2
        for c in range(n_cols):
            mid_x = (xs[c] + xs[c + 1]) / 2
            if c + 1 < n_cols and not _covers(vs, xs[c + 1], mid_y):
                union(r * n_cols + c, r * n_cols + c + 1)
            if r + 1 < n_rows and not _covers(hs, ys[r + 1], mid_x):
                union(r * n_cols + c, (r + 1) * n_cols + c)

    buckets: dict[int, list[_Char]] = {}
    last: list[_Char] | None = None
    for ch in chars:
        if ch.text in " \n":
            # A break ends the word or run of the cell the previous character went to.
            if last is not None and last[-1].text not in " \n":
                last.append(ch)
            continue
        r = min(max(bisect_right(ys, ch.cy) - 1, 0), n_rows - 1)
        c = min(max(bisect_right(xs, ch.cx) - 1, 0), n_cols - 1)
        last = buckets.setdefault(find(r * n_cols + c), [])
        last.append(ch)
    texts = {key: _cell_text(bucket) for key, bucket in buckets.items()}
    rows = [[(find(r * n_cols + c), texts.get(find(r * n_cols + c), "")) for c in range(n_cols)] for r in range(n_rows)]
    # Rows between a double border or under a cut table hold nothing.
    rows = [row for row in rows if any(text for _, text in row)]
    return _Grid(xs, ys[0], rows)


def _cell_text(chars: list[_Char]) -> str:
    """A cell's wrapped lines joined with spaces; clearly separate paragraphs kept apart."""
    out: list[str] = []
    for line in _build_lines(chars):
        text = line.text
        if out and not _starts_cell_paragraph(out[-1], text):
            out[-1] = _join(out[-1], text)
        else:
            out.append(text)
    return "\n".join(out)


def _starts_cell_paragraph(previous: str, text: str) -> bool:
    # Bullets ("- Bộ Y tế;") and a sentence that ended before a capitalised start.
    if re.match(r"[-–+•*]\s", text):
        return True
    return previous.endswith((".", ";", ":")) and (text[:1].isupper() or bool(_LABEL.match(text)))


# --- lines -------------------------------------------------------------------------------------


def _build_lines(chars: Iterable[_Char]) -> list[_Line]:
    """Visual lines, top to bottom, from characters in content order."""
    segments = list(_build_segments(chars))
    segments.sort(key=lambda s: ((s.top + s.bottom) / 2, s.x0))
    lines: list[_Line] = []
    for seg in segments:
        centre = (seg.top + seg.bottom) / 2
        if lines:
            last = lines[-1]
            half = min(last.height, seg.bottom - seg.top) / 2
            if abs(centre - (last.top + last.bottom) / 2) <= max(half, 1.0):
                last.segments.append(seg)
                continue
        lines.append(_Line([seg]))
    for line in lines:
        line.segments.sort(key=lambda s: s.x0)
        _merge_touching(line)
    return lines


def _merge_touching(line: _Line) -> None:
    """Re-join segments of one line that PDFium cut (content order jumping back and forth)."""
    merged: list[_Segment] = []
    for seg in line.segments:
        if merged and seg.x0 - merged[-1].x1 < 0.6 * seg.size:
            prev = merged[-1]
            space = [_Char(" ", 0, 0, 0, 0)] if seg.x0 - prev.x1 > 0.2 * seg.size else []
            merged[-1] = _Segment(prev.chars + space + seg.chars).finish()
        else:
            merged.append(seg)
    line.segments = merged


def _gap_limit(size: float) -> float:
    # A gap this wide separates columns (header, signature block, page number), not words:
    # justified body lines stay well below it, the header's gutter can be as narrow as
    # 20 points at 14-point type (844/QĐ-TTg, page 2).
    return 1.2 * max(size, 6.0)


def _build_segments(chars: Iterable[_Char]) -> Iterator[_Segment]:
    """Runs of characters on one baseline, cut at line ends and at column gaps."""
    run: list[_Char] = []
    last: _Char | None = None
    for ch in chars:
        if ch.text == "\n":
            yield from _split_run(run)
            run, last = [], None
            continue
        if ch.text == " ":
            if run and run[-1].text != " ":
                run.append(ch)
            continue
        if last is not None:
            size = max(last.size, ch.size, 1.0)
            jump = ch.x0 - last.x1
            if abs(ch.cy - last.cy) > 0.6 * size or jump > _gap_limit(size) or jump < -size:
                yield from _split_run(run)
                run = []
            # No space is guessed from gaps here: PDFium marks word gaps itself (as
            # generated spaces), and glyph boxes of tracked text leave gaps inside words.
        run.append(ch)
        last = ch
    yield from _split_run(run)


def _split_run(run: list[_Char]) -> Iterator[_Segment]:
    """The run as a segment, without leading or trailing spaces (none if it is blank)."""
    ink = [k for k, c in enumerate(run) if c.text != " "]
    if ink:
        yield _Segment(run[ink[0] : ink[-1] + 1]).finish()


# --- furniture ---------------------------------------------------------------------------------


def _mark_stamp_text(lines: list[_Line]) -> None:
    """Signature stamps set as page text: "Ký bởi: …" and the "Cơ quan: …" lines around it."""
    for i, line in enumerate(lines):
        if _STAMP.match(line.text):
            line.furniture = line.stamp = True
            for j in (i - 1, i + 1, i + 2):
                if 0 <= j < len(lines) and _STAMP_NEXT.match(lines[j].text):
                    lines[j].furniture = lines[j].stamp = True


def _mark_running_heads(pages: Sequence[_Page]) -> None:
    """Running heads and feet, and page numbers, as furniture.

    Candidates are the two topmost and two bottom-most lines of each page (stamps
    aside). A candidate is a running head when its text with digits masked ("CÔNG
    BÁO/Số #/Ngày #-#-# #") recurs at the same end of at least half of the pages (and
    of two pages at least); a bare number there is a page number on any page.
    """

    def candidates(page: _Page) -> list[tuple[str, _Line]]:
        body = [line for line in page.lines if not line.stamp]
        ends = [("top", line) for line in body[:2]]
        ends += [("bottom", line) for line in body[-2:] if line not in body[:2]]
        return ends

    counts: Counter[tuple[str, str]] = Counter()
    for page in pages:
        counts.update({(end, _mask_digits(line.text)) for end, line in candidates(page)})
    needed = max(2, _RUNNING_SHARE * len(pages))
    for page in pages:
        for end, line in candidates(page):
            if counts[(end, _mask_digits(line.text))] >= needed or _PAGE_NUMBER.fullmatch(line.text):
                line.furniture = True


def _mask_digits(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.split()))


# --- assembly ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _OpenTable:
    """A table being built, possibly over several pages."""

    xs: list[float]
    rows: list[list[Cell]]
    number: int
    page: int
    block: int  # index in the block list
    # Each cell of the grids by (page, merged-cell key): a merged cell is one Cell wherever
    # it recurs, down its rows or around a rule that stops short (an L-shaped merge).
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)


def _assemble(pages: Sequence[_Page]) -> tuple[list[Block], list[int]]:
    blocks: list[Block] = []
    parts: list[int] = []
    n_tables = 0
    open_table: _OpenTable | None = None  # the table that ended the previous page, if any
    for page in pages:
        break_index = len(blocks)
        if page.number > 1:
            blocks.append(PageBreak(page.number))
        items = _page_items(page)
        first_body = True
        for kind, payload in items:
            if kind == "furniture":
                assert isinstance(payload, _Line)
                for seg in payload.segments:
                    blocks.append(Paragraph(_nfc(seg.text), Where(page=page.number, line=payload.number), True))
                continue
            if kind == "grid":
                assert isinstance(payload, _Grid)
                if first_body and open_table is not None and _continues(open_table, payload):
                    repeated = _extend_table(open_table, payload, page.number)
                    blocks[open_table.block] = _freeze(open_table)
                    # The header repeated atop the page is furniture: kept, not read twice.
                    blocks.extend(Paragraph(text, Where(page=page.number, table=open_table.number, row=row), True)
                                  for row, text in enumerate(_rows_once(repeated), start=1))
                else:
                    n_tables += 1
                    table = _OpenTable(payload.xs, [], n_tables, page.number, len(blocks))
                    _extend_table(table, payload, page.number)
                    blocks.append(_freeze(table))
                    open_table = table
                first_body = False
                continue
            assert isinstance(payload, list)
            if kind == "columns":
                new = _column_blocks(payload, page, n_tables + 1)
                n_tables += any(isinstance(b, Table) for b in new)
                if first_body and page.number > 1 and _is_header(payload):
                    parts.append(break_index)
            else:
                new = _paragraph_blocks(payload, page)
                if first_body and page.number > 1 and new and _APPENDIX.match(_first_text(new)):
                    parts.append(break_index)
            if new:
                blocks.extend(new)
                first_body = False
                open_table = None
        # A table continues on the next page only if nothing but furniture follows it here.
        if open_table is not None and not _ends_with_table(blocks, open_table):
            open_table = None
    return blocks, sorted(set(parts))


def _ends_with_table(blocks: list[Block], table: _OpenTable) -> bool:
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        if isinstance(block, PageBreak) or (isinstance(block, Paragraph) and block.furniture):
            continue
        return index == table.block
    return False


def _first_text(blocks: list[Block]) -> str:
    first = blocks[0]
    return first.text if isinstance(first, Paragraph) else ""


def _page_items(page: _Page) -> list[tuple[str, _Line | _Grid | list[_Line]]]:
    """Furniture lines, tables, two-column regions and runs of body lines, top to bottom."""
    events: list[tuple[float, int, _Line | _Grid]] = [(g.top, 1, g) for g in page.grids]
    events += [(line.top, 0, line) for line in page.lines]
    events.sort(key=lambda e: (e[0], e[1]))
    items: list[tuple[str, _Line | _Grid | list[_Line]]] = []
    run: list[_Line] = []

    def flush() -> None:
        if run:
            items.extend(_split_columns(list(run), page))
            run.clear()

    for _top, _left, thing in events:
        if isinstance(thing, _Grid):
            flush()
            items.append(("grid", thing))
        elif thing.furniture:
            flush()
            items.append(("furniture", thing))
        else:
            run.append(thing)
    flush()
    return items


def _split_columns(lines: list[_Line], page: _Page) -> list[tuple[str, _Line | _Grid | list[_Line]]]:
    """Cut a run of body lines into single-column runs and two-column regions."""
    pitch = _line_pitch(lines)
    taken: dict[int, tuple[int, int]] = {}  # start -> (end, gutter split index)
    i = 0
    while i < len(lines):
        split = _column_split(lines[i])
        if split is None:
            i += 1
            continue
        left = lines[i].segments[:split]
        right = lines[i].segments[split:]
        zones = (_zone(left), _zone(right))
        gutter = (left[-1].x1, right[0].x0)
        start = i
        while start > 0 and _fits_zone(lines[start - 1], lines[start], zones, gutter, pitch):
            start -= 1
        end = i + 1
        while end < len(lines) and _fits_zone(lines[end], lines[end - 1], zones, gutter, pitch):
            end += 1
        # A region never reaches back into the previous one.
        start = max(start, max((e for e, _ in taken.values()), default=0))
        taken[start] = (end, i)
        i = end
    items: list[tuple[str, _Line | _Grid | list[_Line]]] = []
    pos = 0
    for start in sorted(taken):
        end, _ = taken[start]
        if pos < start:
            items.append(("lines", lines[pos:start]))
        items.append(("columns", lines[start:end]))
        pos = end
    if pos < len(lines):
        items.append(("lines", lines[pos:]))
    return items


def _line_pitch(lines: Sequence[_Line]) -> float:
    steps = [b.top - a.top for a, b in itertools.pairwise(lines) if b.top > a.top]
    return statistics.median(steps) if steps else 20.0


def _column_split(line: _Line) -> int | None:
    """Index of the first right-column segment if ``line`` is two columns side by side."""
    if len(line.segments) < 2:
        return None
    gaps = [(b.x0 - a.x1, k + 1) for k, (a, b) in enumerate(itertools.pairwise(line.segments))]
    _, split = max(gaps)
    return split


def _zone(segments: Sequence[_Segment]) -> tuple[float, float]:
    return segments[0].x0, max(s.x1 for s in segments)


def _fits_zone(
    line: _Line,
    neighbour: _Line,
    zones: tuple[tuple[float, float], tuple[float, float]],
    gutter: tuple[float, float],
    pitch: float,
) -> bool:
    """Does ``line`` (next to ``neighbour``) belong to the two-column region?

    Each side must stay on its side of the gutter. A lone left-side line may be
    left-aligned with the column (a "Nơi nhận:" list) or centred on it; a lone
    right-side line must be centred on the right column, which tells the centred
    title below a header ("QUYẾT ĐỊNH", centred on the page) from the header.
    """
    if abs(line.top - neighbour.top) > 1.8 * pitch:
        return False
    split = _column_split(line)
    if split is not None and line.segments[split - 1].x1 <= gutter[1] and line.segments[split].x0 >= gutter[0]:
        return True
    x0, x1 = line.x0, line.x1
    centre = (x0 + x1) / 2
    (l0, l1), (r0, r1) = zones
    if x1 <= gutter[1] - _SNAP:
        # Left side: up to the right column's edge (long "Nơi nhận" entries reach past the gutter's middle).
        return abs(x0 - l0) <= _SNAP * 2 or abs(centre - (l0 + l1) / 2) <= max(0.2 * (l1 - l0), 15.0)
    if x0 >= (gutter[0] + gutter[1]) / 2:
        return abs(centre - (r0 + r1) / 2) <= max(0.2 * (r1 - r0), 15.0)
    return False


def _sides(line: _Line, gutter_mid: float) -> tuple[str, str]:
    # By where a segment starts: long left-column entries run past the gutter's middle.
    left = " ".join(s.text for s in line.segments if s.x0 < gutter_mid)
    right = " ".join(s.text for s in line.segments if s.x0 >= gutter_mid)
    return left, right


def _column_blocks(lines: list[_Line], page: _Page, table_number: int) -> list[Block]:
    """A two-column region: a layout table, or the left column's then the right column's lines."""
    mids = []
    for line in lines:
        split = _column_split(line)
        if split is not None:
            mids.append((line.segments[split - 1].x1 + line.segments[split].x0) / 2)
    gutter_mid = statistics.median(mids)
    pairs = [_sides(line, gutter_mid) for line in lines]
    if len(lines) <= _MAX_LAYOUT_ROWS:
        rows: list[tuple[Cell, ...]] = []
        for r, (line, (left, right)) in enumerate(zip(lines, pairs, strict=True), start=1):
            rows.append(
                tuple(
                    Cell(_nfc(text), Where(page=page.number, line=line.number, table=table_number, row=r, cell=c))
                    for c, text in enumerate((left, right), start=1)
                )
            )
        return [Table(tuple(rows), Where(page=page.number, line=lines[0].number, table=table_number))]
    out: list[Block] = []
    for side in (0, 1):
        for line, pair in zip(lines, pairs, strict=True):
            if pair[side]:
                out.append(Paragraph(_nfc(pair[side]), Where(page=page.number, line=line.number)))
    return out


def _is_header(lines: list[_Line]) -> bool:
    return any(_NATIONAL.search(line.text) for line in lines)


def _paragraph_blocks(lines: list[_Line], page: _Page) -> list[Block]:
    """Join hard-wrapped body lines into paragraphs."""
    left = _left_margin(page)
    right = _right_margin(page)
    pitch = _line_pitch([line for line in page.lines if not line.furniture])
    out: list[Block] = []
    text = ""
    first: _Line | None = None
    previous: _Line | None = None
    for line in lines:
        if previous is None or _starts_paragraph(previous, line, text, left, right, pitch):
            if first is not None:
                out.append(Paragraph(_nfc(text), Where(page=page.number, line=first.number)))
            text, first = line.text, line
        else:
            text = _join(text, line.text)
        previous = line
    if first is not None:
        out.append(Paragraph(_nfc(text), Where(page=page.number, line=first.number)))
    return out


def _left_margin(page: _Page) -> float:
    """The x where most body lines start (wrapped lines; first lines are indented)."""
    starts = sorted(line.x0 for line in page.lines if not line.furniture)
    if not starts:
        return 0.0
    # The leftmost position shared by two lines: a lone line further left is a header column.
    for group in _cluster(starts, key=lambda x: x):
        if len(group) >= 2:
            return float(group[0])
    return starts[0]


def _right_margin(page: _Page) -> float:
    """Where full (justified or wrapped) lines end: the typical end among the longest lines."""
    ends = [line.x1 for line in page.lines if not line.furniture]
    if not ends:
        return page.width
    longest = max(ends)
    return statistics.median(x for x in ends if x >= longest - 40)


def _starts_paragraph(prev: _Line, line: _Line, text: str, left: float, right: float, pitch: float) -> bool:
    height = line.height
    if line.top - prev.top > 1.5 * pitch or line.top - prev.bottom > 1.2 * height:
        return True  # a wider gap
    if line.x0 > left + max(0.8 * height, 6.0):
        return True  # an indented (or centred) line
    if prev.x1 + height / 3 + line.segments[0].first_word_width < right - 2:
        return True  # the previous line stopped although this line's first word would fit
    if _LABEL.match(line.text) and text.endswith((".", ";", ":", "!", "?")):
        return True
    return _is_capitals(line.text) != _is_capitals(prev.text)


def _is_capitals(text: str) -> bool:
    # Two words at least: "CT/TW)." wrapped from "52-" is not a heading.
    words = [w for w in text.split() if any(c.isalpha() for c in w)]
    letters = [c for c in text if c.isalpha()]
    return len(words) >= 2 and len(letters) >= 6 and all(c.isupper() for c in letters)


def _join(head: str, tail: str) -> str:
    """Join a wrapped line to what precedes it; "52-" + "CT/TW" is one word."""
    if len(head) >= 2 and head.endswith("-") and head[-2].isalnum() and tail[:1].isalnum():
        return head + tail
    return f"{head} {tail}"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", limit_marks(text))


# --- tables across pages -----------------------------------------------------------------------


def _continues(table: _OpenTable, grid: _Grid) -> bool:
    """Does ``grid`` (opening a page) continue ``table`` (ending the previous one)?"""
    if len(grid.xs) != len(table.xs):
        return False
    return all(abs(a - b) <= 2 * _SNAP for a, b in zip(grid.xs, table.xs, strict=True))


def _extend_table(table: _OpenTable, grid: _Grid, page: int) -> list[list[tuple[int, str]]]:
    """Add the rows of ``grid`` to ``table``; return the header rows it repeats, left out."""
    rows = grid.rows
    k = 0
    if table.rows:
        # Repeated header rows: leading rows equal to the table's first rows.
        while k < len(rows) and k < len(table.rows) and k < 3 and _texts(rows[k]) == _row_texts(table.rows[k]):
            k += 1
        rows = rows[k:]
        if rows and not rows[0][0][1] and any(text for _, text in rows[0]):
            _join_cut_row(table, rows[0], page)
            rows = rows[1:]
    for grid_row in rows:
        table.rows.append(_make_row(table, grid_row, page))
    return grid.rows[:k]


def _rows_once(rows: list[list[tuple[int, str]]]) -> list[str]:
    """Grid rows as lines, each merged cell's text once (where it first appears)."""
    shown: set[int] = set()
    lines = []
    for row in rows:
        texts = []
        for key, text in row:
            if key not in shown:
                shown.add(key)
                texts.append(text)
        lines.append(" | ".join(texts))
    return lines


def _texts(row: list[tuple[int, str]]) -> list[str]:
    return [" ".join(text.split()).casefold() for _, text in row]


def _row_texts(row: list[Cell]) -> list[str]:
    return [" ".join(cell.text.split()).casefold() for cell in row]


def _make_row(table: _OpenTable, grid_row: list[tuple[int, str]], page: int) -> list[Cell]:
    """Cells of one grid row; a merged cell is one Cell object in every position it covers."""
    r = len(table.rows) + 1
    cells: list[Cell] = []
    for c, (key, text) in enumerate(grid_row, start=1):
        if (page, key) not in table.cells:
            table.cells[page, key] = Cell(_nfc(text), Where(page=page, table=table.number, row=r, cell=c))
        cells.append(table.cells[page, key])
    return cells


def _join_cut_row(table: _OpenTable, grid_row: list[tuple[int, str]], page: int) -> None:
    """Append the rest of a row cut by a page break to the table's last row, cell by cell."""
    last = table.rows[-1]
    joined: dict[int, Cell] = {}
    new: list[Cell] = []
    for cell, (key, text) in zip(last, grid_row, strict=True):
        if id(cell) not in joined:
            combined = cell.text
            if text and text != cell.text:
                combined = _join(cell.text, text) if cell.text else text
            joined[id(cell)] = Cell(_nfc(combined), cell.where) if combined != cell.text else cell
        new.append(joined[id(cell)])
        table.cells[page, key] = joined[id(cell)]
    # A cell merged down from earlier rows shows its joined text there too.
    table.rows = [[joined.get(id(c), c) for c in row] for row in table.rows[:-1]] + [new]


def _freeze(table: _OpenTable) -> Table:
    rows = tuple(tuple(row) for row in table.rows)
    return Table(rows, Where(page=table.page, table=table.number))
