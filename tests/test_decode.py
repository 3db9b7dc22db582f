"""Tests for plankg.loaders.decode: bytes -> NFC text with LF line ends."""

from __future__ import annotations

import codecs
import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plankg.errors import InputError
from plankg.loaders.decode import decode_bytes

SAMPLE = "Số: 2233/KH-UBND\nLai Châu, ngày 30 tháng 3 năm 2026\n"
PATH = "plans/kh-2233.txt"


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _cp1258(text: str) -> bytes:
    """Encode Vietnamese for cp1258, which has letters with circumflex, breve and
    horn but writes the five tone marks as separate combining characters."""
    out = bytearray()
    tones = "\u0300\u0301\u0303\u0309\u0323"
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = _nfd(ch)
        base, marks = decomposed[0], decomposed[1:]
        shape = "".join(m for m in marks if m not in tones)
        tone = "".join(m for m in marks if m in tones)
        out += (unicodedata.normalize("NFC", base + shape) + tone).encode("cp1258")
    return bytes(out)


CRLF = SAMPLE.replace("\n", "\r\n")

VARIANTS = {
    "utf-8": SAMPLE.encode("utf-8"),
    "utf-8 BOM": codecs.BOM_UTF8 + SAMPLE.encode("utf-8"),
    "utf-16-le BOM": codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"),
    "utf-16-be BOM": codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"),
    "utf-32-le BOM": codecs.BOM_UTF32_LE + SAMPLE.encode("utf-32-le"),
    "utf-32-be BOM": codecs.BOM_UTF32_BE + SAMPLE.encode("utf-32-be"),
    "utf-16-le no BOM": SAMPLE.encode("utf-16-le"),
    "utf-16-be no BOM": SAMPLE.encode("utf-16-be"),
    "CRLF": CRLF.encode("utf-8"),
    "CR": SAMPLE.replace("\n", "\r").encode("utf-8"),
    "NFD": _nfd(SAMPLE).encode("utf-8"),
    "utf-16-le BOM + CRLF + NFD": codecs.BOM_UTF16_LE + _nfd(CRLF).encode("utf-16-le"),
    "utf-8 BOM + mixed line ends": codecs.BOM_UTF8
    + b"S\xe1\xbb\x91: 2233/KH-UBND\r"
    + "Lai Châu, ngày 30 tháng 3 năm 2026\r\n".encode(),
}


@pytest.mark.parametrize("data", VARIANTS.values(), ids=VARIANTS.keys())
def test_every_variant_gives_the_same_nfc_lf_text(data: bytes) -> None:
    text = decode_bytes(data, path=PATH)
    assert text == SAMPLE
    assert unicodedata.is_normalized("NFC", text)


def test_sample_really_differs_in_nfd() -> None:
    # Guards the NFD case above against a sample without composed letters.
    assert _nfd(SAMPLE) != SAMPLE


@pytest.mark.parametrize(
    ("data", "encoding", "expected"),
    [
        (_cp1258(SAMPLE), "cp1258", SAMPLE),
        (_cp1258(SAMPLE).replace(b"\n", b"\r\n"), "windows-1258", SAMPLE),
        ("Café, résumé\n".encode("latin-1"), "latin-1", "Café, résumé\n"),
        (SAMPLE.encode("utf-16-le"), "utf-16-le", SAMPLE),
        (codecs.BOM_UTF8 + SAMPLE.encode(), "utf-8", SAMPLE),  # BOM still dropped
    ],
)
def test_explicit_encoding(data: bytes, encoding: str, expected: str) -> None:
    assert decode_bytes(data, path=PATH, encoding=encoding) == expected


def test_cp1258_is_not_guessed() -> None:
    with pytest.raises(InputError, match=r"not valid UTF-8 at byte 1, .*--encoding"):
        decode_bytes(_cp1258(SAMPLE), path=PATH)


@pytest.mark.parametrize("name", ["x", "no-such-codec", "base64", "rot13"])
def test_unknown_encoding(name: str) -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(b"abc\n", path=PATH, encoding=name)
    assert str(info.value) == f"{PATH}: unknown encoding {name!r}"


