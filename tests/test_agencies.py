"""Agency mentions: recognition, list splitting and canonical, jurisdiction-qualified names."""

from __future__ import annotations

import pytest

from plankg.loaders.agencies import Context, canonicalize, match_list, split_agencies, unit_of
from plankg.model import AgencyKind, Level

NATIONAL = Context(Level.NATIONAL)
PROVINCE = Context(Level.PROVINCE, "tỉnh Lai Châu")
WARD = Context(Level.COMMUNE, "tỉnh Lai Châu", None, "phường Đoàn Kết")
CITY_WARD = Context(Level.COMMUNE, "thành phố Hồ Chí Minh", None, "Phường 12")


@pytest.mark.parametrize(("text", "ctx", "expected"), [
    ("Sở Xây dựng chủ trì, phối hợp", PROVINCE, ["Sở Xây dựng tỉnh Lai Châu"]),
    ("Sở Nông nghiệp và môi trường phối hợp", PROVINCE, ["Sở Nông nghiệp và Môi trường tỉnh Lai Châu"]),
    ("Công an tỉnh tăng cường công tác", PROVINCE, ["Công an tỉnh Lai Châu"]),
    ("Trung tâm Phát triển Quỹ đất tỉnh phối hợp", PROVINCE, ["Trung tâm Phát triển quỹ đất tỉnh Lai Châu"]),
    ("Ban Tuyên giáo Tỉnh uỷ chủ trì", PROVINCE, ["Ban Tuyên giáo Tỉnh ủy Lai Châu"]),
    ("Chủ tịch Ủy ban nhân dân tỉnh Lai Châu:", PROVINCE, ["UBND tỉnh Lai Châu"]),
    ("Ban Chỉ huy quân sự phường, Công an phường.", WARD,
     ["Ban Chỉ huy quân sự phường Đoàn Kết", "Công an phường Đoàn Kết"]),
    ("Phòng Kinh tế, Hạ tầng và Đô thị; Phòng Văn hoá - Xã hội.", WARD,
     ["Phòng Kinh tế, Hạ tầng và Đô thị phường Đoàn Kết", "Phòng Văn hóa - Xã hội phường Đoàn Kết"]),
    ("Ủy ban nhân dân phường Tân Phong 2 ban hành", PROVINCE, ["UBND phường Tân Phong 2"]),
    ("UBND Phường 12 chủ trì", CITY_WARD, ["UBND Phường 12"]),
    ("Công an phường 3, Công an phường 4 phối hợp", CITY_WARD, ["Công an phường 3", "Công an phường 4"]),
    # "xã" ends the names of two bodies that are no commune: the news agency, a cooperative.
    ("Đài Truyền hình Việt Nam, Thông tấn xã Việt Nam, Đài Tiếng nói Việt Nam phối hợp", NATIONAL,
     ["Đài Truyền hình Việt Nam", "Thông tấn xã Việt Nam", "Đài Tiếng nói Việt Nam"]),
    ("UBND xã Tân Phong, Hợp tác xã Nông nghiệp Tân Phong thực hiện", PROVINCE,
     ["UBND xã Tân Phong", "Hợp tác xã Nông nghiệp Tân Phong tỉnh Lai Châu"]),
    ("Hội nghị đối thoại giữa doanh nghiệp", PROVINCE, []),
    ("Tăng cường công tác quản lý", PROVINCE, []),
])
def test_mentions_and_canonical_names(text: str, ctx: Context, expected: list[str]) -> None:
    mentions, _ = match_list(text)
    assert [canonicalize(m, ctx).name for m in mentions] == expected


@pytest.mark.parametrize(("text", "kind", "name"), [
    ("các cơ quan, đơn vị có liên quan", AgencyKind.COLLECTIVE, "các cơ quan, đơn vị có liên quan"),
    ("Các sở, ban, ngành tỉnh", AgencyKind.COLLECTIVE, "các sở, ban, ngành tỉnh"),
    ("UBND các xã phường", AgencyKind.DISTRIBUTIVE, "UBND các xã, phường"),
    ("Các huyện ủy, thị ủy, thành ủy", AgencyKind.DISTRIBUTIVE, "các huyện ủy, thị ủy, thành ủy"),
    ("UBND các xã khu vực biên giới", AgencyKind.DISTRIBUTIVE, "UBND các xã khu vực biên giới"),
])
def test_collective_phrases_are_one_entry(text: str, kind: AgencyKind, name: str) -> None:
    mentions, _ = match_list(text)
    assert len(mentions) == 1
    agency = canonicalize(mentions[0], PROVINCE)
    assert (agency.kind, agency.name) == (kind, name)


