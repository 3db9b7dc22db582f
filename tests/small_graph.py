"""A small fixed graph for golden-file tests: a province plan and a ward plan applying it.

Two tiny documents cover every node kind and edge relation of the RDF export: a placeholder
national resolution, tasks with lead, support, deadlines, a recurrence and products, a
collective lead agency, a target, agency hierarchy, and lineage links that are proposed,
confirmed (by a person) and rejected (by a person).

Its exports are the golden files in ``tests/data/expected/rdf/``; after an intended change
of the export, regenerate them with ``python scripts/regen_golden.py`` and review the diff.
"""

from __future__ import annotations

import networkx as nx

from plankg.graph import build_graph
from plankg.graph.link import Curation, Decision
from plankg.loaders import load_text
from plankg.model import DocumentRecord, LinkStatus


def _table(*rows: tuple[str, ...]) -> str:
    return "".join("| " + " | ".join(row) + " |\n" for row in rows)


PROVINCE_PLAN = """\
ỦY BAN NHÂN DÂN
TỈNH LAI CHÂU
Số: 12/KH-UBND
Lai Châu, ngày 10 tháng 3 năm 2026

KẾ HOẠCH
Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về phát triển khoa học, công nghệ

I. MỤC TIÊU
Đến năm 2030, tỷ lệ dân số trưởng thành có điện thoại thông minh đạt trên 80%.
II. NHIỆM VỤ
""" + _table(
    ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Sản phẩm"),
    ("1", "Phát triển hạ tầng số đồng bộ, hiện đại", "Sở Khoa học và Công nghệ", "Sở Tài chính", "Năm 2026",
     "Báo cáo kết quả"),
    ("2", "Đào tạo nguồn nhân lực công nghệ số cho cán bộ, công chức", "các sở, ngành có liên quan", "Sở Nội vụ",
     "Quý III/2026", ""),
    ("3", "Báo cáo tình hình thực hiện chuyển đổi số", "Sở Khoa học và Công nghệ", "", "Hằng quý", "Báo cáo"),
)

WARD_PLAN = """\
ỦY BAN NHÂN DÂN
PHƯỜNG ĐOÀN KẾT
Số: 5/KH-UBND
Đoàn Kết, ngày 20 tháng 3 năm 2026

KẾ HOẠCH
Triển khai Kế hoạch số 12/KH-UBND ngày 10/3/2026 của UBND tỉnh Lai Châu

""" + _table(
    ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"),
    ("1", "Phát triển hạ tầng số đồng bộ, hiện đại trên địa bàn phường", "Phòng Văn hóa - Xã hội", "Công an phường",
     "Tháng 12/2026"),
    ("2", "Đào tạo nguồn nhân lực công nghệ số cho cán bộ phường", "", "", "Quý I/2027"),
    ("3", 'Tổ chức "Ngày hội chuyển đổi số" cho người dân', "Công an phường", "", ""),
)


def small_records() -> list[DocumentRecord]:
    return [load_text(PROVINCE_PLAN, source="12-kh-ubnd.txt"), load_text(WARD_PLAN, source="5-kh-ubnd.txt")]


# Document ids as the loaders make them (their scheme may change; the tests follow it).
PROVINCE, WARD = (record.document.id for record in small_records())


def curation() -> Curation:
    """A person confirmed the ward's task 1 and rejected task 3's link to the province's task 3."""
    return Curation([
        Decision(f"{WARD}#r1", f"{PROVINCE}#II/r1", LinkStatus.CONFIRMED, "đã kiểm tra", 2),
        Decision(f"{WARD}#r3", f"{PROVINCE}#II/r3", LinkStatus.REJECTED, "sáng kiến riêng của phường", 3),
    ])


def build_small_graph() -> nx.MultiDiGraph:
    return build_graph(small_records(), curation=curation())
