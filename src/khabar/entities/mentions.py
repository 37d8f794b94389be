"""From tagged tokens to entity mentions in a document, and from mentions to entities.

Mentions carry character offsets into ``raw``. A proclitic (و ف ب ل ك) stuck to the first
word is left out when the rest is a known name (لرويترز -> رويترز, بسوريا -> سوريا) but kept
when it belongs to the name (بغداد). Mentions of one entity are merged and named by their
fullest form (زاخاروفا -> ماريا زاخاروفا; د.ب.أ -> وكالة الأنباء الألمانية).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from khabar.data import Span
from khabar.normalize import SENTENCE_END, TOKEN, normalize_arabic

# A sequence longer than this is cut for tagging (memory and speed stay bounded).
MAX_SEQUENCE = 120

# Proclitics that never start a name when what follows is itself a known name.
_NAME_PROCLITICS = ("وبال", "وكال", "وال", "بال", "فال", "كال", "وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك")


@dataclass(slots=True)
class WordToken:
    text: str
    start: int
    end: int


def tokenize(text: str, offset: int = 0) -> list[WordToken]:
    return [WordToken(m.group(), offset + m.start(), offset + m.end()) for m in TOKEN.finditer(text)]


def sentences(tokens: list[WordToken]) -> list[list[WordToken]]:
    """Cut at sentence ends, and every MAX_SEQUENCE tokens."""
    out, current = [], []
    for token in tokens:
        current.append(token)
        if token.text in SENTENCE_END or len(current) >= MAX_SEQUENCE:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """``(first, last + 1, type)`` runs of B-X I-X ... (an I-X that does not continue starts one)."""
    spans, start, label = [], None, None
    for i, tag in enumerate(tags + ["O"]):
        prefix, _, kind = tag.partition("-")
        continues = prefix == "I" and kind == label
        if start is not None and not continues:
            spans.append((start, i, label))
            start, label = None, None
        if prefix in ("B", "I") and not continues and kind:
            start, label = i, kind
    return spans


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    """Abbreviations and other names: normalised alias -> canonical name."""
    text = resources.files("khabar.resources").joinpath("entity_aliases.tsv").read_text("utf-8")
    out = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            alias, canonical = line.split("\t")[:2]
            out[_key(alias)] = canonical.strip()
    return out


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", normalize_arabic(text)))


def strip_name_clitic(text: str, known: "callable[[str], bool]") -> int:
    """How many leading characters of a mention are a proclitic, not part of the name."""
    norm = normalize_arabic(text)
    first = norm.split()[0] if norm.split() else ""
    if known(first) and not first.startswith(("لل",)):
        return 0
    for clitic in _NAME_PROCLITICS:
        if first.startswith(clitic) and len(first) - len(clitic) >= 2:
            rest = first[len(clitic):]
            if clitic.endswith("ال"):
                # keep the article: بالغوطة -> الغوطة
                if known("ال" + rest) or known(rest):
                    return len(clitic) - 2
                continue
            if known(rest):
                return len(clitic)
    if first.startswith("لل") and len(first) > 4 and (known("ال" + first[2:]) or known(first[2:])):
        return 1  # للأمم -> لأمم is not a name; the entity's canonical form restores ال
    return 0


@dataclass(slots=True)
class Entity:
    id: str
    type: str
    canonical: str
    mentions: list[Span] = field(default_factory=list)


def merge_mentions(mentions: list[Span], raw: str) -> list[Entity]:
    """Group mentions of one entity within a document; the fullest form names it."""
    aliases = _aliases()
    entities: list[Entity] = []
    by_key: dict[tuple[str, str], Entity] = {}
    ordered = sorted(mentions, key=lambda m: (-len(_key(raw[m.start:m.end]).split()), m.start))
    for mention in ordered:
        text = raw[mention.start:mention.end]
        key = _key(text)
        if mention.attrs.get("restore_article"):
            key = "ال" + key
        canonical_alias = aliases.get(key)
        if canonical_alias:
            key = _key(canonical_alias)
        found = by_key.get((mention.label, key))
        if found is None:
            words = key.split()
            fitting = [e for e in entities if e.type == mention.label and _contains(_key(e.canonical).split(), words)]
            # one word that two names of the document hold (سلمان: سلمان بن عبدالعزيز and سلمان بن
            # سلطان) names neither for sure: it stays a mention of its own
            found = fitting[0] if fitting and (len(fitting) == 1 or len(words) > 1) else None
        if found is None:
            name = canonical_alias or (("ال" + text[1:]) if mention.attrs.get("restore_article") else text)
            found = Entity(f"E{len(entities) + 1}", mention.label, name)
            entities.append(found)
        by_key[(mention.label, key)] = found
        found.mentions.append(mention)
    for entity in entities:
        entity.mentions.sort(key=lambda m: m.start)
        for mention in entity.mentions:
            mention.attrs["entity"] = entity.id
            mention.attrs["canonical"] = entity.canonical
    entities.sort(key=lambda e: e.mentions[0].start)
    for number, entity in enumerate(entities, 1):  # ids in reading order
        entity.id = f"E{number}"
        for mention in entity.mentions:
            mention.attrs["entity"] = entity.id
    return entities


# words before a father's name in a chain of names (محمد بن سلمان)
FATHER_PARTICLES = frozenset({"بن", "ابن", "بنت"})


def _contains(longer: list[str], shorter: list[str]) -> bool:
    """Whether a shorter name is part of a longer one: a word run, or its first or last word —
    not a run after بن, which names the father (سلمان بن عبد العزيز in محمد بن سلمان بن عبد العزيز)."""
    if not shorter or len(shorter) >= len(longer):
        return False
    n = len(shorter)
    return any(longer[i:i + n] == shorter and (i == 0 or longer[i - 1] not in FATHER_PARTICLES)
               for i in range(len(longer) - n + 1))
