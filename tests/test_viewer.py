"""The HTML viewer: offline and self-contained, escaped, laid out by level, focused views.

Tests marked ``browser`` open the page in headless Chromium (/usr/bin/chromium) with the
network cut off (every request goes to a dead proxy) and read back what the page records
on ``<body>``: ``data-drawn`` (nodes drawn), ``data-pixels`` (canvas pixels the drawing
changed), ``data-pwned`` (``String(window.__pwned)``) and ``data-matches`` (search hits).
"""

from __future__ import annotations

import html
import itertools
import json
import re
import struct
import subprocess
import unicodedata
import zlib
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from plankg.errors import ExportError, UnknownNodeError
from plankg.exports.viewer import LEVEL_COLOURS, compute_layout, render_html, view_nodes, write_html
from plankg.graph import build_graph
from plankg.graph.build import Graph
from plankg.loaders import load_file
from plankg.model import DocumentRecord
from plankg.synthetic import write_cascade

CHROMIUM = Path("/usr/bin/chromium")
browser = pytest.mark.browser
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"headless Chromium not found at {CHROMIUM} (apt-get install chromium)")

PAYLOAD_SCRIPT = "</script><script>window.__pwned=1</script>"
PAYLOAD_IMG = '<img src=x onerror="window.__pwned=2">'
PAYLOAD = PAYLOAD_SCRIPT + PAYLOAD_IMG

_DATA = re.compile(r'<script type="application/json" id="plankg-data">(.*?)</script>', re.S)


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


def page_data(page: str) -> dict[str, Any]:
    match = _DATA.search(page)
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def cascade_graph(folder: Path, provinces: int = 2, wards: int = 2) -> tuple[Graph, str]:
    cascade = write_cascade(folder, provinces=provinces, wards=wards)
    records = [load_file(p) for p in sorted(folder.glob("*.txt"))]
    national = next(r.document.id for r in records if r.document.source == cascade.national.name)
    return build_graph(records), national


# --- a self-contained page ------------------------------------------------------------------

def test_page_loads_nothing_from_the_network(seed_graph: Graph) -> None:
    page = render_html(seed_graph)
    network_ref = re.compile(r"<(?:script|link|img|iframe|source|embed)\b[^>]*\b(?:src|href)\s*=\s*[\"']?\s*"
                             r"(?:https?:)?//", re.I)
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
    assert len(re.findall(r"</script", page, re.I)) == 3  # data, vis-network, viewer: nothing closes early


def test_data_json_describes_the_graph(seed_graph: Graph) -> None:
    data = page_data(render_html(seed_graph))
    ids = [n["id"] for n in data["nodes"]]
    assert sorted(ids) == ids == sorted(seed_graph.nodes)
    assert set(data["details"]) == set(ids)
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert all(e["from"] in data["details"] and e["to"] in data["details"] for e in data["edges"])
    assert data["options"]["physics"]["enabled"] is False
    assert data["focus"] is None


def test_hostile_text_is_escaped(payload_graph: Graph, payload_task: str) -> None:
    page = render_html(payload_graph, title=PAYLOAD)
    assert PAYLOAD_SCRIPT not in page
    assert "window.__pwned=1</script>" not in page
    assert "<img src=x" not in page
    assert r"\u003c/script\u003e\u003cscript\u003ewindow.__pwned=1\u003c/script\u003e" in page
    assert f"<title>{html.escape(PAYLOAD)}</title>" in page
    details = page_data(page)["details"][payload_task]
    assert details["text"] == f"Nhiệm vụ {PAYLOAD}"  # escaped in the page, exact after parsing
    assert details["lead"] == [PAYLOAD] and details["deadline"] == PAYLOAD


def test_line_separators_are_escaped(seed_graph: Graph, payload_task: str) -> None:
    G = seed_graph.copy()
    G.nodes[payload_task]["text"] = "a\u2028b\u2029c & d"
    page = render_html(G)
    assert "\u2028" not in page and "\u2029" not in page
    assert page_data(page)["details"][payload_task]["text"] == "a\u2028b\u2029c & d"


