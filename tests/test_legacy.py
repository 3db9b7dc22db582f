"""Tests for plankg.loaders.legacy: TCVN3 (ABC) and VNI text -> Unicode NFC."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import plankg.loaders
from plankg.errors import InputError
from plankg.loaders import load_file
from plankg.loaders.decode import decode_bytes
from plankg.loaders.legacy import (
    convert,
    convert_run,
    decode_single_byte,
    detect,
    encode_single_byte,
    evidence,
    font_encoding,
    is_capitals_font,
    legacy_name,
)

DATA = Path(plankg.loaders.__file__).parent / "data"
CORPUS = sorted((Path(plankg.loaders.__file__).parent.parent / "data" / "corpus").glob("*.txt"))
DOCS = Path(__file__).parent / "data" / "docs"

TONES = "\u0300\u0301\u0309\u0303\u0323"  # grave, acute, hook, tilde, dot below
VOWELS = "aăâeêioôơuưy"
LOWER = "".join(unicodedata.normalize("NFC", v + t) for v in VOWELS for t in ["", *TONES]) + "đ"
LETTERS = LOWER + LOWER.upper()  # the 12 vowels x 6 tone states and đ, both cases


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _table(name: str) -> list[tuple[str, str]]:
    """The rows of a code table, read here independently of the module."""
    rows = []
    lines = [line for line in (DATA / f"{name}.tsv").read_text("utf-8").splitlines() if not line.startswith("#")]
    assert lines[0] == "legacy\tunicode"
    for line in lines[1:]:
        legacy, target = (
            field.encode("ascii", "backslashreplace").decode("unicode_escape") for field in line.split("\t")
        )
        rows.append((legacy, target))
    return rows


def _has_tone(ch: str) -> bool:
    return any(mark in TONES for mark in unicodedata.normalize("NFD", ch))


def reverse(text: str, encoding: str, *, vn1_capitals: bool = False) -> str:
    """Unicode -> legacy text, through the code table.

    TCVN3 capitals with a tone mark are written as the capital base letter and a
    combining tone mark (table VN3), or with ``vn1_capitals`` as the precomposed VN1
    capital where the table has one.
    """
    table = {}
    for legacy, target in _table(encoding):
        if encoding == "tcvn3" and target.isupper() and _has_tone(target) and not vn1_capitals:
            continue
        table.setdefault(target, legacy)
    out = []
    for ch in _nfc(text):
        if ch in table:
            out.append(table[ch])
        elif encoding == "tcvn3" and _has_tone(ch):
            decomposed = unicodedata.normalize("NFD", ch)
            base = _nfc("".join(m for m in decomposed if m not in TONES))
            tone = "".join(m for m in decomposed if m in TONES)
            out.append(table.get(base, base) + table[tone])
        else:
            out.append(ch)
    return "".join(out)


# --- the code tables ----------------------------------------------------------------


def test_tables_name_their_source() -> None:
    assert "TCVN 5712:1993" in (DATA / "tcvn3.tsv").read_text("utf-8")
    assert "VNI Software" in (DATA / "vni.tsv").read_text("utf-8")


def test_every_letter_is_in_the_vni_table_once() -> None:
    targets = [target for _, target in _table("vni")]
    vietnamese = [ch for ch in LETTERS if not ch.isascii()]
    assert sorted(targets) == sorted(vietnamese)  # í and ì are written as themselves
    assert all(len(legacy) <= 2 for legacy, _ in _table("vni"))


def test_tcvn3_has_every_lower_case_letter_and_the_tone_marks() -> None:
    table = dict(_table("tcvn3"))
    assert all(len(legacy) == 1 and "\u00a1" <= legacy <= "\u00ff" for legacy in table)
    targets = set(table.values())
    assert {ch for ch in LOWER if not ch.isascii()} <= targets
    assert set("ĂÂÊÔƠƯĐ") <= targets
    assert set(TONES) <= targets
    assert len(targets) == len(table)  # no two codes for one letter


@pytest.mark.parametrize("letter", LETTERS)
@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_every_letter_round_trips(letter: str, encoding: str) -> None:
    word = "x" + letter + "n"
    assert convert(reverse(word, encoding), encoding) == word
    assert convert(reverse(word.upper(), encoding), encoding) == word.upper()


@pytest.mark.parametrize("letter", [ch for ch in LETTERS if ch.isupper()])
def test_tcvn3_vn1_capitals_round_trip(letter: str) -> None:
    assert convert(reverse("X" + letter + "N", "tcvn3", vn1_capitals=True), "tcvn3") == "X" + letter + "N"


SENTENCES = [
    "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "Độc lập - Tự do - Hạnh phúc",
    "Ủy ban nhân dân tỉnh Lâm Đồng",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Số: 12/KH-UBND, ngày 15 tháng 3 năm 2024. Người dân được hưởng lợi; thuở ấy, khuya.",
]


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_sentences_round_trip(sentence: str, encoding: str) -> None:
    assert convert(reverse(sentence, encoding), encoding) == sentence


@pytest.mark.parametrize(
    ("legacy", "encoding", "expected"),
    [
        # As found in real documents.
        ("Céng hßa x· héi chñ nghÜa ViÖt Nam", "tcvn3", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("§éc lËp - Tù do - H¹nh phóc", "tcvn3", "Độc lập - Tự do - Hạnh phúc"),
        ("Uû ban nh©n d©n tØnh L©m §ång", "tcvn3", "Uỷ ban nhân dân tỉnh Lâm Đồng"),
        ("ng\u00adêi d©n, tr\u00ad\u00acng", "tcvn3", "người dân, trương"),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "vni", "Độc lập - Tự do - Hạnh phúc"),
        ("UÛy ban nhaân daân tænh Laâm Ñoàng", "vni", "Ủy ban nhân dân tỉnh Lâm Đồng"),
        ("ngöôøi, Tröông, thuôû, khuya, ôû", "vni", "người, Trương, thuở, khuya, ở"),
    ],
)
def test_known_strings(legacy: str, encoding: str, expected: str) -> None:
    assert convert(legacy, encoding) == expected


def test_output_is_nfc_and_keeps_other_characters() -> None:
    text = "“Sè 12” – ®iÒu 3\t\u00a0(100%)"
    result = convert(text, "tcvn3")
    assert result == "“Số 12” – điều 3\t\u00a0(100%)"
    assert unicodedata.is_normalized("NFC", result)


def test_tcvn3_capital_words_typed_in_a_normal_font_are_upper_cased() -> None:
    # No TCVN3 code for "Ạ", "Ề": typed in capitals, they come out in lower case.
    assert convert("§IÒU 1. KÕ HO¹CH TØNH", "tcvn3") == "ĐIỀU 1. Kế HOẠCH TỈNH"
    # A capitalised word is left alone.
    assert convert("Sè: 12/KH-UBND", "tcvn3") == "Số: 12/KH-UBND"


def test_unknown_encoding() -> None:
    with pytest.raises(ValueError, match="unknown legacy encoding 'viscii'"):
        convert("x", "viscii")


# --- fonts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("font", "encoding", "capitals"),
    [
        (".VnTime", "tcvn3", False),
        (".VnTimeH", "tcvn3", True),
        (".VnArial", "tcvn3", False),
        (".VnArialH", "tcvn3", True),
        (".VnArial NarrowH", "tcvn3", True),
        (" .vntime ", "tcvn3", False),
        ("VNI-Times", "vni", False),
        ("VNI-Helve", "vni", False),
        ("Times New Roman", None, False),
        ("Arial", None, False),
        ("VnTime", None, False),
        ("", None, False),
        (None, None, False),
    ],
)
def test_font_encoding(font: str | None, encoding: str | None, capitals: bool) -> None:
    assert font_encoding(font) == encoding
    assert is_capitals_font(font) is capitals


def test_h_fonts_draw_lower_case_codes_as_capitals() -> None:
    assert convert_run("kÕ ho¹ch", ".VnTimeH") == "KẾ HOẠCH"
    assert convert_run("uû ban nh©n d©n tØnh l©m ®ång", ".VnArialH") == "UỶ BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    assert convert_run("kÕ ho¹ch", ".VnTime") == "kế hoạch"
    assert convert_run("keá hoaïch", "VNI-Times") == "kế hoạch"
    assert convert_run("kÕ ho¹ch", "Times New Roman") == "kÕ ho¹ch"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("tcvn3", "tcvn3"), ("TCVN-3", "tcvn3"), ("ABC", "tcvn3"), ("vni", "vni"), ("VNI-Win", "vni"), ("cp1252", None)],
)
def test_legacy_name(name: str, expected: str | None) -> None:
    assert legacy_name(name) == expected


# --- detection ----------------------------------------------------------------------

HEADER = (
    "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG\n"
    "Số: 12/KH-UBND\n"
    "Lâm Đồng, ngày 15 tháng 3 năm 2024\n"
    "KẾ HOẠCH\n"
    "Triển khai thực hiện chuyển đổi số trên địa bàn tỉnh năm 2024\n"
)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_detects_the_corpus_in_either_encoding(path: Path, encoding: str) -> None:
    legacy = reverse(path.read_text("utf-8"), encoding)
    assert detect(legacy) == encoding
    found = {e.encoding: e for e in evidence(legacy)}[encoding]
    assert found.share > 0.5  # measured 0.60-0.75; the threshold is 0.2


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_detects_a_short_header(encoding: str) -> None:
    assert detect(reverse(HEADER, encoding)) == encoding


def test_detects_real_style_tcvn3() -> None:
    text = "Uû ban nh©n d©n tØnh L©m §ång ban hµnh kÕ ho¹ch thùc hiÖn nhiÖm vô n¨m 2024."
    assert detect(text) == "tcvn3"


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_unicode_vietnamese_is_never_flagged(path: Path) -> None:
    text = path.read_text("utf-8")
    assert detect(text) is None
    assert [line for line in text.splitlines() if detect(line)] == []
    assert [line for line in _nfd(text).splitlines() if detect(line)] == []


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


NEGATIVES = {
    "english": (
        "The committee shall review the plan, approve the budget of £5m (about 6.2 m€) and report "
        "on progress. Microsoft® Word© files, 25°C, 5 µm, m², ½ cup, § 12 and ¶ 3 are fine. "
        "It's “quoted” – and — dashed… naïve café façade résumé coöperate."
    ),
    "french": (
        "Où est l'aéroport ? Le coût du goût d'août est élevé ; « Bonjour », dit-il. Noël, "
        "naïve, Moïse, Raphaël et Israël, l'ouïe, qu'il eût fallu, à 20 °C, nº 5, hôtel, "
        "être, forêt, Français, garçon, cœur, œuvre, déjà, où, là, çà."
    ),
    "german": (
        "Über die Straße fährt ein großer Bär. Die Höhe der Gebühren für Äpfel, Öl und Übung "
        "wird gemäß § 5 Abs. 2 festgelegt; schön, müssen, können, wäre, ließ."
    ),
    "spanish": (
        "¡Hola! ¿Cómo estás? El año pasado, Raúl aún vivía en el baúl de la montaña; "
        "mañana iremos a España con niños pequeños. 1ª edición, 2º piso, nº 7."
    ),
    "catalan": "La col·lecció d'intel·ligència i la il·lusió del col·legi, l'Ajuntament, què, però, així.",
    "portuguese": "Não há razões para as ações; a população e as informações são põe, mãe, coração, avô.",
    "danish": "Søen ligger ved skoven, og Ærø er en ø; blåbær, æbler og kød på bordet, får og fårekød.",
}


@pytest.mark.parametrize("text", NEGATIVES.values(), ids=NEGATIVES.keys())
def test_other_languages_are_never_flagged(text: str) -> None:
    assert detect(text) is None
    assert detect(text * 20) is None
    assert detect(decode_single_byte(text.encode("cp1252", errors="replace"))) is None


@pytest.mark.parametrize(
    "codec", ["cp1258", "iso8859-2", "cp1250", "utf-8"], ids=["cp1258", "latin-2", "cp1250", "utf-8 mojibake"]
)
def test_other_encodings_read_as_cp1252_are_not_taken_for_legacy(codec: str) -> None:
    text = CORPUS[0].read_text("utf-8")
    if codec in ("iso8859-2", "cp1250"):
        text = (
            "Zażółć gęślą jaźń. Państwowa komisja wyborcza ogłosiła wyniki; ustawa o samorządzie "
            "gminnym określa zadania własne gminy, w tym sprawy ładu przestrzennego. "
        ) * 30
    raw = text.encode(codec, errors="replace") if codec != "cp1258" else _cp1258(text)
    assert detect(decode_single_byte(raw)) is None


def _cp1258(text: str) -> bytes:
    """cp1258 writes the tone marks as combining characters."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = _nfd(ch)
            base = _nfc("".join(m for m in decomposed if m not in TONES))
            out += (base + "".join(m for m in decomposed if m in TONES)).encode("cp1258", errors="replace")
    return bytes(out)


