"""Extract plankg's messages into plankg/locale/plankg.pot and merge them into each .po.

Run ``python scripts/update_catalogue.py`` after changing user-visible strings, translate the
new or fuzzy entries of ``plankg/locale/vi/LC_MESSAGES/plankg.po``, and run it again: it also
compiles the ``.mo`` next to the ``.po`` for a checkout used without reinstalling (the package
build compiles it too, see setup.py). ``tests/test_i18n.py`` fails while a msgid lacks a
translation.

The catalogue holds three kinds of msgids:

* the ``_()``, ``ngettext()`` and ``N_()`` strings of the package (Babel's Python extractor);
* the help of the command line: the docstrings of the commands and the ``help=`` strings of
  plankg/cli.py, which click reads while the language is already chosen;
* click's own messages ("Usage:", "Show this message and exit."), extracted from the
  installed click, which marks them with gettext for applications to translate.

Locations are kept without line numbers, so that an edit elsewhere in a file does not
rewrite the catalogue.
"""

from __future__ import annotations

import ast
import inspect
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "plankg"
LOCALE = PACKAGE / "locale"
TEMPLATE = LOCALE / "plankg.pot"
CLI = PACKAGE / "cli.py"
#: Keywords besides Babel's defaults (which include _, ngettext and N_); ``_forms`` is the
#: viewer's count words for its script (plankg/exports/viewer.py), an ngettext pair.
KEYWORDS = {"_": None, "ngettext": (1, 2), "N_": None, "pgettext": ((1, "c"), 2), "NP_": ((1, "c"), 2),
            "_forms": (1, 2)}


def extract_cli_help(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                     options: Any) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extractor for click help: command docstrings and ``help=`` string literals."""
    tree = ast.parse(fileobj.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(_is_command(d) for d in node.decorator_list):
            doc = ast.get_docstring(node, clean=True)
            if doc:
                yield node.lineno, "", doc, []
        elif isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg == "help" and isinstance(keyword.value, ast.Constant) \
                        and isinstance(keyword.value.value, str):
                    yield keyword.value.lineno, "", inspect.cleandoc(keyword.value.value), []


def _is_command(decorator: ast.expr) -> bool:
    """``@cli.command()``, ``@cli.group()``, ``@click.group(...)``, ``@click.command(...)``."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Attribute) and target.attr in ("command", "group")


def extract() -> Any:
    """The template catalogue, fresh from the code (a babel Catalog)."""
    import click
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir, extract_from_file

    from plankg import __version__

    catalog = Catalog(project="plankg", version=__version__, msgid_bugs_address="plankg maintainers",
                      copyright_holder="plankg", fuzzy=False,
                      header_comment="# Messages of plankg, English msgids: python scripts/update_catalogue.py\n#")

    def add(found: Iterator[tuple[Any, ...]], prefix: str) -> None:
        for filename, _lineno, message, comments, context in found:
            location = (f"{prefix}{filename}", None)
            msgid = message if isinstance(message, str) else tuple(message)
            if not (msgid if isinstance(msgid, str) else msgid[0]).strip():
                continue
            catalog.add(msgid, None, [location], auto_comments=comments, context=context)

    add(extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS,
                         strip_comment_tags=True), "plankg/")
    add(((CLI.name, lineno, message, comments, context) for lineno, message, comments, context in
         extract_from_file(extract_cli_help, str(CLI))), "plankg/")
    click_dir = Path(click.__file__).parent
    add(extract_from_dir(str(click_dir), method_map=[("*.py", "python")], keywords=KEYWORDS), "click/")
    return catalog


def _write(path: Path, catalog: Any, **options: Any) -> bool:
    """Write ``catalog`` as a PO file unless only its dates would change; True when written."""
    from io import BytesIO

    from babel.messages.pofile import write_po

    out = BytesIO()
    write_po(out, catalog, width=100, sort_output=True, include_lineno=False, **options)
    new = out.getvalue()

    def body(data: bytes) -> bytes:
        return b"\n".join(line for line in data.splitlines()
                          if not line.startswith((b'"POT-Creation-Date', b'"PO-Revision-Date', b'"Generated-By')))

    if path.exists() and body(path.read_bytes()) == body(new):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(new)
    return True


def compile_catalogues(target: Path = PACKAGE) -> list[Path]:
    """Compile every ``locale/*/LC_MESSAGES/plankg.po`` to its ``.mo`` under ``target``."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/plankg.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        mo = target / po.relative_to(PACKAGE).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as handle:
            write_mo(handle, catalog)
        written.append(mo)
    return written


def main() -> int:
    from babel.messages.pofile import read_po

    template = extract()
    if _write(TEMPLATE, template):
        print(f"wrote {TEMPLATE.relative_to(ROOT)} ({len(template)} messages)")
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/plankg.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        catalog.update(template)
        if _write(po, catalog, ignore_obsolete=True, include_previous=True):
            print(f"updated {po.relative_to(ROOT)}")
        missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy
                                                      or (isinstance(m.string, tuple) and not all(m.string)))]
        if missing:
            print(f"{po.relative_to(ROOT)}: {len(missing)} messages to translate or review (empty or fuzzy)")
    for mo in compile_catalogues():
        print(f"compiled {mo.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
