"""The issuer read from a header written in capitals keeps its abbreviations and names exact."""

from __future__ import annotations

import pytest

from plankg.loaders import load_text

BODY = "\nSố: 12/KH-UBND\nKon Tum, ngày 10 tháng 3 năm 2022\nKẾ HOẠCH\nThu hút đầu tư\nI. NHIỆM VỤ\n1. Xây dựng.\n"


@pytest.mark.parametrize(("header", "issuer", "jurisdiction"), [
    ("UBND TỈNH KON TUM", "UBND tỉnh Kon Tum", "tỉnh Kon Tum"),
    ("ỦY BAN NHÂN DÂN TỈNH KON TUM", "UBND tỉnh Kon Tum", "tỉnh Kon Tum"),
    ("HĐND TỈNH ĐIỆN BIÊN", "HĐND tỉnh Điện Biên", "tỉnh Điện Biên"),
    ("UBND HUYỆN MƯỜNG TÈ", "UBND huyện Mường Tè", "huyện Mường Tè"),
    ("UBND PHƯỜNG ĐOÀN KẾT", "UBND phường Đoàn Kết", "phường Đoàn Kết"),
])
def test_an_issuer_in_capitals_keeps_its_abbreviation(header: str, issuer: str, jurisdiction: str) -> None:
    document = load_text(header + BODY, source="a.txt").document
    assert (document.issuer, document.jurisdiction) == (issuer, jurisdiction)
