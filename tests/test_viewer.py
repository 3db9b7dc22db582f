"""The HTML viewer: offline and self-contained, escaped, an overview of documents, focus trees.

Tests marked ``browser`` open the page in headless Chromium (/usr/bin/chromium) with the
network cut off (every request goes to a dead proxy) and read back what the page records
on ``<body>``: ``data-drawn`` (nodes drawn), ``data-pixels`` (canvas pixels the drawing
changed), ``data-pwned`` (``String(window.__pwned)``), ``data-matches`` and
``data-match-ids`` (search hits, ranked), and with ``#probe`` in the address
``data-texts``: every text the first drawing put on the canvas, with its font size in
screen pixels, caught at the canvas's own ``fillText``.
"""

from __future__ import annotations

import html
import json
import re
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from plankg import i18n
from plankg.cli import cli
from plankg.errors import ExportError, UnknownNodeError
from plankg.exports.viewer import (
    GROUP_LIMIT,
    LEVEL_COLOURS,
    _speaking,
    first_line,
    focus_tree,
    item_label,
    overview_of_graph,
    overview_of_workspace,
    render_html,
    render_overview,
    view_nodes,
    write_html,
)
from plankg.graph import build_graph, queries
from plankg.graph.build import Graph
from plankg.graph.workspace import load_graph
from plankg.loaders import load_file
from plankg.model import DocumentRecord
from plankg.normalize import fold, search_key
from plankg.synthetic import write_cascade

CHROMIUM = Path("/usr/bin/chromium")
browser = pytest.mark.browser
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"headless Chromium not found at {CHROMIUM} (apt-get install chromium)")

PAYLOAD_SCRIPT = "</script><script>window.__pwned=1</script>"
PAYLOAD_IMG = '<img src=x onerror="window.__pwned=2">'
PAYLOAD = PAYLOAD_SCRIPT + PAYLOAD_IMG
#: The least font size, in screen pixels, of a label a reader is meant to read without zooming.
READABLE_PX = 11.0

