"""Bytes on disk -> one clean text string (first step of the pipeline).

Every plain-text source (.txt, .md, anything the user names explicitly) passes
through :func:`decode_bytes` before any parsing happens, so later stages can rely on
three invariants: the text is ``str`` in Unicode NFC, lines end in ``\\n`` only, and
there is no byte-order mark. Everything that cannot honour those invariants is
refused with an :class:`~plankg.errors.InputError` that names the file (and the line
where that helps) instead of being guessed at: a silently mis-decoded Vietnamese
document yields wrong agency names much later, far from the cause.

Detection order, without an explicit encoding:

1. a byte-order mark (UTF-32 before UTF-16, whose BOM is a prefix of UTF-32 LE's);
2. UTF-16 without a BOM, recognised by NUL bytes piling up at odd (LE) or even (BE)
   offsets - Windows tools still write such files;
3. otherwise UTF-8, strictly;
4. a file that is not valid UTF-8 is read as single-byte Windows-1252 only when
   :func:`plankg.loaders.legacy.detect` recognises TCVN3 or VNI Vietnamese in it
   (those are single-byte encodings and never valid UTF-8); otherwise the UTF-8 error
   stands. Other legacy encodings (cp1258, ISO 8859-x) are never guessed: the user
   chooses them with ``--encoding``.

Whatever the encoding, a decoded text that :func:`~plankg.loaders.legacy.detect`
recognises as TCVN3 or VNI (legacy bytes shown as Latin-1 letters, as in a TCVN3
file re-saved as UTF-8) is converted to Unicode; Unicode Vietnamese never is.
``--encoding tcvn3`` or ``--encoding vni`` forces the conversion.

>>> decode_bytes(b"S\\xe1\\xbb\\x91: 12\\r\\nLai Ch\\xc3\\xa2u\\r", path="a.txt")
'Số: 12\\nLai Châu\\n'
>>> decode_bytes(b"", path="a.txt")
Traceback (most recent call last):
  ...
plankg.errors.InputError: a.txt: empty file
"""

from __future__ import annotations

import codecs
import errno
import re
import stat
import unicodedata
from pathlib import Path

from plankg.errors import InputError
from plankg.i18n import N_, _
from plankg.loaders import legacy
from plankg.normalize import limit_marks

__all__ = ["decode_bytes", "read_bytes"]

# (BOM, codec). UTF-32 LE must be tested before UTF-16 LE: FF FE is a prefix of
# FF FE 00 00.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# How much of the file the UTF-16 sniffer and the binary check look at. Both are
# statistical, and the head of a file is representative enough while keeping the
# checks cheap on large inputs.
_SAMPLE = 64 * 1024

# UTF-16 without BOM: at least this share of the bytes at one parity must be NUL
# (ASCII and Latin-1 letters, digits and spaces have a zero high byte; most of a
# Vietnamese text is such characters) ...
_UTF16_MIN_NUL_SHARE = 0.2
# ... while the other parity is (almost) NUL-free, because a zero low byte only
# occurs for rare code points such as U+0100 or U+2000.
_UTF16_MAX_OTHER_NUL_SHARE = 0.02

# Control characters that do not occur in text documents. Tab, LF, CR and form feed
# do (form feed separates pages in text exported from some tools).
_CONTROL_CHARS = "".join(chr(c) for c in [*range(0x20), 0x7F] if chr(c) not in "\t\n\r\f")
_CONTROL_BYTES = _CONTROL_CHARS.encode("ascii")
_CONTROL_RE = re.compile("[" + re.escape(_CONTROL_CHARS) + "]")
# Above this share of control characters the data is binary. Random bytes have about
# 11 %; real text has next to none, but a few stray vertical tabs or DOS end-of-file
# marks (0x1A) must not reject a document.
_MAX_CONTROL_SHARE = 0.05

_SURROGATE = re.compile("[\ud800-\udfff]")
_BINARY = N_("binary data, not a text document")
_EMPTY = N_("empty file")
_HINT = N_("use --encoding to choose another encoding")


