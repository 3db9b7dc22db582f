"""A .docx file -> plain text lines (first step of the pipeline, Word branch).

Plan documents are mostly written in Word. This module turns one ``.docx`` into the
same kind of text the ``.txt`` branch (:mod:`plankg.loaders.decode`) produces - NFC,
``\\n`` line ends - so every later stage sees one input format:

* body paragraphs and tables in reading order, as they appear in the body XML;
* one line per paragraph (empty paragraphs give empty lines); soft line breaks
  (``<w:br/>``) become spaces, except in heading blocks (heading/title styles, an
  outline level, or centred text such as "KẾ HOẠCH<br/>Triển khai ..."), where
  they separate lines;
* one line per table row, cells stripped and joined with ``" | "``; a horizontally
  merged cell appears once, a vertically merged one repeats its text on each row
  it spans (what python-docx does too), so every task row keeps its agency;
* automatic list numbers rendered in front of the paragraph ("1.", "a)", "1.2.",
  bullets as "-"): Word stores them as numbering definitions, not as text, and the
  structure parser needs the labels to rebuild the item tree.

Untrusted files are handled defensively: the zip is inspected before anything is
decompressed (size and compression-ratio limits against zip bombs), XML parts with
a DTD are refused (OPC forbids DTDs; no DTD means no entities), and the XML parser
used is python-docx's, which is configured with ``resolve_entities=False`` (lxml's
defaults add ``no_network=True`` and ``huge_tree=False``).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from plankg.errors import InputError
from plankg.i18n import N_, _
from plankg.loaders import legacy
from plankg.loaders.blocks import Block, Cell, Paragraph, Source, Table, Where, render
from plankg.loaders.decode import read_bytes
from plankg.normalize import limit_marks

__all__ = ["read_docx", "read_docx_blocks"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"

# --- limits -----------------------------------------------------------------------
# A member must not expand more than this many times (deflate tops out near 1000:1,
# real Word XML and media stay well below 100:1).
_MAX_RATIO = 200
# ... checked only for members larger than this: a tiny part with a high ratio is
# harmless, and repetitive small XML parts can legitimately compress very well.
_RATIO_FLOOR = 1 << 20
# A .docx has tens of parts, hundreds with many images; millions of empty members
# would exhaust memory while building the zip directory alone.
_MAX_MEMBERS = 10_000
# Bytes of each XML part's head that are searched for a DOCTYPE (it can only occur in
# the prolog, before the root element).

_BOMB = N_("document expands past the size limit (zip bomb?)")
_NOT_DOCX = N_("not a .docx file")
_MAIN_PART = "word/document.xml"


class _Node(Protocol):
    """The slice of lxml's element API used here (lxml itself ships no type hints)."""

    @property
    def tag(self) -> object: ...  # a str for elements; a factory for comments, PIs, entities

    @property
    def text(self) -> str | None: ...

    @property
    def tail(self) -> str | None: ...

    def get(self, key: str) -> str | None: ...

    def find(self, path: str) -> _Node | None: ...

    def __iter__(self) -> Iterator[_Node]: ...


def read_docx(path: Path, *, max_bytes: int = 50_000_000) -> str:
    """Return the text of the Word document at ``path``: its blocks rendered as lines.

    See :func:`read_docx_blocks` for the arguments and errors.
    """
    return render(read_docx_blocks(path, max_bytes=max_bytes).blocks).text + "\n"


