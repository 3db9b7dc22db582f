"""Lineage inference: gold pairs, document chains, province isolation, curation."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from conftest import corpus_records
from gold import load_gold
from hypothesis import example, given, settings
from hypothesis import strategies as st

from plankg.graph import build_graph
from plankg.graph.link import (
    MIN_SCORE_CHAIN,
    NEAR_LEVEL,
    Vectorizer,
    _Index,
    _Queries,
    _select,
    _Terms,
    load_curation,
    shared_phrases,
    write_decision,
)
from plankg.loaders import load_file
from plankg.model import DocumentRecord, Level
from plankg.normalize import fold
from plankg.synthetic import write_cascade

GOLD = load_gold()


@pytest.fixture(scope="module")
def seed_graph(seed_records: dict[str, DocumentRecord]) -> nx.MultiDiGraph:
    return build_graph(seed_records.values())


def _doc_id(records: dict[str, DocumentRecord], ref: str) -> str | None:
    if ref in records:
        return records[ref].document.id
    return None


def _parents(G: nx.MultiDiGraph, node: str) -> list[tuple[str, dict[str, Any]]]:
    return [(v, d) for _, v, k, d in G.out_edges(node, keys=True, data=True) if k == "derived_from"]


def _find(G: nx.MultiDiGraph, document: str, snippet: str) -> str:
    found = [n for n, d in G.nodes(data=True)
             if d["kind"] == "task" and d["document"] == document and fold(snippet) in fold(d["text"])]
    assert len(found) == 1, (snippet, found)
    return found[0]


@pytest.mark.parametrize("pair", GOLD["lineage"]["pairs"], ids=lambda p: p["child"][:40])
def test_gold_ward_task_links_to_its_national_directive(
        seed_graph: nx.MultiDiGraph, seed_records: dict[str, DocumentRecord], pair: dict[str, str]) -> None:
    child_doc = seed_records[GOLD["lineage"]["child_document"]].document.id
    parent_doc = seed_records[GOLD["lineage"]["parent_document"]].document.id
    child = _find(seed_graph, child_doc, pair["child"])
    parents = _parents(seed_graph, child)
    assert len(parents) == 1
    parent, data = parents[0]
    assert seed_graph.nodes[parent]["document"] == parent_doc
    assert fold(pair["parent"]) in fold(seed_graph.nodes[parent]["text"])
    assert data["status"] == "proposed" and 0 < data["score"] <= 1 and data["evidence"]


def test_gold_document_chains_exist(seed_graph: nx.MultiDiGraph, seed_records: dict[str, DocumentRecord]) -> None:
    by_number = {d["number"]: n for n, d in seed_graph.nodes(data=True) if d["kind"] == "document" and d["number"]}
    for chain in GOLD["document_chains"]:
        child = _doc_id(seed_records, chain["child"]) or by_number[chain["child"]]
        parent = _doc_id(seed_records, chain["parent"]) or by_number[chain["parent"]]
        assert seed_graph.has_edge(child, parent, key="applies"), chain


def test_ward_reaches_national_plan_through_the_3045_placeholder(seed_graph: nx.MultiDiGraph) -> None:
    placeholder = next(n for n, d in seed_graph.nodes(data=True) if d.get("number") == "3045/KH-UBND")
    assert seed_graph.nodes[placeholder]["placeholder"] is True
    edge = seed_graph.get_edge_data(placeholder, "thu-tuong-chinh-phu/2024/ke-hoach-7a8f4a24", key="applies")
    assert edge is not None and edge["inferred"] is True and edge["method"] == "subject"


def test_links_point_up_the_hierarchy(seed_graph: nx.MultiDiGraph) -> None:
    def rank(node: str) -> int:
        return Level(seed_graph.nodes[seed_graph.nodes[node]["document"]]["level"]).rank

    links = [(u, v) for u, v, k in seed_graph.edges(keys=True) if k == "derived_from"]
    assert links
    assert all(rank(v) < rank(u) for u, v in links)


def test_no_speculative_links_from_unrelated_plans(seed_graph: nx.MultiDiGraph) -> None:
    # Điện Biên's and Lai Châu's province plans implement documents that are not loaded; the
    # loaded national plan is about another subject, so nothing should be linked to it.
    linked_docs = {seed_graph.nodes[u]["document"] for u, _, k in seed_graph.edges(keys=True) if k == "derived_from"}
    assert linked_docs == {"tinh-lai-chau/ubnd-phuong-doan-ket/2026/kh-ubnd-3a4c2327"}


def test_placeholder_is_replaced_when_the_document_is_loaded(tmp_path: Path) -> None:
    province = tmp_path / "province.txt"
    province.write_text("ỦY BAN NHÂN DÂN\nTỈNH LAI CHÂU\nSố: 3045/KH-UBND\nLai Châu, ngày 22 tháng 4 năm 2026\n"
                        "KẾ HOẠCH\nTriển khai quy hoạch\nI. NHIỆM VỤ\n1. Sở Xây dựng rà soát quy hoạch đô thị.\n",
                        encoding="utf-8")
    ward = load_file(Path(__file__).parent.parent / "plankg" / "data" / "corpus" / "000_52f910eca6da929a.txt")
    G = build_graph([ward, load_file(province)])
    numbered = [n for n, d in G.nodes(data=True) if d.get("number") == "3045/KH-UBND"]
    assert numbered == ["ubnd-tinh-lai-chau/2026/3045-kh-ubnd"]
    assert G.nodes[numbered[0]]["placeholder"] is False
    assert G.has_edge(ward.document.id, numbered[0], key="applies")


def test_every_ward_task_links_into_its_own_province(tmp_path: Path) -> None:
    cascade = write_cascade(tmp_path, provinces=4, wards=3, seed=11)
    records = {p: load_file(p) for p in sorted(tmp_path.glob("*.txt"))}
    G = build_graph(records.values())
    own = {province: records[path].document.id for province, path in cascade.provinces.items()}
    checked = 0
    for ward, province in cascade.wards.items():
        for task in records[ward].tasks:
            if task.part.value != "tasks":
                continue
            parents = _parents(G, task.id)
            assert len(parents) == 1, task.text
            assert G.nodes[parents[0][0]]["document"] == own[province], task.text
            checked += 1
    assert checked >= 4 * 3 * 8


def test_curation_confirm_reject_add(tmp_path: Path, seed_records: dict[str, DocumentRecord],
                                     seed_graph: nx.MultiDiGraph) -> None:
    ward = seed_records["000_52f910eca6da929a.txt"].document.id
    child = _find(seed_graph, ward, "Thực hiện tốt quy chế quản lý chất thải")
    (proposed, _), = _parents(seed_graph, child)
    other = _find(seed_graph, ward, "Đẩy mạnh công tác dân tộc")
    (other_parent, _), = _parents(seed_graph, other)
    extra = _find(seed_graph, ward, "Cập nhật các chỉ tiêu, cơ sở dữ liệu đất đai")
    curation = tmp_path / "curation.csv"
    write_decision(curation, child, proposed, "rejected", "không phải nhiệm vụ gốc")
    write_decision(curation, other, other_parent, "confirmed", "đã kiểm tra")
    write_decision(curation, extra, proposed, "added", "bổ sung thủ công")
    G = build_graph(seed_records.values(), curation=curation)
    statuses = {v: d["status"] for v, d in _parents(G, child)}
    assert statuses[proposed] == "rejected"
    assert all(s != "proposed" or v != proposed for v, s in statuses.items())
    assert [d["status"] for _, d in _parents(G, other)] == ["confirmed"]
    assert [(v, d["status"], d["method"]) for v, d in _parents(G, extra)] == [(proposed, "confirmed", "manual")]
    # Rebuilding with the same file keeps every decision.
    again = build_graph(seed_records.values(), curation=curation)
    assert sorted(map(str, again.edges(data=True))) == sorted(map(str, G.edges(data=True)))


def test_bad_curation_row_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "curation.csv"
    path.write_text("child,parent,status,reason\na,b,maybe,?\nc,d,rejected,\n", encoding="utf-8")
    curation = load_curation(path)  # a bad row is an error; the other rows are read
    assert [str(e).split(" must")[0] for e in curation.errors] == [f"{path}:2: status"]
    assert [(d.child, d.line) for d in curation.decisions] == [("c", 3)]


def test_shared_phrases_keep_the_child_spelling() -> None:
    assert shared_phrases("Văn hoá - Xã hội phát triển", "văn hóa xã hội phát triển bền vững") == [
        "Văn hoá Xã hội phát triển"]


@pytest.mark.parametrize("corpus", ["seeds", "cascade"])
def test_parallel_and_batched_linking_give_the_same_links(corpus: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          seed_records: dict[str, DocumentRecord]) -> None:
    # Linked by one process or two, and the documents that share their candidates in one
    # batch or each alone (one document a run, a batch no larger than one document's
    # children), every link is the same.
    import plankg.graph.link as link

    records = corpus_records(corpus, tmp_path, seed_records, provinces=3, wards=3, seed=5)
    monkeypatch.setattr(link, "PARALLEL_MIN_DOCUMENTS", 2)
    choose = link._Linker._choose
    batches: list[int] = []

    def counted(self: link._Linker, children: list[str], *args: object) -> object:
        batches.append(len({_parents_document(self.G, child) for child in children}))
        return choose(self, children, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(link._Linker, "_choose", counted)
    results = []
    for jobs, run, cells in ((1, link._SEQUENTIAL_RUN, link.BATCH_CELLS), (2, link._SEQUENTIAL_RUN, link.BATCH_CELLS),
                             (1, 1, 1)):
        monkeypatch.setattr(link, "_SEQUENTIAL_RUN", run)
        monkeypatch.setattr(link, "BATCH_CELLS", cells)
        batches.clear()
        G = build_graph(records, link=False)
        link.link_graph(G, jobs=jobs)
        if jobs == 1:
            # (counted here only: the workers' batches are counted in their own processes)
            assert (max(batches) > 1) == (run > 1)  # documents batched together (a province's wards), or not
        # Every attribute of every inferred edge: score, band, status, method and evidence.
        results.append(sorted((u, v, k, sorted((a, repr(b)) for a, b in d.items()))
                              for u, v, k, d in G.edges(keys=True, data=True)
                              if k == "derived_from" or d.get("inferred")))
    assert results[0] == results[1] == results[2]
    links = [dict(a) for _, _, k, a in results[0] if k == "derived_from"]
    assert len(links) >= (50 if corpus == "cascade" else 10)
    assert all(float(a["score"]) > 0 and a["band"] for a in links)
    assert len({a["band"] for a in links}) >= 2  # scores that differ, not one value everywhere


def _parents_document(G: nx.MultiDiGraph, item: str) -> str:
    return str(G.nodes[item]["document"])


def test_relinking_a_graph_replaces_the_links_it_holds(tmp_path: Path,
                                                       seed_records: dict[str, DocumentRecord]) -> None:
    # A graph just built holds no links (the build skips the search for them); one linked
    # before has them replaced, a link no longer found included.
    import plankg.graph.link as link

    def links(G: nx.MultiDiGraph) -> list[tuple[str, str, float]]:
        return sorted((u, v, d["score"]) for u, v, k, d in G.edges(keys=True, data=True)
                      if k == "derived_from" or d.get("inferred"))

    G = build_graph(corpus_records("seeds", tmp_path, seed_records), link=False)
    link.link_graph(G, unlinked=True)
    once = links(G)
    tasks = sorted(n for n, d in G.nodes(data=True) if d["kind"] == "task")
    G.add_edge(tasks[0], tasks[-1], key="derived_from", relation="derived_from", score=0.5, status="proposed")
    assert links(G) != once
    link.link_graph(G)
    assert links(G) == once and len(once) >= 10


def test_a_restated_text_has_the_same_vector_every_time() -> None:
    # Features of a text given twice are computed once and kept for both copies; a third
    # request (past the copies) computes them again. All three vectors are the same, and the
    # document frequencies count both copies.
    text = "Rà soát, hoàn thiện quy hoạch sử dụng đất cấp xã"
    vectorizer = Vectorizer([text, text, "Tổ chức tập huấn nghiệp vụ"])
    vectors = [vectorizer.vector(text) for _ in range(3)]
    assert vectors[0] and vectors[0] == vectors[1] == vectors[2]
    assert vectorizer.idf["rà soát"] < vectorizer.idf["tập huấn"]


def _closest_by_postings(items: dict[str, dict[str, float]], query: dict[str, float],
                         k: int = 5) -> list[tuple[str, float]]:
    """The plain loop over postings the matrix index replaced: sums in the query's term order."""
    postings: dict[str, list[tuple[str, float]]] = {}
    for node, vector in items.items():
        for term, weight in vector.items():
            postings.setdefault(term, []).append((node, weight))
    acc: dict[str, float] = {}
    for term, weight in query.items():
        for node, w in postings.get(term, []):
            acc[node] = acc.get(node, 0.0) + weight * w
    # The one difference: products cancelling to exactly 0.0 leave no entry in a sparse product.
    return sorted(((n, sim) for n, sim in acc.items() if sim != 0.0), key=lambda kv: (-kv[1], kv[0]))[:k]


