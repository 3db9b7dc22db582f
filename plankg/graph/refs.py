"""References people can type, resolved to node ids.

Every command that takes a node accepts, besides the node id itself:

* an official number, in any case, spacing and đ/d spelling: ``2233/kh-ubnd``,
  ``57- NQ/TW``, ``1486/QD-TTg``;
* a number with words that tell apart documents sharing it: ``186/KH-UBND Tuyên Quang``
  (words of the issuer, jurisdiction, title, year or file name);
* an item of a document by its path: ``2233/KH-UBND II.1.b``, ``2233/KH-UBND#II/1/b``;
* a source file name (``2233.docx``, or without its extension);
* an RDF IRI of the export (``https://w3id.org/plankg/id/…``) or its ``id:…`` short form,
  as ``plankg sparql`` prints them;
* otherwise a search phrase, when exactly one node matches it as a phrase.

A reference that matches nothing, or several nodes, raises
:class:`~plankg.errors.UnknownNodeError` with a short "did you mean" list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import unquote

from plankg.errors import UnknownNodeError
from plankg.i18n import _
from plankg.model import NodeKind
from plankg.normalize import nfc, search_key, slugify

__all__ = ["GraphNodes", "NodeSource", "number_key", "resolve"]

#: The IRI namespace of node ids (:data:`plankg.exports.rdf.BASE`).
IRI_BASE = "https://w3id.org/plankg/id/"

# "2233/KH-UBND", "57- NQ/TW", "37/2019/NĐ-CP", "21-CTr/TU" at the start of a reference.
_CODE = r"[A-Za-zĐđ][A-Za-zĐđ0-9]*"
_NUMBER = re.compile(r"\s*(?P<number>\d+[a-z]?(?:/\d{4})?\s*[-/]\s*" + _CODE + r"(?:\s*[-/]\s*" + _CODE + r")*)")
_SUGGESTIONS = 6


class NodeSource(Protocol):
    """What resolution reads: a graph in memory, or the workspace's store."""

    def has(self, node_id: str) -> bool: ...

    def documents(self) -> list[tuple[str, dict[str, Any]]]: ...

    def items(self, document: str) -> list[tuple[str, dict[str, Any]]]: ...

    def search(self, phrase: str) -> list[tuple[str, str, bool, bool]]:
        """(id, label, whole phrase matched, every word matched) of the nodes matching
        ``phrase``, best first."""
        ...


@dataclass
class GraphNodes:
    """A :class:`NodeSource` over a graph in memory."""

    G: Any

    def has(self, node_id: str) -> bool:
        return node_id in self.G

    def documents(self) -> list[tuple[str, dict[str, Any]]]:
        return sorted((n, d) for n, d in self.G.nodes(data=True) if d.get("kind") == NodeKind.DOCUMENT.value)

    def items(self, document: str) -> list[tuple[str, dict[str, Any]]]:
        prefix = document + "#"
        return sorted((n, d) for n, d in self.G.nodes(data=True) if n.startswith(prefix))

    def search(self, phrase: str) -> list[tuple[str, str, bool, bool]]:
        from plankg.graph.queries import search, search_words

        words = len(search_words(phrase))
        return [(h.id, h.label, h.phrase, h.matched == words) for h in search(self.G, phrase, limit=50)]


def number_key(number: str) -> str:
    """The comparison key of a document number: case, spaces, dashes and đ/d folded.

    >>> number_key("57- NQ/TW") == number_key("57-NQ/TW"), number_key("1486/QD-TTg") == number_key("1486/QĐ-TTg")
    (True, True)
    """
    return slugify(re.sub(r"\s+", "", number))


