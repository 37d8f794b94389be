"""Stories: the same event covered by several outlets. Looser than near duplicates: two
articles belong to one story when they are close in time and share enough of their named
entities and of their title and lede words. Stories are the connected components."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date

from khabar.corpus.dedup import _UnionFind
from khabar.normalize import match_words

MAX_DAYS = 3
MIN_SCORE = 0.35
# Words too common in news titles to tie two articles together.
_STOPWORDS = set(match_words(
    "في من على إلى عن مع أن إن الى التي الذي بعد قبل بين خلال اليوم أمس غدا هذا هذه ذلك تلك كما وقال قال "
    "و أو ثم لا لم لن ما هو هي هم عام العام أول الأول يوم حول عبر ضد منذ حتى لدى عند كل بعض غير"))
# An entity (or word) found in more than this many documents says nothing about a story.
MAX_DOCUMENT_FREQUENCY = 200


@dataclass
class Article:
    doc: int
    date: str | None
    outlet: str | None
    title: str
    lede: str
    entities: set[str]


def _day(value: str | None) -> int | None:
    if not value or len(value) < 10:
        return None
    try:
        return Date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


def _words(text: str) -> set[str]:
    return {w for w in match_words(text) if w not in _STOPWORDS and len(w) > 2 and not w.isdigit()}


def cluster_stories(articles: list[Article]) -> list[list[int]]:
    """Groups of two or more documents (their ``doc`` ids), each a story."""
    features = []
    index: dict[str, list[int]] = {}
    for i, article in enumerate(articles):
        keys = {"e:" + e for e in article.entities} | {"w:" + w for w in _words(article.title)}
        features.append((keys, _words(article.title + " " + article.lede), _day(article.date)))
        for key in keys:
            index.setdefault(key, []).append(i)
    union = _UnionFind(len(articles))
    for i, (keys, words, day) in enumerate(features):
        candidates: dict[int, int] = {}
        for key in keys:
            posting = index[key]
            if len(posting) > MAX_DOCUMENT_FREQUENCY:
                continue
            for j in posting:
                if j > i:
                    candidates[j] = candidates.get(j, 0) + 1
        for j, shared in candidates.items():
            if shared < 2:
                continue
            other_keys, other_words, other_day = features[j]
            if day is not None and other_day is not None and abs(day - other_day) > MAX_DAYS:
                continue
            entities_a = {k for k in keys if k.startswith("e:")}
            entities_b = {k for k in other_keys if k.startswith("e:")}
            entity_score = len(entities_a & entities_b) / max(1, min(len(entities_a), len(entities_b)))
            word_score = len(words & other_words) / max(1, min(len(words), len(other_words)))
            if 0.5 * entity_score + 0.5 * word_score >= MIN_SCORE and word_score >= 0.2:
                union.union(i, j)
    groups: dict[int, list[int]] = {}
    for i in range(len(articles)):
        groups.setdefault(union.find(i), []).append(articles[i].doc)
    return [g for g in groups.values() if len(g) > 1]