# --- bytes and files ----------------------------------------------------------------


def test_single_byte_round_trip() -> None:
    data = bytes(range(256))
    assert encode_single_byte(decode_single_byte(data)) == data
    assert decode_single_byte(b"\x93x\x94 \x96 \x81") == "“x” – \x81"


def _representable(text: str) -> str:
    """``text`` without the characters a legacy file cannot hold ("·", "²", "≥")."""
    punctuation = decode_single_byte(bytes(range(0x80, 0xA0)))
    return "".join(ch if ch.isascii() or ch in LETTERS or ch in punctuation else " " for ch in _nfc(text))


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_bytes_are_detected_and_converted(encoding: str) -> None:
    text = _representable(CORPUS[1].read_text("utf-8"))
    data = encode_single_byte(reverse(text, encoding)).replace(b"\n", b"\r\n")
    assert decode_bytes(data, path="old.txt") == _nfc(text)
    assert decode_bytes(data, path="old.txt", encoding=encoding) == _nfc(text)


def test_cp1252_punctuation_in_tcvn3_survives() -> None:
    data = encode_single_byte(reverse("Về “Chuyển đổi số” – Kế hoạch của tỉnh Lâm Đồng năm 2024\n", "tcvn3")) * 3
    assert decode_bytes(data, path="a.txt") == "Về “Chuyển đổi số” – Kế hoạch của tỉnh Lâm Đồng năm 2024\n" * 3


