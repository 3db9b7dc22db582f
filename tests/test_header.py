"""The issuer read from a header written in capitals keeps its abbreviations and names exact."""

from __future__ import annotations

import pytest

from plankg.graph import build_graph
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


NO_ISSUER_BLOCK = ("Số: 50/QĐ-TTg\nHà Nội, ngày 01 tháng 02 năm 2026\nKẾ HOẠCH\nPhát triển vùng\n"
                   "I. NHIỆM VỤ\n1. Xây dựng cơ sở dữ liệu.\n\n{sign}\n\nNguyễn Văn An\n")


@pytest.mark.parametrize(("sign", "issuer"), [
    # A national body's code in the number names the issuer, whatever the signature block
    # says, as a citation of the number reads it: one document, one id.
    ("TM. CHÍNH PHỦ\nTHỦ TƯỚNG", "Thủ tướng Chính phủ"),
    ("THỦ TƯỚNG", "Thủ tướng Chính phủ"),
])
def test_without_an_issuer_block_a_national_code_names_the_issuer(sign: str, issuer: str) -> None:
    record = load_text(NO_ISSUER_BLOCK.format(sign=sign), source="a.txt")
    assert record.document.issuer == issuer
    province = load_text("UBND TỈNH LAI CHÂU\nSố: 100/KH-UBND\nLai Châu, ngày 05 tháng 02 năm 2026\nKẾ HOẠCH\n"
                         "Thực hiện Kế hoạch số 50/QĐ-TTg\nI. NHIỆM VỤ\n1. Xây dựng.\n", source="b.txt")
    G = build_graph([record, province])
    assert G.has_edge(province.document.id, record.document.id, key="applies")
    assert not any(data.get("placeholder") for _, data in G.nodes(data=True) if data["kind"] == "document")


@pytest.mark.parametrize("joined", ["và Kế hoạch này đến cán bộ, đảng viên", "và kế hoạch này",
                                    "và Chương trình của Tỉnh ủy"])
def test_a_cited_documents_subject_ends_where_another_document_is_joined(joined: str) -> None:
    # "… tầm nhìn đến năm 2045 và Kế hoạch này đến cán bộ …": the subject of 06-NQ/TW (the
    # title its placeholder shows) ends before "và Kế hoạch này", which is not part of it.
    text = ("KẾ HOẠCH\nThực hiện nghị quyết\n1. Các cơ quan quán triệt Nghị quyết số 06-NQ/TW, ngày 24/01/2022 "
            "của Bộ Chính trị về quy hoạch, phát triển bền vững đô thị Việt Nam đến năm 2030, tầm nhìn đến năm "
            f"2045 {joined}, năm 2026.\n")
    (citation,) = load_text(text).citations
    assert citation.subject == ("về quy hoạch, phát triển bền vững đô thị Việt Nam đến năm 2030, tầm nhìn "
                                "đến năm 2045")


@pytest.mark.parametrize(("sentence", "numbers"), [
    # A symbol's part ends where its word ends: the start of a longer word is no number.
    ("Thực hiện Tờ trình 511/QUYẾT ĐỊNH phê duyệt của UBND tỉnh", []),
    ("Thực hiện Kế hoạch số 12/KH-UBND - Sở Tài chính chủ trì", ["12/KH-UBND"]),
    # Glued to the next word, as a PDF's text can be: the capitals, or a mixed-case code.
    ("Thực hiện Nghị quyết số 06-NQ/TWngày 24/01/2022 của Bộ Chính trị", ["06-NQ/TW"]),
    ("Thực hiện Quyết định số 1486/QĐ-TTgvề phát triển", ["1486/QĐ-TTg"]),
    ("Thực hiện Kế hoạch số 2233/KH-UBNDcủa UBND tỉnh", ["2233/KH-UBND"]),
    # What a word's end does not cut: a footnote mark, a department's suffix, a bracketed unit.
    ("Thực hiện Nghị quyết số 66-NQ/TW¹ của Bộ Chính trị", ["66-NQ/TW"]),
    ("Thực hiện Công văn số 4236/SXD-QLN&CS ngày 01/3/2026", ["4236/SXD-QLN&CS"]),
    ("Thực hiện Tờ trình số 511/TTr-CAT(PC04) ngày 01/3/2026", ["511/TTr-CAT(PC04)"]),
    ("Thực hiện Kết luận số 2587-CV/VPTW/nb của Văn phòng Trung ương", ["2587-CV/VPTW/nb"]),
])
def test_a_cited_number_ends_where_its_word_ends(sentence: str, numbers: list[str]) -> None:
    text = f"KẾ HOẠCH\nThực hiện nghị quyết\n1. {sentence}, năm 2026.\n"
    assert [c.number for c in load_text(text).citations] == numbers
