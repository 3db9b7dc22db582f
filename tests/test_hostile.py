"""Hostile input: files that never end, links that loop, lines made to be slow.

Each case gives one clear ``Error:`` line or a record, in linear time, and the rest of a
batch is still parsed.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from plankg.cli import cli
from plankg.errors import InputError
from plankg.loaders import load_file, load_text
from plankg.loaders.clean import clean_text

PLAN = "Số: 1/KH-UBND\nKẾ HOẠCH\nThử\n1. Sở Y tế chủ trì.\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(), reason="POSIX only")
def test_devices_fifos_and_link_loops_are_refused_before_reading(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(PLAN, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would block forever
    (tmp_path / "zero.docx").symlink_to("/dev/zero")  # its st_size is 0, its content endless
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    result = CliRunner().invoke(cli, ["parse", str(tmp_path)])
    assert result.exit_code == 1
    assert sorted(result.stderr.splitlines()) == [
        f"Error: {tmp_path / 'loop.txt'}: symbolic link loop",
        f"Error: {tmp_path / 'pipe.txt'}: not a regular file (device, FIFO or socket)",
        f"Error: {tmp_path / 'zero.docx'}: not a regular file (device, FIFO or socket)",
    ]
    assert "good.txt" in result.stdout and "1/KH-UBND" in result.stdout


def test_a_file_that_grows_past_the_limit_while_read_is_refused(tmp_path: Path) -> None:
    from plankg.loaders.decode import read_bytes

    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2000)
    with pytest.raises(InputError, match="larger than the size limit"):
        read_bytes(path, max_bytes=1000)


def test_a_file_larger_than_its_reported_size_is_read_to_the_limit(tmp_path: Path) -> None:
    # The read's buffer is the size the file reported; bytes past it (a file still being
    # written) are read on, up to the limit.
    from plankg.loaders.decode import read_bytes

    class Grown(type(tmp_path)):  # type: ignore[misc]
        def stat(self, **kwargs: Any) -> os.stat_result:  # reports 10 bytes, whatever the file holds
            real = super().stat(**kwargs)
            return os.stat_result((*real[:6], 10, *real[7:10]))

    path = Grown(tmp_path / "grown.txt")
    path.write_bytes(b"a" * 900)
    assert read_bytes(path, max_bytes=1000) == b"a" * 900
    path.write_bytes(b"a" * 2000)
    with pytest.raises(InputError, match="larger than the size limit"):
        read_bytes(path, max_bytes=1000)


def _seconds(text: str) -> float:
    start = time.perf_counter()
    clean_text(text)
    return time.perf_counter() - start


def test_cleaning_is_linear_on_long_runs_of_spaces_and_marks() -> None:
    # A megabyte of ordinary text is the yardstick; adversarial lines of the same size
    # may cost a small multiple of it, never the square of their length.
    ordinary = ("Sở Y tế chủ trì, phối hợp với các sở, ngành rà soát quy hoạch năm 2026.\n" * 14_000)[:1_000_000]
    budget = max(_seconds(ordinary), 0.05) * 20
    for hostile in (" " * 1_000_000 + "x²", "x" + " " * 500_000 + "¹" * 500_000, "a" + "\u0301\u0323" * 500_000):
        assert _seconds(hostile) < budget


def test_a_flood_of_combining_marks_is_cut_to_what_a_letter_carries(tmp_path: Path) -> None:
    path = tmp_path / "marks.txt"
    path.write_text("KẾ HOẠCH\n" + "a" + "\u0301\u0323" * 100_000 + "\n", encoding="utf-8")
    start = time.perf_counter()
    record = load_file(path)
    assert time.perf_counter() - start < 5  # was 30 s in repeated Unicode normalisation
    assert record.document.title is not None and len(record.document.title) <= 4


def test_units_keep_their_superscripts_and_footnote_marks_become_references() -> None:
    text = ("KẾ HOẠCH\nThử\n1. Sở Xây dựng chủ trì cải tạo 32 m² nhà ở theo Nghị quyết số 66-NQ/TW¹.\n"
            "2. Sở Y tế chủ trì, năm 2026.\n\n¹ Về phát triển nhà ở xã hội.\n")
    record = load_text(text)
    assert "32 m²" in record.tasks[0].text
    assert [c.number for c in record.citations] == ["66-NQ/TW"]
    # The footnote's text is not run into the task above it; both ends are kept, tied by the mark.
    assert record.tasks[1].text == "Sở Y tế chủ trì, năm 2026."
    assert [a.to_dict() for a in record.annotations] == [
        {"line": 3, "kind": "footnote", "text": "1", "after": "66-NQ/TW", "note": "Về phát triển nhà ở xã hội."},
        {"line": 6, "kind": "note", "text": "1", "note": "Về phát triển nhà ở xã hội."},
    ]


def test_bookmarks_are_kept_as_annotations_with_their_lines() -> None:
    text = "KẾ HOẠCH\nThử\n[bookmark: Sở Tài chính giao]\n1. [bookmark: b2]Sở Y tế chủ trì.\n[bookmark: ]\n"
    record = load_text(text)
    assert [(a.line, a.kind, a.text) for a in record.annotations] == [
        (3, "bookmark", "Sở Tài chính giao"), (4, "bookmark", "b2"), (5, "bookmark", "")]
    assert record.tasks[0].text == "Sở Y tế chủ trì."
    assert record.decoration_lines == () and record.unparsed == ()


@pytest.mark.parametrize(("encoding", "data"), [("idna", "KẾ HOẠCH\n".encode()), ("unicode_escape", b"x\\ud800y\n"),
                                                 ("punycode", b"\xff\xfe\n")])
def test_odd_codecs_give_an_error_or_a_record_never_a_traceback(tmp_path: Path, encoding: str, data: bytes) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["parse", "--encoding", encoding, str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output


def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    task = "1. Sở Y tế chủ trì, hoàn thành trong năm 2026.\n"
    body = "KẾ HOẠCH\nThử nghiệm \x1b]0;pwned\x07 tiêu đề \x1b[2J\n" + task * 30
    path = tmp_path / "esc\x1b[31m.txt"
    path.write_text(body, encoding="utf-8")
    missing = tmp_path / "gone\x1b[2J.txt"
    result = CliRunner().invoke(cli, ["parse", str(path), str(missing)])
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\x1b" not in result.stderr
    assert "\\x1b]0;pwned\\x07" in result.stdout
    assert result.stderr == f"Error: {tmp_path}/gone\\x1b[2J.txt: no such file or directory\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="Linux only")
def test_a_full_disk_on_stdout_is_an_error_line() -> None:
    import subprocess
    import sys

    corpus = Path(__file__).parents[1] / "plankg" / "data" / "corpus" / "004_aaf74f8ca0223593.txt"
    with open("/dev/full", "w") as full:
        run = subprocess.run([sys.executable, "-m", "plankg", "parse", str(corpus)], stdout=full,
                             stderr=subprocess.PIPE, text=True, check=False)
    assert run.returncode == 1
    assert run.stderr == "Error: cannot write the output: No space left on device\n"


def test_a_letter_counter_set_to_two_billion_costs_nothing(tmp_path: Path) -> None:
    import docx
    from test_docx import _add_list, _level, _numbered

    document = docx.Document()
    _add_list(document, 7, [_level(0, "lowerLetter", "%1)", start=2_000_000_000)], {7: ""})
    _numbered(document, "Sở Y tế chủ trì.", 7)
    path = tmp_path / "counter.docx"
    document.save(str(path))
    start = time.perf_counter()
    from plankg.loaders.docx import read_docx

    assert read_docx(path) == "2000000000) Sở Y tế chủ trì.\n"
    assert time.perf_counter() - start < 5  # was a 77-million-letter label and 6 GB


def test_a_two_billion_column_span_is_capped(tmp_path: Path) -> None:
    import docx
    from docx.oxml.parser import parse_xml

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Nhiệm vụ"
    table.cell(0, 1).text = "Sở Y tế"
    tc_pr = table.cell(0, 0)._tc.get_or_add_tcPr()
    tc_pr.append(parse_xml('<w:gridSpan xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                           'w:val="2000000000"/>'))
    path = tmp_path / "span.docx"
    document.save(str(path))
    from plankg.loaders.docx import read_docx_blocks

    source = read_docx_blocks(path)
    assert max(len(row) for block in source.blocks if hasattr(block, "rows") for row in block.rows) <= 128


def _plans(folder: Path, prefix: str, count: int) -> Path:
    folder.mkdir()
    for i in range(count):
        (folder / f"{prefix}{i}.txt").write_text(
            f"Số: {i + 1}/KH-UBND\nỦY BAN NHÂN DÂN\nPHƯỜNG {prefix.upper()}{i}\nKẾ HOẠCH\nThử {prefix} {i}\n"
            "1. Công an phường chủ trì rà soát, hoàn thành trong năm 2026.\n", encoding="utf-8")
    return folder


def test_two_builds_at_once_keep_every_document(tmp_path: Path) -> None:
    import subprocess
    import sys

    from plankg.graph.workspace import load_records

    workspace = tmp_path / "ws"
    a, b = _plans(tmp_path / "a", "an", 12), _plans(tmp_path / "b", "binh", 12)
    command = [sys.executable, "-m", "plankg", "build", "--workspace", str(workspace)]
    runs = [subprocess.Popen([*command, str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for folder in (a, b)]
    outcomes = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outcomes
    sources = {record.document.source for record in load_records(workspace)}
    assert sources == {f"an{i}.txt" for i in range(12)} | {f"binh{i}.txt" for i in range(12)}


def test_no_wait_refuses_a_second_build_clearly(tmp_path: Path) -> None:
    import fcntl

    workspace = tmp_path / "ws"
    workspace.mkdir()
    plans = _plans(tmp_path / "a", "an", 1)
    with (workspace / "build.lock").open("a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = CliRunner().invoke(cli, ["build", "--no-wait", "--workspace", str(workspace), str(plans)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: another build is running on {workspace}: wait for it, or use --wait\n"


@pytest.mark.parametrize(("content", "message"), [
    ("child,parent,status,reason\n".encode("utf-16"), None),  # "Unicode text" from a spreadsheet: read
    (b"child,parent,status,reason\n\xff\xfe,x\n", "curation.csv:2: the curation file is not UTF-8"),
    ("child,parent,status,reason\na,b,confirmed," + "x" * 140_000 + "\n", "not valid CSV: field larger"),
    (None, "the curation file is a directory"),
])
def test_a_bad_curation_file_is_one_error_line(tmp_path: Path, content: bytes | str | None,
                                               message: str | None) -> None:
    workspace = tmp_path / "ws"
    plans = _plans(tmp_path / "a", "an", 1)
    assert CliRunner().invoke(cli, ["build", "--workspace", str(workspace), str(plans)]).exit_code == 0
    curation = workspace / "curation.csv"
    curation.unlink()
    if content is None:
        curation.mkdir()
    elif isinstance(content, str):
        curation.write_text(content, encoding="utf-8")
    else:
        curation.write_bytes(content)
    result = CliRunner().invoke(cli, ["build", "--workspace", str(workspace), str(plans)])
    assert "Traceback" not in result.output
    if message is None:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1 and message in result.stderr


@pytest.mark.skipif(os.name != "posix", reason="POSIX file names are bytes")
def test_a_file_name_that_is_not_utf8_builds_and_rebuilds(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/k\xe9.txt", "w", encoding="utf-8") as handle:
        handle.write(PLAN)
    workspace = tmp_path / "ws"
    first = CliRunner().invoke(cli, ["build", "--workspace", str(workspace), str(folder)])
    again = CliRunner().invoke(cli, ["build", "--workspace", str(workspace), str(folder)])
    assert (first.exit_code, again.exit_code) == (0, 0), first.output + again.output
    assert "(0 parsed, 1 reused)" in again.stdout


def test_a_workspace_whose_records_folder_became_a_file_is_rebuilt(tmp_path: Path) -> None:
    import shutil

    workspace, plans = tmp_path / "ws", _plans(tmp_path / "a", "an", 2)
    assert CliRunner().invoke(cli, ["build", "--workspace", str(workspace), str(plans)]).exit_code == 0
    shutil.rmtree(workspace / "records")
    (workspace / "records").write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--workspace", str(workspace), str(plans)])
    assert result.exit_code == 0 and "(2 parsed, 0 reused)" in result.stdout


def test_control_characters_from_a_source_keep_every_export_readable(tmp_path: Path) -> None:
    import json

    import networkx as nx
    import rdflib

    # A vertical tab, an escape sequence and U+FFFE, as copied out of Word files and PDFs.
    dirty = "Sở Y tế\x0b chủ trì, \x1b[31mphối hợp\ufffe"
    plan = tmp_path / "plan.txt"
    plan.write_text(f"Số: 1/KH-UBND\nKẾ HOẠCH\nThử\n1. {dirty}, hoàn thành năm 2026.\n", encoding="utf-8")
    workspace = tmp_path / "ws"
    assert CliRunner().invoke(cli, ["build", "--workspace", str(workspace), str(plan)]).exit_code == 0

    def export(fmt: str) -> Path:
        out = tmp_path / f"graph.{fmt}"
        result = CliRunner().invoke(cli, ["export", "--workspace", str(workspace), "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        return out

    # The XML formats replace what XML 1.0 cannot hold with U+FFFD and stay well-formed...
    rdf = rdflib.Graph().parse(export("xml"), format="xml")
    assert any("Sở Y tế\ufffd chủ trì, \ufffd[31mphối hợp\ufffd" in str(o) for o in rdf.objects())
    for fmt in ("graphml", "gexf"):
        graph = getattr(nx, f"read_{fmt}")(export(fmt))
        labels = [str(v) for _, data in graph.nodes(data=True) for v in data.values()]
        assert any("Sở Y tế\ufffd chủ trì" in label for label in labels), fmt
    # ...while JSON and Turtle escape them and keep the exact text.
    nodes = json.loads(export("json").read_text(encoding="utf-8"))["nodes"]
    assert any(dirty in str(node.get("label")) for node in nodes)
    turtle = rdflib.Graph().parse(export("turtle"), format="turtle")
    assert any(dirty in str(o) for o in turtle.objects())


def test_control_characters_in_the_graph_never_reach_the_terminal_from_a_query(tmp_path: Path) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_text("Số: 1/KH-UBND\nKẾ HOẠCH\nThử\n1. Sở Y tế\x0b chủ trì, \x1b]0;pwned\x07 phối hợp, năm 2026.\n",
                    encoding="utf-8")
    workspace = tmp_path / "ws"
    built = CliRunner().invoke(cli, ["build", "--workspace", str(workspace), str(plan)])
    assert built.exit_code == 0 and "\x1b" not in built.output
    task = CliRunner().invoke(cli, ["search", "--workspace", str(workspace), "--json", "pho hop"])
    task_id = task.stdout.split('"id": "')[1].split('"')[0]
    commands = [["search", "pho hop"], ["show", task_id], ["lineage", task_id], ["cascade", task_id.split("#")[0]],
                ["agency", "Sở Y tế"], ["deadlines"], ["gaps"], ["check"],
                ["sparql", "SELECT ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"]]
    for command in commands:
        result = CliRunner().invoke(cli, [command[0], "--workspace", str(workspace), *command[1:]])
        assert not {"\x1b", "\x07", "\x0b"} & set(result.output), command
        if command[0] in ("search", "show", "lineage", "agency", "sparql"):  # these print the task's text
            assert "\\x1b]0;pwned\\x07" in result.stdout, (command, result.output)


@pytest.mark.skipif(os.name != "posix", reason="file size limits are POSIX")
@pytest.mark.parametrize("limit", [20_000, 300_000])  # fails writing a record, or the graph
def test_a_full_disk_while_building_keeps_the_previous_build(tmp_path: Path, limit: int) -> None:
    import resource
    import shutil
    import subprocess
    import sys

    sources = tmp_path / "plans"
    sources.mkdir()
    files = sorted((Path(__file__).parents[1] / "plankg" / "data" / "corpus").glob("*.txt"))
    for path in files[:1]:
        shutil.copy(path, sources)
    workspace = tmp_path / "ws"
    assert CliRunner().invoke(cli, ["build", "--workspace", str(workspace), str(sources)]).exit_code == 0
    before = CliRunner().invoke(cli, ["stats", "--workspace", str(workspace)]).stdout
    for path in files[1:]:
        shutil.copy(path, sources)

    def file_size_limit() -> None:  # writes past it fail with EFBIG, as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    full = subprocess.run([sys.executable, "-m", "plankg", "build", "--workspace", str(workspace), str(sources)],
                          preexec_fn=file_size_limit, capture_output=True, text=True, check=False)
    assert full.returncode == 1 and "Traceback" not in full.stderr
    assert full.stderr.startswith(f"Error: {workspace}") and "this build was not saved" in full.stderr
    assert not list(workspace.glob("**/*.tmp"))
    assert CliRunner().invoke(cli, ["stats", "--workspace", str(workspace)]).stdout == before
    again = CliRunner().invoke(cli, ["build", "--workspace", str(workspace), str(sources)])
    assert again.exit_code == 0 and f"{len(files)} documents" in again.stdout


@pytest.mark.skipif(os.name != "posix", reason="address-space limits are POSIX")
def test_a_hostile_batch_in_limited_memory_gives_error_lines_and_the_good_record(tmp_path: Path) -> None:
    import resource
    import subprocess
    import sys
    import zipfile

    import docx

    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good.txt").write_text(PLAN, encoding="utf-8")
    with zipfile.ZipFile(folder / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as bomb:  # 200 MB of zeros unpacked
        bomb.writestr("word/document.xml", "<w:document/>")
        with bomb.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            for _ in range(200):
                member.write(bytes(1 << 20))
    nested = docx.Document()
    nested.add_paragraph("KẾ HOẠCH")
    cell = nested.add_table(rows=1, cols=1).cell(0, 0)
    for depth in range(150):  # tables in tables, deeper than any XML parser allows
        cell.paragraphs[0].text = f"{depth}. Sở Y tế chủ trì"
        cell = cell.add_table(rows=1, cols=1).cell(0, 0)
    nested.save(str(folder / "nested.docx"))
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Pages 2 0 R >> garbage")
    (folder / "noise.txt").write_bytes(os.urandom(200_000))
    (folder / "one-line.txt").write_text("Sở Y tế chủ trì, " * 200_000, encoding="utf-8")  # 3.4 MB, no newline

    def one_gigabyte() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    result = subprocess.run([sys.executable, "-m", "plankg", "parse", str(folder)], preexec_fn=one_gigabyte,
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    errors = sorted(result.stderr.splitlines())
    assert [line.split(": ")[1] for line in errors] == [str(folder / name) for name in
                                                       ("bomb.docx", "corrupt.pdf", "nested.docx", "noise.txt")]
    assert "nested more than 256 levels deep" in result.stderr and "zip bomb" in result.stderr
    assert "1/KH-UBND" in result.stdout and "one-line.txt" in result.stdout


def test_a_nul_byte_past_the_binary_sample_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "late-nul.txt"
    body = PLAN + "2. Sở Tài chính chủ trì, hoàn thành năm 2026.\n" * 2000  # ~100 KB before the NUL
    path.write_bytes((body + "3. Sở\x00 Nội vụ chủ trì.\n").encode("utf-8"))
    with pytest.raises(InputError) as info:
        load_file(path)
    assert str(info.value) == f"{path}:{body.count(chr(10)) + 1}: NUL byte: a binary file or a damaged text"


@pytest.mark.parametrize("reltype", ["styles", "numbering"])
def test_styles_or_numbering_outside_the_package_are_ignored_not_fetched(tmp_path: Path, reltype: str) -> None:
    import io
    import re
    import zipfile

    import docx

    document = docx.Document()
    for text in ("KẾ HOẠCH", "Thử nghiệm", "1. Sở Y tế chủ trì, năm 2026."):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "external.docx"
    with zipfile.ZipFile(buffer) as old, zipfile.ZipFile(path, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                pattern = rf'(<Relationship [^>]*relationships/{reltype}"[^>]*?)(/?>)'
                data, count = re.subn(pattern.encode(), rb'\1 TargetMode="External"\2', data)
                assert count == 1
            new.writestr(info, data)
    record = load_file(path)
    assert [t.text for t in record.tasks] == ["Sở Y tế chủ trì, năm 2026."]


def test_a_store_locked_by_another_program_is_reported_as_locked_not_corrupt(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from plankg.graph import store
    from plankg.graph.workspace import build_workspace

    workspace = tmp_path / "ws"
    source = tmp_path / "a.txt"
    source.write_text(PLAN, encoding="utf-8")
    build_workspace([source], workspace)
    monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.1)
    holder = sqlite3.connect(workspace / "graph.sqlite", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = CliRunner().invoke(cli, ["stats", "--workspace", str(workspace)])
    finally:
        holder.close()
    assert result.exit_code == 1
    assert "is locked by another program" in result.stderr and "corrupt" not in result.stderr
    assert CliRunner().invoke(cli, ["stats", "--workspace", str(workspace)]).exit_code == 0


def test_a_workspace_that_cannot_be_created_is_one_error_line(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text(PLAN, encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(source), "--workspace", str(blocker / "ws")])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: cannot write the workspace at {blocker / 'ws'}")