#: The largest file any reader takes (a plan is rarely over a few megabytes).
MAX_FILE_BYTES = 100_000_000


def read_bytes(path: Path, *, max_bytes: int | None = None) -> bytes:
    """The bytes of one file, with every I/O failure as an :class:`InputError` naming it.

    Only regular files are read: a device (``/dev/zero`` behind a symbolic link), a FIFO
    or a socket is refused before it is opened, since reading one may never end. The
    read itself stops past ``max_bytes`` (default :data:`MAX_FILE_BYTES`), whatever the
    file's reported size.
    """
    name = str(path)
    limit = MAX_FILE_BYTES if max_bytes is None else max_bytes
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputError(_("is a directory"), path=name)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(_("not a regular file (device, FIFO or socket)"), path=name)
        if info.st_size > limit:
            raise InputError(_("file is larger than the size limit ({limit} bytes)").format(limit=limit), path=name)
        with path.open("rb") as handle:
            # A buffer of the reported size, not of the limit: reading into a 100 MB buffer
            # cost 50 times the read itself. A file grown since is read on, up to the limit.
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += handle.read(limit + 1 - len(data))
        if len(data) > limit:
            raise InputError(_("file is larger than the size limit ({limit} bytes)").format(limit=limit), path=name)
        return data
    except FileNotFoundError:
        raise InputError(_("no such file"), path=name) from None
    except IsADirectoryError:
        raise InputError(_("is a directory"), path=name) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(_("symbolic link loop"), path=name) from None
        raise InputError(_("cannot read: {reason}").format(reason=exc.strerror or exc), path=name) from None


