"""Vietnamese text normalisation shared by every stage.

Three strengths of normalisation are used:

* :func:`nfc` - Unicode NFC only; what records store, so names stay exact.
* :func:`fold` - for comparing names: NFC, case-folded, old/new tone placement
  unified ("hoá" = "hóa", "Uỷ" = "Ủy"), "Ủy ban nhân dân" = "UBND",
  "Hội đồng nhân dân" = "HĐND", whitespace collapsed.
* :func:`strip_accents` / :func:`search_key` - accent-free keys so that users can
  search without diacritics ("thu hut dau tu" finds "thu hút đầu tư").

>>> fold("Phòng Văn hoá - Xã hội") == fold("phòng văn hóa - xã hội")
True
>>> fold("Ủy ban nhân dân tỉnh Lai Châu")
'ubnd tỉnh lai châu'
>>> search_key("Thu hút đầu tư")
'thu hut dau tu'
"""

from __future__ import annotations

import functools
import re
import unicodedata

_BLANKS = "\t\u00a0\u2000-\u200b\u202f\u205f\u3000"  # besides the space
# A run of two blanks or more, or one blank that is not a space: what collapsing changes (a
# pattern matching every single space too would replace each one with itself).
_SPACES = re.compile(f"[ {_BLANKS}]{{2,}}|[{_BLANKS}]")

# Old-style tone placement ("hoá", "thuỷ", "Uỷ") -> the modern style used by most
# current documents ("hóa", "thủy", "Ủy"). Both spellings are legal Vietnamese; we
# only fold them for comparison and for canonical agency names.
_TONE_PAIRS = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_TONE_PAIRS.update({k.capitalize(): v.capitalize() for k, v in list(_TONE_PAIRS.items())})
_TONE_PAIRS.update({k.upper(): v.upper() for k, v in list(_TONE_PAIRS.items()) if k.islower()})
# Only fold when the pair ends a syllable ("hoá" but not "hoàn", "khoẻ" but not "quyền").
# The "u" of "qu" is a consonant ("quý", "quỹ" are already modern), so it never folds.
_TONE_RE = re.compile(
    r"(?<![qQ])(" + "|".join(sorted(_TONE_PAIRS, key=len, reverse=True)) + r")(?![\wđĐ])"
)

_ABBREVIATIONS = (
    (re.compile(r"\bủy ban nhân dân\b"), "ubnd"),
    (re.compile(r"\bhội đồng nhân dân\b"), "hđnd"),
    (re.compile(r"\bmặt trận tổ quốc\b"), "mttq"),
)


# The same, typed without diacritics ("uy ban nhan dan"): what a search key meets.
_BARE_ABBREVIATIONS = (
    (re.compile(r"\buy ban nhan dan\b"), "ubnd"),
    (re.compile(r"\bhoi dong nhan dan\b"), "hdnd"),
    (re.compile(r"\bmat tran to quoc\b"), "mttq"),
)


# Look-alikes of "Đ"/"đ" that PDF fonts and old keyboards produce ("Ðộc lập", with the
# Icelandic eth): the same letter to a reader, a different one to every comparison.
_D_LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111", "\u0189": "\u0110"})
_D_LOOKALIKE_CHARS = tuple(chr(code) for code in _D_LOOKALIKES)


# Combining marks: a Vietnamese letter carries at most two (a vowel sign and a tone).
_MARKS = "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
_MARK_RUN = re.compile(f"({_MARKS}{{3}}){_MARKS}+")
_MARK = re.compile(_MARKS)


