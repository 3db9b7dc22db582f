"""The workspace: record round trips, incremental builds, atomic writes and clean errors."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, SEED_NAMES

import plankg.loaders
from plankg.errors import InputError, WorkspaceError
from plankg.graph.build import build_graph
from plankg.graph.workspace import (
    CURATION_HEADER,
    FORMAT_VERSION,
    build_workspace,
    default_workspace,
    graph_data,
    load_graph,
    load_records,
    record_from_dict,
)
from plankg.model import DocumentRecord
from plankg.synthetic import write_cascade

WARD = "000_52f910eca6da929a.txt"
NATIONAL = "002_ba6c7519eca4deb7.txt"
PROVINCE = "004_aaf74f8ca0223593.txt"


def _copy(folder: Path, *names: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(CORPUS / name, folder / name)
    return folder


@pytest.fixture()
def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Paths that build_workspace parsed, in order."""
    parsed: list[Path] = []
    real = plankg.loaders.load_file

    def counting(path: Path, *, encoding: str | None = None) -> DocumentRecord:
        parsed.append(Path(path))
        return real(path, encoding=encoding)

    monkeypatch.setattr(plankg.loaders, "load_file", counting)
    return parsed


# --- records --------------------------------------------------------------------------

@pytest.mark.parametrize("name", SEED_NAMES)
def test_record_round_trips_through_json(seed_records: dict[str, DocumentRecord], name: str) -> None:
    record = seed_records[name]
    assert record_from_dict(json.loads(json.dumps(record.to_dict(), ensure_ascii=False))) == record


def test_to_dict_round_trip_builds_the_same_graph(seed_records: dict[str, DocumentRecord]) -> None:
    records = list(seed_records.values())
    rebuilt = [record_from_dict(r.to_dict()) for r in records]
    assert graph_data(build_graph(rebuilt, link=False)) == graph_data(build_graph(records, link=False))


def test_record_from_dict_rejects_other_json() -> None:
    with pytest.raises(KeyError):
        record_from_dict({"document": {}})


# --- build ----------------------------------------------------------------------------

