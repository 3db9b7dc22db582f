"""Writing a 100,000-row task sheet with XlsxWriter (constant memory) and openpyxl (write-only).

Run each library in its own process: ``python benchmarks/xlsx_writers.py`` prints seconds and
peak memory of both (the rows themselves are built first, in both).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROW = ("Xây dựng cơ sở dữ liệu dùng chung về dân cư, đất đai và doanh nghiệp, bảo đảm kết nối liên thông " * 2,
       "Sở Tài chính tỉnh Lai Châu", "các sở, ngành có liên quan", "", "Năm 2026", "Kế hoạch 100/KH-UBND", "II/1/a",
       "Phát triển kinh tế - xã hội vùng trung du và miền núi", "Kế hoạch 50/QĐ-TTg", "mạnh")


def one(library: str, path: Path, count: int) -> None:
    rows = [(i, *ROW) for i in range(count)]
    start = time.perf_counter()
    if library == "openpyxl":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Nhiệm vụ")
        for row in rows:
            sheet.append(row)
        book.save(path)
    else:
        import xlsxwriter

        book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = book.add_worksheet("Nhiệm vụ")
        for i, row in enumerate(rows):
            sheet.write_row(i, 0, row)
        book.close()
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| {library} | {seconds:.1f} | {peak:.0f} | {path.stat().st_size / 1e6:.1f} |")


def main() -> None:
    if len(sys.argv) > 1:
        one(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]))
        return
    print("| library | seconds | peak MB | file MB |\n|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for library in ("xlsxwriter", "openpyxl"):
            subprocess.run([sys.executable, __file__, library, str(Path(tmp) / f"{library}.xlsx"), "100000"],
                           check=True)


if __name__ == "__main__":
    main()
