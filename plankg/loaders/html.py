"""A web page saved from a legal-documents site -> blocks (first step of the pipeline, HTML branch).

Plans and the directives they implement are often at hand only as pages saved from
thuvienphapluat.vn, vbpl.vn, chinhphu.vn or luatvietnam.vn. :func:`read_html` turns
such a page (``.html`` or ``.htm``) into the same blocks as every other reader
(:mod:`plankg.loaders.blocks`):

* the bytes are decoded with the charset the page declares (byte-order mark, then
  ``<meta charset>`` or ``http-equiv``), else as UTF-8, else cp1258 and cp1252, the
  Windows code pages of older Vietnamese sites; text is NFC (cp1258 writes tone
  marks as combining characters);
* site chrome is dropped: scripts, styles, menus and navigation, forms, buttons,
  frames, drawings and hidden elements. ``<header>``, ``<footer>``, ``<aside>``,
  ``<form>`` and menu-like classes are kept when they hold the document's own
  header, because ASP.NET sites wrap the whole page in one ``<form>``;
* the document is looked for: among the containers holding a header line (the
  Quốc hiệu "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", the Party's "ĐẢNG CỘNG SẢN VIỆT
  NAM" or a "Số: 12/KH-UBND" line), the one with the most text that is not link
  text, so that sidebars of related documents are left out; without such a line,
  the whole body. Banners that remain before the document are ordinary paragraphs,
  which the header reader skips;
* ``p``, ``div``, headings, list items and other block elements give paragraphs,
  ``<br>`` starts a new one, list items get their label ("1.", "a." or "-" for
  unordered lists); tables give :class:`~plankg.loaders.blocks.Table` blocks with
  ``rowspan``/``colspan`` expanded (the same cell in every grid position it
  covers), and a table nested in a cell becomes lines of that cell's text.
  A table of one column, or one whose cells hold the document's own header table,
  only lays the page out: its cells are read as paragraphs.

Every block's :class:`~plankg.loaders.blocks.Where` gives the source line of the
element it came from (and table, row and grid column for cells).

The parser is lxml's HTML parser (libxml2) rather than the standard library's
:mod:`html.parser`: real pages are tag soup (unclosed ``<p>`` and ``<td>``, tables
inside ``<font>``), and libxml2 repairs them into a tree as browsers roughly do,
gives every element its source line, and is fast on multi-megabyte pages; with
``html.parser`` all of that would have to be rewritten here. lxml is already
installed as python-docx's dependency. It is configured with ``no_network=True``
(no DTD or entity is fetched; the HTML parser knows HTML's named entities itself
and never reads a DTD) and without ``huge_tree``, so libxml2's limits on nesting
depth and text node size stay in force.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol, cast

from plankg.errors import InputError
from plankg.i18n import N_, _
from plankg.loaders.blocks import Block, Cell, Paragraph, Source, Table, Where
from plankg.loaders.decode import read_bytes
from plankg.loaders.patterns import MOTTO
from plankg.normalize import limit_marks

__all__ = ["HTML_SUFFIXES", "decode_html", "parse_html", "read_html"]

HTML_SUFFIXES = (".html", ".htm")

# --- limits -------------------------------------------------------------------------
# Bytes searched for a charset declaration. Browsers look at 1 KiB; saved pages
# often carry kilobytes of scripts and styles before the <meta>.
_PRESCAN = 64 * 1024
# HTML caps colspan at 1000; more only serves to blow a table up.
_MAX_COLSPAN = 1000
# Grid positions of one table (rows x columns) ...
_MAX_TABLE_CELLS = 1_000_000
# ... and element nesting walked recursively. libxml2 refuses more than 256 levels
# (see parse_html); this only keeps table-in-table recursion clear of Python's limit,
# deeper content is read as plain text.
_MAX_DEPTH = 120

_NO_TEXT = N_("no document text in HTML page")

# --- what is kept -------------------------------------------------------------------
_DROP = frozenset(
    {
        "script", "style", "noscript", "template", "nav", "button", "iframe", "frame", "frameset",
        "svg", "math", "object", "embed", "canvas", "select", "option", "textarea", "input",
        "datalist", "map", "audio", "video", "head", "title", "meta", "link", "base",
    }
)  # fmt: skip
# Chrome unless it holds the document's header (see _has_marker).
_DROP_UNLESS_DOCUMENT = frozenset({"header", "footer", "aside", "form", "menu"})
_CHROME_ROLES = frozenset({"navigation", "menu", "menubar", "search", "banner", "contentinfo"})
# Class or id words of menus, matched against the parts of "main-menu", "nav_top", ...
_CHROME_WORDS = frozenset({"menu", "nav", "navbar", "navigation", "breadcrumb", "breadcrumbs", "sidebar"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

# Elements that begin and end a paragraph.
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
        "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "legend", "li", "main", "menu",
        "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
        "ul",
    }
)  # fmt: skip
# Elements that may hold a whole document.
_CONTAINERS = frozenset(
    {"body", "div", "td", "th", "article", "section", "main", "center", "blockquote", "form", "font"}
)
_LISTS = frozenset({"ol", "ul", "menu", "dir"})

# "Số: 12/KH-UBND", "Số: /KH-UBND", "Số 21-CTr/TU": a capital "Số" followed by a
# symbol with a slash; the lower-case "số" of citations in running text ("Quyết định
# số 12/QĐ-TTg") does not count.
_NUMBER_MARK = re.compile(r"\bSố\s*:?\s*[\w.\-–]*\s*/\s*[A-ZĐ]")
# Characters that only steer rendering: zero-width space and joiners, soft hyphen, BOM.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\u00ad\ufeff"))

_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""")
# The WHATWG encoding standard: these labels mean windows-1252 in a web page.
_WEB_LATIN = frozenset({"ascii", "latin_1", "iso8859-1", "iso8859_1"})
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_FALLBACKS = ("utf-8", "cp1258", "cp1252")


