"""The language plankg speaks: gettext catalogues, chosen once per process.

Code writes English msgids through :func:`_` (and :func:`ngettext` for counts), as click,
Django and Sphinx do; the Vietnamese catalogue lives in ``plankg/locale/vi/LC_MESSAGES/``.
The language is, in order: :func:`set_language` (the CLI's ``--lang``), ``PLANKG_LANG``,
then the POSIX locale variables (``LC_ALL``, ``LC_MESSAGES``, ``LANG``, ``LANGUAGE``);
anything else is English.

Strings defined before the language is known (rule names, section titles, click help) are
marked with :func:`N_` (:func:`NP_` with a context, read back with :func:`pgettext`), which
Babel extracts but which translates nothing; they are passed through :func:`_` where they are
shown. :func:`term` shows the graph's vocabulary words (kinds, levels, relations, statuses) in
the current language. Messages are worded when they are made: an error raised in English stays
English. ``scripts/update_catalogue.py`` extracts the msgids
into ``plankg/locale/plankg.pot`` and merges them into the ``.po``; the package build
compiles the ``.mo`` (``setup.py``).

Examples
--------
>>> set_language("en")
'en'
>>> _("Error")
'Error'
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "plankg"
LANGUAGES = ("en", "vi")
LANG_ENV = "PLANKG_LANG"
LOCALE_DIR = Path(__file__).parent / "locale"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def detect_language(environ: Mapping[str, str] | None = None) -> str:
    """The language asked for by ``PLANKG_LANG`` or the locale variables, else ``"en"``.

    >>> detect_language({"LANG": "vi_VN.UTF-8"})
    'vi'
    >>> detect_language({"PLANKG_LANG": "en", "LANG": "vi_VN.UTF-8"})
    'en'
    >>> detect_language({"LANG": "C.UTF-8"})
    'en'
    """
    env = os.environ if environ is None else environ
    for name in (LANG_ENV, "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(name, "")
        if value:
            code = value.split(":")[0].split(".")[0].split("_")[0].split("-")[0].lower()
            return code if code in LANGUAGES else "en"
    return "en"


def set_language(language: str | None = None) -> str:
    """Speak ``language`` ("en" or "vi"; None: :func:`detect_language`) from now on; return it."""
    global _translation, _language
    code = detect_language() if language is None else language.lower()
    if code not in LANGUAGES:
        code = "en"
    if code == "en":
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)
    _language = code
    return code


def current_language() -> str:
    """The language set last ("en" until :func:`set_language` is called)."""
    return _language


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it (it is translated where shown)."""
    return message


def NP_(context: str, message: str) -> str:
    """:func:`N_` for a message that means one thing in ``context`` ("path" of an item, not of a file)."""
    return message


def _(message: str) -> str:
    """``message`` in the current language."""
    return _translation.gettext(message)


def pgettext(context: str, message: str) -> str:
    """``message`` in ``context``, in the current language."""
    return _translation.pgettext(context, message)


#: Words of the graph's vocabulary shown in text output (node kinds, levels, relations, link
#: statuses and bands, roles): the values stay English in JSON and RDF, text output translates them.
TERMS: dict[str, str] = {
    "document": N_("document"), "section": N_("section"), "task": N_("task"), "target": N_("target"),
    "agency": N_("agency"), "node": N_("node"),
    "national": N_("national"), "province": N_("province"), "district": N_("district"), "commune": N_("commune"),
    "part_of": N_("part_of"), "applies": N_("applies"), "based_on": N_("based_on"), "cites": N_("cites"),
    "attached_to": N_("attached_to"), "derived_from": N_("derived_from"), "lead": N_("lead"),
    "support": N_("support"), "issued_by": N_("issued_by"), "sub_organization_of": N_("sub_organization_of"),
    "proposed": N_("proposed"), "confirmed": N_("confirmed"), "rejected": N_("rejected"),
    "strong": N_("strong"), "likely": N_("likely"), "weak": N_("weak"),
    "specific": N_("specific"), "collective": N_("collective"), "distributive": N_("distributive"),
    "preamble": N_("preamble"), "purpose": N_("purpose"), "objectives": N_("objectives"), "tasks": N_("tasks"),
    "organisation": N_("organisation"), "other": N_("other"),
}


def term(value: str | None) -> str | None:
    """A vocabulary value (``"task"``, ``"national"``, ``"derived_from"``…) as the text output shows it.

    >>> term("national"), term("Kế hoạch"), term(None)
    ('national', 'Kế hoạch', None)
    """
    return _(TERMS[value]) if value in TERMS else value


def ngettext(singular: str, plural: str, n: int) -> str:
    """``singular`` or ``plural`` for ``n``, in the current language."""
    return _translation.ngettext(singular, plural, n)