def read_docx_blocks(path: Path, *, max_bytes: int = 50_000_000, data: bytes | None = None) -> Source:
    """Read the Word document at ``path`` into blocks (paragraphs and tables in order).

    Args:
        path: the ``.docx`` file.
        max_bytes: limit on the file size and on the sum of the uncompressed sizes
            of all zip members.

    Raises:
        InputError: the file is missing or unreadable, is not a .docx, is larger or
            expands further than allowed, contains a DTD, or has no text.
    """
    name = str(path)
    if data is None:
        data = _read_file(path, name, max_bytes)
    _check_package(data, name, max_bytes)

    # Imported here: python-docx (and lxml) are only needed for Word input, and
    # importing them costs more than the rest of the text pipeline.
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.part import XmlPart

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        # python-docx raises a zoo of exception types for malformed packages
        # (PackageNotFoundError, KeyError, ValueError, lxml's XMLSyntaxError, ...).
        # All mean the same to the user, and a batch must go on with other files.
        if "Excessive depth" in str(exc):  # libxml2's nesting limit: no Word document comes near it
            raise InputError(_("not a .docx file: its XML is nested more than 256 levels deep")
                             , path=name) from exc
        raise InputError(f"{_(_NOT_DOCX)}: {exc}", path=name) from exc

    def related(reltype: str) -> _Node | None:
        try:
            part = document.part.part_related_by(reltype)
        except (KeyError, ValueError):
            # Missing, or TargetMode="External": styles and numbering are read from the
            # package only, never fetched; the text is read with Word's defaults.
            return None
        return part.element if isinstance(part, XmlPart) else None

    styles = _Styles(related(RT.STYLES))
    renderer = _Renderer(styles, _Numbering(related(RT.NUMBERING), styles))
    blocks = tuple(_normalized(renderer.blocks(document.element.body)))
    if not render(blocks).text.strip():
        raise InputError(_("empty document (no text)"), path=name)
    return Source(path.name, blocks, format="docx")


def _normalized(blocks: list[Block]) -> Iterator[Block]:
    """NFC text, carriage returns as line breaks, and no leading or trailing empty paragraphs."""
    def nfc(text: str) -> str:
        return unicodedata.normalize("NFC", limit_marks(text.replace("\r", "\n")))

    cells: dict[int, Cell] = {}  # id of a merged cell -> its normalised copy, so merges stay shared

    def cell(c: Cell) -> Cell:
        if id(c) not in cells:
            cells[id(c)] = Cell(nfc(c.text), c.where)
        return cells[id(c)]

    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(Paragraph(nfc(block.text), block.where, block.furniture))
        elif isinstance(block, Table):
            out.append(Table(tuple(tuple(cell(c) for c in row) for row in block.rows), block.where))
        else:
            out.append(block)
    while out and isinstance(out[0], Paragraph) and not out[0].text.strip():
        out.pop(0)
    while out and isinstance(out[-1], Paragraph) and not out[-1].text.strip():
        out.pop()
    yield from out


# --- file and package checks -------------------------------------------------------


def _read_file(path: Path, name: str, max_bytes: int) -> bytes:
    """Read the whole file once; the checks and the parser then see the same bytes."""
    return read_bytes(path, max_bytes=max_bytes)


