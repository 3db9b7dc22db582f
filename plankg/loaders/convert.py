"""Legacy word-processor files -> .docx bytes through LibreOffice (before the Word reader).

Plans still circulate as Word 97-2003 ``.doc`` (an OLE compound file, not a zip),
OpenDocument ``.odt`` and ``.rtf``. Rather than a second parser for each of these
formats, :func:`convert_to_docx` has LibreOffice write them as ``.docx``, and the
Word reader (:mod:`plankg.loaders.docx`) does the rest, so there is one Word
interpretation, with its limits and numbering rules, for every word-processor format.

Each conversion runs ``soffice --headless --convert-to docx`` in a throw-away
directory:

* with a private user profile (``-env:UserInstallation``), so that concurrent
  conversions and a LibreOffice the user has open do not meet: with the shared
  profile a second ``soffice`` hands its work to the running instance and exits;
* on a copy of the input under a fixed ASCII name, so that spaces, Vietnamese
  letters or a leading ``-`` in the user's file name never reach a command line;
* in its own process group, killed as a whole when the time limit is reached
  (``soffice`` is a launcher script that starts ``oosplash`` and ``soffice.bin``);
* with no shell, no standard input, and its output captured for error messages.

A conversion takes about 1.2 s (LibreOffice 7.4 on two cores, the 147 KB legacy
plan ``prov_LamDong_KH-UBND_xa-phuong-khong-ma-tuy-2026.doc``), nearly all of it
LibreOffice starting with a fresh profile, so a small file costs the same; four
conversions side by side took 2.9 s.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from plankg.errors import InputError
from plankg.i18n import N_, _
from plankg.loaders.decode import read_bytes

__all__ = ["CONVERTIBLE_SUFFIXES", "convert_to_docx", "find_soffice"]

# Formats handed to LibreOffice. Others it could read (.wpd, .pages, ...) are left
# out on purpose: plans are not written in them, and every format opened is one
# more import filter exposed to untrusted files.
CONVERTIBLE_SUFFIXES = (".doc", ".odt", ".rtf")

# Environment variable naming the LibreOffice program to use (a path or a name
# looked up on PATH), for installations outside PATH such as macOS's
# /Applications/LibreOffice.app/Contents/MacOS/soffice.
ENV_SOFFICE = "PLANKG_SOFFICE"

_INSTALL_HINT = N_(
    "install it (Debian/Ubuntu: apt install libreoffice-writer-nogui; "
    "macOS: brew install --cask libreoffice) or save the file as .docx"
)
# How much of LibreOffice's own output an error message quotes.
_TAIL_CHARS = 600
# Lines LibreOffice prints on every run, whatever happened; they only hide the cause.
_NOISE = ("failed to launch javaldx", "using filter :", "convert ")


def find_soffice() -> str | None:
    """The LibreOffice program to run: ``$PLANKG_SOFFICE``, else ``soffice`` or
    ``libreoffice`` on ``PATH``; ``None`` when none is found.

    When ``PLANKG_SOFFICE`` is set it is the only candidate: a wrong setting is
    reported instead of silently falling back to another installation.
    """
    configured = os.environ.get(ENV_SOFFICE)
    if configured:
        return shutil.which(configured)
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(path: Path, *, timeout: float = 120, max_bytes: int = 50_000_000) -> bytes:
    """Convert a ``.doc``, ``.odt`` or ``.rtf`` file to ``.docx`` and return its bytes.

    Args:
        path: the file to convert; its suffix (any letter case) chooses nothing but
            the temporary copy's name, LibreOffice detects the format from content.
        timeout: seconds LibreOffice may take before it is killed.
        max_bytes: limit on the size of the input file and of the converted file.

    Raises:
        InputError: the file is missing or too large, its suffix is not one of
            :data:`CONVERTIBLE_SUFFIXES`, LibreOffice is not installed, the
            conversion fails, times out or produces no file.
    """
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in CONVERTIBLE_SUFFIXES:
        raise InputError(
            _("cannot convert {what}: only {suffixes}")
            .format(what=suffix or _('files without a suffix'), suffixes=', '.join(CONVERTIBLE_SUFFIXES)),
            path=name,
        )
    data = read_bytes(path, max_bytes=max_bytes)
    if not data:
        raise InputError(_("empty file"), path=name)
    if not _looks_like(data, suffix):
        raise InputError(_("not a {suffix} file (unknown content)").format(suffix=suffix), path=name)

    program = find_soffice()
    if program is None:
        configured = os.environ.get(ENV_SOFFICE)
        detail = " " + _("({variable}={value!r} is not a program)").format(variable=ENV_SOFFICE, value=configured) \
            if configured else ""
        raise InputError(_("cannot read {suffix} without LibreOffice{detail}: {hint}")
                         .format(suffix=suffix, detail=detail, hint=_(_INSTALL_HINT)), path=name)

    with tempfile.TemporaryDirectory(prefix="plankg-soffice-") as tmp:
        work = Path(tmp)
        source = work / "in" / f"document{suffix}"
        outdir = work / "out"
        profile = work / "profile"
        for directory in (source.parent, outdir, profile):
            directory.mkdir()
        source.write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--nologo",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(outdir),
            str(source),
        ]
        output = _run(command, timeout=timeout, name=name, suffix=suffix)
        result = outdir / "document.docx"
        if not result.is_file() or result.stat().st_size == 0:
            raise InputError(
                _("LibreOffice could not convert the {suffix} file (damaged, password-protected or not a "
                   "{suffix} file?){output}").format(suffix=suffix, output=_tail(output)),
                path=name,
            )
        if result.stat().st_size > max_bytes:
            raise InputError(_("converted document is larger than the size limit ({max_bytes} bytes)")
                             .format(max_bytes=max_bytes), path=name)
        return result.read_bytes()


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: Word 97-2003
_ZIP = b"PK\x03\x04"  # OpenDocument, and .docx files renamed to .doc
_RTF = b"{\\rtf"


def _looks_like(data: bytes, suffix: str) -> bool:
    r"""Does the content fit the suffix? LibreOffice opens anything, falling back to
    plain text, so random bytes would come back as a "document" of garbage.

    A ``.doc`` is also accepted as RTF, zip or markup: sites and mail systems hand out
    RTF files, HTML pages ("Save as Web Page") and Word 2003 XML named ``.doc``, and
    LibreOffice reads them all.

    >>> _looks_like(b"{\\rtf1\\ansi ...", ".doc"), _looks_like(b"\x00\x01garbage", ".doc")
    (True, False)
    """
    head = data[:1024].removeprefix(b"\xef\xbb\xbf").lstrip()
    if suffix == ".odt":
        return head.startswith(_ZIP)
    if suffix == ".rtf":
        return head.startswith(_RTF)
    return head.startswith((_OLE, _ZIP, _RTF, b"<"))


def _run(command: list[str], *, timeout: float, name: str, suffix: str) -> str:
    """Run LibreOffice; return its stdout and stderr, raise on failure or timeout."""
    posix = os.name == "posix"
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            # Its own process group: on timeout the launcher and soffice.bin go together.
            start_new_session=posix,
        )
    except OSError as exc:
        raise InputError(
            _("cannot read {suffix}: LibreOffice ({command}) does not start: {reason}")
            .format(suffix=suffix, command=command[0], reason=exc.strerror or exc), path=name
        ) from None
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process, posix)
        process.communicate()
        raise InputError(_("LibreOffice did not convert the {suffix} file within {timeout:g} s")
                         .format(suffix=suffix, timeout=timeout), path=name) from None
    except BaseException:  # KeyboardInterrupt: leave no LibreOffice behind
        _kill(process, posix)
        process.communicate()
        raise
    output = (err + out).decode("utf-8", errors="replace")
    if process.returncode != 0:
        raise InputError(
            _("LibreOffice failed to convert the {suffix} file (exit status {returncode}){output}")
            .format(suffix=suffix, returncode=process.returncode, output=_tail(output)),
            path=name,
        )
    return output


def _kill(process: subprocess.Popen[bytes], posix: bool) -> None:
    try:
        if posix:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass  # already gone


def _tail(output: str) -> str:
    """``": <last lines of LibreOffice's output>"``, or ``""`` when it said nothing useful."""
    lines = [line.strip() for line in output.splitlines()]
    useful = [line for line in lines if line and not any(noise in line for noise in _NOISE)]
    text = " / ".join(useful)
    if not text:
        return ""
    return ": " + (text if len(text) <= _TAIL_CHARS else "..." + text[-_TAIL_CHARS:])