_WEIGHTS = st.sampled_from([0.1, 0.3, -0.2, 0.5, -0.5, 1 / 3, 0.7071067811865476, 2.0])
_VECTORS = st.dictionaries(st.sampled_from("abcdefgh"), _WEIGHTS, max_size=6)


@given(items=st.dictionaries(st.from_regex(r"n[0-9]{1,2}", fullmatch=True), _VECTORS, min_size=1, max_size=12),
       queries=st.lists(_VECTORS, min_size=1, max_size=5), cuts=st.lists(st.integers(0, 12), max_size=3),
       queries_first=st.booleans())
def test_the_matrix_index_finds_what_a_loop_over_postings_finds(items: dict[str, dict[str, float]],
                                                                 queries: list[dict[str, float]],
                                                                 cuts: list[int], queries_first: bool) -> None:
    # The same items, the same similarities to the last bit (summed in the same order), ties
    # broken by id; an item sharing no term is no candidate. Weights include negative ones
    # (a boilerplate bigram seen once) and values that tie. The items stand in segments (the
    # documents of a tier, some possibly empty), each searched on its own. Terms are numbered
    # as first seen, by the queries or by the index: the numbers change nothing.
    names = list(items)
    bounds = [0, *sorted(min(c, len(names)) for c in cuts), len(names)]
    segments = [names[a:b] for a, b in itertools.pairwise(bounds)]
    terms = _Terms()
    if queries_first:
        batch = _Queries(queries, terms)
    index = _Index(segments, items.__getitem__, terms)
    if not queries_first:
        batch = _Queries(queries, terms)
    row, column, sim = index.candidates(batch)
    assert row.tolist() == sorted(row.tolist())  # by row
    found: list[list[list[tuple[str, float]]]] = [[[] for _ in queries] for _ in segments]
    for r, c, value in zip(row.tolist(), column.tolist(), sim.tolist(), strict=True):
        segment = next(i for i, (start, end) in enumerate(index.bounds) if start <= c < end)
        found[segment][r].append((index.nodes[c], value))
    assert [[sorted(f, key=lambda kv: (-kv[1], kv[0])) for f in per_query] for per_query in found] == \
        [[_closest_by_postings({n: items[n] for n in segment}, q) for q in queries] for segment in segments]