class _Element(Protocol):
    """The slice of lxml.html's element API used here (lxml ships no type hints)."""

    @property
    def tag(self) -> object: ...  # a str for elements

    @property
    def text(self) -> str | None: ...

    @property
    def tail(self) -> str | None: ...

    @property
    def sourceline(self) -> int | None: ...

    def get(self, key: str, default: str | None = None) -> str | None: ...

    def getparent(self) -> _Element | None: ...

    def iter(self) -> Iterator[_Element]: ...

    def itertext(self) -> Iterator[str]: ...

    def text_content(self) -> str: ...

    def drop_tree(self) -> None: ...

    def __iter__(self) -> Iterator[_Element]: ...


# --- entry points -------------------------------------------------------------------


def read_html(path: Path, *, max_bytes: int = 20_000_000) -> Source:
    """Read a saved web page (``.html`` or ``.htm``) into blocks.

    Args:
        path: the page.
        max_bytes: limit on the file size.

    Raises:
        InputError: the file is missing, unreadable, larger than ``max_bytes``,
            cannot be decoded, holds a table too large to expand, or has no text.
    """
    path = Path(path)
    return parse_html(read_bytes(path, max_bytes=max_bytes), name=str(path), source_name=path.name)


def parse_html(data: bytes, *, name: str, source_name: str | None = None) -> Source:
    """Blocks of the page ``data``.

    ``name`` is what error messages call the page (the path as given);
    ``source_name`` names the :class:`Source` (the other readers use the file's
    name without directories; default ``name``).

    >>> page = '<meta charset="utf-8"><nav>Trang chủ</nav><p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập'
    >>> [b.text for b in parse_html(page.encode(), name="a.html").blocks]
    ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập']
    """
    text = decode_html(data, name=name)

    import lxml.etree  # type: ignore[import-untyped]  # lxml ships no type hints
    import lxml.html  # type: ignore[import-untyped]

    parser = lxml.html.HTMLParser(
        encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True, huge_tree=False
    )
    try:
        # Parsed from UTF-8 bytes with the encoding given: the page's own <meta> must
        # not make libxml2 decode the text a second time.
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        raise InputError(_(_NO_TEXT), path=name) from None
    for entry in parser.error_log:
        # libxml2 stops at its resource limits (256 levels of nesting, 10 MB of text
        # in one node) and returns the tree so far: refuse rather than lose the rest.
        if entry.level_name == "FATAL":
            detail = re.sub(r",?\s*(?:use|try)\s+XML_PARSE_HUGE.*", "", entry.message.strip())
            raise InputError(_("HTML page exceeds the parser's limits: {detail}")
                             .format(detail=detail), path=name, line=entry.line)
    body = cast("_Element | None", root.find("body"))
    if body is None:
        raise InputError(_(_NO_TEXT), path=name)

    _prune(body)
    emitter = _Emitter()
    try:
        emitter.walk(_content_root(body), 0)
    except _TableTooLarge as exc:
        raise InputError(
            _("table too large to expand (more than {limit} cells)")
            .format(limit=_MAX_TABLE_CELLS), path=name, line=exc.line
        ) from None
    emitter.flush()
    if not emitter.blocks:
        raise InputError(_(_NO_TEXT), path=name)
    return Source(source_name or name, tuple(emitter.blocks), format="html")


