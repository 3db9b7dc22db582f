"""Assemble a :class:`~plankg.model.DocumentRecord` from a document's text.

Pipeline: :mod:`clean` (logical lines) -> header and footer split (this module) ->
:mod:`structure` (section tree) -> :mod:`citations`, :mod:`tasks`, :mod:`targets`.
Every source line with text ends up in the header, a section, the footer or
``unparsed``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from plankg.loaders import agencies
from plankg.loaders import patterns as P
from plankg.loaders.citations import CitationScanner, normalize_number
from plankg.loaders.clean import Line, clean_text
from plankg.loaders.structure import Node, build_tree
from plankg.loaders.targets import find_targets, period_year
from plankg.loaders.tasks import derive_tasks
from plankg.model import (
    Agency,
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
from plankg.normalize import collapse_spaces, slugify

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
_UNIT_MENTION = re.compile(
    r"(?<![" + P.VI_LOWER + r"])(?P<unit>tỉnh|Tỉnh[ \t]+[uủ][ỷy])[ \t]+(?P<name>[" + P.VI_UPPER + r"][" + P.VI_LOWER
    + r"]*(?:[ \t]+[" + P.VI_UPPER + r"][" + P.VI_LOWER + r"]*){0,3})"
)
# A person's name in the signature block: "Hà Quang Trung", "Mùa A Sơn".
_NAME_WORD = r"[" + P.VI_UPPER + r"][" + P.VI_LOWER + r"]*"
_PERSON = re.compile(_NAME_WORD + r"(?:\s+" + _NAME_WORD + r"){1,5}")
_PREAMBLE_START = re.compile(r"(?i:căn\s+cứ|thực\s+hiện|triển\s+khai|để|nhằm|thi\s+hành)\b")


@dataclass
class _Header:
    type: str | None = None
    number: str | None = None
    symbol: str | None = None
    title: str | None = None
    title_lines: list[int] = field(default_factory=list)
    place: str | None = None
    date: dt.date | None = None
    year: int | None = None
    heading: list[str] = field(default_factory=list)
    attached: list[Line] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


@dataclass
class _Footer:
    closing: list[Line] = field(default_factory=list)
    recipients: list[Line] = field(default_factory=list)
    authority: str | None = None
    position: str | None = None
    signer: str | None = None
    lines: list[int] = field(default_factory=list)
    unparsed: list[Line] = field(default_factory=list)


def parse_document(text: str, source: str) -> DocumentRecord:
    """Parse one document's text. Never raises on odd content."""
    lines = clean_text(text)
    header, rest = _parse_header(lines)
    body, footer = _split_footer(rest)
    preamble: list[Line] = []
    while body and (body[0].table or P.match_label(body[0].text) is None) and not P.is_upper_heading(body[0].text):
        preamble.append(body.pop(0))
    if body == [] and preamble:
        body, preamble = preamble, []
    root = build_tree(body)

    issuer_raw = _find_issuer(preamble, footer, header)
    jurisdiction_hint = _territory(header, preamble)
    ctx, issuer = _context(issuer_raw, header, jurisdiction_hint, "\n".join(line.text for line in lines))
    date = header.date
    year = header.year or (date.year if date else None)

    title = header.title
    scanner = CitationScanner(ctx, ctx.level, header.number)
    if title:
        scanner.scan(title, header.title_lines[0], zone=True, lines=header.title_lines)
    for line in header.attached:
        scanner.scan(line.text, line.first, zone=True, lines=line.lines)
    for line in preamble:
        scanner.scan(line.text, line.first, zone=True, lines=line.lines)
    for node in root.walk():
        if node.style == "root":
            continue
        zone = node.part in (Part.PURPOSE, Part.PREAMBLE)
        basis = node.part is Part.PREAMBLE  # items of a numbered "CĂN CỨ" section
        scanner.scan(node.text, node.lines[0], zone=zone, lines=node.lines, basis=basis)
        for para in node.body:
            scanner.scan(para.text, para.first, zone=zone, lines=para.lines, basis=basis)
    for line in footer.closing:
        scanner.scan(line.text, line.first, zone=False, lines=line.lines)
    citations = scanner.citations()
    if issuer is None or date is None:
        attached = next((c for c in citations if c.relation is Relation.ATTACHED_TO), None)
        if attached is not None:
            issuer = issuer or attached.issuer
            date = date or attached.date
            year = year or (date.year if date else None)

    doc_id = document_id(issuer, header.number, year, level=ctx.level, province=ctx.province,
                         kind=header.symbol or header.type, seed=title or text[:2000])
    tasks = derive_tasks(root, ctx, doc_id)
    targets = _targets(root, doc_id)
    sections = _sections(root, preamble, footer, doc_id)
    agencies_used = _agencies(tasks)
    unparsed = tuple(UnparsedLine(n, l.text) for l in footer.unparsed for n in l.lines[:1])
    info = DocumentInfo(
        id=doc_id, source=source, type=header.type, number=header.number, symbol=header.symbol,
        title=title, issuer=issuer, level=ctx.level, jurisdiction=ctx.unit(ctx.level) if ctx.level else None,
        date=date, year=year, place=header.place,
        signer=Signer(footer.signer, footer.position) if footer.signer else None,
        province=ctx.province,
    )
    if ctx.level is Level.NATIONAL:
        info = DocumentInfo(**{**info.__dict__, "jurisdiction": "Việt Nam"})
    return DocumentRecord(
        document=info, citations=citations, sections=sections, tasks=tuple(tasks),
        targets=targets, agencies=agencies_used, unparsed=unparsed,
        header_lines=tuple(sorted({*header.lines, *footer.lines})),
    )


