"""plankg speaks Vietnamese: the catalogue covers every message, and the commands use it.

The Vietnamese tests compile the committed ``.po`` afresh (the package build compiles the
shipped ``.mo`` the same way), so they check the catalogue as it is, not a stale build product.
"""

from __future__ import annotations

import inspect
import re
import string
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from conftest import CORPUS, ROOT, load_script

from plankg import i18n
from plankg.cli import cli

babel = pytest.importorskip("babel", reason="Babel (a test extra) extracts and compiles the catalogue")
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

PO = ROOT / "plankg" / "locale" / "vi" / "LC_MESSAGES" / "plankg.po"
TEMPLATE = ROOT / "plankg" / "locale" / "plankg.pot"


def _read(path: Path) -> Any:
    with path.open("rb") as handle:
        return read_po(handle, locale="vi" if path.suffix == ".po" else None)


def _key(message: Any) -> tuple[str | None, str]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return message.context, msgid


@pytest.fixture(scope="module")
def extracted() -> Any:
    return load_script("update_catalogue").extract()


@pytest.fixture(scope="module")
def vietnamese() -> Any:
    return _read(PO)


@pytest.fixture(scope="module")
def vi_locale(tmp_path_factory: pytest.TempPathFactory, vietnamese: Any) -> Iterator[Path]:
    """The committed Vietnamese catalogue compiled afresh, and plankg reading it."""
    locale = tmp_path_factory.mktemp("locale")
    mo = locale / "vi" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    mo.parent.mkdir(parents=True)
    with mo.open("wb") as handle:
        write_mo(handle, vietnamese)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(i18n, "LOCALE_DIR", locale)
        yield locale
    i18n.set_language("en")


