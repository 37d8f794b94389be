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
    from khabar.reading import _read_gz, _read_json, _read_tar, _suffix_reader, gzip_content_reader
    from khabar.reading.formats import read_jsonl, read_zip

    reader = _suffix_reader(path.name)
    if reader is _read_tar:
        return None
    if reader is _read_gz:
        with gzip.open(path, "rb") as stream:
            inner = gzip_content_reader(stream.peek(512)[:512])
            if inner is _read_tar:
                return None
            if inner is read_jsonl:
                return _lines(stream)
            return max(1, _occurrences(stream, b"<DOC "))  # Gigaword SGML, else one text
    if reader is read_jsonl:
        with open(path, "rb") as stream:
            return _lines(stream)
    if reader is _read_json:
        with open(path, "rb") as stream:
            return _array_length(stream, path.stat().st_size)
    if reader is read_zip:
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
