"""The command line: exact output, exit codes and error lines."""

from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import CORPUS

import plankg.cli
from plankg.cli import cli
from plankg.graph.workspace import build_workspace, load_graph
from plankg.loaders.sources import SUFFIXES
from plankg.model import DocumentRecord
from plankg.synthetic import write_cascade

WARD = CORPUS / "000_52f910eca6da929a.txt"
PROVINCE = CORPUS / "004_aaf74f8ca0223593.txt"


def test_parse_summary(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["parse", str(PROVINCE)])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.splitlines()[:6] == [
        "004_aaf74f8ca0223593.txt",
        "  Kế hoạch 2233/KH-UBND",
        "  Title:    Triển khai, thực hiện Thông báo số 130/TB-VPCP ngày 17/3/2026 của",
        "            Văn phòng Chính phủ kết luận của Thường trực Chính phủ tại buổi làm",
        "            việc với Ban Thường vụ Tỉnh ủy Lai Châu",
        "  Issuer:   UBND tỉnh Lai Châu (level province, jurisdiction tỉnh Lai Châu)",
    ]
    assert "  Applies:  130/TB-VPCP (Văn phòng Chính phủ, 2026-03-17); 01-TB/BCĐ\n" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80  # read in a terminal


def test_parse_json_one_file_is_an_object(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["parse", "--json", str(PROVINCE)])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["document"]["number"] == "2233/KH-UBND"
    assert "Ủy" in result.stdout  # ensure_ascii=False: Vietnamese stays readable


def test_parse_json_several_files_is_a_list(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["parse", "--json", str(WARD), str(PROVINCE)])
    assert result.exit_code == 0
    assert [d["document"]["source"] for d in json.loads(result.stdout)] == [WARD.name, PROVINCE.name]


def test_parse_folder(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["parse", "--json", str(CORPUS)])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 5


