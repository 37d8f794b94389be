"""The FANE gold corpora (``../shared/data/fane/``): fine classes mapped to khabar's four types.

WikiFANE Gold (Arabic Wikipedia, ~505 k tokens) and NewsFANE Gold (~173 k tokens) annotate 50
fine classes under ACE-like coarse ones. Lines are ``token<TAB>tag`` with CRLF ends, a U+200E
mark before most tokens and a BOM at the start; a line with an empty token separates sentences.

NewsFANE's text is ANERcorp's own (the same articles, re-tokenised with clitics split and
hamzas dropped): training on it would put the ANERcorp *test* sentences in the training data,
so only WikiFANE is used to train.

The mapping was chosen on ANERcorp's training split held out (``bench/ner_fane.py``): people to
PERS, organisations to ORG, geo-political entities, natural locations and facilities to LOC,
works, products, vehicles and weapons to MISC; ``Group`` (groups of people: الفلسطينيون) has no
counterpart in ANERcorp and is left out (O).
"""

from __future__ import annotations

import gzip
from pathlib import Path

_PEOPLE = ("Politician", "Athlete", "Artist", "Other_PER", "Religious_PER", "Scientist", "Businessperson",
           "Lawyer", "Engineer")
_ORGANISATIONS = ("Non-Governmental", "Government", "Sports", "Media", "Commercial", "Educational", "Police",
                  "Religious_ORG", "Medical-Science", "Entertainment")
_PLACES = ("Nation", "Population-Center", "State-or-Province", "GPE-Cluster", "County-or-District", "Continent",
           "Water-Body", "Land-Region-Natural", "Celestial", "Building-Grounds", "Airport", "Path",
           "Subarea-Facility")
_OTHER = ("Book", "Movie", "Software", "Hardware", "Sound", "Food", "Drug", "Plant", "Air", "Land", "Water",
          "Blunt", "Chemical", "Exploding", "Nuclear", "Projectile", "Sharp", "Shooting")

FANE_TO_COARSE: dict[str, str | None] = {
    **{c: "PERS" for c in _PEOPLE}, **{c: "ORG" for c in _ORGANISATIONS}, **{c: "LOC" for c in _PLACES},
    **{c: "MISC" for c in _OTHER}, "Group": None,
}
_SENTENCE_END = {".", "!", "?", "؟"}
# Wikipedia paragraphs run long: a sentence end past this many tokens closes a training sentence.
_LONG = 80


def read_fane(path: Path | str, mapping: dict[str, str | None] = FANE_TO_COARSE) -> list[list[tuple[str, str]]]:
    """Sentences of ``(token, tag)`` with khabar's tags (BIO); classes mapped to None become O."""
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            line = line.replace("\r", "").replace("\ufeff", "").replace("\u200e", "").rstrip("\n")
            word, _, tag = line.partition("\t")
            word = word.strip()
            if not word:
                if current:
                    sentences.append(current)
                    current = []
                continue
            prefix, _, fine = tag.strip().partition("-")
            if fine and fine not in mapping:
                raise ValueError(f"{path}: unknown FANE class {fine!r} (line {line!r})")
            coarse = mapping.get(fine) if fine else None
            current.append((word, f"{prefix}-{coarse}" if coarse else "O"))
            if len(current) >= _LONG and word in _SENTENCE_END:
                sentences.append(current)
                current = []
    if current:
        sentences.append(current)
    return [_repair_bio(s) for s in sentences]


def _repair_bio(sentence: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """An I- whose B- was mapped away (or of another type) opens the entity."""
    out, previous = [], "O"
    for word, tag in sentence:
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append((word, tag))
        previous = tag
    return out


# The domain WikiFANE's copies of the CRF features are marked with (``wiki|w=...``).
WIKI_DOMAIN = "wiki"


def domain_prefix(domain: str) -> str:
    return f"{domain}|"


def with_domain(features: list[list[str]], domain: str) -> list[list[str]]:
    """Each feature twice: shared and marked with its corpus (after Daumé's "frustratingly easy"
    domain adaptation, 2007). Only the added corpus is marked: a CRF trained so learns from both
    what they share, and puts what is Wikipedia's or FANE's own convention on the marked copies,
    which news never shows — so tagging needs no extra feature and costs nothing more."""
    return [token + [domain_prefix(domain) + f for f in token] for token in features]
