"""Time PDF text extraction: pypdfium2, pdfplumber and plankg's own ``read_pdf``.

Usage: ``python benchmarks/pdf_extract.py [DIR]`` (default: ``../shared/realdocs`` next to
the repository). For every PDF in DIR it prints the pages, the seconds each library
needs for plain text extraction (all pages), whether that text is NFC, the share of
letters with Vietnamese diacritics (about 0.3 for readable Vietnamese, near 0 for a
legacy-font layer), and the seconds ``plankg.loaders.pdf.read_pdf`` needs for the whole
reading (characters, rules, tables, furniture, paragraphs). Then the totals and the
peak memory of the process. pdfplumber is optional: it is skipped when not installed.
"""

from __future__ import annotations

import resource
import sys
import time
import unicodedata
from pathlib import Path


def vietnamese_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(not c.isascii() for c in letters) / max(len(letters), 1)


def with_pdfium(path: Path) -> str:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    document = pdfium.PdfDocument(path)
    try:
        return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def with_pdfplumber(path: Path) -> str:
    import pdfplumber  # type: ignore[import-untyped]

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def with_plankg(path: Path) -> int:
    from plankg.errors import InputError
    from plankg.loaders.pdf import read_pdf

    try:
        return len(read_pdf(path).blocks)
    except InputError:
        return -1  # refused (the legacy-font file): the time still counts


def timed(func, path):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = func(path)
    return time.perf_counter() - start, result


def main() -> int:
    root = Path(__file__).resolve().parents[1]
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared" / "realdocs"
    files = sorted(folder.glob("*.pdf")) if folder.is_dir() else []
    if not files:
        print(f"skipped: no PDFs in {folder}")
        return 0
    try:
        import pdfplumber  # type: ignore[import-untyped]  # noqa: F401

        libraries = [("pypdfium2", with_pdfium), ("pdfplumber", with_pdfplumber)]
    except ImportError:
        libraries = [("pypdfium2", with_pdfium)]
    # Warm the imports so the first file does not pay for them.
    import pypdfium2  # type: ignore[import-untyped]  # noqa: F401

    import plankg.loaders.pdf  # noqa: F401

    totals = {name: 0.0 for name, _ in libraries} | {"plankg": 0.0}
    header = ["file", "pages"] + [f"{name} s" for name, _ in libraries] + ["NFC", "vi share", "plankg s", "blocks"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for path in files:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(path)
        pages = len(document)
        document.close()
        row = [path.name, str(pages)]
        text = ""
        for name, func in libraries:
            seconds, result = timed(func, path)
            totals[name] += seconds
            text = text or result
            row.append(f"{seconds:.2f}")
        row += [str(text == unicodedata.normalize("NFC", text)), f"{vietnamese_share(text):.2f}"]
        seconds, blocks = timed(with_plankg, path)
        totals["plankg"] += seconds
        row += [f"{seconds:.2f}", "refused" if blocks < 0 else str(blocks)]
        print("| " + " | ".join(row) + " |")
    print()
    for name, seconds in totals.items():
        print(f"{name}: {seconds:.2f} s over {len(files)} PDFs")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
