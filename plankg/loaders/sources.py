"""Command-line paths -> document files -> text (first step of the pipeline).

:func:`expand_paths` turns what the user typed (files and directories) into the
list of documents to load, collecting every bad path instead of stopping at the
first, so that a batch run reports all problems and still processes the good files.
:func:`read_source` returns the text of one document, dispatching on its suffix to
the Word reader (:mod:`plankg.loaders.docx`) or to the byte decoder
(:mod:`plankg.loaders.decode`). Both give NFC text with ``\\n`` line ends.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from plankg.errors import InputError
from plankg.loaders.decode import decode_bytes, read_bytes
from plankg.loaders.docx import read_docx

__all__ = ["SUFFIXES", "expand_paths", "read_source"]

SUFFIXES = (".txt", ".md", ".docx")


def read_source(path: Path, *, encoding: str | None = None) -> str:
    """Return the text of one document.

    ``.docx`` files (any letter case) go through :func:`read_docx`, where
    ``encoding`` does not apply (the XML declares its own); every other file is
    decoded as text, so a user may pass a document with any suffix explicitly.

    Raises:
        InputError: the file is missing, a directory, unreadable, or its content is
            refused by the reader.
    """
    path = Path(path)
    name = str(path)
    if path.is_dir():
        raise InputError("is a directory", path=name)
    if path.suffix.lower() == ".docx":
        return read_docx(path)
    return decode_bytes(read_bytes(path), path=name, encoding=encoding)


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
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found, walk_errors = _walk(path)
            errors.extend(walk_errors)
            if not found and not walk_errors:
                errors.append(InputError(_NO_DOCUMENTS, path=str(path)))
            for file in found:
                keep(file)
        elif path.exists():
            keep(path)
        else:
            # Also a dangling symbolic link: exists() follows links.
            errors.append(InputError("no such file or directory", path=str(path)))
    return files, errors


_NO_DOCUMENTS = f"no documents ({', '.join(SUFFIXES)}) in directory"


def _hidden(name: str) -> bool:
    # "~$name.docx" is the owner file Word keeps beside an open document; it has the
    # right suffix but is not a document.
    return name.startswith((".", "~$"))


def _walk(top: Path) -> tuple[list[Path], list[InputError]]:
    found: list[Path] = []
    errors: list[InputError] = []

    def failed(exc: OSError) -> None:
        where = exc.filename if exc.filename is not None else top
        errors.append(InputError(f"cannot read directory: {exc.strerror or exc}", path=str(where)))

    # followlinks=False: a symbolic link to a parent directory must not loop forever.
    for directory, dirnames, filenames in os.walk(top, onerror=failed):
        dirnames[:] = [d for d in dirnames if not _hidden(d)]
        for filename in filenames:
            if not _hidden(filename) and filename.lower().endswith(SUFFIXES):
                found.append(Path(directory, filename))
    return sorted(found), errors
