"""Writers: documents to JSON lines, a JSON array, or readable text. A regular file is written to
a temporary name and renamed when complete, so a crash never leaves half a file behind; a
special file (a device, a FIFO) is written to directly."""

from __future__ import annotations

import errno
import json
import os
import sys
from contextlib import contextmanager
from typing import IO, Iterator

from khabar.data import Document
from khabar.errors import KhabarError

FORMATS = ("jsonl", "json", "text")


# what a full or failing disk answers a write with (not a bad input: the run cannot go on)
_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


@contextmanager
def open_output(path: str | None) -> Iterator[IO[str]]:
    """The output stream for ``-o PATH`` (standard output for None or "-"). A full disk or a
    failing device ends the run with one line naming the path (exit 1), nothing left behind."""
    try:
        with _open_output(path) as stream:
            yield stream
    except OSError as exc:
        if exc.errno not in _WRITE_ERRORS:
            raise
        raise KhabarError(f"{path or 'standard output'}: cannot write ({exc.strerror}); the run stopped and "
                          "left no partial file", exit_code=1) from None


@contextmanager
def _open_output(path: str | None) -> Iterator[IO[str]]:
    if path in (None, "-"):
        yield sys.stdout
        sys.stdout.flush()
        return
    if os.path.exists(path) and not os.path.isfile(path):
        # a device, a FIFO, a terminal (-o /dev/null, /dev/stdout): written to as it is; renaming a
        # file over it would replace the device node itself
        with open(path, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
        return
    temporary = f"{path}.tmp-{os.getpid()}"
    try:
        with open(temporary, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def format_statement(statement: dict) -> str:
    """``speaker — act — content (via ..., medium)`` on one line, for reading."""
    speaker = statement.get("speaker") or "?"
    if statement.get("role"):
        speaker += f" ({statement['role']})"
    line = f"{speaker} — {statement['act']} [{statement['type']}, {statement['cue']}] — {statement['content']}"
    relays = " ← ".join(f"{v['name']} ({v['relation']})" for v in statement.get("via", []))
    extras = [x for x in (f"via {relays}" if relays else "", f"medium: {statement['medium']}" if statement.get("medium") else "") if x]
    return line + (f"  [{'; '.join(extras)}]" if extras else "")


def format_text(document: Document) -> str:
    """A readable rendering: header, title, body, then what was removed and why."""
    lines = [f"=== {document.id}" + (f"  [{document.outlet}]" if document.outlet else "")]
    if document.title:
        lines.append(f"# {document.title}")
    lines.append("")
    lines.extend(paragraph + "\n" for paragraph in document.body)
    for removed in document.boilerplate:
        lines.append(f"  - removed ({removed['kind']}): {removed['text'][:120]}")
    record = document.to_json(include_raw=False)
    if record.get("entities"):
        names = {}
        for entity in record["entities"]:
            names.setdefault((entity["type"], entity["canonical"]), None)
        lines.append("  entities: " + "، ".join(f"{name} ({kind})" for kind, name in names))
    for place in record.get("places", []):
        lines.append(f"  place: {place['name']} -> {place['country']} {place['lat']:.3f}, {place['lon']:.3f}")
    for statement in record.get("quotes", []):
        lines.append("  statement: " + format_statement(statement))
    for warning in document.warnings:
        lines.append(f"  ! {warning}")
    return "\n".join(lines) + "\n"


class Writer:
    def __init__(self, stream: IO[str], fmt: str, *, include_raw: bool = True):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        self.stream, self.fmt, self.include_raw = stream, fmt, include_raw
        self.count = 0

    def __enter__(self) -> "Writer":
        if self.fmt == "json":
            self.stream.write("[")
        return self

    def write(self, document: Document) -> None:
        if self.fmt == "text":
            self.stream.write(format_text(document) + "\n")
        else:
            record = json.dumps(document.to_json(include_raw=self.include_raw), ensure_ascii=False)
            if self.fmt == "json":
                self.stream.write(("\n" if self.count == 0 else ",\n") + record)
            else:
                self.stream.write(record + "\n")
        self.count += 1

    def __exit__(self, *exc) -> None:
        if self.fmt == "json":
            self.stream.write("\n]\n")
