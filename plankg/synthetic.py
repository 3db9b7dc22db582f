"""Seeded synthetic corpora in the text format of real plans, for tests and benchmarks.

A national cascade: one national plan, a plan of every province restating its tasks
(near-identical across provinces, all numbered "100/KH-UBND"), and plans of each
province's wards citing their own province's plan by number and restating its tasks with
realistic variation: dropped and reordered items, renamed agencies, wrapped lines.
"""

from __future__ import annotations

import random
import textwrap
from dataclasses import dataclass
from pathlib import Path

PROVINCES = (
    "Lai Châu", "Điện Biên", "Lào Cai", "Sơn La", "Cao Bằng", "Lạng Sơn", "Tuyên Quang", "Thái Nguyên",
    "Phú Thọ", "Bắc Ninh", "Quảng Ninh", "Hưng Yên", "Ninh Bình", "Thanh Hóa", "Nghệ An", "Hà Tĩnh",
    "Quảng Trị", "Quảng Ngãi", "Gia Lai", "Đắk Lắk", "Khánh Hòa", "Lâm Đồng", "Đồng Nai", "Tây Ninh",
    "Vĩnh Long", "Đồng Tháp", "An Giang", "Cà Mau", "Thái Bình", "Bình Định", "Kiên Giang", "Bến Tre",
    "Long An", "Hà Giang",
)
_WARD_NAMES = (
    "Tân Phong", "Đông Phong", "Quyết Thắng", "Tân Hưng", "Hòa Bình", "Thống Nhất", "Quang Trung", "Trần Phú",
    "Lê Lợi", "Nguyễn Trãi", "Bình Minh", "Hồng Hà", "Thanh Xuân", "Phú Lâm", "Sông Đà", "Mường Thanh",
)
# (theme heading, task text, lead department) — restated down the cascade.
_TASKS = (
    ("Về chuyển đổi số", "Xây dựng cơ sở dữ liệu dùng chung về dân cư, đất đai và doanh nghiệp, bảo đảm kết nối liên thông", "Sở Khoa học và Công nghệ"),
    ("Về chuyển đổi số", "Phổ cập kỹ năng số cho người dân thông qua tổ công nghệ số cộng đồng tại thôn, tổ dân phố", "Sở Khoa học và Công nghệ"),
    ("Về hạ tầng giao thông", "Rà soát, nâng cấp các tuyến đường giao thông nông thôn kết nối vùng sản xuất hàng hóa tập trung", "Sở Xây dựng"),
    ("Về hạ tầng giao thông", "Đẩy nhanh tiến độ giải phóng mặt bằng các dự án giao thông trọng điểm, bàn giao mặt bằng sạch", "Sở Nông nghiệp và Môi trường"),
    ("Về tài chính", "Huy động tối đa nguồn thu ngân sách, quản lý chặt chẽ chi thường xuyên, tiết kiệm chi đầu tư", "Sở Tài chính"),
    ("Về tài chính", "Đẩy mạnh giải ngân vốn đầu tư công, xử lý dứt điểm các vướng mắc về thủ tục đầu tư", "Sở Tài chính"),
    ("Về văn hóa, xã hội", "Bảo tồn và phát huy giá trị văn hóa truyền thống của đồng bào các dân tộc thiểu số", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Về văn hóa, xã hội", "Nâng cao chất lượng khám chữa bệnh tại trạm y tế, phát triển y tế cơ sở và y tế dự phòng", "Sở Y tế"),
    ("Về giáo dục", "Sắp xếp mạng lưới trường lớp học, kiên cố hóa phòng học, xây dựng trường đạt chuẩn quốc gia", "Sở Giáo dục và Đào tạo"),
    ("Về môi trường", "Thu gom, xử lý chất thải rắn sinh hoạt, phân loại rác tại nguồn ở khu dân cư tập trung", "Sở Nông nghiệp và Môi trường"),
    ("Về môi trường", "Trồng mới và bảo vệ rừng phòng hộ đầu nguồn, nâng cao tỷ lệ che phủ rừng", "Sở Nông nghiệp và Môi trường"),
    ("Về quốc phòng, an ninh", "Xây dựng lực lượng dân quân tự vệ vững mạnh, bảo đảm an ninh trật tự ngay từ cơ sở", "Công an tỉnh"),
)
# Tasks a ward sets itself, with no task above them: (theme, text). Their words overlap the
# restated tasks' (môi trường, giao thông, văn hóa…), so a linker can be tempted.
_LOCAL_TASKS = (
    ("Về môi trường", "Tổ chức ra quân tổng vệ sinh môi trường tại các tổ dân phố vào sáng chủ nhật cuối tháng"),
    ("Về môi trường", "Vận động hộ gia đình trồng cây xanh, hoa trước cổng nhà trên các tuyến phố chính"),
    ("Về hạ tầng giao thông", "Lắp đặt đèn chiếu sáng ngõ xóm tại các tổ dân phố bằng nguồn xã hội hóa"),
    ("Về văn hóa, xã hội", "Tổ chức giải bóng đá thiếu niên nhi đồng chào mừng ngày Quốc khánh"),
    ("Về văn hóa, xã hội", "Thăm hỏi, tặng quà các gia đình chính sách nhân dịp Tết Nguyên đán"),
    ("Về giáo dục", "Khen thưởng học sinh đạt giải trong kỳ thi học sinh giỏi cấp tỉnh"),
    ("Về quốc phòng, an ninh", "Kiện toàn tổ an ninh trật tự cơ sở, tuần tra đêm tại các điểm phức tạp"),
    ("Về tài chính", "Thu đúng, thu đủ quỹ phòng chống thiên tai năm 2026 trên địa bàn phường"),
    ("Về chuyển đổi số", "Cập nhật thông tin tổ dân phố lên trang thông tin điện tử của phường hằng tuần"),
    ("Về giáo dục", "Vận động trẻ em trong độ tuổi ra lớp, duy trì sĩ số học sinh các trường trên địa bàn"),
)
# Ward-level agencies that take over a department's task.
_WARD_LEAD = {
    "Sở Khoa học và Công nghệ": "Phòng Văn hóa - Xã hội", "Sở Xây dựng": "Phòng Kinh tế, Hạ tầng và Đô thị",
    "Sở Nông nghiệp và Môi trường": "Phòng Kinh tế, Hạ tầng và Đô thị", "Sở Tài chính": "Phòng Kinh tế, Hạ tầng và Đô thị",
    "Sở Văn hóa, Thể thao và Du lịch": "Phòng Văn hóa - Xã hội", "Sở Y tế": "Trạm Y tế phường",
    "Sở Giáo dục và Đào tạo": "Phòng Văn hóa - Xã hội", "Công an tỉnh": "Công an phường",
}
# Areas that turn one base task into distinct ones ("… đối với khu vực nông thôn").
_AREAS = (
    "", " đối với khu vực nông thôn và vùng sâu, vùng xa", " tại các khu đô thị, khu dân cư tập trung",
    " cho đồng bào dân tộc thiểu số và vùng biên giới", " trong các khu, cụm công nghiệp và làng nghề",
)


def local_tasks() -> tuple[str, ...]:
    """The texts of the tasks a ward may set itself (``write_cascade(local=…)``)."""
    return tuple(text for _, text in _LOCAL_TASKS)


def task_pool(variants: int = 1) -> tuple[tuple[str, str, str], ...]:
    """The base tasks, each restated for ``variants`` areas (1 to 5): 12 × variants tasks."""
    variants = max(1, min(variants, len(_AREAS)))
    return tuple((theme, text + area, lead) for theme, text, lead in _TASKS for area in _AREAS[:variants])


@dataclass(frozen=True)
class Cascade:
    """What a generated corpus holds, for checking results."""

    folder: Path
    national: Path
    provinces: dict[str, Path]
    wards: dict[Path, str]  # ward plan -> its province


def write_cascade(folder: Path, *, provinces: int = 3, wards: int = 2, seed: int = 7, wrap: bool = True,
                  variants: int = 1, local: int = 0) -> Cascade:
    """Write a national cascade into ``folder`` and describe it.

    ``variants`` restates each base task for several areas: 1 gives 12 tasks per plan,
    3 gives 36 (about what real plans hold). ``local`` adds that many tasks of the ward's
    own (at most 10) to each ward plan: tasks with no parent, which no link should reach.
    """
    rng = random.Random(seed)
    tasks = task_pool(variants)
    folder.mkdir(parents=True, exist_ok=True)
    national = folder / "national.txt"
    national.write_text(_national_plan(tasks), encoding="utf-8")
    province_paths: dict[str, Path] = {}
    ward_paths: dict[Path, str] = {}
    for p_index, province in enumerate(PROVINCES[:provinces] if provinces <= len(PROVINCES)
                                       else [f"{PROVINCES[i % len(PROVINCES)]} {i // len(PROVINCES)}"
                                             for i in range(provinces)]):
        path = folder / f"p{p_index:03d}.txt"
        path.write_text(_province_plan(province, rng, tasks), encoding="utf-8")
        province_paths[province] = path
        for w_index in range(wards):
            ward = f"{_WARD_NAMES[w_index % len(_WARD_NAMES)]}" + (f" {w_index // len(_WARD_NAMES) + 1}" if w_index >= len(_WARD_NAMES) else "")
            wpath = folder / f"p{p_index:03d}-w{w_index:03d}.txt"
            wpath.write_text(_ward_plan(province, ward, rng, tasks, wrap=wrap, local=local), encoding="utf-8")
            ward_paths[wpath] = province
    return Cascade(folder, national, province_paths, ward_paths)


def _grouped(tasks: list[tuple[str, str, str]]) -> list[tuple[str, list[tuple[str, str, str]]]]:
    groups: list[tuple[str, list[tuple[str, str, str]]]] = []
    for task in tasks:
        if not groups or groups[-1][0] != task[0]:
            groups.append((task[0], []))
        groups[-1][1].append(task)
    return groups


def _national_plan(pool: tuple[tuple[str, str, str], ...]) -> str:
    lines = ["Số: 50/QĐ-TTg", "Hà Nội, ngày 01 tháng 02 năm 2026", "", "KẾ HOẠCH",
             "Phát triển kinh tế - xã hội vùng trung du và miền núi năm 2026", "",
             "I. NHIỆM VỤ, GIẢI PHÁP"]
    for g, (theme, tasks) in enumerate(_grouped(list(pool)), start=1):
        lines.append(f"{g}. {theme}")
        for n, (_, text, _) in enumerate(tasks, start=1):
            lines.append(f"{g}.{n}. {text} trên phạm vi cả nước.")
    lines += ["", "TM. CHÍNH PHỦ", "THỦ TƯỚNG", "", "Nguyễn Văn An"]
    return "\n".join(lines) + "\n"


def _province_plan(province: str, rng: random.Random, pool: tuple[tuple[str, str, str], ...]) -> str:
    lines = ["ỦY BAN NHÂN DÂN", f"TỈNH {province.upper()}", "Số: 100/KH-UBND",
             f"{province}, ngày 10 tháng 3 năm 2026", "", "KẾ HOẠCH",
             f"Triển khai thực hiện Kế hoạch phát triển kinh tế - xã hội năm 2026 trên địa bàn tỉnh {province}", "",
             f"Thực hiện Kế hoạch số 50/QĐ-TTg ngày 01/02/2026 của Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh {province} "
             "ban hành Kế hoạch thực hiện như sau:", "", "I. NHIỆM VỤ, GIẢI PHÁP"]
    for g, (theme, tasks) in enumerate(_grouped(list(pool)), start=1):
        lines.append(f"{g}. {theme}")
        for n, (_, text, lead) in enumerate(tasks, start=1):
            lines.append(f"{g}.{n}. {lead} chủ trì, phối hợp với các sở, ngành có liên quan: {text} trên địa bàn tỉnh.")
            lines.append(f"- Thời gian hoàn thành: {rng.choice(['Năm 2026', 'Quý III/2026', 'Thường xuyên'])}.")
    lines += ["II. TỔ CHỨC THỰC HIỆN",
              "1. Giao Sở Tài chính chủ trì, theo dõi, đôn đốc các sở, ngành, UBND các xã, phường thực hiện Kế hoạch này.",
              "", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "Trần Văn Bình"]
    return "\n".join(lines) + "\n"


def _ward_plan(province: str, ward: str, rng: random.Random, pool: tuple[tuple[str, str, str], ...], *,
               wrap: bool, local: int = 0) -> str:
    tasks = [t for t in pool if rng.random() > 0.15]  # some items are dropped
    themes = [x[0] for x in pool]
    if local:
        # The ward's own tasks join the groups of their theme ("" marks them: no lead to map).
        tasks += [(theme, text, "") for theme, text in rng.sample(_LOCAL_TASKS, min(local, len(_LOCAL_TASKS)))]
    rng.shuffle(tasks)  # and the rest reordered within their theme
    tasks.sort(key=lambda t: themes.index(t[0]))
    number = rng.randint(10, 999)
    lines = ["ỦY BAN NHÂN DÂN", f"PHƯỜNG {ward.upper()}", f"Số: {number}/KH-UBND",
             f"{ward}, ngày 20 tháng 3 năm 2026", "", "KẾ HOẠCH",
             f"Triển khai thực hiện Kế hoạch số 100/KH-UBND ngày 10/3/2026 của UBND tỉnh {province} trên địa bàn phường {ward}",
             "",
             f"Căn cứ Kế hoạch số 100/KH-UBND ngày 10/3/2026 của Ủy ban nhân dân tỉnh {province} về triển khai thực hiện "
             f"Kế hoạch phát triển kinh tế - xã hội năm 2026, Ủy ban nhân dân phường {ward} ban hành Kế hoạch thực hiện "
             "như sau:", "", "I. NHIỆM VỤ CHỦ YẾU"]
    for g, (theme, group) in enumerate(_grouped(tasks), start=1):
        lines.append(f"{g}. {theme}")
        for _, text, lead in group:
            ward_lead = _WARD_LEAD.get(lead, "Phòng Kinh tế, Hạ tầng và Đô thị")
            verb = rng.choice(["Tập trung", "Tiếp tục", "Chủ động", ""]) if lead else ""
            body = f"{verb} {text[0].lower() + text[1:]}" if verb else text
            lines.append(f"- {body} trên địa bàn phường.")
            lines.append(f"+ Cơ quan chủ trì: {ward_lead}; Cơ quan phối hợp: các cơ quan, đơn vị liên quan.")
    lines += ["II. TỔ CHỨC THỰC HIỆN",
              "1. Giao Văn phòng HĐND và UBND phường chủ trì, tổng hợp báo cáo UBND phường trước ngày 15/12/2026.",
              "", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "Lê Thị Hoa"]
    text = "\n".join(lines) + "\n"
    if wrap:
        text = "\n".join(textwrap.fill(line, 76, break_long_words=False, break_on_hyphens=False) if line else line
                         for line in text.split("\n"))
    return text
