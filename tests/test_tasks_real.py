"""Assignment rules met in real plans, each shown on a small self-made text.

Every case here stands for a layout or a phrasing the hand-checked facts about the real
documents (``tests/data/realfacts``) turned up: collective phrases with their own commas,
lists of unit words after "Ủy ban nhân dân", national bodies without a level word, long
group rows of an appendix table, extra header columns, a "Nơi nhận" list left in the body,
a subject after a fronted adverbial, recurring and fronted deadlines. The texts are made
up, so the tests run everywhere.
"""

from __future__ import annotations

import pytest

from plankg.loaders import agencies, load_text
from plankg.loaders.deadlines import find_deadline, parse_deadline
from plankg.loaders.tasks import parse_own
from plankg.model import Level, Task

NATIONAL = agencies.Context(Level.NATIONAL)
PROVINCE = agencies.Context(Level.PROVINCE, "tỉnh Lâm Đồng")


def raws(value: str, ctx: agencies.Context = NATIONAL) -> list[str]:
    return [a.raw for a in agencies.split_agencies(value, ctx)]


def tasks_of(text: str) -> dict[str, Task]:
    record = load_text(text, source="t.txt")
    return {"/".join(t.path): t for r in record.with_attachments() for t in r.tasks}


# --- collective phrases ------------------------------------------------------------

@pytest.mark.parametrize(("cell", "expected"), [
    # a list of kinds of body is one entry, whatever its length and its qualifier
    ("Các cơ quan, tổ chức, đơn vị khác có liên quan.", ["Các cơ quan, tổ chức, đơn vị khác có liên quan"]),
    ("Bộ Tài chính, các bộ, ngành, cơ quan, tổ chức có liên quan",
     ["Bộ Tài chính", "các bộ, ngành, cơ quan, tổ chức có liên quan"]),
    ("Các bộ, cơ quan, địa phương và đơn vị có liên quan", ["Các bộ, cơ quan, địa phương và đơn vị có liên quan"]),
    ("Đơn vị, địa phương có liên quan", ["Đơn vị, địa phương có liên quan"]),
    ("Các bộ, các tỉnh", ["Các bộ, các tỉnh"]),
    # ... and ends where a named body, a second "các" phrase or a second list starts
    ("Các Bộ, ngành, Ủy ban nhân dân cấp tỉnh, cơ quan, tổ chức, đơn vị có liên quan",
     ["Các Bộ, ngành", "Ủy ban nhân dân cấp tỉnh", "cơ quan, tổ chức, đơn vị có liên quan"]),
    ("Các bộ, cơ quan ngang bộ, Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương",
     ["Các bộ, cơ quan ngang bộ", "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương"]),
    ("các bộ, cơ quan ngang bộ và cơ quan, tổ chức liên quan",
     ["các bộ, cơ quan ngang bộ", "cơ quan, tổ chức liên quan"]),
    ("các sở, ban, ngành, các cơ quan Trung ương đóng trên địa bàn, UBND các xã, phường, đặc khu",
     ["các sở, ban, ngành", "các cơ quan Trung ương đóng trên địa bàn", "UBND các xã, phường, đặc khu"]),
    ("Các địa phương, các cơ quan có nguồn thu", ["Các địa phương", "các cơ quan có nguồn thu"]),
    ("Bộ Y tế, Cơ quan, đơn vị liên quan, cơ sở khám bệnh, chữa bệnh",
     ["Bộ Y tế", "Cơ quan, đơn vị liên quan", "cơ sở khám bệnh, chữa bệnh"]),
    # unit words after "Ủy ban nhân dân", the standing committees of several Party committees
    ("Ủy ban nhân dân quận, huyện", ["Ủy ban nhân dân quận, huyện"]),
    ("Ban Thường vụ Tỉnh ủy, Thành ủy", ["Ban Thường vụ Tỉnh ủy, Thành ủy"]),
    ("UBND phường Tân Phong, Công an phường", ["UBND phường Tân Phong", "Công an phường"]),
    # provinces named as the body acting
    ("Thành phố Hà Nội, Thành phố Hồ Chí Minh", ["Thành phố Hà Nội", "Thành phố Hồ Chí Minh"]),
])
def test_collective_phrases_keep_their_commas(cell: str, expected: list[str]) -> None:
    assert raws(cell) == expected