def test_batch_reports_every_bad_file_and_parses_the_good(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    bad = tmp_path / "bad.txt"
    bad.write_bytes("Dòng một\nDòng hai\n".encode() + b"D\xf2ng ba\n")
    missing = tmp_path / "missing.txt"
    result = runner.invoke(cli, ["parse", str(missing), str(empty), str(PROVINCE), str(binary), str(bad)])
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert errors[0] == f"Error: {missing}: no such file or directory"
    assert f"Error: {empty}: empty file" in errors
    assert f"Error: {binary}: binary data, not a text document" in errors
    assert any(e.startswith(f"Error: {bad}:3: not valid UTF-8") for e in errors), errors
    assert len(errors) == 4
    assert "Traceback" not in result.output
    assert result.stdout.startswith("004_aaf74f8ca0223593.txt\n")


def test_directory_without_documents(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "note.png").write_bytes(b"x")
    result = runner.invoke(cli, ["parse", str(tmp_path)])
    assert result.exit_code == 1
    suffixes = ", ".join(SUFFIXES)
    assert result.stderr == f"Error: {tmp_path}: no documents ({suffixes}) in directory\n"
    assert result.stdout == ""


def test_encoding_option(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "cp.txt"
    path.write_bytes("KẾ HOẠCH\nThử nghiệm\n".encode("utf-16-le"))
    result = runner.invoke(cli, ["parse", "--json", "--encoding", "utf-16-le", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["document"]["type"] == "Kế hoạch"


def test_usage_error_is_exit_2(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["parse"])
    assert result.exit_code == 2


def test_demo(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["demo"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Bundled corpus: 5 documents\n")
    assert "2233/KH-UBND" in result.stdout


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.stdout.startswith("plankg, version ")


# --- workspace commands ----------------------------------------------------------------

NATIONAL_PLAN = "thu-tuong-chinh-phu/2024/ke-hoach-7a8f4a24"
WASTE_TASK = "tinh-lai-chau/ubnd-phuong-doan-ket/2026/kh-ubnd-3a4c2327#III/7/7.1/-3"
UNKNOWN = "Error: unknown node id 'no/such#task'\n"


def _run(runner: CliRunner, workspace: Path, *args: str) -> Result:
    return runner.invoke(cli, [*args, "--workspace", str(workspace)])


def test_build_prints_one_line_and_reuses_records(
        runner: CliRunner, tmp_path: Path, seed_records: dict[str, DocumentRecord]) -> None:
    workspace = tmp_path / "ws"
    result = _run(runner, workspace, "build", str(CORPUS))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    tasks = sum(len(r.tasks) for r in seed_records.values())
    links = sum(1 for *_, d in load_graph(workspace).edges(data=True) if d["relation"] == "derived_from")
    totals = f"{tasks} tasks, {links} links\n"
    assert result.stdout == f"Built workspace {workspace}: 5 documents (5 parsed, 0 reused), {totals}"
    again = _run(runner, workspace, "build", str(CORPUS))
    assert again.stdout == f"Built workspace {workspace}: 5 documents (0 parsed, 5 reused), {totals}"


def test_build_shows_progress_only_on_a_terminal(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plankg.cli, "_stderr_is_tty", lambda: True)
    result = _run(runner, tmp_path / "ws", "build", str(WARD))
    assert result.exit_code == 0
    assert all(stage in result.stderr for stage in ("Parsing", "Building the graph", "Linking",
                                                    "Writing the workspace"))
    assert result.stdout.startswith(f"Built workspace {tmp_path / 'ws'}: 1 document (1 parsed, 0 reused)")
    monkeypatch.setattr(plankg.cli, "_stderr_is_tty", lambda: False)
    piped = _run(runner, tmp_path / "ws2", "build", str(WARD))
    assert piped.exit_code == 0 and piped.stderr == ""


def test_build_reports_bad_files_and_builds_the_good(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.txt"
    result = _run(runner, tmp_path / "ws", "build", str(missing), str(WARD), str(empty))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {missing}: no such file or directory\nError: {empty}: empty file\n"
    assert result.stdout.startswith(f"Built workspace {tmp_path / 'ws'}: 1 document (1 parsed, 0 reused), ")


def test_build_with_nothing_to_load(runner: CliRunner, tmp_path: Path) -> None:
    result = _run(runner, tmp_path / "ws", "build", str(tmp_path / "missing.txt"))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'missing.txt'}: no such file or directory\n"
    assert result.stdout == ""


def test_build_refuses_a_directory_that_is_not_a_workspace(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = _run(runner, tmp_path, "build", str(WARD))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {tmp_path} holds other files and is not a plankg workspace: "
                             "choose another --workspace\n")


def test_lineage(runner: CliRunner, seed_workspace: Path) -> None:
    result = _run(runner, seed_workspace, "lineage", WASTE_TASK)
    assert result.exit_code == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        f"task {WASTE_TASK} (commune)",
        "  Thực hiện tốt quy chế quản lý chất thải, chất gây ô nhiễm môi trường, phối hợp quản lý chặt chẽ môi "
        "trường trong các cơ sở khai thác chế biến khoáng sản,...",
    ]
    assert lines[2].startswith("  ↑ derived_from 0.")
    assert f"document {NATIONAL_PLAN} (national)" in lines


def test_lineage_json(runner: CliRunner, seed_workspace: Path) -> None:
    result = _run(runner, seed_workspace, "lineage", WASTE_TASK, "--json")
    assert result.exit_code == 0
    steps = json.loads(result.stdout)
    assert steps[0]["id"] == WASTE_TASK and steps[0]["relation"] is None
    assert steps[1]["relation"] == "derived_from" and steps[1]["document"] == NATIONAL_PLAN
    assert isinstance(steps[1]["evidence"], list) and 0 < steps[1]["score"] <= 1
    assert "Thực hiện tốt" in result.stdout


@pytest.mark.parametrize("command", ["lineage", "cascade", "show"])
def test_unknown_id_is_one_error_line(runner: CliRunner, seed_workspace: Path, command: str) -> None:
    result = _run(runner, seed_workspace, command, "no/such#task")
    assert result.exit_code == 1
    assert result.stderr == UNKNOWN
    assert result.stdout == ""


def test_gaps_under_unknown_id(runner: CliRunner, seed_workspace: Path) -> None:
    result = _run(runner, seed_workspace, "gaps", "--under", "no/such#task")
    assert (result.exit_code, result.stderr) == (1, UNKNOWN)


def test_missing_workspace(runner: CliRunner, tmp_path: Path) -> None:
    result = _run(runner, tmp_path / "nowhere", "lineage", WASTE_TASK)
    assert result.exit_code == 1
    assert result.stderr == f"Error: no workspace at {tmp_path / 'nowhere'}: run 'plankg build PATH' first\n"


def test_corrupt_workspace(runner: CliRunner, seed_workspace: Path, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(seed_workspace, workspace)
    (workspace / "graph.sqlite").write_text('{"nodes": [', encoding="utf-8")
    result = _run(runner, workspace, "stats")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: workspace at {workspace} is corrupt or from another plankg version: "
                             "rebuild it with 'plankg build'\n")
    assert "Traceback" not in result.output


def test_workspace_from_the_environment(runner: CliRunner, seed_workspace: Path) -> None:
    result = runner.invoke(cli, ["stats"], env={"PLANKG_WORKSPACE": str(seed_workspace)})
    assert result.exit_code == 0
    assert result.stdout.startswith("Nodes:     agency ")


def test_cascade(runner: CliRunner, seed_workspace: Path) -> None:
    result = _run(runner, seed_workspace, "cascade", NATIONAL_PLAN)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"document {NATIONAL_PLAN} (national)  Kế hoạch: Thực hiện Quy hoạch tỉnh Lai Châu")
    waste = next(line for line in lines if WASTE_TASK in line)
    assert "derived_from 0." in waste and "[lead: Phòng Kinh tế, Hạ tầng và Đô thị phường Đoàn Kết;" in waste
    root = json.loads(_run(runner, seed_workspace, "cascade", NATIONAL_PLAN, "--json").stdout)
    assert root["id"] == NATIONAL_PLAN and root["children"]


def test_gaps(runner: CliRunner, seed_workspace: Path) -> None:
    result = _run(runner, seed_workspace, "gaps")
    assert result.exit_code == 0
    headings = [line.split(" (")[0] for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert headings == ["Uncascaded", "Orphans, no matching directive", "Orphans, directive not loaded",
                        "Weak links only", "Unpicked"]
    commune = json.loads(_run(runner, seed_workspace, "gaps", "--level", "commune", "--json").stdout)
    assert set(commune) == {"uncascaded", "orphans", "unpicked", "weak", "inherited"}
    assert commune["inherited"] == []  # only below a plan of a unit that succeeded others (--under)
    assert all(g["reason"] in ("not-loaded", "no-match") for g in commune["orphans"])
    assert all(g["parent"] and g["score"] < 0.3 for g in commune["weak"])
    assert all(g["lower"] == "tinh-lai-chau/ubnd-phuong-doan-ket/2026/kh-ubnd-3a4c2327" for g in commune["uncascaded"])
    ward = _run(runner, seed_workspace, "gaps", "--level", "ward", "--json")
    assert ward.exit_code == 0 and json.loads(ward.stdout) == commune


def test_agency(runner: CliRunner, seed_workspace: Path) -> None:
    result = _run(runner, seed_workspace, "agency", "cong an phuong")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "Công an phường Đoàn Kết (agency:tinh-lai-chau/cong-an-phuong-doan-ket): 2 tasks")
    none = _run(runner, seed_workspace, "agency", "Bộ Ngoại giao")
    assert (none.exit_code, none.stdout) == (0, "No task is led or supported by an agency matching 'Bộ Ngoại giao'.\n")


def test_search_without_diacritics(runner: CliRunner, seed_workspace: Path) -> None:
    result = _run(runner, seed_workspace, "search", "thu hut dau tu", "--limit", "3")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and all(line.startswith("task ") for line in lines)
    hits = json.loads(_run(runner, seed_workspace, "search", "quy che quan ly chat thai", "--json").stdout)
    assert [h["id"] for h in hits[:2]] == [f"{NATIONAL_PLAN}#III/5/c", WASTE_TASK]
    assert _run(runner, seed_workspace, "search", "xyzzy").stdout == "No match for 'xyzzy'.\n"


def test_names_and_queries_need_no_quotes(runner: CliRunner, seed_workspace: Path) -> None:
    # An officer types the words as they come: each word one argument, joined by a space.
    for command, words in (("search", ["thu", "hut", "dau", "tu"]), ("agency", ["Công", "an", "phường"]),
                           ("jurisdiction", ["phường", "Đoàn", "Kết"])):
        quoted = _run(runner, seed_workspace, command, " ".join(words), "--json")
        unquoted = _run(runner, seed_workspace, command, *words, "--json")
        assert quoted.exit_code == unquoted.exit_code == 0, unquoted.output
        assert unquoted.stdout == quoted.stdout and json.loads(unquoted.stdout)
    missing = _run(runner, seed_workspace, "search")
    assert missing.exit_code == 2 and "Missing argument 'QUERY'" in missing.output


def test_show(runner: CliRunner, seed_workspace: Path) -> None:
    result = _run(runner, seed_workspace, "show", WASTE_TASK)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"task {WASTE_TASK}"
    assert "  lead: Phòng Kinh tế, Hạ tầng và Đô thị phường Đoàn Kết" in lines
    assert any(line.startswith(f"  derived_from → task {NATIONAL_PLAN}#") for line in lines)
    node = json.loads(_run(runner, seed_workspace, "show", WASTE_TASK, "--json").stdout)
    assert node["attributes"]["document"] == "tinh-lai-chau/ubnd-phuong-doan-ket/2026/kh-ubnd-3a4c2327"


def test_stats(runner: CliRunner, seed_workspace: Path) -> None:
    result = _run(runner, seed_workspace, "stats")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["Nodes", "Edges", "Documents", "Links", "Units"]
    assert lines[-1] == "Units:     66 resolved to an official unit, 0 not found"
    counts = json.loads(_run(runner, seed_workspace, "stats", "--json").stdout)
    assert counts["nodes"]["document"] == 21 and counts["links"]["proposed"] > 0
    assert counts["units"] == {"resolved": 66, "not_found": 0, "not_found_names": []}


def test_deadlines(runner: CliRunner, seed_workspace: Path) -> None:
    result = _run(runner, seed_workspace, "deadlines", "--before", "2026-05-01")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "By date (3):"
    assert lines[1].startswith("  2022-09-30  ban-thuong-vu-tinh-uy-dien-bien/x/ke-hoach-297c479d#V/4  ")
    assert lines[1].endswith("[trong quý III năm 2022]")
    assert _run(runner, seed_workspace, "deadlines", "--before", "01/05/2026").stdout == result.stdout
    assert _run(runner, seed_workspace, "deadlines", "--before", "1/5/2026").stdout == result.stdout
    assert _run(runner, seed_workspace, "deadlines", "--before", "2026/05/01").exit_code == 2


def test_export_json(runner: CliRunner, seed_workspace: Path, tmp_path: Path) -> None:
    result = _run(runner, seed_workspace, "export", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["directed"] and data["multigraph"] and data["graph"] == {}
    assert all({"id", "kind", "label"} <= set(n) for n in data["nodes"])
    assert all("relation" in e for e in data["edges"])
    out = tmp_path / "graph.json"
    written = _run(runner, seed_workspace, "export", "-o", str(out))
    assert (written.exit_code, written.stdout) == (0, "")
    assert out.read_text(encoding="utf-8") == result.stdout


def test_export_to_an_unwritable_path(runner: CliRunner, seed_workspace: Path, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "graph.json"
    result = _run(runner, seed_workspace, "export", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {target}: cannot write: No such file or directory\n"


def test_demo_traces_a_ward_task(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["demo"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert f"Lineage of a ward task (plankg lineage {WASTE_TASK}):" in lines
    assert f"Cascade of the national plan (plankg cascade {NATIONAL_PLAN}):" in lines
    assert any(line.startswith(f"document {NATIONAL_PLAN} (national)  ") for line in lines)


def test_demo_without_links(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plankg.cli, "build_workspace", functools.partial(build_workspace, link=False))
    result = runner.invoke(cli, ["demo"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Bundled corpus: 5 documents\n")
    assert result.stdout.endswith(
        "\nNo lineage link was found for the ward task 'Thực hiện tốt quy chế quản lý chất thải'.\n")


def test_parse_summary_lists_unparsed_lines(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("KẾ HOẠCH\nThử\n1. Sở Y tế chủ trì.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n@@@ ### 123\nNguyễn Văn A\n",
                    encoding="utf-8")
    result = runner.invoke(cli, ["parse", str(path)])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-2:] == ["  Unparsed: 1 line", "    line 6: @@@ ### 123"]


def test_parse_lists_the_tasks_it_found(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["parse", "--tasks", str(CORPUS / "004_aaf74f8ca0223593.txt")])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    start = lines.index("Tasks (56):")
    assert all(len(line) <= 80 for line in lines[start:])
    text = "\n".join(lines[start:])
    assert "  II/1/b  Sở Tài chính chủ trì, phối hợp với các sở, ngành có liên quan" in text
    assert "lead: Sở Tài chính tỉnh Lai Châu" in text
    assert "Tasks (" not in runner.invoke(cli, ["parse", str(CORPUS / "004_aaf74f8ca0223593.txt")]).stdout


def test_text_output_wraps_to_the_width_asked_for(runner: CliRunner, seed_workspace: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Piped, one record a line; with COLUMNS (or on a terminal) every line fits, and each gap
    shows its item number and lead."""
    plain = _run(runner, seed_workspace, "gaps", "--level", "ward").stdout
    assert max(len(line) for line in plain.splitlines()) > 80
    monkeypatch.setenv("COLUMNS", "80")
    for args in (["gaps", "--level", "ward"], ["lineage", WASTE_TASK], ["cascade", NATIONAL_PLAN], ["check"],
                 ["agency", "Sở Tài chính"], ["deadlines"]):
        out = _run(runner, seed_workspace, *args).stdout
        assert out and all(len(line) <= 80 for line in out.splitlines() if " " in line.strip()), args
    wrapped = _run(runner, seed_workspace, "gaps", "--level", "ward").stdout
    assert " ".join(wrapped.split()) == " ".join(plain.split())  # the same words, only wrapped
    assert "    IV/1  Bộ trưởng, Thủ trưởng cơ quan ngang bộ" in wrapped
    assert "[lead: các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ]" in " ".join(wrapped.split())


def test_errors_and_notes_wrap_like_text_output(runner: CliRunner, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A build's "Note:" lines (here the unit names the official list lacks) and an error fit the
    width asked for, with the same words as when piped."""
    write_cascade(tmp_path / "plans", provinces=2, wards=3, variants=1)
    (tmp_path / "plans" / "bad.docx").write_bytes(b"not a zip")
    args = ["build", str(tmp_path / "plans"), "--workspace", str(tmp_path / "ws")]
    plain = runner.invoke(cli, args).stderr
    assert "Note: " in plain and "Error: " in plain and max(len(line) for line in plain.splitlines()) > 80
    monkeypatch.setenv("COLUMNS", "80")
    wrapped = runner.invoke(cli, [*args[:2], "--workspace", str(tmp_path / "ws2")]).stderr
    # (a path longer than the line stands alone on its own: words are never cut)
    assert all(len(line) <= 80 or " " not in line.strip() for line in wrapped.splitlines())
    assert " ".join(wrapped.split()) == " ".join(plain.split())


def test_build_and_demo_print_json(runner: CliRunner, tmp_path: Path) -> None:
    built = runner.invoke(cli, ["build", str(CORPUS), "--workspace", str(tmp_path / "ws"), "--json"])
    assert built.exit_code == 0, built.output
    report = json.loads(built.stdout)
    assert (report["documents"], report["parsed"], report["tasks"], report["written"]) == (5, 5, 214, True)
    assert report["errors"] == [] and report["workspace"] == str(tmp_path / "ws")
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    failed = runner.invoke(cli, ["build", str(bad), "--workspace", str(tmp_path / "ws"), "--json"])
    errors = json.loads(failed.stdout)["errors"]
    assert failed.exit_code == 1 and errors[0]["path"].endswith("bad.docx") and errors[0]["type"] == "InputError"
    demo = json.loads(runner.invoke(cli, ["demo", "--json"]).stdout)
    assert demo["build"]["documents"] == 5 and demo["lineage"][-1]["kind"] == "document"
    assert demo["cascade"]["id"] in {step["document"] for step in demo["lineage"]} and demo["cascade"]["children"]