def test_tcvn3_saved_as_utf8_is_converted() -> None:
    # A TCVN3 document opened as cp1252 and saved again as UTF-8.
    text = reverse(HEADER, "tcvn3")
    assert decode_bytes(text.encode("utf-8"), path="a.txt") == HEADER


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_genuine_utf8_is_never_converted(path: Path) -> None:
    data = path.read_bytes()
    assert decode_bytes(data, path=path.name) == _nfc(data.decode("utf-8").replace("\r\n", "\n"))


def test_non_legacy_bytes_still_fail_as_utf8() -> None:
    with pytest.raises(InputError, match=r"a.txt:1: not valid UTF-8 at byte 3, 0xE9"):
        decode_bytes("Café résumé, déjà vu\n".encode("latin-1"), path="a.txt")


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_load_file_reads_a_legacy_txt(tmp_path: Path, encoding: str) -> None:
    source = DOCS / "kh-son-la-can-cu.txt"
    text = source.read_text("utf-8").replace("SƠN LA", "LÂM ĐỒNG").replace("Sơn La", "Lâm Đồng").replace("77/", "12/")
    unicode_file = tmp_path / "unicode.txt"
    unicode_file.write_text(text, encoding="utf-8")
    legacy_file = tmp_path / f"{encoding}.txt"
    legacy_file.write_bytes(encode_single_byte(reverse(text, encoding)).replace(b"\n", b"\r\n"))

    record = load_file(legacy_file)
    expected = load_file(unicode_file)
    assert record.document.number == "12/KH-UBND"
    assert record.document.place == "Lâm Đồng"
    assert record.document.issuer == expected.document.issuer == "UBND tỉnh Lâm Đồng"
    assert record.document.title == expected.document.title
    assert record.document.title == "THỰC HIỆN CHUYỂN ĐỔI SỐ NĂM 2025 TRÊN ĐỊA BÀN TỈNH LÂM ĐỒNG"
    assert record.document.date == expected.document.date
    assert record.document.signer == expected.document.signer
    assert [task.text for task in record.tasks] == [task.text for task in expected.tasks]
    assert [[a.name for a in task.lead] for task in record.tasks] == [
        [a.name for a in task.lead] for task in expected.tasks
    ]