def test_a_verb_ends_a_lead_cell() -> None:
    # "trình" opens what the lead does; the council it submits to is not assigned
    assert raws("Ủy ban nhân dân cấp tỉnh trình Hội đồng nhân dân cùng cấp") == ["Ủy ban nhân dân cấp tỉnh"]
    assert raws("Ban Quản lý Chương trình mục tiêu") == ["Ban Quản lý Chương trình mục tiêu"]


def test_single_kind_words_are_no_bodies() -> None:
    assert agencies.match_at("Ban hành kế hoạch", 0) is None
    assert agencies.match_at("Tổ chức, hướng dẫn thực hiện", 0) is None


# --- names and levels --------------------------------------------------------------

@pytest.mark.parametrize(("text", "name", "level"), [
    ("Ban Chỉ đạo Trung ương", "Ban Chỉ đạo Trung ương", Level.NATIONAL),
    ("Văn phòng Trung ương Đảng", "Văn phòng Trung ương Đảng", Level.NATIONAL),
    ("Đảng ủy Chính phủ", "Đảng ủy Chính phủ", Level.NATIONAL),
    ("Hội đồng Chính phủ", "Hội đồng Chính phủ", Level.NATIONAL),
    ("PHỦ THỦ TƯỚNG", "Phủ Thủ tướng", Level.NATIONAL),
    ("Ban Bí thư Trung ương Đảng", "Ban Bí thư", Level.NATIONAL),
    ("Ban Chấp hành Trung ương", "Ban Chấp hành Trung ương Đảng", Level.NATIONAL),
    ("Văn phòng Ủy ban nhân dân tỉnh", "Văn phòng UBND tỉnh Lâm Đồng", Level.PROVINCE),
    ("Ban cán sự đảng Uỷ ban nhân dân tỉnh", "Ban cán sự đảng UBND tỉnh Lâm Đồng", Level.PROVINCE),
    ("Sở Lao động – Thương binh và Xã hội", "Sở Lao động - Thương binh và Xã hội tỉnh Lâm Đồng", Level.PROVINCE),
])
def test_canonical_names_and_levels(text: str, name: str, level: Level) -> None:
    mention = agencies.match_at(text, 0)
    assert mention is not None and mention.raw == text
    agency = agencies.canonicalize(mention, PROVINCE)
    assert (agency.name, agency.level) == (name, level)


def test_name_ends_before_the_verb_and_keeps_its_number() -> None:
    assert agencies.match_at("Sở Tư pháp Tập trung thực hiện Kế hoạch", 0).raw == "Sở Tư pháp"  # type: ignore[union-attr]
    found = agencies.match_at("Ban Quản lý dự án đầu tư xây dựng số 1 chủ trì", 0)
    assert found is not None and found.raw == "Ban Quản lý dự án đầu tư xây dựng số 1"


def test_unit_words_in_capitals_belong_to_the_name() -> None:
    found = agencies.match_at("BAN THƯỜNG VỤ TỈNH ỦY VỀ THỰC HIỆN", 0)
    assert found is not None and found.raw == "BAN THƯỜNG VỤ TỈNH ỦY"


# --- sentences -----------------------------------------------------------------------

def test_support_without_with() -> None:
    a = parse_own("Giao Thanh tra tỉnh chủ trì, phối hợp Sở Nội vụ, Văn phòng Ủy ban nhân dân tỉnh thanh tra", PROVINCE)
    assert [x.raw for x in a.lead or []] == ["Thanh tra tỉnh"]
    assert [x.raw for x in a.support or []] == ["Sở Nội vụ", "Văn phòng Ủy ban nhân dân tỉnh"]


