"""Citations: every document number a plan mentions, with what the plan does with it.

Relations (strongest wins when a document is mentioned several times):

* ``attached_to`` - "(Kèm theo Quyết định số 1486/QĐ-TTg …)": the plan is issued with it;
* ``applies`` - the plan implements it: "Thực hiện Thông báo số 130/TB-VPCP …",
  "Triển khai thực hiện có hiệu quả Quyết định số 1585/QĐ-TTg …", or "Căn cứ Kế hoạch
  số 3045/KH-UBND …" (a plan "based on" a higher plan implements it), in the title,
  the preamble or the purpose section;
* ``based_on`` - legal basis: "Căn cứ Luật …", "Căn cứ Nghị định số …";
* ``cites`` - any other mention.

A chain in one sentence ("Thực hiện Chương trình hành động số 21-CTr/TU … thực hiện
Nghị quyết số 06-NQ/TW") gives 06-NQ/TW ``via`` 21-CTr/TU.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from plankg.loaders import agencies
from plankg.loaders.patterns import DOC_TYPES
from plankg.loaders.patterns import VI_LOWER as P_LOWER
from plankg.loaders.patterns import VI_UPPER as P_UPPER
from plankg.model import CITATION_STRENGTH, Citation, Level, Relation

# ", ngày 24/01/2022" / "ngày 07 tháng 12 năm 2023" / "ngày 29 tháng 11 năm\n2024"
DATE_AFTER = re.compile(
    r"\s*,?\s*(?i:ngày)\s*(?P<d>\d{1,2})\s*(?:[/.-]|\s+(?i:tháng)\s+)\s*(?P<m>\d{1,2})\s*"
    r"(?:[/.-]|\s+(?i:năm)\s+)\s*(?P<y>\d{4})"
)
# "… của UBND tỉnh Lai Châu" right after the number or date.
OF_ISSUER = re.compile(r"\s*,?\s*(?i:của)\s+")
# "(sau đây gọi tắt là Nghị quyết số 09/NQ-CP)" / "(gọi tắt là Quy hoạch tỉnh)"
ALIAS = re.compile(r"\(\s*(?i:sau\s+đây\s+)?(?i:gọi\s+tắt\s+là|viết\s+tắt\s+là)\s+(?P<alias>[^()]{2,80}?)\s*\)")
# "Thực hiện" / "Triển khai, thực hiện" / "triển khai thực hiện có hiệu quả" before "<Type> số".
_ADVERBS = r"(?:có\s+hiệu\s+quả|hiệu\s+quả|nghiêm\s+túc|đầy\s+đủ|tốt|kịp\s+thời|đồng\s+bộ|quyết\s+liệt)"
APPLY_TRIGGER = re.compile(
    r"(?i:(?:quán\s+triệt\s*,?\s*)?(?:triển\s+khai\s*,?\s*)?(?:tổ\s+chức\s+)?thực\s+hiện|triển\s+khai|cụ\s+thể\s+hóa)"
    r"(?:\s*,?\s*(?:và\s+)?(?i:" + _ADVERBS + r"))*\s*$"
)
_OPENS_APPLYING = re.compile(
    r"\s*(?i:(?:triển\s+khai\s*,?\s*)?(?:tổ\s+chức\s+)?thực\s+hiện|triển\s+khai|cụ\s+thể\s+hóa)\b"
)
BASIS_TRIGGER = re.compile(r"(?i:căn\s+cứ)(?:\s+(?i:vào|theo))?\s*$")
ATTACH_TRIGGER = re.compile(r"(?i:kèm\s+theo)\s*$")
# The type words just before "số": "Chương trình hành động số", "các Quyết định …: số".
_TYPE_BEFORE = re.compile(
    r"(?P<type>" + "|".join(DOC_TYPES) + r")(?:\s+(?:liên\s+tịch|hợp\s+nhất))?\s*(?:(?i:số)\s*)?[:.]?\s*$",
    re.IGNORECASE,
)
_SO_BEFORE = re.compile(r"(?i:số)\s*:?\s*$")
# A guide's samples of document numbers: a line that is only "Số 15-HD/TU", or an example.
_SAMPLE = re.compile(r"\s*(?i:số)\s*:?\s*")
_EXAMPLE = re.compile(r"(?i:ví\s+dụ)\b[^.;]*$")
# What joins two numbers that share the issuer named after the second: " và Kết luận số ".
_CONJOINED = re.compile(r"\s*(?:,\s*)?(?:và|,)\s+(?:(?:" + "|".join(DOC_TYPES) + r")\s+)?(?:số\s*)?", re.IGNORECASE)
# A decision that issues or approves a plan is a plan to carry out, not a legal norm:
# "Căn cứ Quyết định số 416/QĐ-TTg … về ban hành Kế hoạch thực hiện Chỉ thị …".
_ISSUES_PLAN = re.compile(
    r"(?i:(?:về\s+(?:việc\s+)?)?(?:ban\s+hành|phê\s+duyệt)\s+(?:kế\s+hoạch|chương\s+trình|đề\s+án))"
)

# Type code -> document type.
TYPE_CODES = {
    "NQ": "Nghị quyết", "QĐ": "Quyết định", "KH": "Kế hoạch", "CTr": "Chương trình",
    "CT": "Chỉ thị", "TB": "Thông báo", "HD": "Hướng dẫn", "KL": "Kết luận", "BC": "Báo cáo",
    "TTr": "Tờ trình", "NĐ": "Nghị định", "TT": "Thông tư", "TTLT": "Thông tư liên tịch",
    "CV": "Công văn", "QC": "Quy chế", "ĐA": "Đề án", "CĐ": "Công điện", "VBHN": "Văn bản hợp nhất",
    "PL": "Pháp lệnh", "L": "Luật",
}
# Issuer code -> (issuer, level); None issuer where the code alone does not tell.
# Ministry codes are those of Nghị định 30/2020/NĐ-CP (Phụ lục III) and of the ministries as
# reorganised in 2025; a provincial department's code is its ministry's with "S" for "Sở".
ISSUER_CODES: dict[str, tuple[str | None, Level | None]] = {
    "TTg": ("Thủ tướng Chính phủ", Level.NATIONAL),
    "CP": ("Chính phủ", Level.NATIONAL),
    "HĐBT": ("Hội đồng Bộ trưởng", Level.NATIONAL),
    "VPCP": ("Văn phòng Chính phủ", Level.NATIONAL),
    "BCA": ("Bộ Công an", Level.NATIONAL),
    "BQP": ("Bộ Quốc phòng", Level.NATIONAL),
    "BNG": ("Bộ Ngoại giao", Level.NATIONAL),
    "BNV": ("Bộ Nội vụ", Level.NATIONAL),
    "BTP": ("Bộ Tư pháp", Level.NATIONAL),
    "BTC": ("Bộ Tài chính", Level.NATIONAL),
    "BYT": ("Bộ Y tế", Level.NATIONAL),
    "BXD": ("Bộ Xây dựng", Level.NATIONAL),
    "BGDĐT": ("Bộ Giáo dục và Đào tạo", Level.NATIONAL),
    "BKHCN": ("Bộ Khoa học và Công nghệ", Level.NATIONAL),
    "BNNMT": ("Bộ Nông nghiệp và Môi trường", Level.NATIONAL),
    "BVHTTDL": ("Bộ Văn hóa, Thể thao và Du lịch", Level.NATIONAL),
    "BDTTG": ("Bộ Dân tộc và Tôn giáo", Level.NATIONAL),
    "BLĐTBXH": ("Bộ Lao động - Thương binh và Xã hội", Level.NATIONAL),
    "BKHĐT": ("Bộ Kế hoạch và Đầu tư", Level.NATIONAL),
    "BTTTT": ("Bộ Thông tin và Truyền thông", Level.NATIONAL),
    "BTNMT": ("Bộ Tài nguyên và Môi trường", Level.NATIONAL),
    "BNNPTNT": ("Bộ Nông nghiệp và Phát triển nông thôn", Level.NATIONAL),
    "BGTVT": ("Bộ Giao thông vận tải", Level.NATIONAL),
    "NHNN": ("Ngân hàng Nhà nước Việt Nam", Level.NATIONAL),
    "TTCP": ("Thanh tra Chính phủ", Level.NATIONAL),
    "CAT": ("Công an tỉnh", Level.PROVINCE),
    "TW": (None, Level.NATIONAL),
    "BCT": (None, Level.NATIONAL),
    "BBT": ("Ban Bí thư", Level.NATIONAL),
    "TU": ("Tỉnh ủy", Level.PROVINCE),
    "HU": ("Huyện ủy", Level.DISTRICT),
    "ThU": ("Thành ủy", Level.DISTRICT),
    "QU": ("Quận ủy", Level.DISTRICT),
}

# "06-NQ/TW" / "57- NQ/TW" / "2233/KH-UBND" / "4286/TTr- UBND" / "37/2019/NĐ-CP" / "55/2014/QH13"
# "4236/SXD-QLN&CS" / "511/TTr-CAT(PC04)" / "2587-CV/VPTW/nb"
# The number's first digit comes before the look-behind on the character ahead of it (the same
# test): a pattern that opens on a digit lets the regex engine skip to digits (2x faster).
# A part of the symbol ("KH", "UBND", "TTg", "QLN&CS", "C04") ends where its word ends: the
# start of a longer word is none ("Tờ trình 511/QUYẾT ĐỊNH" holds no number, and "12/KH-UBND
# - Sở Tài chính" is 12/KH-UBND). Glued to a lower-case word, as a PDF's text can be
# ("06-NQ/TWngày", "1486/QĐ-TTgvề"), a part of two or more capitals, or a code in mixed
# case, ends where they do.
_SYMBOL_PART = (rf"(?:[A-ZĐ][A-Za-zĐđ0-9&]*+(?![{P_LOWER}{P_UPPER}])"
                rf"|(?:{'|'.join(c for c in (*TYPE_CODES, *ISSUER_CODES) if not c.isupper())}|[A-ZĐ][A-ZĐ0-9&]++)"
                rf"(?=[{P_LOWER}]))")
DOC_NUMBER = re.compile(
    r"(?P<num>\d(?<![\w/.+-]\d)\d{0,4}[a-z]?)\s*(?:/\s*(?P<year>(?:19|20)\d{2})\s*)?(?P<sep>[/-])\s*"
    rf"(?P<sym>{_SYMBOL_PART}(?:\s?[-/]\s?{_SYMBOL_PART})*(?:\([A-Z0-9]{{2,8}}\)|/[a-z]{{1,3}}\b)?)"
)

# Types a "Căn cứ" makes a legal basis; any other document after "Căn cứ" is applied.
LEGAL_BASIS_TYPES = frozenset({
    "Luật", "Bộ luật", "Nghị định", "Thông tư", "Thông tư liên tịch", "Pháp lệnh", "Hiến pháp",
    "Quyết định", "Văn bản hợp nhất",
})


@dataclass
class _Mention:
    number: str
    start: int
    end: int          # end of number, date and issuer phrase
    type: str | None
    issuer: str | None
    date: dt.date | None
    level: Level | None
    relation: Relation
    via: str | None
    line: int
    subject: str | None = None
    basis: bool = False  # named in a "Căn cứ" clause (or a list continuing one)


@dataclass
class CitationScanner:
    """Collects mentions over a document's passages, then merges them per number."""

    ctx: agencies.Context
    own_level: Level | None
    own_number: str | None = None
    mentions: list[_Mention] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)

    def scan(self, text: str, line: int, *, zone: bool, lines: list[int] | None = None, basis: bool = False,
             attached: bool = False) -> None:
        """Scan one passage. ``zone`` is True in the title, preamble and purpose part,
        where an implementing verb means the plan itself applies the document; ``basis``
        in a numbered "CĂN CỨ" section, whose items each name a basis of the plan; ``attached``
        in the header's "(Kèm theo …)" line, the only place where "kèm theo" names the
        document this one is issued with (in running text it describes a cited document:
        "Chương trình … ban hành kèm theo Nghị quyết số 140/NQ-CP")."""
        found = list(_iter_numbers(text))
        previous: _Mention | None = None
        clause_start = 0
        for m in found:
            number = normalize_number(m.group(0))
            if self.own_number and number == self.own_number:
                continue
            if _SAMPLE.fullmatch(text[: m.start()]) or _EXAMPLE.search(text, max(0, m.start() - 80), m.start()):
                continue  # "Số 15-HD/TU" alone on a line, "Ví dụ: … số …": a sample, not a citation
            start = m.start()
            boundary = max(text.rfind(";", 0, start), text.rfind(". ", 0, start),
                           text.rfind(":", 0, start) if previous is None else -1)
            if previous is not None and boundary < previous.end:
                lead_in_from = previous.end
            else:
                lead_in_from = max(boundary + 1, clause_start)
            lead_in = text[lead_in_from:start]
            doc_type = _type_from_lead_in(lead_in) or _type_from_code(number)
            type_m = _TYPE_BEFORE.search(lead_in) or _SO_BEFORE.search(lead_in)
            before_type = lead_in[: type_m.start()] if type_m else lead_in
            # Continue the number with its date and issuer.
            end = m.end()
            date = None
            dm = DATE_AFTER.match(text, end)
            if dm:
                date = _make_date(int(dm.group("y")), int(dm.group("m")), int(dm.group("d")))
                end = dm.end()
            issuer = None
            level = None
            om = OF_ISSUER.match(text, end)
            if om:
                mention = agencies.match_at(text, om.end())
                head = _COMMITTEE.match(text, om.end()) if mention is None else None
                committee = _committee_name(text, om.end(), head.group(0)) if head is not None else None
                if committee is None and mention is not None:
                    committee = _committee_name(text, om.end(), mention.raw) or _trim_issuer(mention.raw)
                if committee:
                    raw = committee
                    agency = agencies.canonicalize(raw, self.ctx)
                    issuer, level = agency.name, agency.level
                    if _COMMITTEE.match(raw) and _CENTRAL.search(raw):
                        # "Tổ công tác … gắn với Đề án 06 Chính phủ": a body of the centre, by its name.
                        issuer, level = raw, Level.NATIONAL
                    if level is None and self.own_level is Level.NATIONAL and not _LOCAL.search(raw):
                        level = Level.NATIONAL  # a committee a national document names without a place
                    end = om.end() + len(raw)
            if issuer is None:
                # "… của Ủy ban nhân dân tỉnh tại Thông báo số 493/TB-UBND", "Ngày 24 tháng 6 năm
                # 1977 Hội đồng Chính phủ đã ra Quyết định số 169-CP": said before the number.
                before_issuer, before_date = _named_before(lead_in, self.ctx)
                if before_issuer is not None:
                    issuer, level = before_issuer.name, before_issuer.level
                    date = date or before_date
            code_issuer, code_level = issuer_from_code(number)
            if issuer is None and code_issuer is not None:
                # "51-CTr/TU" in a Kon Tum plan: the Tỉnh ủy Kon Tum; "33/TTr-SLĐTBXH": its Sở.
                issuer = agencies.canonicalize(code_issuer, self.ctx).name if code_level is not Level.NATIONAL \
                    else code_issuer
            level = level or code_level or self._default_level(number)
            subject = _subject(text, end)
            relation, via = self._relation(before_type, doc_type, zone, previous, lead_in_from, boundary, basis,
                                           text[end:end + 120].strip(" ,"), attached, _is_legislative(number))
            lines_in = [line] if lines is None else lines
            mention_obj = _Mention(number, start, end, doc_type, issuer, date, level, relation, via,
                                   _line_at(lines_in, text, start), subject,
                                   basis=relation in (Relation.BASED_ON, Relation.APPLIES) and (
                                       bool(BASIS_TRIGGER.search(before_type)) or basis
                                       or (previous is not None and previous.basis)))
            if previous is not None and previous.issuer is None and om is not None and issuer is not None \
                    and _CONJOINED.fullmatch(text[previous.end:start]):
                # "Kết luận số 182-KL/TW, ngày 29/7/2025 và Kết luận số 218-KL/TW … của Bộ Chính trị":
                # one issuer for both.
                previous.issuer, previous.level = issuer, level
            self.mentions.append(mention_obj)
            alias = ALIAS.search(text, end, min(len(text), end + 400))
            if alias and not DOC_NUMBER.search(alias.group("alias")) and \
                    not any(n.start() > end and n.start() < alias.start() for n in found):
                self.aliases[alias.group("alias").strip()] = number
            previous = mention_obj
        self._scan_aliases(text, line, zone)

    def _scan_aliases(self, text: str, line: int, zone: bool) -> None:
        for alias, number in self.aliases.items():
            for am in re.finditer(re.escape(alias), text):
                lead_in = text[max(0, am.start() - 60):am.start()]
                relation = Relation.APPLIES if zone and APPLY_TRIGGER.search(lead_in) else Relation.CITES
                first = next(m for m in self.mentions if m.number == number)
                self.mentions.append(_Mention(number, am.start(), am.end(), first.type, first.issuer,
                                              first.date, first.level, relation, None, line))

    def _relation(self, before: str, doc_type: str | None, zone: bool, previous: _Mention | None,
                  lead_in_from: int, boundary: int, basis: bool = False,
                  after: str | None = None, attached: bool = False,
                  legislative: bool = False) -> tuple[Relation, str | None]:
        if ATTACH_TRIGGER.search(before):
            return (Relation.ATTACHED_TO if attached else Relation.CITES), None
        in_list = previous is not None and previous.basis and not before.strip(" ,;và")
        if BASIS_TRIGGER.search(before) or (basis and previous is None) or in_list:
            # Each item of a "Căn cứ" list by its own kind: "Căn cứ Nghị định …; Thông tư …;
            # Chỉ thị số 02/CT-TTg …" bases the plan on the first two and applies the directive.
            if doc_type in LEGAL_BASIS_TYPES and not (doc_type == "Quyết định" and _ISSUES_PLAN.match(after or "")):
                return Relation.BASED_ON, None
            if legislative:
                return Relation.BASED_ON, None  # a resolution of the Quốc hội or its Standing Committee
            return Relation.APPLIES, None
        in_chain = previous is not None and lead_in_from == previous.end
        if previous is not None and re.fullmatch(r"\s*(?:,\s*)?và\s*", before):
            # "Kế hoạch số 996/… và Kế hoạch số 997/…": the second shares the first's relation.
            return previous.relation, previous.via
        if zone and APPLY_TRIGGER.search(before):
            if in_chain and previous is not None and previous.relation is Relation.APPLIES:
                return Relation.APPLIES, previous.number
            return Relation.APPLIES, None
        if zone and previous is None and _OPENS_APPLYING.match(before) and re.search(r"\svà\s*$", before):
            # "Thực hiện Nghị quyết Đại hội … của Đảng và Kết luận số 18-KL/TW …": the clause
            # applies each document it names, numbered or not.
            return Relation.APPLIES, None
        if previous is not None and not before.strip(" ,;và") and not in_chain:
            # A list continues: "Thực hiện Thông báo số 130/TB-VPCP …; Thông báo số 01-TB/BCĐ …"
            return previous.relation, previous.via
        return Relation.CITES, None

    def _default_level(self, number: str) -> Level | None:
        # UBND/HĐND/BCĐ documents without a named issuer: the citing body's own level,
        # never national (a national plan citing "4286/TTr-UBND" means a province's).
        if self.own_level is Level.NATIONAL:
            return Level.PROVINCE
        return self.own_level

    def citations(self) -> tuple[Citation, ...]:
        """Merge mentions per number: strongest relation, first known date/issuer."""
        merged: dict[str, Citation] = {}
        order: list[str] = []
        for m in self.mentions:
            old = merged.get(m.number)
            if old is None:
                order.append(m.number)
                merged[m.number] = Citation(m.number, m.type, m.issuer, m.date, m.level, m.relation,
                                            m.via, (m.line,), m.subject)
                continue
            relation, via = old.relation, old.via
            if CITATION_STRENGTH[m.relation] > CITATION_STRENGTH[old.relation]:
                relation, via = m.relation, m.via
            level = old.level if old.issuer else (m.level if m.issuer else old.level)
            merged[m.number] = Citation(
                m.number, old.type or m.type, _better_issuer(old.issuer, m.issuer), old.date or m.date,
                level or m.level, relation, via, tuple(sorted({*old.lines, m.line})),
                _longer(old.subject, m.subject),
            )
        return tuple(merged[n] for n in order)