def resolve(ref: str, nodes: NodeSource) -> str:
    """The node id ``ref`` names (see the module docstring for the forms accepted).

    Raises :class:`~plankg.errors.UnknownNodeError` (with suggestions) when ``ref``
    matches no node or several.
    """
    text = nfc(ref).strip()
    if not text:
        raise UnknownNodeError(ref, hint=_("give a node id, a document number or a search phrase"))
    if nodes.has(text):
        return text
    for candidate in _iri_ids(text):
        if nodes.has(candidate):
            return candidate
    documents = nodes.documents()
    same = _same_number(text, documents)
    if same:
        found = _by_number(text, same, nodes)
        if not found:  # the number is known, the words or the item path after it are not
            raise UnknownNodeError(ref, suggestions=_suggest(same))
        return _one(ref, found)
    found = _by_source(text, documents)
    if found:
        return _one(ref, found)
    hits = nodes.search(text)
    phrase = [(node, label) for node, label, whole, _ in hits if whole]
    if len(phrase) == 1:
        return phrase[0][0]
    # Suggestions match the whole phrase, or at least every word of it: never noise.
    near = phrase or [(node, label) for node, label, _, every in hits if every]
    raise UnknownNodeError(ref, suggestions=[(node, _cut(label, 96 - len(node))) for node, label in
                                             near[:_SUGGESTIONS]])


def _one(ref: str, found: list[tuple[str, str]]) -> str:
    if len(found) == 1:
        return found[0][0]
    raise UnknownNodeError(ref, suggestions=[(node, _cut(label, 96 - len(node))) for node, label in found],
                           ambiguous=True)


def _cut(label: str, width: int) -> str:
    """A label cut so that a suggestion line stays near 100 columns."""
    width = max(width, 24)
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"


def _iri_ids(text: str) -> Iterable[str]:
    """Node ids an export IRI (or its ``id:`` short form) may stand for.

    The IRI of an item writes the "#" of its id as "/", so each "/" is tried in turn.
    """
    if text.startswith(IRI_BASE):
        rest = text[len(IRI_BASE):]
    elif text.startswith("id:"):
        rest = text[3:]
    else:
        return
    rest = unquote(rest)
    if rest.startswith("agency/"):
        yield "agency:" + rest.removeprefix("agency/")
        return
    yield rest
    for m in re.finditer("/", rest):
        yield rest[:m.start()] + "#" + rest[m.end():]


def _same_number(text: str, documents: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    """The documents whose number ``text`` starts with."""
    m = _NUMBER.match(text)
    if m is None:
        return []
    key = number_key(m["number"])
    return [(n, d) for n, d in documents if d.get("number") and number_key(d["number"]) == key]


def _by_number(text: str, same: list[tuple[str, dict[str, Any]]], nodes: NodeSource) -> list[tuple[str, str]]:
    m = _NUMBER.match(text)
    assert m is not None
    rest = text[m.end():].strip()
    if rest.startswith("#"):
        return _items(same, [], rest[1:], nodes)
    words = rest.split()
    # "186/KH-UBND Tuyên Quang II.1": qualifier words first, then perhaps an item path.
    best: list[tuple[str, str]] = []
    for cut in range(len(words), -1, -1):
        found = _items(same, words[:cut], " ".join(words[cut:]), nodes)
        if len(found) == 1:
            return found
        best = best or found
    return best


def _suggest(found: Iterable[tuple[str, dict[str, Any]]]) -> list[tuple[str, str]]:
    return [(n, d.get("label", n)) for n, d in found]


def _items(documents: list[tuple[str, dict[str, Any]]], qualifier: list[str], path: str,
           nodes: NodeSource) -> list[tuple[str, str]]:
    wanted = [search_key(w) for w in qualifier]
    chosen = [(n, d) for n, d in documents if all(w in _about(n, d) for w in wanted)]
    if not path:
        return [(n, d.get("label", n)) for n, d in chosen]
    tokens = _path_tokens(path)
    if not tokens:
        return []
    return [(n, d.get("label", n)) for doc, _ in chosen for n, d in nodes.items(doc)
            if _path_tokens(n.partition("#")[2]) == tokens]


def _about(node: str, data: dict[str, Any]) -> str:
    fields = (data.get(k) for k in ("issuer", "jurisdiction", "province", "title", "source", "year", "date", "type"))
    return " ".join([search_key(str(f)) for f in fields if f] + [node])


def _path_tokens(path: str) -> list[str]:
    """"II.1.b", "II/1/b", "#II/1/b" and "ii 1 b" alike; "-3" is the third bullet."""
    return re.findall(r"[0-9]+|[a-z]+", search_key(path))


def _by_source(text: str, documents: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, str]]:
    name = text.casefold()
    return _suggest((n, d) for n, d in documents if d.get("source")
                    and name in (d["source"].casefold(), d["source"].rsplit(".", 1)[0].casefold()))