@pytest.mark.parametrize(("text", "lead"), [
    ("Căn cứ Kế hoạch này, các cơ quan, đơn vị, địa phương xây dựng Kế hoạch thực hiện.",
     ["các cơ quan, đơn vị, địa phương"]),
    ("Trong năm 2013, Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương phải hoàn thành.",
     ["Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"]),
    ("Trên cơ sở đó, rà soát, sắp xếp lại bộ máy.", []),
])
def test_subject_after_a_fronted_adverbial(text: str, lead: list[str]) -> None:
    assert [x.raw for x in parse_own(text, PROVINCE).lead or []] == lead


# --- deadlines -----------------------------------------------------------------------

def test_due_day_of_the_following_month_recurs_monthly() -> None:
    d = parse_deadline("Trước ngày 05 của tháng liền kề")
    assert d is not None and (d.recurrence, d.continuous, d.end) == ("monthly", False, None)
    d = parse_deadline("Hằng năm và từng giai đoạn")
    assert d is not None and (d.recurrence, d.continuous) == ("yearly", True)


def test_adverb_before_the_task_verb_makes_it_ongoing() -> None:
    d = find_deadline("Giao Sở Tư pháp phối hợp với các cơ quan thường xuyên tổ chức rà soát các văn bản")
    assert d is not None and d.continuous
    assert find_deadline("phối hợp thường xuyên, trực tiếp với Bộ Xây dựng") is None


def test_first_schedule_of_the_task_wins_over_a_later_report() -> None:
    d = find_deadline("Hằng tháng tổ chức 01 cuộc đối thoại với doanh nghiệp. Trước 16 giờ hằng tuần báo cáo kết quả.")
    assert d is not None and d.recurrence == "monthly"


def test_fronted_time_dates_the_task() -> None:
    d = find_deadline("Quý I/2027, các cơ quan, đơn vị đánh giá kết quả thực hiện phong trào thi đua")
    assert d is not None and (str(d.start), str(d.end)) == ("2027-01-01", "2027-03-31")
    assert find_deadline("Năm 2026, tỉnh đã đạt nhiều kết quả") is None


# --- structure -----------------------------------------------------------------------

HEAD = "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nSố: 30/KH-UBND\nLâm Đồng, ngày 12 tháng 01 năm 2026\n\nKẾ HOẠCH\nThử nghiệm\n\n"
LONG_GROUP = ("II. Tăng cường, nâng cao năng lực cho các cơ quan quản lý nhà nước và cơ quan tổ chức thực hiện "
              "về bảo hiểm y tế ở Trung ương và địa phương, bảo đảm quản lý, sử dụng quỹ bảo hiểm y tế hiệu quả")


def test_long_group_row_between_table_rows() -> None:
    tasks = tasks_of(HEAD + "I. NHIỆM VỤ\n"
                     "| TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |\n"
                     "| 1 | Rà soát quy định | Bộ Y tế | Bộ Tài chính | Quý II/2026 |\n"
                     f"{LONG_GROUP}\n"
                     "| 2 | Xây dựng Nghị quyết về thí điểm | Bộ Y tế | Bộ Tài chính, cơ quan, tổ chức có liên quan | "
                     "Quý III/2027 |\n")
    row = next(t for t in tasks.values() if t.text.startswith("Xây dựng Nghị quyết"))
    assert [a.raw for a in row.lead] == ["Bộ Y tế"]
    assert [a.raw for a in row.support] == ["Bộ Tài chính", "cơ quan, tổ chức có liên quan"]
    assert row.deadline is not None and str(row.deadline.end) == "2027-09-30"


@pytest.mark.parametrize("extra", ["CẤP TRÌNH/ PHÊ DUYỆT", "Căn cứ bổ sung"])
def test_header_with_a_column_of_its_own(extra: str) -> None:
    tasks = tasks_of(HEAD + "I. NHIỆM VỤ\n"
                     f"| TT | NHIỆM VỤ CỤ THỂ | CƠ QUAN CHỦ TRÌ | CƠ QUAN PHỐI HỢP | THỜI HẠN | {extra} |\n"
                     "| 1 | Xây dựng Đề án quản lý thị trường | Bộ Xây dựng | Bộ Công an | 2026 - 2027 | Thủ tướng |\n")
    row = next(t for t in tasks.values() if t.text.startswith("Xây dựng Đề án"))
    assert [a.raw for a in row.lead] == ["Bộ Xây dựng"]