def decode_html(data: bytes, *, name: str) -> str:
    """The page's text, in NFC: decoded as its BOM or declaration says, else UTF-8,
    cp1258 or cp1252, whichever decodes first.

    >>> decode_html(b'<meta charset="windows-1258"><p>L\\xe2m \\xd0\\xf4\\xccng', name="a.html")[-11:]
    '<p>Lâm Đồng'
    """
    if not data.strip():
        raise InputError(_("empty file"), path=name)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            # A BOM overrides any declaration; bad bytes after it are replaced as
            # browsers do.
            return _nfc(data[len(bom) :].decode(codec, errors="replace"))
    declared = _declared_codec(data[:_PRESCAN])
    if declared is not None:
        try:
            return _nfc(data.decode(declared))
        except UnicodeDecodeError:
            # Pages re-saved by a browser or an editor are often UTF-8 while the old
            # <meta> still names the site's code page.
            try:
                return _nfc(data.decode("utf-8"))
            except UnicodeDecodeError:
                return _nfc(data.decode(declared, errors="replace"))
    for codec in _FALLBACKS:
        try:
            return _nfc(data.decode(codec))
        except UnicodeDecodeError:
            continue
    raise InputError(_("cannot decode the page: no charset declared, and not UTF-8, cp1258 or cp1252"), path=name)


def _declared_codec(head: bytes) -> str | None:
    match = _XML_ENCODING.match(head) or _CHARSET.search(head)
    if match is None:
        return None
    try:
        codec = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    if codec in _WEB_LATIN:
        return "cp1252"
    if codec.startswith("utf-16") or codec.startswith("utf-32"):
        # A page readable enough to find the <meta> in is not UTF-16 (WHATWG: use UTF-8).
        return "utf-8"
    return codec


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", limit_marks(text))


# --- chrome and the document's place ------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", limit_marks(text.translate(_INVISIBLE))).split())


def _has_marker(text: str) -> bool:
    """Does ``text`` hold a header line of an official document?"""
    return MOTTO.search(text) is not None or _NUMBER_MARK.search(text) is not None


def _is_chrome(el: _Element, tag: str) -> bool:
    if tag in _DROP:
        return True
    if el.get("hidden") is not None or _HIDDEN_STYLE.search(el.get("style") or ""):
        return True
    role = (el.get("role") or "").strip().lower()
    words = {
        part for value in (el.get("class"), el.get("id")) if value for part in re.split(r"[\s\-_]+", value.lower())
    }
    if tag in _DROP_UNLESS_DOCUMENT or role in _CHROME_ROLES or words & _CHROME_WORDS:
        return not _has_marker(_norm(el.text_content()))
    return False


def _prune(body: _Element) -> None:
    """Drop chrome and hidden elements (their tails, text after them, stay)."""
    stack = list(body)
    while stack:
        el = stack.pop()
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if _is_chrome(el, tag):
            el.drop_tree()
        else:
            stack.extend(el)


def _content_root(body: _Element) -> _Element:
    """The container of the document: among containers holding a header line, the one
    with the most text outside links (link text counts against it, so sidebars and
    menus are left out); on a tie the innermost. The body when no line is found."""
    elements = list(body.iter())
    size: dict[_Element, int] = {}
    links: dict[_Element, int] = {}
    for el in reversed(elements):  # children before parents
        children = [c for c in el if isinstance(c.tag, str)]
        total = _chars(el.text) + sum(size[c] + _chars(c.tail) for c in children)
        size[el] = total
        links[el] = total if el.tag == "a" else sum(links[c] for c in children)

    candidates: set[_Element] = set()
    for el in elements:
        if 0 < size[el] <= 400 and el not in candidates and _has_marker(_norm(el.text_content())):
            node: _Element | None = el
            while node is not None and node not in candidates:
                if node.tag in _CONTAINERS:
                    candidates.add(node)
                node = None if node is body else node.getparent()
    if not candidates:
        return body
    depth = {el: i for i, el in enumerate(elements)}  # document order: ancestors first
    return max(candidates, key=lambda el: (size[el] - 2 * links[el], depth[el]))


