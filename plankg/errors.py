"""One error hierarchy for plankg.

Every expected failure is a :class:`PlankgError`; the CLI turns it into a single
``Error: ...`` line on stderr and exit status 1. Each subclass carries the context a
user needs to fix the problem (file and line, or node id).
"""

from __future__ import annotations

from typing import Any


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
    """A node id given by the user does not exist in the graph."""

    def __init__(self, node_id: str) -> None:
        super().__init__(f"unknown node id {node_id!r}")
        self.node_id = node_id

    def __reduce__(self) -> tuple[Any, ...]:
        return (UnknownNodeError, (self.node_id,))


def _rebuild(cls: type[PlankgError], message: str, path: str | None, line: int | None) -> PlankgError:
    error = cls.__new__(cls)
    PlankgError.__init__(error, message, path=path, line=line)
    return error
