"""One error hierarchy for plankg.

Every expected failure is a :class:`PlankgError`; the CLI turns it into a single
``Error: ...`` line on stderr and exit status 1. Each subclass carries the context a
user needs to fix the problem (file and line, or node id).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from plankg.i18n import _


class PlankgError(Exception):
    """Root of every error plankg raises on purpose."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors cross process boundaries (parallel parsing) with their file and line.
        return (_rebuild, (type(self), self.message, self.path, self.line))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            return f"{where}: {self.message}"
        return self.message


class InputError(PlankgError):
    """A file cannot be read: missing, empty, binary or undecodable."""


class ParseError(PlankgError):
    """The text was read but a required structure could not be parsed."""


class LinkError(PlankgError):
    """Linking records into the graph failed (for example a bad curation file)."""


class ExportError(PlankgError):
    """An export could not be written."""


class QueryError(PlankgError):
    """A SPARQL query or one of its parameters is invalid."""


class WorkspaceError(PlankgError):
    """The workspace is missing, corrupt or from an incompatible version."""


class UnknownNodeError(PlankgError):
    """A reference given by the user names no node of the graph, or several.

    ``suggestions`` are (id, label) pairs: the candidates of an ambiguous reference, or
    the nearest matches of an unknown one ("did you mean").
    """

    def __init__(self, node_id: str, *, suggestions: Sequence[tuple[str, str]] = (), ambiguous: bool = False,
                 hint: str | None = None) -> None:
        if ambiguous:
            message = _("{node_id!r} names {count} nodes; give one of these ids, or add words (issuer, place, year) "
                        "after the number:").format(node_id=node_id, count=len(suggestions))
        elif suggestions:
            message = _("unknown node id {node_id!r}; did you mean:").format(node_id=node_id)
        elif hint:
            message = _("unknown node id {node_id!r}: {hint}").format(node_id=node_id, hint=hint)
        else:
            message = _("unknown node id {node_id!r}").format(node_id=node_id)
        lines = [message, *(f"  {node}  ({label})" for node, label in suggestions)]
        super().__init__("\n".join(lines))
        self.node_id = node_id
        self.suggestions = tuple(suggestions)
        self.ambiguous = ambiguous
        self.hint = hint

    def __reduce__(self) -> tuple[Any, ...]:
        return (_unknown, (self.node_id, self.suggestions, self.ambiguous, self.hint))


def _unknown(node_id: str, suggestions: Sequence[tuple[str, str]], ambiguous: bool,
             hint: str | None) -> UnknownNodeError:
    return UnknownNodeError(node_id, suggestions=suggestions, ambiguous=ambiguous, hint=hint)


def _rebuild(cls: type[PlankgError], message: str, path: str | None, line: int | None) -> PlankgError:
    error = cls.__new__(cls)
    PlankgError.__init__(error, message, path=path, line=line)
    return error
