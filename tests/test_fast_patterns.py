"""Patterns rewritten so that the regex engine can skip to their first character match
exactly what their plain form (a look-behind first) matches."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from plankg.loaders import citations, document, header
from plankg.loaders import patterns as P

# The plain forms, as they were written before the rewrite.
_PLAIN = {
    "DOC_NUMBER": (citations.DOC_NUMBER, re.compile(
        r"(?<![\w/.+-])(?P<num>\d{1,5}[a-z]?)" + citations.DOC_NUMBER.pattern.split(r"\d{0,4}[a-z]?)", 1)[1])),
    "_SIGN_TOKEN": (header._SIGN_TOKEN, re.compile(
        r"(?<![\w/])(?:TM|T/M|KT|K/T|TL|T/L|TUQ|Q)\s*[./]\s*(?=[" + P.VI_UPPER + r"]{2})")),
    "_UNIT_MENTION": (document._UNIT_MENTION, re.compile(
        r"(?<![" + P.VI_LOWER + r"])(?P<unit>tỉnh|Tỉnh[ \t]+[uủ][ỷy])"
        + document._UNIT_MENTION.pattern.split(r"[uủ][ỷy])", 1)[1])),
}

# Pieces each pattern turns on, glued in any order: what may stand before its first character
# (letters, digits, separators), its tokens, and what follows them.
_PIECES = {
    "DOC_NUMBER": ["/", "-", ".", "+", " ", "a", "x", "Đ", "57", "12a", "2026", "NQ", "TW", "KH-UBND", "(PC04)",
                   "/nb"],
    "_SIGN_TOKEN": ["a", "x", "1", "/", " ", ".", "T", "K", "Q", "M", "L", "UQ", "/M", "/T", "ỦY", "CHỦ"],
    "_UNIT_MENTION": ["a", "đ", "x", "T", "1", " ", "\t", "tỉnh", "Tỉnh", "ủy", "uỷ", "Lai", "Châu", "Điện", "Biên"],
}


@pytest.mark.parametrize("name", sorted(_PLAIN))
@settings(max_examples=300, deadline=None)
@given(data=st.data())
@example(data=None)
def test_a_rewritten_pattern_finds_what_its_plain_form_finds(name: str, data: st.DataObject | None) -> None:
    fast, plain = _PLAIN[name]
    assert fast.pattern != plain.pattern
    if data is None:  # the cases at the edge of each look-behind
        texts = ["/57/NQ", "a57/NQ", ".57-NQ", "+57/NQ", "57/NQ", "aKT. CHỦ", "/TM. ỦY", "K/T. CHỦ", "1Q. CHỦ",
                 "TUQ. CHỦ", "xtỉnh Lai", "đTỉnh ủy Điện Biên", "tỉnh Lai Châu", "Ttỉnh Lai"]
    else:
        texts = ["".join(data.draw(st.lists(st.sampled_from(_PIECES[name]), max_size=12)))]
    for text in texts:
        found = [(m.span(), m.groups()) for m in fast.finditer(text)]
        assert found == [(m.span(), m.groups()) for m in plain.finditer(text)], text


def test_the_plain_forms_still_find_what_the_readers_need() -> None:
    # (So that the property above compares patterns that match something.)
    assert [m.group(0) for m in _PLAIN["DOC_NUMBER"][1].finditer("Nghị quyết số 57- NQ/TW, a12/KH")] == ["57- NQ/TW"]
    assert _PLAIN["_SIGN_TOKEN"][1].search("KT. CHỦ TỊCH") and not _PLAIN["_SIGN_TOKEN"][1].search("aKT. CHỦ")
    assert _PLAIN["_UNIT_MENTION"][1].search("Tỉnh ủy Lai Châu")["name"] == "Lai Châu"


_TAIL_PIECES = ["và", "của", "những", "hoặc", "được", "trong", "tháng", "Quý", "số", "a", "đ", "1", " ", "\n", ",", "-",
                "–", "(", "/", "&", ".", ";", "?", "Sở Y tế", "THEO", "Về", "kinh"]


def _ends() -> dict[str, tuple[re.Pattern[str], int]]:
    """The end-anchored patterns searched in their last characters, with their reach."""
    from plankg.loaders import clean, flattened

    return {"_DANGLING": (flattened._DANGLING, flattened._DANGLING_REACH),
            "_ENDS_SENTENCE": (flattened._ENDS_SENTENCE, 2), "_NEEDS_NUMBER": (flattened._NEEDS_NUMBER, 6),
            "_HYPHEN_END": (clean._HYPHEN_END, 3)}


@pytest.mark.parametrize("name", ["_DANGLING", "_ENDS_SENTENCE", "_NEEDS_NUMBER", "_HYPHEN_END"])
@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(st.sampled_from(_TAIL_PIECES), max_size=12))
@example(pieces=["Sở Y tế", " ", "những", "\n"])  # the longest words, before a final line end
@example(pieces=["a", "những", "\n"])
@example(pieces=["Quý", " ", "tháng", "\n"])
@example(pieces=["kinh", "-", "\n"])
@example(pieces=["Về", ";", "\n"])
def test_an_end_is_found_in_the_last_characters_as_in_the_whole_text(name: str, pieces: list[str]) -> None:
    rx, reach = _ends()[name]
    text = "".join(pieces)
    found, everywhere = P.search_end(rx, text, reach), rx.search(text)
    assert (found and (found.span(), found.group())) == (everywhere and (everywhere.span(), everywhere.group()))