def _check_package(data: bytes, name: str, max_bytes: int) -> None:
    """Refuse non-zips, zips without a Word body, zip bombs and parts with a DTD.

    Only the zip directory is trusted for sizes: Python's zipfile never returns more
    than a member's declared size, so the declared sizes bound what python-docx will
    decompress later.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if _MAIN_PART not in {info.filename for info in infos}:
                raise InputError(_(_NOT_DOCX), path=name)
            if len(infos) > _MAX_MEMBERS:
                raise InputError(_("{problem}: {count} zip members").format(problem=_(_BOMB), count=len(infos)),
                                 path=name)
            total = sum(info.file_size for info in infos)
            if total > max_bytes:
                raise InputError(_(_BOMB), path=name)
            for info in infos:
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > _RATIO_FLOOR and ratio > _MAX_RATIO:
                    raise InputError(_("{problem}: {filename} expands {ratio:.0f}x")
                                     .format(problem=_(_BOMB), filename=info.filename, ratio=ratio), path=name)
            for info in _parsed_members(archive, infos):
                if _declares_dtd(archive.read(info)):
                    # OPC forbids DTDs in package parts, Word never writes them, and a DTD
                    # is the only way to declare (external) entities.
                    raise InputError(_("{filename} declares a DTD (not allowed in .docx)")
                                     .format(filename=info.filename), path=name)
    except (
        zipfile.BadZipFile,  # not a zip, or a CRC mismatch
        zipfile.LargeZipFile,
        zlib.error,  # corrupt deflate stream
        NotImplementedError,  # unsupported compression method
        RuntimeError,  # encrypted member
        EOFError,  # truncated file
        OSError,
        ValueError,
    ) as exc:
        raise InputError(f"{_(_NOT_DOCX)}: {exc}", path=name) from None


def _parsed_members(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> Iterator[zipfile.ZipInfo]:
    """The members python-docx may parse as XML: every one but those [Content_Types].xml
    declares to be images (whatever their names: a main part may be called ``main.dat``)."""
    types: dict[str, str] = {}
    if "[Content_Types].xml" in archive.namelist():
        root = _parse_hardened(archive.read("[Content_Types].xml"))
        for entry in root.iter() if root is not None else ():
            key = entry.get("PartName") or (("." + entry.get("Extension", "")) if entry.get("Extension") else None)
            if key and entry.get("ContentType"):
                types[key.lower()] = entry.get("ContentType", "")
    for info in infos:
        if info.is_dir():
            continue
        declared = types.get("/" + info.filename.lower()) or types.get(Path(info.filename).suffix.lower(), "")
        if not declared.startswith("image/"):
            yield info


def _parse_hardened(data: bytes) -> Any:
    """``data`` parsed as XML with entities left unresolved and no network, or None when it
    is not XML. lxml detects every encoding (UTF-16, UCS-4) and reads past any comment."""
    import lxml.etree  # type: ignore[import-untyped]  # lxml ships no type hints

    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return lxml.etree.fromstring(data, parser)
    except (lxml.etree.XMLSyntaxError, ValueError):
        return None


class _Doctype(Exception):
    """Raised by :class:`_DoctypeFinder` at the first DOCTYPE."""


class _DoctypeFinder:
    """An lxml parser target that stops at a DOCTYPE, before any entity is read."""

    def doctype(self, name: str | None, pubid: str | None, system: str | None) -> None:
        raise _Doctype

    def start(self, tag: str, attrib: object, nsmap: object = None) -> None: ...
    def end(self, tag: str) -> None: ...
    def data(self, data: str) -> None: ...
    def comment(self, text: str) -> None: ...
    def close(self) -> None: ...


def _declares_dtd(data: bytes) -> bool:
    """Whether ``data``, if it is XML in any encoding, declares a DTD (after any comment)."""
    import lxml.etree

    parser = lxml.etree.XMLParser(target=_DoctypeFinder(), resolve_entities=False, no_network=True,
                                  load_dtd=False)
    try:
        lxml.etree.fromstring(data, parser)
    except _Doctype:
        return True
    except (lxml.etree.XMLSyntaxError, ValueError):
        return False  # not XML: python-docx cannot read it as a part either
    return False


# --- styles -------------------------------------------------------------------------


def _val(node: _Node | None, child: str) -> str | None:
    """The ``w:val`` of ``node``'s child ``w:<child>``, if both exist."""
    if node is None:
        return None
    found = node.find(_W + child)
    return None if found is None else found.get(_W + "val")


def _int(value: str | None) -> int | None:
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


def _font_of(r_pr: _Node | None) -> str | None:
    """The Latin font named by a run-properties element (``w:rFonts``)."""
    fonts = _find(r_pr, "rFonts") if r_pr is not None else None
    if fonts is None:
        return None
    return fonts.get(_W + "ascii") or fonts.get(_W + "hAnsi")


def _on(node: _Node | None) -> bool:
    """An OOXML on/off property: present and not explicitly switched off."""
    return node is not None and node.get(_W + "val") not in ("0", "false", "off")


