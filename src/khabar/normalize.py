"""Arabic normalisation for matching. The displayed text is never changed; stages match on
the normalised view and map positions back with the offsets returned here.

What is folded: diacritics (harakat, tanwin, shadda, sukun, dagger alef), tatweel,
alef forms (أ إ آ ٱ -> ا), alef maqsura (ى -> ي), teh marbuta (ة -> ه), the Persian and Urdu
letters keyboards put for Arabic ones (ی ک ھ ہ ۃ ۀ ے -> ي ك ه ه ه ه ي), Arabic-Indic and
Persian digits (-> 0-9), presentation forms (ﻗ -> ق, via NFKC), and quotation-mark variants
(“ ” « » „ ‟ ″ ＂ -> ", ‘ ’ ‚ ‛ -> '). Bidirectional control marks are dropped.
"""

from __future__ import annotations

import re
import unicodedata

_DELETED = set(chr(c) for c in range(0x064B, 0x0660)) | {"\u0670", "\u0640"}
_DELETED |= {"\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u061c", "\ufeff"}

_FOLDED = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    # Persian and Urdu letters typed for Arabic ones (a Persian keyboard): ی ک ھ ہ ۃ ۀ ے
    "\u06cc": "ي", "\u06a9": "ك", "\u06be": "ه", "\u06c1": "ه", "\u06c3": "ه", "\u06c0": "ه", "\u06d2": "ي",
    "“": '"', "”": '"', "«": '"', "»": '"', "„": '"', "‟": '"', "″": '"', "＂": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'",
}
_FOLDED.update({chr(0x0660 + d): str(d) for d in range(10)})
_FOLDED.update({chr(0x06F0 + d): str(d) for d in range(10)})


class _FoldTable(dict):
    """A lazily filled ``str.translate`` table: each character's folded form, computed once."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in _DELETED:
            folded = ""
        else:
            base = unicodedata.normalize("NFKC", ch) if 0xFB50 <= code <= 0xFEFF else ch
            folded = "".join(_FOLDED.get(c, c) for c in base)
            folded = "".join(c for c in folded if c not in _DELETED)
        self[code] = folded
        return folded


_TABLE = _FoldTable()


def normalize_arabic(text: str) -> str:
    """Return the matching form of ``text`` (see the module docstring for what is folded)."""
    return text.translate(_TABLE)


# Distinct words whose normalised form is remembered by normalize_word (about 3 MB).
WORDS_REMEMBERED = 20_000
_WORDS: dict[str, str] = {}


def normalize_word(word: str) -> str:
    """:func:`normalize_arabic` of one token, remembered: the stages normalise every token of
    every text, and news repeats its words (a look-up is some four times faster than the
    translation)."""
    found = _WORDS.get(word)
    if found is None:
        if len(_WORDS) >= WORDS_REMEMBERED:
            _WORDS.clear()
        found = _WORDS[word] = word.translate(_TABLE)
    return found


_MARKS = dict.fromkeys(map(ord, _DELETED))


def strip_marks(text: str) -> str:
    """``text`` without what normalisation deletes (diacritics, tanwin, tatweel, direction
    marks), its letters unfolded: على stays apart from علي."""
    return text.translate(_MARKS)


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Return the normalised text and, for each of its characters, the index in ``text``
    it came from; a final entry ``len(text)`` makes ``offsets[end]`` valid for slices."""
    out: list[str] = []
    offsets: list[int] = []
    for index, ch in enumerate(text):
        folded = _TABLE[ord(ch)]
        if folded:
            out.append(folded)
            offsets.extend([index] * len(folded))
    offsets.append(len(text))
    return "".join(out), offsets


WORD = re.compile(r"\w+")
# Words (diacritics and tatweel inside them) or single punctuation marks: how the entity and
# statement stages cut text into tokens, so their offsets agree.
TOKEN = re.compile(r"[\w\u0640\u064B-\u065F\u0670]+|[^\w\s]")
SENTENCE_END = frozenset({".", "!", "?", "؟"})


def match_words(text: str) -> list[str]:
    """The normalised words of ``text``, for comparing lines and spans."""
    return WORD.findall(normalize_arabic(text))