# Where a citation's subject phrase ends: the next clause, citation or issuing sentence, or
# another document joined by "và" ("… đến năm 2045 và Kế hoạch này đến cán bộ …").
_SUBJECT_END = re.compile(
    r"[;.(]|\s(?:và\s+)?(?:" + "|".join(DOC_TYPES) + r")\s+số\b|,\s*(?:[UỦ]y\s+ban|UBND|Ban\s+Thường\s+vụ|Thành\s+ủy)"
    r"|\s+và\s+(?:" + "|".join(DOC_TYPES) + r")\s+(?:này|của)\b"
    r"|\s+(?:ban\s+hành|xây\s+dựng)\s+(?:Kế\s+hoạch|kế\s+hoạch)\b",
    re.IGNORECASE,
)


def _subject(text: str, end: int) -> str | None:
    """The description after a citation: "… của UBND tỉnh Lai Châu triển khai thực hiện Quy hoạch
    tỉnh Lai Châu …" gives "triển khai thực hiện Quy hoạch tỉnh Lai Châu …"."""
    stop = _SUBJECT_END.search(text, end)
    phrase = text[end: stop.start() if stop else min(len(text), end + 300)].strip(" ,:")
    phrase = re.sub(r"^(?:về|về\s+việc|phê\s+duyệt)\s+", lambda m: m.group(0), phrase)
    return phrase[:300] if len(phrase.split()) >= 3 else None


