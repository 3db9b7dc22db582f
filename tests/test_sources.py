"""Tests for plankg.loaders.sources: paths -> document files -> text."""

from __future__ import annotations

import os
from pathlib import Path

import docx
import pytest

from plankg.errors import InputError
from plankg.loaders.sources import SUFFIXES, expand_paths, read_source

SAMPLE = "Số: 2233/KH-UBND\nLai Châu, ngày 30 tháng 3 năm 2026\n"


def _write_docx(path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def _touch(path: Path, content: bytes = b"x\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


# --- read_source -------------------------------------------------------------------------


def test_suffixes() -> None:
    assert SUFFIXES == (".txt", ".md", ".docx", ".pdf", ".doc", ".odt", ".rtf", ".html", ".htm")


@pytest.mark.parametrize("name", ["plan.txt", "plan.md", "plan.csv", "PLAN", "plan.TXT"])
def test_text_files_are_decoded(tmp_path: Path, name: str) -> None:
    path = _touch(tmp_path / name, SAMPLE.replace("\n", "\r\n").encode("utf-8-sig"))
    assert read_source(path) == SAMPLE


@pytest.mark.parametrize("name", ["plan.docx", "PLAN.DOCX"])
def test_docx_files_go_to_the_word_reader(tmp_path: Path, name: str) -> None:
    path = _write_docx(tmp_path / name, "Số: 2233/KH-UBND", "Lai Châu, ngày 30 tháng 3 năm 2026")
    assert read_source(path) == SAMPLE


def test_encoding_is_passed_on(tmp_path: Path) -> None:
    path = _touch(tmp_path / "old.txt", "Café, résumé\n".encode("latin-1"))
    assert read_source(path, encoding="latin-1") == "Café, résumé\n"
    with pytest.raises(InputError, match="--encoding"):
        read_source(path)


def test_accepts_a_string_path(tmp_path: Path) -> None:
    path = _touch(tmp_path / "a.md", b"# Ke hoach\n")
    assert read_source(str(path)) == "# Ke hoach\n"  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["missing.txt", "missing.docx"])
def test_missing_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    with pytest.raises(InputError) as info:
        read_source(path)
    assert str(info.value) == f"{path}: no such file"


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "plans.docx"  # even with a document suffix
    folder.mkdir()
    with pytest.raises(InputError) as info:
        read_source(folder)
    assert str(info.value) == f"{folder}: is a directory"


def test_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _touch(tmp_path / "locked.txt")

    # chmod 000 does not stop root, which runs many CI containers; simulate instead.
    def denied(self: Path, *args: object, **kwargs: object) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(InputError) as info:
        read_source(path)
    assert str(info.value) == f"{path}: cannot read: Permission denied"
    with pytest.raises(InputError, match="cannot read: Permission denied"):
        read_source(_write_docx(tmp_path / "locked.docx", "x"))


def test_empty_and_binary_errors_come_through(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty file"):
        read_source(_touch(tmp_path / "empty.txt", b""))
    with pytest.raises(InputError, match="binary data"):
        read_source(_touch(tmp_path / "image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    with pytest.raises(InputError, match=r"not a \.docx file"):
        read_source(_touch(tmp_path / "fake.docx", SAMPLE.encode()))


# --- expand_paths -------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    _touch(root / "b.txt")
    _touch(root / "a.md")
    _touch(root / "Z.TXT")
    _write_docx(root / "ward" / "kh-01.docx", "Kế hoạch")
    _touch(root / "ward" / "scan.png", b"\x89PNG\r\n\x1a\n")
    _touch(root / "ward" / "notes.xlsx")
    _touch(root / "ward" / "~$kh-01.docx", b"\x00owner")  # Word lock file
    _touch(root / "ward" / "deep" / "er" / "c.txt")
    _touch(root / ".git" / "d.txt")
    _touch(root / ".hidden.txt")
    (root / "empty").mkdir()
    (root / "images").mkdir()
    _touch(root / "images" / "logo.png")
    return root


def test_expand_tree(tree: Path, tmp_path: Path) -> None:
    files, errors = expand_paths([tree])
    assert files == [
        tree / "Z.TXT",
        tree / "a.md",
        tree / "b.txt",
        tree / "ward" / "deep" / "er" / "c.txt",
        tree / "ward" / "kh-01.docx",
    ]
    assert errors == []


def test_expand_mixed_arguments(tree: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    files, errors = expand_paths(
        [
            str(tree / "ward" / "scan.png"),  # a file is kept whatever its suffix
            tree / "empty",
            missing,
            tree / "images",
            tree / "ward",
            tree / "ward" / "kh-01.docx",  # already listed: kept once
        ]
    )
    assert files == [
        tree / "ward" / "scan.png",
        tree / "ward" / "deep" / "er" / "c.txt",
        tree / "ward" / "kh-01.docx",
    ]
    assert [str(error) for error in errors] == [
        f"{tree / 'empty'}: no documents ({', '.join(SUFFIXES)}) in directory",
        f"{missing}: no such file or directory",
        f"{tree / 'images'}: no documents ({', '.join(SUFFIXES)}) in directory",
    ]
    assert all(isinstance(error, InputError) for error in errors)


def test_expand_keeps_relative_paths(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree.parent)
    files, errors = expand_paths(["docs/ward"])
    assert files == [Path("docs/ward/deep/er/c.txt"), Path("docs/ward/kh-01.docx")]
    assert errors == []


def test_expand_nothing() -> None:
    assert expand_paths([]) == ([], [])


def test_hidden_directory_named_explicitly_is_walked(tree: Path) -> None:
    files, errors = expand_paths([tree / ".git"])
    assert files == [tree / ".git" / "d.txt"]
    assert errors == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symlink_loop_and_dangling_link(tmp_path: Path) -> None:
    root = tmp_path / "loop"
    _touch(root / "a.txt")
    (root / "back").symlink_to(root, target_is_directory=True)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    files, errors = expand_paths([root, tmp_path / "dangling.txt"])
    assert files == [root / "a.txt"]
    assert [error.message for error in errors] == ["no such file or directory"]


def test_expanded_files_can_all_be_read(tree: Path) -> None:
    files, _ = expand_paths([tree])
    texts = [read_source(path) for path in files]
    assert texts[-1] == "Kế hoạch\n"