def test_recipient_list_left_in_the_body_is_no_part_of_the_last_item() -> None:
    tasks = tasks_of(HEAD + "1. Giao Sở Y tế rà soát các cơ sở.\n2. Giao Sở Tài chính bố trí kinh phí.\n"
                     "Yêu cầu các sở, ngành tổ chức thực hiện.\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n")
    assert [a.raw for a in tasks["2"].lead] == ["Sở Tài chính"]
    assert not any(p.startswith("NN") for p in tasks)


def test_deadline_field_beats_a_time_word_of_the_text() -> None:
    tasks = tasks_of(HEAD + "1. Nhiệm vụ\n(1) Tiếp tục phối hợp với các doanh nghiệp. Thường xuyên kiểm tra hệ thống.\n"
                     "- Đơn vị chủ trì thực hiện: Sở Khoa học và Công nghệ.\n"
                     "- Thời gian hoàn thành: Thực hiện thường xuyên.\n")
    task = tasks["1/(1)"]
    assert task.deadline is not None and task.deadline.text == "Thực hiện thường xuyên"


# --- bodies and their units ----------------------------------------------------------

def test_a_parenthesis_naming_a_unit_of_the_body_is_one_lead() -> None:
    lead = parse_own("Giao Văn phòng UBND tỉnh (Trung tâm Phục vụ hành chính công tỉnh): rà soát", PROVINCE).lead
    assert lead is not None
    assert [(a.name, a.raw) for a in lead] == [
        ("Văn phòng UBND tỉnh Lâm Đồng", "Văn phòng UBND tỉnh (Trung tâm Phục vụ hành chính công tỉnh)")]
    # a role in parentheses names no second body
    lead = parse_own("Giao Sở Nội vụ (Cơ quan Thường trực Hội đồng Thi đua - Khen thưởng tỉnh):", PROVINCE).lead
    assert lead is not None and [a.name for a in lead] == ["Sở Nội vụ tỉnh Lâm Đồng"]


@pytest.mark.parametrize(("text", "names"), [
    ("Thủ trưởng các cơ quan chuyên môn thuộc UBND tỉnh, Trưởng Ban Quản lý các khu công nghiệp và Chủ tịch UBND "
     "các xã, phường, đặc khu tổ chức thực hiện",
     ["Thủ trưởng các cơ quan chuyên môn thuộc UBND tỉnh", "Trưởng Ban Quản lý các khu công nghiệp tỉnh Lâm Đồng",
      "Chủ tịch UBND các xã, phường, đặc khu"]),
    ("Chủ tịch UBND tỉnh chỉ đạo", ["UBND tỉnh Lâm Đồng"]),  # a chair acts for the one council
    ("Trung tâm xúc tiến Đầu tư, Thương mại và Du lịch tỉnh tổ chức đối thoại",
     ["Trung tâm xúc tiến Đầu tư, Thương mại và Du lịch tỉnh Lâm Đồng"]),
    ("Báo và Đài Phát thanh, Truyền hình Lâm Đồng tăng cường tuyên truyền",
     ["Báo và Đài Phát thanh, Truyền hình Lâm Đồng"]),
    ("Cơ quan Lao động - Thương binh và Xã hội ở địa phương có trách nhiệm thống kê",
     ["Cơ quan Lao động - Thương binh và Xã hội ở địa phương tỉnh Lâm Đồng"]),
    ("Nhà đầu tư Dự án cao tốc Tân Phú - Bảo Lộc khẩn trương nộp hồ sơ",
     ["Nhà đầu tư Dự án cao tốc Tân Phú - Bảo Lộc tỉnh Lâm Đồng"]),
])
def test_titles_lower_case_words_and_new_kinds_of_body(text: str, names: list[str]) -> None:
    lead = parse_own(text, PROVINCE).lead
    assert lead is not None and [a.name for a in lead] == names


