"""Assemble a :class:`~plankg.model.DocumentRecord` from a document's text.

Pipeline: :mod:`clean` (logical lines) -> header and footer split (this module) ->
:mod:`structure` (section tree) -> :mod:`citations`, :mod:`tasks`, :mod:`targets`.
Every source line with text ends up in the header, a section, the footer or
``unparsed``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from plankg.loaders import agencies
from plankg.loaders import patterns as P
from plankg.loaders.citations import CitationScanner, issuer_from_code
from plankg.loaders.clean import Line, clean_text
from plankg.loaders.header import (
    Header,
    caps_to_name,
    parse_header,
    split_documents,
    split_roles,
    split_signatures,
)
from plankg.loaders.structure import Node, build_tree
from plankg.loaders.targets import find_targets, period_year
from plankg.loaders.tasks import derive_tasks
from plankg.model import (
    Agency,
    Annotation,
    DocumentInfo,
    DocumentRecord,
    Level,
    Part,
    Relation,
    Section,
    Signer,
    Target,
    Task,
    UnparsedLine,
)
from plankg.normalize import collapse_spaces, nfc, slugify

# Preamble sentences that name the issuer: "Ủy ban nhân dân phường Đoàn Kết ban hành Kế hoạch",
# "Thành ủy Lai Châu xây dựng kế hoạch thực hiện như sau".
_ISSUES = re.compile(r"\s+(?i:ban\s+hành|xây\s+dựng|triển\s+khai\s+xây\s+dựng|đề\s+ra)\b")
# "… trên địa bàn tỉnh Điện Biên" / "… trên địa bàn thành phố Lai Châu"
_TERRITORY = re.compile(
    r"(?i:trên\s+địa\s+bàn)\s+(?P<unit>tỉnh|thành\s+phố|huyện|quận|thị\s+xã|xã|phường|thị\s+trấn)\s+"
    r"(?P<name>" + agencies.PLACE_NAME + r")"
)
# "tỉnh Lai Châu" / "Tỉnh ủy Điện Biên": a province named in the text. Words are joined by
# spaces only: a place name never runs on to the next line.
# (The look-behind comes after the first letter it guards: opening on a letter, the pattern lets
# the regex engine skip to the "t"s and "T"s of the text.)
_UNIT_MENTION = re.compile(
    r"(?P<unit>t(?<![" + P.VI_LOWER + r"]t)ỉnh|T(?<![" + P.VI_LOWER + r"]T)ỉnh[ \t]+[uủ][ỷy])"
    r"[ \t]+(?P<name>[" + P.VI_UPPER + r"][" + P.VI_LOWER + r"]*"
    r"(?:[ \t]+[" + P.VI_UPPER + r"][" + P.VI_LOWER + r"]*){0,3})"
)
# A person's name in the signature block: "Hà Quang Trung", "Mùa A Sơn".
_NAME_WORD = r"[" + P.VI_UPPER + r"][" + P.VI_LOWER + r"]*"
_PERSON = re.compile(_NAME_WORD + r"(?:\s+" + _NAME_WORD + r"){1,5}")
_PREAMBLE_START = re.compile(r"(?i:căn\s+cứ|thực\s+hiện|triển\s+khai|để|nhằm|thi\s+hành)\b")


@dataclass
class _Footer:
    closing: list[Line] = field(default_factory=list)
    recipients: list[Line] = field(default_factory=list)
    authority: str | None = None
    position: str | None = None
    signer: str | None = None
    lines: list[int] = field(default_factory=list)
    unparsed: list[Line] = field(default_factory=list)


def parse_document(text: str, source: str, *, numbers: Sequence[int] | None = None,
                   pages: Sequence[int | None] | None = None) -> DocumentRecord:
    """Parse one document's text. Never raises on odd content.

    ``numbers`` are the source line numbers of the lines of ``text`` and ``pages`` their
    pages (PDF), as laid out by :func:`plankg.loaders.blocks.render`.
    """
    page_of = dict(zip(numbers, pages, strict=False)) if numbers is not None and pages is not None else {}
    parts = split_documents(split_signatures(clean_text(text, numbers)))
    records: list[DocumentRecord] = []
    for part in parts:
        records.append(_parse_part(split_roles(part), source, page_of, records[0] if records else None))
    records = _account_rest(records, text, numbers, page_of)
    return dataclasses.replace(records[0], attachments=tuple(records[1:])) if len(records) > 1 else records[0]


def _account_rest(records: list[DocumentRecord], text: str, numbers: Sequence[int] | None,
                  page_of: dict[int, int | None]) -> list[DocumentRecord]:
    """The records, given the marks the cleaner took out of the text (bookmarks, footnote
    references) as annotations, and every source line no record accounts for: lines
    without a letter or digit as decorations, any other (a line the parser dropped) as
    unparsed, both on the first record."""
    physical = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")  # as clean_text splits it
    if numbers is None or len(numbers) != len(physical):
        numbers = range(1, len(physical) + 1)
    found = _annotations(zip(numbers, physical, strict=True), page_of)
    owner = {n: i for i, record in enumerate(records) for n in record.accounted_lines()}
    notes: list[list[Annotation]] = [[] for _ in records]
    for annotation in found:
        notes[owner.get(annotation.line, 0)].append(annotation)
    records = [dataclasses.replace(r, annotations=tuple(a)) if a else r for r, a in zip(records, notes, strict=True)]
    seen = {*owner, *(a.line for a in found)}
    decorations: set[int] = set()
    dropped: list[UnparsedLine] = []
    for number, raw in zip(numbers, physical, strict=True):
        if number in seen or not raw.strip():
            continue
        seen.add(number)
        if re.search(r"[^\W_]", raw):
            dropped.append(UnparsedLine(number, collapse_spaces(nfc(raw)), page_of.get(number)))
        else:
            decorations.add(number)
    if decorations or dropped:
        first = records[0]
        records[0] = dataclasses.replace(
            first, decoration_lines=tuple(sorted(decorations)),
            unparsed=tuple(sorted((*first.unparsed, *dropped), key=lambda u: u.line)))
    return records


_FOOTNOTE_DEFINITION = re.compile(r"\s*(?P<mark>[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s+(?P<note>\S.*)")


def _annotations(lines: Iterable[tuple[int, str]], page_of: dict[int, int | None]) -> list[Annotation]:
    """Bookmarks and footnote references of the source lines, each with its line; a
    footnote reference gets the text of its footnote when the document gives it."""
    found: list[Annotation] = []
    definitions: dict[str, str] = {}
    for number, raw in lines:
        if "[bookmark:" not in raw and not P.SUPERSCRIPT_DIGIT.search(raw):  # no bookmark, footnote or mark
            continue
        raw = nfc(raw)
        for m in P.BOOKMARK.finditer(raw):
            found.append(Annotation(number, "bookmark", collapse_spaces(m.group()[len("[bookmark:"):-1]),
                                    page=page_of.get(number)))
        text = P.BOOKMARK.sub("", raw)
        definition = _FOOTNOTE_DEFINITION.match(text)
        if definition:
            mark, note = _plain_digits(definition["mark"]), collapse_spaces(definition["note"])
            definitions.setdefault(mark, note)
            found.append(Annotation(number, "note", mark, note=note, page=page_of.get(number)))
            continue
        for m in P.SUPERSCRIPT.finditer(text):
            before = text[max(0, m.start() - 60):m.start()].split()
            found.append(Annotation(number, "footnote", _plain_digits(m.group()),
                                    after=before[-1] if before else None, page=page_of.get(number)))
    return [dataclasses.replace(a, note=definitions.get(a.text)) if a.kind == "footnote" else a for a in found]


def _plain_digits(marks: str) -> str:
    return "".join(str(unicodedata.digit(c)) for c in marks)


def _parse_part(lines: list[Line], source: str, page_of: dict[int, int | None],
                parent: DocumentRecord | None) -> DocumentRecord:
    """Parse the lines of one document (a file may bind several; ``parent`` is the file's first)."""
    text = "\n".join(line.text for line in lines)
    header, rest = parse_header(lines)
    body, footer = _split_footer(rest)
    preamble: list[Line] = []
    # The preamble runs to the first numbered item, heading in capitals or table (an
    # appendix opens straight on its assignment table).
    while body and not body[0].table and P.match_label(body[0].text) is None \
            and not P.is_upper_heading(body[0].text):
        preamble.append(body.pop(0))
    if body == [] and preamble:
        body, preamble = preamble, []
    root = build_tree(body)

    issuer_raw = _find_issuer(preamble, footer, header, text)
    if parent is not None and parent.document.issuer and not header.heading:
        # A plan bound after its decision, without an issuer block of its own, is issued
        # by the decision's issuer ("… (Ban hành kèm theo Quyết định số 435/QĐ-UBND …)").
        issuer_raw = parent.document.issuer
    jurisdiction_hint = _territory(header, preamble)
    ctx, issuer = _context(issuer_raw, header, jurisdiction_hint, text)
    date = header.date
    # A document bound after another without a date of its own was issued with it.
    year = header.year or (date.year if date else None) or (parent.document.year if parent else None)

    title = header.title
    scanner = CitationScanner(ctx, ctx.level, header.number)
    if title:
        scanner.scan(title, header.title_lines[0], zone=True, lines=header.title_lines)
    for line in header.attached:
        scanner.scan(line.text, line.first, zone=True, lines=line.lines, attached=True)
    for line in preamble:
        scanner.scan(line.text, line.first, zone=True, lines=line.lines)
    for node in root.walk():
        if node.style == "root":
            continue
        zone = node.part in (Part.PURPOSE, Part.PREAMBLE)
        basis = node.part is Part.PREAMBLE  # items of a numbered "CĂN CỨ" section
        scanner.scan(node.text, node.lines[0], zone=zone, lines=node.lines, basis=basis)
        for role, cell in sorted(node.fields.items()):
            if role != "task":  # a table row's other cells: "Căn cứ", notes and products name documents too
                scanner.scan(cell, node.lines[0], zone=False, lines=node.lines)
        for para in node.body:
            scanner.scan(para.text, para.first, zone=zone, lines=para.lines, basis=basis)
    for line in footer.closing:
        scanner.scan(line.text, line.first, zone=False, lines=line.lines)
    citations = scanner.citations()
    if issuer is None or (date is None and header.year is None):
        # A blank day in a dated header ("ngày   tháng 3 năm 2026") is a draft: it has no date.
        attached = next((c for c in citations if c.relation is Relation.ATTACHED_TO), None)
        if attached is not None:
            issuer = issuer or attached.issuer
            date = date if header.year is not None else (date or attached.date)
            year = year or (date.year if date else None)

    doc_id = document_id(issuer, header.number, year, level=ctx.level, province=ctx.province,
                         kind=header.symbol or header.type, seed=title or text[:2000])
    tasks = _without_past_dates(derive_tasks(root, ctx, doc_id, preamble[-1].text if preamble else ""), year)
    targets = _targets(root, doc_id)
    sections = _sections(root, preamble, footer, doc_id)
    agencies_used = _agencies(tasks)
    unparsed = tuple(UnparsedLine(l.first, l.text, page_of.get(l.first), tuple(l.lines)) for l in footer.unparsed)
    info = DocumentInfo(
        id=doc_id, source=source, type=header.type, number=header.number, symbol=header.symbol,
        title=title, issuer=issuer, level=ctx.level, jurisdiction=ctx.unit(ctx.level) if ctx.level else None,
        date=date, year=year, place=header.place,
        signer=Signer(footer.signer, footer.position) if footer.signer else None,
        province=ctx.province, month=header.month or (date.month if date else None),
    )
    if ctx.level is Level.NATIONAL:
        info = DocumentInfo(**{**info.__dict__, "jurisdiction": "Việt Nam"})
    return DocumentRecord(
        document=info, citations=citations, sections=sections, tasks=tuple(tasks),
        targets=targets, agencies=agencies_used, unparsed=unparsed,
        header_lines=tuple(sorted({*header.lines, *footer.lines})),
    )


# --- footer -------------------------------------------------------------------------

def _split_footer(lines: list[Line]) -> tuple[list[Line], _Footer]:
    footer = _Footer()
    half = len(lines) // 2
    closing = max((i for i, l in enumerate(lines) if i >= half and P.CLOSING.match(l.text)), default=None)
    start_from = closing if closing is not None else half
    # A guide shows sample signature blocks and "Nơi nhận" lists in its body: the footer's own
    # come after the last numbered item.
    last_item = max((i for i, l in enumerate(lines) if _is_numbered_item(l)), default=-1)
    start_from = max(start_from, min(last_item + 1, len(lines) - 1)) if last_item >= half else start_from
    recipients = next((i for i, l in enumerate(lines) if i >= start_from and P.RECIPIENTS.match(l.text)), None)
    if recipients is None:
        # A short letter whose "Nơi nhận" | signature table was unfolded column by column: the
        # list stands before the middle, and only its items and the signature follow it.
        last = max((i for i, l in enumerate(lines) if P.RECIPIENTS.match(l.text)), default=None)
        if last is not None and all(_is_footer_line(l.text) for l in lines[last + 1:]):
            recipients = last
    signature = next((i for i, l in enumerate(lines) if i >= start_from and (
        P.SIGN_AUTHORITY.fullmatch(l.text) or P.SIGN_POSITION.fullmatch(l.text))), None)
    starts = [i for i in (closing, recipients, signature) if i is not None]
    if not starts:
        return lines, footer
    start = min(starts)
    body, tail = lines[:start], lines[start:]
    section = "closing"
    for line in tail:
        t = line.text
        if P.RECIPIENTS.match(t):
            section = "recipients"
            footer.recipients.append(line)
            continue
        if (m := P.SIGN_AUTHORITY.fullmatch(t)):
            section = "signature"
            footer.authority = m.group("body").strip()
            footer.lines.extend(line.lines)
            continue
        if P.SIGN_POSITION.fullmatch(t):
            section = "signature"
            footer.position = _position_name(t)
            footer.lines.extend(line.lines)
            continue
        if section == "signature":
            if _PERSON.fullmatch(t) and footer.signer is None:
                footer.signer = t
                footer.lines.extend(line.lines)
            elif re.fullmatch(r"\(?\s*(?i:đã\s+ký|ký|đóng\s+dấu)[^)]*\)?", t):
                footer.lines.extend(line.lines)
            else:
                footer.unparsed.append(line)
            continue
        if section == "recipients":
            footer.recipients.append(line)
        else:
            footer.closing.append(line)
    return body, footer


def _is_numbered_item(line: Line) -> bool:
    """A numbered item of the body ("III- TỔ CHỨC THỰC HIỆN", "2. …", "Điều 3."), not a bullet."""
    label = P.match_label(line.text)
    return not line.table and label is not None and label[0] not in P.BULLET_STYLES


def _is_footer_line(text: str) -> bool:
    """A line of a recipients list or a signature block ("- Như trên;", "TL. CHỦ TỊCH", a name)."""
    label = P.match_label(text)
    return (label is None or label[0] in P.BULLET_STYLES) and (
        text.startswith(("-", "+", "•")) or bool(P.SIGN_AUTHORITY.fullmatch(text) or P.SIGN_POSITION.fullmatch(text))
        or _PERSON.fullmatch(text) is not None or len(text) < 60)


def _position_name(upper: str) -> str:
    """ "PHÓ BÍ THƯ" -> "Phó Bí thư"; "CHỦ TỊCH" -> "Chủ tịch"."""
    text = upper.lower()
    text = text[:1].upper() + text[1:]
    for title in ("bí thư", "chủ tịch", "thủ tướng", "giám đốc", "trưởng ban", "bộ trưởng"):
        if text.startswith("Phó " + title):
            text = "Phó " + title[:1].upper() + title[1:] + text[len("Phó " + title):]
    return text


# --- issuer and jurisdiction -------------------------------------------------------

def _find_issuer(preamble: list[Line], footer: _Footer, header: Header, text: str) -> str | None:
    """Who issued the document: the header's issuer block, else the preamble's "… ban hành
    Kế hoạch" clause, else the decision's authority line, else the signature block.

    A body named in a "Căn cứ Quyết định … của Thủ tướng Chính phủ ban hành …" clause
    issued the cited document, not this one: a mention right after "của" is skipped.
    """
    if header.heading:
        issuer = header.issuer
        # Beside a number or the Quốc hiệu, capitals over the title are the issuer block,
        # whether or not the agency lexicon knows the body ("PHỦ THỦ TƯỚNG" of 1980).
        if issuer and (agencies.match_at(issuer, 0) or header.symbol or header.motto):
            return recase(issuer, text)
    for line in preamble:
        for mention in agencies.find_mentions(line.text):
            if _ISSUES.match(line.text, mention.end) and not _OF.search(line.text, 0, mention.start):
                return mention.raw
    coded, level = issuer_from_code(header.number) if header.number else (None, None)
    if coded is not None and level is Level.NATIONAL:
        # A national body's code in the number names the issuer outright: "50/QĐ-TTg" is the
        # Prime Minister's whatever a copy's signature block says ("TM. CHÍNH PHỦ"), and a
        # citation of it is read by the same code.
        return coded
    if header.authority:
        authority = caps_to_name(re.sub(r"^(?:CHỦ\s+TỊCH|BỘ\s+TRƯỞNG|GIÁM\s+ĐỐC|TRƯỞNG\s+BAN)\s+", "",
                                        header.authority))
        if agencies.match_at(authority, 0):
            return recase(authority, text)
    if footer.authority:
        return recase(caps_to_name(footer.authority), text)
    if footer.position in ("Thủ tướng", "Phó Thủ tướng"):
        return "Thủ tướng Chính phủ"  # the Prime Minister signs in his own name
    return None


# "… của Thủ tướng Chính phủ ban hành …": the mention that follows names a cited document's issuer.
_OF = re.compile(r"(?i:của)\s*$")


def recase(name: str, text: str) -> str:
    """``name`` as the document itself writes it, when it does (capitals lose the case of
    proper names: "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI" is "Bộ Lao động - Thương binh và Xã hội").

    >>> recase("Bộ lao động - thương binh và xã hội", "… của Bộ Lao động - Thương binh và Xã hội về …")
    'Bộ Lao động - Thương binh và Xã hội'
    """
    for start, end in _word_runs([w.lower() for w in name.split()], text):
        found = collapse_spaces(text[start:end])
        if not P.is_upper_heading(found) and found[:1].isupper():
            return found
    return name


def _word_runs(words: list[str], text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of ``words`` (lower case) in ``text``, whatever its case, the
    words parted by blanks, neither end inside a word: what the pattern ``(?<!\\w)w1\\s+w2
    …(?!\\w)`` with IGNORECASE finds, without compiling one per document (a national build
    compiled 3,400, 1 ms each: every ward's issuer is a new name)."""
    lowered = text.lower()
    if not words or len(lowered) != len(text):  # a letter whose lower case is longer: slow path
        escaped = r"\s+".join(re.escape(w) for w in words)
        yield from (m.span() for m in re.finditer(rf"(?<!\w)(?:{escaped})(?!\w)", text, re.IGNORECASE))
        return
    first, size = words[0], len(text)
    start = lowered.find(first)
    while start != -1:
        end = start + len(first)
        if not (start and _is_word(text[start - 1])):
            for word in words[1:]:
                gap = end
                while end < size and text[end].isspace():
                    end += 1
                if end == gap or not lowered.startswith(word, end):
                    break
                end += len(word)
            else:
                if not (end < size and _is_word(text[end])):
                    yield start, end
                    start = lowered.find(first, end)  # runs do not overlap, as a pattern's matches
                    continue
        start = lowered.find(first, start + 1)


def _is_word(char: str) -> bool:
    """Is ``char`` one that ``\\w`` matches?"""
    return char.isalnum() or char == "_"


def _territory(header: Header, preamble: list[Line]) -> tuple[str, str] | None:
    for text in [header.title or "", *(l.text for l in preamble)]:
        m = _TERRITORY.search(text)
        if m:
            return collapse_spaces(m.group("unit")).lower(), m.group("name")
    return None


def _context(issuer_raw: str | None, header: Header,
             territory: tuple[str, str] | None, text: str) -> tuple[agencies.Context, str | None]:
    province = _main_province(text)
    base = agencies.Context(None, province, None, None)
    if issuer_raw is None:
        level = Level.NATIONAL if header.attached else None
        return agencies.Context(level, province), None
    issuer = agencies.canonicalize(issuer_raw, base)
    level = issuer.level
    unit = issuer.jurisdiction
    if unit is None or (issuer.name == agencies.canonical_text(issuer_raw) and agencies.unit_of(issuer.name) is None):
        # A bare issuer ("Ủy ban nhân dân tỉnh", "Ban Thường vụ Tỉnh ủy"): find the place.
        unit_word = _bare_unit(issuer.name)
        place = None
        if territory and (unit_word is None or territory[0] == unit_word):
            unit_word, place = territory
        elif header.place and unit_word:
            place = header.place
        elif unit_word == "tỉnh" and province:
            place = province.split(" ", 1)[1]
        if unit_word and place:
            unit = f"{unit_word} {place}"
            explicit = agencies.unit_of(f"UBND {unit}")
            level = explicit[0] if explicit else level
            if unit_word == "tỉnh":
                province = unit
            ctx = _ctx_for(level, unit, province)
            return ctx, agencies.canonicalize(issuer_raw, ctx).name
    ctx = _ctx_for(level, unit, province if level is not Level.PROVINCE else unit)
    return ctx, agencies.canonicalize(issuer_raw, ctx).name


def _bare_unit(name: str) -> str | None:
    m = re.search(r"(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|Tỉnh ủy|Thành ủy|Huyện ủy)$", name)
    if not m:
        return None
    word = m.group(1).lower()
    return {"tỉnh ủy": "tỉnh", "thành ủy": "thành phố", "huyện ủy": "huyện"}.get(word, word)


def _ctx_for(level: Level | None, unit: str | None, province: str | None) -> agencies.Context:
    if level is Level.PROVINCE:
        return agencies.Context(level, unit, None, None)
    if level is Level.DISTRICT:
        return agencies.Context(level, province, unit, None)
    if level is Level.COMMUNE:
        return agencies.Context(level, province, None, unit)
    return agencies.Context(level, province, None, None)


def _main_province(text: str) -> str | None:
    counts = Counter(collapse_spaces(m.group("name")) for m in _UNIT_MENTION.finditer(text))
    if not counts:
        return None
    name, _ = max(counts.items(), key=lambda kv: (kv[1], -text.find(kv[0])))
    return f"tỉnh {name}"


# --- ids, targets, sections -------------------------------------------------------

def document_id(issuer: str | None, number: str | None, year: int | None, *, level: Level | None,
                province: str | None, kind: str | None = None, seed: str = "") -> str:
    """Stable id of a document: ``[province/]issuer/year/number``.

    Below the province level the province comes first: every province has its "phường
    Trần Phú", and their plans are different documents. A document without a number gets
    its type and a short hash of its title instead.

    >>> document_id("UBND tỉnh Lai Châu", "2233/KH-UBND", 2026, level=Level.PROVINCE, province="tỉnh Lai Châu")
    'ubnd-tinh-lai-chau/2026/2233-kh-ubnd'
    >>> document_id("UBND phường Đoàn Kết", "12/KH-UBND", 2026, level=Level.COMMUNE, province="tỉnh Lai Châu")
    'tinh-lai-chau/ubnd-phuong-doan-ket/2026/12-kh-ubnd'
    """
    issuer_slug = slugify(issuer) if issuer else "unknown-issuer"
    if level in (Level.DISTRICT, Level.COMMUNE) and province:
        issuer_slug = f"{slugify(province)}/{issuer_slug}"
    if number:
        return f"{issuer_slug}/{year or 'x'}/{slugify(number)}"
    digest = hashlib.sha1(collapse_spaces(seed).encode("utf-8")).hexdigest()[:8]
    return f"{issuer_slug}/{year or 'x'}/{slugify(kind or 'doc')}-{digest}"


def _without_past_dates(tasks: list[Task], year: int | None) -> list[Task]:
    """Tasks without the "deadlines" that end before the year the document was issued in.

    A plan sets no deadline in a year it was not yet issued in: such a phrase is a criterion
    ("Người hoạt động cách mạng trước ngày 01 tháng 01 năm 1945") or an account of the past
    ("Trong năm 2025, công tác cải cách hành chính …" in a 2026 notice). The phrase stays in
    the task's text; schedules ("thường xuyên", "hằng quý") are kept.
    """
    if year is None:
        return tasks
    return [dataclasses.replace(t, deadline=None)
            if t.deadline and t.deadline.end and t.deadline.end.year < year
            and not (t.deadline.continuous or t.deadline.recurrence) else t
            for t in tasks]


def _targets(root: Node, doc_id: str) -> tuple[Target, ...]:
    out: list[Target] = []
    for node in root.walk():
        if node.kind not in ("item", "para", "content") or node.style == "root":
            continue
        default_year = None
        heads = [node] if (node.children or node.body) and len(node.text) < 120 else []
        for anc in [*heads, *node.ancestors()]:
            default_year = period_year(anc.text)
            if default_year:
                break
        pieces = [(node.text, node.lines[0])] + [(b.text, b.first) for b in node.body]
        n = 0
        for text, line in pieces:
            for t in find_targets(text, objective=node.part is Part.OBJECTIVES, default_year=default_year):
                n += 1
                out.append(Target(
                    id=f"{doc_id}#{'/'.join(node.path)}~t{n}", path=node.path, text=t.text,
                    indicator=t.indicator, value=t.value, unit=t.unit, comparator=t.comparator,
                    year=t.year, line=line,
                ))
    return tuple(out)


def _sections(root: Node, preamble: list[Line], footer: _Footer, doc_id: str) -> tuple[Section, ...]:
    out: list[Section] = []
    for i, line in enumerate(preamble, start=1):
        out.append(Section(f"{doc_id}#preamble-{i}", (f"preamble-{i}",), "", line.text, Part.PREAMBLE,
                           tuple(line.lines)))
    if root.body:
        out.append(Section(f"{doc_id}#body", ("body",), "", root.full_text, Part.OTHER, tuple(root.all_lines)))
    for node in root.walk():
        if node.style == "root":
            continue
        out.append(Section(f"{doc_id}#{'/'.join(node.path)}", node.path, node.label, node.full_text,
                           node.part, tuple(node.all_lines)))
    if footer.closing:
        out.append(Section(f"{doc_id}#closing", ("closing",), "", " ".join(l.text for l in footer.closing),
                           Part.OTHER, tuple(n for l in footer.closing for n in l.lines)))
    if footer.recipients:
        out.append(Section(f"{doc_id}#recipients", ("recipients",), "",
                           " ".join(l.text for l in footer.recipients), Part.OTHER,
                           tuple(n for l in footer.recipients for n in l.lines)))
    return tuple(out)


def _agencies(tasks: list[Task]) -> tuple[Agency, ...]:
    seen: dict[str, Agency] = {}
    for task in tasks:
        for agency in (*task.lead, *task.support):
            seen.setdefault(agency.name, agency)
    return tuple(seen[k] for k in sorted(seen))

