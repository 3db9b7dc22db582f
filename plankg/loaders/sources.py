"""Command-line paths -> document files -> blocks (first step of the pipeline).

:func:`expand_paths` turns what the user typed (files and directories) into the
list of documents to load, collecting every bad path instead of stopping at the
first, so that a batch run reports all problems and still processes the good files.
:func:`read_blocks` reads one document into the format-free block model of
:mod:`plankg.loaders.blocks`, dispatching on its suffix:

==========================  ====================================================
``.docx``                   :mod:`plankg.loaders.docx`
``.pdf``                    :mod:`plankg.loaders.pdf` (text layer; no OCR)
``.doc``, ``.odt``, ``.rtf``  LibreOffice -> ``.docx`` (:mod:`plankg.loaders.convert`)
``.html``, ``.htm``         :mod:`plankg.loaders.html`
anything else               text (:mod:`plankg.loaders.decode`), ``|`` rows as tables
==========================  ====================================================
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from pathlib import Path

from plankg.errors import InputError
from plankg.i18n import N_, _
from plankg.loaders.blocks import Source, blocks_of_lines, render
from plankg.loaders.decode import decode_bytes, read_bytes
from plankg.normalize import limit_marks

__all__ = ["SUFFIXES", "expand_paths", "read_blocks", "read_source"]

SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".doc", ".odt", ".rtf", ".html", ".htm")
_CONVERTED = (".doc", ".odt", ".rtf")


def read_blocks(path: Path, *, encoding: str | None = None) -> Source:
    """Read one document into blocks, whatever its format.

    ``encoding`` applies to text files only (Word, PDF and HTML declare their own).
    A file with another suffix is read as text: the user named it explicitly.

    Raises:
        InputError: the file is missing, a directory, unreadable, or its content is
            refused by the reader (naming the file, and the page or line).
    """
    path = Path(path)
    name = str(path)
    if path.is_dir():
        raise InputError(_("is a directory"), path=name)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from plankg.loaders.docx import read_docx_blocks

        return read_docx_blocks(path)
    if suffix == ".pdf":
        from plankg.loaders.pdf import read_pdf

        return read_pdf(path)
    if suffix in _CONVERTED:
        from plankg.loaders.convert import convert_to_docx
        from plankg.loaders.docx import read_docx_blocks

        return read_docx_blocks(path, data=convert_to_docx(path))
    if suffix in (".html", ".htm"):
        from plankg.loaders.html import read_html

        return read_html(path)
    text = limit_marks(decode_bytes(read_bytes(path), path=name, encoding=encoding))
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the final line end
    return Source(path.name, tuple(blocks_of_lines(lines)), format="text")


def read_source(path: Path, *, encoding: str | None = None) -> str:
    """Return the text of one document: its blocks rendered as lines (see :func:`read_blocks`)."""
    return render(read_blocks(path, encoding=encoding).blocks).text + "\n"


def expand_paths(paths: Sequence[str | Path]) -> tuple[list[Path], list[InputError]]:
    """Expand files and directories into document files, collecting errors.

    * A file is kept as given, whatever its suffix: the user chose it.
    * A directory is walked recursively for files with :data:`SUFFIXES` (any letter
      case), skipping hidden files and directories and Word's "~$" lock files,
      sorted by path so that runs are reproducible.
    * A directory without documents, a missing path and an unreadable directory each
      give an :class:`InputError`; nothing is raised.

    A file reached twice (named and inside a named directory, say) is kept once, at
    its first position, so that a batch does not load the same document twice.

    Returns:
        ``(files, errors)``, files in argument order.
    """
    files: list[Path] = []
    errors: list[InputError] = []
    seen: set[Path] = set()

    def keep(path: Path) -> None:
        try:
            key = path.resolve()
        except (OSError, RuntimeError):
            key = path.absolute()  # a symbolic link loop: reported when the file is read
        if key not in seen:
            seen.add(key)
            files.append(path)

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found, walk_errors = _walk(path)
            errors.extend(walk_errors)
            if not found and not walk_errors:
                errors.append(InputError(_(_NO_DOCUMENTS).format(suffixes=", ".join(SUFFIXES)), path=str(path)))
            for file in found:
                keep(file)
        elif path.exists() or _is_link_loop(path):
            keep(path)  # a symbolic link loop is reported when the file is read
        else:
            # Also a dangling symbolic link: exists() follows links.
            errors.append(InputError(_("no such file or directory"), path=str(path)))
    return files, errors


def _is_link_loop(path: Path) -> bool:
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


_NO_DOCUMENTS = N_("no documents ({suffixes}) in directory")


def _hidden(name: str) -> bool:
    # "~$name.docx" is the owner file Word keeps beside an open document; it has the
    # right suffix but is not a document.
    return name.startswith((".", "~$"))


def _walk(top: Path) -> tuple[list[Path], list[InputError]]:
    found: list[Path] = []
    errors: list[InputError] = []

    def failed(exc: OSError) -> None:
        where = exc.filename if exc.filename is not None else top
        errors.append(InputError(_("cannot read directory: {reason}")
                                 .format(reason=exc.strerror or exc), path=str(where)))

    # followlinks=False: a symbolic link to a parent directory must not loop forever.
    for directory, dirnames, filenames in os.walk(top, onerror=failed):
        dirnames[:] = [d for d in dirnames if not _hidden(d)]
        for filename in filenames:
            if not _hidden(filename) and filename.lower().endswith(SUFFIXES):
                found.append(Path(directory, filename))
    return sorted(found), errors
