"""Pre-Unicode Vietnamese encodings (TCVN3/ABC, VNI) -> Unicode NFC.

Documents typed before Unicode was common wrote Vietnamese with 8-bit fonts: the
".Vn..." fonts of the ABC package (TCVN3, ``.VnTime``, ``.VnTimeH``, ``.VnArial``)
and the "VNI-..." fonts of VNI Software (``VNI-Times``, ``VNI-Helve``). Read as
Windows-1252 (a ``.txt`` file) or taken from Word runs in such a font, their text
shows the Latin-1 characters of the legacy bytes: "Céng hßa x· héi chñ nghÜa" (TCVN3),
"Coäng hoøa xaõ hoäi chuû nghóa" (VNI). :mod:`plankg.loaders.decode` calls
:func:`detect` on every decoded text and :func:`convert` when it answers, so later
stages only ever see Unicode; the Word reader can use :func:`font_encoding` and
:func:`convert_run` per run.

The code tables are data (``loaders/data/tcvn3.tsv``, ``loaders/data/vni.tsv``), each
naming its source; they are loaded once and applied with ``str.translate`` (TCVN3,
one character per letter) or one compiled regex (VNI, base letter + diacritic).

>>> convert("Céng hßa x· héi chñ nghÜa ViÖt Nam", "tcvn3")
'Cộng hòa xã hội chủ nghĩa Việt Nam'
>>> convert("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni")
'Cộng hòa xã hội chủ nghĩa Việt Nam'
>>> detect("Uû ban nh©n d©n tØnh L©m §ång ban hµnh kÕ ho¹ch thùc hiÖn")
'tcvn3'
>>> detect("Ủy ban nhân dân tỉnh Lâm Đồng") is None
True
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

__all__ = [
    "ENCODINGS",
    "Evidence",
    "convert",
    "convert_run",
    "decode_single_byte",
    "detect",
    "encode_single_byte",
    "evidence",
    "font_encoding",
    "is_capitals_font",
    "legacy_name",
]

ENCODINGS = ("tcvn3", "vni")

# Names accepted for --encoding (lower case, without "-", "_" and spaces).
_ALIASES = {
    "tcvn3": "tcvn3",
    "tcvn": "tcvn3",
    "tcvn5712": "tcvn3",
    "abc": "tcvn3",
    "vni": "vni",
    "vniwin": "vni",
    "vniwindows": "vni",
}


def legacy_name(name: str) -> str | None:
    """The legacy encoding an ``--encoding`` value names ("TCVN3", "abc", "VNI-Win"), or None.

    >>> legacy_name("TCVN-3"), legacy_name("VNI"), legacy_name("cp1252")
    ('tcvn3', 'vni', None)
    """
    return _ALIASES.get(re.sub(r"[-_\s]", "", name).lower())


# --- fonts -------------------------------------------------------------------------


def font_encoding(font_name: str | None) -> str | None:
    """The legacy encoding of a font, from its name ("tcvn3", "vni" or None).

    ABC fonts are named ".Vn..." (".VnTime", ".VnTimeH", ".VnArial Narrow"); VNI fonts
    "VNI-..." ("VNI-Times", "VNI-Helve").

    >>> font_encoding(".VnTimeH"), font_encoding("VNI-Times"), font_encoding("Times New Roman")
    ('tcvn3', 'vni', None)
    """
    if not font_name:
        return None
    name = font_name.strip().lower()
    if name.startswith(".vn"):
        return "tcvn3"
    if name.startswith(("vni-", "vni ")):
        return "vni"
    return None


def is_capitals_font(font_name: str | None) -> bool:
    """True for the ABC capitals fonts (".VnTimeH", ".VnArialH", ".VnBahamasBH"...).

    They draw the lower-case TCVN3 codes as capitals: TCVN3 has no code for most
    capitals with a tone mark, so headings were typed in lower case in such a font.

    >>> is_capitals_font(".VnTimeH"), is_capitals_font(".VnTime")
    (True, False)
    """
    return font_encoding(font_name) == "tcvn3" and font_name is not None and font_name.rstrip().endswith("H")


def convert_run(text: str, font_name: str | None) -> str:
    """Convert the text of one Word run according to its font; other fonts pass through.

    >>> convert_run("kÕ ho¹ch", ".VnTimeH"), convert_run("kÕ ho¹ch", ".VnTime")
    ('KẾ HOẠCH', 'kế hoạch')
    >>> convert_run("kÕ ho¹ch", "Arial")
    'kÕ ho¹ch'
    """
    encoding = font_encoding(font_name)
    if encoding is None:
        return text
    converted = convert(text, encoding)
    return converted.upper() if is_capitals_font(font_name) else converted


# --- conversion --------------------------------------------------------------------


def convert(text: str, encoding: str) -> str:
    """Convert legacy text (as Latin-1/cp1252 characters) to Unicode NFC.

    ``encoding`` is "tcvn3" or "vni". Characters outside the code table (ASCII,
    cp1252 punctuation, anything already Unicode) are kept.

    TCVN3 has codes for lower-case letters but for few capitals with a tone mark, so a
    word typed in capitals in a normal (not "H") font comes out with lower-case
    toned letters ("HO¹CH" -> "HOạCH"). Such a word - at least two capitals and no
    ASCII lower-case letter - is upper-cased as a whole ("HOẠCH"); a capitalised
    word ("Sè" -> "Số") is left alone.

    >>> convert("§IÒU 1. KÕ HO¹CH", "tcvn3")
    'ĐIỀU 1. Kế HOẠCH'
    >>> convert("ÑIEÀU 1. KEÁ HOAÏCH", "vni")
    'ĐIỀU 1. KẾ HOẠCH'
    """
    if encoding == "tcvn3":
        table = _tcvn3_table()
        converted = unicodedata.normalize("NFC", text.translate(table))
        return _CAPS_WORD.sub(_upper_caps_word, converted)
    if encoding == "vni":
        pattern, mapping = _vni_table()
        converted = pattern.sub(lambda m: mapping[m.group()], text)
        return unicodedata.normalize("NFC", converted)
    raise ValueError(f"unknown legacy encoding {encoding!r} (expected one of {', '.join(ENCODINGS)})")


# Words of two letters or more; _upper_caps_word decides.
_CAPS_WORD = re.compile(r"[^\W\d_]{2,}")


def _upper_caps_word(match: re.Match[str]) -> str:
    word = match.group()
    if word.isupper() or word.islower() or any("a" <= ch <= "z" for ch in word):
        return word
    return word.upper() if sum(ch.isupper() for ch in word) >= 2 else word


@functools.cache
def _read_table(name: str) -> tuple[tuple[str, str], ...]:
    """Rows (legacy, unicode) of ``data/<name>.tsv``: "#" comments, one header row."""
    source = resources.files("plankg.loaders").joinpath("data", f"{name}.tsv")
    rows: list[tuple[str, str]] = []
    header_seen = False
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            continue
        fields = line.split("\t")
        if len(fields) != 2 or not fields[0]:
            raise ValueError(f"{name}.tsv:{number}: expected two tab-separated columns")
        rows.append((_unescape(fields[0]), _unescape(fields[1])))
    return tuple(rows)


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})")


def _unescape(field: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), field)


@functools.cache
def _tcvn3_table() -> dict[int, str]:
    rows = _read_table("tcvn3")
    if any(len(legacy) != 1 for legacy, _ in rows):
        raise ValueError("tcvn3.tsv: every legacy code is one character")
    return {ord(legacy): target for legacy, target in rows}


@functools.cache
def _vni_table() -> tuple[re.Pattern[str], dict[str, str]]:
    mapping = dict(_read_table("vni"))
    return re.compile(_trie_pattern(mapping)), mapping


def _trie_pattern(keys: Iterable[str]) -> str:
    """A regex matching the longest of ``keys`` at a position, built as a trie.

    Alternatives start with distinct characters, so the regex engine rejects a
    position after one character test per branch instead of trying every key.
    """
    groups: dict[str, list[str]] = {}
    for key in keys:
        groups.setdefault(key[0], []).append(key[1:])
    branches = []
    for first in sorted(groups):
        rests = groups[first]
        longer = [rest for rest in rests if rest]
        if not longer:
            branches.append(re.escape(first))
            continue
        if all(len(rest) == 1 for rest in longer):
            tail = "[" + "".join(re.escape(rest) for rest in sorted(longer)) + "]"
        else:
            tail = "(?:" + _trie_pattern(longer) + ")"
        branches.append(re.escape(first) + tail + ("?" if "" in rests else ""))
    return "|".join(branches)


# --- detection ---------------------------------------------------------------------
#
# The evidence is the legacy letters that ordinary text never shows inside words.
#
# TCVN3 puts ă â ê ô ơ ư đ, à ả ã á ạ and ắ ằ ẳ ẵ on the Latin-1 symbols 0xA1-0xBE, so a
# TCVN3 text is full of symbols glued to letters: "c«ng", "nh©n", "®Þa", "v¨n", "lµ".
# Such a symbol counts when a letter touches it; « and µ (French quotes, "µm") and ¡
# ("¡Hola") only with a letter before, » and ® ("Windows®") only with a letter after.
# ° ± ² ³ ´ (TCVN3's combining tone marks, but "25°C", "m²" elsewhere), the soft hyphen
# (ư) and º (nº) are left out. Supporting evidence: a Latin-1 capital right after an
# ASCII lower-case letter ("ViÖt", "nghÜa", "tØnh"), which a cp1258 text read as cp1252
# also shows - so at least two symbols are required as well.
#
# VNI writes a letter as base + diacritic character: "Vieät", "hoøa", "chuû". A pair
# counts when it is a VNI letter that other languages and Unicode Vietnamese do not
# write: "où", "coût", "aéro", "naïve", "Moïse", "Raphaël", "aún", "ouïe", "eût" and the
# old-style "hoá", "hoà", "hoãn" are left out. A word-initial ñ (đ) counts too.
#
# Decision, per encoding (Evidence.passes), over the whole text:
#
# * evidence in at least 20 % of the words (words: letter runs). Measured on the seed
#   corpus re-encoded: 0.60-0.70 (TCVN3), 0.72-0.75 (VNI); Unicode Vietnamese, English
#   and the Western European languages: 0 to 0.006; Central European (ISO 8859-2,
#   cp1250) or DOS (cp850) text read as cp1252: at most 0.14;
# * at least 5 evidence characters of at least 5 different kinds (a language with one
#   odd letter, such as Catalan "l·l", has one kind);
# * at least 40 % of the letters ASCII: legacy Vietnamese keeps its consonants and
#   plain vowels in ASCII (measured 0.53-0.74 per line), while Greek, Cyrillic or CJK
#   bytes read as cp1252 are almost all non-ASCII (0 to 0.24);
# * at least 30 % of the non-ASCII characters standing alone between ASCII ones: a
#   legacy syllable has one or two ("c«ng", "ng­êi"), measured 0.68-0.78 per document,
#   while double-byte CJK text read as cp1252 comes in runs (0 to 0.15);
# * more than 4 times the number of letters only Unicode can hold (ă đ ơ ư,
#   U+1EA0-U+1EF9, combining tones) - a Unicode Vietnamese text has thousands;
# * and the text is not UTF-8 read as cp1252 ("Sá»‘"), which shows many of the symbols.
#
# When both encodings pass, the larger share wins.

_LETTER = "A-Za-z\u00a1-\u00ac\u00ae\u00b5-\u00b9\u00bb-\u00be\u00c0-\u00ff"
_SYMBOLS_BEFORE = "\u00a1-\u00ac\u00b5-\u00b9\u00bc-\u00be"  # with a letter before: all but » ®
_SYMBOLS_AFTER = "\u00a2-\u00aa\u00ac\u00ae\u00b6-\u00b9\u00bb-\u00be"  # with one after: all but ¡ « µ
_TCVN3_SYMBOL = re.compile(rf"(?<=[{_LETTER}])[{_SYMBOLS_BEFORE}]|[{_SYMBOLS_AFTER}](?=[{_LETTER}])")
_TCVN3_CAPITAL = re.compile(r"(?<=[a-z])[\u00c0-\u00de]")

_VNI_PAIRS_LOWER = {
    "a": "ùøûõâáàåãäêèü",
    "e": "ùøõïâáàåãä",
    "o": "øõâåä",
    "u": "ùøûõ",
    "y": "ùøûõ",
    "ô": "ùøûõï",
    "ö": "ùøûõï",
}
_VNI_PAIRS = {**_VNI_PAIRS_LOWER, **{k.upper(): v.upper() for k, v in _VNI_PAIRS_LOWER.items()}}
_VNI_EVIDENCE = re.compile(
    "|".join(f"{base}[{marks}]" for base, marks in _VNI_PAIRS.items()) + rf"|(?<![{_LETTER}])[ñÑ](?=[a-zA-Zâêô])"
)

_UNICODE_ONLY = re.compile("[ăĂđĐơƠưƯĩĨũŨ\u1ea0-\u1ef9\u0300\u0301\u0303\u0309\u0323]")
# Words are letter runs; legacy symbols count as letters so that "c«ng" is one word.
_WORD = re.compile("[A-Za-z\u00a1-\u00ff\u0100-\u024f\u0300-\u036f\u1e00-\u1eff]+")
_ASCII_LETTER = re.compile("[A-Za-z]")
# Non-ASCII characters other than spaces and the punctuation of U+2000-U+206F.
_OTHER_LETTER = re.compile("[\u00a1-\u1fff\u2070-\uffff]+")

_MIN_SHARE = 0.2
_MIN_EVIDENCE = 5
_MIN_KINDS = 5
_MIN_ASCII_SHARE = 0.4
_MIN_ALONE_SHARE = 0.3
_MAX_UNICODE_RATIO = 0.25
_MIN_TCVN3_SYMBOLS = 2


@dataclass(frozen=True)
class Evidence:
    """What :func:`detect` counted for one encoding (see the rule above)."""

    encoding: str
    count: int
    kinds: int
    words: int
    ascii_share: float
    alone_share: float
    unicode_letters: int
    symbols: int = 0

    @property
    def share(self) -> float:
        """Evidence characters per word."""
        return self.count / self.words if self.words else 0.0

    @property
    def passes(self) -> bool:
        """The decision rule for this encoding (mojibake is checked by :func:`detect`)."""
        return (
            self.share >= _MIN_SHARE
            and self.count >= _MIN_EVIDENCE
            and self.kinds >= _MIN_KINDS
            and self.ascii_share >= _MIN_ASCII_SHARE
            and self.alone_share >= _MIN_ALONE_SHARE
            and self.unicode_letters * 4 < self.count
            and (self.encoding != "tcvn3" or self.symbols >= _MIN_TCVN3_SYMBOLS)
        )


def evidence(text: str) -> tuple[Evidence, Evidence]:
    """The TCVN3 and the VNI evidence in ``text``.

    >>> tcvn3, vni = evidence("Céng hßa x· héi chñ nghÜa ViÖt Nam")
    >>> tcvn3.count, tcvn3.kinds, tcvn3.symbols, tcvn3.words, vni.count
    (3, 3, 1, 8, 0)
    """
    words = len(_WORD.findall(text))
    ascii_letters = len(_ASCII_LETTER.findall(text))
    runs = _OTHER_LETTER.findall(text)
    other_letters = sum(map(len, runs))
    ascii_share = ascii_letters / (ascii_letters + other_letters) if ascii_letters else 0.0
    alone_share = sum(1 for run in runs if len(run) == 1) / other_letters if other_letters else 0.0
    unicode_letters = len(_UNICODE_ONLY.findall(text))
    symbols = _TCVN3_SYMBOL.findall(text)
    capitals = _TCVN3_CAPITAL.findall(text)
    tcvn3 = Evidence(
        "tcvn3",
        count=len(symbols) + len(capitals),
        kinds=len(set(symbols) | set(capitals)),
        words=words,
        ascii_share=ascii_share,
        alone_share=alone_share,
        unicode_letters=unicode_letters,
        symbols=len(symbols),
    )
    pairs = _VNI_EVIDENCE.findall(text)
    vni = Evidence(
        "vni",
        count=len(pairs),
        kinds=len(set(pairs)),
        words=words,
        ascii_share=ascii_share,
        alone_share=alone_share,
        unicode_letters=unicode_letters,
    )
    return tcvn3, vni


def detect(text: str) -> str | None:
    """The legacy encoding ("tcvn3", "vni") of ``text`` read as Latin-1, or None.

    A text counts when it is mostly legacy Vietnamese (see the rule above :class:`Evidence`).

    Genuine Unicode Vietnamese, English and other Latin-1 languages give None.

    >>> detect("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam - Ñoäc laäp - Töï do - Haïnh phuùc")
    'vni'
    >>> detect("Où est le café? Le coût de l'aéroport, naïve Noël.") is None
    True
    """
    # Every evidence character lies in U+00A1-U+00FF, so this cheap bound settles
    # Unicode text (where the Unicode-only letters outnumber them) in one pass.
    if _outnumbered(text):
        return None
    passing = [found for found in evidence(text) if found.passes]
    if not passing or _is_utf8_read_as_cp1252(text):
        return None
    return max(passing, key=lambda found: found.share).encoding


# U+00A1-U+00FF in UTF-8: C2 A1-BF and C3 80-BF (C2 and C3 are never continuation bytes).
_LEGACY_RANGE_C2 = re.compile(b"\xc2[\xa1-\xbf]")


def _outnumbered(text: str) -> bool:
    """Whether the Unicode-only letters of ``text``, four times over, are at least as many as
    its characters in U+00A1-U+00FF: those are counted in its UTF-8 bytes (a byte count is
    a tenth of a pattern's), and the letters only as far as the bound needs.

    >>> _outnumbered("Cộng hòa xã hội chủ nghĩa Việt Nam"), _outnumbered("Céng hßa x· héi chñ nghÜa ViÖt Nam")
    (True, False)
    """
    data = text.encode("utf-8", "surrogatepass")
    legacy = data.count(b"\xc3") + len(_LEGACY_RANGE_C2.findall(data))
    needed = -(-legacy // 4)  # the fewest letters that make four times as many as ``legacy``
    return needed == 0 or next(itertools.islice(_UNICODE_ONLY.finditer(text), needed - 1, None), None) is not None


def _is_utf8_read_as_cp1252(text: str) -> bool:
    """True for mojibake such as "Sá»‘" (UTF-8 bytes decoded as cp1252): at least 90 % of
    its non-ASCII bytes form valid UTF-8 sequences, where a legacy text has next to none."""
    raw = encode_single_byte(text)
    high = sum(1 for byte in raw if byte >= 0x80)
    if not high:
        return False
    invalid = raw.decode("utf-8", errors="replace").count("\ufffd")
    return invalid < _MAX_MOJIBAKE_INVALID * high


_MAX_MOJIBAKE_INVALID = 0.1


# --- bytes ---------------------------------------------------------------------------
#
# Legacy files are single-byte. They are read as Windows-1252, the code page of the
# Windows systems the fonts ran on (and of Word runs in these fonts), with Latin-1 for
# the five bytes cp1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D), so that every byte
# string decodes and the result encodes back to the same bytes.


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


_CP1252_OF_C1 = {byte: _cp1252_char(byte) for byte in range(0x80, 0xA0)}
_BYTE_OF_CHAR = {ord(char): byte for byte, char in _CP1252_OF_C1.items()}


def decode_single_byte(data: bytes) -> str:
    """Bytes of a legacy file -> the characters its bytes show as in cp1252 (never fails).

    >>> decode_single_byte(b"C\\xe9ng h\\xdfa \\x93x\\xb7\\x94 \\x81")
    'Céng hßa “x·” \\x81'
    """
    return data.decode("latin-1").translate(_CP1252_OF_C1)


def encode_single_byte(text: str) -> bytes:
    """The inverse of :func:`decode_single_byte`; characters beyond it become "?"."""
    return text.translate(_BYTE_OF_CHAR).encode("latin-1", errors="replace")
