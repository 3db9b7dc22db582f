"""Loaders: Vietnamese plan documents on disk -> checked :class:`DocumentRecord` values.

>>> from plankg.loaders import load_text
>>> record = load_text("Số: 12/KH-UBND\\nKẾ HOẠCH\\nThử nghiệm\\n1. Sở Y tế chủ trì.", source="t.txt")
>>> record.document.number, record.tasks[0].lead[0].name
('12/KH-UBND', 'Sở Y tế')
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from plankg.errors import InputError, PlankgError
from plankg.loaders.blocks import Source, render
from plankg.loaders.document import parse_document
from plankg.loaders.sources import SUFFIXES, expand_paths, read_blocks
from plankg.model import DocumentRecord
from plankg.normalize import limit_marks, nfc

__all__ = ["SUFFIXES", "LoadResult", "load_file", "load_paths", "load_source", "load_text"]


def load_text(text: str, *, source: str = "<text>") -> DocumentRecord:
    """Parse a document given as text. Odd content never raises; it lands in ``unparsed``."""
    return parse_document(nfc(text.lstrip("\ufeff")), source)


def load_file(path: str | Path, *, encoding: str | None = None) -> DocumentRecord:
    """Read and parse one document file (text, Word, PDF, HTML, or legacy Word).

    Raises :class:`~plankg.errors.InputError` for a missing, empty, binary or
    undecodable file, naming the file (and line or page where it applies).
    """
    p = Path(path)
    return load_source(read_blocks(p, encoding=encoding))


def load_source(source: Source) -> DocumentRecord:
    """Parse a file read into blocks (:func:`plankg.loaders.sources.read_blocks`)."""
    rendered = render(source.blocks)
    # Text files keep their own line numbers; other formats number the lines they render
    # (a PDF line's Where also holds its page, reported beside the number).
    if source.format == "text":
        numbers = [w.line if w.line is not None else n for n, w in enumerate(rendered.where, start=1)]
    else:
        numbers = list(range(1, len(rendered.where) + 1))
    # A file name that is not valid UTF-8 reaches Python with lone surrogates, which no
    # output can encode: the record names the file with "�" in their place.
    name = source.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return parse_document(nfc(limit_marks(rendered.text.lstrip("\ufeff"))), name, numbers=numbers,
                          pages=[w.page for w in rendered.where])


@dataclass(frozen=True)
class LoadResult:
    """Outcome of loading one path of a batch: a record or the error that stopped it."""

    path: Path
    record: DocumentRecord | None = None
    error: PlankgError | None = None


def load_paths(paths: Sequence[str | Path], *, encoding: str | None = None) -> Iterator[LoadResult]:
    """Load files and folders; bad paths are reported, good ones still parsed."""
    files, errors = expand_paths(paths)
    for error in errors:
        yield LoadResult(Path(error.path or ""), error=error)
    for file in files:
        try:
            yield LoadResult(file, record=load_file(file, encoding=encoding))
        except InputError as exc:
            yield LoadResult(file, error=exc)