class _Styles:
    """Paragraph style lookups that follow the ``w:basedOn`` chain."""

    def __init__(self, root: _Node | None) -> None:
        self._by_id: dict[str, _Node] = {}
        self.default: str | None = None
        for style in root if root is not None else ():
            kind = style.get(_W + "type")
            style_id = style.get(_W + "styleId")
            # Numbering (list) styles are kept too: w:numStyleLink points at them.
            if style.tag != _W + "style" or kind not in ("paragraph", "numbering"):
                continue
            if style_id is None:
                continue
            self._by_id[style_id] = style
            if kind == "paragraph" and _on_attr(style.get(_W + "default")):
                self.default = style_id

    def font(self, style_id: str | None) -> str | None:
        """The Latin font a paragraph style sets, following ``w:basedOn``."""
        for style in self.chain(style_id):
            name = _font_of(style.find(_W + "rPr"))
            if name:
                return name
        return None

    def chain(self, style_id: str | None) -> Iterator[_Node]:
        """The style and its ancestors, nearest first (cycles and depth bounded)."""
        seen: set[str] = set()
        while style_id is not None and style_id not in seen and len(seen) < 32:
            seen.add(style_id)
            style = self._by_id.get(style_id)
            if style is None:
                return
            yield style
            style_id = _val(style, "basedOn")

    def num_pr(self, style_id: str | None) -> tuple[str | None, int | None]:
        """``(numId, ilvl)`` a paragraph inherits from its style, each may be None."""
        num_id: str | None = None
        ilvl: int | None = None
        for style in self.chain(style_id):
            num_pr = _find(style, "pPr", "numPr")
            if num_pr is None:
                continue
            num_id = num_id if num_id is not None else _val(num_pr, "numId")
            ilvl = ilvl if ilvl is not None else _int(_val(num_pr, "ilvl"))
        return num_id, ilvl

    def is_heading_block(self, style_id: str | None) -> bool:
        for style in self.chain(style_id):
            style_name = (_val(style, "name") or "").casefold()
            if style_name.startswith("heading") or style_name in ("title", "subtitle"):
                return True
            p_pr = style.find(_W + "pPr")
            if _is_heading_ppr(p_pr):
                return True
        return False


def _on_attr(value: str | None) -> bool:
    return value in ("1", "true", "on")


def _find(node: _Node | None, *path: str) -> _Node | None:
    for step in path:
        if node is None:
            return None
        node = node.find(_W + step)
    return node


def _is_heading_ppr(p_pr: _Node | None) -> bool:
    """Direct paragraph properties that make a heading block."""
    outline = _int(_val(p_pr, "outlineLvl"))
    # outlineLvl 9 means "body text"; centred paragraphs are how Vietnamese
    # administrative documents set their title block ("KẾ HOẠCH" / subject lines).
    return (outline is not None and 0 <= outline < 9) or _val(p_pr, "jc") == "center"


# --- numbering ----------------------------------------------------------------------


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    legal: bool = False  # w:isLgl: show every level's number in decimal
    restart: int | None = None  # w:lvlRestart (1-based level; 0 = never restart)
    style: str | None = None  # w:pStyle: paragraph style bound to this level


def _parse_level(lvl: _Node, base: _Level | None = None) -> _Level:
    level = _Level() if base is None else _Level(**vars(base))
    start = _int(_val(lvl, "start"))
    if start is not None:
        level.start = start
    level.fmt = _val(lvl, "numFmt") or level.fmt
    text = _val(lvl, "lvlText")
    if text is not None:
        level.text = text
    level.legal = _on(lvl.find(_W + "isLgl")) or level.legal
    restart = _int(_val(lvl, "lvlRestart"))
    level.restart = restart if restart is not None else level.restart
    level.style = _val(lvl, "pStyle") or level.style
    return level


@dataclass
class _Num:
    abstract_id: str
    starts: dict[int, int] = field(default_factory=dict)  # w:lvlOverride/w:startOverride
    levels: dict[int, _Node] = field(default_factory=dict)  # w:lvlOverride/w:lvl