def decode_bytes(data: bytes, *, path: str, encoding: str | None = None) -> str:
    """Decode the raw content of one text file.

    Args:
        data: the file's bytes.
        path: the file name, used only in error messages.
        encoding: a Python codec name chosen by the user (``--encoding``), or
            "tcvn3" / "vni" (see :func:`plankg.loaders.legacy.legacy_name`); it
            overrides detection. A leading BOM is still dropped.

    Returns:
        The text without BOM, with ``\\r\\n`` and lone ``\\r`` turned into ``\\n``,
        in Unicode NFC (so a file saved in NFD compares equal to one in NFC), TCVN3
        and VNI text converted to Unicode.

    Raises:
        InputError: the file is empty or blank, looks binary or holds a NUL byte, is not valid in the
            chosen or detected encoding (the message names the 1-based line and the
            0-based byte offset of the first bad byte), or ``encoding`` is unknown.
    """
    if not data:
        raise InputError(_(_EMPTY), path=path)

    chosen_legacy = legacy.legacy_name(encoding) if encoding is not None else None
    if chosen_legacy is not None:
        text = legacy.decode_single_byte(data)
    elif encoding is not None:
        text = _decode_with(data, encoding, path=path)
    else:
        text = _decode_detected(data, path=path)

    # A user-chosen codec such as "utf-8" or "utf-16-le" keeps the BOM as U+FEFF.
    text = text.removeprefix("\ufeff")
    if _looks_binary_text(text):
        raise InputError(_(_BINARY), path=path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    nul = text.find("\x00")
    if nul >= 0:  # past the sample the binary check reads: no text document holds one
        raise InputError(_("NUL byte: a binary file or a damaged text"), path=path, line=text.count("\n", 0, nul) + 1)
    found_legacy = chosen_legacy or legacy.detect(text)
    if found_legacy is not None:
        text = legacy.convert(text, found_legacy)
    if _SURROGATE.search(text):
        # "unicode_escape" can produce lone surrogates ("\\ud800"): no text has them.
        text = _SURROGATE.sub("\ufffd", text)
    text = unicodedata.normalize("NFC", limit_marks(text))
    if not text.strip():
        raise InputError(_(_EMPTY), path=path)
    return text


def _decode_with(data: bytes, encoding: str, *, path: str) -> str:
    """Decode with a codec the user named."""
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise InputError(_("unknown encoding {encoding!r}").format(encoding=encoding), path=path) from None
    try:
        return data.decode(codec.name)
    except LookupError:
        # Names such as "base64" or "rot13" exist in the codec registry but are not
        # bytes -> text encodings; bytes.decode refuses them with LookupError.
        raise InputError(_("unknown encoding {encoding!r}").format(encoding=encoding), path=path) from None
    except UnicodeDecodeError as exc:
        try:
            error = _decode_error(data, 0, exc, codec.name, label=encoding, path=path)
        except (UnicodeError, LookupError):  # a codec without "replace" ("idna") cannot show the line
            error = InputError(_("cannot decode with {encoding!r}: {reason}")
                               .format(encoding=encoding, reason=exc.reason), path=path)
        raise error from None
    except (UnicodeError, ValueError, TypeError) as exc:
        # Codecs such as "idna" or "punycode" fail in their own ways on a document.
        raise InputError(_("cannot decode with {encoding!r}: {exc}")
                         .format(encoding=encoding, exc=exc), path=path) from None


def _decode_detected(data: bytes, *, path: str) -> str:
    """Decode after detecting BOM / UTF-16 / UTF-8."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return body.decode(codec)
            except UnicodeDecodeError as exc:
                raise _decode_error(
                    data, len(bom), exc, codec, label=codec.upper(), path=path
                ) from None

    sniffed = _sniff_utf16(data)
    if sniffed is not None:
        try:
            return data.decode(sniffed)
        except UnicodeDecodeError:
            # NULs at regular offsets but not decodable as UTF-16 (odd length, lone
            # surrogates): some binary format with 16-bit fields.
            raise InputError(_(_BINARY), path=path) from None

    # Checked on the raw bytes, before decoding, so that a binary file is reported
    # as binary and not as "invalid UTF-8 at byte 3". In UTF-8 every byte of a
    # multi-byte sequence is >= 0x80, so C0 control bytes are control characters.
    if _looks_binary_bytes(data[:_SAMPLE]):
        raise InputError(_(_BINARY), path=path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        error = _decode_error(data, 0, exc, "utf-8", label="UTF-8", path=path)
    # TCVN3 and VNI files are single-byte; decode_bytes converts the text afterwards.
    text = legacy.decode_single_byte(data)
    if legacy.detect(text) is not None:
        return text
    raise error


def _decode_error(
    data: bytes,
    base: int,
    exc: UnicodeDecodeError,
    codec: str,
    *,
    label: str,
    path: str,
) -> InputError:
    """Build the error for the first undecodable byte.

    ``base`` is the number of bytes (the BOM) stripped before decoding, so that the
    reported offset is an offset into the file as it is on disk.
    """
    offset = base + exc.start
    # The prefix up to the bad byte is decodable by definition; "replace" only
    # guards against codecs whose error position is not a clean boundary.
    before = data[base:offset].decode(codec, errors="replace")
    line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
    return InputError(
        _("not valid {label} at byte {offset}, 0x{byte:02X} ({hint})")
        .format(label=label, offset=offset, byte=data[offset], hint=_(_HINT)),
        path=path,
        line=line,
    )


def _sniff_utf16(data: bytes) -> str | None:
    """Return "utf-16-le"/"utf-16-be" when the data looks like BOM-less UTF-16."""
    sample = data[: _SAMPLE & ~1]
    if len(sample) < 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul = even.count(0) / len(even)
    odd_nul = odd.count(0) / len(odd)
    if odd_nul >= _UTF16_MIN_NUL_SHARE and even_nul <= _UTF16_MAX_OTHER_NUL_SHARE:
        return "utf-16-le"
    if even_nul >= _UTF16_MIN_NUL_SHARE and odd_nul <= _UTF16_MAX_OTHER_NUL_SHARE:
        return "utf-16-be"
    return None


def _looks_binary_bytes(sample: bytes) -> bool:
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > _MAX_CONTROL_SHARE * len(sample)


def _looks_binary_text(text: str) -> bool:
    sample = text[:_SAMPLE]
    if "\x00" in sample:
        return True
    controls = sum(1 for _ in _CONTROL_RE.finditer(sample))
    return controls > _MAX_CONTROL_SHARE * len(sample)