def test_page_is_deterministic(seed_graph: Graph) -> None:
    shuffled = Graph()
    shuffled.add_nodes_from(reversed(list(seed_graph.nodes(data=True))))
    for u, v, key, data in reversed(list(seed_graph.edges(keys=True, data=True))):
        shuffled.add_edge(u, v, key=key, **data)
    assert render_html(seed_graph) == render_html(seed_graph) == render_html(shuffled)


# --- drawing ------------------------------------------------------------------------------

def test_layout_bands_follow_the_levels(seed_graph: Graph) -> None:
    layout = compute_layout(seed_graph, set(seed_graph))
    pos = layout.positions
    assert len(set(pos.values())) == len(pos)  # no two nodes on one spot
    docs = {n: d for n, d in seed_graph.nodes(data=True) if d["kind"] == "document"}
    by_level: dict[str | None, list[float]] = {}
    for node, data in docs.items():
        by_level.setdefault(data["level"], []).append(pos[node][1])
    order = ["national", "province", "district", "commune"]
    for higher, lower in itertools.pairwise(order):
        assert max(by_level[higher]) < min(by_level[lower])
    bands = {b.level: b for b in layout.bands}
    for node, data in seed_graph.nodes(data=True):
        if data["kind"] in ("section", "task", "target"):
            document = data["document"]
            assert pos[node][1] > pos[document][1]
            band = bands[docs[document]["level"]]
            assert band.top <= pos[node][1] <= band.bottom
    document_right = max(x for n, (x, _) in pos.items() if seed_graph.nodes[n]["kind"] != "agency")
    assert min(x for n, (x, _) in pos.items() if seed_graph.nodes[n]["kind"] == "agency") > document_right


def test_node_styles_and_tooltips(seed_graph: Graph) -> None:
    G = seed_graph.copy()
    confirmed, rejected, proposed = sorted((u, v) for u, v, k in G.edges(keys=True) if k == "derived_from")[:3]
    G.edges[(*confirmed, "derived_from")]["status"] = "confirmed"
    G.edges[(*rejected, "derived_from")]["status"] = "rejected"
    score = G.edges[(*proposed, "derived_from")]["score"]
    data = page_data(render_html(G))
    links = {(e["from"], e["to"]): e for e in data["edges"]
             if data["edge_details"][e["id"]]["relation"] == "derived_from"}
    assert links[confirmed]["dashes"] is False and links[confirmed]["hidden"] is False
    assert links[rejected]["hidden"] is True
    band = G.edges[(*proposed, "derived_from")]["band"]
    assert links[proposed]["dashes"] is True and links[proposed]["label"] == f"{score:.2f} {band}"
    up = data["details"][proposed[0]]["up"][0]
    assert (up["id"], up["score"], up["status"]) == (proposed[1], score, "proposed")
    assert data["details"][proposed[0]]["text"] == G.nodes[proposed[0]]["text"]
    task = next(n for n, d in G.nodes(data=True) if d["kind"] == "task" and d["lead"] and d["deadline_text"])
    assert data["details"][task]["lead"] == G.nodes[task]["lead"]
    assert data["details"][task]["deadline"] == G.nodes[task]["deadline_text"]
    nodes = {n["id"]: n for n in data["nodes"]}
    national = next(n for n, d in G.nodes(data=True)
                    if d["kind"] == "document" and d["level"] == "national" and not d["placeholder"])
    assert (nodes[national]["shape"], nodes[national]["color"]["background"]) == ("box", LEVEL_COLOURS["national"])


# --- focus ----------------------------------------------------------------------------------

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
    assert page["focus"] == national and page["depth"] == 1
    assert len(page["nodes"]) == len(view_nodes(G, national, 1)) < G.number_of_nodes()