def _chars(text: str | None) -> int:
    return len("".join(text.split())) if text else 0


# --- blocks -------------------------------------------------------------------------


class _TableTooLarge(Exception):
    def __init__(self, line: int | None) -> None:
        super().__init__(line)
        self.line = line


class _Emitter:
    """Walks elements and collects blocks; ``flat`` renders tables as text lines
    (the content of a table cell)."""

    def __init__(self, *, flat: bool = False) -> None:
        self.blocks: list[Block] = []
        self._flat = flat
        self._parts: list[str] = []
        self._line: int | None = None
        self._label: str | None = None  # list label waiting for the item's first paragraph
        self._pre = 0
        self._tables = 0

    # text and paragraphs

    def text(self, text: str | None, line: int | None) -> None:
        if not text:
            return
        pieces = text.split("\n") if self._pre else [text]
        for i, piece in enumerate(pieces):
            if i:
                self.flush()
            if self._line is None and line is not None and piece.strip():
                # ``line`` is where the element starts; the text may begin lines later.
                self._line = line + i + piece[: len(piece) - len(piece.lstrip())].count("\n")
            self._parts.append(piece)

    def flush(self) -> None:
        text = _norm("".join(self._parts))
        line, self._line, self._parts = self._line, None, []
        if not text:
            return
        if self._label is not None:
            if not text.startswith(self._label + " "):
                text = f"{self._label} {text}"
            self._label = None
        self.blocks.append(Paragraph(text, Where(line=line)))

    # elements

    def walk(self, el: _Element, depth: int) -> None:
        tag = el.tag
        if not isinstance(tag, str):
            return
        if depth > _MAX_DEPTH:
            self.text(" ".join(el.itertext()), el.sourceline)
            return
        if tag == "br":
            self.flush()
            return
        if tag == "table":
            self.flush()
            self._table(el, depth)
            return
        if tag in _LISTS:
            self._list(el, depth)
            return
        block = tag in _BLOCKS
        if block:
            self.flush()
        self._pre += tag in ("pre", "textarea", "listing", "plaintext")
        self.text(el.text, el.sourceline)
        for child in el:
            self.walk(child, depth + 1)
            self.text(child.tail, child.sourceline)
        self._pre -= tag in ("pre", "textarea", "listing", "plaintext")
        if block:
            self.flush()

    def _list(self, el: _Element, depth: int) -> None:
        self.flush()
        ordered = el.tag == "ol"
        items = [c for c in el if c.tag == "li"]
        kind = (el.get("type") or "1").strip()[:1] or "1"
        down = el.get("reversed") is not None
        number = _int(el.get("start"), len(items) if down else 1)
        self.text(el.text, el.sourceline)
        for child in el:
            if child.tag == "li":
                number = _int(child.get("value"), number)
                self.flush()
                self._label = f"{_list_number(number, kind)}." if ordered else "-"
                self.walk(child, depth + 1)
                self._label = None
                number += -1 if down else 1
            else:
                self.walk(child, depth + 1)
            self.text(child.tail, child.sourceline)
        self.flush()

    def _table(self, table: _Element, depth: int) -> None:
        for caption in (c for c in table if c.tag == "caption"):
            self.walk(caption, depth + 1)
        grid, width, height = _grid(table)
        if not grid:
            return
        origins = _origins(grid, width, height)
        if not self._flat and _is_layout(table, width, origins):
            for td, _row, _col in origins:
                self.walk(td, depth + 1)
            return

        number = self._tables + 1
        cells: dict[int, Cell] = {}  # id(td) -> its Cell, shared by every grid position
        for td, r, c in origins:
            sub = _Emitter(flat=True)
            sub.walk_content(td, depth + 1)
            text = "\n".join(b.text for b in sub.blocks if isinstance(b, Paragraph))
            cells[id(td)] = Cell(text, Where(line=td.sourceline, table=number, row=r + 1, cell=c + 1))
        rows: list[tuple[Cell, ...]] = []
        for r in range(height):
            row_cells = []
            for c in range(width):
                td_at = grid.get((r, c))
                if td_at is None:
                    row_cells.append(Cell("", Where(line=table.sourceline, table=number, row=r + 1, cell=c + 1)))
                else:
                    row_cells.append(cells[id(td_at)])
            rows.append(tuple(row_cells))
        if not any(cell.text for row in rows for cell in row):
            return  # a spacer or image grid
        self._tables = number
        if self._flat:
            for row in rows:
                distinct = [cell for i, cell in enumerate(row) if i == 0 or cell is not row[i - 1]]
                self.text(" | ".join(" ".join(c.paragraphs) for c in distinct), row[0].where.line)
                self.flush()
        else:
            self.blocks.append(Table(tuple(rows), Where(line=table.sourceline, table=number)))

    def walk_content(self, el: _Element, depth: int) -> None:
        """Walk ``el``'s content (not ``el`` itself, whose tail is not ours)."""
        self.text(el.text, el.sourceline)
        for child in el:
            self.walk(child, depth + 1)
            self.text(child.tail, child.sourceline)
        self.flush()


