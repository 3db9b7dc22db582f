"""Task lineage inference: which higher-level task does each local task restate?

For every task and target of a lower-level document, candidate parents are ranked and the
best becomes a ``derived_from`` edge with ``score``, ``method``, ``status`` and ``evidence``
(the phrases the two texts share).

Candidates are blocked, never all-against-all:

1. the loaded documents the plan applies, directly or through its citation chain (a
   placeholder for an unloaded document is bridged by its subject: "Kế hoạch số
   3045/KH-UBND … triển khai thực hiện Quy hoạch tỉnh Lai Châu …" is tied to the loaded
   national plan "Thực hiện Quy hoạch tỉnh Lai Châu …");
2. otherwise loaded higher-level documents of the same province;
3. otherwise national documents.

Similarity is Vietnamese-aware: NFC, case and spelling variants folded, syllable unigrams
and bigrams (most Vietnamese words are two syllables) weighted by TF-IDF with
administrative boilerplate discounted, plus priors for matching section headings, the
planning period, and nearness in the chain. Links only point up the hierarchy.

People confirm, reject or add links in a curation file (CSV: child,parent,status,reason);
rebuilding keeps their decisions and never proposes a rejected link again.
"""

from __future__ import annotations

import functools
import itertools
import math
import multiprocessing as mp
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from plankg.graph.build import Graph
from plankg.graph.curation import CURATION_COLUMNS as CURATION_COLUMNS
from plankg.graph.curation import Anchoring, Curation, anchor, load_curation
from plankg.graph.curation import Decision as Decision
from plankg.graph.curation import write_decision as write_decision
from plankg.graph.processes import start_worker
from plankg.graph.queries import out_links
from plankg.i18n import _
from plankg.model import Level, LinkStatus, NodeKind, Relation, link_band
from plankg.normalize import fold

#: Below these scores no link is proposed: lenient when the plan is known (from its
#: citation chain) to implement the candidate's document, strict for speculative fallbacks.
MIN_SCORE_CHAIN = 0.1
MIN_SCORE_FALLBACK = 0.4
#: Candidates below this share of the best raw similarity cannot win on priors alone.
NEAR_TIE = 0.75
#: A parent at a nearer level of the chain wins from this share of the best score.
NEAR_LEVEL = 0.8
#: Subject similarity needed to tie an unloaded placeholder to a loaded document.
MIN_SUBJECT_SCORE = 0.45
#: Children of documents that share their candidates are linked in batches whose matrix of
#: similarities (children by candidate items) holds at most this many cells (16 MB).
BATCH_CELLS = 1 << 21

# Function words carry no meaning for matching.
_STOP = frozenset(
    "các và của cho với trong theo để được có những một là tại trên đến từ này đó như về "
    "nhằm đồng thời gắn cả tất nhất đã sẽ bị do vào ra khi thì mà cũng còn nữa hoặc".split()
)
# Administrative boilerplate: frequent in every plan, weak evidence of lineage.
_BOILERPLATE = frozenset({
    "tăng cường", "triển khai", "thực hiện", "tổ chức", "cơ quan", "đơn vị", "liên quan", "có liên",
    "hiệu quả", "đẩy mạnh", "nâng cao", "chất lượng", "quy định", "kịp thời", "tiếp tục", "xây dựng",
    "phát triển", "địa bàn", "quản lý", "chủ động", "phối hợp", "tạo điều", "điều kiện",
    # the closing procedure every plan repeats: "nếu có khó khăn, vướng mắc … báo cáo … tổng hợp"
    "quá trình", "khó khăn", "vướng mắc", "báo cáo", "tổng hợp", "có khó", "nếu có", "xem xét",
    "quyết định", "ubnd tỉnh", "tình hình", "thực tiễn",
})
# Multi-word names that count as one token ("Ủy ban nhân dân" = "UBND").
_ABBREVIATE = re.compile(r"[UỦuủ][yỷ]\s+ban\s+nhân\s+dân|[Hh]ội\s+đồng\s+nhân\s+dân")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_YEAR_SPAN = re.compile(r"\b(20\d\d)\s*[-–]\s*(20\d\d)\b|\b(?:năm|đến năm)\s+(20\d\d)\b")
_PROVINCE = re.compile(r"tỉnh\s+((?:[A-ZĐ][^\s,.;]*\s?){1,3})")
# Enum values read in the per-node and per-link loops (an enum member's .value is a descriptor
# call: 2.2 million of them in the linking of a national build, 0.7 s).
_TASK, _TARGET, _DOCUMENT = NodeKind.TASK.value, NodeKind.TARGET.value, NodeKind.DOCUMENT.value
_ITEM_KINDS = (_TASK, _TARGET)
_DERIVED, _APPLIES, _PART_OF = Relation.DERIVED_FROM.value, Relation.APPLIES.value, Relation.PART_OF.value
_NATIONAL = Level.NATIONAL.value


# --- text features --------------------------------------------------------------------

class Progress(Protocol):
    """Wraps a list of work items with a label, e.g. a click progress bar."""

    def __call__(self, items: Sequence[str], label: str) -> Iterable[str]: ...


@functools.lru_cache(maxsize=262_144)
def _fold_word(word: str) -> str:
    return fold(word)


