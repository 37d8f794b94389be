"""One reader per input format. Each takes a binary stream (or path) and yields
:class:`~khabar.data.Document` or :class:`~khabar.errors.ReadFailure`, one per document, so a
bad record costs only itself. Memory is bounded by ``ReadOptions.max_document_bytes``."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Iterator

from khabar.data import Document
from khabar.errors import Problem, ReadFailure
from khabar.outlets import outlet_fields
from khabar.reading.encoding import DecodeProblem, decode_bytes
from khabar.reading.sgml import looks_like_sgml, parse_sgml

Item = Document | ReadFailure

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Limits that keep one bad input from exhausting memory."""

    max_document_bytes: int = 10 * 1024 * 1024


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def read_limited(stream: IO[bytes], limit: int) -> bytes | None:
    """All of ``stream`` if it holds at most ``limit`` bytes, else None (having read limit+1)."""
    data = stream.read(limit + 1)
    return None if len(data) > limit else data


def too_large(path: str, options: ReadOptions, line: int | None = None) -> ReadFailure:
    return ReadFailure(Problem.TOO_LARGE, path,
                       f"document larger than the {_mb(options.max_document_bytes)} limit; "
                       "split it, or raise the limit with --max-document-mb", line)


# ----- plain text ------------------------------------------------------------------------

def _read_decoded(stream: IO[bytes], path: str, options: ReadOptions, what: str) -> tuple[str, str] | ReadFailure:
    """The whole stream decoded, or the failure that stops it (too large, empty, binary ...)."""
    data = read_limited(stream, options.max_document_bytes)
    if data is None:
        return too_large(path, options)
    if not data.strip():
        return ReadFailure(Problem.EMPTY, path, f"empty file (no {what} to read)")
    try:
        text, encoding = decode_bytes(data)
    except DecodeProblem as problem:
        return ReadFailure(problem.code, path, problem.message)
    if not text.strip():
        return ReadFailure(Problem.EMPTY, path, "empty file (only white space)")
    return text, encoding


def read_text(stream: IO[bytes], *, path: str, doc_id: str, options: ReadOptions) -> Iterator[Item]:
    decoded = _read_decoded(stream, path, options, "text")
    if isinstance(decoded, ReadFailure):
        yield decoded
        return
    text, encoding = decoded
    if looks_like_sgml(text[:64].encode("utf-8", "replace")):  # ANT's <DOC> files are .txt
        for item in parse_sgml(text, path=path, doc_id=doc_id):
            if isinstance(item, Document):
                item.metadata["encoding"] = encoding
            yield item
        return
    yield Document(id=doc_id, raw=text, source_path=path, metadata={"encoding": encoding})


# ----- JSON lines ------------------------------------------------------------------------