def _int(value: str | None, default: int) -> int:
    try:
        return int(value.strip()) if value is not None else default
    except ValueError:
        return default


_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


def _list_number(n: int, kind: str) -> str:
    """An ``<ol type=...>`` label.

    >>> [_list_number(n, k) for n, k in ((3, "1"), (2, "a"), (28, "A"), (14, "i"), (4, "I"))]
    ['3', 'b', 'AB', 'xiv', 'IV']
    """
    if kind in "aA" and n > 0:
        letters = ""
        while n > 0:
            n, rest = divmod(n - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters if kind == "a" else letters.upper()
    if kind in "iI" and 0 < n < 4000:
        roman = ""
        for value, digits in _ROMAN:
            count, n = divmod(n, value)
            roman += digits * count
        return roman if kind == "i" else roman.upper()
    return str(n)


# --- table grids --------------------------------------------------------------------


def _rows(table: _Element) -> list[_Element]:
    """The table's own rows (not those of nested tables): head, body, foot."""
    head: list[_Element] = []
    body: list[_Element] = []
    foot: list[_Element] = []
    for child in table:
        if child.tag == "tr":
            body.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            target = head if child.tag == "thead" else foot if child.tag == "tfoot" else body
            target.extend(row for row in child if row.tag == "tr")
    return head + body + foot


def _grid(table: _Element) -> tuple[dict[tuple[int, int], _Element], int, int]:
    """Grid position -> cell element, with spans expanded; also width and height.

    A ``rowspan`` reaching past the last row (or ``rowspan="0"``) stops at it.
    """
    rows = _rows(table)
    grid: dict[tuple[int, int], _Element] = {}
    width = 0
    for r, tr in enumerate(rows):
        col = 0
        for td in (c for c in tr if c.tag in ("td", "th")):
            while (r, col) in grid:
                col += 1
            colspan = min(max(_int(td.get("colspan"), 1), 1), _MAX_COLSPAN)
            rowspan = _int(td.get("rowspan"), 1)
            rowspan = len(rows) - r if rowspan <= 0 else min(rowspan, len(rows) - r)
            if len(grid) + colspan * rowspan > _MAX_TABLE_CELLS:
                raise _TableTooLarge(table.sourceline)
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid.setdefault((r + dr, col + dc), td)
            col += colspan
            width = max(width, col)
    if len(rows) * width > _MAX_TABLE_CELLS:
        raise _TableTooLarge(table.sourceline)
    return grid, width, len(rows)


def _origins(grid: dict[tuple[int, int], _Element], width: int, height: int) -> list[tuple[_Element, int, int]]:
    """Each cell element once, with the first grid position it covers, in reading order."""
    seen: set[int] = set()
    out: list[tuple[_Element, int, int]] = []
    for r in range(height):
        for c in range(width):
            td = grid.get((r, c))
            if td is not None and id(td) not in seen:
                seen.add(id(td))
                out.append((td, r, c))
    return out


def _is_layout(table: _Element, width: int, origins: list[tuple[_Element, int, int]]) -> bool:
    """Does ``table`` only lay the page out? One column, or a cell holding a table
    with the document's header (the document itself sits in the cell)."""
    if width == 1:
        return True
    for td, _row, _col in origins:
        for inner in td.iter():
            if inner is not td and inner.tag == "table" and _has_marker(_norm(inner.text_content())):
                return True
    return False
