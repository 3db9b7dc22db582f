"""Nothing is silently lost: every source line with text is accounted for."""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import CORPUS, SEED_NAMES

from plankg.graph.workspace import record_from_dict
from plankg.loaders import load_text


def accounted_lines(record: dict[str, Any]) -> set[int]:
    """The lines the record's JSON accounts for, read back as the workspace reads it."""
    return record_from_dict(record).accounted_lines()


def text_lines(text: str) -> set[int]:
    return {i for i, line in enumerate(text.split("\n"), start=1) if re.search(r"\w", line)}


@pytest.mark.parametrize("name", SEED_NAMES)
def test_every_seed_line_is_accounted_for(seed_dicts: dict[str, Any], name: str) -> None:
    text = (CORPUS / name).read_text(encoding="utf-8")
    assert text_lines(text) - accounted_lines(seed_dicts[name]) == set()


def test_unrecognised_footer_line_is_reported_unparsed() -> None:
    text = "KẾ HOẠCH\nThử nghiệm\n1. Sở Y tế chủ trì.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n@@@ ### 123\nNguyễn Văn A\n"
    record = load_text(text, source="x.txt")
    assert [(u.line, u.text) for u in record.unparsed] == [(6, "@@@ ### 123")]
    assert record.document.signer is not None and record.document.signer.name == "Nguyễn Văn A"


def test_document_without_numbering_keeps_paragraphs_as_items() -> None:
    text = "THÔNG BÁO\nKết luận của Chủ tịch\nSở Xây dựng khẩn trương rà soát các dự án.\nSở Tài chính bố trí vốn.\n"
    record = load_text(text, source="tb.txt").to_dict()
    assert [t["lead"] for t in record["tasks"]] == [["Sở Xây dựng"], ["Sở Tài chính"]]
    assert text_lines(text) - accounted_lines(record) == set()


def test_province_name_does_not_run_on_to_the_next_line() -> None:
    text = ("ỦY BAN NHÂN DÂN\nPHƯỜNG ĐOÀN KẾT\nSố: 5/KH-UBND\nKẾ HOẠCH\nThử\n"
            "Căn cứ Kế hoạch số 9/KH-UBND của UBND tỉnh Lai Châu\nI. NHIỆM VỤ\n1. Phòng Kinh tế chủ trì.\n")
    record = load_text(text, source="a.txt")
    assert record.document.province == "tỉnh Lai Châu"
    assert record.document.id.startswith("tinh-lai-chau/ubnd-phuong-doan-ket/")
