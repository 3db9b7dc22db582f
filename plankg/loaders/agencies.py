"""Agency mentions: find them in text, split lists of them, give them canonical names.

A plan names agencies in many ways: "Sở Xây dựng", "Sở Tài chính:" as an item
heading, "Công an tỉnh", "UBND các xã, phường", "các cơ quan, đơn vị liên quan".
Recognition works on three layers:

1. fixed collective and distributive phrases ("các sở, ban, ngành tỉnh",
   "UBND các xã, phường"), matched whole so their inner commas do not split them;
2. a head noun (Sở, Phòng, Ban, Công an, UBND, Văn phòng, Bộ, Trung tâm, …) followed
   by the words of the name, using Vietnamese capitalisation (every word of a proper
   name starts with a capital, its later syllables do not) and a lexicon of names
   whose own words are lower-case ("Ban Chỉ huy quân sự", "Ban Quản lý dự án đầu tư
   xây dựng");
3. an optional jurisdiction tail ("tỉnh", "tỉnh Lai Châu", "phường").

Canonical names are jurisdiction-qualified: "Sở Tài chính" in a Lai Châu plan is
"Sở Tài chính tỉnh Lai Châu"; "Công an phường" in the Đoàn Kết ward plan is
"Công an phường Đoàn Kết".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from plankg.loaders import patterns as P
from plankg.model import Agency, AgencyKind, Level
from plankg.normalize import NOT_IN_A_BODY_NAME, collapse_spaces, fold, modern_tones

_U = P.VI_UPPER
_L = P.VI_LOWER
_W = rf"[{_U}{_L}0-9]"

#: Centrally-governed cities: their "thành phố", "Thành ủy" are province-level.
CENTRAL_CITIES = ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế")

# Jurisdiction words, mapped to the level they denote.
_UNIT_LEVEL = {
    "tỉnh": Level.PROVINCE,
    "thành phố": Level.DISTRICT,
    "tp": Level.DISTRICT,
    "huyện": Level.DISTRICT,
    "quận": Level.DISTRICT,
    "thị xã": Level.DISTRICT,
    "xã": Level.COMMUNE,
    "phường": Level.COMMUNE,
    "thị trấn": Level.COMMUNE,
    "đặc khu": Level.COMMUNE,
}
# Party committees named after their unit: "Tỉnh ủy", "Thành ủy", "Huyện ủy", "Đảng ủy".
_COMMITTEE_LEVEL = {
    "tỉnh ủy": Level.PROVINCE,
    "thành ủy": Level.DISTRICT,
    "huyện ủy": Level.DISTRICT,
    "thị ủy": Level.DISTRICT,
    "quận ủy": Level.DISTRICT,
    "đảng ủy": Level.COMMUNE,
}
_COMMITTEE_UNIT = {"tỉnh ủy": "tỉnh", "thành ủy": "thành phố", "huyện ủy": "huyện",
                   "thị ủy": "thị xã", "quận ủy": "quận", "đảng ủy": "xã"}

# Unit words; city wards and districts are often capitalised: "UBND Phường 12, Quận 3".
_UNIT_WORD = (r"(?:tỉnh|[Tt]hành\s+phố|TP\.?|[Hh]uyện|[Qq]uận|[Tt]hị\s+xã|" + NOT_IN_A_BODY_NAME
              + r"[Xx]ã|[Pp]hường|[Tt]hị\s+trấn|[Đđ]ặc\s+khu)")
_COMMITTEE = r"(?:(?:[Tt]ỉnh|[Tt]hành|[Hh]uyện|[Tt]hị|[Qq]uận|Đảng)\s+[uủỦU][ỷy])"
_UBND = r"(?:UBND|[UỦ][yỷ]\s+ban\s+nhân\s+dân|[uủ][yỷ]\s+ban\s+nhân\s+dân)"
_HDND = r"(?:HĐND|Hội\s+đồng\s+nhân\s+dân)"
# A proper-name word: capitalised first syllable, then lower-case syllables ("Lai Châu").
# A place name: capitalised words, or a number ("phường Tân Phong", "Phường 12", "Quận 3").
_NAME_WORD = rf"(?:[{_U}][{_L}]*|\d{{1,2}}(?![\d/]|[.,]\d))"
_PROPER = rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD})*"
PLACE_NAME = _PROPER

# --- layer 1: fixed collective / distributive phrases ---------------------------------
# "UBND các xã: Đức Trọng, Hiệp Thạnh, Đinh Văn Lâm Hà" / "Ủy ban nhân dân các phường 1, 2 và 3": a
# distributive phrase that names its members, each one body ("UBND xã Đức Trọng", …). Without
# a colon the list needs two members ("UBND các xã Khu vực …" is no list).
_MEMBER_HEAD = rf"(?:Chủ\s+tịch\s+)?(?:{_UBND}|{_HDND}|Công\s+an)"
_MEMBER_UNIT = r"(?:xã|phường|thị\s+trấn|huyện|quận|thị\s+xã|đặc\s+khu|tỉnh)"
_MEMBER_SEP = r"[ \t]*(?:,[ \t]*(?:và[ \t]+)?|[ \t]+và[ \t]+)"
_MEMBER_LIST = re.compile(
    rf"(?P<head>{_MEMBER_HEAD})\s+các\s+(?P<unit>{_MEMBER_UNIT})"
    rf"(?:[ \t]*:[ \t]*(?P<one>{_PROPER})|[ \t]+{_PROPER}(?={_MEMBER_SEP}{_PROPER}))"
    rf"(?:{_MEMBER_SEP}{_PROPER})*"
)
_MEMBER_SPLIT = re.compile(_MEMBER_SEP)

# Each: (regex, kind). Longest forms first. Matched case-insensitively at a position.
_UNITS_LIST = r"(?:xã|phường|thị\s+trấn|huyện|quận|thị\s+xã|thành\s+phố|đặc\s+khu|tỉnh)"
_FIXED: tuple[tuple[re.Pattern[str], AgencyKind], ...] = tuple(
    (re.compile(rx, re.IGNORECASE), kind)
    for rx, kind in (
        # "UBND các xã, phường" / "UBND các xã phường" / "UBND cấp xã" / "UBND các xã khu vực biên giới"
        # "UBND các tỉnh, thành phố trực thuộc Trung ương" / "Ủy ban nhân dân quận, huyện" (a list
        # of unit words, never a unit and its name: "UBND phường Tân Phong, …").
        (rf"(?:Chủ\s+tịch\s+)?{_UBND}\s+(?:(?:các|cấp)\s+{_UNITS_LIST}(?:\s*(?:,|và)?\s*{_UNITS_LIST})*"
         rf"|{_UNITS_LIST}(?:\s*(?:,|và)\s*{_UNITS_LIST})+)(?-i:(?![ \t]+[{_U}]))"
         r"(?:\s+khu\s+vực\s+biên\s+giới)?(?:\s+trực\s+thuộc\s+[Tt]rung\s+ương)?(?:\s+(?:có\s+)?liên\s+quan)?",
         AgencyKind.DISTRIBUTIVE),
        # "Ban Thường vụ Tỉnh ủy, Thành ủy": the standing committee of each.
        (rf"Ban\s+Thường\s+vụ\s+{_COMMITTEE}(?:\s*(?:,|và)\s*{_COMMITTEE})+(?-i:(?![ \t]+[{_U}]))",
         AgencyKind.DISTRIBUTIVE),
        # "Các huyện ủy, thị ủy, thành ủy" / "các đảng ủy trực thuộc"
        (r"các\s+(?:huyện|thị|thành|quận|đảng)\s+[uủ][ỷy](?:\s*,\s*(?:huyện|thị|thành|quận|đảng)\s+[uủ][ỷy])*"
         rf"(?:\s*,\s*ĐUTT|\s+trực\s+thuộc(?:\s+{_COMMITTEE})?)?", AgencyKind.DISTRIBUTIVE),
        # "các sở, ban, ngành, đoàn thể tỉnh" / "Các sở, ban, ngành tỉnh" / "các sở ngành"
        (r"(?:thủ\s+trưởng\s+)?các\s+sở\s*,?\s*(?:ban\s*,\s*)?ngành(?:\s*,\s*đoàn\s+thể)?(?:\s*,?\s*địa\s+phương)?"
         r"(?:\s+(?:tỉnh|thành\s+phố))?(?:\s+khác)?(?:\s+(?:có\s+liên\s+quan|liên\s+quan|chức\s+năng))?",
         AgencyKind.COLLECTIVE),
        # "các Bộ, ngành trung ương" / "các bộ, ngành có liên quan" / "các bộ, cơ quan ngang bộ"
        (r"các\s+bộ\s*,\s*(?:cơ\s+quan\s+)?ngành(?:\s*,\s*cơ\s+quan\s+thuộc\s+Chính\s+phủ)?(?:\s+(?:trung\s+ương|Trung\s+ương))?"
         r"(?:\s+(?:có\s+liên\s+quan|liên\s+quan))?", AgencyKind.COLLECTIVE),
        # "Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ"
        (r"(?:các\s+)?Bộ\s+trưởng\s*,\s*Thủ\s+trưởng\s+cơ\s+quan\s+ngang\s+bộ\s*,\s*cơ\s+quan\s+thuộc\s+Chính\s+phủ",
         AgencyKind.COLLECTIVE),
        # "Các cơ quan, đơn vị theo chức năng, lĩnh vực quản lý" / "các cơ quan, đơn vị có liên quan"
        (r"các\s+cơ\s+quan\s*,\s*đơn\s+vị(?:\s*,\s*địa\s+phương)?(?:\s+thuộc\s+(?:phường|xã|huyện|tỉnh|thành\s+phố))?"
         r"(?:\s+theo\s+chức\s+năng\s*,\s*(?:nhiệm\s+vụ|lĩnh\s+vực\s+quản\s+lý)(?:\s+được\s+giao)?)?"
         r"(?:\s+(?:có\s+liên\s+quan|liên\s+quan))?", AgencyKind.COLLECTIVE),
        # "các cơ quan tham mưu, giúp việc của Tỉnh ủy"
        (r"các\s+cơ\s+quan\s+tham\s+mưu\s*,\s*giúp\s+việc(?:\s+của\s+" + _COMMITTEE + r")?", AgencyKind.COLLECTIVE),
        # "các cơ quan liên quan" / "các đơn vị có liên quan" / "các cơ quan chuyên môn"
        # "các cơ quan chuyên môn thuộc UBND tỉnh"
        (r"các\s+(?:cơ\s+quan|đơn\s+vị|ngành|địa\s+phương)(?:\s+chuyên\s+môn)?(?:\s+(?:có\s+liên\s+quan|liên\s+quan|chức\s+năng))?"
         rf"(?:\s+thuộc\s+{_UBND}\s+{_UNITS_LIST})?",
         AgencyKind.COLLECTIVE),
        # "các cấp, các ngành" / "các cấp ủy, tổ chức đảng, chính quyền"
        (r"các\s+cấp\s+ủy\s*,\s*tổ\s+chức\s+(?:Đ|đ)ảng(?:\s*,\s*chính\s+quyền)?", AgencyKind.COLLECTIVE),
        (r"các\s+cấp\s*,\s*các\s+ngành", AgencyKind.COLLECTIVE),
        # "các chủ đầu tư" / "chủ đầu tư" / "địa phương có liên quan"
        (r"(?:các\s+)?chủ\s+đầu\s+tư(?:\s+(?:có\s+liên\s+quan|liên\s+quan))?", AgencyKind.COLLECTIVE),
        (r"(?:các\s+)?địa\s+phương(?:\s+(?:có\s+liên\s+quan|liên\s+quan))?", AgencyKind.COLLECTIVE),
        # "cơ sở khám bệnh, chữa bệnh": the kind of body its own comma belongs to.
        (r"(?:các\s+)?cơ\s+sở\s+khám\s+bệnh\s*,\s*chữa\s+bệnh(?:\s+(?:có\s+liên\s+quan|liên\s+quan))?",
         AgencyKind.COLLECTIVE),
    )
)

# A collective phrase is any list of kinds of body, with "các" or not, closed by a
# qualifier: "các cơ quan, tổ chức, đơn vị khác có liên quan", "các bộ, ngành, cơ quan, tổ
# chức có liên quan", "Các bộ, cơ quan ngang bộ", "các bộ, cơ quan, địa phương và đơn vị có
# liên quan", "Các bộ, các tỉnh", "đơn vị, địa phương có liên quan". A kind never runs into a
# proper name ("Bộ Tài chính", "Cơ quan Lao động - Thương binh và Xã hội" are specific).
_KINDS = (r"cơ\s+quan\s+ngang\s+bộ|cơ\s+quan\s+thuộc\s+Chính\s+phủ"
          r"|cơ\s+quan\s+(?:chuyên\s+môn|truyền\s+thông|báo\s+chí|tuyên\s+truyền)"
          r"|cơ\s+quan|tổ\s+chức|đơn\s+vị|địa\s+phương|doanh\s+nghiệp|đoàn\s+thể|báo\s+chí|bộ|ngành|sở|ban|tỉnh")
_KIND_WORD = (rf"(?:{_KINDS})(?![{_L}{_U}0-9])"
              rf"(?-i:(?![ \t]+(?!Trung\s+ương|Chính\s+phủ)[{_U}]))")
_KIND_SEP = r"\s*(?:,\s*(?:và\s+)?|\s+và\s+)"
_KIND_QUALIFIER = (
    r"(?:\s+khác)?(?:\s+(?:có\s+liên\s+quan|liên\s+quan|được\s+kiểm\s+tra|trực\s+thuộc"
    r"|theo\s+chức\s+năng\s*,?\s*(?:nhiệm\s+vụ|lĩnh\s+vực\s+quản\s+lý|quản\s+lý)(?:\s+được\s+giao)?"
    r"|(?:ở\s+)?[Tt]rung\s+ương(?:\s+đóng\s+trên\s+địa\s+bàn(?:\s+tỉnh)?)?|(?:đóng\s+)?trên\s+địa\s+bàn(?:\s+tỉnh)?))?"
)
# "các" opens the list, or every member of it ("Các bộ, các tỉnh"); a "các" further on opens
# a new phrase ("các sở, ban, ngành, các cơ quan Trung ương đóng trên địa bàn").
_COLLECTIVE_LISTS = tuple(
    re.compile(rf"(?P<list>{body})(?P<qual>{_KIND_QUALIFIER})", re.IGNORECASE)
    for body in (
        # "và" joins the last member only: "các bộ, cơ quan ngang bộ và cơ quan, tổ chức liên
        # quan" is two phrases.
        rf"(?:các\s+)?{_KIND_WORD}(?:\s*,\s*{_KIND_WORD})*(?:\s*,?\s+và\s+{_KIND_WORD}(?!\s*,\s*{_KIND_WORD}))?",
        # (closed by punctuation: "Các địa phương, các cơ quan có nguồn thu …" is two)
        rf"các\s+{_KIND_WORD}(?:{_KIND_SEP}các\s+{_KIND_WORD})+(?=\s*(?:[:.;,)]|$))",
    )
)
_KIND_RX = re.compile(_KIND_WORD, re.IGNORECASE)

# --- layer 2: head nouns and lexicon names ----------------------------------------------
# Names whose words are partly lower-case, so capitalisation cannot find their end.
_LEXICON = (
    # Matched ignoring case; each name once, in its official spelling.
    "Ban Chỉ huy quân sự", "Bộ Chỉ huy Quân sự", "Bộ Chỉ huy Bộ đội Biên phòng", "Ban Chỉ đạo quốc gia",
    "Ban Quản lý dự án đầu tư xây dựng các công trình Nông nghiệp và PTNT",
    "Ban Quản lý dự án đầu tư xây dựng", "Ban QLDA đầu tư xây dựng các công trình Nông nghiệp và PTNT",
    "Ban QLDA đầu tư xây dựng", "Ban cán sự đảng", "Ban Thường vụ", "Ban Chấp hành Đảng bộ",
    "Ban Chấp hành Trung ương", "Ban Bí thư", "Bộ Chính trị", "Thường trực Chính phủ",
    "Thủ tướng Chính phủ", "Văn phòng Chính phủ", "Chính phủ", "Quốc hội",
    # National bodies named without a head noun of the list below, or in words the
    # capitalisation rule would cut ("Ban Chỉ đạo Trung ương", "PHỦ THỦ TƯỚNG" of 1980).
    "Ban Chỉ đạo Trung ương", "Ban Chấp hành Trung ương Đảng", "Ban Bí thư Trung ương Đảng",
    "Văn phòng Trung ương Đảng", "Phủ Thủ tướng", "Hội đồng Chính phủ", "Hội đồng Bộ trưởng",
    "Đảng ủy Chính phủ",
    "Ủy ban Thường vụ Quốc hội", "Ủy ban Mặt trận Tổ quốc Việt Nam", "Mặt trận Tổ quốc",
    "Kho bạc Nhà nước", "Bảo hiểm xã hội", "Ngân hàng Nhà nước", "Ngân hàng Chính sách xã hội",
    "Đài Phát thanh và Truyền hình", "Liên đoàn Lao động", "Hội Liên hiệp Phụ nữ",
    "Hội Nông dân", "Hội Cựu chiến binh", "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
    "Trung tâm Phát triển quỹ đất", "Trung tâm Phục vụ hành chính công",
    "Ban Quản lý các khu công nghiệp", "Ban Quản lý khu kinh tế",
    "Văn phòng HĐND và UBND", "Văn phòng Đoàn ĐBQH và HĐND", "Văn phòng UBND", "Văn phòng Đảng ủy",
    "Phòng Văn hóa - Xã hội", "Phòng Kinh tế, Hạ tầng và Đô thị", "Phòng Kinh tế",
    "Tập đoàn Điện lực Việt Nam",
    # Departments (Sở) and ministries (Bộ), before and after the 2025 reorganisation.
    *(f"{head} {name}" for head in ("Sở", "Bộ") for name in (
        "Nông nghiệp và Môi trường", "Nông nghiệp và Phát triển nông thôn", "Tài nguyên và Môi trường",
        "Kế hoạch và Đầu tư", "Giao thông vận tải", "Lao động - Thương binh và Xã hội",
        "Văn hóa, Thể thao và Du lịch", "Văn hóa và Thể thao", "Thông tin và Truyền thông",
        "Giáo dục và Đào tạo", "Khoa học và Công nghệ", "Dân tộc và Tôn giáo", "Y tế", "Nội vụ",
        "Tư pháp", "Ngoại vụ", "Ngoại giao", "Công Thương", "Tài chính", "Xây dựng", "Du lịch",
        "Quốc phòng", "Công an")),
)
_LEXICON_RX = re.compile(
    "|".join(
        re.escape(name).replace(r"\ ", r"\s+").replace("Ủy", "[UỦ][yỷ]").replace("ủy", "[uủ][yỷ]")
        .replace("hóa", "h(?:óa|oá)").replace("UBND", _UBND).replace(r"\-", "[-–]")
        for name in sorted(_LEXICON, key=len, reverse=True)
    ),
    re.IGNORECASE,
)
_LEXICON_FORMS = {fold(name): name for name in _LEXICON}
# Head nouns that start an agency name ("Sở", "Công an", "UBND", ...), longest first.
_HEADS = (
    r"Chủ\s+tịch\s+" + _UBND, r"Chủ\s+tịch\s+" + _HDND,
    _UBND, _HDND, r"Đảng\s+đoàn", r"Ban\s+cán\s+sự\s+đảng", _COMMITTEE,
    # "Tổng Cục Quản lý ruộng đất" (1980) writes the head noun with its capital.
    r"Bộ\s+Chỉ\s+huy", r"Ban\s+Chỉ\s+huy", r"Chi\s+cục", r"Tổng\s+[cC]ục", r"Cục", r"Sở", r"Phòng",
    r"Văn\s+phòng", r"Ban", r"Bộ", r"Công\s+an", r"Trung\s+tâm", r"Thanh\s+tra", r"Kho\s+bạc",
    r"Ngân\s+hàng", r"Bảo\s+hiểm\s+xã\s+hội", r"Đài", r"Báo", r"Hội", r"Liên\s+đoàn", r"Tỉnh\s+đoàn",
    r"Thành\s+đoàn", r"Đoàn\s+Thanh\s+niên", r"Viện", r"Bệnh\s+viện", r"Trường", r"Tòa\s+án", r"Công\s+ty",
    r"Tổng\s+công\s+ty", r"Tập\s+đoàn", r"Quỹ", r"Mặt\s+trận", r"Tạp\s+chí", r"Thông\s+tấn\s+xã",
    r"Liên\s+minh\s+[Hh]ợp\s+tác\s+xã", r"Hợp\s+tác\s+xã",
    # "Cơ quan Lao động - Thương binh và Xã hội ở địa phương" (a kind of body alone, "Cơ quan
    # chủ trì", names nothing); "Nhà đầu tư Dự án cao tốc Tân Phú - Bảo Lộc", the investor a
    # conclusion notice asks to act, written with its capital.
    # ("Cơ quan Thường trực Hội đồng Thi đua - Khen thưởng" is a role: the standing body of it.)
    r"Cơ\s+quan(?!\s+[Tt]hường\s+trực)", r"Nhà\s+[đĐ]ầu\s+tư",
)
_HEAD_RX = re.compile(r"(?:" + "|".join(_HEADS) + r")(?![" + _L + r"])")
# Words that end a name even when capitalised or right after the head.
# Capitalised words that open a new clause after a name ("… Tỉnh ủy Lai Châu Thực hiện …").
# "Bộ Quốc phòng Chủ trì, phối hợp …", "Ban Chỉ đạo quốc gia 1237 Chỉ đạo chặt chẽ …": a heading
# glued to its sentence. (Right after the head noun they still belong to it: "Ban Chỉ đạo".)
_CLAUSE_OPENERS = frozenset(
    "Thực Triển Về Của Tại Theo Trên Để Căn Giao Phối Tham Nhằm Trong Chủ Chỉ Tập Khẩn Tiếp Tăng Đẩy "
    "Hướng Tổ Rà Kiểm Nghiên Đôn Làm Hoàn Chịu Cung Quản".split())
# Heads that name an agency on their own.
_STANDALONE = re.compile(r"UBND|HĐND|Chính phủ|Quốc hội|Bảo hiểm xã hội|Nhà\s+[đĐ]ầu\s+tư|" + _COMMITTEE)
_STOP_WORDS = frozenset(
    "chủ phối tham làm tăng tập chủ thực triển tổ xây rà hướng lãnh chỉ theo căn có cung tổng đề báo "
    "xác cập nghiên kiểm đôn bảo đảm khẩn phổ quán ban giao được là trong để về tại đến với khi cần "
    "thì sẽ đã đang phải kịp sớm nắm thiết hoàn công chuẩn ưu vận huy quản sử đẩy nâng rõ tích "
    "cùng như gồm bao trên dưới của và hoặc từ".split()
)
# Lower-case words allowed inside a name after a capitalised word ("Xây dựng").
_NAME_CONNECTORS = frozenset({"và", "-", "–"})

# Capitalised words that start a new phrase rather than a place name after "tỉnh".
_NOT_PLACE = frozenset(
    "Các Sở Phòng Ban Công Bộ Văn UBND HĐND Trung Kế Nghị Quyết Chương Thông Tờ Luật Chỉ Hướng "
    "Đề Trong Tại Theo Về Để Đồng Thực Triển Tổ Xây".split()
)
# Scanner patterns, matched at a position (never on a slice: names are scanned word by word).
_NEXT_WORD = re.compile(r"\s*(" + rf"{_W}+" + r"|[-–,])")
_NEXT_CAPITAL = re.compile(r"\s*([" + _U + r"]" + rf"{_W}*)")
_NEXT_UPPER = re.compile(r"\s*[" + _U + r"]")
_NEXT_AGENCY_WORD = re.compile(r"\s*(?:UBND|HĐND|Các|Sở|Phòng|Ban|Công|Bộ|Văn)\b")
_TAIL_UNIT = re.compile(r"\s+(?:" + _COMMITTEE + r"|" + _UNIT_WORD + r")(?![" + _L + r"])")
# In capitals ("CỦA BAN THƯỜNG VỤ TỈNH ỦY VỀ …") the unit words are capitals too.
_TAIL_UNIT_UPPER = re.compile(r"\s+(?:" + _COMMITTEE + r"|" + _UNIT_WORD + r")(?![" + _L + _U + r"])", re.I)
# "Ban Quản lý dự án đầu tư xây dựng số 1": bodies of one kind told apart by a number.
_NUMBERED = re.compile(r"\s+số\s+\d{1,3}(?![\d/.,])")
# "Cơ quan Lao động - Thương binh và Xã hội ở địa phương": the local body of a kind, in each place.
_TITLE = re.compile(r"(?:Thủ\s+trưởng|Trưởng|Giám\s+đốc|Chủ\s+tịch)\s+(?=[" + _U + r"]|các\s)")
_LOCAL = re.compile(r"\s+ở\s+địa\s+phương\b")
# "Văn phòng Ủy ban nhân dân tỉnh", "Ban cán sự đảng Uỷ ban nhân dân tỉnh": a council inside a name.
_COUNCIL_RX = re.compile(r"(?:" + _UBND + r"|" + _HDND + r")(?![" + _L + r"])")
_TAIL_PLACE = re.compile(r"\s+(" + _PROPER + r")")
_LIST_SEP = re.compile(r"\s*(?:[,;]\s*(?:và\s+)?|\s+và\s+|\s*\(\s*)")
_EXPLICIT_UNIT = re.compile(r"(?<![" + _L + _U + r"])(" + _UNIT_WORD + r")\s+(" + _PROPER + r")\s*$")
_EXPLICIT_COMMITTEE = re.compile(_COMMITTEE + r"\s+(" + _PROPER + r")\s*$")
_COMMITTEE_RX = re.compile(_COMMITTEE)
_BARE_UNIT = re.compile(r"(?<![" + _L + _U + r"])(" + _UNIT_WORD + r"|" + _COMMITTEE + r")\s*$")
_TOKEN = re.compile(rf"{_W}+(?:\.{_W}+)*|[-–,;:()/.&]|\S")


@dataclass(frozen=True)
class Mention:
    """An agency mention found in text: ``text[start:end] == raw``."""

    raw: str
    start: int
    end: int
    kind: AgencyKind


@dataclass(frozen=True)
class Context:
    """The jurisdiction chain a document speaks from, used to qualify bare names.

    Each field is a full unit name, e.g. ``province="tỉnh Lai Châu"``,
    ``district="thành phố Lai Châu"``, ``commune="phường Đoàn Kết"``.
    """

    level: Level | None = None
    province: str | None = None
    district: str | None = None
    commune: str | None = None

    def unit(self, level: Level) -> str | None:
        if level is Level.PROVINCE:
            return self.province
        if level is Level.DISTRICT:
            return self.district
        if level is Level.COMMUNE:
            return self.commune
        return None


def match_at(text: str, pos: int) -> Mention | None:
    """Match one agency mention starting exactly at ``pos`` (after blanks).

    >>> match_at("Sở Xây dựng chủ trì, phối hợp", 0).raw
    'Sở Xây dựng'
    >>> match_at("Công an tỉnh tăng cường công tác", 0).raw
    'Công an tỉnh'
    >>> match_at("UBND các xã phường chủ trì", 0).raw
    'UBND các xã phường'
    >>> match_at("Phòng Kinh tế, Hạ tầng và Đô thị; Phòng Văn hoá - Xã hội.", 0).raw
    'Phòng Kinh tế, Hạ tầng và Đô thị'
    >>> match_at("Trung tâm Phát triển Quỹ đất tỉnh phối hợp", 0).raw
    'Trung tâm Phát triển Quỹ đất tỉnh'
    >>> match_at("Ban Tuyên giáo Tỉnh uỷ chủ trì", 0).raw
    'Ban Tuyên giáo Tỉnh uỷ'
    >>> match_at("Tăng cường công tác", 0) is None
    True
    """
    return _match_at(text, pos)


# The same texts are read at the same places again and again: an item's text by each rule of
# the task parser, a field value in every item of a plan, the items a ward plan restates from
# its province's, in every ward. Each (text, position) is matched once per process (a
# mention is frozen; lists are copied for the caller).
@functools.lru_cache(maxsize=65_536)
def _match_at(text: str, pos: int) -> Mention | None:
    while pos < len(text) and text[pos] == " ":
        pos += 1
    title = _TITLE.match(text, pos)
    if title is not None:
        # "Thủ trưởng các cơ quan chuyên môn thuộc UBND tỉnh", "Trưởng Ban Quản lý các khu công
        # nghiệp": the head of a body, or of each body of a kind, is addressed by the title.
        body = match_at(text, title.end())
        if body is not None:
            return Mention(text[pos:body.end], pos, body.end, body.kind)
    members = _MEMBER_LIST.match(text, pos)
    if members is not None:
        return Mention(members.group(0), pos, members.end(), AgencyKind.DISTRIBUTIVE)
    fixed = _match_fixed(text, pos)
    if fixed is not None:
        return fixed
    lex = _LEXICON_RX.match(text, pos)
    head = _HEAD_RX.match(text, pos)
    if lex is None and head is None:
        return None
    if lex is not None and (head is None or lex.end() >= head.end()):
        end = lex.end()
        if not lex.group(0).isupper():
            # In capitals ("… CỦA BỘ CHÍNH TRỊ TRÊN ĐỊA BÀN …") case cannot mark a name's end.
            end = _extend_name(text, end, after_head=False)
    else:
        assert head is not None
        end = _extend_name(text, head.end(), after_head=True)
    numbered = _NUMBERED.match(text, end) or _LOCAL.match(text, end)
    if numbered is not None:
        end = numbered.end()
    end = _jurisdiction_tail(text, end, upper=lex is not None and lex.group(0).isupper())
    raw = text[pos:end].rstrip(" ,")
    if lex is None and head is not None and end == head.end() and not _STANDALONE.fullmatch(raw):
        return None
    if len(raw.split()) < 2 and not _STANDALONE.fullmatch(raw):
        return None
    return Mention(raw, pos, pos + len(raw), AgencyKind.SPECIFIC)


def _match_fixed(text: str, pos: int) -> Mention | None:
    """The longest collective or distributive phrase at ``pos``, if any.

    >>> _match_fixed("các cơ quan, tổ chức, đơn vị khác có liên quan.", 0).raw
    'các cơ quan, tổ chức, đơn vị khác có liên quan'
    >>> _match_fixed("Các Bộ, ngành, Ủy ban nhân dân cấp tỉnh", 0).raw
    'Các Bộ, ngành'
    >>> _match_fixed("Bộ Tài chính, các bộ", 0) is None
    True
    """
    best: Mention | None = None
    for rx, kind in _FIXED:
        m = rx.match(text, pos)
        if m and (best is None or m.end() > best.end):
            best = Mention(text[pos:m.end()], pos, m.end(), kind)
    for rx in _COLLECTIVE_LISTS:
        m = rx.match(text, pos)
        if m is None or (best is not None and m.end() <= best.end):
            continue
        kinds = _KIND_RX.findall(m.group("list"))
        # One kind alone is a body only after "các" or with a qualifier: "Ban hành", "tổ chức
        # thực hiện" are verbs.
        if len(kinds) > 1 or m.group("qual") or m.group(0)[:4].lower() == "các ":
            best = Mention(m.group(0), pos, m.end(), AgencyKind.COLLECTIVE)
    return best


def _extend_name(text: str, pos: int, *, after_head: bool) -> int:
    """Consume the words of a proper name after its head noun; return the end offset."""
    end = pos
    # A head noun alone does not open a name: "Hội nghị", "Ban hành" are not agencies.
    prev_capital = False
    inner_head = False
    cursor = pos
    while True:
        m = _NEXT_WORD.match(text, cursor)
        if not m:
            return end
        word = m.group(1)
        word_end = m.end()
        low = word.lower()
        after_inner_head, inner_head = inner_head, False
        if word in (",",):
            # "Phòng Kinh tế, Hạ tầng và Đô thị": a comma continues the name only when a
            # capitalised word that is not itself an agency head follows.
            nxt = _NEXT_CAPITAL.match(text, word_end)
            if nxt and not _HEAD_RX.match(text, nxt.start(1)) and not _NEXT_AGENCY_WORD.match(text, word_end) \
                    and _match_fixed(text, nxt.start(1)) is None:
                cursor = word_end
                continue
            return end
        if word in ("-", "–"):
            nxt = _NEXT_UPPER.match(text, word_end)
            if nxt:
                cursor = word_end
                continue
            return end
        if (low in _UNIT_LEVEL or low in ("thành", "thị", "đặc")) and not _SOCIAL.match(text, m.start(1)):
            return end  # jurisdiction tail is handled separately ("Xã hội" is no commune)
        if word[0].isupper() or word[0].isdigit():
            # Right after a head noun inside the name a clause opener is still the name's:
            # "Văn phòng Ban Chỉ đạo".
            if re.fullmatch(r"(?i:các|cấp)", word) or (word in _CLAUSE_OPENERS and (end > pos or not after_head)
                                                       and not after_inner_head):
                return end
            council = _COUNCIL_RX.match(text, m.start(1))
            if council is not None:
                end = cursor = council.end()
                prev_capital = False
                continue
            end = word_end
            prev_capital = True
            head_here = _HEAD_RX.match(text, m.start(1))
            inner_head = head_here is not None and head_here.end() == word_end
            cursor = word_end
            continue
        if low in _NAME_CONNECTORS:
            nxt = _NEXT_CAPITAL.match(text, word_end)
            # "Báo và Đài Phát thanh, Truyền hình": two heads joined are one body; after a
            # name, a head opens the next agency ("Sở Y tế và Sở Tài chính").
            if nxt and (not _HEAD_RX.match(text, nxt.start(1)) or (after_head and end == pos and low == "và")):
                cursor = word_end
                continue
            return end
        if prev_capital and low not in _STOP_WORDS:
            end = word_end
            prev_capital = False
            cursor = word_end
            continue
        run = _lower_run(text, m.start(1), after_head=after_head and end == pos)
        if run is not None:
            cursor = run
            continue
        return end


# "Trung tâm xúc tiến Đầu tư, Thương mại và Du lịch tỉnh", "Nhà đầu tư Dự án cao tốc Tân Phú":
# lower-case words inside a name, known to be part of it only by the capitalised name that
# follows them.
_LOWER_RUN = re.compile(rf"(?:[{_L}]+[ \t]+){{0,2}}[{_L}]+(?=(?:[ \t]*,)?[ \t]+[{_U}])")
_LOWER_RUN_NEXT = re.compile(rf"(?:[ \t]*,)?[ \t]+([{_U}]{_W}*)")


# Heads whose names may go on in lower case right after them ("Ban hành văn bản Quy phạm" is a verb).
_OPEN_HEAD = re.compile(r"(?:Trung\s+tâm|Nhà\s+[đĐ]ầu\s+tư|Chi\s+cục|Cục|Viện)\s*$")
_SOCIAL = re.compile(r"Xã\s+hội\b")


def _lower_run(text: str, pos: int, *, after_head: bool) -> int | None:
    """The end of a run of lower-case words at ``pos`` that a name goes on after, or None.

    Right after a head noun the run must lead to a capitalised word ("Trung tâm xúc tiến Đầu
    tư"); inside a name it may also lead to ", " and one ("Xúc đầu tư, Thương mại"). Verbs
    and the words that open a clause never belong to a name.
    """
    m = _LOWER_RUN.match(text, pos)
    if m is None or any(w in _STOP_WORDS or w in _UNIT_LEVEL or w in ("thành", "thị", "đặc", "các", "cấp")
                        for w in m.group(0).split()):
        return None
    nxt = _LOWER_RUN_NEXT.match(text, m.end())
    if nxt is None or (after_head and ("," in nxt.group(0) or not _OPEN_HEAD.search(text, 0, pos))):
        return None
    word = nxt.group(1)
    if word in _CLAUSE_OPENERS or word in _NOT_PLACE or _HEAD_RX.match(text, nxt.start(1)) \
            or _NEXT_AGENCY_WORD.match(text, m.end()):
        return None
    return m.end()


def _jurisdiction_tail(text: str, end: int, *, upper: bool = False) -> int:
    # "Công an tỉnh" / "UBND tỉnh Lai Châu" / "Ban Tuyên giáo Tỉnh uỷ Điện Biên"
    m = (_TAIL_UNIT_UPPER if upper else _TAIL_UNIT).match(text, end)
    if m is not None and upper:
        return m.end()
    if m is None:
        return end
    end = m.end()
    name = _TAIL_PLACE.match(text, end)
    if name and name.group(1).split()[0] not in _NOT_PLACE and not _opens_clause(text, name):
        end = name.end()
    return end


_LOWER_NEXT = re.compile(rf"[ \t]+[{_L}]")


def _opens_clause(text: str, place: re.Match[str]) -> bool:
    """Whether a place name after a unit word is the first word of the next clause: "1. Công an
    tỉnh" over the line "Tham mưu giúp UBND tỉnh …" (a place name is capitalised throughout,
    "quận Hoàn Kiếm"; "Tham mưu" goes on in lower case)."""
    words = place.group(1).split()
    return len(words) == 1 and words[0] in _CLAUSE_OPENERS and _LOWER_NEXT.match(text, place.end()) is not None


_ENDS_WITH_KIND = re.compile(rf"(?:(?<![{_L}{_U}0-9])(?:các|mỗi|từng|những)\s+|,\s*)(?:{_KINDS})\s*$", re.IGNORECASE)


def ends_with_kind(text: str) -> bool:
    """Whether ``text`` ends with a kind of body ("… cơ quan", "… đơn vị"): a comma after it
    goes on with a list of bodies.

    >>> ends_with_kind("Đối với cá nhân Mỗi cơ quan"), ends_with_kind("Căn cứ Kế hoạch của UBND tỉnh")
    (True, False)
    """
    return _ENDS_WITH_KIND.search(text) is not None


def opens_name(text: str, pos: int = 0) -> bool:
    """Whether a head noun or a listed name opens an agency name at ``pos``.

    >>> opens_name("Cục đo đạc và bản đồ Nhà nước có trách nhiệm"), opens_name("Công tác đo đạc")
    (True, False)
    """
    return bool(_HEAD_RX.match(text, pos) or _LEXICON_RX.match(text, pos))


# Names and phrases whose words run on across a line break: a wrapped cell that ends on
# "thành" goes on with "phố", on "trực" with "thuộc trung ương", on "cơ" with "quan".
_RUN_ON_PHRASES = (
    *_LEXICON, "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương", "Hội đồng nhân dân cùng cấp",
    "cơ quan ngang bộ", "cơ quan thuộc Chính phủ", "đơn vị sự nghiệp công lập", "doanh nghiệp nhà nước",
    "tổ chức chính trị - xã hội", "cơ quan, tổ chức, đơn vị có liên quan", "các tập đoàn, tổng công ty",
    "địa phương", "cơ sở khám bệnh, chữa bệnh",
)
# (Case kept: "ngang bộ" / "Văn bản" is no "Bộ Văn hóa".)
_RUN_ON_PAIRS = frozenset(
    (modern_tones(a), modern_tones(b))
    for phrase in _RUN_ON_PHRASES
    for piece in re.split(r"\s*[,;]\s*", phrase)
    for a, b in zip(piece.split(), piece.split()[1:], strict=False)
    # (not before a word that opens a phrase of its own: "… xây dựng" / "Các bộ, …")
    if a not in ("-", "–", "và") and b not in ("-", "–", "và", "các", "của", "về", "trên")
)
# A head noun that names nothing alone ends a line mid-name: "… trong Ủy ban" / "công tác về …".
_ENDS_WITH_HEAD = re.compile(r"(?:(?<![" + _L + _U + r"])(?:" + "|".join(_HEADS) + r"|[UỦ][yỷ]\s+ban))\s*$")
# "Ủy ban nhân dân cấp tỉnh trình" / "Hội đồng nhân dân cùng cấp": one body submits to another.
_SUBMITS = re.compile(r"(?<![" + _L + _U + r"])trình\s*$")
_LAST_WORD = re.compile(rf"({_W}+)\W*$")
_FIRST_WORD = re.compile(rf"\W*({_W}+)")


def runs_on(left: str, right: str) -> bool:
    """Whether an agency name cut at the end of line ``left`` goes on at the start of ``right``.

    The cut falls inside a name or phrase of agencies ("thành" / "phố", "trực" / "thuộc
    trung ương"), after a head noun that names nothing alone ("Bộ" / "Tư pháp", "trong
    Ủy ban" / "công tác về …"), or after "trình" before the body submitted to.

    >>> runs_on("Ủy ban nhân dân các tỉnh, thành phố trực", "thuộc trung ương")
    True
    >>> runs_on("Bộ Tài chính, Bộ", "Tư pháp, các bộ,"), runs_on("Ủy ban nhân dân cấp tỉnh trình", "Hội đồng")
    (True, True)
    >>> runs_on("Bộ Tài chính", "Quý II/2026"), runs_on("Thành phố Hải Phòng", "13,0 - 14,0")
    (False, False)
    >>> runs_on("Bộ Xây dựng", "Các bộ, cơ quan"), runs_on("Các bộ, cơ quan ngang bộ", "Văn bản thể chế")
    (False, False)
    """
    left, right = left.rstrip(), right.lstrip()
    if not left or not right or left[-1] in ",;.:)":
        return False
    head = _ENDS_WITH_HEAD.search(left)
    if head is not None and not _STANDALONE.fullmatch(head.group(0).strip()):
        before = left[:head.start()].split()[-1:]
        if not (before and before[0][0].isupper()):  # (a capital before it: "Thành phố Hải Phòng")
            return True
    if _SUBMITS.search(left):
        return opens_name(right)
    last, first = _LAST_WORD.search(left), _FIRST_WORD.match(right)
    if last is None or first is None:
        return False
    a, b = modern_tones(last.group(1)), modern_tones(first.group(1))
    # A line may open with a capital the phrase writes in lower case ("Cơ" / "quan" aside).
    return (a, b) in _RUN_ON_PAIRS or (a.lower(), b) in _RUN_ON_PAIRS


def find_mentions(text: str) -> list[Mention]:
    """All agency mentions in ``text``, left to right, not overlapping.

    >>> [m.raw for m in find_mentions("Sở Tài chính phối hợp với Sở Nông nghiệp và Môi trường tổng hợp")]
    ['Sở Tài chính', 'Sở Nông nghiệp và Môi trường']
    """
    found: list[Mention] = []
    pos = 0
    for m in re.finditer(r"(?<![" + _U + _L + r"0-9])\S", text):
        if m.start() < pos:
            continue
        mention = match_at(text, m.start())
        if mention is not None:
            found.append(mention)
            pos = mention.end
    return found


def match_list(text: str, pos: int = 0) -> tuple[list[Mention], int]:
    """Match a list of agencies at ``pos`` joined by "," ";" "và"; return it and its end.

    >>> ms, end = match_list("Ban Chỉ huy quân sự phường, Công an phường.")
    >>> [m.raw for m in ms]
    ['Ban Chỉ huy quân sự phường', 'Công an phường']
    >>> [m.raw for m in match_list("Sở Xây dựng; các cơ quan, đơn vị có liên quan.")[0]]
    ['Sở Xây dựng', 'các cơ quan, đơn vị có liên quan']
    """
    mentions, end = _match_list(text, pos)
    return list(mentions), end


@functools.lru_cache(maxsize=65_536)  # (see _match_at)
def _match_list(text: str, pos: int) -> tuple[tuple[Mention, ...], int]:
    mentions: list[Mention] = []
    end = pos
    while True:
        mention = match_at(text, end)
        if mention is None:
            break
        mention = _to_ellipsis(text, _with_unit(text, mention))
        mentions.append(mention)
        end = mention.end
        sep = _LIST_SEP.match(text, end)
        if sep is None:
            break
        nxt = match_at(text, sep.end())
        if nxt is None:
            break
        end = sep.end()
    return tuple(mentions), (mentions[-1].end if mentions else pos)


# "phối hợp với Báo và Phát thanh, Truyền hình tỉnh, Tạp chí Diễn đàn doanh nghiệp... thường
# xuyên đăng tải": an ellipsis closes the list, so lower-case words before it end the last name.
_ELLIPSIS_TAIL = re.compile(rf"(?:[ \t]+[{_L}]+){{1,3}}(?=[ \t]*(?:\.\.\.|…))")


def _to_ellipsis(text: str, mention: Mention) -> Mention:
    """``mention`` extended over lower-case words that run up to an ellipsis closing its list.

    >>> _to_ellipsis("Tạp chí Diễn đàn doanh nghiệp... thường", match_at("Tạp chí Diễn đàn doanh", 0)).raw
    'Tạp chí Diễn đàn doanh nghiệp'
    """
    tail = _ELLIPSIS_TAIL.match(text, mention.end)
    if mention.kind is not AgencyKind.SPECIFIC or tail is None or set(tail.group(0).split()) & _STOP_WORDS:
        return mention
    return Mention(text[mention.start:tail.end()], mention.start, tail.end(), mention.kind)


# "Văn phòng UBND tỉnh (Trung tâm Phục vụ hành chính công tỉnh)": one body, and in parentheses
# the unit of it that does the work. Lâm Đồng writes its Office so in letters, plans and their
# tables alike ("Giao Văn phòng Ủy ban nhân dân tỉnh (Trung tâm Phục vụ hành chính công tỉnh):",
# "Văn phòng UBND tỉnh (Trung tâm Thông tin)"): the assignment goes to the body, one entry.
_UNIT_PARENTHESIS = re.compile(r"\s*\(\s*")
# "Bộ Quốc phòng (Cục Bản đồ Tổng tham mưu)": the unit's name may end in lower-case words
# the capitalisation rule stops before; within the parenthesis they are still its name,
# unless they say what the unit does ("(Sở Tài chính phối hợp)").
_UNIT_CLOSE = re.compile(rf"(?P<tail>(?:[ \t]+[{_L}]+){{0,3}})\s*\)")
_UNIT_TAIL_VERBS = frozenset("chủ phối thực giao gia làm là".split())
_UNIT_NOTE = re.compile(r"\s*\(([^()]*)\)\s*$")


def _with_unit(text: str, mention: Mention) -> Mention:
    """``mention`` extended over a parenthesis naming one unit of it, if one follows.

    >>> _with_unit("Văn phòng UBND tỉnh (Trung tâm Thông tin) chủ trì", match_at("Văn phòng UBND tỉnh (", 0)).raw
    'Văn phòng UBND tỉnh (Trung tâm Thông tin)'
    >>> _with_unit("các sở (Sở Y tế)", Mention("các sở", 0, 6, AgencyKind.COLLECTIVE)).raw
    'các sở'
    """
    opening = _UNIT_PARENTHESIS.match(text, mention.end)
    if mention.kind is not AgencyKind.SPECIFIC or opening is None:
        return mention
    unit = match_at(text, opening.end())
    if unit is None or unit.kind is not AgencyKind.SPECIFIC:
        return mention
    closing = _UNIT_CLOSE.match(text, unit.end)
    if closing is None or not _is_name_tail(closing.group("tail")):
        return mention
    return Mention(text[mention.start:closing.end()], mention.start, closing.end(), mention.kind)


def _is_unit(text: str) -> bool:
    unit = match_at(text, 0)
    if unit is None or unit.kind is not AgencyKind.SPECIFIC:
        return False
    tail = _UNIT_CLOSE.fullmatch(f"{text[unit.end:]})")
    return tail is not None and _is_name_tail(tail.group("tail"))


def _is_name_tail(tail: str) -> bool:
    return not set(tail.split()) & _UNIT_TAIL_VERBS


# --- lists written as a field value or a table cell ------------------------------------

# A job title before the agency it stands for: "Lãnh đạo Sở Công Thương" (a table cell).
_TITLE_PREFIX = re.compile(r"^(?i:lãnh\s+đạo|đại\s+diện)\s+(?=\S)")
# Where a cell list may be cut: ";" always, "," and "và" only before a new agency.
_CELL_SEP = re.compile(r"\s*;\s*|\s*,\s*(?:và\s+)?|\s+và\s+")
# A new list member starts with an agency, or with "các"/"cơ quan"/"Ủy ban" and the like
# ("Cơ quan thuế, các đơn vị cấp tỉnh và các địa phương").
_MEMBER_START = re.compile(
    r"(?i:các|cơ\s+quan|đơn\s+vị|lãnh\s+đạo)\b|(?:" + _UBND + r"|UBND|HĐND|Ban|Sở|Bộ|Phòng)\b"
    # "Thành phố Hà Nội, Thành phố Hồ Chí Minh": a province named as the body acting.
    r"|(?:Thành\s+phố|Tỉnh)\s+[" + _U + "]")
# Verbs that make a cell a clause ("Sở Thông tin và Truyền thông đôn đốc, hướng dẫn các
# đơn vị …"): only the agencies at its start are kept.
_CLAUSE_VERB = re.compile(
    r"\b(?:chủ\s+trì|phối\s+hợp|tham\s+mưu|triển\s+khai|thực\s+hiện|tổ\s+chức\s+(?:thực|triển)"
    r"|xây\s+dựng|hướng\s+dẫn|đôn\s+đốc|theo\s+dõi|kiểm\s+tra|báo\s+cáo|rà\s+soát|chỉ\s+đạo"
    r"|ban\s+hành|đề\s+xuất|tổng\s+hợp|nghiên\s+cứu|chịu\s+trách\s+nhiệm|có\s+trách\s+nhiệm"
    r"|(?<!chương\s)(?<!quy\s)(?<!lộ\s)trình)\b",
    re.IGNORECASE,
)
# "Theo phân công tại Quyết định số 1441/QĐ-UBND …" in a lead cell names no agency.
_NOT_AN_AGENCY = re.compile(r"(?i:theo|như|căn\s+cứ|tùy|tuỳ)\b")
# A bare kind of body before a comma is no member of its own: "Cơ quan, địa phương có liên quan".
_BARE_KIND = re.compile(r"(?i:cơ\s+quan|đơn\s+vị|địa\s+phương|tổ\s+chức|ban|ngành)")
# Once a list member is a clause, a member longer than this is prose, not a name.
_MAX_NAME_WORDS = 20


def split_agencies(value: str, ctx: Context) -> list[Agency]:
    """The agencies of a field value or a table cell, as the running text splits them.

    Names the patterns recognise are split as :func:`match_list` splits them; a member
    they do not recognise ("Các bộ ở Trung ương") is kept as written, so an assignment
    is never lost.

    >>> ctx = Context(Level.PROVINCE, "tỉnh Lâm Đồng")
    >>> [a.name for a in split_agencies("Sở Tư pháp; UBND các xã, phường, đặc khu.", ctx)]
    ['Sở Tư pháp tỉnh Lâm Đồng', 'UBND các xã, phường, đặc khu']
    >>> [a.raw for a in split_agencies("Các bộ ở Trung ương, Ủy ban nhân dân cấp tỉnh ở địa phương", ctx)]
    ['Các bộ ở Trung ương', 'Ủy ban nhân dân cấp tỉnh ở địa phương']
    >>> [a.raw for a in split_agencies("Lãnh đạo Sở Công Thương", ctx)]
    ['Sở Công Thương']
    >>> [a.raw for a in split_agencies("Sở Thông tin và Truyền thông đôn đốc, hướng dẫn các đơn vị", ctx)]
    ['Sở Thông tin và Truyền thông']
    """
    return list(_split_agencies(value, ctx))


# A plan repeats its field values ("Sở Tài chính", "UBND các xã, phường") item after item,
# and splitting one is hundreds of pattern matches: each value is split once per context.
@functools.lru_cache(maxsize=32_768)
def _split_agencies(value: str, ctx: Context) -> tuple[Agency, ...]:
    out: list[Agency] = []
    clause = False
    for piece, after_semicolon in _cell_members(collapse_spaces(value).strip(" .;,:")):
        # A clause's objects run to the next ";": "- Sở X chỉ đạo các đơn vị; Văn phòng …".
        clause = clause and not after_semicolon
        if clause or _NOT_AN_AGENCY.match(piece):
            continue
        mentions, end = match_list(piece)
        rest = piece[end:].strip(" .;,:()")
        if mentions and not rest:
            out.extend(canonical_list(mentions, ctx))
        elif _CLAUSE_VERB.search(rest) or len(piece.split()) > _MAX_NAME_WORDS:
            # A clause: the members after it are its objects, not agencies assigned.
            out.extend(canonical_list(mentions, ctx))
            clause = True
        else:
            out.append(canonicalize(piece, ctx))
    return tuple(out)


def _cell_members(value: str) -> list[tuple[str, bool]]:
    """Cut a list at ";" and at "," / "và" before a new member; drop job titles. Each member
    comes with whether a ";" stands before it.

    Separators inside a recognised name ("Các sở, ban, ngành", "Sở Văn hóa, Thể thao và
    Du lịch") or inside parentheses do not cut.
    """
    inside = [(m.start, m.end) for m in find_mentions(value)]
    members: list[tuple[str, bool]] = []
    pos = 0
    semicolon = False
    for sep in _CELL_SEP.finditer(value):
        if any(lo < sep.start() < hi for lo, hi in inside) or _open_parenthesis(value[pos:sep.start()]):
            continue
        after = sep.end()
        if ";" not in sep.group(0) and (_BARE_KIND.fullmatch(value[pos:sep.start()].strip())
                                        or not (_MEMBER_START.match(value, after) or match_at(value, after))):
            continue
        members.append((value[pos:sep.start()], semicolon))
        semicolon = ";" in sep.group(0)
        pos = after
    members.append((value[pos:], semicolon))
    cleaned = ((_TITLE_PREFIX.sub("", m, count=1).strip(" .;,:"), s) for m, s in members)
    return [(m, s) for m, s in cleaned if m]


def _open_parenthesis(text: str) -> bool:
    return text.count("(") > text.count(")")


# --- canonical names ------------------------------------------------------------------

_ALIASES: tuple[tuple[re.Pattern[str], str], ...] = (
    # "Chủ tịch Ủy ban nhân dân tỉnh Lai Châu" acts for the UBND.
    (re.compile(r"^Chủ\s+tịch\s+(UBND|HĐND)", re.I), r"\1"),
    (re.compile(r"^Giám\s+đốc\s+(Sở|Công an)", re.I), r"\1"),
    # "Ban Chấp hành Đảng bộ tỉnh" is the Tỉnh ủy.
    (re.compile(r"^Ban\s+Chấp\s+hành\s+Đảng\s+bộ\s+tỉnh", re.I), "Tỉnh ủy"),
    (re.compile(r"^Ban\s+Chấp\s+hành\s+Đảng\s+bộ\s+thành\s+phố", re.I), "Thành ủy"),
    (re.compile(r"^Ban\s+Chấp\s+hành\s+Đảng\s+bộ\s+huyện", re.I), "Huyện ủy"),
    (re.compile(r"^Ban\s+QLDA\b"), "Ban Quản lý dự án"),
    # The Party's central bodies: "Ban Bí thư Trung ương Đảng" is the Ban Bí thư, "Ban Chấp hành
    # Trung ương (khóa XII)" is the Party's.
    (re.compile(r"^Ban\s+Bí\s+thư\s+Trung\s+ương(?:\s+Đảng)?", re.I), "Ban Bí thư"),
    (re.compile(r"^Ban\s+Chấp\s+hành\s+Trung\s+ương(?!\s+Đảng)", re.I), "Ban Chấp hành Trung ương Đảng"),
    (re.compile(r"^UBND\s+các\s+xã\s+phường\b", re.I), "UBND các xã, phường"),
)
_NATIONAL = re.compile(
    r"^(?:Bộ\s(?!Chỉ\s+huy)|Thủ\s+tướng|Chính\s+phủ|Văn\s+phòng\s+Chính\s+phủ|Bộ\s+Chính\s+trị|Ban\s+Bí\s+thư"
    r"|Ban\s+Chấp\s+hành\s+Trung\s+ương|Quốc\s+hội|Ủy\s+ban\s+Thường\s+vụ\s+Quốc\s+hội|Thường\s+trực\s+Chính\s+phủ"
    r"|Tổng\s+[cC]ục|Cục\s|Tập\s+đoàn|Ban\s+\S+\s+Trung\s+ương|Phủ\s+Thủ\s+tướng|Hội\s+đồng\s+(?:Chính\s+phủ|Bộ\s+trưởng)"
    # "Ban Chỉ đạo Trung ương về …", "Ban Chỉ đạo Phòng thủ dân sự quốc gia", "Văn phòng Trung ương
    # Đảng", "Đảng ủy Chính phủ": a body of the centre, whatever its head noun.
    r"|(?:Ban|Ủy\s+ban|Hội\s+đồng|Văn\s+phòng|Đảng\s+ủy|Tổ\s+công\s+tác)\b[^,;]*?"
    r"(?:\bTrung\s+ương|\bquốc\s+gia|\bQuốc\s+gia|\bChính\s+phủ)(?![^\W\d_])"
    # "Đài Truyền hình Việt Nam", "Thông tấn xã Việt Nam", "Ngân hàng Nhà nước Việt Nam": a state
    # body named for the country. (Mass organisations are written so for their local chapters
    # too, "Hội Nông dân Việt Nam", and are left to the document's level.)
    r"|(?:Đài|Thông\s+tấn\s+xã|Ngân\s+hàng\s+Nhà\s+nước|Báo|Kho\s+bạc\s+Nhà\s+nước|Bảo\s+hiểm\s+xã\s+hội"
    r"|Tổng\s+công\s+ty)\s[^,;]*\bViệt\s+Nam$)"
)
_PROVINCE_HEADS = re.compile(r"^(?:Sở|Bộ\s+Chỉ\s+huy|Chi\s+cục|Ban\s+Quản\s+lý|Kho\s+bạc|Đài|Báo|Trung\s+tâm)\b")


_SCOPE_TAIL = re.compile(r"\s*,?\s*\(?\s*\b(?:theo|trong\s+phạm\s+vi)\s+"
                         r"(?:chức\s+năng|thẩm\s+quyền|lĩnh\s+vực|phân\s+cấp|nhiệm\s+vụ|quy\s+định)\b.*$", re.I)


@functools.lru_cache(maxsize=65_536)
def canonical_text(raw: str) -> str:
    """Spelling-normalised form of a mention, before jurisdiction qualification.

    >>> canonical_text("Ủy ban nhân dân tỉnh")
    'UBND tỉnh'
    >>> canonical_text("Ban Tuyên giáo Tỉnh uỷ")
    'Ban Tuyên giáo Tỉnh ủy'
    """
    # "Sở Lao động – Thương binh và Xã hội": a dash between the words of a name is a hyphen.
    text = collapse_spaces(modern_tones(raw)).rstrip(" .,;:").replace(" – ", " - ")
    text = re.sub(r"[UỦ]y\s+ban\s+nhân\s+dân", "UBND", text, flags=re.I)
    text = re.sub(r"Hội\s+đồng\s+nhân\s+dân", "HĐND", text, flags=re.I)
    text = re.sub(r"\bTP\.?\s", "thành phố ", text)
    official = _LEXICON_RX.match(text)
    if official is not None and fold(official.group(0)) in _LEXICON_FORMS:
        # The lexicon spelling wins: "Sở Nông nghiệp và môi trường" is a typo.
        text = _LEXICON_FORMS[fold(official.group(0))] + text[official.end():]
    for rx, repl in _ALIASES:
        text = rx.sub(repl, text)
    return text


def unit_of(name: str) -> tuple[Level, str] | None:
    """The explicit jurisdiction written in a name, e.g. ("province", "tỉnh Lai Châu").

    >>> unit_of("UBND tỉnh Lai Châu")
    (<Level.PROVINCE: 'province'>, 'tỉnh Lai Châu')
    >>> unit_of("Thành ủy Lai Châu")
    (<Level.DISTRICT: 'district'>, 'thành phố Lai Châu')
    >>> unit_of("Thành ủy Hà Nội")
    (<Level.PROVINCE: 'province'>, 'thành phố Hà Nội')
    """
    m = _EXPLICIT_UNIT.search(name)
    if m:
        unit = collapse_spaces(m.group(1)).lower().rstrip(".")
        unit = "thành phố" if unit == "tp" else unit
        place = m.group(2)
        level = _UNIT_LEVEL[unit]
        if unit == "thành phố" and place in CENTRAL_CITIES:
            level = Level.PROVINCE
        return level, f"{unit} {place}"
    m = _EXPLICIT_COMMITTEE.search(name)
    if m:
        committee = fold(m.group(0)[: _COMMITTEE_RX.match(m.group(0)).end()])  # type: ignore[union-attr]
        place = m.group(1)
        level = _COMMITTEE_LEVEL[committee]
        unit = _COMMITTEE_UNIT[committee]
        if unit == "thành phố" and place in CENTRAL_CITIES:
            level = Level.PROVINCE
        return level, f"{unit} {place}"
    return None


def canonicalize(mention: Mention | str, ctx: Context) -> Agency:
    """Canonical, jurisdiction-qualified agency for a mention in a document.

    >>> ctx = Context(Level.COMMUNE, "tỉnh Lai Châu", None, "phường Đoàn Kết")
    >>> canonicalize("Công an phường", ctx).name
    'Công an phường Đoàn Kết'
    >>> canonicalize("Sở Xây dựng", ctx).name
    'Sở Xây dựng tỉnh Lai Châu'
    >>> canonicalize("Phòng Văn hoá - Xã hội", ctx).name
    'Phòng Văn hóa - Xã hội phường Đoàn Kết'
    >>> canonicalize("Sở Tài chính theo chức năng, nhiệm vụ được giao", ctx).name
    'Sở Tài chính tỉnh Lai Châu'
    >>> canonicalize("UBND các xã, phường", ctx).kind.value
    'distributive'
    """
    if isinstance(mention, str):
        raw = mention
        found = match_at(raw, 0)
        kind = found.kind if found is not None else (
            AgencyKind.COLLECTIVE if raw.lower().startswith("các ") else AgencyKind.SPECIFIC)
    else:
        raw, kind = mention.raw, mention.kind
    # The unit in parentheses is a detail of the body's assignment ("Văn phòng UBND tỉnh
    # (Trung tâm Thông tin)"): the raw text keeps it, the name is the body's.
    note = _UNIT_NOTE.search(raw) if kind is AgencyKind.SPECIFIC else None
    text = canonical_text(raw[:note.start()] if note is not None and _is_unit(note.group(1)) else raw)
    if kind is AgencyKind.SPECIFIC:
        # The scope a table cell adds after one body ("Bộ Khoa học và Công nghệ theo chức năng,
        # nhiệm vụ được giao") is no part of its name: the same body is meant wherever it is
        # written. (After a kind of bodies it says which of them: "các cơ quan, đơn vị theo
        # chức năng, lĩnh vực quản lý" keeps it.)
        text = _SCOPE_TAIL.sub("", text) or text
    if kind is not AgencyKind.SPECIFIC:
        # "Chủ tịch UBND các xã, phường", "Thủ trưởng các cơ quan chuyên môn thuộc UBND tỉnh": the
        # heads of each body of a kind are addressed, and the name says so.
        title = _TITLE.match(raw)
        title_text = collapse_spaces(title.group(0)).strip() + " " if title is not None else ""
        text = canonical_text(raw[title.end():]) if title is not None else text
        if text[:4] == "Các ":
            text = "các " + text[4:]
        text = title_text + text
        text = re.sub(r"^(?:các\s+)?Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ",
                      "các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ", text)
        level = _collective_level(text, ctx)
        return Agency(text, raw, kind, ctx.unit(ctx.level) if ctx.level else None, level)
    explicit = unit_of(text)
    if explicit is not None:
        level, unit = explicit
        return Agency(text, raw, kind, unit, level)
    if _NATIONAL.match(text):
        return Agency(text, raw, kind, "Việt Nam", Level.NATIONAL)
    # A bare unit word at the end ("Công an tỉnh", "UBND phường", "Văn phòng Thành ủy").
    bare = _BARE_UNIT.search(text)
    if bare:
        word = fold(bare.group(1))
        level = _COMMITTEE_LEVEL.get(word) or _UNIT_LEVEL.get(word.rstrip("."), None)
        if word in ("thành phố", "thành ủy") and ctx.district is None and (
                ctx.province or "").startswith("thành phố"):
            level = Level.PROVINCE  # a centrally-governed city speaking of itself
        home = ctx.unit(level) if level else None
        if home is None:
            return Agency(text, raw, kind, None, level)
        place = re.sub(r"^" + _UNIT_WORD + r"\s+", "", home)
        if word in _COMMITTEE_LEVEL:
            return Agency(f"{text} {place}", raw, kind, home, level)
        return Agency(f"{text[:bare.start(1)]}{home}".strip(), raw, kind, home, level)
    level = _default_level(text, ctx)
    home = ctx.unit(level) if level else None
    # "Báo và Đài Phát thanh, Truyền hình Lâm Đồng" already names its province.
    named = home is not None and text.endswith(" " + re.sub(r"^" + _UNIT_WORD + r"\s+", "", home))
    name = f"{text} {home}" if home and not named else text
    return Agency(name, raw, kind, home, level)


def canonical_list(mentions: list[Mention], ctx: Context) -> list[Agency]:
    """The agencies of a list of mentions; a distributive phrase naming its members gives one
    agency per member.

    >>> ctx = Context(Level.PROVINCE, "tỉnh Lâm Đồng")
    >>> [a.name for a in canonical_list(match_list("UBND các xã: Đức Trọng, Hiệp Thạnh, Đinh Văn Lâm Hà")[0], ctx)]
    ['UBND xã Đức Trọng', 'UBND xã Hiệp Thạnh', 'UBND xã Đinh Văn Lâm Hà']
    >>> [a.name for a in canonical_list(match_list("Ủy ban nhân dân các phường Tân Phong, Đoàn Kết và 12")[0], ctx)]
    ['UBND phường Tân Phong', 'UBND phường Đoàn Kết', 'UBND phường 12']
    """
    out: list[Agency] = []
    for mention in mentions:
        out.extend(canonicalize(name, ctx) for name in member_names(mention.raw))
    return out


def member_names(raw: str) -> list[str]:
    """The bodies a distributive phrase names one by one, or ``[raw]`` when it names none.

    >>> member_names("UBND các phường: A Lưới, Phú Bài")
    ['UBND phường A Lưới', 'UBND phường Phú Bài']
    >>> member_names("UBND các xã, phường")
    ['UBND các xã, phường']
    """
    m = _MEMBER_LIST.fullmatch(raw)
    if m is None:
        return [raw]
    rest = raw[m.end("unit"):].lstrip(" \t:")
    unit = " ".join(m.group("unit").split())
    head = " ".join(m.group("head").split())
    return [f"{head} {unit} {name}" for name in _MEMBER_SPLIT.split(rest) if name]


def _default_level(text: str, ctx: Context) -> Level | None:
    """Level of an agency named without any jurisdiction word."""
    if _PROVINCE_HEADS.match(text) or (text.startswith("Công an") and ctx.level is Level.PROVINCE):
        return Level.PROVINCE
    if text.startswith(("Phòng", "Văn phòng HĐND và UBND", "Ban Chỉ huy quân sự", "Công an")):
        if ctx.level in (Level.DISTRICT, Level.COMMUNE):
            return ctx.level
        return Level.DISTRICT
    return ctx.level if ctx.level is not Level.NATIONAL else None


def _collective_level(text: str, ctx: Context) -> Level | None:
    low = text.lower()
    if re.search(r"\b(?:xã|phường|thị trấn)\b", low):
        return Level.COMMUNE
    if re.search(r"huyện|thị ủy|thành ủy|quận", low):
        return Level.DISTRICT
    return ctx.level
