"""The command line: exact output, exit codes and error lines."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import CORPUS

from plankg.cli import cli

WARD = CORPUS / "000_52f910eca6da929a.txt"
PROVINCE = CORPUS / "004_aaf74f8ca0223593.txt"


def test_parse_summary(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["parse", str(PROVINCE)])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.splitlines()[:4] == [
        "004_aaf74f8ca0223593.txt",
        "  Kế hoạch 2233/KH-UBND",
        "  Title:    Triển khai, thực hiện Thông báo số 130/TB-VPCP ngày 17/3/2026 của Văn phòng Chính phủ"
        " kết luận của Thường trực Chính phủ tại buổi làm việc với Ban Thường vụ Tỉnh ủy Lai Châu",
        "  Issuer:   UBND tỉnh Lai Châu (level province, jurisdiction tỉnh Lai Châu)",
    ]
    assert "  Applies:  130/TB-VPCP (Văn phòng Chính phủ, 2026-03-17); 01-TB/BCĐ (2026-03-20)" in result.stdout


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
    assert result.stderr == f"Error: {tmp_path}: no documents (.txt, .md, .docx) in directory\n"
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