# --- properties ---------------------------------------------------------------------

_WORD = st.text(st.sampled_from(LOWER + "bcdghklmnpqrstvx"), min_size=1, max_size=7)
_CASED = st.tuples(_WORD, st.sampled_from(["lower", "title", "upper"])).map(
    lambda pair: {"lower": pair[0], "title": pair[0][:1].upper() + pair[0][1:], "upper": pair[0].upper()}[pair[1]]
)
_SEPARATOR = st.text(st.sampled_from(" ,.;:-/()0123456789\n"), min_size=1, max_size=3)
_VIETNAMESE = st.lists(st.tuples(_CASED, _SEPARATOR), max_size=30).map(lambda parts: "".join(w + s for w, s in parts))


@settings(max_examples=300, deadline=None)
@given(_VIETNAMESE, st.sampled_from(["tcvn3", "vni"]), st.booleans())
def test_convert_inverts_reverse(text: str, encoding: str, vn1_capitals: bool) -> None:
    assert convert(reverse(text, encoding, vn1_capitals=vn1_capitals), encoding) == text


@settings(max_examples=200, deadline=None)
@given(_VIETNAMESE)
def test_unicode_vietnamese_is_not_detected(text: str) -> None:
    assert detect(text) is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes(text: str) -> None:
    assert detect(text) in (None, "tcvn3", "vni")
    for encoding in ("tcvn3", "vni"):
        assert unicodedata.is_normalized("NFC", convert(text, encoding))