def _better_issuer(a: str | None, b: str | None) -> str | None:
    """The first issuer named, unless it was read from a title in capitals and a later
    mention spells it properly ("Ban Thường vụ TỈNH ỦY" / "Ban Thường vụ Tỉnh ủy")."""
    if a is None or (b is not None and _shouted(a) and not _shouted(b)):
        return b
    if b is not None and len(b) > len(a) and b.casefold().startswith(a.casefold() + " "):
        return b  # the fuller name: "Ban Chỉ đạo Trung ương" / "… về tổng kết Nghị quyết số 18-NQ/TW"
    return a


def _shouted(name: str) -> bool:
    return any(len(w) > 1 and w.isalpha() and w.isupper() and w not in ("UBND", "HĐND", "MTTQ", "VPCP")
               for w in name.split())


def _longer(a: str | None, b: str | None) -> str | None:
    if a is None or (b is not None and len(b) > len(a)):
        return b
    return a


# Numbers of the 1980s-90s carry only an issuer: "Chỉ thị 299/TTg", "Quyết định 201-CP".
_BARE_ISSUER_SYMBOLS = frozenset({"TTg", "CP", "HĐBT", "HĐCP"})


_TYPE_JUST_BEFORE = re.compile(r"(?:" + "|".join(DOC_TYPES) + r")\s+(?:số\s*)?$", re.IGNORECASE)