_DATA = re.compile(r'<script type="application/json" id="plankg-data">(.*?)</script>', re.S)
_BLOB = re.compile(r'<script type="application/json" id="plankg-doc-(\d+)">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def seed_graph(seed_records: dict[str, DocumentRecord]) -> Graph:
    return build_graph(seed_records.values())


@pytest.fixture(scope="module")
def payload_task(seed_graph: Graph) -> str:
    """A task of the seed graph with a lineage link: the one the payload graph poisons."""
    return sorted(u for u, _, k in seed_graph.edges(keys=True) if k == "derived_from")[0]


@pytest.fixture(scope="module")
def payload_graph(seed_graph: Graph, payload_task: str) -> Graph:
    """The seed graph with hostile text in a task, its lead agency list and its document."""
    G = seed_graph.copy()
    task = G.nodes[payload_task]
    task.update(text=f"Nhiệm vụ {PAYLOAD}", label=PAYLOAD, lead=[PAYLOAD], deadline_text=PAYLOAD)
    G.nodes[task["document"]].update(title=PAYLOAD, label="<img src=x onerror=window.__pwned=3>")
    return G


@pytest.fixture(scope="module")
def cascade(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, str]:
    """A synthetic cascade: a national plan, 3 provinces, 2 wards each."""
    return cascade_graph(tmp_path_factory.mktemp("cascade"), provinces=3, wards=2)


def page_data(page: str) -> dict[str, Any]:
    match = _DATA.search(page)
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def page_blobs(page: str) -> dict[int, list[list[Any]]]:
    return {int(i): json.loads(text) for i, text in _BLOB.findall(page)}


def cascade_graph(folder: Path, provinces: int = 2, wards: int = 2) -> tuple[Graph, str]:
    cascade = write_cascade(folder, provinces=provinces, wards=wards)
    records = [load_file(p) for p in sorted(folder.glob("*.txt"))]
    national = next(r.document.id for r in records if r.document.source == cascade.national.name)
    return build_graph(records), national


def item_id(document: str, item: list[Any]) -> str:
    """The id of an item of an overview blob: its last field when there are nine, else document#path."""
    return str(item[8]) if len(item) > 8 else f"{document}#{item[0]}"


def items_of(G: Graph, document: str) -> list[str]:
    return [n for n, d in G.nodes(data=True) if d["kind"] in ("task", "target") and d.get("document") == document]


# --- a self-contained page ------------------------------------------------------------------

def test_page_loads_nothing_from_the_network(seed_graph: Graph, payload_task: str) -> None:
    network_ref = re.compile(r"<(?:script|link|img|iframe|source|embed)\b[^>]*\b(?:src|href)\s*=\s*[\"']?\s*"
                             r"(?:https?:)?//", re.I)
    for page in (render_html(seed_graph), render_html(seed_graph, focus=payload_task)):
        assert not network_ref.search(page)
        assert not re.search(r"<script\b[^>]*\bsrc\s*=", page, re.I)  # every script is inline
        assert not re.search(r"<link\b", page, re.I)
        assert not re.search(r"@import|url\(\s*[\"']?\s*(?:https?:)?//", page, re.I)
        assert not re.search(r"cdnjs|jsdelivr|bootstrap|tom-select", page, re.I)
        assert "default-src 'none'" in page


def test_page_inlines_the_vis_network_pyvis_ships(seed_graph: Graph) -> None:
    from importlib import resources

    page = render_html(seed_graph)
    shipped = [p for base in ("lib", "templates/lib") for p in (resources.files("pyvis") / base).iterdir()
               if p.name.startswith("vis-")]
    banners = [(p / "vis-network.min.js").read_text(encoding="utf-8")[:400] for p in shipped]
    assert any(banner in page for banner in banners)
    # data, one blob per document with items, vis-network, viewer: nothing closes early
    assert len(re.findall(r"</script", page, re.I)) == 3 + len(page_blobs(page))


# --- the overview ---------------------------------------------------------------------------

def test_overview_has_every_document_and_its_counts(seed_graph: Graph) -> None:
    page = render_html(seed_graph, language="en")
    data = page_data(page)
    assert data["mode"] == "overview" and data["focus"] is None
    documents = {n: d for n, d in seed_graph.nodes(data=True) if d["kind"] == "document"}
    assert sorted(d["id"] for d in data["documents"]) == sorted(documents)
    ranks = ["national", "province", "district", "commune", None]
    assert [ranks.index(d["level"]) for d in data["documents"]] == sorted(ranks.index(d["level"])
                                                                          for d in data["documents"])
    blobs = page_blobs(page)
    for i, doc in enumerate(data["documents"]):
        items = items_of(seed_graph, doc["id"])
        assert doc["items"] == len(items)
        assert (i in blobs) == bool(items)
        if not items:
            continue
        assert f"{len(items)} task" in doc["label"]
        assert sorted(item_id(doc["id"], item) for item in blobs[i]) == sorted(items)
        for item in blobs[i]:
            path, kind, label, text, lead, deadline, keys = item[:7]
            node = seed_graph.nodes[item_id(doc["id"], item)]
            assert (path, kind, text, lead, deadline) == (node["path"], node["kind"], node["text"],
                                                          node.get("lead", []), node.get("deadline_text"))
            assert label is None  # written by the page (test_browser_task_labels_are_written_as_python_writes_them)
            assert keys == [fold(text), search_key(text)]


def test_overview_counts_the_task_links_between_documents(seed_graph: Graph) -> None:
    data = page_data(render_html(seed_graph))
    index = {d["id"]: i for i, d in enumerate(data["documents"])}
    expected: dict[tuple[int, int], int] = {}
    for u, v, k, d in seed_graph.edges(keys=True, data=True):
        if k == "derived_from" and d.get("status") != "rejected":
            pair = (index[seed_graph.nodes[u]["document"]], index[seed_graph.nodes[v]["document"]])
            expected[pair] = expected.get(pair, 0) + 1
    found = {(link["from"], link["to"]): link["tasks"] for link in data["links"] if link["tasks"]}
    assert found == expected and sum(expected.values()) > 0
    applies = {(link["from"], link["to"]) for link in data["links"] if "applies" in link["relations"]}
    assert applies == {(index[u], index[v]) for u, v, k in seed_graph.edges(keys=True) if k == "applies"}
    for i, doc in enumerate(data["documents"]):
        assert doc["up"] == sum(n for (a, _), n in expected.items() if a == i)
        assert doc["down"] == sum(n for (_, b), n in expected.items() if b == i)


def test_overview_blob_links_point_at_parent_items(seed_graph: Graph) -> None:
    page = render_html(seed_graph)
    docs = page_data(page)["documents"]
    blobs = page_blobs(page)
    for i, blob in blobs.items():
        for item in blob:
            child, up = item_id(docs[i]["id"], item), item[7]
            expected = {v for _, v, k, d in seed_graph.out_edges(child, keys=True, data=True)
                        if k in ("derived_from", "attached_to", "applies") and d.get("status") != "rejected"}
            found = {item_id(docs[b]["id"], blobs[b][j]) if j >= 0 else docs[b]["id"] for b, j, *_ in up}
            assert found == expected


def test_overview_groups_the_many_plans_of_a_province(tmp_path: Path) -> None:
    G, _ = cascade_graph(tmp_path / "many", provinces=2, wards=GROUP_LIMIT + 1)
    data = page_data(render_html(G, language="en"))
    groups = data["groups"]
    assert len(groups) == 2
    for g, group in enumerate(groups):
        members = [d for d in data["documents"] if d["group"] == g]
        assert [data["documents"].index(d) for d in members] == group["docs"]
        assert len(members) == GROUP_LIMIT + 1
        assert {d["level"] for d in members} == {group["level"]} == {"commune"}
        assert f"{GROUP_LIMIT + 1} plans" in group["label"] and group["province"] in group["label"]
    assert all(d["group"] == -1 for d in data["documents"] if d["level"] != "commune")
    few, _ = cascade_graph(tmp_path / "few", provinces=2, wards=GROUP_LIMIT)
    assert page_data(render_html(few))["groups"] == []


def test_overview_from_the_store_is_the_overview_from_the_graph(seed_workspace: Path) -> None:
    G = load_graph(seed_workspace)
    assert render_overview(overview_of_workspace(seed_workspace)) == render_html(G)


def test_view_command_reads_the_overview_without_the_graph(seed_workspace: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    expected = render_html(load_graph(seed_workspace), language="en")

    def no_graph(*args: Any, **kw: Any) -> Graph:
        raise AssertionError("the overview must not load the whole graph")

    monkeypatch.setattr("plankg.graph.workspace.load_graph", no_graph)
    monkeypatch.setattr("plankg.graph.store.read_graph", no_graph)
    out = tmp_path / "overview.html"
    result = CliRunner().invoke(cli, ["view", "--workspace", str(seed_workspace), "-o", str(out), "--lang", "en"])
    assert (result.exit_code, result.output) == (0, f"Wrote {out}\n")
    assert out.read_text(encoding="utf-8") == expected


# --- escaping and stable bytes ------------------------------------------------------------------

def test_hostile_text_is_escaped(payload_graph: Graph, payload_task: str) -> None:
    for page in (render_html(payload_graph, title=PAYLOAD), render_html(payload_graph, focus=payload_task,
                                                                         title=PAYLOAD)):
        assert PAYLOAD_SCRIPT not in page
        assert "window.__pwned=1</script>" not in page
        assert "<img src=x" not in page
        assert r"\u003c/script\u003e\u003cscript\u003ewindow.__pwned=1\u003c/script\u003e" in page
        assert f"<title>{html.escape(PAYLOAD)}</title>" in page
    page = render_html(payload_graph, focus=payload_task)
    details = page_data(page)["details"][payload_task]
    assert details["text"] == f"Nhiệm vụ {PAYLOAD}"  # escaped in the page, exact after parsing
    assert details["lead"] == [PAYLOAD] and details["deadline"] == PAYLOAD
    page = render_html(payload_graph)
    texts = [item[3] for blob in page_blobs(page).values() for item in blob]
    assert f"Nhiệm vụ {PAYLOAD}" in texts


def test_line_separators_are_escaped(seed_graph: Graph, payload_task: str) -> None:
    G = seed_graph.copy()
    G.nodes[payload_task]["text"] = "a\u2028b\u2029c & d"
    for page in (render_html(G), render_html(G, focus=payload_task)):
        assert "\u2028" not in page and "\u2029" not in page
    assert page_data(render_html(G, focus=payload_task))["details"][payload_task]["text"] == "a\u2028b\u2029c & d"


def test_page_is_deterministic(seed_graph: Graph, payload_task: str) -> None:
    shuffled = Graph()
    shuffled.add_nodes_from(reversed(list(seed_graph.nodes(data=True))))
    for u, v, key, data in reversed(list(seed_graph.edges(keys=True, data=True))):
        shuffled.add_edge(u, v, key=key, **data)
    assert render_html(seed_graph) == render_html(seed_graph) == render_html(shuffled)
    focus = seed_graph.nodes[payload_task]["document"]
    assert render_html(seed_graph, focus=focus) == render_html(shuffled, focus=focus)


# --- language -------------------------------------------------------------------------------

def compiled_catalogue(folder: Path) -> Path:
    """plankg's Vietnamese catalogue compiled into ``folder`` (as the build will compile it)."""
    pofile = pytest.importorskip("babel.messages.pofile")
    mofile = pytest.importorskip("babel.messages.mofile")
    source = Path(i18n.__file__).parent / "locale" / "vi" / "LC_MESSAGES" / "plankg.po"
    with source.open("rb") as handle:
        catalog = pofile.read_po(handle, locale="vi")
    target = folder / "vi" / "LC_MESSAGES" / "plankg.mo"
    target.parent.mkdir(parents=True)
    with target.open("wb") as handle:
        mofile.write_mo(handle, catalog)
    return folder


def test_page_speaks_english_or_vietnamese(seed_graph: Graph, payload_task: str, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    english = render_html(seed_graph, language="en")
    assert '<html lang="en">' in english
    assert page_data(english)["strings"]["lead"] == "Lead"
    assert "Legend" in english and 'placeholder="Search (diacritics optional)…"' in english
    monkeypatch.setattr(i18n, "LOCALE_DIR", compiled_catalogue(tmp_path / "locale"))
    before = i18n.current_language()
    page = render_html(seed_graph)  # Vietnamese unless asked otherwise
    assert i18n.current_language() == before  # the page's language does not stay behind
    assert '<html lang="vi">' in page and "Chú giải" in page and "Tìm kiếm (có dấu hoặc không dấu)…" in page
    strings = page_data(page)["strings"]
    assert (strings["lead"], strings["deadline"], strings["strong"]) == ("Chủ trì", "Thời hạn", "mạnh")
    assert strings.keys() == page_data(english)["strings"].keys()
    words = [k for k, v in page_data(english)["strings"].items() if re.sub(r"\{\w+\}", "", str(v)).strip(" ·/")]
    assert all(strings[k] != page_data(english)["strings"][k] for k in words)  # each with words is translated
    assert strings["task_links"] == ["{n} liên kết nhiệm vụ"] * 2  # one form in Vietnamese
    assert page_data(english)["strings"]["task_links"] == ["{n} task link", "{n} task links"]
    national = next(d for d in page_data(page)["documents"] if d["level"] == "national" and d["items"])
    assert f"{national['items']} nhiệm vụ" in national["label"]
    tree = page_data(render_html(seed_graph, focus=payload_task))
    assert any(n["label"].split("\n")[1].startswith("Chủ trì: ") for n in tree["nodes"] if n["id"] == payload_task)


# --- focus trees ----------------------------------------------------------------------------

def test_unknown_focus_raises(seed_graph: Graph) -> None:
    with pytest.raises(UnknownNodeError) as info:
        render_html(seed_graph, focus="no/such/node")
    assert info.value.node_id == "no/such/node"
    with pytest.raises(ValueError):
        view_nodes(seed_graph, next(iter(seed_graph)), depth=-1)


def test_focus_on_a_national_plan_reaches_depth_levels_down(tmp_path: Path) -> None:
    G, national = cascade_graph(tmp_path)
    levels = {n: d.get("level") for n, d in G.nodes(data=True) if d["kind"] == "document"}
    for depth, expected in ((0, {"national"}), (1, {"national", "province"}), (2, {"national", "province", "commune"})):
        nodes = view_nodes(G, national, depth)
        assert {levels[n] for n in nodes if n in levels} == expected
        for node in nodes:
            data = G.nodes[node]
            if data["kind"] == "task":
                assert data["document"] in nodes
                assert {v for _, v, k in G.out_edges(node, keys=True) if k == "lead"} <= nodes
    page = page_data(render_html(G, focus=national, depth=1))
    assert page["focus"] == national and page["depth"] == 1 and page["mode"] == "tree"
    drawn = {n["id"] for n in page["nodes"]}
    assert drawn == {n for n in view_nodes(G, national, 1) if G.nodes[n]["kind"] in ("task", "target")} | {national}


def test_focus_on_a_ward_task_climbs_to_the_top(tmp_path: Path) -> None:
    G, national = cascade_graph(tmp_path)
    ward_task = sorted(u for u, v, k in G.edges(keys=True)
                       if k == "derived_from" and G.nodes[G.nodes[u]["document"]]["level"] == "commune")[0]
    nodes = view_nodes(G, ward_task, depth=0)
    assert national in nodes
    chain = [n for n in nodes if G.nodes[n]["kind"] == "task"]
    assert len(chain) == 3  # ward task -> province task -> national task
    assert not any(G.nodes[n]["kind"] == "task" and n not in chain for n in nodes)
    tree = focus_tree(G, ward_task, nodes)
    top = next(n for n in chain if G.nodes[G.nodes[n]["document"]]["level"] == "national")
    assert tree.parent[ward_task] in chain and tree.parent[tree.parent[ward_task]] == top
    assert tree.parent[top] == national  # the directive on top
    assert [tree.positions[n][1] for n in (national, top, tree.parent[ward_task], ward_task)] == \
        sorted(tree.positions[n][1] for n in (national, top, tree.parent[ward_task], ward_task))


def test_focus_on_an_unlinked_task_shows_the_directive_its_plan_applies() -> None:
    # No link ties the task to a higher task; its plan applies 06-NQ/TW (not loaded). The
    # focus page draws the task, its plan and, above them, the directive, as lineage shows.
    from plankg.loaders import load_text

    record = load_text("UBND TỈNH ĐIỆN BIÊN\nSố: 5/KH-UBND\nKẾ HOẠCH\nThực hiện Nghị quyết số 06-NQ/TW "
                       "ngày 24/01/2022 của Bộ Chính trị về phát triển đô thị\n"
                       "1. Sở Xây dựng chủ trì rà soát quy hoạch chung đô thị, năm 2026.\n", source="a.txt")
    G = build_graph([record])
    task = record.tasks[0].id
    nodes = view_nodes(G, task, depth=0)
    directive = next(n for n in G if G.nodes[n].get("number") == "06-NQ/TW")
    assert {task, record.document.id, directive} <= nodes
    tree = focus_tree(G, task, nodes)
    assert tree.parent[task] == record.document.id and tree.parent[record.document.id] == directive


def test_focus_tree_hangs_every_task_under_its_best_parent(cascade: tuple[Graph, str]) -> None:
    G, national = cascade
    nodes = view_nodes(G, national, 2)
    tree = focus_tree(G, national, nodes)
    assert national in tree.nodes and national not in tree.parent
    for node in tree.nodes - {national}:
        parent = tree.parent[node]
        assert tree.positions[parent][1] < tree.positions[node][1]  # parents above children
        ups = [(d.get("score") or 0.0, v) for _, v, k, d in G.out_edges(node, keys=True, data=True)
               if k == "derived_from" and v in tree.nodes]
        if ups:
            assert parent == max(ups)[1]
        else:
            assert parent == G.nodes[node]["document"]
    assert len(set(tree.positions.values())) == len(tree.positions)  # no two nodes on one spot
    levels = {G.nodes[G.nodes[n]["document"]]["level"]: tree.positions[n][1] for n in tree.nodes if n != national}
    assert levels["national"] < levels["province"] < levels["commune"]


def test_focus_tree_nodes_show_text_lead_and_deadline(cascade: tuple[Graph, str]) -> None:
    G, national = cascade
    data = page_data(render_html(G, focus=national, depth=2, language="en"))
    nodes = {n["id"]: n for n in data["nodes"]}
    checked = 0
    for node, entry in nodes.items():
        attrs = G.nodes[node]
        if attrs["kind"] != "task":
            continue
        head, lead, deadline = entry["label"].split("\n")
        assert head == f"{attrs['path']} · {first_line(attrs['text'])}"
        assert lead == "Lead: " + (first_line("; ".join(attrs["lead"]), 70) if attrs["lead"] else "—")
        assert deadline == "Deadline: " + (first_line(attrs["deadline_text"], 50) if attrs["deadline_text"] else "—")
        checked += bool(attrs["lead"] and attrs["deadline_text"])
    assert checked > 10
    bands = [e for e in data["edges"] if e["relation"] == "derived_from"]
    assert bands and all(e["label"] == f"{e['score']:.2f} {e['band']}" for e in bands)


def test_write_html(seed_graph: Graph, tmp_path: Path) -> None:
    path = write_html(seed_graph, tmp_path / "graph.html", title="Seed")
    assert path.read_text(encoding="utf-8") == render_html(seed_graph, title="Seed")
    with pytest.raises(ExportError, match="cannot write"):
        write_html(seed_graph, tmp_path)


def test_first_line_is_shortened_at_a_word() -> None:
    text = "Tổ chức triển khai thực hiện có hiệu quả các nhiệm vụ, giải pháp của Quy hoạch tỉnh Lai Châu thời kỳ 2021"
    short = first_line(text, 60)
    assert short.endswith("…") and len(short) <= 60 and text.startswith(short[:-1])
    assert not text[len(short) - 1].isalnum()  # cut between words
    assert overview_of_graph(Graph()).documents == []


# --- in a browser, offline --------------------------------------------------------------------

def run_chromium(tmp_path: Path, url: str, *extra: str) -> str:
    """Run headless Chromium on ``url`` with every network request sent to a dead proxy."""
    command = [str(CHROMIUM), "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               f"--user-data-dir={tmp_path / 'chromium-profile'}", "--proxy-server=127.0.0.1:9",
               "--proxy-bypass-list=<-loopback>", "--virtual-time-budget=5000", *extra, url]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def body_state(dom: str) -> dict[str, str]:
    match = re.search(r"<body([^>]*)>", dom)
    assert match is not None, dom[:500]
    return {name: html.unescape(value) for name, value in re.findall(r'data-([\w-]+)="([^"]*)"', match.group(1))}


def drawn_texts(state: dict[str, str]) -> list[dict[str, Any]]:
    texts: list[dict[str, Any]] = json.loads(state["texts"])
    return texts


def drawn_run(texts: list[dict[str, Any]]) -> str:
    """The drawn lines joined: a label that vis-network wrapped into lines reads whole again."""
    return " ".join(" ".join(t["text"].split()) for t in texts)


def size_of(texts: list[dict[str, Any]], fragment: str) -> float:
    """The font size (screen pixels) of the drawn line that holds ``fragment``."""
    sizes = [t["px"] for t in texts if fragment in t["text"]]
    assert sizes, fragment
    return float(min(sizes))


@browser
@needs_chromium
def test_browser_draws_offline_and_payload_stays_text(payload_graph: Graph, payload_task: str,
                                                      tmp_path: Path) -> None:
    page = tmp_path / "focus.html"
    write_html(payload_graph, page, title=PAYLOAD, focus=payload_task)
    dom = run_chromium(tmp_path, f"{page.as_uri()}#search=so%20tai%20chinh&node={quote(payload_task, safe='')}",
                       "--window-size=1280,800", "--dump-dom")
    state = body_state(dom)
    assert "error" not in state
    assert int(state["drawn"]) == len(page_data(render_html(payload_graph, focus=payload_task))["nodes"])
    assert int(state["pixels"]) > 2000
    assert state["pwned"] == "undefined"
    info = dom[dom.index('<section id="info">'):]
    assert html.escape(f"Nhiệm vụ {PAYLOAD}", quote=False) in info[:info.index("</section>")]
    assert not re.search(r"<img[^>]*src=\"?x", dom)
    # the overview, with the poisoned document open
    page = tmp_path / "overview.html"
    write_html(payload_graph, page, title=PAYLOAD)
    state = body_state(run_chromium(tmp_path, f"{page.as_uri()}#probe&open={quote(payload_task.split('#')[0])}",
                                    "--window-size=1280,800", "--dump-dom"))
    assert state["pwned"] == "undefined" and "error" not in state
    run = "".join(drawn_run(drawn_texts(state)).split())  # vis-network breaks a long word anywhere
    assert "Nhiệmvụ</script><script>window.__pwned=1</script>" in run  # the poisoned task, drawn as text
    assert "onerror=window.__pwned=3" in run


@browser
@needs_chromium
@pytest.mark.parametrize("query", ["so tai chinh", "sở tài chính", "Uỷ ban nhân dân tỉnh", "văn hoá"])
def test_browser_search_ranks_as_the_search_command(seed_graph: Graph, tmp_path: Path, query: str) -> None:
    """The page ranks hits as ``plankg search`` does: whole words matched, phrase, diacritics as typed."""
    page = tmp_path / "seed.html"
    write_html(seed_graph, page)
    state = body_state(run_chromium(tmp_path, f"{page.as_uri()}#search={quote(query)}", "--dump-dom"))
    ranked = json.loads(state["match-ids"])
    words = len(queries.search_words(query))
    expected = [(h.id, h.matched, h.phrase, h.exact) for h in queries.search(seed_graph, query, limit=None)
                if h.kind != "agency" and h.matched == words]
    full = [tuple(hit) for hit in ranked if hit[1] == words]
    assert full == [tuple(e) for e in expected[:len(full)]] and len(full) == min(50, len(expected)) > 0
    if query == "so tai chinh":
        assert "Sở Tài chính" in seed_graph.nodes[ranked[0][0]]["text"]
        assert int(state["matches"]) < 41  # "so", "tai" and "chinh" inside other words no longer match


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB rows of an 8-bit, non-interlaced RGB or RGBA PNG (no Pillow)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat.append(chunk)
        pos += 12 + length
    assert header is not None
    width, height, bit_depth, colour_type, _, _, interlace = header
    assert bit_depth == 8 and colour_type in (2, 6) and interlace == 0, header
    bpp = 3 if colour_type == 2 else 4
    stride = width * bpp
    raw = zlib.decompress(b"".join(idat))
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            line = bytearray(map(lambda a, b: (a + b) & 0xFF, line, previous))
        elif kind == 3:
            for i in range(stride):
                line[i] = (line[i] + ((line[i - bpp] if i >= bpp else 0) + previous[i]) // 2) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = previous[i], previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        previous = line
        rows.append(bytes(line) if bpp == 3 else bytes(b for i, b in enumerate(line) if i % 4 != 3))
    return width, height, rows


@browser
@needs_chromium
def test_browser_screenshot_is_not_blank(seed_graph: Graph, tmp_path: Path) -> None:
    page, shot = tmp_path / "seed.html", tmp_path / "seed.png"
    write_html(seed_graph, page)
    run_chromium(tmp_path, page.as_uri(), "--window-size=800,600", f"--screenshot={shot}")
    width, height, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (800, 600)
    # the graph's area: below the 48px header bar, left of the 340px side panel
    colours = {rows[y][x * 3:x * 3 + 3] for y in range(60, height - 10, 2) for x in range(10, width - 350, 2)}
    assert len(colours) > 10
    level_colours = {bytes.fromhex(LEVEL_COLOURS[level][1:]) for level in ("national", "province")}
    assert level_colours & colours  # solid document fills, not only edges and bands


@browser
@needs_chromium
def test_browser_overview_is_readable(seed_graph: Graph, tmp_path: Path) -> None:
    """The overview's documents are drawn with their names and counts in a readable size, and an
    opened document's tasks with their text, lead and deadline."""
    page, shot = tmp_path / "seed.html", tmp_path / "overview.png"
    write_html(seed_graph, page, language="en")
    url = f"{page.as_uri()}#probe"
    run_chromium(tmp_path, url, "--window-size=1400,900", f"--screenshot={shot}")
    state = body_state(run_chromium(tmp_path, url, "--window-size=1400,900", "--dump-dom"))
    texts = drawn_texts(state)
    run = drawn_run(texts)
    data = page_data(render_html(seed_graph, language="en"))
    loaded = [d for d in data["documents"] if d["items"]]
    shown = [d for d in loaded if " ".join(d["label"].split()) in run]  # every line of the label drawn
    assert len(shown) >= 3, run[:500]
    for doc in shown:
        count = doc["label"].split("\n")[-2]  # "45 tasks"
        assert count in run and size_of(texts, count) >= READABLE_PX
    assert size_of(texts, "National") >= READABLE_PX  # the band's name
    # open the plan with the most tasks: its tasks are read without a click
    biggest = max(loaded, key=lambda d: d["items"])
    shot = tmp_path / "opened.png"
    url = f"{page.as_uri()}#probe&open={quote(biggest['id'])}"
    run_chromium(tmp_path, url, "--window-size=1400,900", f"--screenshot={shot}")
    state = body_state(run_chromium(tmp_path, url, "--window-size=1400,900", "--dump-dom"))
    assert int(state["drawn"]) == len(data["documents"]) + biggest["items"]
    texts = drawn_texts(state)
    run = drawn_run(texts)
    tasks = [seed_graph.nodes[n] for n in items_of(seed_graph, biggest["id"]) if seed_graph.nodes[n]["kind"] == "task"]
    drawn = [t for t in tasks if first_line(t["text"]) in run]
    assert len(drawn) >= 4
    for task in drawn:
        if task["lead"]:
            assert f"Lead: {task['lead'][0]}" in run or "Lead: " + first_line("; ".join(task["lead"]), 70) in run
        words = first_line(task["text"]).split()[:3]
        assert size_of(texts, " ".join(words)) >= READABLE_PX
    assert size_of(texts, "Lead: ") >= READABLE_PX and size_of(texts, "Deadline: ") >= READABLE_PX


@browser
@needs_chromium
@pytest.mark.parametrize("language", ["en", "vi"])
def test_browser_task_labels_are_written_as_python_writes_them(seed_graph: Graph, tmp_path: Path,
                                                                 language: str) -> None:
    """The page writes each task's label from its fields (the labels are not sent): every task
    node of an opened plan has item_label's label, cut at the same word, in the page's language."""
    page = tmp_path / "seed.html"
    write_html(seed_graph, page, language=language)
    data = page_data(render_html(seed_graph, language=language))
    blobs = page_blobs(page.read_text(encoding="utf-8")).values()
    assert all(entry[2] is None for blob in blobs for entry in blob)  # no label travels
    overview = overview_of_graph(seed_graph)
    i, biggest = max(enumerate(data["documents"]), key=lambda d: d[1]["items"])
    state = body_state(run_chromium(tmp_path, f"{page.as_uri()}#probe&open={quote(biggest['id'])}",
                                    "--window-size=1400,900", "--dump-dom"))
    drawn = dict(json.loads(state["labels"]))
    with _speaking(language):
        wanted = {f"t{i}.{j}": item_label(row.path, row.text, list(row.lead or []), row.deadline)
                  for j, row in enumerate(overview.items[i])}
    assert drawn == wanted
    assert len(wanted) > 40 and any(label.split("\n")[0].endswith("…") for label in wanted.values())


@browser
@needs_chromium
def test_browser_overview_opens_and_closes_documents(tmp_path: Path) -> None:
    """A ward plan inside its province's group opens (group and tasks drawn) and closes again."""
    G, _ = cascade_graph(tmp_path / "corpus", provinces=2, wards=GROUP_LIMIT + 1)
    page = tmp_path / "overview.html"
    write_html(G, page)
    data = page_data(render_html(G))
    ward = next(d for d in data["documents"] if d["group"] == 0)
    members = len(data["groups"][0]["docs"])
    shown = len(data["documents"]) - sum(len(g["docs"]) for g in data["groups"]) + len(data["groups"])
    for fragment, drawn in (("", shown), (f"open={quote(ward['id'])}", shown - 1 + members + ward["items"]),
                            (f"open={quote(ward['id'])}&close={quote(ward['id'])}", shown - 1 + members)):
        state = body_state(run_chromium(tmp_path, f"{page.as_uri()}#{fragment}", "--dump-dom"))
        assert int(state["drawn"]) == drawn, fragment
        assert state["pwned"] == "undefined" and "error" not in state


@browser
@needs_chromium
def test_browser_focus_tree_is_readable(cascade: tuple[Graph, str], tmp_path: Path) -> None:
    """Every task of a focus tree in view shows its text, lead and deadline in a readable size."""
    G, _ = cascade
    province_task = sorted(u for u, v, k in G.edges(keys=True)
                           if k == "derived_from" and G.nodes[G.nodes[u]["document"]]["level"] == "province")[0]
    page, shot = tmp_path / "tree.html", tmp_path / "tree.png"
    write_html(G, page, focus=province_task, depth=2, language="en")
    url = f"{page.as_uri()}#probe"
    run_chromium(tmp_path, url, "--window-size=1400,900", f"--screenshot={shot}")
    state = body_state(run_chromium(tmp_path, url, "--window-size=1400,900", "--dump-dom"))
    assert int(state["drawn"]) == len(focus_tree(G, province_task, view_nodes(G, province_task, 2)).nodes)
    texts = drawn_texts(state)
    run = drawn_run(texts)
    seen = 0
    for node in focus_tree(G, province_task, view_nodes(G, province_task, 2)).nodes:
        attrs = G.nodes[node]
        if attrs["kind"] != "task" or first_line(attrs["text"]) not in run:
            continue
        seen += 1
        assert "Lead: " + first_line("; ".join(attrs["lead"]), 70) in run
        assert "Deadline: " + first_line(attrs["deadline_text"], 50) in run
        assert size_of(texts, " ".join(first_line(attrs["text"]).split()[:3])) >= READABLE_PX
    assert seen >= 3  # the national task, the province task and a ward task below it
    band = G.edges[(province_task, next(v for _, v, k in G.out_edges(province_task, keys=True)
                                         if k == "derived_from"), "derived_from")]["band"]
    assert size_of(texts, band) >= READABLE_PX  # the confidence band on the link


@browser
@needs_chromium
def test_browser_draws_a_large_focus_tree(tmp_path: Path) -> None:
    G, national = cascade_graph(tmp_path / "corpus", provinces=3, wards=2)
    page = tmp_path / "focus.html"
    write_html(G, page, focus=national, depth=2)
    state = body_state(run_chromium(tmp_path, page.as_uri(), "--window-size=1280,800", "--dump-dom"))
    assert int(state["drawn"]) == len(page_data(render_html(G, focus=national))["nodes"]) > 50
    assert int(state["pixels"]) > 2000
    assert state["pwned"] == "undefined"


def test_view_json_names_the_page_and_its_language(seed_workspace: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The page speaks Vietnamese unless plankg --lang, view --lang or PLANKG_LANG ask otherwise."""
    from click.testing import CliRunner

    from plankg.cli import cli
    from plankg.i18n import LANG_ENV

    page = tmp_path / "p.html"
    monkeypatch.delenv(LANG_ENV)
    runs = {(): "vi", ("--lang", "en"): "en"}
    for before, language in runs.items():
        result = CliRunner().invoke(cli, [*before, "view", "-o", str(page), "--json", "--workspace",
                                          str(seed_workspace)])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == {"path": str(page), "focus": None, "language": language}
    monkeypatch.setenv(LANG_ENV, "en")
    result = CliRunner().invoke(cli, ["view", "-o", str(page), "--json", "--lang", "vi", "--workspace",
                                      str(seed_workspace)])
    assert json.loads(result.stdout)["language"] == "vi" and page.stat().st_size > 0


@browser
@needs_chromium
@pytest.mark.parametrize(("language", "summary"), [
    ("en", "2 documents · 3 tasks · 1 task link"),
    ("vi", "2 văn bản · 3 nhiệm vụ · 1 liên kết nhiệm vụ"),
])
def test_browser_summary_counts_in_the_pages_language(tmp_path: Path, language: str, summary: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The page's counts take the singular where there is one (English): "1 task link", on
    the summary line and on the edge between two plans."""
    from plankg.loaders import load_text

    if language == "vi":
        monkeypatch.setattr(i18n, "LOCALE_DIR", compiled_catalogue(tmp_path / "locale"))
    higher = load_text("UBND TỈNH LAI CHÂU\nSố: 10/KH-UBND\nLai Châu, ngày 05 tháng 02 năm 2026\nKẾ HOẠCH\n"
                       "Phát triển du lịch\nI. NHIỆM VỤ\n1. Phát triển du lịch cộng đồng gắn với bảo tồn văn hóa.\n"
                       "2. Bảo vệ và phát triển rừng phòng hộ đầu nguồn.\n", source="a.txt")
    lower = load_text("UBND PHƯỜNG ĐOÀN KẾT\nSố: 7/KH-UBND\nĐoàn Kết, ngày 01 tháng 3 năm 2026\nKẾ HOẠCH\n"
                      "Thực hiện Kế hoạch số 10/KH-UBND ngày 05/02/2026 của UBND tỉnh Lai Châu\nI. NHIỆM VỤ\n"
                      "1. Phát triển du lịch cộng đồng gắn với bảo tồn văn hóa trên địa bàn phường.\n", source="b.txt")
    G = build_graph([higher, lower])
    page = tmp_path / "page.html"
    write_html(G, page, language=language)
    dom = run_chromium(tmp_path, f"{page.as_uri()}#probe", "--window-size=1400,900", "--dump-dom")
    match = re.search(r'<span id="summary">([^<]*)</span>', dom)
    assert match is not None and html.unescape(match.group(1)) == summary
    if language == "en":
        assert "1 task link" in drawn_run(drawn_texts(body_state(dom)))  # the edge's label

