"""Reading: paths in, a stream of documents (or coded failures) out.

The reader is chosen by extension, or by sniffing the content when the extension says
nothing (standard input, unknown extensions given explicitly). Folders are walked
recursively in sorted order, so runs are repeatable.

Stable ids: a file named on the command line is ``<parent folder>/<file name>``
(``examples/humanvoice-ghouta.txt``); a file found inside a folder is
``<folder name>/<path below it>``; JSON records keep their own ``id``; array elements
without one are ``<collection>/<index>``; standard input is ``stdin``.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import sys
from pathlib import Path
from typing import Callable, Iterable, Iterator

from khabar.data import Document
from khabar.errors import Problem, ReadFailure
from khabar.reading.formats import (
    Item,
    ReadOptions,
    read_html,
    read_json_array,
    read_jsonl,
    read_text,
    read_limited,
    read_zip,
    too_large,
)
from khabar.reading.sgml import read_tar

__all__ = ["read", "read_path", "scrub_surrogates", "ReadOptions", "Item", "SUFFIXES"]

Reader = Callable[..., Iterator[Item]]


def _read_json(stream, *, path, doc_id, options):
    return read_json_array(stream, path=path, doc_id=doc_id, options=options,
                           stem=Path(path).name.split(".")[0])


def _read_gz(stream, *, path, doc_id, options):
    """A gzip file: JSON lines, a tar archive, or text (Gigaword's monthly SGML files, a plain
    text), by its first bytes."""
    with gzip.GzipFile(fileobj=stream) as inner:
        try:
            head = inner.peek(512)[:512]
        except (OSError, EOFError) as exc:
            yield ReadFailure(Problem.BAD_ARCHIVE, path, f"compressed stream is damaged: {exc}")
            return
        # a tar archive under a bare .gz name is read decompressed (no seek: stdin)
        reader = gzip_content_reader(head)
        yield from reader(inner, path=path, doc_id=doc_id, options=options)


def gzip_content_reader(head: bytes) -> Reader:
    """The reader of a gzip file's content, from its first decompressed bytes: a tar archive,
    JSON lines (they start with an object), or else text (SGML, plain text)."""
    if head[257:262] == b"ustar":
        return _read_tar
    return read_jsonl if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else read_text


def _read_tar(stream, *, path, doc_id, options):
    def member_reader(name: str, head: bytes):
        return _suffix_reader(name) or (_sniff_reader(head) if head.strip() else read_text)

    yield from read_tar(stream, path=path, doc_id=doc_id, options=options, member_reader=member_reader)


SUFFIXES: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".jsonl.gz": _read_gz,
    ".ndjson.gz": _read_gz,
    ".gz": _read_gz,
    ".tar.gz": _read_tar,
    ".tgz": _read_tar,
    ".tar": _read_tar,
    ".tar.bz2": _read_tar,
    ".tar.xz": _read_tar,
    ".sgml": read_text,
    ".sgm": read_text,
    ".json": _read_json,
    ".zip": read_zip,
    ".html": read_html,
    ".htm": read_html,
}


def _suffix_reader(name: str) -> Reader | None:
    lower = name.lower()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if lower.endswith(suffix):
            return SUFFIXES[suffix]
    return None


def _sniff_reader(head: bytes) -> Reader:
    """Choose a reader from the first bytes when the name says nothing."""
    if head.startswith(b"\x1f\x8b"):
        return _read_gz
    if head.startswith(b"PK\x03\x04"):
        return read_zip
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return read_jsonl
    if stripped.startswith(b"["):
        return _read_json
    if stripped[:15].lower().startswith((b"<!doctype html", b"<html")):
        return read_html
    return read_text


_SURROGATE = re.compile("[\ud800-\udfff]")


def _scrubbed(items: Iterator[Item]) -> Iterator[Item]:
    """Documents without lone surrogates (a JSON escape such as \\ud800 decodes to one): they are
    no Unicode text, no later stage can encode them, and no record holding one can be written.
    Each becomes U+FFFD, and the document says so."""
    for item in items:
        if isinstance(item, Document):
            scrub_surrogates(item)
        yield item


def scrub_surrogates(document: Document) -> Document:
    """Replace lone surrogates in a document's text and metadata by U+FFFD (with a warning)."""
    replaced = len(_SURROGATE.findall(document.raw))
    if replaced:
        document.raw = _SURROGATE.sub("\ufffd", document.raw)
        document.warnings.append(f"{replaced} lone surrogate code point(s) replaced by U+FFFD")
    for key, value in list(document.metadata.items()):
        if isinstance(value, str) and _SURROGATE.search(value):
            document.metadata[key] = _SURROGATE.sub("\ufffd", value)
    return document


def read_path(path: str, *, doc_id: str, options: ReadOptions) -> Iterator[Item]:
    """Read one file (``-`` is standard input)."""
    yield from _scrubbed(_read_path(path, doc_id=doc_id, options=options))


def _read_path(path: str, *, doc_id: str, options: ReadOptions) -> Iterator[Item]:
    if path == "-":
        stream = sys.stdin.buffer
        reader = _sniff_reader(stream.peek(64)[:64])  # peek: the bytes stay in the stream
        if reader is read_zip:  # zip needs seeking, which a pipe cannot do
            data = read_limited(stream, options.max_document_bytes * 10)
            if data is None:
                yield too_large("-", options)
                return
            stream = io.BytesIO(data)
        yield from reader(stream, path="-", doc_id="stdin", options=options)
        return
    reader = _suffix_reader(path)
    try:
        with open(path, "rb") as stream:
            if reader is None:
                reader = _sniff_reader(stream.peek(64)[:64])
            yield from reader(stream, path=path, doc_id=doc_id, options=options)
    except IsADirectoryError:
        yield ReadFailure(Problem.UNSUPPORTED, path, "is a folder where a file was expected")
    except PermissionError:
        yield ReadFailure(Problem.NOT_FOUND, path, "cannot be opened: permission denied")


def _label(path: Path) -> str:
    """``<parent folder>/<name>`` for a file given by name."""
    parent = path.resolve().parent.name
    return f"{parent}/{path.name}" if parent else path.name


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def read(paths: Iterable[str], *, options: ReadOptions | None = None,
         on_skip: Callable[[str], None] | None = None) -> Iterator[Item]:
    """Read every path in order: files, folders (recursively) and ``-`` for standard input.

    Files inside folders whose extension no reader takes are passed to ``on_skip`` (the CLI
    reports them); a file named explicitly is always read, its format sniffed if need be.
    """
    options = options or ReadOptions()
    for given in paths:
        if given == "-":
            yield from read_path("-", doc_id="stdin", options=options)
            continue
        path = Path(given)
        if path.is_dir():
            base = path.resolve().name
            for file in _walk(path):
                if _suffix_reader(file.name) is None:
                    if on_skip is not None:
                        on_skip(str(file))
                    continue
                doc_id = f"{base}/{file.relative_to(path).as_posix()}"
                yield from read_path(str(file), doc_id=doc_id, options=options)
        elif path.exists():
            yield from read_path(given, doc_id=_label(path), options=options)
        else:
            yield ReadFailure(Problem.NOT_FOUND, given, "no such file or folder")