def test_explicit_encoding_error_names_the_line() -> None:
    with pytest.raises(InputError) as info:
        decode_bytes("ok\nSố\n".encode(), path=PATH, encoding="ascii")
    assert info.value.line == 2
    assert str(info.value).startswith(f"{PATH}:2: not valid ascii at byte 4")


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, " \n".encode("utf-16")],
    ids=["zero bytes", "whitespace", "utf-8 BOM only", "utf-16 BOM only", "utf-16 blank"],
)
def test_empty(data: bytes) -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(data, path=PATH)
    assert str(info.value) == f"{PATH}: empty file"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(7).randbytes(4096),
        bytes(range(1, 32)) * 20,  # control characters, no NUL
        b"Lai Chau\x00\x00\x00 ngay 30\n" * 3,  # text with NULs, not UTF-16
        random.Random(3).randbytes(10_000),
    ],
    ids=["png", "controls", "nul in text", "random"],
)
def test_binary(data: bytes) -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(data, path=PATH)
    assert str(info.value) == f"{PATH}: binary data, not a text document"


def test_binary_with_forced_encoding() -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(1).randbytes(512)
    with pytest.raises(InputError, match="binary data"):
        decode_bytes(data, path=PATH, encoding="latin-1")


def test_a_few_stray_controls_are_still_text() -> None:
    data = ("Dòng một\x0bvẫn dòng một\n" * 10 + "\x1a").encode()
    assert decode_bytes(data, path=PATH).startswith("Dòng một\x0bvẫn")


def test_invalid_utf8_names_line_and_byte() -> None:
    data = "Kế hoạch\nsố 12\nngày \xe0 30\n".encode().replace(b"\xc3\xa0", b"\xe0")
    offset = data.index(b"\xe0")
    with pytest.raises(InputError) as info:
        decode_bytes(data, path=PATH)
    message = str(info.value)
    assert f"{PATH}:3:" in message
    assert message.startswith(f"{PATH}:3: not valid UTF-8 at byte {offset}, 0xE0")
    assert "--encoding" in message
    assert info.value.line == 3
    assert info.value.path == PATH


@pytest.mark.parametrize(
    ("data", "line", "offset"),
    [
        (b"a\rb\rc\xff", 3, 5),  # old Mac line ends
        (b"a\r\nb\r\n\xff", 3, 6),  # CRLF counts once
        (codecs.BOM_UTF8 + b"x\n\xff", 2, 5),  # offset is into the file, BOM included
        (b"\xff", 1, 0),
        ("đ\n".encode() + b"\xe1\xbb", 2, 3),  # truncated sequence at the end
    ],
)
def test_invalid_utf8_positions(data: bytes, line: int, offset: int) -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(data, path=PATH)
    assert info.value.line == line
    assert f"at byte {offset}," in info.value.message


def test_truncated_utf16_with_bom() -> None:
    data = codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le") + b"x"
    with pytest.raises(InputError, match=r":3: not valid UTF-16-LE"):
        decode_bytes(data, path=PATH)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    try:
        text = decode_bytes(data, path=PATH)
    except InputError as exc:
        assert exc.path == PATH
    else:
        assert isinstance(text, str)
        assert "\r" not in text
        assert not text.startswith("\ufeff")


@settings(max_examples=100, deadline=None)
@given(
    st.binary(max_size=512),
    st.sampled_from(["cp1258", "latin-1", "utf-16", "utf-8", "ascii", "shift_jis"]),
)
def test_arbitrary_bytes_with_encoding_never_crash(data: bytes, encoding: str) -> None:
    try:
        assert isinstance(decode_bytes(data, path=PATH, encoding=encoding), str)
    except InputError:
        pass


_TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufeff")
    | st.sampled_from("\n\r\tđĐơưăâêô"),
    max_size=200,
)


@settings(max_examples=200, deadline=None)
@given(_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_text_round_trips(text: str, codec: str) -> None:
    expected = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    try:
        result = decode_bytes(text.encode(codec), path=PATH)
    except InputError as exc:
        assert exc.message == "empty file"
        assert not expected.strip()
    else:
        assert result == expected