def test_lower_case_words_do_not_run_a_name_into_a_clause() -> None:
    assert [m.raw for m in agencies.match_list("Sở Y tế thường xuyên kiểm tra, Báo cáo")[0]] == ["Sở Y tế"]
    assert agencies.match_at("Ban hành văn bản Quy phạm pháp luật", 0) is None


# --- several assignments in one item -------------------------------------------------

def test_a_sentence_giving_work_to_another_body_is_a_task_of_its_own() -> None:
    tasks = tasks_of("1. Giao Sở Tài chính bố trí kinh phí cho các đơn vị.\n"
                     "Yêu cầu các sở, ngành tổ chức thực hiện tốt các nội dung trên. "
                     "Giao Công an tỉnh theo dõi, đôn đốc việc thực hiện.\n")
    assert {p: [a.raw for a in t.lead] for p, t in tasks.items()} == {"1": ["Sở Tài chính"], "1/s2": ["Công an tỉnh"]}
    assert tasks["1/s2"].text == "Giao Công an tỉnh theo dõi, đôn đốc việc thực hiện."


def test_a_topic_before_a_colon_then_the_request() -> None:
    lead = parse_own("Việc điều chỉnh chủ trương đầu tư: Đề nghị Nhà đầu tư hoàn thiện hồ sơ", PROVINCE).lead
    assert lead is not None and [a.raw for a in lead] == ["Nhà đầu tư"]
    lead = parse_own("Đối với Nhà đầu tư Dự án A: Khẩn trương nộp hồ sơ", PROVINCE).lead
    assert lead is not None and [a.raw for a in lead] == ["Nhà đầu tư Dự án A"]


def test_a_heading_that_ends_by_giving_its_items() -> None:
    tasks = tasks_of("1. Thống nhất tổ chức Hội nghị. Giao Sở Công Thương:\n- Nghiên cứu nội dung Hội nghị.\n"
                     "2. Về dự thảo Kế hoạch, giao Sở Tài chính:\n- Rà soát nội dung.\n")
    assert [a.raw for a in tasks["1/-1"].lead] == ["Sở Công Thương"]
    assert [a.raw for a in tasks["2/-1"].lead] == ["Sở Tài chính"]


def test_an_item_of_an_agency_heading_working_with_another_body() -> None:
    tasks = tasks_of("1. Nhiệm vụ\na) UBND xã A:\n- Phối hợp Trung tâm Phát triển quỹ đất tỉnh để thẩm định hồ sơ.\n"
                     "b) Sở Y tế\n- Phối hợp với Sở Tài chính làm việc.\n- Đơn vị phối hợp: Công an tỉnh.\n")
    assert [a.raw for a in tasks["1/a/-1"].support] == ["Trung tâm Phát triển quỹ đất tỉnh"]


def test_the_paragraph_before_the_items_addresses_them() -> None:
    from plankg.loaders.clean import clean_text
    from plankg.loaders.structure import build_tree
    from plankg.loaders.tasks import derive_tasks

    root = build_tree(clean_text("1. Chỉ đạo các cấp đào tạo nghề.\n2. Sở Y tế có trách nhiệm thống kê.\n"))
    lead_in = "Thủ tướng Chính phủ yêu cầu Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương:"
    tasks = derive_tasks(root, NATIONAL, "d", lead_in)
    assert [[a.name for a in t.lead] for t in tasks] == [
        ["Chủ tịch UBND các tỉnh, thành phố trực thuộc Trung ương"], ["Sở Y tế"]]


# --- names, lists and subjects (second pass over the real-document facts) -------------