def _iter_numbers(text: str) -> list[re.Match[str]]:
    out = []
    for m in DOC_NUMBER.finditer(text):
        sym = re.sub(r"\s", "", m.group("sym"))
        bare = sym in _BARE_ISSUER_SYMBOLS
        if m.group("sep") == "/" and "-" not in sym and re.fullmatch(r"[A-ZĐ]{2,}\d*", sym) \
                and _TYPE_JUST_BEFORE.search(text, 0, m.start()):
            bare = True  # "Công văn 4503/TCT", "Công văn số 3169/TCT06": an issuer code alone
        if m.group("sep") == "/" and "-" not in sym and not re.fullmatch(r"QH\d*|UBTVQH\d*", sym) and not bare:
            continue  # "800/QL279", "1/500": not document numbers
        if m.group("sep") == "-" and "/" not in sym and not bare:
            continue  # "2021-2030", "Km15-..."
        out.append(m)
    return out


def normalize_number(text: str) -> str:
    """Canonical spelling of a document number; a footnote mark glued to it is dropped.

    >>> normalize_number("57- NQ/TW")
    '57-NQ/TW'
    >>> normalize_number("4286/TTr- UBND")
    '4286/TTr-UBND'
    >>> normalize_number("66-NQ/TW1"), normalize_number("140/NQ-CP2"), normalize_number("93-KL/TWc")
    ('66-NQ/TW', '140/NQ-CP', '93-KL/TW')
    >>> normalize_number("16/2024/UBTVQH15"), normalize_number("252/KH-BCĐQG1237")
    ('16/2024/UBTVQH15', '252/KH-BCĐQG1237')
    >>> normalize_number("22/2013/QĐ-TTG"), normalize_number("21-CTR/TU")
    ('22/2013/QĐ-TTg', '21-CTr/TU')
    """
    number = re.sub(r"\s+", "", text).replace("–", "-")
    m = _FOOTNOTE_MARK.search(number)
    number = number[: m.start("mark")] if m else number
    # A number copied from a title in capitals: "22/2013/QĐ-TTG" is 22/2013/QĐ-TTg.
    return _MIXED_CASE_CODE.sub(lambda c: _MIXED_CASE[c.group(0)], number)


