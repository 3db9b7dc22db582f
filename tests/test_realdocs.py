"""The real documents of ``../shared/realdocs``: every file parses or is refused clearly,
and the Công báo PDFs agree with their text twins. Skipped where the corpus is absent."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from realdocs import REALDOCS, cases, check_file

from plankg.cli import EXPORT_FORMATS, cli
from plankg.errors import InputError, PlankgError
from plankg.loaders import load_file, load_source
from plankg.loaders.blocks import render
from plankg.loaders.sources import read_blocks
from plankg.model import DocumentRecord
from plankg.ontology import PKG

pytestmark = pytest.mark.skipif(not REALDOCS.is_dir(), reason="../shared/realdocs is not here")

FILES = sorted(p.name for p in REALDOCS.iterdir() if p.suffix != ".md") if REALDOCS.is_dir() else []
# A PDF whose text layer is typed in a legacy 8-bit font: nothing to read without OCR.
UNREADABLE = {"prov_LamDong_TB-493-UBND_2025_ket-luan-chi-so_legacyfont.pdf"}


@pytest.mark.parametrize("name", FILES)
def test_every_file_parses_or_is_refused_clearly(name: str) -> None:
    path = REALDOCS / name
    if name in UNREADABLE:
        with pytest.raises(InputError, match="OCR it first") as info:
            load_file(path)
        assert info.value.path == str(path)
        return
    try:
        record = load_file(path)
    except PlankgError as exc:  # pragma: no cover - the failure message is the point
        pytest.fail(f"{name} refused: {exc}")
    for part in record.with_attachments():
        assert part.document.type is not None, part.document.id
        assert part.document.issuer is not None, part.document.id


def _key(record: DocumentRecord) -> list[Any]:
    out = []
    for part in record.with_attachments():
        d = part.document
        out.append({
            "header": (d.type, d.number, d.symbol, d.issuer, d.level, d.date, d.year, d.month, d.title),
            "citations": sorted((c.number, c.relation.value, c.issuer, c.date) for c in part.citations),
            "tasks": [(t.text, [a.name for a in t.lead], [a.name for a in t.support],
                       t.deadline.to_dict() if t.deadline else None) for t in part.tasks],
        })
    return out


@pytest.mark.parametrize("stem", ["nat_QD-892-TTg_2026_De-an-boi-duong-doi-ngoai"])
def test_pdf_and_text_twin_give_the_same_records(stem: str) -> None:
    pdf, text = (_key(load_file(REALDOCS / f"{stem}{suffix}")) for suffix in (".pdf", ".txt"))
    assert len(pdf) == len(text)
    for a, b in zip(pdf, text, strict=True):
        assert a["header"] == b["header"]
        assert a["citations"] == b["citations"]
        assert a["tasks"] == b["tasks"]
    assert sum(len(part["tasks"]) for part in pdf) > 40


@pytest.mark.parametrize("name", [n for n in FILES if n not in UNREADABLE])
def test_every_line_with_text_is_accounted_for(name: str) -> None:
    """Nothing is silently lost: every rendered line with a letter or digit is in a header,
    a section or the unparsed list of one of the file's documents (its page reported)."""
    source = read_blocks(REALDOCS / name)
    rendered = render(source.blocks)
    texts = rendered.text.split("\n")
    numbers = [w.line if (w.line is not None and source.format == "text") else n
               for n, w in enumerate(rendered.where, start=1)]
    wanted = {numbers[i] for i, text in enumerate(texts) if re.search(r"[^\W_]", text)}
    parts = load_source(source).with_attachments()
    seen = {n for part in parts for n in part.accounted_lines()}
    assert source.format != "pdf" or all(u.page is not None for part in parts for u in part.unparsed)
    assert sorted(wanted - seen) == []


@pytest.mark.parametrize(("stem", "name"), cases(), ids=[name for _, name in cases()])
def test_hand_checked_facts(stem: str, name: str) -> None:
    """The header, every citation and the sample task rows of tests/data/realfacts/STEM.json."""
    assert check_file(stem, name) == []


@pytest.fixture(scope="module")
def realdocs_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from plankg.graph.workspace import build_workspace

    workspace = tmp_path_factory.mktemp("realdocs") / "ws"
    report = build_workspace([REALDOCS], workspace)
    assert report.documents > 40
    # Every real document's header is read: only the folder's README is named as having none.
    headerless = [n.split(": no header found")[0] for n in report.notices if ": no header found" in n]
    assert headerless == [str(REALDOCS / "README.md")]
    return workspace


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_the_whole_corpus_exports_in_every_format(realdocs_workspace: Path, tmp_path: Path, fmt: str) -> None:
    # What the real documents hold (a recurrence "định kỳ 6 tháng", ids with "+" and "@"…)
    # has a form in every format: the export of the corpus failed on a semiannual task.
    from click.testing import CliRunner

    out = tmp_path / f"export.{fmt}"
    result = CliRunner().invoke(cli, ["export", "--workspace", str(realdocs_workspace), "--format", fmt,
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and (out.is_dir() or out.stat().st_size > 0)
    if fmt in ("nt", "turtle"):
        import pyoxigraph

        triples = list(pyoxigraph.parse(path=str(out), format=pyoxigraph.RdfFormat.N_TRIPLES if fmt == "nt"
                                        else pyoxigraph.RdfFormat.TURTLE))
        assert any(t.object == pyoxigraph.NamedNode(str(PKG.Semiannual)) for t in triples)