def _select_by_rule(candidates: list[tuple[int, int, str, float]], min_score: float) -> dict[int, str]:
    """The plain rule :func:`_select` computes over arrays: per row, the best (score, id) at
    each depth; the nearest depth within NEAR_LEVEL of the best and at least the least score."""
    rows: dict[int, dict[int, tuple[float, str]]] = {}
    for row, depth, node, score in candidates:
        by_depth = rows.setdefault(row, {})
        if depth not in by_depth or (score, node) > by_depth[depth]:
            by_depth[depth] = (score, node)
    taken = {}
    for row, by_depth in rows.items():
        score, node = max(by_depth.values())
        for depth in sorted(by_depth):
            if by_depth[depth][0] >= max(NEAR_LEVEL * score, min_score):
                score, node = by_depth[depth]
                break
        if score >= min_score:
            taken[row] = node
    return taken


@given(candidates=st.lists(st.tuples(st.integers(0, 4), st.integers(1, 3), st.sampled_from("abcdefgh"),
                                     st.sampled_from([0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, -0.1])),
                           max_size=25, unique_by=lambda c: (c[0], c[2])),
       min_score=st.sampled_from([MIN_SCORE_CHAIN, 0.4]))
def test_the_array_selection_takes_what_the_plain_rule_takes(candidates: list[tuple[int, int, str, float]],
                                                             min_score: float) -> None:
    # Scores that tie at one depth and across depths (ties go to the greater id), depths in any
    # order, rows with no candidate, rows whose best is below the least score.
    import numpy as np

    nodes = sorted({node for _, _, node, _ in candidates})
    row = np.array([c[0] for c in candidates], dtype=np.int64)
    depth = np.array([c[1] for c in candidates], dtype=np.int64)
    rank = np.array([nodes.index(c[2]) for c in candidates], dtype=np.int64)
    score = np.array([c[3] for c in candidates], dtype=np.float64)
    rows, picked = _select(row, depth, rank, score, min_score)
    assert rows.tolist() == sorted(set(rows.tolist()))
    assert {r: candidates[p][2] for r, p in zip(rows.tolist(), picked.tolist(), strict=True)} == \
        _select_by_rule(candidates, min_score)


