"""Property tests: the loader never raises, normalisation is idempotent, ids are stable."""

from __future__ import annotations

import unicodedata
from typing import Any

from conftest import CORPUS, SEED_NAMES
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from plankg.loaders import load_text
from plankg.loaders.patterns import BOOKMARK
from plankg.normalize import fold, modern_tones, nfc, search_key, slugify, strip_accents

# Lines made of plan vocabulary, so the generator reaches deep parser paths.
_FRAGMENTS = [
    "I. NHIỆM VỤ", "1. Mục tiêu", "1.1. Nội dung:", "a) Sở Y tế", "- Cơ quan chủ trì: Sở Tài chính",
    "- Thời gian hoàn thành: Năm 2026", "+ Đầu tư", "(1). Tỷ lệ che phủ rừng 45,83%",
    "Căn cứ Kế hoạch số 3045/KH-UBND ngày 22/4/2026 của UBND tỉnh Lai Châu", "Số: /KH-UBND",
    "Thực hiện Nghị quyết số 06-NQ/TW", "KẾ HOẠCH", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nơi nhận:",
    "Trên đây là", "| STT | Nội dung |", "trong quý III năm 2022", "**", "[bookmark: x]", "¹ Ghi chú",
    "Nghị quyết số 66-NQ/TW²", "[bookmark: Sở Tài chính]",
    "Đoàn Kết, ngày tháng năm 2026",
]
plan_text = st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=40)), max_size=30).map("\n".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), plan_text))
def test_loader_never_raises(text: str) -> None:
    record = load_text(text, source="fuzz.txt")
    _check_ids(record)


def _check_ids(record: Any) -> None:
    """Ids are unique per kind; a task is one of the section items, a target is not."""
    sections = [s.id for s in record.sections]
    tasks = [t.id for t in record.tasks]
    targets = [t.id for t in record.targets]
    for ids in (sections, tasks, targets):
        assert len(ids) == len(set(ids))
    assert set(tasks) <= set(sections)
    assert not set(targets) & set(sections)


@given(st.text())
def test_normalisation_is_idempotent(text: str) -> None:
    for function in (nfc, fold, modern_tones, search_key, slugify):
        once = function(text)
        assert function(once) == once


def _bare_by_definition(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").replace("đ", "d").replace("Đ", "D")


@given(st.one_of(st.text(), plan_text, st.text(alphabet=st.characters(min_codepoint=0xC0, max_codepoint=0x1EFF))))
def test_stripping_accents_by_table_is_removing_the_marks_of_nfd(text: str) -> None:
    assert strip_accents(text) == _bare_by_definition(text)


@settings(max_examples=50, deadline=None)
@given(plan_text)
def test_ids_are_stable_across_parses(text: str) -> None:
    first, second = load_text(text, source="a.txt"), load_text(text, source="a.txt")
    assert first == second


def test_seed_ids_are_unique_and_repeatable() -> None:
    for name in SEED_NAMES:
        text = (CORPUS / name).read_text(encoding="utf-8")
        one, two = load_text(text, source=name), load_text(text, source=name)
        assert one.to_dict() == two.to_dict()
        _check_ids(one)


def test_seed_document_ids_are_distinct() -> None:
    ids = {load_text((CORPUS / n).read_text(encoding="utf-8"), source=n).document.id for n in SEED_NAMES}
    assert len(ids) == len(SEED_NAMES)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_text)
def test_every_line_with_any_character_is_accounted_for(text: str) -> None:
    """Nothing lost, strictly: every source line that is not blank is in a header, a section,
    the unparsed list, an annotation (bookmarks, footnotes) or (without a letter or digit) a
    decoration; and every bookmark is an annotation of its line."""
    from plankg.errors import InputError

    try:
        record = load_text(text, source="x.txt")
    except InputError:
        return
    seen = {n for part in record.with_attachments() for n in part.accounted_lines()}
    physical = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    wanted = {n for n, line in enumerate(physical, start=1) if line.strip()}
    assert sorted(wanted - seen) == []
    bookmarks = [(n, m.group()) for n, line in enumerate(physical, start=1) for m in BOOKMARK.finditer(nfc(line))]
    kept = [(a.line, f"[bookmark:{a.text}]") for part in record.with_attachments() for a in part.annotations
            if a.kind == "bookmark"]
    assert [n for n, _ in sorted(kept)] == [n for n, _ in bookmarks]


# A few words of names, in any case, glued or parted by blanks and punctuation: small enough
# that a name's words meet, repeat and touch letters, digits and "_" often.
_NAME_WORDS = ["ban", "BAN", "Ban", "bàn", "BÀN", "đ", "Đ", "x"]
_name_text = st.lists(st.one_of(st.sampled_from([*_NAME_WORDS, "2", "_"]),
                                st.sampled_from([" ", "  ", "\n", ",", "-"])), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@example(text="Ban BAN ban Ban", name="ban ban", expanded=False)  # runs that overlap: matches do not
@given(text=_name_text, name=st.lists(st.sampled_from(_NAME_WORDS), min_size=1, max_size=3).map(" ".join),
       expanded=st.booleans())
def test_a_name_is_found_as_its_pattern_finds_it(text: str, name: str, expanded: bool) -> None:
    """The runs of a name's words that recase looks at are the matches of the pattern it used
    to compile per document, in the same order; also in text where a letter's lower case is
    longer (the slow path)."""
    import re

    from plankg.loaders.document import _word_runs

    if expanded:
        text += " İ"  # "İ".lower() is two characters
    words = [w.lower() for w in name.split()]
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)", re.IGNORECASE)
    assert list(_word_runs(words, text)) == [m.span() for m in pattern.finditer(text)]