def _bounded_lines(stream: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Yield ``(line number, bytes)``; an over-long line yields None and is skipped to its end
    without being held in memory."""
    line_no = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        line_no += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # drain the rest of the enormous line
                rest = stream.readline(_CHUNK)
                if not rest or rest.endswith(b"\n"):
                    break
            yield line_no, None
            continue
        yield line_no, line


def _record_metadata(record: dict, **extra) -> dict:
    metadata = {
        "title": record.get("title"),
        **outlet_fields(record.get("source") or record.get("outlet")),
        "url": record.get("url"),
        "date": record.get("date") or record.get("date_extracted"),
        "author": record.get("author"),
    }
    metadata.update(extra)
    return {k: v for k, v in metadata.items() if v not in (None, "")}


def read_jsonl(stream: IO[bytes], *, path: str, doc_id: str, options: ReadOptions) -> Iterator[Item]:
    """One document per line: ``text`` required; ``id``, ``title``, ``source``, ``url``,
    ``date`` optional. A given ``id`` is kept as it is."""
    try:
        for line_no, line in _bounded_lines(stream, options.max_document_bytes):
            if line is None:
                yield too_large(path, options, line_no)
                continue
            if line_no == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            if not line.strip():
                continue
            try:
                record = json.loads(line.decode("utf-8"))
            except UnicodeDecodeError as exc:
                yield ReadFailure(Problem.UNDECODABLE, path,
                                  f"line is not UTF-8 (byte {exc.start}); JSON lines must be UTF-8", line_no)
                continue
            except json.JSONDecodeError as exc:
                yield ReadFailure(Problem.BAD_JSON, path, f"line is not valid JSON: {exc.msg} "
                                  f"(column {exc.colno})", line_no)
                continue
            if not isinstance(record, dict):
                yield ReadFailure(Problem.BAD_JSON, path, "line is JSON but not an object", line_no)
                continue
            text = record.get("text")
            if not isinstance(text, str):
                yield ReadFailure(Problem.MISSING_FIELD, path,
                                  'record has no "text" (a string is required)', line_no)
                continue
            if not text.strip():
                yield ReadFailure(Problem.EMPTY, path, 'record\'s "text" is blank', line_no, skipped=True)
                continue
            record_id = str(record["id"]) if record.get("id") not in (None, "") else f"{doc_id}:{line_no}"
            yield Document(id=record_id, raw=text, source_path=path,
                           metadata=_record_metadata(record, source_line=line_no, encoding="utf-8"))
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError; truncation is EOFError
        yield ReadFailure(Problem.BAD_ARCHIVE, path, f"compressed stream is damaged: {exc}")


# ----- JSON arrays (SaudiNewsNet layout) ------------------------------------------------

def iter_json_array(stream: IO[str], limit: int) -> Iterator[tuple[int, object]]:
    """Yield ``(index, element)`` of a top-level JSON array, reading it in chunks so that only
    one element is held at a time. Raises ValueError on malformed input."""
    decoder = json.JSONDecoder()
    buffer = stream.read(_CHUNK).lstrip("\ufeff")
    pos = 0
    eof = False

    def fill() -> bool:
        nonlocal buffer, pos, eof
        more = stream.read(_CHUNK)
        if not more:
            eof = True
            return False
        buffer = buffer[pos:] + more
        pos = 0
        return True

    def skip_space() -> None:
        nonlocal pos
        while True:
            while pos < len(buffer) and buffer[pos] in " \t\r\n":
                pos += 1
            if pos < len(buffer) or not fill():
                return

    skip_space()
    if pos >= len(buffer) or buffer[pos] != "[":
        raise ValueError("not a JSON array (expected '[' at the start)")
    pos += 1
    index = 0
    expect_comma = False
    while True:
        skip_space()
        if pos >= len(buffer):
            raise ValueError(f"the array ends early, after element {index}")
        if buffer[pos] == "]":
            return
        if expect_comma:
            if buffer[pos] != ",":
                raise ValueError(f"expected ',' or ']' after element {index - 1}")
            pos += 1
            skip_space()
        while True:
            try:
                element, end = decoder.raw_decode(buffer, pos)
                break
            except json.JSONDecodeError as exc:
                if len(buffer) - pos > limit:
                    raise ValueError(f"element {index} is larger than the limit or malformed") from None
                if eof or not fill():
                    raise ValueError(f"element {index} is malformed: {exc.msg}") from None
        pos = end
        yield index, element
        index += 1
        expect_comma = True


def read_json_array(stream: IO[bytes], *, path: str, doc_id: str, options: ReadOptions,
                    stem: str) -> Iterator[Item]:
    """A JSON array of ``{source, url, date_extracted, title, author, content}`` objects.
    An element without ``id`` is named ``saudinewsnet/<file stem>/<index>`` in the SaudiNewsNet
    layout (``saudinewsnet/2015-07-21/17``, whether read from the zip or the bare .json),
    else ``<file id>/<index>``."""
    text_stream = io.TextIOWrapper(stream, encoding="utf-8", errors="strict")
    try:
        for index, element in iter_json_array(text_stream, options.max_document_bytes):
            where = f"element {index}"
            if not isinstance(element, dict):
                yield ReadFailure(Problem.BAD_JSON, path, f"{where} is not an object")
                continue
            content = element.get("content", element.get("text"))
            if not isinstance(content, str):
                yield ReadFailure(Problem.MISSING_FIELD, path, f'{where} has no "content" (a string is required)')
                continue
            if not content.strip():
                yield ReadFailure(Problem.EMPTY, path, f'{where}\'s "content" is blank', skipped=True)
                continue
            if element.get("id") not in (None, ""):
                element_id = str(element["id"])
            elif "date_extracted" in element:
                element_id = f"saudinewsnet/{stem}/{index}"
            else:
                element_id = f"{doc_id}/{index}"
            yield Document(id=element_id, raw=content, source_path=path,
                           metadata=_record_metadata(element, source_line=index, encoding="utf-8"))
    except ValueError as exc:  # includes UnicodeDecodeError
        yield ReadFailure(Problem.BAD_JSON, path, f"{exc}; the elements before it were kept")


def read_zip(stream: IO[bytes], *, path: str, doc_id: str, options: ReadOptions) -> Iterator[Item]:
    """A zip of JSON arrays (the SaudiNewsNet daily files) and/or JSON lines files."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError) as exc:
        yield ReadFailure(Problem.BAD_ARCHIVE, path, f"not a readable zip file ({exc})")
        return
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        for member in members:
            member_path = f"{path}!{member.filename}"
            stem = PurePosixPath(member.filename).name.split(".")[0]
            try:
                with archive.open(member) as inner:
                    if member.filename.endswith(".json"):
                        yield from read_json_array(inner, path=member_path, doc_id=f"{doc_id}/{stem}",
                                                   options=options, stem=stem)
                    elif member.filename.endswith(".jsonl"):
                        yield from read_jsonl(inner, path=member_path, doc_id=f"{doc_id}/{stem}",
                                              options=options)
                    else:
                        yield ReadFailure(Problem.UNSUPPORTED, member_path,
                                          "zip member is neither .json nor .jsonl; skipped")
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                yield ReadFailure(Problem.BAD_ARCHIVE, member_path, f"damaged zip member ({exc})")


# ----- HTML ------------------------------------------------------------------------------

def read_html(stream: IO[bytes], *, path: str, doc_id: str, options: ReadOptions) -> Iterator[Item]:
    """Main text, title, date, author and site name through trafilatura."""
    decoded = _read_decoded(stream, path, options, "HTML")
    if isinstance(decoded, ReadFailure):
        yield decoded
        return
    html, encoding = decoded
    import trafilatura  # heavy import, only when HTML is actually read

    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                            include_tables=False, deduplicate=False)
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or not text.strip():
        yield ReadFailure(Problem.NO_CONTENT, path, "no main text found in the HTML "
                          "(trafilatura extracted nothing); is it an article page?")
        return
    metadata = {
        "title": extracted.title,
        **outlet_fields(extracted.sitename),
        "url": extracted.url,
        "date": extracted.date,
        "author": extracted.author,
        "encoding": encoding,
    }
    yield Document(id=doc_id, raw=text, source_path=path,
                   metadata={k: v for k, v in metadata.items() if v})