class _Numbering:
    """List numbering definitions plus the running counters of one document.

    Counters are kept per ``numId`` and level, as Word does for each list instance;
    advancing a level resets the deeper ones (unless their ``w:lvlRestart`` says
    otherwise).
    """

    def __init__(self, root: _Node | None, styles: _Styles) -> None:
        self._styles = styles
        self._abstracts: dict[str, _Node] = {}
        self._nums: dict[str, _Num] = {}
        self._levels: dict[str, dict[int, _Level] | None] = {}
        self._counters: dict[str, dict[int, int]] = {}
        for child in root if root is not None else ():
            if child.tag == _W + "abstractNum":
                abstract_id = child.get(_W + "abstractNumId")
                if abstract_id is not None:
                    self._abstracts[abstract_id] = child
            elif child.tag == _W + "num":
                self._add_num(child)

    def _add_num(self, num: _Node) -> None:
        num_id = num.get(_W + "numId")
        abstract_id = _val(num, "abstractNumId")
        if num_id is None or abstract_id is None:
            return
        entry = _Num(abstract_id)
        for override in num:
            if override.tag != _W + "lvlOverride":
                continue
            ilvl = _int(override.get(_W + "ilvl"))
            if ilvl is None:
                continue
            start = _int(_val(override, "startOverride"))
            if start is not None:
                entry.starts[ilvl] = start
            lvl = override.find(_W + "lvl")
            if lvl is not None:
                entry.levels[ilvl] = lvl
        self._nums[num_id] = entry

    def label(self, p_pr: _Node | None, style_id: str | None) -> str:
        """Advance the counters for one paragraph and return its rendered label."""
        num_pr = _find(p_pr, "numPr")
        num_id = _val(num_pr, "numId")
        ilvl = _int(_val(num_pr, "ilvl"))
        if num_id is None or ilvl is None:
            # Direct formatting may give only one of the two; the style the rest.
            style_num, style_ilvl = self._styles.num_pr(style_id)
            num_id = num_id if num_id is not None else style_num
            ilvl = ilvl if ilvl is not None else style_ilvl
        if num_id is None or num_id == "0":  # numId 0 switches inherited numbering off
            return ""
        levels = self._levels_of(num_id)
        if not levels:
            return ""
        if ilvl is None:
            # Style-linked lists bind each level to a style instead of giving ilvl.
            ilvl = next((i for i, lvl in levels.items() if lvl.style == style_id), 0)
        level = levels.get(ilvl)
        if level is None:
            return ""

        counters = self._counters.setdefault(num_id, {})
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in [d for d in counters if d > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if ilvl < (deeper if restart is None else restart):
                del counters[deeper]

        if level.fmt == "bullet":
            return "-"

        def number(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            lvl = levels.get(k)
            if lvl is None:
                return ""
            value = counters.get(k, lvl.start)
            return _format_number(value, "decimal" if level.legal else lvl.fmt)

        return re.sub(r"%([1-9])", number, level.text).strip()

    def _levels_of(self, num_id: str) -> dict[int, _Level] | None:
        if num_id not in self._levels:
            self._levels[num_id] = self._build_levels(num_id)
        return self._levels[num_id]

    def _build_levels(self, num_id: str) -> dict[int, _Level] | None:
        num = self._nums.get(num_id)
        if num is None:
            return None
        abstract = self._abstracts.get(num.abstract_id)
        # w:numStyleLink: the definition lives in the list style's own numbering.
        for _round in range(4):
            link = _val(abstract, "numStyleLink")
            if link is None:
                break
            linked_num, _ilvl = self._styles.num_pr(link)
            target = self._nums.get(linked_num) if linked_num is not None else None
            abstract = self._abstracts.get(target.abstract_id) if target else None
        if abstract is None:
            return None
        levels: dict[int, _Level] = {}
        for lvl in abstract:
            ilvl = _int(lvl.get(_W + "ilvl")) if lvl.tag == _W + "lvl" else None
            if ilvl is not None:
                levels[ilvl] = _parse_level(lvl)
        for ilvl, lvl in num.levels.items():
            levels[ilvl] = _parse_level(lvl, levels.get(ilvl))
        for ilvl, start in num.starts.items():
            if ilvl in levels:
                levels[ilvl].start = start
        return levels


_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


# Word writes "aaa…" for letter counters past 26: a counter set to 2,000,000,000 would be a
# 77-million-letter label. Past this a counter is shown in digits (no real list is that long).
_MAX_LETTER_COUNTER = 26 * 20


def _format_number(n: int, fmt: str) -> str:
    """Render counter ``n`` in a ``w:numFmt`` style.

    Letters follow Word: a..z, then aa..zz. (Vietnamese legal texts letter items
    a, b, c, d, đ, e, g, ... but Word itself renders the plain Latin sequence.)

    >>> [_format_number(n, "lowerLetter") for n in (1, 4, 5, 26, 27)]
    ['a', 'd', 'e', 'z', 'aa']
    >>> _format_number(14, "upperRoman"), _format_number(3, "decimalZero")
    ('XIV', '03')
    >>> _format_number(2_000_000_000, "lowerLetter")
    '2000000000'
    """
    if fmt in ("lowerLetter", "upperLetter") and 0 < n <= _MAX_LETTER_COUNTER:
        letters = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letters if fmt == "lowerLetter" else letters.upper()
    if fmt in ("lowerRoman", "upperRoman") and 0 < n < 4000:
        roman = ""
        for value, digits in _ROMAN:
            count, n = divmod(n, value)
            roman += digits * count
        return roman if fmt == "lowerRoman" else roman.upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    # decimal, and every format without a Latin rendering (ordinal words, CJK
    # counting, ...): digits keep the label usable for the structure parser.
    return str(n)


# --- rendering ----------------------------------------------------------------------

# Elements that only wrap block or row content (content controls, custom XML).
_WRAPPERS = frozenset({_W + "sdt", _W + "sdtContent", _W + "customXml"})
# Inline subtrees that never contribute visible text: properties, deleted or
# moved-away revisions, field instructions, the Fallback copy of alternate content.
_SKIP = frozenset(
    {
        _W + "pPr", _W + "rPr", _W + "sdtPr", _W + "del", _W + "moveFrom",
        _W + "delText", _W + "instrText", _W + "delInstrText", _MC + "Fallback",
    }
)  # fmt: skip
_BREAK = "\n"
# A gridSpan past any real table's width is a memory bomb, not a layout.
_MAX_SPAN = 64


def _children(node: _Node, tag: str) -> Iterator[_Node]:
    """Children with ``tag``, looking through content controls and custom XML."""
    for child in node:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _own_text(node: _Node) -> str:
    """Text of a ``w:t`` without its children: an unexpanded entity reference is a
    child node, and only its tail (the text after it) is document text."""
    return (node.text or "") + "".join(child.tail or "" for child in node)


class _Renderer:
    """Word body XML -> blocks, numbering paragraphs and tables in reading order."""

    def __init__(self, styles: _Styles, numbering: _Numbering) -> None:
        self._styles = styles
        self._numbering = numbering
        self._paragraphs = 0
        self._tables = 0

    def blocks(self, container: _Node) -> list[Block]:
        """Blocks of the paragraphs and tables directly in ``container``, in order."""
        out: list[Block] = []
        for child in container:
            if child.tag == _W + "p":
                out.extend(self.paragraph(child))
            elif child.tag == _W + "tbl":
                out.append(self.table(child))
            elif child.tag in _WRAPPERS:
                out.extend(self.blocks(child))
        return out

    def paragraph(self, p: _Node) -> list[Block]:
        self._paragraphs += 1
        where = Where(paragraph=self._paragraphs)
        p_pr = p.find(_W + "pPr")
        style_id = _val(p_pr, "pStyle") or self._styles.default
        heading = _is_heading_ppr(p_pr) or self._styles.is_heading_block(style_id)
        parts: list[str] = []
        boxed: list[Block] = []  # paragraphs of text boxes anchored in this paragraph
        self._inline(p, parts, boxed, self._styles.font(style_id))
        pieces = [piece.strip() for piece in "".join(parts).split(_BREAK)]
        if heading:
            lines = [piece for piece in pieces if piece] or [""]
        else:
            lines = [" ".join(piece for piece in pieces if piece)]
        label = self._numbering.label(p_pr, style_id)
        if label and lines[0]:
            lines[0] = f"{label} {lines[0]}"
        return [Paragraph("\n".join(lines), where), *boxed]

    def _inline(self, node: _Node, parts: list[str], boxed: list[Block], font: str | None) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue  # comments, processing instructions, entity references
            if tag in (_W + "t", _M + "t"):
                parts.append(_own_text(child) if font is None else legacy.convert_run(_own_text(child), font))
            elif tag == _W + "softHyphen" and font is not None and legacy.font_encoding(font) == "tcvn3":
                # TCVN3 puts "ư" on byte 0xAD, which Word saves as a soft hyphen element.
                parts.append(legacy.convert_run("\u00ad", font))
            elif tag in (_W + "tab", _W + "ptab"):
                parts.append("\t")
            elif tag in (_W + "br", _W + "cr"):
                parts.append(_BREAK)
            elif tag == _W + "noBreakHyphen":
                parts.append("-")
            elif tag == _W + "r" and _on(_find(child, "rPr", "vanish")):
                continue  # hidden text
            elif tag == _W + "r":
                # A run typed in a legacy Vietnamese font (".VnTime", "VNI-Times") holds
                # TCVN3/VNI codes, converted here; other fonts leave the text as it is.
                run_font = _font_of(child.find(_W + "rPr")) or font
                self._inline(child, parts, boxed, run_font if legacy.font_encoding(run_font) else None)
            elif tag == _W + "txbxContent":
                boxed.extend(self.blocks(child))
            else:
                # Hyperlinks, insertions, smart tags, fields, drawings, ...
                self._inline(child, parts, boxed, font)

    def table(self, tbl: _Node) -> Table:
        """A table with merged cells expanded: a cell spanning columns (gridSpan, legacy
        hMerge) or rows (vMerge) is the same :class:`Cell` in every position it covers."""
        self._tables += 1
        number = self._tables
        rows: list[tuple[Cell, ...]] = []
        above: dict[int, Cell] = {}  # grid column -> the cell there, row above
        for r, tr in enumerate(_children(tbl, _W + "tr"), start=1):
            column = _int(_val(_find(tr, "trPr"), "gridBefore")) or 0
            row: dict[int, Cell] = {}
            cells: list[Cell] = []
            for tc in _children(tr, _W + "tc"):
                tc_pr = tc.find(_W + "tcPr")
                span = min(max(_int(_val(tc_pr, "gridSpan")) or 1, 1), _MAX_SPAN)
                if _find(tc_pr, "hMerge") is not None and _val(tc_pr, "hMerge") != "restart" and cells:
                    # Legacy horizontal merge: this cell continues the previous one.
                    for col in range(column, column + span):
                        row[col] = cells[-1]
                    cells.extend([cells[-1]] * span)
                    column += span
                    continue
                v_merge = _find(tc_pr, "vMerge")
                if v_merge is not None and v_merge.get(_W + "val") != "restart" and column in above:
                    cell = above[column]  # continues the cell above
                else:
                    cell = Cell(self._cell_text(tc), Where(table=number, row=r, cell=len(cells) + 1))
                for col in range(column, column + span):
                    row[col] = cell
                cells.extend([cell] * span)
                column += span
            above = row
            rows.append(tuple(cells))
        width = max((len(r) for r in rows), default=0)
        # Short rows (a row with fewer grid cells) are padded so every row has the table's width.
        padded = tuple(r + tuple(Cell("", Where(table=number, row=i, cell=len(r) + 1 + k))
                                 for k in range(width - len(r)))
                       for i, r in enumerate(rows, start=1))
        return Table(padded, Where(table=number))

    def _cell_text(self, tc: _Node) -> str:
        lines = render(self.blocks(tc)).text.split("\n")
        return "\n".join(line.strip() for line in lines if line.strip())