@pytest.mark.parametrize(("name", "expected"), [
    ("UBND tỉnh Lai Châu", (Level.PROVINCE, "tỉnh Lai Châu")),
    ("Thành ủy Lai Châu", (Level.DISTRICT, "thành phố Lai Châu")),
    ("UBND thành phố Hà Nội", (Level.PROVINCE, "thành phố Hà Nội")),
    ("UBND phường Đoàn Kết", (Level.COMMUNE, "phường Đoàn Kết")),
    ("UBND Phường 12", (Level.COMMUNE, "phường 12")),
    ("Sở Y tế", None),
    ("Thông tấn xã Việt Nam", None),
    ("THÔNG TẤN XÃ VIỆT NAM", None),
    ("Hợp tác xã Tân Phong", None),
    ("Liên minh Hợp tác xã Việt Nam", None),
    ("Tổ công tác xã Tân Phong", (Level.COMMUNE, "xã Tân Phong")),
    ("Đảng ủy xã Tân Phong", (Level.COMMUNE, "xã Tân Phong")),
])
def test_units_and_levels(name: str, expected: tuple[Level, str] | None) -> None:
    assert unit_of(name) == expected


def test_split_agencies_gives_each_caller_its_own_list() -> None:
    # The split of a value is kept (a plan repeats its field values): a caller that extends
    # the list it got must not change what the next caller gets.
    ctx = Context(Level.PROVINCE, "tỉnh Lâm Đồng")
    first = split_agencies("Sở Tư pháp; UBND các xã, phường", ctx)
    first.append(first[0])
    again = split_agencies("Sở Tư pháp; UBND các xã, phường", ctx)
    assert [a.name for a in again] == ["Sở Tư pháp tỉnh Lâm Đồng", "UBND các xã, phường"]
    assert [a.name for a in split_agencies("Sở Tư pháp; UBND các xã, phường", Context(Level.COMMUNE, "tỉnh Lâm Đồng",
                                                                                         None, "xã Hiệp Thạnh"))] \
        == ["Sở Tư pháp tỉnh Lâm Đồng", "UBND các xã, phường"]


@pytest.mark.parametrize(("cell", "names"), [
    # A scope after one body is no part of its name; after a kind of bodies it says which.
    ("Bộ Tài chính, Ngân hàng Nhà nước Việt Nam theo chức năng, nhiệm vụ được giao",
     ["Bộ Tài chính", "Ngân hàng Nhà nước Việt Nam"]),
    ("Bộ Nông nghiệp và Môi trường (theo chức năng, nhiệm vụ đã được giao của mỗi cơ quan)",
     ["Bộ Nông nghiệp và Môi trường"]),
    ("Các cơ quan, đơn vị theo chức năng, lĩnh vực quản lý", ["các cơ quan, đơn vị theo chức năng, lĩnh vực quản lý"]),
])
def test_a_cell_s_scope_is_no_part_of_a_body_s_name(cell: str, names: list[str]) -> None:
    assert [a.name for a in split_agencies(cell, NATIONAL)] == names


@pytest.mark.parametrize("ctx", [NATIONAL, PROVINCE, WARD], ids=["national", "province", "ward"])
@pytest.mark.parametrize(("name", "national"), [
    ("Đài Truyền hình Việt Nam", True),
    ("Thông tấn xã Việt Nam", True),
    ("Ngân hàng Nhà nước Việt Nam", True),
    ("Bảo hiểm xã hội Việt Nam", True),
    ("Ngân hàng Nhà nước Việt Nam chi nhánh tỉnh Lai Châu", False),  # its unit said
    ("Hội Nông dân Việt Nam", False),  # a mass organisation: its chapter is written so too
])
def test_a_state_body_named_for_the_country_is_national_in_any_plan(name: str, national: bool, ctx: Context) -> None:
    agency = canonicalize(name, ctx)
    assert ((agency.name, agency.jurisdiction, agency.level) == (name, "Việt Nam", Level.NATIONAL)) is national
