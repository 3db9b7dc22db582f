"""The same gold facts come out of re-encoded, re-normalised and re-wrapped seeds."""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CORPUS, SEED_NAMES
from gold import compare

from plankg.loaders import load_file


def _nfd(text: str) -> bytes:
    return unicodedata.normalize("NFD", text).encode("utf-8")


def _utf16(text: str) -> bytes:
    return text.encode("utf-16")


def _crlf_bom(text: str) -> bytes:
    return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")


def _wrapped72(text: str) -> bytes:
    lines = [
        textwrap.fill(line, 72, break_long_words=False, break_on_hyphens=False) if line.strip() else line
        for line in text.split("\n")
    ]
    return "\n".join(lines).encode("utf-8")


VARIANTS: dict[str, Callable[[str], bytes]] = {
    "nfd": _nfd, "utf16": _utf16, "crlf-bom": _crlf_bom, "wrapped72": _wrapped72,
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("name", SEED_NAMES)
def test_variant_keeps_gold_facts(tmp_path: Path, name: str, variant: str) -> None:
    text = (CORPUS / name).read_text(encoding="utf-8")
    path = tmp_path / name
    path.write_bytes(VARIANTS[variant](text))
    record = load_file(path).to_dict()
    assert compare(name, record) == []


@pytest.mark.parametrize("variant", ["nfd", "utf16", "crlf-bom"])
@pytest.mark.parametrize("name", SEED_NAMES)
def test_lossless_variant_gives_identical_record(tmp_path: Path, name: str, variant: str) -> None:
    text = (CORPUS / name).read_text(encoding="utf-8")
    path = tmp_path / name
    path.write_bytes(VARIANTS[variant](text))
    assert load_file(path) == load_file(CORPUS / name)


def test_wrapped_variant_keeps_ids(tmp_path: Path) -> None:
    name = "004_aaf74f8ca0223593.txt"
    path = tmp_path / name
    path.write_bytes(_wrapped72((CORPUS / name).read_text(encoding="utf-8")))
    wrapped, original = load_file(path), load_file(CORPUS / name)
    assert wrapped.document.id == original.document.id
    assert [t.id for t in wrapped.tasks] == [t.id for t in original.tasks]
