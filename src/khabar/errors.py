"""Coded problems. A bad input becomes a :class:`ReadFailure` with a code, never a silent skip."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Problem(str, Enum):
    """Stable codes; the message explains the cause and what to do."""

    NOT_FOUND = "E001"
    EMPTY = "E002"
    BINARY = "E003"
    UNDECODABLE = "E004"
    BAD_JSON = "E005"
    MISSING_FIELD = "E006"
    TOO_LARGE = "E007"
    BAD_ARCHIVE = "E008"
    UNSUPPORTED = "E009"
    NO_CONTENT = "E010"
    PIPELINE = "E011"
    BAD_SGML = "E012"


@dataclass(slots=True)
class ReadFailure:
    """A document (or a whole file) that could not be read; the run goes on without it."""

    code: Problem
    path: str
    message: str
    line: int | None = None
    # A record with nothing in it (SaudiNewsNet has ~1% of articles with blank content) is
    # counted as skipped, not failed: the input is valid, there is just nothing to process.
    skipped: bool = False

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path

    def __str__(self) -> str:
        return f"{self.where}: [{self.code.value}] {self.message}"

    def to_json(self) -> dict:
        return {"code": self.code.value, "path": self.path, "line": self.line,
                "message": self.message, "skipped": self.skipped}


class KhabarError(Exception):
    """Raised for configuration and usage errors (not for bad documents). The command exits with
    ``exit_code``: 2 for a usage error, 1 for a run that failed (a full disk)."""

    def __init__(self, message: str = "", *, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code
