"""The error hierarchy: one root, context in the message, safe across processes."""

from __future__ import annotations

import pickle

import pytest

from plankg.errors import (
    ExportError,
    InputError,
    LinkError,
    ParseError,
    PlankgError,
    UnknownNodeError,
    WorkspaceError,
)


@pytest.mark.parametrize("cls", [InputError, ParseError, LinkError, ExportError, WorkspaceError])
def test_errors_keep_file_and_line_through_pickle(cls: type[PlankgError]) -> None:
    error = cls("not valid UTF-8", path="a.txt", line=3)
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is cls and isinstance(again, PlankgError)
    assert (again.path, again.line, str(again)) == ("a.txt", 3, "a.txt:3: not valid UTF-8")


def test_unknown_node_error() -> None:
    again = pickle.loads(pickle.dumps(UnknownNodeError("x#1")))
    assert str(again) == "unknown node id 'x#1'" and again.node_id == "x#1"


def test_message_without_location() -> None:
    assert str(PlankgError("boom")) == "boom"
    assert str(InputError("empty file", path="b.txt")) == "b.txt: empty file"