def tokens(text: str) -> list[str]:
    """Folded syllables of ``text``.

    >>> tokens("Tăng cường công tác QUẢN LÝ nhà nước về tài nguyên, môi trường")
    ['tăng', 'cường', 'công', 'tác', 'quản', 'lý', 'nhà', 'nước', 'về', 'tài', 'nguyên', 'môi', 'trường']
    """
    text = _ABBREVIATE.sub(lambda m: "UBND" if m.group(0)[0] in "UỦuủ" else "HĐND", text)
    return [_fold_word(w) for w in _WORD.findall(text)]


def features(text: str) -> dict[str, float]:
    """Raw term counts of syllables and syllable bigrams (bigrams weigh double)."""
    toks = tokens(text)
    counts: dict[str, float] = defaultdict(float)
    for tok in toks:
        if tok not in _STOP and not tok.isdigit():
            counts[tok] += 0.5
    for a, b in itertools.pairwise(toks):
        if a in _STOP and b in _STOP:
            continue
        gram = f"{a} {b}"
        counts[gram] += 0.3 if gram in _BOILERPLATE else 1.0
    return counts


class Vectorizer:
    """TF-IDF over a corpus of texts; vectors are sparse dicts, L2-normalised."""

    def __init__(self, texts: Iterable[str]) -> None:
        df: dict[str, int] = defaultdict(int)
        # A text restated word for word (a task copied from the plan above, or the same in
        # every province) counts in the document frequencies each time, but its features are
        # computed once (and counted once, times its copies) and kept until :meth:`vector` has
        # been asked for it as many times.
        self._uses: dict[str, int] = Counter(texts)  # texts in the order first seen, with their copies
        self._features: dict[str, dict[str, float]] = {}
        for text, copies in self._uses.items():
            counts = self._features[text] = features(text)
            for term in counts:
                df[term] += copies
        self.n = max(sum(self._uses.values()), 1)
        self.idf = {t: math.log((1 + self.n) / (1 + c)) + 1.0 for t, c in df.items()}
        self._unseen = math.log(1 + self.n) + 1.0

    def vector(self, text: str) -> dict[str, float]:
        counts = self._features.get(text)
        if counts is None:
            counts = features(text)
        elif self._uses[text] > 1:
            self._uses[text] -= 1
        else:
            del self._features[text], self._uses[text]
        vec = {t: (1 + math.log(c)) * self.idf.get(t, self._unseen) for t, c in counts.items() if c > 0}
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        return {t: w / norm for t, w in vec.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def shared_phrases(child: str, parent: str, *, limit: int = 3, max_words: int = 10) -> list[str]:
    """Longest runs of words the two texts share, in the child's own spelling.

    >>> shared_phrases("Thực hiện tốt quy chế quản lý chất thải, chất gây ô nhiễm",
    ...                "Xây dựng quy chế quản lý chất thải, chất gây ô nhiễm môi trường")
    ['quy chế quản lý chất thải chất gây ô nhiễm']

    A phrase the child says twice, or a part of one already given, is not given again:

    >>> shared_phrases("Phê duyệt Đề án nhà ở; sau khi phê duyệt Đề án, lập dự toán kinh phí",
    ...                "Phê duyệt Đề án nhà ở và lập dự toán kinh phí")
    ['Phê duyệt Đề án nhà ở', 'lập dự toán kinh phí']
    """
    return list(_shared_phrases(child, parent, limit, max_words))


@functools.lru_cache(maxsize=16_384)  # a province's task restated in many of its wards' plans
def _shared_phrases(child: str, parent: str, limit: int, max_words: int) -> tuple[str, ...]:
    words = _WORD.findall(child)
    a = [_fold_word(w) for w in words]
    positions = _positions(parent)
    runs: list[tuple[int, int]] = []  # (start in child, length) of maximal common runs
    open_runs: dict[int, int] = {}    # parent position -> length of the run ending there
    for i in range(len(a) + 1):  # one step past the end closes the last runs
        current = {j: open_runs.get(j - 1, 0) + 1 for j in positions.get(a[i], ())} if i < len(a) else {}
        for j, length in open_runs.items():
            if j + 1 not in current and length >= 2:
                runs.append((i - length, length))
        open_runs = current
    chosen: list[tuple[int, int]] = []
    taken: set[int] = set()
    said: list[str] = []  # the chosen phrases' folded words: a phrase repeated, or part of one, says nothing new
    for start, length in sorted(runs, key=lambda r: (-r[1], r[0])):
        span = set(range(start, start + length))
        folded = f" {' '.join(a[start:start + length])} "
        if span & taken or any(folded in phrase for phrase in said) or all(a[k] in _STOP for k in span):
            continue
        taken |= span
        said.append(folded)
        chosen.append((start, length))
        if len(chosen) == limit:
            break
    phrases = []
    for start, length in chosen:
        phrase = " ".join(words[start:start + min(length, max_words)])
        phrases.append(phrase + (" …" if length > max_words else ""))
    return tuple(phrases)


@functools.lru_cache(maxsize=16_384)
def _positions(text: str) -> dict[str, list[int]]:
    """Where each folded word of ``text`` occurs (cached: a parent task has many children)."""
    positions: dict[str, list[int]] = defaultdict(list)
    for j, tok in enumerate(tokens(text)):
        positions[tok].append(j)
    return dict(positions)


@functools.lru_cache(maxsize=65_536)
def _periods(text: str) -> tuple[tuple[int, int], ...]:
    """Planning periods a text names ("2021-2025", "đến năm 2030"); cached: a parent task's
    heading is read once for each of its candidates' children."""
    spans = []
    for m in _YEAR_SPAN.finditer(text):
        if m.group(1):
            spans.append((int(m.group(1)), int(m.group(2))))
        else:
            year = int(m.group(3))
            spans.append((year, year))
    return tuple(spans)


def _overlaps(a: tuple[tuple[int, int], ...], b: tuple[tuple[int, int], ...]) -> bool:
    return any(x0 <= y1 and y0 <= x1 for x0, x1 in a for y0, y1 in b)


# --- curation: plankg.graph.curation (re-exported here for existing callers) ------------

# --- linking ---------------------------------------------------------------------------

@dataclass
class LinkReport:
    proposed: int = 0
    confirmed: int = 0
    rejected: int = 0
    links: int = 0  # the links the graph holds afterwards, rejected ones aside
    anchoring: Anchoring = field(default_factory=Anchoring)  # decisions applied, stale, moved, bad rows
    inferred_documents: list[tuple[str, str, float]] = field(default_factory=list)


#: Below this many documents a process pool costs more than it saves.
PARALLEL_MIN_DOCUMENTS = 200


def link_graph(G: Graph, *, curation: Curation | Path | str | None = None,
               progress: Progress | None = None, jobs: int | None = None, unlinked: bool = False) -> LinkReport:
    """Add ``derived_from`` edges (and subject-inferred ``applies`` edges) to ``G``, in place
    of those it holds.

    ``progress``, when given, wraps the list of documents being linked (a progress bar).
    Large graphs are linked by ``jobs`` forked processes (default: one per CPU core): each
    document's links depend only on the shared term weights, so the result is the same.
    ``unlinked`` says that ``G`` holds no links yet (``build_graph`` made it with
    ``link=False``): the pass that looks for them over every edge is then skipped.
    """
    if not isinstance(curation, Curation):
        curation = load_curation(Path(curation) if curation else None)
    report = LinkReport()
    if not unlinked:
        _clear_links(G)
    report.anchoring = anchor(G, curation)
    curation = Curation(report.anchoring.decisions, path=curation.path)  # as anchored to today's ids
    items = _items_by_document(G)
    vectorizer = Vectorizer(G.nodes[n]["text"] for nodes in items.values() for n in nodes)
    report.inferred_documents = infer_document_parents(G, vectorizer)
    linker = _Linker(G, items, vectorizer, Catalogue.of(G), curation.rejected(), set(curation.confirmed()))
    documents = sorted(items)
    last: dict[tuple[str, str], LinkStatus] = {}  # a pair's link, as the last word on it left it
    for _doc, links in zip(_tracked(documents, progress), _link_all(linker, documents, jobs), strict=True):
        for child, parent, score, evidence in links:
            _add_link(G, child, parent, score, "tfidf-bigram", LinkStatus.PROPOSED, evidence=evidence)
            last[child, parent] = LinkStatus.PROPOSED
            report.proposed += 1
    for decisions in curation.confirmed().values():
        for d in decisions:
            sim = cosine(linker.vec(d.child), linker.vec(d.parent)) if "text" in G.nodes[d.parent] else 0.0
            _add_link(G, d.child, d.parent, round(sim, 4), "manual", LinkStatus.CONFIRMED, reason=d.reason)
            last[d.child, d.parent] = LinkStatus.CONFIRMED
            report.confirmed += 1
    for d in curation.decisions:
        if d.status is LinkStatus.REJECTED:
            _add_link(G, d.child, d.parent, 0.0, "manual", LinkStatus.REJECTED, reason=d.reason)
            last[d.child, d.parent] = LinkStatus.REJECTED
            report.rejected += 1
    report.links = sum(1 for status in last.values() if status is not LinkStatus.REJECTED)
    return report


Link = tuple[str, str, float, list[str]]  # child, parent, score, evidence


class _Linker:
    """Everything linking one document needs, with the caches that make it cheap."""

    def __init__(self, G: Graph, items: dict[str, list[str]], vectorizer: Vectorizer, catalogue: Catalogue,
                 rejected: set[tuple[str, str]], confirmed: set[str]) -> None:
        self.G, self.items, self.vectorizer, self.catalogue = G, items, vectorizer, catalogue
        self.confirmed = confirmed
        self.vectors: dict[str, dict[str, float]] = {}
        self.headings: dict[str, dict[str, float]] = {}
        self.heading_above: dict[str | None, str] = {}
        self.heading_of: dict[str, str] = {}
        self.indexes: dict[tuple[str, ...], _Index] = {}
        self.terms = _Terms()
        # The values the priors compare, numbered (headings by their text, planning periods,
        # units; no period is 0): a batch's pairs are compared once per pair of values, and
        # siblings share their headings (330,000 comparisons of 7,000 pairs of headings in the
        # national cascade).
        self.heading_numbers = _Numbers[str]()
        self.period_numbers = _Numbers[tuple[tuple[int, int], ...]]()
        self.period_numbers(())  # no period: 0
        self.unit_numbers = _Numbers[Any]()
        self.heading_similarity: dict[int, float] = {}
        self.periods_apart: dict[int, float] = {}  # 1.0: apart
        # Children's rejected parents, by child.
        self.rejected_of: dict[str, set[str]] = defaultdict(set)
        for child, parent in rejected:
            self.rejected_of[child].add(parent)
        # A task restated word for word in the plans of one province is weighed once.
        self._vector = functools.lru_cache(maxsize=8_192)(vectorizer.vector)

    def vec(self, node: str) -> dict[str, float]:
        if node not in self.vectors:
            self.vectors[node] = self._vector(_data(self.G)[node]["text"])
        return self.vectors[node]

    def heading(self, node: str) -> str:
        """The text of the headings above ``node``; its vector is in :attr:`headings`."""
        # Siblings share their headings: texts are cached by the section above, vectors by text.
        text = self.heading_of.get(node)
        if text is None:
            above = _section_above(self.G, node)
            if above not in self.heading_above:
                self.heading_above[above] = _headings_from(self.G, above)
            text = self.heading_of[node] = self.heading_above[above]
            if text not in self.headings:
                self.headings[text] = self.vectorizer.vector(text)
        return text

    def link_documents(self, documents: Sequence[str]) -> list[list[Link]]:
        """The links of each document. Documents with the same candidates (the wards of one
        province) are linked in one batch: what each child takes depends only on its own row of
        the batch, so the links are those of each document linked alone, found with one matrix
        product a batch instead of one a document."""
        data = _data(self.G)
        found: dict[str, list[Link]] = {doc: [] for doc in documents}
        alike: dict[tuple[Tier, ...], list[str]] = defaultdict(list)
        for doc in documents:
            alike[tuple(candidate_documents(self.G, doc, self.catalogue))].append(doc)
        for tiers, docs in alike.items():
            for kind in _ITEM_KINDS:
                for batch in self._batches(docs, kind, tiers):
                    children = [child for _doc, child in batch]
                    for (doc, child), best in zip(batch, self._choose(children, kind, list(tiers)), strict=True):
                        if best is not None:
                            score, parent = best
                            evidence = shared_phrases(data[child]["text"], data[parent].get("text") or "")
                            found[doc].append((child, parent, score, evidence))
                    # A local task is never a parent of a lower one's children: its vector can go.
                    for child in children:
                        self.vectors.pop(child, None)
        return [found[doc] for doc in documents]

    def _batches(self, documents: list[str], kind: str, tiers: tuple[Tier, ...]) -> Iterator[list[tuple[str, str]]]:
        """The children of ``documents`` of one kind (those without a confirmed parent), each
        with its document, in batches whose similarities to the largest tier's items fit in
        :data:`BATCH_CELLS` (a document's children are never split)."""
        columns = max((sum(len(self.items.get(doc, ())) for _depth, doc in tier.documents) for tier in tiers),
                      default=0)
        batch: list[tuple[str, str]] = []
        for doc in documents:
            children = [(doc, n) for n in self.items_of(doc, kind) if n not in self.confirmed]
            if batch and (len(batch) + len(children)) * columns > BATCH_CELLS:
                yield batch
                batch = []
            batch += children
        if batch:
            yield batch

    def items_of(self, doc: str, kind: str) -> list[str]:
        """The items of ``doc`` of one kind (tasks or targets), in id order."""
        data: dict[str, dict[str, Any]] = self.G._node  # type: ignore[attr-defined]  # NodeView costs more
        return [n for n in self.items.get(doc, []) if data[n]["kind"] == kind]

    def index(self, tier: Tier, kind: str) -> _Index:
        """The items of one kind of the documents of ``tier``, one segment each (the wards of a
        province share their tiers, and so their indexes)."""
        key = (kind, *(doc for _depth, doc in tier.documents))
        if key not in self.indexes:
            self.indexes[key] = _Index([self.items_of(doc, kind) for _depth, doc in tier.documents], self.vec,
                                       self.terms, functools.partial(self.priors, own=False))
        return self.indexes[key]

    def priors(self, nodes: Sequence[str], *, own: bool) -> tuple[Any, Any, Any]:
        """The numbers of the nodes' headings, planning periods and units. A child's own period
        is its deadline's, else the one its heading names; a candidate's, the one its heading names."""
        import numpy as np

        data = _data(self.G)
        headings, periods, units = [], [], []
        for node in nodes:
            item = data[node]
            headings.append(self.heading_numbers(self.heading(node)))
            text = (_deadline_period(item) if own else None) or _first_line(item["text"])
            periods.append(self.period_numbers(_periods(text)))
            units.append(self.unit_numbers(item.get("unit")))
        return (np.array(headings, dtype=np.int64), np.array(periods, dtype=np.int64),
                np.array(units, dtype=np.int64))

    def _choose(self, children: list[str], kind: str, tiers: list[Tier]) -> list[tuple[float, str] | None]:
        """Each child's parent and its score (None: no candidate scores enough), from the
        first tier where one does.

        A child's candidates are its most similar items in each document of the tier. Priors
        only separate near-ties: candidates far below the best are dropped. The rest are
        weighed by the priors (see :meth:`_weigh`); the best at each level of the tier
        competes, and the nearest level that restates the task wins when it is close: a ward
        task comes from its province's restatement, not past it from the national one. (A
        nearer one below the tier's least score never hides a farther one above it.)
        """
        import numpy as np

        queries = _Queries([self.vec(child) for child in children], self.terms)
        own = self.priors(children, own=True)
        chosen: list[tuple[float, str] | None] = [None] * len(children)
        open_rows = np.ones(len(children), dtype=bool)
        for tier in tiers:
            if not open_rows.any():
                break
            index = self.index(tier, kind)
            row, column, sim = index.candidates(queries, open_rows)
            if self.rejected_of:
                allowed = [index.nodes[c] not in self.rejected_of.get(children[r], ())
                           for r, c in zip(row.tolist(), column.tolist(), strict=True)]
                row, column, sim = row[allowed], column[allowed], sim[allowed]
            if not row.size:
                continue
            top = np.full(len(children), -np.inf)
            np.maximum.at(top, row, sim)
            near = sim >= NEAR_TIE * top[row]
            row, column, sim = row[near], column[near], sim[near]
            depth = index.depths(tier)[column]
            weight = 1.0 - 0.05 * np.maximum(0, depth - 1)  # 5% less for each step up the tier
            score = self._weigh(sim, own, row, index, column, kind == _TARGET) * weight
            rows, picked = _select(row, depth, index.rank[column], score, tier.min_score)
            for r, candidate in zip(rows.tolist(), picked.tolist(), strict=True):
                chosen[r] = (float(score[candidate]), index.nodes[int(column[candidate])])
            open_rows[rows] = False
        return chosen

    def _weigh(self, sim: Any, own: tuple[Any, Any, Any], row: Any, index: _Index, column: Any,
               target: bool) -> Any:
        """Candidates' similarities weighed by the priors: the headings above the child and the
        candidate, the planning periods each names, a target's unit."""
        import numpy as np

        headings, periods, units = own
        h = _pairwise(headings[row], index.headings[column], self.heading_similarity, self._heading_similarity)
        value = np.where(h > 0, 0.85 * sim + 0.15 * h, sim)
        own_periods, periods_of = periods[row], index.periods[column]
        apart = _pairwise(own_periods, periods_of, self.periods_apart, self._periods_apart).astype(bool)
        value = value * np.where((own_periods != 0) & (periods_of != 0) & apart, 0.7, 1.0)  # another period
        if target:
            value = value * np.where(units[row] != index.units[column], 0.5, 1.0)
        return value

    def _heading_similarity(self, a: int, b: int) -> float:
        texts = self.heading_numbers.values
        return cosine(self.headings[texts[a]], self.headings[texts[b]])

    def _periods_apart(self, a: int, b: int) -> float:
        periods = self.period_numbers.values
        return float(not _overlaps(periods[a], periods[b]))


_T = TypeVar("_T")


class _Numbers(Generic[_T]):
    """Numbers for values, given in the order they are first seen; ``values`` lists them."""

    def __init__(self) -> None:
        self.numbers: dict[_T, int] = {}
        self.values: list[_T] = []

    def __call__(self, value: _T) -> int:
        number = self.numbers.get(value)
        if number is None:
            number = self.numbers[value] = len(self.values)
            self.values.append(value)
        return number


def _select(row: Any, depth: Any, rank: Any, score: Any, min_score: float) -> tuple[Any, Any]:
    """Which candidate each row takes (candidates given by their row, depth, parent's rank in
    id order and score): the rows that take one, ascending, and the candidate each takes.

    The best at each depth competes (ties go to the greater id, as a comparison of (score, id)
    would). The nearest depth whose best is within :data:`NEAR_LEVEL` of the row's best and at
    least ``min_score`` wins; a row whose best is below ``min_score`` takes none.
    """
    import numpy as np

    order = np.lexsort((rank, score, depth, row))
    last = np.ones(order.size, dtype=bool)
    last[:-1] = (row[order][1:] != row[order][:-1]) | (depth[order][1:] != depth[order][:-1])
    best = order[last]  # the best at each depth of each row: rows ascending, then depths nearest first
    by_row = best[np.lexsort((rank[best], score[best], row[best]))]
    greatest = np.ones(by_row.size, dtype=bool)
    greatest[:-1] = row[by_row][1:] != row[by_row][:-1]
    top = np.zeros(int(row.max()) + 1 if row.size else 0)
    top[row[by_row[greatest]]] = score[by_row[greatest]]
    enough = score[best] >= np.maximum(NEAR_LEVEL * top[row[best]], min_score)
    rows, first = np.unique(row[best][enough], return_index=True)
    return rows, best[enough][first]


def _pairwise(a: Any, b: Any, known: dict[int, float], compare: Callable[[int, int], float]) -> Any:
    """``compare`` of each pair of numbers of ``a`` and ``b``, once per distinct pair (kept in ``known``)."""
    import numpy as np

    keys = a * (1 << 32) + b
    distinct, inverse = np.unique(keys, return_inverse=True)
    values = []
    for key in distinct.tolist():
        value = known.get(key)
        if value is None:
            value = known[key] = compare(key >> 32, key & 0xFFFFFFFF)
        values.append(value)
    return np.array(values, dtype=np.float64)[inverse]


_WORKER: _Linker | None = None  # the linker a forked worker inherits
_WORKER_NICENESS = 5  # added to a linking worker's: a third of the CPU share of a process beside it


def _start_link_worker(parent: int) -> None:
    start_worker(parent)
    os.nice(_WORKER_NICENESS)


def _link_in_worker(documents: list[str]) -> list[list[Link]]:
    assert _WORKER is not None
    return _WORKER.link_documents(documents)


def _link_all(linker: _Linker, documents: list[str], jobs: int | None) -> Iterator[list[Link]]:
    """Links of each document, in order, as they are found; in forked processes for large graphs.
    Contiguous runs of documents go together: neighbouring ids share their candidate plans,
    and so their indexes and their batches (see :meth:`_Linker.link_documents`)."""
    global _WORKER
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    parallel = workers > 1 and len(documents) >= PARALLEL_MIN_DOCUMENTS and "fork" in mp.get_all_start_methods() \
        and not mp.current_process().daemon  # a Pool's worker may not start processes of its own
    size = max(1, len(documents) // (workers * 8)) if parallel else _SEQUENTIAL_RUN
    runs = [documents[i:i + size] for i in range(0, len(documents), size)]
    if not parallel:
        for run in runs:
            yield from linker.link_documents(run)
        return
    from concurrent.futures import ProcessPoolExecutor

    _WORKER = linker  # inherited by the forked workers, never pickled
    try:
        # The workers yield to the build's other processes (the store's node writer, forked
        # before linking): the build waits for both, and a worker finishing last keeps both
        # cores busy to the end, a writer finishing last only one.
        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork"),
                                 initializer=_start_link_worker, initargs=(os.getpid(),)) as pool:
            for links in pool.map(_link_in_worker, runs):
                yield from links
    finally:
        _WORKER = None


#: Documents linked together in one process (their links are reported as each run ends).
_SEQUENTIAL_RUN = 64


def _tracked(documents: list[str], progress: Progress | None) -> Iterable[str]:
    return progress(documents, _("Linking")) if progress is not None else documents


@functools.lru_cache(maxsize=65_536)
def _first_line(text: str) -> str:
    """An item's own heading: the period it names there is the period it is about."""
    return re.split(r"(?<=[.;:])\s", text, maxsplit=1)[0][:160]


def _deadline_period(data: dict[str, Any]) -> str | None:
    start, end = data.get("deadline_start"), data.get("deadline_end")
    if start and end:
        return f"{start[:4]}-{end[:4]}"
    return None


class _Terms:
    """Vectors as sparse rows over term numbers: the numbers given here to every term as it is
    first seen (one table for the linker, so the children's rows are made once and searched in
    every index of their tiers)."""

    def __init__(self) -> None:
        self.numbers: defaultdict[str, int] = defaultdict(itertools.count().__next__)  # the next, when unseen

    def rows(self, vectors: Iterable[dict[str, float]]) -> tuple[Any, Any, Any]:
        """The vectors' term numbers and weights, each vector's in its own term order, and
        where each row ends."""
        import numpy as np

        number = self.numbers.__getitem__
        terms: list[int] = []
        weights: list[float] = []
        ends: list[int] = []
        for vector in vectors:
            terms += map(number, vector)
            weights += vector.values()
            ends.append(len(terms))
        return (np.array(terms, dtype=np.int64), np.array(weights, dtype=np.float64),
                np.array(ends, dtype=np.int64))


class _Queries:
    """A batch of vectors to search for (one document's children of one kind)."""

    def __init__(self, vectors: Sequence[dict[str, float]], terms: _Terms) -> None:
        import numpy as np

        self.vectors = vectors
        self.terms, self.weights, ends = terms.rows(vectors)
        self.row = np.repeat(np.arange(len(vectors)), np.diff(ends, prepend=0))


class _Columns:
    """Items of one kind in segments (one per document), each segment's items in id order:
    each column's place in id order over all segments, and the items' side of the priors
    (see :meth:`_Linker.priors`). What an index answers with, however it searches."""

    def __init__(self, segments: Sequence[list[str]],
                 priors: Callable[[list[str]], tuple[Any, Any, Any]] | None = None) -> None:
        import numpy as np

        self.nodes: list[str] = []
        self.bounds: list[tuple[int, int]] = []
        for nodes in segments:
            start = len(self.nodes)
            self.nodes += sorted(nodes)  # ties are broken by id: a stable sort over columns in id order
            self.bounds.append((start, len(self.nodes)))
        self.rank = np.empty(len(self.nodes), dtype=np.int64)  # each column's place in id order
        self.rank[sorted(range(len(self.nodes)), key=self.nodes.__getitem__)] = np.arange(len(self.nodes))
        if priors is not None:
            self.headings, self.periods, self.units = priors(self.nodes)

    def depths(self, tier: Tier) -> Any:
        """Each column's depth in ``tier`` (whose documents are the segments)."""
        import numpy as np

        return np.repeat([depth for depth, _doc in tier.documents], [end - start for start, end in self.bounds])


class _Index(_Columns):
    """Items of one kind as a sparse term-by-item matrix, in segments (one per document): the
    items of each segment closest to a batch of vectors come from one matrix product instead
    of a loop over postings.

    Each similarity is summed in the query vector's term order, as a loop over postings
    would, so the scores are the same to the last bit.
    """

    def __init__(self, segments: Sequence[list[str]], vec: Callable[[str], dict[str, float]], terms: _Terms,
                 priors: Callable[[list[str]], tuple[Any, Any, Any]] | None = None) -> None:
        import numpy as np
        from scipy.sparse import csr_matrix

        super().__init__(segments, priors)
        numbers, weights, ends = terms.rows(vec(node) for node in self.nodes)
        # The index's rows: the terms its items use, in number order (searched by bisection).
        self.terms, row = np.unique(numbers, return_inverse=True)
        by_item = csr_matrix((weights, row, np.concatenate(([0], ends))), shape=(len(self.nodes), len(self.terms)))
        self.matrix = by_item.T.tocsr()

    def candidates(self, queries: _Queries, rows: Any = None, k: int = 5) -> tuple[Any, Any, Any]:
        """For each vector (of ``rows``, a mask, when given), its ``k`` most similar items in
        each segment sharing a term with it: their rows, columns and similarities, by row and
        column."""
        import numpy as np
        from scipy.sparse import csr_matrix

        at = np.searchsorted(self.terms, queries.terms)
        known = at < len(self.terms)
        known[known] = self.terms[at[known]] == queries.terms[known]
        if rows is not None:
            known &= rows[queries.row]
        # Each query's known terms, in its own order: the order of the sums.
        ends = np.cumsum(np.bincount(queries.row[known], minlength=len(queries.vectors)))
        matrix = csr_matrix((queries.weights[known], at[known], np.concatenate(([0], ends))),
                            shape=(len(queries.vectors), len(self.terms)))
        product = (matrix @ self.matrix).tocoo()
        sims = np.full(product.shape, -np.inf)
        sims[product.row, product.col] = product.data
        chosen = np.zeros(sims.shape, dtype=bool)
        every = np.arange(sims.shape[0])[:, None]
        for start, end in self.bounds:
            block = sims[:, start:end]
            order = np.argsort(-block, axis=1, kind="stable")[:, :k]
            chosen[every, start + order] = np.take_along_axis(block, order, axis=1) > -np.inf
        found_row, found_column = np.nonzero(chosen)
        return found_row, found_column, sims[found_row, found_column]


def _add_link(G: Graph, child: str, parent: str, score: float, method: str, status: LinkStatus,
              reason: str | None = None, evidence: list[str] | None = None) -> None:
    if G.has_edge(child, parent, key=_DERIVED):
        G.remove_edge(child, parent, key=_DERIVED)
    value = status.value
    band = link_band(round(score, 4), value)
    attrs: dict[str, Any] = dict(relation=_DERIVED, score=round(score, 4), method=method,
                                 status=value, **({"band": band.value} if band else {}),
                                 evidence=evidence if evidence is not None else
                                 shared_phrases(G.nodes[child]["text"], G.nodes[parent].get("text") or ""))
    if reason:
        attrs["reason"] = reason
    G.add_edge(child, parent, key=_DERIVED, **attrs)


_LINK_STARTS = frozenset({_TASK, _TARGET, _DOCUMENT})


def _clear_links(G: Graph) -> None:
    # Links leave items; inferred "applies" edges leave (placeholder) documents. Read from
    # networkx's adjacency (see queries.out_links).
    nodes: dict[str, dict[str, Any]] = G._node  # type: ignore[attr-defined]
    successors: dict[str, dict[str, dict[str, dict[str, Any]]]] = G._succ  # type: ignore[attr-defined]
    links: list[Any] = [(u, v, k) for u, d in nodes.items() if d.get("kind") in _LINK_STARTS  # (u, v, key)
                        for v, keyed in successors[u].items() for k, e in keyed.items()
                        if e.get("relation") == _DERIVED or e.get("inferred")]
    G.remove_edges_from(links)


def _items_by_document(G: Graph) -> dict[str, list[str]]:
    items: dict[str, list[str]] = defaultdict(list)
    for node, data in G.nodes(data=True):
        if data["kind"] in _ITEM_KINDS:
            items[data["document"]].append(node)
    for nodes in items.values():
        nodes.sort()
    return items


def _data(G: Graph) -> dict[str, dict[str, Any]]:
    """Each node's attributes, read from networkx's own dictionary: ``G.nodes[n]`` goes through
    a view's method (a million times in a national build's linking)."""
    data: dict[str, dict[str, Any]] = G._node  # type: ignore[attr-defined]
    return data


def _section_above(G: Graph, node: str) -> str | None:
    """The section ``node`` is part of (None under the document itself)."""
    # Read from networkx's adjacency (see queries.out_links): the first target with a
    # part_of edge, without listing every edge of the item.
    successors: dict[str, dict[str, Any]] = G._succ[node]  # type: ignore[attr-defined]
    for target, keyed in successors.items():
        if _PART_OF in keyed:
            return None if _data(G)[target]["kind"] == _DOCUMENT else target
    return None


def _headings_from(G: Graph, section: str | None, rounds: int = 4) -> str:
    """Headings above an item ("Về bảo vệ môi trường"), the structural prior: the texts of
    ``section`` and the sections above it (at most ``rounds``), each cut to 120 characters."""
    parts: list[str] = []
    while section is not None and len(parts) < rounds:
        parts.append((_data(G)[section].get("text") or "")[:120])
        section = _section_above(G, section)
    return " ".join(parts)


def _rank(G: Graph, node: str) -> int | None:
    level = _data(G)[node].get("level")
    return Level(level).rank if level else None


@dataclass(frozen=True)
class Tier:
    """A group of candidate parent documents and how they were found."""

    kind: str                          # "chain", "province" or "national"
    documents: tuple[tuple[int, str], ...]  # (depth, document id)

    @property
    def min_score(self) -> float:
        return MIN_SCORE_CHAIN if self.kind == "chain" else MIN_SCORE_FALLBACK


@dataclass
class Catalogue:
    """Loaded documents grouped once per linking run, so candidate search is not quadratic."""

    by_province: dict[str, list[str]]
    national: list[str]

    @classmethod
    def of(cls, G: Graph) -> Catalogue:
        by_province: dict[str, list[str]] = defaultdict(list)
        national: list[str] = []
        for node, data in G.nodes(data=True):
            if data["kind"] != _DOCUMENT or data.get("placeholder"):
                continue
            if data.get("province"):
                by_province[data["province"]].append(node)
            if data.get("level") == _NATIONAL:
                national.append(node)
        for docs in by_province.values():
            docs.sort()
        return cls(dict(by_province), sorted(national))


def candidate_documents(G: Graph, doc: str, catalogue: Catalogue | None = None) -> list[Tier]:
    """Tiers of candidate parent documents for ``doc``, tried in order.

    ``chain``: loaded higher documents reached through applies/attached_to edges, also
    across placeholders; when there are none, ``province``: loaded higher documents of the
    same province, then ``national``: loaded national documents.
    """
    rank = _rank(G, doc)
    if rank is None or rank == 0:
        return []
    chain: list[tuple[int, str]] = []
    seen = {doc}
    frontier = [(0, doc)]
    while frontier:
        depth, node = frontier.pop(0)
        for up, key in sorted((up, key) for up, key, _data in out_links(G, node)):
            if key not in (Relation.APPLIES.value, Relation.ATTACHED_TO.value) or up in seen:
                continue
            seen.add(up)
            frontier.append((depth + 1, up))
            up_rank = _rank(G, up)
            if not G.nodes[up].get("placeholder") and up_rank is not None and up_rank < rank:
                chain.append((depth + 1, up))
    if chain:
        return [Tier("chain", tuple(chain))]
    catalogue = catalogue or Catalogue.of(G)
    tiers = []
    province = G.nodes[doc].get("province")
    same = [n for n in catalogue.by_province.get(province or "", []) if n != doc and (_rank(G, n) or 9) < rank]
    if same:
        tiers.append(Tier("province", tuple((2, n) for n in same)))
    national = [n for n in catalogue.national if n not in same and n != doc]
    if national:
        tiers.append(Tier("national", tuple((3, n) for n in national)))
    return tiers


def infer_document_parents(G: Graph, vectorizer: Vectorizer) -> list[tuple[str, str, float]]:
    """Tie unloaded placeholder documents to the loaded higher document their subject names.

    A placeholder's subject comes from the citation ("triển khai thực hiện Quy hoạch tỉnh Lai
    Châu điều chỉnh …"); it is compared with loaded documents' titles. Provinces named in
    both must agree. Adds ``applies`` edges with ``inferred=True``.
    """
    inferred = []
    loaded = [(n, d) for n, d in G.nodes(data=True)
              if d["kind"] == _DOCUMENT and not d.get("placeholder") and d.get("title")]
    for node in sorted(G.nodes):
        data = G.nodes[node]
        if data["kind"] != _DOCUMENT or not data.get("placeholder") or not data.get("title"):
            continue
        if any(k == _APPLIES for _, _, k in G.out_edges(node, keys=True)):
            continue
        rank = _rank(G, node)
        subject = vectorizer.vector(data["title"])
        provinces = set(_PROVINCE.findall(data["title"]))
        best: tuple[float, str] | None = None
        for other, odata in loaded:
            other_rank = _rank(G, other)
            if rank is None or other_rank is None or other_rank >= rank:
                continue
            other_provinces = set(_PROVINCE.findall(odata["title"]))
            if provinces and other_provinces and not provinces & other_provinces:
                continue
            score = cosine(subject, vectorizer.vector(odata["title"]))
            if score >= MIN_SUBJECT_SCORE and (best is None or score > best[0]):
                best = (score, other)
        if best is not None:
            G.add_edge(node, best[1], key=_APPLIES, relation=_APPLIES,
                       inferred=True, method="subject", score=round(best[0], 4))
            inferred.append((node, best[1], best[0]))
    return inferred
