"""Per-document signatures for the corpus stage, computed in the workers: a hash of the
normalised body (exact duplicates), a MinHash of its word shingles (near duplicates, with
rensa), and a hash of every line (outlet templates).

Shingles are 5 words (as FineWeb) taken within sentences, so reordering sentences changes
nothing and dropping one changes only its own shingles."""

from __future__ import annotations

import hashlib
import re
from array import array

from khabar.data import Document
from khabar.normalize import match_words, normalize_arabic
from khabar.pipeline import Stage

NUM_PERM = 112  # 14 bands x 8 rows: an LSH threshold near 0.72
BANDS = 14
ROWS = 8
SHINGLE_WORDS = 5
SEED = 1
_SENTENCES = re.compile(r"[.!?؟\n]+")


def body_hash(text: str) -> str:
    return hashlib.sha1(" ".join(match_words(text)).encode("utf-8")).hexdigest()


def line_hash(text: str) -> str:
    return hashlib.sha1(" ".join(match_words(text)).encode("utf-8")).hexdigest()[:16]


def shingles(text: str) -> list[str]:
    out = []
    for sentence in _SENTENCES.split(normalize_arabic(text)):
        words = re.findall(r"\w+", sentence)
        if not words:
            continue
        if len(words) < SHINGLE_WORDS:
            out.append(" ".join(words))
            continue
        out.extend(" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1))
    return out


def minhash(text: str) -> bytes:
    """The MinHash signature (NUM_PERM unsigned 32-bit values) of the text's shingles."""
    from rensa import RMinHash

    signature = RMinHash(num_perm=NUM_PERM, seed=SEED)
    signature.update(shingles(text) or [""])
    return array("I", signature.digest()).tobytes()


class Signature(Stage):
    """Adds ``attributes["signature"]``: body hash, MinHash and line hashes."""

    name = "signature"
    requires = ("blocks",)
    assigns = ("signature",)

    def __call__(self, document: Document) -> Document:
        text = document.text
        document.attributes["signature"] = {
            "body_hash": body_hash(text),
            "minhash": minhash(text),
            "line_hashes": [line_hash(document.span_text(b)) for b in document.blocks()],
        }
        return document
