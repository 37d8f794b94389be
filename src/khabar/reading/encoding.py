"""Decoding bytes of unknown encoding. Arabic text often arrives as cp1256 or ISO-8859-6."""

from __future__ import annotations

import codecs

import charset_normalizer

from khabar.errors import Problem

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Share of control characters above which decoded "text" is taken for binary data.
_MAX_CONTROL_SHARE = 0.02


class DecodeProblem(Exception):
    def __init__(self, code: Problem, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for ch in text if ch < " " and ch not in "\n\r\t\f\v")
    return controls / len(text)


# Arabic single-byte encodings, tried when the guess does not read as Arabic: short texts give
# the detector too little to go on (a short ISO-8859-6 line came out as Thai, cp874).
_ARABIC_ENCODINGS = ("cp1256", "iso8859_6")
_MIN_ARABIC_SHARE = 0.6


def _arabic_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    return sum("\u0600" <= ch <= "\u06ff" for ch in letters) / len(letters) if letters else 0.0


def _prefer_arabic(data: bytes, text: str, encoding: str) -> tuple[str, str]:
    """The Arabic encoding under which the bytes read most as Arabic letters, when that is most
    of them and more than under the detector's guess; else the guess."""
    best = (_arabic_share(text), text, encoding)
    for name in _ARABIC_ENCODINGS:
        try:
            candidate = data.decode(name)
        except UnicodeDecodeError:
            continue
        share = _arabic_share(candidate)
        if share >= _MIN_ARABIC_SHARE and share > best[0]:
            best = (share, candidate, codecs.lookup(name).name)
    return best[1], best[2]


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding name)``; raise :class:`DecodeProblem` for binary or
    undecodable data. BOMs win, then strict UTF-8, then charset-normalizer's best guess."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise DecodeProblem(Problem.UNDECODABLE, f"starts with a {name} byte-order mark "
                                    f"but does not decode as {name} (byte {exc.start})") from None
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(data).best()
        if best is None:
            if b"\x00" in data:
                raise DecodeProblem(Problem.BINARY, "looks like a binary file (NUL bytes, no text "
                                    "encoding fits); give khabar text, JSON, HTML or zip files") from None
            raise DecodeProblem(Problem.UNDECODABLE, "no text encoding decodes these bytes; "
                                "convert the file to UTF-8 (e.g. iconv -f cp1256 -t utf-8)") from None
        text, encoding = str(best), codecs.lookup(best.encoding).name
        text, encoding = _prefer_arabic(data, text, encoding)
    if "\x00" in text or _control_share(text) > _MAX_CONTROL_SHARE:
        raise DecodeProblem(Problem.BINARY, "looks like a binary file (control characters "
                            "throughout); give khabar text, JSON, HTML or zip files")
    return text, encoding
