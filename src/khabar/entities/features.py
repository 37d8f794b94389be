"""What the taggers read of each token: the word and its clitic-free stem, affixes, shape,
word clusters learned from unlabelled news, gazetteer matches, and (for the CRF) a window of
neighbours.

Kept plain (lists of strings) and fast: feature extraction is most of the tagging time."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from khabar.normalize import normalize_word

# Proclitics, longest first: conjunction (و ف), preposition (ب ل ك), article (ال).
PROCLITICS = ("وبال", "وكال", "فبال", "ولل", "فلل", "وال", "بال", "فال", "كال", "لل",
              "وب", "ول", "وك", "فب", "فل", "ال", "و", "ف", "ب", "ل", "ك")
# Proclitics that contain the article (لل is ل + ال with the alif dropped).
ARTICLE_PROCLITICS = frozenset(c for c in PROCLITICS if c.endswith("ال") or c.endswith("لل"))
_LATIN_AFTER_CLITIC = re.compile(r"^([وفبلك]{1,2})([A-Za-z].*)$")
# Attached pronouns and their lengths, longest first.
ENCLITICS = ("كما", "هما", "ها", "هم", "هن", "كم", "نا", "ه", "ك", "ي")

_DIGITS = re.compile(r"^\d+([.,]\d+)*$")
_LATIN = re.compile(r"^[A-Za-z]+$")
_ARABIC = re.compile(r"^[\u0600-\u06FF]+$")


@lru_cache(maxsize=16_384)  # see statements.speakers.NAMES_REMEMBERED
def strip_proclitics(word: str) -> tuple[str, str]:
    """``(proclitics, rest)`` of a normalised word, keeping at least two letters of stem."""
    latin = _LATIN_AFTER_CLITIC.match(word)
    if latin:
        return latin.group(1), latin.group(2)
    for clitic in PROCLITICS:
        if word.startswith(clitic) and len(word) - len(clitic) >= 2:
            return clitic, word[len(clitic):]
    return "", word


def definite(clitic: str, stem: str) -> str:
    """The word without conjunction or preposition but with its article: لليابان -> اليابان."""
    return "ال" + stem if clitic in ARTICLE_PROCLITICS else stem


def shape(word: str) -> str:
    if _DIGITS.match(word):
        return "D"
    if _ARABIC.match(word):
        return "A"
    if _LATIN.match(word):
        if word.isupper():
            return "LU"
        return "LC" if word[0].isupper() else "L"
    if not any(ch.isalnum() for ch in word):
        return "P"
    return "M"


@dataclass
class Gazetteer:
    """Multi-word names by type; matched on normalised words, the first word clitic-free too."""

    entries: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    _by_second: dict | None = field(default=None, repr=False, compare=False)

    def add(self, words: tuple[str, ...], label: str) -> None:
        if not words:
            return
        bucket = self.entries.setdefault(words[0], [])
        if (words, label) not in bucket:
            bucket.append((words, label))
            self._by_second = None

    def __len__(self) -> int:
        return sum(len(v) for v in self.entries.values())

    def _index(self) -> dict[str, tuple[list, dict[str, list]]]:
        """Per first word, its one-word entries and its longer ones by their second word, each
        with its place in the bucket: a common first word (رئيس starts 282 names) is then
        checked only against the names its neighbour can continue."""
        if self._by_second is None:
            self._by_second = {}
            for first, bucket in self.entries.items():
                single, longer = [], {}
                for place, (words, label) in enumerate(bucket):
                    if len(words) == 1:
                        single.append((place, words, label))
                    else:
                        longer.setdefault(words[1], []).append((place, words, label))
                self._by_second[first] = (single, longer)
        return self._by_second

    def tags(self, norms: list[str], stems: list[str], definites: list[str]) -> list[list[str]]:
        """For each token, gazetteer features such as ``LOC-B`` / ``PERS-I``."""
        out: list[list[str]] = [[] for _ in norms]
        n = len(norms)
        get = self._index().get
        for i in range(n):
            looked: list[str] = []  # in order, not a set: a set's order varies per process
            for first in (norms[i], stems[i], definites[i]):
                found = get(first)
                if not found or first in looked:
                    continue
                looked.append(first)
                single, longer = found
                following = longer.get(norms[i + 1], []) if i + 1 < n else []
                # in the bucket's order (the order the CRF sums the features in)
                entries = sorted(single + following, key=lambda entry: entry[0]) if single and following \
                    else single or following
                for _, words, label in entries:
                    m = len(words)
                    if i + m <= n and all(norms[i + j] == words[j] for j in range(1, m)):
                        out[i].append(f"{label}-B{min(m, 3)}")
                        for j in range(1, m):
                            out[i + j].append(f"{label}-I")
        return out


@dataclass(frozen=True, slots=True)
class Word:
    """What the taggers read of one normalised word, whatever its neighbours."""

    proclitic: str
    stem: str
    definite: str
    clusters: tuple[str, ...]
    features: tuple[str, ...]  # the CRF's own features of the word, before its gazetteer tags
    nisba: bool


# Distinct words remembered (news repeats its vocabulary); 200,000 cost a worker 150 MB more.
WORD_CACHE_SIZE = 20_000
# A full word cache forgets all but the words of this frequency rank or better (in the news
# the word vectors were learned from): they are some 80% of running text, and the tagger's
# per-word caches then answer 84% of a corpus's tokens instead of 75% at the same size
# (SaudiNewsNet's second day). Fewer than WORD_CACHE_SIZE, so that forgetting makes room.
COMMON_WORDS = 15_000


def forget_rare(cache: dict[str, object], rank: Mapping[str, int]) -> None:
    """Empty a full word cache (keyed by normalised word) but for its common words."""
    common = {norm: value for norm, value in cache.items() if rank.get(norm, COMMON_WORDS) < COMMON_WORDS}
    cache.clear()
    cache.update(common)


@dataclass
class FeatureResources:
    clusters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # or model.WordClusters: read with .get
    gazetteer: Gazetteer = field(default_factory=Gazetteer)
    rank: Mapping[str, int] = field(default_factory=dict)  # word -> frequency rank, for forget_rare
    _words: dict[str, Word] = field(default_factory=dict, repr=False)

    def word(self, norm: str) -> Word:
        found = self._words.get(norm)
        if found is None:
            if len(self._words) >= WORD_CACHE_SIZE:
                forget_rare(self._words, self.rank)
            found = self._words[norm] = _describe(norm, self.clusters)
        return found


def _describe(norm: str, clusters: dict[str, tuple[str, ...]]) -> Word:
    pro, stem = strip_proclitics(norm)
    d = definite(pro, stem)
    found = clusters.get(norm) or clusters.get(d) or clusters.get(stem) or ()
    features = [f"w={norm}", f"s={stem}", f"p={pro}", f"sh={shape(stem)}", f"d={d}", f"s1={norm[-1:]}",
                f"s2={norm[-2:]}", f"s3={norm[-3:]}", f"ss2={stem[-2:]}", f"sp2={stem[:2]}", f"sp3={stem[:3]}",
                f"n={min(len(stem), 9)}"]
    features += [f"c{level}={cid}" for level, cid in enumerate(found)]
    return Word(pro, stem, d, found, tuple(features), stem.endswith(("يه", "ي")) and len(stem) > 4)


@dataclass
class SentenceAnalysis:
    """What both taggers read of each token: normalised form, proclitic and stem, the definite
    form, word clusters and gazetteer matches."""

    norms: list[str]
    words: list[Word]
    gazetteer: list[list[str]]

    @property
    def stems(self) -> list[str]:
        return [w.stem for w in self.words]


def analyse(tokens: list[str], resources: FeatureResources) -> SentenceAnalysis:
    norms = [normalize_word(t) for t in tokens]
    words = [resources.word(w) for w in norms]
    return SentenceAnalysis(norms, words, resources.gazetteer.tags(norms, [w.stem for w in words],
                                                                     [w.definite for w in words]))


# Neighbours whose words a token's CRF features read.
NEIGHBOURS = (-2, -1, 1, 2)


def neighbour_features(d: int, norm: str, word: Word) -> list[str]:
    """The CRF features a word gives the token at offset ``-d`` from it, as its neighbour at
    ``d`` (gazetteer tags apart: see :func:`gazetteer_feature`)."""
    out = [f"{d}w={norm}", f"{d}s={word.stem}"]
    if word.clusters:
        out.append(f"{d}c1={word.clusters[1] if len(word.clusters) > 1 else word.clusters[0]}")
    if abs(d) == 1:
        out += [f"{d}p={word.proclitic}", f"{d}s2={norm[-2:]}"]
    return out


def gazetteer_feature(d: int, tag: str) -> str:
    """A gazetteer tag as a feature of its own token (``d`` 0) or of the next or previous one."""
    return f"g={tag}" if d == 0 else f"{d}g={tag}"


def edge_feature(d: int) -> str:
    """The feature of a token with no neighbour at ``d`` (the sentence's edge)."""
    return f"{d}EDGE"


def pair_features(left: str, right: str) -> tuple[str, str]:
    """The features two adjacent stems give: the right token's (``b-``), the left one's (``b+``)."""
    return f"b-={left}|{right}", f"b+={left}|{right}"


def sentence_features(tokens: list[str], resources: FeatureResources,
                      analysis: SentenceAnalysis | None = None) -> list[list[str]]:
    """Each token's CRF features (khabar.entities.crf sums the same ones from per-word parts)."""
    a = analysis or analyse(tokens, resources)
    norms, words, stems, gaz = a.norms, a.words, a.stems, a.gazetteer
    out = []
    n = len(tokens)
    for i in range(n):
        feats = ["bias", *words[i].features, *(gazetteer_feature(0, tag) for tag in gaz[i])]
        if words[i].nisba:
            feats.append("nisba")
        for d in NEIGHBOURS:
            j = i + d
            if 0 <= j < n:
                feats += neighbour_features(d, norms[j], words[j])
                if abs(d) == 1:
                    feats += [gazetteer_feature(d, tag) for tag in gaz[j]]
            else:
                feats.append(edge_feature(d))
        if i > 0:
            feats.append(pair_features(stems[i - 1], stems[i])[0])
        if i + 1 < n:
            feats.append(pair_features(stems[i], stems[i + 1])[1])
        out.append(feats)
    return out