# --- header -------------------------------------------------------------------------

def _parse_header(lines: list[Line]) -> tuple[_Header, list[Line]]:
    h = _Header()
    i = 0
    while i < len(lines):
        line = lines[i]
        t = line.text
        if line.table:
            break
        if P.MOTTO.fullmatch(t.strip(" -*")) or (P.MOTTO.search(t) and len(t) < 90 and not P.match_label(t)):
            h.lines.extend(line.lines)
        elif (m := P.NUMBER_LINE.fullmatch(t)) and len(t) < 60 and h.number is None and h.symbol is None:
            _set_number(h, m.group("rest"))
            h.lines.extend(line.lines)
        elif (m := P.PLACE_DATE.match(t)) and len(t) < 90 and h.place is None:
            _set_place_date(h, m)
            h.lines.extend(line.lines)
        elif h.type is None and (m := P.DOC_TYPE_LINE.fullmatch(t)) and P.is_upper_heading(m.group("type")):
            h.type = _type_name(m.group("type"))
            h.lines.extend(line.lines)
            title_parts = [m.group("rest").strip()] if m.group("rest").strip() else []
            title_lines = list(line.lines) if title_parts else []
            j = i + 1
            while j < len(lines):
                nxt = lines[j]
                if nxt.table or P.match_label(nxt.text) or (P.ATTACHED.match(nxt.text) and nxt.text.startswith("(")):
                    break
                if title_parts and not (P.is_upper_heading(title_parts[-1]) and P.is_upper_heading(nxt.text)):
                    break  # lower-case continuations were joined by the cleaner already
                if P.PLACE_DATE.match(nxt.text) or P.NUMBER_LINE.fullmatch(nxt.text):
                    break
                title_parts.append(nxt.text)
                title_lines.extend(nxt.lines)
                j += 1
            if title_parts:
                h.title = collapse_spaces(" ".join(title_parts)).rstrip(" ,")
                h.title_lines = title_lines
                h.lines.extend(title_lines)
            i = j
            continue
        elif t.startswith("(") and P.ATTACHED.match(t):
            h.attached.append(line)
            h.lines.extend(line.lines)
        elif h.type is None and P.is_upper_heading(t) and not P.match_label(t) and len(t) < 90:
            h.heading.append(t)
            h.lines.extend(line.lines)
        elif (h.type is None and t in ("*", "***")) or P.DECORATION.fullmatch(t):
            h.lines.extend(line.lines)
        else:
            break
        i += 1
    return h, lines[i:]