_BOUND_CHARACTERS = "aăâđêôơưẮắẠạĩĨũŨ\u0300\u0301\u0303\u0309\u0323\u00a0\u00a1\u00bf\u00c0\u00ff\u00c2\u00c3" \
    "\u1e9f\u1ea0\u1ef9\u1efa\u0100\ud800 x"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(_BOUND_CHARACTERS), max_size=60) | st.text(max_size=60))
def test_the_unicode_bound_counts_as_its_definition(text: str) -> None:
    """detect's first bound counts in UTF-8 bytes and stops counting letters early: it
    answers as the two counts written out do (the range's edges, lone surrogates included)."""
    from plankg.loaders.legacy import _UNICODE_ONLY, _outnumbered

    legacy = sum(1 for ch in text if "\u00a1" <= ch <= "\u00ff")
    assert _outnumbered(text) == (len(_UNICODE_ONLY.findall(text)) * 4 >= legacy)


def test_word_runs_in_legacy_fonts_are_converted(tmp_path: Path) -> None:
    import docx

    from plankg.loaders.docx import read_docx

    document = docx.Document()
    heading = document.add_paragraph()
    heading.add_run(reverse("kế hoạch", "tcvn3")).font.name = ".VnTimeH"
    body = document.add_paragraph()
    body.add_run(reverse("Ủy ban nhân dân tỉnh Lâm Đồng ", "vni")).font.name = "VNI-Times"
    body.add_run("giữ nguyên").font.name = "Times New Roman"
    path = tmp_path / "legacy.docx"
    document.save(str(path))
    assert read_docx(path).splitlines() == ["KẾ HOẠCH", "Ủy ban nhân dân tỉnh Lâm Đồng giữ nguyên"]