def test_focus_on_a_ward_task_climbs_to_the_top(tmp_path: Path) -> None:
    G, national = cascade_graph(tmp_path)
    ward_task = sorted(u for u, v, k in G.edges(keys=True)
                       if k == "derived_from" and G.nodes[G.nodes[u]["document"]]["level"] == "commune")[0]
    nodes = view_nodes(G, ward_task, depth=0)
    assert national in nodes
    chain = [n for n in nodes if G.nodes[n]["kind"] == "task"]
    assert len(chain) == 3  # ward task -> province task -> national task
    assert not any(G.nodes[n]["kind"] == "task" and n not in chain for n in nodes)


def test_focus_keeps_items_attached_to_their_document(tmp_path: Path) -> None:
    G, national = cascade_graph(tmp_path)
    data = page_data(render_html(G, focus=national, depth=2))
    parents = {e["from"] for e in data["edges"] if data["edge_details"][e["id"]]["relation"] == "part_of"}
    items = {n for n, d in data["details"].items() if d["kind"] in ("section", "task", "target")}
    assert items <= parents


def test_write_html(seed_graph: Graph, tmp_path: Path) -> None:
    path = write_html(seed_graph, tmp_path / "graph.html", title="Seed")
    assert path.read_text(encoding="utf-8") == render_html(seed_graph, title="Seed")
    with pytest.raises(ExportError, match="cannot write"):
        write_html(seed_graph, tmp_path)


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


def js_fold(text: str) -> str:
    """What the page's search does to text (and to the query)."""
    stripped = re.sub("[\u0300-\u036f]", "", unicodedata.normalize("NFD", text))
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


@browser
@needs_chromium
def test_browser_draws_offline_and_payload_stays_text(payload_graph: Graph, payload_task: str,
                                                      tmp_path: Path) -> None:
    page = tmp_path / "seed.html"
    write_html(payload_graph, page, title=PAYLOAD)
    query = "so tai chinh"
    dom = run_chromium(tmp_path, f"{page.as_uri()}#search={quote(query)}&node={quote(payload_task, safe='')}",
                       "--window-size=1280,800", "--dump-dom")
    state = body_state(dom)
    assert "error" not in state
    assert int(state["drawn"]) == payload_graph.number_of_nodes()
    assert int(state["pixels"]) > 2000
    assert state["pwned"] == "undefined"
    # the info panel shows the hostile text as text
    info = dom[dom.index('<section id="info">'):]
    assert html.escape(f"Nhiệm vụ {PAYLOAD}", quote=False) in info[:info.index("</section>")]
    assert not re.search(r"<img[^>]*src=\"?x", dom)
    # search without diacritics
    data = page_data(render_html(payload_graph))
    expected = sum(
        all(term in js_fold(" ".join(str(v) for v in (n, d.get("label"), d.get("text"), d.get("title"), d.get("number"),
                                                      d.get("issuer"), d.get("name"), " ".join(d.get("lead") or []))
                                     if v))
            for term in query.split())
        for n, d in data["details"].items())
    assert int(state["matches"]) == expected > 0


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
    level_colours = {bytes.fromhex(LEVEL_COLOURS[level][1:]) for level in ("national", "province", "commune")}
    assert level_colours & colours  # solid node fills, not only edges and bands


@browser
@needs_chromium
def test_browser_draws_a_focus_view(tmp_path: Path) -> None:
    G, national = cascade_graph(tmp_path / "corpus", provinces=3, wards=2)
    page = tmp_path / "focus.html"
    write_html(G, page, focus=national, depth=2)
    state = body_state(run_chromium(tmp_path, page.as_uri(), "--window-size=1280,800", "--dump-dom"))
    assert int(state["drawn"]) == len(view_nodes(G, national, 2))
    assert int(state["pixels"]) > 2000
    assert state["pwned"] == "undefined"