# An issuer code that never takes digits or lower-case letters, with one glued to its end:
# the footnote mark of a PDF or web copy ("Nghị quyết số 66-NQ/TW¹" copied as "66-NQ/TW1").
_FOOTNOTE_MARK = re.compile(r"[/-](?:CP|TW|TTg|VPCP|TU|HU|BCĐ|UBND|HĐND|BCT|BBT|QĐ|NQ)(?P<mark>\d{1,2}|[a-z])$")


_MIXED_CASE = {code.upper(): code for code in (*TYPE_CODES, *ISSUER_CODES) if code != code.upper()}
_MIXED_CASE_CODE = re.compile(r"(?<=[/-])(?:" + "|".join(_MIXED_CASE) + r")(?=$|[-/])")


def split_number(number: str) -> tuple[str | None, str | None]:
    """(type code, issuer code) of a number: ("KH", "UBND") for "2233/KH-UBND".

    >>> split_number("06-NQ/TW")
    ('NQ', 'TW')
    >>> split_number("37/2019/NĐ-CP")
    ('NĐ', 'CP')
    >>> split_number("55/2014/QH13")
    ('L', 'QH13')
    """
    m = re.fullmatch(r"\d+[a-z]?(?:/\d{4})?([/-])(.+)", number)
    if not m:
        return None, None
    sym = m.group(2)
    if m.group(1) == "-":  # party form TYPE/ISSUER
        type_code, _, issuer = sym.partition("/")
        return type_code, issuer
    if "-" not in sym:
        return ("L", sym) if sym.startswith("QH") else (None, sym)
    first, _, rest = sym.partition("-")
    if first in TYPE_CODES:
        return first, rest
    return "CV", first  # "123/UBND-KT": a công văn of the UBND


