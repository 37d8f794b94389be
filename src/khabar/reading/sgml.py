"""TREC-style ``<DOC>`` files (the ANT corpus) and Arabic Gigaword's SGML, and tar archives of them.

ANT: one ``<DOC>`` per file with ``DOCNO``, ``URL``, ``SRC``, ``TITLE``, ``TIME``, ``AUTHOR``,
``ABSTRACT`` and ``TEXT`` elements. Gigaword: many ``<DOC id=… type=…>`` per file with
``HEADLINE``, ``DATELINE`` and a ``TEXT`` of ``<P>`` paragraphs. Both are read with tolerant
regular expressions rather than an XML parser: the files are not well-formed XML (bare ``&``,
``<`` inside text), and one broken document must not cost the rest of the file.
"""

from __future__ import annotations

import html
import io
import re
import tarfile
from email.utils import parsedate_to_datetime
from pathlib import PurePosixPath
from typing import IO, Callable, Iterator

from khabar.data import Document
from khabar.errors import Problem, ReadFailure
from khabar.outlets import outlet_name

_DOC = re.compile(r"<DOC(?:\s[^>]*)?>(.*?)(?:</DOC>|(?=<DOC[\s>])|\Z)", re.S | re.I)
_DOC_ATTRIBUTE = re.compile(r'(\w+)\s*=\s*"([^"]*)"')
_PARAGRAPH = re.compile(r"<P>(.*?)(?:</P>|(?=<P>)|\Z)", re.S | re.I)
_TAG = re.compile(r"<[^>]{1,200}>")

# ANT's TIME is an e-mail date ("Sun, 15 Jul 2018 21:56:56 +0400"); Gigaword's ids carry a day.
_CHUNK = 1 << 20
_GIGAWORD_DAY = re.compile(r"_(\d{4})(\d{2})(\d{2})\.")


def looks_like_sgml(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:4].upper() == b"<DOC"


def _element(body: str, name: str) -> str | None:
    match = re.search(rf"<{name}(?:\s[^>]*)?>(.*?)</{name}>", body, re.S | re.I)
    return match.group(1) if match else None


def _clean(value: str | None) -> str:
    return html.unescape(_TAG.sub(" ", value)).strip() if value else ""


def _date(time_value: str, doc_id: str) -> str:
    if time_value:
        try:
            return parsedate_to_datetime(time_value).strftime("%Y-%m-%d %H:%M:%S")
        except (TypeError, ValueError, IndexError):
            return time_value
    day = _GIGAWORD_DAY.search(doc_id + ".")
    return "-".join(day.groups()) if day else ""


def _text(body: str) -> str | None:
    text = _element(body, "TEXT")
    if text is None:
        return None
    paragraphs = [_clean(p) for p in _PARAGRAPH.findall(text)]
    if paragraphs:  # Gigaword: one paragraph per <P>, lines inside it wrapped
        return "\n\n".join(" ".join(p.split()) for p in paragraphs if p)
    return "\n".join(line.strip() for line in html.unescape(text).strip().splitlines())


def parse_sgml(text: str, *, path: str, doc_id: str) -> Iterator[Document | ReadFailure]:
    """Every ``<DOC>`` of ``text``; a document without ``TEXT`` is a coded failure."""
    found = False
    for number, match in enumerate(_DOC.finditer(text), start=1):
        found = True
        body = match.group(1)
        line = text.count("\n", 0, match.start()) + 1
        opening = text[match.start():text.find(">", match.start()) + 1]
        attributes = dict(_DOC_ATTRIBUTE.findall(opening))
        docno = _clean(_element(body, "DOCNO")) or attributes.get("id", "")
        this_id = docno or f"{doc_id}#{number}"
        if not match.group(0).rstrip().upper().endswith("</DOC>"):
            yield ReadFailure(Problem.BAD_SGML, path, f"<DOC> {this_id} is not closed by </DOC>; skipped", line)
            continue
        raw = _text(body)
        if raw is None:
            yield ReadFailure(Problem.MISSING_FIELD, path, f"<DOC> {this_id} has no <TEXT> element", line)
            continue
        if not raw.strip():
            yield ReadFailure(Problem.EMPTY, path, f"<DOC> {this_id} has an empty <TEXT>", line, skipped=True)
            continue
        source = _clean(_element(body, "SRC"))
        metadata = {
            "title": _clean(_element(body, "TITLE") or _element(body, "HEADLINE")),
            "outlet": outlet_name(source) if source else "",
            "outlet_id": source,
            "url": _clean(_element(body, "URL")),
            "date": _date(_clean(_element(body, "TIME")), this_id),
            "author": _clean(_element(body, "AUTHOR")),
            "teaser": _clean(_element(body, "ABSTRACT")),
            "dateline": _clean(_element(body, "DATELINE")),
            "category": _clean(_element(body, "CAT")) or attributes.get("type", ""),
            "source_line": line,
            "encoding": "utf-8",
        }
        yield Document(id=this_id, raw=raw, source_path=path,
                       metadata={k: v for k, v in metadata.items() if v not in (None, "")})
    if not found:
        yield ReadFailure(Problem.BAD_SGML, path, "no <DOC> element found; is it a TREC or Gigaword file?")


# ----- tar archives ------------------------------------------------------------------------

def read_tar(stream: IO[bytes], *, path: str, doc_id: str, options,
             member_reader: Callable[[str, bytes], Callable | None]) -> Iterator[Document | ReadFailure]:
    """Every regular member of a (compressed) tar archive, streamed, each through the reader
    its name or content calls for. A damaged archive ends with a coded failure; the members
    read before it are kept."""
    try:
        archive = tarfile.open(fileobj=stream, mode="r|*")
    except (tarfile.TarError, OSError, EOFError) as exc:
        yield ReadFailure(Problem.BAD_ARCHIVE, path, f"not a readable tar archive ({exc})")
        return
    try:
        with archive:
            for member in archive:
                if not member.isfile():
                    continue
                name = PurePosixPath(member.name)
                if any(part.startswith(".") for part in name.parts):
                    continue
                member_path = f"{path}!{member.name}"
                if member.size > options.max_document_bytes * 10:
                    yield ReadFailure(Problem.TOO_LARGE, member_path, "archive member too large; skipped")
                    continue
                data = archive.extractfile(member).read()
                reader = member_reader(member.name, data[:64])
                if reader is None:
                    yield ReadFailure(Problem.UNSUPPORTED, member_path, "archive member in no format khabar reads; skipped")
                    continue
                yield from reader(io.BytesIO(data), path=member_path, doc_id=f"{doc_id}/{name.stem}",
                                  options=options)
            # tarfile ends quietly at a truncated header: reading the compressed stream to its
            # end is what reveals an archive cut short
            while archive.fileobj.read(_CHUNK):
                pass
            decompressor = getattr(archive.fileobj, "cmp", None)
            if decompressor is not None and not getattr(decompressor, "eof", True):
                raise EOFError("the compressed data ends before its end marker: the file is cut short")
    except (tarfile.TarError, OSError, EOFError) as exc:
        yield ReadFailure(Problem.BAD_ARCHIVE, path, f"damaged tar archive ({exc}); the members before it were kept")