@pytest.mark.parametrize(("text", "expected"), [
    # a distributive phrase naming its members is one body per member
    ("UBND các xã: Đức Trọng, Hiệp Thạnh, Đinh Văn Lâm Hà",
     ["UBND xã Đức Trọng", "UBND xã Hiệp Thạnh", "UBND xã Đinh Văn Lâm Hà"]),
    ("UBND các phường: A Lưới, Phú Bài", ["UBND phường A Lưới", "UBND phường Phú Bài"]),
    ("Ủy ban nhân dân các xã Tân Phong, Đoàn Kết và 12", ["UBND xã Tân Phong", "UBND xã Đoàn Kết", "UBND xã 12"]),
    # naming no member, it stays one entry
    ("UBND các xã, phường, đặc khu", ["UBND các xã, phường, đặc khu"]),
])
def test_a_distributive_phrase_naming_its_members(text: str, expected: list[str]) -> None:
    assert [a.name for a in agencies.split_agencies(text, PROVINCE)] == expected
    lead = parse_own(f"Giao {text}: rà soát hồ sơ.", PROVINCE).lead
    assert lead is not None and [a.name for a in lead] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a unit in parentheses whose name ends in lower case is still the body's unit
    ("Bộ Quốc phòng (Cục Bản đồ Tổng tham mưu) có trách nhiệm:", ["Bộ Quốc phòng"]),
    # a body named whole before "có trách nhiệm", whatever the case of its words
    ("Tổng Cục Quản lý ruộng đất có trách nhiệm:", ["Tổng Cục Quản lý ruộng đất"]),
    ("Cục đo đạc và bản đồ Nhà nước có trách nhiệm:", ["Cục đo đạc và bản đồ Nhà nước"]),
    # a heading naming whose duties follow
    ("Trách nhiệm của Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
     ["UBND các tỉnh, thành phố trực thuộc Trung ương"]),
    # the deadline of a body's work names the body
    ("Điều tra XHH năm 2025: Thời hạn các bộ, tỉnh gửi danh sách về Bộ Nội vụ chậm nhất là ngày 19/12/2025.",
     ["các bộ, tỉnh"]),
    # a note giving the item to a body
    ("Thành lập Đoàn kiểm tra tại các sở, ban, ngành (Giao Công an tỉnh tham mưu).", ["Công an tỉnh"]),
    # a fronted "Đối với …," and a subject that asks another body to act
    ("Đối với kết quả năm 2025, các bộ, tỉnh hoàn thành việc tự đánh giá", ["các bộ, tỉnh"]),
    ("Để bảo đảm tiến độ, Bộ Nội vụ đề nghị các bộ, tỉnh quan tâm, chỉ đạo thực hiện một số nội dung sau:",
     ["các bộ, tỉnh"]),
])
def test_leads_named_in_other_ways(text: str, expected: list[str]) -> None:
    lead = parse_own(text, NATIONAL).lead
    assert lead is not None and [a.name for a in lead] == expected


def test_no_subject_inside_a_list_or_a_name() -> None:
    # a comma inside a list of bodies, a name that goes on: no subject after the adverbial
    assert parse_own("Đối với cá nhân Mỗi cơ quan, đơn vị, địa phương được đề xuất 01 cá nhân", PROVINCE).lead is None
    assert parse_own("Đối với biên bản hội nghị cấp uỷ, cơ quan, tổ chức đảng các cấp", PROVINCE).lead is None


def test_names_end_where_the_next_clause_starts() -> None:
    # "Tham" opens the next line, not a place name; "Ban Chỉ đạo" inside a name; an ellipsis
    # closes a list, lower-case words before it end the last name
    assert agencies.match_at("Công an tỉnh Tham mưu giúp UBND tỉnh", 0).raw == "Công an tỉnh"  # type: ignore[union-attr]
    assert agencies.match_at("UBND quận Hoàn Kiếm chủ trì", 0).raw == "UBND quận Hoàn Kiếm"  # type: ignore[union-attr]
    assert raws("Các quân khu, các tỉnh; Văn phòng Ban Chỉ đạo; Các đơn vị, địa phương") == [
        "Các quân khu", "các tỉnh", "Văn phòng Ban Chỉ đạo", "Các đơn vị, địa phương"]
    support = parse_own("Sở Nội vụ chủ trì, phối hợp với Báo Lâm Đồng, Tạp chí Diễn đàn doanh nghiệp... đăng tải tin",
                        PROVINCE).support
    assert support is not None and [a.raw for a in support] == ["Báo Lâm Đồng", "Tạp chí Diễn đàn doanh nghiệp"]
    # "phối với" (a word left out) is "phối hợp với"
    own = parse_own("Chủ tịch UBND tỉnh giao Sở Y tế chủ trì, phối với Công an tỉnh triển khai", PROVINCE)
    assert own.lead is not None and [a.raw for a in own.lead] == ["Sở Y tế"]
    assert own.support is not None and [a.raw for a in own.support] == ["Công an tỉnh"]