def symbol_of(number: str) -> str | None:
    """The symbol part of a number: "KH-UBND" for "2233/KH-UBND"."""
    m = re.fullmatch(r"\d+[a-z]?(?:/\d{4})?[/-](.+)", number)
    return m.group(1) if m else None


def _type_from_code(number: str) -> str | None:
    code, _ = split_number(number)
    return TYPE_CODES.get(code or "")


def _type_from_lead_in(lead_in: str) -> str | None:
    m = _TYPE_BEFORE.search(lead_in)
    if not m:
        return None
    word = m.group("type")
    for t in DOC_TYPES:
        if t.lower() == word.lower():
            return t
    return word


def issuer_from_code(number: str) -> tuple[str | None, Level | None]:
    _, issuer_code = split_number(number)
    if issuer_code is None:
        return None, None
    base = re.split(r"[-(]", issuer_code)[0]
    if base in ISSUER_CODES:
        return ISSUER_CODES[base]
    ministry = ISSUER_CODES.get("B" + base[1:]) if base.startswith("S") else None
    if ministry is not None and ministry[0] is not None and ministry[0].startswith("Bộ "):
        # "33/TTr-SLĐTBXH": the province's Sở Lao động - Thương binh và Xã hội.
        return "Sở " + ministry[0][len("Bộ "):], Level.PROVINCE
    if base.startswith("QH"):
        return "Quốc hội", Level.NATIONAL
    if base.startswith("UBTVQH"):
        return "Ủy ban Thường vụ Quốc hội", Level.NATIONAL
    if re.fullmatch(r"B[A-ZĐ]{1,6}", base) and base not in ("BCĐ", "BQL", "BTV", "BCS"):
        return None, Level.NATIONAL  # a ministry: BTC, BXD, BKHĐT, BNNMT …
    return None, None