def _set_number(h: _Header, rest: str) -> None:
    rest = rest.strip().rstrip(".")
    m = re.match(r"(\d+[a-z]?(?:/\d{4})?)?\s*([/-])\s*(\S.*)", rest)
    if not m:
        return
    symbol = re.sub(r"\s+", "", m.group(3))
    h.symbol = symbol
    if m.group(1):
        h.number = normalize_number(f"{m.group(1)}{m.group(2)}{symbol}")


def _set_place_date(h: _Header, m: re.Match[str]) -> None:
    h.place = m.group("place").strip(" ,")
    year = int(m.group("year"))
    h.year = year
    if m.group("day") and m.group("month"):
        try:
            h.date = dt.date(year, int(m.group("month")), int(m.group("day")))
        except ValueError:
            h.date = None


def _type_name(upper: str) -> str:
    for t in P.DOC_TYPES:
        if t.upper() == upper:
            return t
    return upper.capitalize()


# --- footer -------------------------------------------------------------------------

def _split_footer(lines: list[Line]) -> tuple[list[Line], _Footer]:
    footer = _Footer()
    half = len(lines) // 2
    closing = max((i for i, l in enumerate(lines) if i >= half and P.CLOSING.match(l.text)), default=None)
    start_from = closing if closing is not None else half
    recipients = next((i for i, l in enumerate(lines) if i >= start_from and P.RECIPIENTS.match(l.text)), None)
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


def _position_name(upper: str) -> str:
    """ "PHÓ BÍ THƯ" -> "Phó Bí thư"; "CHỦ TỊCH" -> "Chủ tịch"."""
    text = upper.lower()
    text = text[:1].upper() + text[1:]
    for title in ("bí thư", "chủ tịch", "thủ tướng", "giám đốc", "trưởng ban", "bộ trưởng"):
        if text.startswith("Phó " + title):
            text = "Phó " + title[:1].upper() + title[1:] + text[len("Phó " + title):]
    return text


# --- issuer and jurisdiction -------------------------------------------------------

def _find_issuer(preamble: list[Line], footer: _Footer, header: _Header) -> str | None:
    for line in preamble:
        for mention in agencies.find_mentions(line.text):
            if _ISSUES.match(line.text, mention.end):
                return mention.raw
    if header.heading:
        heading = _caps_to_name(" ".join(h for h in header.heading if not P.MOTTO.search(h)))
        if heading and agencies.match_at(heading, 0):
            return heading
    if footer.authority:
        return _caps_to_name(footer.authority)
    return None


def _caps_to_name(text: str) -> str:
    """ "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU" -> "Ủy ban nhân dân tỉnh Lai Châu"."""
    low = collapse_spaces(text).lower()
    m = re.search(r"\b((?:tỉnh|thành|huyện|đảng) u[ỷy]|tỉnh ủy|thành ủy|huyện ủy|đảng ủy|tỉnh|thành phố|huyện|quận"
                  r"|thị xã|xã|phường|thị trấn)\s+(.+)$", low)
    head = low
    tail = ""
    if m:
        head = low[: m.start()].strip()
        place = " ".join(w.capitalize() for w in m.group(2).split())
        unit = m.group(1)
        unit = unit.capitalize() if "ủy" in unit or "uỷ" in unit else unit
        tail = f" {unit} {place}"
    head = head[:1].upper() + head[1:]
    head = re.sub(r"^Ban thường vụ", "Ban Thường vụ", head)
    return (head + tail).strip()


def _territory(header: _Header, preamble: list[Line]) -> tuple[str, str] | None:
    for text in [header.title or "", *(l.text for l in preamble)]:
        m = _TERRITORY.search(text)
        if m:
            return collapse_spaces(m.group("unit")).lower(), m.group("name")
    return None


def _context(issuer_raw: str | None, header: _Header,
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