def test_later_sentences_and_paragraphs_of_another_body() -> None:
    tasks = tasks_of(
        "1. Nội dung\n"
        "a) Sở Y tế có trách nhiệm:\n- Tổ chức tập huấn.\n"
        "b) Các Bộ khác có trách nhiệm huy động máy móc.\n"
        "Tổng Cục Quản lý ruộng đất có nhiệm vụ hướng dẫn các địa phương.\n"
        "UBND các tỉnh, thành phố cần huy động mọi lực lượng.\n"
        "2. UBND tỉnh nhận được Công văn số 3/VPCP. Chủ tịch UBND tỉnh giao Sở Tư pháp chủ trì thực hiện.\n")
    assert [a.raw for a in tasks["1/b"].lead] == ["Các Bộ khác"]
    assert [a.raw for a in tasks["1/b/s2"].lead] == ["Tổng Cục Quản lý ruộng đất"]
    assert [a.raw for a in tasks["1/b/s3"].lead] == ["UBND các tỉnh, thành phố"]
    assert [a.raw for a in tasks["2/s2"].lead] == ["Sở Tư pháp"]


def test_a_paragraph_below_a_heading_naming_no_one_is_the_heading_s() -> None:
    tasks = tasks_of("1. Các bước\na) Bước 2: Kiểm tra hiện trạng nhà ở.\n"
                     "Ban Chỉ đạo tổ chức kiểm tra hiện trạng. Thời gian hoàn tất: trước ngày 25/7/2014.\n")
    assert list(tasks) == ["1/a"] and [a.raw for a in tasks["1/a"].lead] == ["Ban Chỉ đạo"]


def test_a_wrapped_line_is_no_subject() -> None:
    tasks = tasks_of("1. UBND các tỉnh:\na) Định kỳ báo cáo Thủ tướng Chính phủ để kịp thời tổng hợp báo cáo\n"
                     "Ban Bí thư Trung ương Đảng theo yêu cầu về tiến độ.\n")
    assert [a.raw for a in tasks["1/a"].lead] == ["UBND các tỉnh"]


def test_an_item_stating_its_own_work_before_its_list_is_a_task_too() -> None:
    tasks = tasks_of("1. UBND các tỉnh, thành phố:\n"
                     "c) Kết thúc hoạt động đối với người hoạt động không chuyên trách trước ngày 31/5/2026. "
                     "Phương án bố trí phải gắn với yêu cầu cơ cấu lại đội ngũ, theo hướng:\n"
                     "- Lựa chọn người có năng lực.\n- Thực hiện chế độ hợp đồng.\n"
                     "2. Các bộ, ngành tổ chức thực hiện các nhiệm vụ của Đề án. Cụ thể:\n"
                     "- Phối hợp với Bộ Ngoại giao.\n"
                     "3. Nhóm nhiệm vụ về hạ tầng\nNhất quán với chủ trương của tỉnh. Trong đó, các sở tập trung vào:\n"
                     "- Lập dự án.\n")
    assert tasks["1/c"].deadline is not None and str(tasks["1/c"].deadline.end) == "2026-05-31"
    assert "1/c/-1" in tasks and [a.raw for a in tasks["2"].lead] == ["Các bộ, ngành"]
    assert "3" not in tasks  # a preamble before the list states no work of its own


def test_a_stray_letter_among_lettered_items() -> None:
    tasks = tasks_of("1. Giao các cơ quan:\ne) Sở Xây dựng: Họp giao ban.\ng) Sở Y tế:\n- Khám bệnh.\n"
                     "f) Sở Tài chính:\n- Tổ chức thẩm định.\n")
    assert [a.raw for a in tasks["1/f/-1"].lead] == ["Sở Tài chính"]