# Where an issuer's name has run on into the citation's description: "của Chính phủ Quy định
# chi tiết …", "của Ủy ban Thường vụ Quốc hội và Pháp lệnh …", "của Chính phủ, Nghị định 118".
_ISSUER_RUN_ON = re.compile(
    r"\s*,|\s+(?:và\s+)?(?:" + "|".join(DOC_TYPES) + r")\b|\s+(?i:quy\s+định|ban\s+hành|phê\s+duyệt|hướng\s+dẫn"
    r"|sửa\s+đổi|thành\s+lập)\b|\s+Về\b|\s+khóa\s+[IVXLC]+\b|\s+khoá\s+[IVXLC]+\b"
)


def _trim_issuer(raw: str) -> str:
    """The issuer's name without the words of the description run on after it.

    >>> _trim_issuer("Chính phủ Ban hành Chương trình"), _trim_issuer("Ban Chấp hành Trung ương Đảng khóa XIII")
    ('Chính phủ', 'Ban Chấp hành Trung ương Đảng')
    """
    m = _ISSUER_RUN_ON.search(raw, 1)
    return raw[: m.start()] if m else raw


# Committees are named by their remit: "Ban Chỉ đạo Trung ương về hoàn thiện thể chế, pháp luật",
# "Ban Chỉ đạo thực hiện sắp xếp, tổ chức lại đơn vị hành chính các cấp".
_COMMITTEE = re.compile(r"(?:Ban\s+[Cc]hỉ\s+đạo|Tổ\s+công\s+tác|Hội\s+đồng(?!\s+nhân)|Ủy\s+ban\s+(?!(?i:nhân|thường)))")
_REMIT = re.compile(r"\s+(?:của\s+Chính\s+phủ\s+)?(?:về|thực\s+hiện|triển\s+khai|phát\s+triển|chỉ\s+đạo|quốc\s+gia)\s")
_REMIT_END = re.compile(
    r"[;.()\n]|,\s*(?=(?:" + "|".join(DOC_TYPES) + r")\b)|\s+ngày\s+\d|\s+(?:đã|đề\s+nghị|yêu\s+cầu|giao)\s"
)
_LOCAL = re.compile(r"UBND|HĐND|Sở\s|tỉnh|huyện|xã|phường")
_CENTRAL = re.compile(r"\b(?:Chính\s+phủ|Trung\s+ương|quốc\s+gia)\b")