def test_build_writes_the_layout(tmp_path: Path) -> None:
    docs = _copy(tmp_path / "docs", WARD, PROVINCE)
    workspace = tmp_path / "ws"
    report = build_workspace([docs], workspace, link=False)
    assert (report.documents, report.parsed, report.reused, report.errors, report.written) == (2, 2, 0, (), True)
    manifest = json.loads((workspace / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == FORMAT_VERSION
    assert manifest["plankg"] == plankg.__version__
    assert [s["path"] for s in manifest["sources"]] == [str(docs / WARD), str(docs / PROVINCE)]
    # One records file, named by the contents it holds: a line each, in digest order.
    listed = "".join(f"{s['sha256']} None\n" for s in sorted(manifest["sources"], key=lambda s: s["sha256"]))
    assert manifest["records"] == f"records/{hashlib.sha256(listed.encode()).hexdigest()}.jsonl"
    assert [p.relative_to(workspace).as_posix() for p in (workspace / "records").iterdir()] == [manifest["records"]]
    lines = [json.loads(line) for line in (workspace / manifest["records"]).read_text(encoding="utf-8").splitlines()]
    assert [digest for digest, _data in lines] == sorted(s["sha256"] for s in manifest["sources"])
    sources = {s["sha256"]: Path(s["path"]).name for s in manifest["sources"]}
    for digest, data in lines:
        assert record_from_dict(data).document.source == sources[digest]
    assert (workspace / "curation.csv").read_text(encoding="utf-8") == CURATION_HEADER
    assert CURATION_HEADER == "child,parent,status,reason,child_text,parent_text\n"
    assert not list(workspace.rglob("*.tmp"))


def test_graph_bytes_are_deterministic(tmp_path: Path) -> None:
    for name in ("a", "b"):
        build_workspace([CORPUS / PROVINCE, CORPUS / WARD], tmp_path / name, link=False)
    assert graph_data(load_graph(tmp_path / "a")) == graph_data(load_graph(tmp_path / "b"))


def test_load_graph_returns_the_built_graph(tmp_path: Path, seed_records: dict[str, DocumentRecord]) -> None:
    build_workspace([CORPUS], tmp_path / "ws", link=False)
    G = load_graph(tmp_path / "ws")
    assert graph_data(G) == graph_data(build_graph(seed_records.values(), link=False))
    assert G.graph == {}


def test_load_records_in_source_order(seed_workspace: Path, seed_records: dict[str, DocumentRecord]) -> None:
    assert load_records(seed_workspace) == list(seed_records.values())


def test_rebuild_reuses_unchanged_records(tmp_path: Path, count_parses: list[Path]) -> None:
    docs = _copy(tmp_path / "docs", WARD, PROVINCE)
    build_workspace([docs], tmp_path / "ws", link=False)
    assert len(count_parses) == 2
    before = graph_data(load_graph(tmp_path / "ws"))
    report = build_workspace([docs], tmp_path / "ws", link=False)
    assert (report.documents, report.parsed, report.reused) == (2, 0, 2)
    assert len(count_parses) == 2
    assert graph_data(load_graph(tmp_path / "ws")) == before


def test_moved_file_with_the_same_bytes_is_reused(tmp_path: Path, count_parses: list[Path]) -> None:
    build_workspace([_copy(tmp_path / "a", WARD)], tmp_path / "ws", link=False)
    report = build_workspace([_copy(tmp_path / "b", WARD)], tmp_path / "ws", link=False)
    assert (report.documents, report.parsed, report.reused) == (1, 0, 1)
    assert len(count_parses) == 1


def test_changed_file_is_parsed_again(tmp_path: Path, count_parses: list[Path]) -> None:
    docs = _copy(tmp_path / "docs", WARD, PROVINCE)
    build_workspace([docs], tmp_path / "ws", link=False)
    old_records = _records_held(tmp_path / "ws")
    ward = docs / WARD
    ward.write_text(ward.read_text(encoding="utf-8") + "\n11. Tổ chức tổng kết.\n", encoding="utf-8")
    report = build_workspace([docs], tmp_path / "ws", link=False)
    assert (report.documents, report.parsed, report.reused) == (2, 1, 1)
    assert count_parses[-1] == ward
    new_records = _records_held(tmp_path / "ws")
    assert len(new_records) == 2 and len(new_records & old_records) == 1  # the old version is dropped


def _records_held(workspace: Path) -> set[str]:
    """The digests of the records in the workspace's only records file."""
    [records_file] = (workspace / "records").iterdir()
    return {json.loads(line)[0] for line in records_file.read_text(encoding="utf-8").splitlines()}


def test_other_encoding_parses_again(tmp_path: Path, count_parses: list[Path]) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes("Số: 5/KH-UBND\nKẾ HOẠCH\nThử nghiệm\n1. Sở Y tế chủ trì.\n".encode("utf-16-le"))
    build_workspace([path], tmp_path / "ws", encoding="utf-16-le", link=False)
    assert build_workspace([path], tmp_path / "ws", encoding="utf-16-le", link=False).parsed == 0
    report = build_workspace([path], tmp_path / "ws", encoding="utf-16", link=False)
    assert (report.parsed, report.reused) == (1, 0)


def test_second_batch_keeps_the_first(tmp_path: Path, count_parses: list[Path]) -> None:
    workspace = tmp_path / "ws"
    first = build_workspace([CORPUS / WARD], workspace, link=False)
    second = build_workspace([CORPUS / PROVINCE], workspace, link=False)
    assert (first.documents, second.documents, second.parsed, second.reused) == (1, 2, 1, 1)
    assert len(count_parses) == 2
    documents = {r.document.source for r in load_records(workspace)}
    assert documents == {WARD, PROVINCE}
    G = load_graph(workspace)
    assert {d["source"] for _, d in G.nodes(data=True) if d["kind"] == "document" and not d["placeholder"]} == {
        WARD, PROVINCE}


def test_edited_copy_of_a_document_replaces_the_old_one(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    build_workspace([_copy(tmp_path / "a", WARD)], workspace, link=False)
    edited = _copy(tmp_path / "b", WARD) / WARD
    edited.write_text(edited.read_text(encoding="utf-8") + "\n11. Tổ chức tổng kết.\n", encoding="utf-8")
    report = build_workspace([edited], workspace, link=False)
    assert (report.documents, report.parsed) == (1, 1)
    manifest = json.loads((workspace / "manifest.json").read_text(encoding="utf-8"))
    assert [s["path"] for s in manifest["sources"]] == [str(edited)]


def test_batch_reports_every_bad_file_and_builds_the_good(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    missing = tmp_path / "missing.txt"
    report = build_workspace([missing, empty, CORPUS / WARD, binary], tmp_path / "ws", link=False)
    assert [str(e) for e in report.errors] == [
        f"{missing}: no such file or directory",
        f"{empty}: empty file",
        f"{binary}: binary data, not a text document",
    ]
    assert all(isinstance(e, InputError) for e in report.errors)
    assert (report.documents, report.written) == (1, True)
    assert [r.document.source for r in load_records(tmp_path / "ws")] == [WARD]


def test_a_source_that_now_fails_keeps_its_last_good_record(tmp_path: Path) -> None:
    docs = _copy(tmp_path / "docs", WARD)
    build_workspace([docs / WARD], tmp_path / "ws", link=False)
    (docs / WARD).write_bytes(b"")
    report = build_workspace([docs / WARD], tmp_path / "ws", link=False)
    assert [str(e) for e in report.errors] == [f"{docs / WARD}: empty file"]
    assert (report.documents, report.parsed, report.reused) == (1, 0, 1)


def test_nothing_loadable_writes_nothing(tmp_path: Path) -> None:
    report = build_workspace([tmp_path / "missing.txt"], tmp_path / "ws", link=False)
    assert (report.written, report.documents, len(report.errors)) == (False, 0, 1)
    assert not (tmp_path / "ws").exists()


def test_build_keeps_an_edited_curation_file(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    build_workspace([CORPUS / WARD], workspace, link=False)
    decisions = CURATION_HEADER + "a,b,rejected,wrong parent\n"
    (workspace / "curation.csv").write_text(decisions, encoding="utf-8")
    build_workspace([CORPUS / WARD], workspace, link=False)
    assert (workspace / "curation.csv").read_text(encoding="utf-8") == decisions


def test_build_refuses_a_directory_that_is_not_a_workspace(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="holds other files and is not a plankg workspace"):
        build_workspace([CORPUS / WARD], tmp_path, link=False)
    with pytest.raises(WorkspaceError, match="is a file, not a workspace directory"):
        build_workspace([CORPUS / WARD], tmp_path / "notes.txt", link=False)


def test_a_corrupt_workspace_can_be_rebuilt(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    build_workspace([CORPUS / WARD], workspace, link=False)
    (workspace / "manifest.json").write_text("{", encoding="utf-8")
    report = build_workspace([CORPUS / WARD], workspace, link=False)
    assert (report.parsed, report.written) == (1, True)
    assert load_graph(workspace).number_of_nodes() > 0


# --- atomic writes --------------------------------------------------------------------

def _fail_replacing(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    real: Callable[..., Any] = os.replace

    def replace(src: Any, dst: Any) -> None:
        if Path(dst).name == name:
            raise KeyboardInterrupt  # the build is killed here
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("killed_at", ["graph.sqlite", "manifest.json"])
def test_a_killed_build_leaves_a_whole_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  killed_at: str) -> None:
    workspace = tmp_path / "ws"
    build_workspace([CORPUS / WARD], workspace, link=False)
    old = graph_data(load_graph(workspace))
    _fail_replacing(monkeypatch, killed_at)
    with pytest.raises(KeyboardInterrupt):
        build_workspace([CORPUS / PROVINCE], workspace, link=False)
    monkeypatch.undo()
    assert not list(workspace.rglob("*.tmp"))
    G = load_graph(workspace)
    documents = {d["source"] for _, d in G.nodes(data=True) if d.get("source")}
    # Killed before the graph moved into place: the old graph; after: the whole new graph.
    if killed_at == "graph.sqlite":
        assert graph_data(G) == old
    else:
        assert documents == {WARD, PROVINCE}
    assert build_workspace([CORPUS / PROVINCE], workspace, link=False).documents in (1, 2)


def test_a_killed_first_build_is_no_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fail_replacing(monkeypatch, "manifest.json")
    with pytest.raises(KeyboardInterrupt):
        build_workspace([CORPUS / WARD], tmp_path / "ws", link=False)
    monkeypatch.undo()
    with pytest.raises(WorkspaceError, match="no workspace at"):
        load_graph(tmp_path / "ws")


# --- loading --------------------------------------------------------------------------

def test_missing_workspace(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError) as info:
        load_graph(tmp_path / "nowhere")
    assert str(info.value) == f"no workspace at {tmp_path / 'nowhere'}: run 'plankg build PATH' first"


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _set_format(path: Path, version: int) -> None:
    data = json.loads(path.read_bytes())
    data["format"] = version
    path.write_text(json.dumps(data), encoding="utf-8")


def _set_graph_format(path: Path, version: int) -> None:
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value = ? WHERE key = 'format'", (str(version),))
    con.commit()
    con.close()


@pytest.mark.parametrize("damage", [
    lambda ws: _truncate(ws / "graph.sqlite"),
    lambda ws: (ws / "graph.sqlite").write_text("[]", encoding="utf-8"),
    lambda ws: (ws / "graph.sqlite").unlink(),
    lambda ws: _truncate(ws / "manifest.json"),
    lambda ws: _set_format(ws / "manifest.json", FORMAT_VERSION + 1),
    lambda ws: _set_graph_format(ws / "graph.sqlite", FORMAT_VERSION + 1),
], ids=["truncated-graph", "graph-not-sqlite", "graph-missing", "truncated-manifest", "manifest-version",
        "graph-version"])
def test_corrupt_workspace(tmp_path: Path, damage: Callable[[Path], None]) -> None:
    workspace = tmp_path / "ws"
    build_workspace([CORPUS / WARD], workspace, link=False)
    damage(workspace)
    with pytest.raises(WorkspaceError) as info:
        load_graph(workspace)
    assert str(info.value) == (f"workspace at {workspace} is corrupt or from another plankg version: "
                               "rebuild it with 'plankg build'")


def test_lost_record_file(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    build_workspace([CORPUS / WARD], workspace, link=False)
    for path in (workspace / "records").iterdir():
        path.unlink()
    with pytest.raises(WorkspaceError, match="is corrupt"):
        load_records(workspace)


def test_default_workspace(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PLANKG_WORKSPACE", raising=False)
    assert default_workspace() == Path(".plankg")
    monkeypatch.setenv("PLANKG_WORKSPACE", str(tmp_path))
    assert default_workspace() == tmp_path


def test_two_files_of_one_document_keep_the_newer_and_say_so(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    text = (CORPUS / "004_aaf74f8ca0223593.txt").read_text(encoding="utf-8")
    old, new = folder / "a.txt", folder / "b.txt"
    new.write_text(text.replace("hạ tầng", "hạ tầng kỹ thuật", 1), encoding="utf-8")
    old.write_text(text, encoding="utf-8")
    os.utime(old, (1_700_000_000, 1_700_000_000))  # a.txt is the older copy
    report = build_workspace([folder], tmp_path / "ws")
    assert report.documents == 1
    assert report.notices == (f"Kế hoạch 2233/KH-UBND is in 2 files: keeping {new} (modified last), leaving out {old}",)
    assert [d["source"] for _, d in load_graph(tmp_path / "ws").nodes(data=True) if d.get("source")] == ["b.txt"]
    # A later build that reads the old copy alone replaces the newer one, and says so too.
    again = build_workspace([old], tmp_path / "ws")
    assert again.notices == (f"Kế hoạch 2233/KH-UBND is now read from {old}: {new} (of an earlier build) is left out",)


def test_a_file_without_any_header_is_kept_and_named(tmp_path: Path) -> None:
    """A README beside the plans has no type, number, issuer, date or title: the build keeps
    it, as an untitled document, and says which file it is; the plans give no such notice."""
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(CORPUS / "004_aaf74f8ca0223593.txt", folder / "plan.txt")
    readme = folder / "README.md"
    readme.write_text("# Danh mục\n\nThư mục này giữ các kế hoạch của tỉnh, trong đó có Kế hoạch 2233/KH-UBND.\n",
                      encoding="utf-8")
    report = build_workspace([folder], tmp_path / "ws", link=False)
    assert report.documents == 2
    assert report.notices == (f"{readme}: no header found (no type, number, issuer, date or title); "
                              "it is kept as an untitled document",)
    assert build_workspace([CORPUS], tmp_path / "seeds", link=False).notices == ()


def test_build_without_paths_reads_the_recorded_sources_again(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text((CORPUS / "004_aaf74f8ca0223593.txt").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(WorkspaceError, match="no sources are recorded in"):
        build_workspace([], tmp_path / "ws")
    assert not (tmp_path / "ws").exists()
    build_workspace([source], tmp_path / "ws")
    source.write_text(source.read_text(encoding="utf-8").replace("hạ tầng", "hạ tầng kỹ thuật", 1), encoding="utf-8")
    report = build_workspace([], tmp_path / "ws")
    assert (report.documents, report.parsed) == (1, 1)  # the edited file was read again


def _build_in_pool_worker(root: str) -> int:
    from plankg.graph.store import write_graph

    report = build_workspace([Path(root) / "plans"], Path(root) / "ws")
    write_graph(Path(root) / "again.sqlite", load_graph(Path(root) / "ws"), format_version=FORMAT_VERSION, jobs=2)
    return report.documents


def test_a_build_runs_inside_a_pool_worker(tmp_path: Path) -> None:
    """A multiprocessing.Pool's workers are daemonic and may not start processes: a large batch
    is then parsed, linked and stored in the worker itself."""
    import multiprocessing

    write_cascade(tmp_path / "plans", provinces=2, wards=40, variants=1)
    assert len(list((tmp_path / "plans").iterdir())) >= 64  # enough for the parsing pool
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply(_build_in_pool_worker, (str(tmp_path),)) == 83


def _cascade_files(folder: Path) -> Path:
    write_cascade(folder, provinces=2, wards=3, seed=3)
    return folder


@pytest.fixture
def parallel_plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small cascade, parsed by a pool of workers as a large batch would be."""
    import plankg.graph.workspace as workspace_module

    monkeypatch.setattr(workspace_module, "_PARALLEL_MIN_FILES", 2)
    return _cascade_files(tmp_path / "plans")


def _before_each_write(monkeypatch: pytest.MonkeyPatch, watch: Callable[[Path, bytes], None]) -> None:
    """Call ``watch`` with each file the build writes whole (records, manifest), before writing
    it; it may raise instead."""
    import plankg.graph.workspace as workspace_module

    write = workspace_module._write_atomic

    def watched(path: Path, data: bytes, *, sync: bool = True) -> None:
        watch(path, data)
        write(path, data, sync=sync)

    monkeypatch.setattr(workspace_module, "_write_atomic", watched)


def test_a_parallel_build_writes_what_a_sequential_one_does(tmp_path: Path, parallel_plans: Path) -> None:
    plans = parallel_plans
    for jobs in (1, 2):  # (the seeds add an inferred "applies" edge, which linking makes too)
        build_workspace([plans, CORPUS], tmp_path / f"ws{jobs}", jobs=jobs)
    records = [{p.name: p.read_bytes() for p in (tmp_path / f"ws{jobs}" / "records").iterdir()} for jobs in (1, 2)]
    assert len(_records_held(tmp_path / "ws1")) == len(list(plans.iterdir())) + len(SEED_NAMES)
    assert records[0] == records[1]
    # The second store was written by three processes, its node tables while linking ran.
    stores = []
    for jobs in (1, 2):
        with contextlib.closing(sqlite3.connect(tmp_path / f"ws{jobs}" / "graph.sqlite")) as con:
            stores.append({table: con.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                           for table in ("meta", "nodes", "edges", "gaps", "search", "deadlines", "agency_keys")})
            # The schema (where each table and index starts in the file may differ).
            stores[-1]["schema"] = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                                               "ORDER BY name").fetchall()
    assert all(stores[0][table] for table in stores[0]) and stores[0] == stores[1]
    assert sum(1 for _u, _v, key, _d in stores[0]["edges"] if key == "derived_from") >= 20
    assert any('"inferred":true' in (data or "") for _u, _v, _key, data in stores[0]["edges"])


def test_a_build_stopped_while_linking_keeps_the_previous_store(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing
    import time

    import plankg.graph.link as link_module

    plans = _cascade_files(tmp_path / "plans")
    workspace = tmp_path / "ws"
    build_workspace([CORPUS / SEED_NAMES[0]], workspace)
    before = {p.name: p.read_bytes() for p in workspace.iterdir() if p.is_file()}

    def interrupted(*args: object, **kwargs: object) -> None:
        # Ctrl-C once the store's node tables are written (by a child, while linking runs).
        deadline = time.monotonic() + 60
        while multiprocessing.active_children() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert list(workspace.glob("graph.sqlite.*.tmp"))
        raise KeyboardInterrupt

    monkeypatch.setattr(link_module, "link_graph", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_workspace([plans], workspace, jobs=2)
    assert {p.name: p.read_bytes() for p in workspace.iterdir() if p.is_file()} == before  # no part left
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_records_file_is_synced_before_the_manifest_names_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel_plans: Path, jobs: int) -> None:
    # The records file is written and synced (while the graph is built) before the manifest
    # is written; not written again when the manifest already names it.
    import plankg.graph.workspace as workspace_module

    plans, workspace = parallel_plans, tmp_path / "ws"
    events: list[tuple[str, bool]] = []
    write = workspace_module._write_atomic

    def watched(path: Path, data: bytes, *, sync: bool = True) -> None:
        write(path, data, sync=sync)
        events.append((path.relative_to(workspace).as_posix(), sync))

    monkeypatch.setattr(workspace_module, "_write_atomic", watched)
    build_workspace([plans], workspace, jobs=jobs)
    manifest = json.loads((workspace / "manifest.json").read_bytes())
    assert [(name, sync) for name, sync in events if name != "curation.csv"] == [
        (manifest["records"], True), ("manifest.json", True)]
    events.clear()
    build_workspace([plans], workspace, jobs=jobs)  # everything reused: nothing new to write
    assert [name for name, _sync in events if name != "curation.csv"] == ["manifest.json"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_records_file_that_cannot_be_written_fails_the_build_naming_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel_plans: Path, jobs: int) -> None:
    import errno

    plans = parallel_plans
    kept = tmp_path / "kept"
    build_workspace([CORPUS / SEED_NAMES[0]], kept)
    before = (kept / "manifest.json").read_bytes()

    def full_disk(path: Path, _data: bytes) -> None:
        if path.parent.name == "records":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))

    _before_each_write(monkeypatch, full_disk)
    for workspace in (tmp_path / "new", kept):
        with pytest.raises(WorkspaceError, match="No space left on device; this build was not saved") as failed:
            build_workspace([plans], workspace, jobs=jobs)
        assert Path(str(failed.value.path)).parent == workspace / "records"
    assert not (tmp_path / "new").exists()  # a new workspace leaves nothing behind
    assert (kept / "manifest.json").read_bytes() == before


def test_a_new_workspace_interrupted_while_linking_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel_plans: Path) -> None:
    import plankg.graph.link as link_module

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C, after the records file and the store's node part are written

    monkeypatch.setattr(link_module, "link_graph", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_workspace([parallel_plans], tmp_path / "new", jobs=2)
    assert not (tmp_path / "new").exists()


def test_a_new_workspace_stopped_while_its_records_are_written_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel_plans: Path) -> None:
    import errno

    def full_disk(path: Path, _data: bytes) -> None:
        if path.name == "curation.csv":  # written while the records file is
            raise OSError(errno.ENOSPC, "No space left on device", str(path))

    _before_each_write(monkeypatch, full_disk)
    with pytest.raises(WorkspaceError, match="No space left on device") as failed:
        build_workspace([parallel_plans], tmp_path / "new")
    assert Path(str(failed.value.path)) == tmp_path / "new" / "curation.csv"
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("stop", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()],
                         ids=["full disk", "Ctrl-C"])
def test_a_build_stopped_before_its_manifest_keeps_the_records_the_previous_one_names(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count_parses: list[Path], stop: BaseException) -> None:
    docs = _copy(tmp_path / "docs", WARD, PROVINCE)
    workspace = tmp_path / "ws"
    build_workspace([docs], workspace, link=False)
    before = load_records(workspace)
    named = json.loads((workspace / "manifest.json").read_text(encoding="utf-8"))["records"]
    ward = docs / WARD
    ward.write_text(ward.read_text(encoding="utf-8") + "\n11. Tổ chức tổng kết.\n", encoding="utf-8")
    written: list[str] = []

    def stopped(path: Path, _data: bytes) -> None:
        written.append(path.name)
        if path.name == "manifest.json":
            raise stop

    with monkeypatch.context() as patch:
        _before_each_write(patch, stopped)
        with pytest.raises((WorkspaceError, KeyboardInterrupt)):
            build_workspace([docs], workspace, link=False)
    # Its records file was written, and is removed; the one the manifest names still reads whole.
    assert any(name.endswith(".jsonl") for name in written)
    assert [path.name for path in (workspace / "records").iterdir()] == [Path(named).name]
    assert load_records(workspace) == before
    report = build_workspace([docs], workspace, link=False)
    assert (report.parsed, report.reused) == (1, 1)
    assert len(list((workspace / "records").iterdir())) == 1
    assert len(count_parses) == 4  # two, one (stopped), one


def test_a_workspace_of_one_file_a_record_is_parsed_again_and_its_files_dropped(
        tmp_path: Path, count_parses: list[Path]) -> None:
    # The layout before the records file: each source names its own records/<sha256>.json.
    docs = _copy(tmp_path / "docs", WARD, PROVINCE)
    workspace = tmp_path / "ws"
    build_workspace([docs], workspace, link=False)
    manifest = json.loads((workspace / "manifest.json").read_text(encoding="utf-8"))
    for line in (workspace / manifest.pop("records")).read_text(encoding="utf-8").splitlines():
        digest, data = json.loads(line)
        (workspace / "records" / f"{digest}.json").write_text(json.dumps(data), encoding="utf-8")
    for source in manifest["sources"]:
        source["record"] = f"records/{source['sha256']}.json"
    (workspace / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    report = build_workspace([docs], workspace, link=False)
    assert (report.parsed, report.reused) == (2, 0) and len(count_parses) == 4
    assert [p.suffix for p in (workspace / "records").iterdir()] == [".jsonl"]