@pytest.fixture()
def vi(vi_locale: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The fresh catalogue, with no language variable set."""
    for name in (i18n.LANG_ENV, "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    yield
    i18n.set_language("en")


# --- the catalogue ------------------------------------------------------------------------

def test_every_message_has_a_vietnamese_translation(extracted: Any, vietnamese: Any) -> None:
    """Fails for each msgid of the code (extracted now) without a reviewed Vietnamese msgstr."""
    translated = {_key(m): m for m in vietnamese if m.id}
    problems = []
    for message in extracted:
        if not message.id:
            continue
        found = translated.get(_key(message))
        strings = () if found is None else (found.string if isinstance(found.string, tuple) else (found.string,))
        if found is None or found.fuzzy or not strings or not all(strings):
            problems.append(_key(message)[1])
    assert not problems, f"untranslated or fuzzy ({len(problems)}); run python scripts/update_catalogue.py and " \
                         f"translate plankg.po: {problems[:10]}"


def test_committed_template_is_current(extracted: Any) -> None:
    committed = {_key(m) for m in _read(TEMPLATE) if m.id}
    fresh = {_key(m) for m in extracted if m.id}
    assert committed == fresh, "plankg/locale/plankg.pot is stale: run python scripts/update_catalogue.py"


def _fields(text: str) -> list[tuple[str, str | None, str | None]]:
    """The replacement fields of a str.format template, and the %(name)s fields of click's few."""
    fields = [(name, conversion, spec) for _, name, spec, conversion in string.Formatter().parse(text)
              if name is not None]
    return sorted(fields + [(name, None, None) for name in re.findall(r"%\((\w+)\)[sd]", text)],
                  key=lambda f: (f[0], f[1] or "", f[2] or ""))


def test_placeholders_are_the_same_in_msgid_and_msgstr(vietnamese: Any) -> None:
    for message in vietnamese:
        if not message.id:
            continue
        # Vietnamese has one plural form; it is worded like the English plural.
        msgid = message.id if isinstance(message.id, str) else message.id[1]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgstr in strings:
            assert sorted(set(_fields(msgstr))) == sorted(set(_fields(msgid))), (msgid, msgstr)


def test_translations_are_nfc_and_keep_help_markers(vietnamese: Any) -> None:
    for message in vietnamese:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgstr in strings:
            assert unicodedata.normalize("NFC", msgstr) == msgstr, message.id
            if isinstance(message.id, str):
                # click's markers: \b keeps a block unwrapped, a blank line separates paragraphs
                assert msgstr.count("\b") == message.id.count("\b"), message.id
                assert msgstr.count("\n\n") == message.id.count("\n\n"), message.id


def _glossary() -> dict[str, set[str]]:
    """English term -> its Vietnamese terms, from the tables of docs/ontology.md."""
    terms: dict[str, set[str]] = {}
    for line in (ROOT / "docs" / "ontology.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith("`"):
            terms.setdefault(cells[1].lower(), set()).add(cells[2].lower())
    return terms


def test_glossary_terms_are_translated_as_the_glossary_says(vietnamese: Any) -> None:
    glossary = _glossary()
    assert glossary["task"] == {"nhiệm vụ"} and glossary["lead agency"] == {"cơ quan chủ trì"}
    problems = []
    for message in vietnamese:
        if not message.id:
            continue
        msgids = [message.id] if isinstance(message.id, str) else list(message.id)
        english = " ".join(re.sub(r"\{[^{}]*\}|%\(\w+\)[sd]", " ", m) for m in msgids).replace("_", " ").lower()
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        vietnamese_text = " ".join(" ".join(s.split()) for s in strings).lower()
        for term, wanted in glossary.items():
            # whole words (plurals too); names such as agency-tasks or higher-level are not terms
            if re.search(rf"(?<![\w-]){re.escape(term)}s?(?![\w-])", english) \
                    and not any(w in vietnamese_text for w in wanted):
                problems.append((msgids[0], term, sorted(wanted)))
    assert not problems, problems


def test_shape_messages_are_in_the_catalogue() -> None:
    from rdflib.namespace import SH

    from plankg.exports.audit import SHAPE_MESSAGES
    from plankg.ontology import load_shapes

    assert set(SHAPE_MESSAGES) == {str(m) for m in load_shapes().objects(None, SH.message)}


# --- the command line ---------------------------------------------------------------------

def _commands() -> Iterator[click.Command]:
    yield cli
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        assert command is not None
        yield command


@pytest.mark.usefixtures("vi")
def test_every_command_and_option_help_is_translated() -> None:
    """A command or option added with English help but no translation (or with a plain
    click.option, whose help cannot follow --lang) fails here."""
    i18n.set_language("vi")
    for command in _commands():
        raw = command.__dict__.get("_msgid_help")
        assert raw, f"{command.name}: no help"
        assert command.help != inspect.cleandoc(raw), f"{command.name}: help not translated"
        for param in command.params:
            if isinstance(param, click.Option) and "--version" not in param.opts:
                msgid = param.__dict__.get("_msgid_help")
                assert msgid is not None, f"{command.name} {param.opts}: use plankg.cli.option for translated help"
                assert param.help != inspect.cleandoc(msgid), f"{command.name} {param.opts}: help not translated"


#: English words the output of a command must not contain in Vietnamese. Data (titles, agency
#: names), ids, file names, option names and METAVARS are not words of this list, or are
#: left out by the tokenizer below.
#: Words that are also Vietnamese syllables ("an", "can", "no", "to") are not in it.
ENGLISH = frozenset("""
    and are as at but by cannot did does found for from has have into is it its lines
    match more none not of on or the this that was were which with without you your
    agency agencies applies audit built bundled cites commune confirmed date deadline deadlines derived
    district document documents edges error errors evidence issuer lead level link links loaded
    national node nodes number option options parsed province proposed rejected reused score
    show signed status strong support target targets task tasks title unknown unparsed uncascaded unpicked
    usage violation violations warning warnings weak workspace wrote
""".split())


#: Command names are names, as options are, in any language.
COMMANDS = frozenset(cli.list_commands(click.Context(cli)))


def _english_words(output: str) -> list[str]:
    output = re.sub(r"plankg( --?\w+)* \w+", " ", output)  # commands quoted in the text ("plankg review")
    words = []
    for token in output.split():
        if token.endswith("…"):
            continue  # a text cut short ("theo" shown as "the…")
        token = token.strip("()[]{}<>,.;:!?\"'«»“”")
        if token.isascii() and token.isalpha() and not token.isupper() and token.lower() in ENGLISH \
                and token not in COMMANDS:
            words.append(token)
    return words


def _english_msgids(extracted: Any) -> list[str]:
    """Literal runs of three or more English words in the msgids."""
    runs = []
    for message in extracted:
        for msgid in [message.id] if isinstance(message.id, str) else list(message.id):
            for run in re.split(r"\{[^{}]*\}|%\(\w+\)[sd]|\n", msgid or ""):
                if len(re.findall(r"[A-Za-z]+", run)) >= 3 and not run.strip().startswith(("-", "$")):
                    runs.append(run.strip())
    return runs


@pytest.fixture(scope="module")
def vi_outputs(tmp_path_factory: pytest.TempPathFactory, seed_workspace: Path, vi_locale: Path) -> dict[str, str]:
    """The main commands run with --lang vi: name -> stdout and stderr."""
    runner = CliRunner()
    workspace = str(seed_workspace)
    built = str(tmp_path_factory.mktemp("vi") / "workspace")
    runs = {
        "demo": ["demo"],
        "build": ["build", str(CORPUS), "--workspace", built],
        "parse": ["parse", "--tasks", str(CORPUS / "004_aaf74f8ca0223593.txt")],
        "stats": ["stats", "--workspace", workspace],
        "gaps": ["gaps", "--workspace", workspace],
        "check": ["check", "--workspace", workspace],
        "lineage": ["lineage", "2233/KH-UBND", "--workspace", workspace],
        "cascade": ["cascade", "21-CTr/TU", "--workspace", workspace],
        "agency": ["agency", "UBND phường", "--workspace", workspace],
        "deadlines": ["deadlines", "--workspace", workspace],
        "search": ["search", "chất thải", "--workspace", workspace],
        "show": ["show", "2233/KH-UBND", "--workspace", workspace],
        "unknown": ["show", "no-such-node-anywhere", "--workspace", workspace],
        "no workspace": ["stats", "--workspace", str(tmp_path_factory.mktemp("empty") / "none")],
        "usage": ["search"],
        "help": ["--help"],
        **{f"{name} --help": [name, "--help"] for name in cli.list_commands(click.Context(cli))},
    }
    outputs = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(i18n.LANG_ENV, raising=False)
        for name, args in runs.items():
            result = runner.invoke(cli, ["--lang", "vi", *args], prog_name="plankg")
            outputs[name] = result.stdout + result.stderr
    return outputs


@pytest.mark.usefixtures("vi")
def test_commands_speak_vietnamese(vi_outputs: dict[str, str], extracted: Any) -> None:
    runs = _english_msgids(extracted)
    assert len(runs) > 100
    for name, output in vi_outputs.items():
        assert output.strip(), name
        assert unicodedata.normalize("NFC", output) == output, name
        assert not _english_words(output), (name, _english_words(output), output[:2000])
        left = [run for run in runs if run in output]
        assert not left, (name, left)


@pytest.mark.usefixtures("vi")
def test_vietnamese_output_reads_as_expected(vi_outputs: dict[str, str]) -> None:
    assert vi_outputs["stats"].startswith("Nút:")
    assert "Chưa triển khai (" in vi_outputs["gaps"]
    assert vi_outputs["check"].startswith("Kiểm tra ")
    assert "\n  lỗi      rõ người (cơ quan chủ trì): " in vi_outputs["check"]
    assert vi_outputs["unknown"].startswith("Lỗi: không tìm thấy nút có mã 'no-such-node-anywhere'")
    assert vi_outputs["no workspace"].startswith("Lỗi: không có kho dữ liệu tại ")
    assert vi_outputs["usage"].startswith("Cách dùng: plankg search [OPTIONS] QUERY")
    assert "Lỗi: Thiếu tham số 'QUERY'." in vi_outputs["usage"]
    assert "Tùy chọn:" in vi_outputs["help"] and "Hiện hướng dẫn này rồi thoát." in vi_outputs["help"]
    assert "Bộ văn bản mẫu: 5 văn bản" in vi_outputs["demo"]
    assert "  Nhiệm vụ:  56 (52 có cơ quan chủ trì, 4 có thời hạn)" in vi_outputs["parse"]


# --- choosing the language ----------------------------------------------------------------

@pytest.mark.usefixtures("vi")
@pytest.mark.parametrize(("env", "args", "expected"), [
    ({}, [], "Nodes:"),
    ({"LANG": "vi_VN.UTF-8"}, [], "Nút:"),
    ({"LC_ALL": "vi_VN.UTF-8", "LANG": "en_US.UTF-8"}, [], "Nút:"),
    ({"LANG": "C.UTF-8", i18n.LANG_ENV: "vi"}, [], "Nút:"),
    ({"LANG": "vi_VN.UTF-8", i18n.LANG_ENV: "en"}, [], "Nodes:"),
    ({"LANG": "vi_VN.UTF-8", i18n.LANG_ENV: "vi"}, ["--lang", "en"], "Nodes:"),
    ({"LANG": "en_US.UTF-8", i18n.LANG_ENV: "en"}, ["--lang", "vi"], "Nút:"),
    ({"LANG": "vi_VN.UTF-8"}, ["--lang=en"], "Nodes:"),
], ids=["default", "LANG", "LC_ALL", "PLANKG_LANG", "PLANKG_LANG-over-LANG", "--lang-over-both",
        "--lang-vi", "--lang="])
def test_language_is_chosen_by_option_then_variable_then_locale(
        seed_workspace: Path, env: dict[str, str], args: list[str], expected: str) -> None:
    result = CliRunner().invoke(cli, [*args, "stats", "--workspace", str(seed_workspace)], env=env)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(expected)


@pytest.mark.usefixtures("vi")
def test_help_follows_the_language_of_each_run() -> None:
    """click keeps its --help option between runs of one process; its text still follows --lang."""
    runner = CliRunner()
    assert "Show this message and exit." in runner.invoke(cli, ["gaps", "--help"]).stdout
    assert "Hiện hướng dẫn này rồi thoát." in runner.invoke(cli, ["--lang", "vi", "gaps", "--help"]).stdout
    assert "Show this message and exit." in runner.invoke(cli, ["--lang", "en", "gaps", "--help"]).stdout


@pytest.mark.usefixtures("vi")
def test_library_errors_are_worded_in_the_current_language(tmp_path: Path) -> None:
    from plankg.errors import InputError
    from plankg.loaders import load_file

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    i18n.set_language("vi")
    with pytest.raises(InputError, match="tệp trống"):
        load_file(empty)
    i18n.set_language("en")
    with pytest.raises(InputError, match="empty file"):
        load_file(empty)