def limit_marks(text: str) -> str:
    """Drop combining marks past the third on one letter: a flood of them ("a" and 200,000
    accents) is no text, and would make every later normalisation slow.

    >>> limit_marks("a" + "\u0301\u0323" * 5) == "a\u0301\u0323\u0301"
    True
    """
    if _MARK.search(text) is None:  # composed text (most): a quarter of the time of the run pattern
        return text
    return _MARK_RUN.sub(r"\1", text)


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC (composed) form, with "Đ" look-alikes made "Đ".

    >>> nfc("\u00d0ộc lập") == "Độc lập"
    True
    """
    text = unicodedata.normalize("NFC", limit_marks(text))
    # str.translate walks every character through a dict lookup (tens of microseconds a
    # line); the look-alikes are rare, so test for them first.
    if any(ch in text for ch in _D_LOOKALIKE_CHARS):
        text = text.translate(_D_LOOKALIKES)
    return text


def modern_tones(text: str) -> str:
    """Rewrite old-style tone placement to the modern style ("hoá" -> "hóa").

    >>> modern_tones("Văn hoá, Uỷ ban, thuỷ lợi, hoàn thành, quý, quỹ")
    'Văn hóa, Ủy ban, thủy lợi, hoàn thành, quý, quỹ'
    """
    return _TONE_RE.sub(lambda m: _TONE_PAIRS[m.group(1)], nfc(text))


#: Put before the unit word "xã" (commune) in a regular expression: not where it ends the name
#: of a body that is no commune, "Thông tấn xã Việt Nam" (the news agency) or "Hợp tác xã" (a
#: cooperative). Shared by the readers of agency names and the graph's rules for whose body an
#: agency is.
NOT_IN_A_BODY_NAME = r"(?<!(?i:thông\stấn)\s)(?<!(?i:hợp\stác)\s)"


def collapse_spaces(text: str) -> str:
    """Collapse runs of blanks to one space and strip the ends."""
    return _SPACES.sub(" ", text).strip()


@functools.lru_cache(maxsize=131_072)
def fold(text: str) -> str:
    """Comparison key for names: case, Unicode form, spelling variants folded."""
    # Case first: old-style tones are listed in lower, capitalised and upper case only, so
    # a mixed-case "oÈ" must become "oè" before it can fold to "òe".
    key = modern_tones(collapse_spaces(nfc(text)).casefold())
    for pattern, short in _ABBREVIATIONS:
        key = pattern.sub(short, key)
    return key


class _Bare(dict[int, str]):
    """``str.translate`` table from a character to itself without diacritics, filled as
    characters are met (each is decomposed once, not once per text)."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFD", chr(code))
        bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
        self[code] = bare = bare.replace("đ", "d").replace("Đ", "D")
        return bare


_BARE = _Bare()


def strip_accents(text: str) -> str:
    """Remove Vietnamese diacritics; "đ" becomes "d".

    Character by character through a cached table: the same as removing the nonspacing
    marks of the text's NFD form, several times faster on long texts.

    >>> strip_accents("Điện Biên Phủ")
    'Dien Bien Phu'
    >>> strip_accents("Đie\u0323\u0302n")  # decomposed marks
    'Dien'
    """
    return text if text.isascii() else text.translate(_BARE)


@functools.lru_cache(maxsize=131_072)  # as fold's: a task restated in many plans is keyed once
def search_key(text: str) -> str:
    """Accent-free, case-folded key used for diacritic-insensitive search; the long forms
    typed without diacritics are shortened as :func:`fold` shortens them with diacritics.

    >>> search_key("Ủy ban nhân dân phường") == search_key("uy ban nhan dan phuong") == "ubnd phuong"
    True
    """
    key = strip_accents(fold(text))
    for pattern, short in _BARE_ABBREVIATIONS:
        key = pattern.sub(short, key)
    return key


@functools.lru_cache(maxsize=131_072)
def slugify(text: str) -> str:
    """ASCII slug used inside stable ids.

    >>> slugify("UBND tỉnh Lai Châu")
    'ubnd-tinh-lai-chau'
    >>> slugify("2233/KH-UBND")
    '2233-kh-ubnd'
    """
    return re.sub(r"[^a-z0-9]+", "-", search_key(text)).strip("-")