_PHRASE_WORDS = st.sampled_from(["phê", "duyệt", "Phê", "đề", "án", "nhà", "ở", "lập", "dự", "toán", "và", ","])


@settings(max_examples=300)
@example(child="Phê duyệt đề án nhà ở , phê duyệt đề án nhà ở", parent="phê duyệt đề án nhà ở")
@example(child="phê duyệt đề án nhà ở , lập đề án", parent="phê duyệt đề án nhà ở , lập")
@given(child=st.lists(_PHRASE_WORDS, max_size=30).map(" ".join),
       parent=st.lists(_PHRASE_WORDS, max_size=30).map(" ".join))
def test_evidence_phrases_are_shared_and_each_said_once(child: str, parent: str) -> None:
    """Each evidence phrase is a run of words both texts hold (folded), and none repeats the
    words of another or of a part of another: a phrase the child repeats is shown once."""
    phrases = shared_phrases(child, parent)
    folded = [" ".join(fold(w) for w in p.removesuffix(" …").split()) for p in phrases]
    assert len(folded) <= 3
    for i, phrase in enumerate(folded):
        assert not any(f" {phrase} " in f" {other} " for other in folded[:i])
    for phrase in folded:
        assert phrase in " ".join(fold(w) for w in child.replace(",", " ").split())
        assert phrase in " ".join(fold(w) for w in parent.replace(",", " ").split())
