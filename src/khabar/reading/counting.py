"""How many documents a run will read, counted cheaply and ahead of it, for a progress bar
with a total and an ETA: a text or HTML file is one, JSON lines are counted by their lines,
JSON arrays (alone or in a zip) by their elements. Standard input and tar archives are not
counted (``None``): the bar then shows a count and a rate only."""

from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path
from typing import IO, Iterable

# A JSON array larger than this is not parsed just to count it.
_LARGEST_ARRAY = 256 * 1024 * 1024
_CHUNK = 1 << 20


def count_documents(paths: Iterable[str]) -> int | None:
    """The number of documents :func:`khabar.reading.read` yields for ``paths`` (failures
    included, as the bar counts them too), or ``None`` where it cannot be told cheaply."""
    from khabar.reading import _suffix_reader, _walk

    total = 0
    for given in paths:
        if given == "-":
            return None
        path = Path(given)
        if path.is_dir():
            files = [file for file in _walk(path) if _suffix_reader(file.name) is not None]
        else:
            files = [path]
        for file in files:
            try:
                count = _count_file(file)
            except (OSError, ValueError, EOFError, zipfile.BadZipFile):
                count = 1  # unreadable: the reader reports it as one failure
            if count is None:
                return None
            total += count
    return total


def _count_file(path: Path) -> int | None:
    name = path.name.lower()
    if name.endswith((".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")):
        return None
    if name.endswith(".gz"):
        with gzip.open(path, "rb") as stream:
            head = stream.peek(512)[:512]
            if head[257:262] == b"ustar":
                return None
            if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
                return _lines(stream)
            return max(1, _occurrences(stream, b"<DOC "))  # Gigaword SGML, else one text
    if name.endswith((".jsonl", ".ndjson")):
        with open(path, "rb") as stream:
            return _lines(stream)
    if name.endswith(".json"):
        with open(path, "rb") as stream:
            return _array_length(stream, path.stat().st_size)
    if name.endswith(".zip"):
        total = 0
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                if member.is_dir():
                    continue
                with archive.open(member) as inner:
                    if member.filename.endswith(".json"):
                        count = _array_length(inner, member.file_size)
                    elif member.filename.endswith(".jsonl"):
                        count = _lines(inner)
                    else:
                        count = 1
                if count is None:
                    return None
                total += count
        return total
    return 1


def _lines(stream: IO[bytes]) -> int:
    """Non-blank lines, near enough: newlines, and a last line without one."""
    count, last = 0, b"\n"
    while chunk := stream.read(_CHUNK):
        count += chunk.count(b"\n")
        last = chunk[-1:]
    return count + (last != b"\n")


def _occurrences(stream: IO[bytes], marker: bytes) -> int:
    count, tail = 0, b""
    while chunk := stream.read(_CHUNK):
        data = tail + chunk
        count += data.count(marker)
        tail = data[-(len(marker) - 1):]
    return count


def _array_length(stream: IO[bytes], size: int) -> int | None:
    if size > _LARGEST_ARRAY:
        return None
    try:
        value = json.loads(stream.read())
    except (ValueError, UnicodeDecodeError):
        return 1  # the reader reports a malformed file as one failure, or reads what it can
    return len(value) if isinstance(value, list) else 1
