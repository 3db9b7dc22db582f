"""Regenerate the RDF golden files of tests/test_rdf.py: ``python scripts/regen_golden.py``.

Writes the Turtle, N-Triples, JSON-LD and RDF/XML exports of the small test graph
(tests/small_graph.py) to tests/data/expected/rdf/. Run it after an intended change of
the RDF export and review the diff before committing; the tests compare by graph
isomorphism, so only a change of the triples makes them fail.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests" / "data" / "expected" / "rdf"
#: Golden file name of each export format.
GOLDEN = {"turtle": "small.ttl", "nt": "small.nt", "jsonld": "small.jsonld", "xml": "small.rdf"}


def main() -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from small_graph import build_small_graph

    from plankg.exports.rdf import serialize, to_rdf

    rdf = to_rdf(build_small_graph())
    EXPECTED.mkdir(parents=True, exist_ok=True)
    for fmt, name in GOLDEN.items():
        (EXPECTED / name).write_bytes(serialize(rdf, fmt))
        print(f"wrote {(EXPECTED / name).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
