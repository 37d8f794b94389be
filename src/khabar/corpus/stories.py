"""Stories: the same event covered by several outlets. Looser than near duplicates: two
articles belong to one story when they are close in time and share enough of their named
entities and of their title and lede words. Stories are the connected components."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date

from khabar.normalize import match_words

MAX_DAYS = 3
MIN_SCORE = 0.4
MIN_WORD_SCORE = 0.3
# Words too common in news titles to tie two articles together.
_STOPWORDS = set(match_words(
    "في من على إلى عن مع أن إن الى التي الذي بعد قبل بين خلال اليوم أمس غدا هذا هذه ذلك تلك كما وقال قال "
    "و أو ثم لا لم لن ما هو هي هم عام العام أول الأول يوم حول عبر ضد منذ حتى لدى عند كل بعض غير"))
# An entity (or word) found in more than this many documents says nothing about a story.
MAX_DOCUMENT_FREQUENCY = 100


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
    """Groups of two or more documents (their ``doc`` ids), each a story.

    Leader clustering in date order: an article joins the story whose first article it is most
    like (close in time, sharing entities and title words), or starts a new one. Comparing with
    the leader, not with any member, keeps stories from chaining into one giant component."""
    order = sorted(range(len(articles)), key=lambda i: (articles[i].date or "9999", articles[i].doc))
    features = {}
    frequency: dict[str, int] = {}
    for i, article in enumerate(articles):
        keys = {"e:" + e for e in article.entities} | {"w:" + w for w in _words(article.title)}
        features[i] = (keys, _words(article.title + " " + article.lede), _day(article.date))
        for key in keys:
            frequency[key] = frequency.get(key, 0) + 1
    leaders: dict[str, list[int]] = {}  # key -> stories (by leader index) holding it
    members: dict[int, list[int]] = {}
    for i in order:
        keys, words, day = features[i]
        rare = [k for k in keys if frequency[k] <= MAX_DOCUMENT_FREQUENCY]
        shared: dict[int, int] = {}
        for key in rare:
            for leader in leaders.get(key, ()):
                shared[leader] = shared.get(leader, 0) + 1
        best, best_score = None, MIN_SCORE
        # in index order, ties going to the earliest story: the order of a set of keys (hence of
        # ``shared``) changes with each process's hash seed
        for leader in sorted(shared):
            if shared[leader] < 2:
                continue
            leader_keys, leader_words, leader_day = features[leader]
            if day is not None and leader_day is not None and abs(day - leader_day) > MAX_DAYS:
                continue
            entities_a = {k for k in keys if k.startswith("e:")}
            entities_b = {k for k in leader_keys if k.startswith("e:")}
            entity_score = len(entities_a & entities_b) / max(1, min(len(entities_a), len(entities_b)))
            word_score = len(words & leader_words) / max(1, min(len(words), len(leader_words)))
            score = 0.5 * entity_score + 0.5 * word_score
            if word_score >= MIN_WORD_SCORE and score >= MIN_SCORE and (best is None or score > best_score):
                best, best_score = leader, score
        if best is None:
            members[i] = [i]
            for key in rare:
                leaders.setdefault(key, []).append(i)
        else:
            members[best].append(i)
    return [[articles[i].doc for i in group] for group in members.values() if len(group) > 1]
