"""Tests for plankg.loaders.deadlines: field values, running-text phrases, properties."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plankg.loaders.deadlines import find_deadline, parse_deadline
from plankg.model import Deadline
from plankg.normalize import collapse_spaces, nfc

D = dt.date
CORPUS = Path(__file__).resolve().parents[1] / "plankg" / "data" / "corpus"

# (value, start, end, continuous, recurrence)
FIELD_CASES: list[tuple[str, D | None, D | None, bool, str | None]] = [
    ("Năm 2026", D(2026, 1, 1), D(2026, 12, 31), False, None),
    ("Năm 2026.", D(2026, 1, 1), D(2026, 12, 31), False, None),
    ("năm 2026", D(2026, 1, 1), D(2026, 12, 31), False, None),
    ("2026", D(2026, 1, 1), D(2026, 12, 31), False, None),
    ("Giai đoạn 2026-2030", D(2026, 1, 1), D(2030, 12, 31), False, None),
    ("giai đoạn 2026 - 2030", D(2026, 1, 1), D(2030, 12, 31), False, None),
    ("Giai đoạn 2026 – 2030", D(2026, 1, 1), D(2030, 12, 31), False, None),
    ("Năm 2026-2027", D(2026, 1, 1), D(2027, 12, 31), False, None),
    (
        "Thường xuyên, liên tục trong cả giai đoạn 2026-2030.",
        D(2026, 1, 1),
        D(2030, 12, 31),
        True,
        None,
    ),
    (
        "Thường xuyên, liên tục trong giai đoạn 2026-2030",
        D(2026, 1, 1),
        D(2030, 12, 31),
        True,
        None,
    ),
    ("Thường xuyên", None, None, True, None),
    ("Thường xuyên.", None, None, True, None),
    ("Liên tục", None, None, True, None),
    ("Hằng năm", None, None, True, "yearly"),
    ("Hàng năm", None, None, True, "yearly"),
    ("Hằng tháng", None, None, True, "monthly"),
    ("Hàng quý", None, None, True, "quarterly"),
    ("Hằng tuần", None, None, True, "weekly"),
    ("Định kỳ 6 tháng", None, None, True, "semiannual"),
    ("06 tháng một lần", None, None, True, "semiannual"),
    ("Định kỳ 6 tháng, hằng năm", None, None, True, "semiannual"),
    ("Trước ngày 15/12 hằng năm", None, None, False, "yearly"),
    ("Quý II/2026", D(2026, 4, 1), D(2026, 6, 30), False, None),
    ("Quý 2 năm 2026", D(2026, 4, 1), D(2026, 6, 30), False, None),
    ("quý II năm 2026", D(2026, 4, 1), D(2026, 6, 30), False, None),
    ("Quý I/2026", D(2026, 1, 1), D(2026, 3, 31), False, None),
    ("Quý III/2026", D(2026, 7, 1), D(2026, 9, 30), False, None),
    ("Quý IV/2026", D(2026, 10, 1), D(2026, 12, 31), False, None),
    ("Quý 4 năm 2026", D(2026, 10, 1), D(2026, 12, 31), False, None),
    ("Trước quý III/2026", None, D(2026, 9, 30), False, None),
    ("Tháng 8/2026", D(2026, 8, 1), D(2026, 8, 31), False, None),
    ("tháng 8 năm 2026", D(2026, 8, 1), D(2026, 8, 31), False, None),
    ("Tháng 02/2028", D(2028, 2, 1), D(2028, 2, 29), False, None),
    ("Trong tháng 8/2026", None, D(2026, 8, 31), False, None),
    ("30/6/2026", None, D(2026, 6, 30), False, None),
    ("Trước ngày 30/6/2026", None, D(2026, 6, 30), False, None),
    ("Trước ngày 30 tháng 6 năm 2026", None, D(2026, 6, 30), False, None),
    ("Chậm nhất ngày 15/7/2026", None, D(2026, 7, 15), False, None),
    ("6 tháng đầu năm 2026", D(2026, 1, 1), D(2026, 6, 30), False, None),
    ("6 tháng cuối năm 2026", D(2026, 7, 1), D(2026, 12, 31), False, None),
    ("9 tháng đầu năm 2026", D(2026, 1, 1), D(2026, 9, 30), False, None),
    ("Năm 2026 và các năm tiếp theo", D(2026, 1, 1), None, True, None),
    ("Từ năm 2026", D(2026, 1, 1), None, False, None),
    ("Từ năm 2026 trở đi", D(2026, 1, 1), None, True, None),
    ("Từ năm 2026 đến năm 2030", D(2026, 1, 1), D(2030, 12, 31), False, None),
    ("Từ tháng 3/2026 đến tháng 6/2026", D(2026, 3, 1), D(2026, 6, 30), False, None),
    ("Đến hết năm 2027", None, D(2027, 12, 31), False, None),
    ("đến năm 2027", None, D(2027, 12, 31), False, None),
    ("Theo tiến độ dự án", None, None, False, None),
    ("Trước ngày 31/2/2026", None, None, False, None),
    ("Tháng 13/2026", None, None, False, None),
    ("Giai đoạn 2030-2026", None, None, False, None),
    ("Từ năm 2030 đến năm 2026", None, None, False, None),
]


@pytest.mark.parametrize(("value", "start", "end", "continuous", "recurrence"), FIELD_CASES)
def test_parse_deadline(
    value: str, start: D | None, end: D | None, continuous: bool, recurrence: str | None
) -> None:
    got = parse_deadline(value)
    assert got is not None
    assert (got.start, got.end, got.continuous, got.recurrence) == (
        start,
        end,
        continuous,
        recurrence,
    )


@pytest.mark.parametrize(("value", "start", "end", "continuous", "recurrence"), FIELD_CASES)
def test_parse_deadline_ignores_case_and_unicode_form(
    value: str, start: D | None, end: D | None, continuous: bool, recurrence: str | None
) -> None:
    for variant in (value.upper(), unicodedata.normalize("NFD", value)):
        got = parse_deadline(variant)
        assert got is not None
        assert (got.start, got.end, got.continuous, got.recurrence) == (
            start,
            end,
            continuous,
            recurrence,
        )


def test_parse_deadline_text_is_nfc_collapsed_without_final_punctuation() -> None:
    got = parse_deadline("  Thường   xuyên,\tliên tục trong\ngiai đoạn 2026-2030 ;. ")
    assert got is not None
    assert got.text == "Thường xuyên, liên tục trong giai đoạn 2026-2030"
    nfd = parse_deadline(unicodedata.normalize("NFD", "Quý II/2026."))
    assert nfd is not None
    assert nfd.text == "Quý II/2026"
    assert unicodedata.is_normalized("NFC", nfd.text)


def test_parse_deadline_keeps_uninterpretable_text() -> None:
    assert parse_deadline("Theo tiến độ dự án") == Deadline(text="Theo tiến độ dự án")
    assert parse_deadline("Trước ngày 31/2/2026.") == Deadline(text="Trước ngày 31/2/2026")


@pytest.mark.parametrize("value", ["", " ", "\n\t ", "\u00a0", ".", " ; "])
def test_parse_deadline_blank_is_none(value: str) -> None:
    assert parse_deadline(value) is None


def test_parse_deadline_date_broken_by_a_line_join() -> None:
    for value in ("Trước ngày 30 tháng 3 năm\n2026", "Trước ngày 30 tháng 3 năm 2026"):
        got = parse_deadline(value)
        assert got is not None
        assert (got.start, got.end) == (None, D(2026, 3, 30))
        assert got.text == "Trước ngày 30 tháng 3 năm 2026"


def test_parse_deadline_extra_spaces() -> None:
    got = parse_deadline("Quý   II  /  2026")
    assert got is not None
    assert (got.start, got.end, got.text) == (D(2026, 4, 1), D(2026, 6, 30), "Quý II / 2026")


def test_deadline_field_values_of_the_shipped_corpus_all_have_dates() -> None:
    label = re.compile(r"Thời gian hoàn thành:\s*(.+)$")
    values = [
        match.group(1)
        for path in sorted(CORPUS.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if (match := label.search(line))
    ]
    assert values, "the corpus should hold explicit deadline fields"
    for value in values:
        got = parse_deadline(value)
        assert got is not None
        assert got.start == D(2026, 1, 1), value
        assert got.end is not None, value


# --- find_deadline -----------------------------------------------------------------

# (running text, expected text or None for "not checked", start, end, continuous, recurrence)
PHRASE_CASES: list[tuple[str, str | None, D | None, D | None, bool, str | None]] = [
    (
        "Chủ trì rà soát, đôn đốc các chủ đầu tư tập trung đẩy nhanh tiến độ thi công "
        "đảm bảo hoàn thành dự án trong tháng 8/2026.",
        "trong tháng 8/2026",
        None,
        D(2026, 8, 31),
        False,
        None,
    ),
    (
        "- Chủ trì, phối hợp với chủ đầu tư và các sở, ngành có liên quan rà soát tiến độ "
        "các dự án đã khởi công năm 2025, đôn đốc các chủ đầu tư tập trung đẩy nhanh tiến "
        "độ thi công đảm bảo hoàn thành dự án trong tháng 8/2026.",
        "trong tháng 8/2026",
        None,
        D(2026, 8, 31),
        False,
        None,
    ),
    (
        "c) Công an tỉnh hoàn thiện hồ sơ, thủ tục trình phê duyệt 06 dự án khởi công mới "
        "trong tháng 4/2026. Chỉ đạo các nhà thầu đẩy nhanh tiến độ thi công.",
        "trong tháng 4/2026",
        None,
        D(2026, 4, 30),
        False,
        None,
    ),
    (
        "Báo cáo kết quả gửi Ủy ban nhân dân tỉnh (qua Sở Tài chính) trước ngày 10/4/2026.",
        "trước ngày 10/4/2026",
        None,
        D(2026, 4, 10),
        False,
        None,
    ),
    (
        "Báo cáo kết quả gửi Ủy ban nhân dân tỉnh *(qua Sở Tài chính)* **trước ngày 10/4/2026.**",
        "trước ngày 10/4/2026",
        None,
        D(2026, 4, 10),
        False,
        None,
    ),
    (
        "bảo đảm đúng tiến độ, chất lượng, hiệu quả; báo cáo UBND phường (qua Phòng Kinh tế, "
        "Hạ tầng và Đô thị) trước ngày 15 tháng 10 hằng năm để tổng hợp báo cáo theo quy định.",
        "trước ngày 15 tháng 10 hằng năm",
        None,
        None,
        False,
        "yearly",
    ),
    (
        "chủ động làm việc với Bộ Tài chính để bám, nắm tình hình; báo cáo UBND tỉnh vào "
        "thứ 2 hằng tuần.",
        "vào thứ 2 hằng tuần",
        None,
        None,
        False,
        "weekly",
    ),
    (
        "phù hợp với điều kiện cụ thể của cơ quan, đơn vị, địa phương (thực hiện thường xuyên).",
        "thực hiện thường xuyên",
        None,
        None,
        True,
        None,
    ),
    (
        "phù hợp với điều kiện cụ thể của cơ quan, đơn vị, địa phương (*thực hiện thường xuyên*).",
        "thực hiện thường xuyên",
        None,
        None,
        True,
        None,
    ),
    (
        "Các huyện ủy, thị ủy, thành ủy xây dựng, ban hành Chương trình hành động thực hiện "
        "Kế hoạch này (trong quý III năm 2022), phấn đấu đạt tiêu chí loại đô thị.",
        "trong quý III năm 2022",
        D(2022, 7, 1),
        D(2022, 9, 30),
        False,
        None,
    ),
    (
        "Các huyện ủy ban hành Chương trình hành động (*trong quý III năm 2022*), phấn đấu.",
        "trong quý III năm 2022",
        D(2022, 7, 1),
        D(2022, 9, 30),
        False,
        None,
    ),
    (
        "Dự án Tuyến đường đoạn Km15+800/QL279 hoàn thành trước năm 2030*); nghiên cứu Dự án.",
        "trước năm 2030",
        None,
        D(2030, 12, 31),
        False,
        None,
    ),
    (
        "Tổ chức thực hiện trong năm 2026.",
        "trong năm 2026",
        D(2026, 1, 1),
        D(2026, 12, 31),
        False,
        None,
    ),
    (
        "Hoàn thành trước ngày 30 tháng 6 năm 2026.",
        "trước ngày 30 tháng 6 năm 2026",
        None,
        D(2026, 6, 30),
        False,
        None,
    ),
    ("Hoàn thành trước ngày 30 tháng 3 năm 2026.", None, None, D(2026, 3, 30), False, None),
    ("Báo cáo kết quả định kỳ 6 tháng.", "định kỳ 6 tháng", None, None, True, "semiannual"),
    ("Báo cáo kết quả hằng tháng.", "hằng tháng", None, None, True, "monthly"),
    ("Báo cáo kết quả hàng tháng.", "hàng tháng", None, None, True, "monthly"),
    ("Báo cáo kết quả hằng quý.", "hằng quý", None, None, True, "quarterly"),
    ("Báo cáo kết quả hàng quý.", "hàng quý", None, None, True, "quarterly"),
    ("Báo cáo định kỳ hằng năm.", "định kỳ hằng năm", None, None, True, "yearly"),
    (
        "Gửi báo cáo trước ngày 20 hằng tháng.",
        "trước ngày 20 hằng tháng",
        None,
        None,
        False,
        "monthly",
    ),
    (
        "Hoàn thành chậm nhất ngày 15/7/2026.",
        "chậm nhất ngày 15/7/2026",
        None,
        D(2026, 7, 15),
        False,
        None,
    ),
    ("Nộp hồ sơ đến ngày 30/9/2026.", "đến ngày 30/9/2026", None, D(2026, 9, 30), False, None),
    (
        "Hoàn thành giải phóng mặt bằng đến hết tháng 6/2026.",
        "đến hết tháng 6/2026",
        None,
        D(2026, 6, 30),
        False,
        None,
    ),
    (
        "Hoàn thành việc lập hồ sơ ngày 30/6/2026.",
        "ngày 30/6/2026",
        None,
        D(2026, 6, 30),
        False,
        None,
    ),
    (
        "Triển khai trong 6 tháng đầu năm 2026.",
        "trong 6 tháng đầu năm 2026",
        D(2026, 1, 1),
        D(2026, 6, 30),
        False,
        None,
    ),
    ("Ban hành kế hoạch (Quý II/2026).", "Quý II/2026", D(2026, 4, 1), D(2026, 6, 30), False, None),
    (
        "Hoàn thành xây dựng trong giai đoạn 2026-2030.",
        "trong giai đoạn 2026-2030",
        D(2026, 1, 1),
        D(2030, 12, 31),
        False,
        None,
    ),
    (
        "Xây dựng kế hoạch chi tiết. Thời gian hoàn thành: Quý II/2026.",
        "Quý II/2026",
        D(2026, 4, 1),
        D(2026, 6, 30),
        False,
        None,
    ),
    (
        "Thời gian thực hiện: Thường xuyên, liên tục trong giai đoạn 2026-2030",
        "Thường xuyên, liên tục trong giai đoạn 2026-2030",
        D(2026, 1, 1),
        D(2030, 12, 31),
        True,
        None,
    ),
    (
        "Phấn đấu hoàn thành dự án vào năm 2026.",
        "vào năm 2026",
        D(2026, 1, 1),
        D(2026, 12, 31),
        False,
        None,
    ),
    # The last dated phrase wins.
    (
        "Hoàn thành 50% trong năm 2026, hoàn thành toàn bộ trước ngày 30/6/2027.",
        "trước ngày 30/6/2027",
        None,
        D(2027, 6, 30),
        False,
        None,
    ),
    # A dated phrase beats a later undated one.
    (
        "Hoàn thành trước ngày 30/6/2026; thực hiện thường xuyên.",
        "trước ngày 30/6/2026",
        None,
        D(2026, 6, 30),
        True,
        None,
    ),
    # Recurrence from one phrase, end from the other.
    (
        "Báo cáo hằng quý, hoàn thành trước ngày 31/12/2026.",
        "hằng quý, hoàn thành trước ngày 31/12/2026",
        None,
        D(2026, 12, 31),
        True,
        "quarterly",
    ),
    (
        "Báo cáo hằng quý. Hoàn thành trước ngày 31/12/2026.",
        "trước ngày 31/12/2026",
        None,
        D(2026, 12, 31),
        True,
        "quarterly",
    ),
    # An impossible date keeps its phrase without dates.
    ("Hoàn thành trước ngày 31/2/2026.", "trước ngày 31/2/2026", None, None, False, None),
]


@pytest.mark.parametrize(
    ("text", "phrase", "start", "end", "continuous", "recurrence"), PHRASE_CASES
)
def test_find_deadline(
    text: str,
    phrase: str | None,
    start: D | None,
    end: D | None,
    continuous: bool,
    recurrence: str | None,
) -> None:
    got = find_deadline(text)
    assert got is not None
    if phrase is not None:
        assert got.text == phrase
    assert (got.start, got.end, got.continuous, got.recurrence) == (
        start,
        end,
        continuous,
        recurrence,
    )


@pytest.mark.parametrize(
    ("text", "phrase", "start", "end", "continuous", "recurrence"), PHRASE_CASES
)
def test_find_deadline_ignores_case_and_unicode_form(
    text: str,
    phrase: str | None,
    start: D | None,
    end: D | None,
    continuous: bool,
    recurrence: str | None,
) -> None:
    for variant in (text.upper(), unicodedata.normalize("NFD", text)):
        got = find_deadline(variant)
        assert got is not None
        assert (got.start, got.end, got.continuous, got.recurrence) == (
            start,
            end,
            continuous,
            recurrence,
        )


@pytest.mark.parametrize(
    "text",
    [
        "Nghiên cứu xây dựng các quy hoạch về phát triển đô thị tỉnh Điện Biên đến năm 2030, "
        "tầm nhìn đến năm 2045.",
        "Thực hiện Nghị quyết số 06-NQ/TW ngày 24/01/2022 của Bộ Chính trị",
        "Căn cứ Quyết định số 95/QĐ-TTg ngày 16 tháng 11 năm 2023 của Thủ tướng Chính phủ",
        "Hoàn thành Kế hoạch số 12/KH-UBND ngày 5/3/2026 của UBND tỉnh",
        "rà soát tiến độ các dự án đã khởi công năm 2025",
        "rà soát các dự án đã khởi công trong năm 2025",
        "Các dự án đã hoàn thành đưa vào sử dụng vào năm 2025",
        "Dự án đã hoàn thành trước năm 2025",
        "Kế hoạch phát triển kinh tế - xã hội năm 2026",
        "Kế hoạch đầu tư công trung hạn giai đoạn 2026-2030 và hằng năm của thành phố",
        "tăng trưởng GRDP bình quân hàng năm đạt khoảng từ 9 đến 11%",
        "thu nhập bình quân hàng tháng của người lao động",
        "Số liệu tính đến ngày 31/12/2025",
        "Đẩy nhanh tiến độ hoàn thành Quy hoạch tỉnh Điện Biên thời kỳ 2021- 2030, tầm nhìn "
        "đến năm 2050, quy hoạch xây dựng vùng liên huyện",
        "Thiết lập cơ chế phối hợp thường xuyên, trực tiếp với Bộ Xây dựng",
        "Định kỳ báo cáo kết quả thực hiện với Ban Thường vụ Thành ủy.",
        "Hoàn thành 1500 căn hộ năm 2026 là mục tiêu",
        "Thực hiện các mục tiêu (giai đoạn 2021-2025)",
        "",
        "   ",
    ],
)
def test_find_deadline_ignores_scope_history_and_citations(text: str) -> None:
    assert find_deadline(text) is None


def test_find_deadline_date_broken_by_a_line_join() -> None:
    got = find_deadline("báo cáo UBND tỉnh trước ngày 30 tháng 3 năm\n2026 để tổng hợp")
    assert got is not None
    assert (got.text, got.end) == ("trước ngày 30 tháng 3 năm 2026", D(2026, 3, 30))


def test_find_deadline_extra_spaces() -> None:
    got = find_deadline("hoàn thành   dự án  trong   tháng  8 / 2026 .")
    assert got is not None
    assert (got.text, got.start, got.end) == ("trong tháng 8 / 2026", None, D(2026, 8, 31))


def test_find_deadline_on_the_shipped_corpus_finds_only_cued_phrases() -> None:
    found = {
        got.text
        for path in sorted(CORPUS.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if (got := find_deadline(line)) is not None
    }
    assert "trước ngày 15 tháng 10 hằng năm" in found
    assert "trong tháng 8/2026" in found
    assert not any("đến năm" in text for text in found)


# --- Properties --------------------------------------------------------------------

_FRAGMENTS = st.sampled_from(
    [
        "trước",
        "ngày",
        "đến",
        "hết",
        "trong",
        "tháng",
        "quý",
        "năm",
        "từ",
        "hoàn thành",
        "đã",
        "số",
        "hằng",
        "hàng",
        "định kỳ",
        "thường xuyên",
        "liên tục",
        "giai đoạn",
        "6",
        "8",
        "30",
        "31",
        "2",
        "13",
        "II",
        "IV",
        "2026",
        "2030",
        "1999",
        "/",
        "-",
        "(",
        ")",
        ".",
        ";",
        ",",
        ":",
        "*",
        "\n",
        "Thời gian hoàn thành",
        "tuần",
        "thứ",
        "các năm tiếp theo",
        "đầu",
        "cuối",
        "một lần",
    ]
)
_PLANLIKE = st.lists(_FRAGMENTS, max_size=25).map(" ".join)
# Fragments glued without spaces reach the regexes' edge cases ("năm2026", "30/6/2026)").
_GLUED = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=3))).map("".join)
_ANY_TEXT = st.one_of(st.text(), _PLANLIKE, _GLUED)


def _flat(text: str) -> str:
    return collapse_spaces(re.sub(r"\s+", " ", nfc(text)))


@settings(database=None, max_examples=300)
@given(_ANY_TEXT)
def test_parse_deadline_never_raises_and_keeps_the_text(text: str) -> None:
    got = parse_deadline(text)
    if got is None:
        assert not _flat(text).strip(" .;")
    else:
        assert got.text == _flat(text).rstrip(" .;")
        assert got.start is None or got.end is None or got.start <= got.end


@settings(database=None, max_examples=300)
@given(_ANY_TEXT)
def test_find_deadline_never_raises_and_returns_a_slice_of_the_input(text: str) -> None:
    got = find_deadline(text)
    if got is not None:
        assert got.text
        assert got.text in _flat(text)
        assert got.recurrence in (None, "weekly", "monthly", "quarterly", "semiannual", "yearly")


def test_no_deadline_ends_before_the_year_the_plan_was_issued() -> None:
    # "trước ngày 01 tháng 01 năm 1945" in a 2026 plan names who is eligible, and "Trong năm
    # 2025" what was done: neither is a deadline. Due dates of the plan's own year are kept,
    # and so is a schedule.
    from plankg.loaders import load_text

    record = load_text(
        "UBND TỈNH LÂM ĐỒNG\nSố: 5/KH-UBND\nLâm Đồng, ngày 10 tháng 3 năm 2026\nKẾ HOẠCH\nHỗ trợ nhà ở\n"
        "1. Hỗ trợ người hoạt động cách mạng trước ngày 01 tháng 01 năm 1945.\n"
        "2. Trong năm 2025, công tác cải cách hành chính tiếp tục được quan tâm.\n"
        "3. Sở Xây dựng chủ trì rà soát danh sách, hoàn thành trước ngày 30/6/2026.\n"
        "4. Sở Xây dựng chủ trì báo cáo hằng quý từ năm 2024.\n", source="a.txt")
    deadlines = [t.deadline.to_dict() if t.deadline else None for t in record.tasks]
    assert deadlines[:2] == [None, None]
    assert deadlines[2] is not None and deadlines[2]["end"] == "2026-06-30"
    assert deadlines[3] is not None and deadlines[3]["recurrence"] == "quarterly"