def _committee_name(text: str, start: int, raw: str) -> str | None:
    """A committee's name with its remit ("… về tổng kết Nghị quyết số 18-NQ/TW"), up to the
    clause's end or a second "về", which opens the cited document's subject; None for other bodies."""
    head = _COMMITTEE.match(raw)
    if not head:
        return None
    remit = _REMIT.search(text, start + head.end(), start + len(raw) + 40)
    if remit is None or remit.start() > start + len(raw):
        return None
    stop = _REMIT_END.search(text, remit.end())
    stop_at = min(stop.start() if stop else len(text), remit.end() + 160)
    second = re.search(r"\s+về\s", text[remit.end():stop_at])
    if second:
        stop_at = remit.end() + second.start()
    return text[start:stop_at].rstrip(" ,")


_NAMED_BEFORE = re.compile(
    r"(?:(?i:ngày)\s*(?P<d>\d{1,2})\s*(?i:tháng)\s*(?P<m>\d{1,2})\s*(?i:năm)\s*(?P<y>\d{4})\s*,?\s*)?"
    r"(?P<who>[" + P_UPPER + r"][^()]{2,80}?)\s+(?i:tại|đã\s+(?:ra|ban\s+hành|có)|ban\s+hành)\s+"
    r"(?:(?:" + "|".join(DOC_TYPES) + r")\s+)?(?:(?i:số)\s*)?$"
)


def _named_before(lead_in: str, ctx: agencies.Context) -> tuple[Any, dt.date | None]:
    """The issuer (and date) a clause names before the number it cites."""
    of = lead_in.rfind("của ")
    m = _NAMED_BEFORE.search(lead_in, of + 4 if of >= 0 else 0)
    if m is None:
        return None, None
    mention = agencies.match_at(m.group("who"), 0)
    if mention is None or mention.end < len(m.group("who")) - 1:
        return None, None
    date = _make_date(int(m.group("y")), int(m.group("m")), int(m.group("d"))) if m.group("y") else None
    return agencies.canonicalize(mention, ctx), date


def _is_legislative(number: str) -> bool:
    """A number of the Quốc hội or its Standing Committee ("202/2025/QH15", "494/NQ-UBTVQH13")."""
    _, issuer = split_number(number)
    return bool(issuer and re.match(r"(?:UBTV)?QH\d*$", issuer))


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _line_at(lines: list[int], text: str, offset: int) -> int:
    """Source line of ``offset`` when a passage joins several physical lines."""
    if len(lines) == 1:
        return lines[0]
    # Joined passages glue physical lines with single spaces; approximate by share.
    share = offset / max(1, len(text))
    return lines[min(len(lines) - 1, int(share * len(lines)))]