@pytest.mark.parametrize(("text", "end"), [
    # several dated jobs: the item is due when its first job is
    ("Khẩn trương nộp hồ sơ trước ngày 28/4/2026; khẩn trương lập báo cáo; hoàn thành báo cáo trước ngày 05/5/2026.",
     "2026-04-28"),
    ("Thời hạn gửi danh sách chậm nhất là ngày 19/12/2025. Thời hạn trả lời phiếu chậm nhất là ngày 26/01/2026",
     "2025-12-19"),
    # within one clause the last date still wins; a start is no due date
    ("Triển khai từ tháng 3/2026, hoàn thành trước ngày 30/6/2026.", "2026-06-30"),
    ("Triển khai từ tháng 3/2026; hoàn thành trước ngày 30/6/2026.", "2026-06-30"),
])
def test_the_first_dated_job_of_an_item(text: str, end: str) -> None:
    deadline = find_deadline(text)
    assert deadline is not None and str(deadline.end) == end


def test_ongoing_work_of_an_item_over_the_year_of_its_section() -> None:
    tasks = tasks_of("III. HOẠT ĐỘNG TRỌNG TÂM TRONG NĂM 2026\n1. Tuyên truyền\n"
                     "Sở Nội vụ chủ trì thường xuyên đăng tải các bài viết.\n2. Tập huấn\nTổ chức các lớp tập huấn.\n")
    assert tasks["III/1"].deadline is not None and tasks["III/1"].deadline.continuous
    assert tasks["III/2"].deadline is not None and tasks["III/2"].deadline.text == "TRONG NĂM 2026"


# A decision that sets up a steering committee lists its members ("Chánh Văn phòng Ủy ban nhân
# dân tỉnh;"): people and offices, no work. What the members do is work.
STEERING = ("ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nSố: 31/QĐ-UBND\nLâm Đồng, ngày 12 tháng 01 năm 2026\n\nQUYẾT ĐỊNH\n"
            "Về việc thành lập Ban Chỉ đạo chuyển đổi số\n\nQUYẾT ĐỊNH:\n"
            "Điều 1. Thành lập Ban Chỉ đạo chuyển đổi số tỉnh gồm các thành viên sau:\n"
            "1. Chủ tịch Ủy ban nhân dân tỉnh, Trưởng Ban Chỉ đạo.\n"
            "2. Giám đốc Công an tỉnh, Phó Trưởng Ban Chỉ đạo.\n"
            "3. Các thành viên Ban Chỉ đạo:\n"
            "- Chánh Văn phòng Ủy ban nhân dân tỉnh;\n"
            "- Chánh án Tòa án nhân dân tỉnh;\n"
            "- Mời đại diện lãnh đạo Mặt trận Tổ quốc tỉnh.\n"
            "Điều 2. Nhiệm vụ của các thành viên Ban Chỉ đạo:\n"
            "1. Sở Khoa học và Công nghệ làm cơ quan thường trực, tổng hợp báo cáo định kỳ hằng quý.\n"
            "2. Các thành viên thực hiện nhiệm vụ do Trưởng Ban Chỉ đạo phân công.\n"
            "Điều 3. Khuyến khích các thành phần kinh tế tham gia các lĩnh vực sau:\n"
            "1. Đầu tư hạ tầng dữ liệu, Sở Khoa học và Công nghệ chủ trì.\n")


def test_the_members_of_a_committee_are_no_tasks() -> None:
    record = load_text(STEERING, source="bcd.txt")
    texts = [t.text for t in record.tasks]
    assert not [t for t in texts if "Chánh" in t or "Trưởng Ban Chỉ đạo." in t or "Mời" in t]
    assert any(t.startswith("Sở Khoa học và Công nghệ làm cơ quan thường trực") for t in texts)
    assert any(t.startswith("Các thành viên thực hiện nhiệm vụ") for t in texts)
    assert any(t.startswith("Đầu tư hạ tầng dữ liệu") for t in texts)  # "thành phần kinh tế": no members
    # Nothing is lost: the members stay sections of the decision.
    sections = [s.text for s in record.sections]
    assert "Chánh Văn phòng Ủy ban nhân dân tỉnh;" in sections
    assert "Giám đốc Công an tỉnh, Phó Trưởng Ban Chỉ đạo." in sections
