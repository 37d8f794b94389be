"""A page's lines and the evidence about each that holds across layouts.

The structure model (:mod:`khabar.cleaning.structure`) labels lines from these features: a
line's length and shape (ends like a sentence, digits, dates, times, separators, hashtags), its
script and language, cue words of page furniture (``resources/structure_cues.toml``), the
boilerplate rules (``resources/boilerplate.toml``) as evidence rather than verdicts, its place
relative to the run of paragraphs, how much of it the lede repeats (a headline summarises the
lede; a related headline does not), whether it repeats the start of the text (a teaser) or
another line, runs of short lines (lists, menus), and what the reader already knew (title,
outlet). Every feature is computed once per line; repeats are found by substring searches over
the page's joined words (one or two per line of six words or more), and the pairwise check of
short lines opening others runs only on pages of fewer than 400 lines.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from khabar.cleaning.language import NO_LANGUAGE
from khabar.normalize import match_words, normalize_arabic

# Line labels (the structure model's classes).
TITLE, BODY, OUTLET, TEASER = "title", "body", "outlet", "teaser"
NAV, DATELINE, RELATED, TAGS, COMMENTS = "navigation", "dateline", "related", "tags", "comments"
SHARE, FOOTER, NEWSLETTER, CAPTION, ADVERT = "share", "footer", "newsletter", "caption", "advert"
WIDGET, SOURCE, CONSENT, DUPLICATE = "widget", "source", "consent", "duplicate"
LABELS = (TITLE, BODY, OUTLET, TEASER, NAV, DATELINE, RELATED, TAGS, COMMENTS, SHARE, FOOTER,
          NEWSLETTER, CAPTION, ADVERT, WIDGET, SOURCE, CONSENT, DUPLICATE)


SENTENCE_END = tuple(".!?؟…;؛")
_TRAILING = "\"'”“»«)( "

_DATE = re.compile(r"\b\d{1,4}\s*[/\-.]\s*\d{1,2}\s*[/\-.]\s*\d{1,4}\b")
_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
_YEAR = re.compile(r"\b(?:1[34]\d\d|19\d\d|20\d\d)\b")
_SEPARATOR = re.compile(r"[»›|•·←>/]|\s[-–—]\s|\sـ\s")
_PART_SPLIT = re.compile(r"\s[|»›\-–—:]\s|\s?\|\s?")
# Conjunctions and prepositions a line of running text (a verse, a split sentence) may open with,
# and a headline rarely does.
_CONTINUATION = re.compile(r"^(?:و\w{2,}|ف\w{3,}|او|ثم|لكن|ولكن|حتي|الي|في|من|علي|عن|مع|الذي|التي|الذين|كما|بل|لان|انه|انها|اذا)$")
_URL = re.compile(r"https?://|www\.|\S+@\S+\.\w+|\.com\b|\.net\b|\.org\b", re.I)
_BULLET = re.compile(r"^(?:[•\-–—*▪►◄■●]|\d{1,2}[.)\-])\s*")
_DIGIT = re.compile(r"\d")
_SAMPLE_CHARS = 300

# Paragraph-like lines anchor the body: long, or sentence-like and not short.
_PARAGRAPH_WORDS = 20
_SENTENCE_WORDS = 8
# A line at most this long may be furniture: cue words and whole-line features apply.
_SHORT_WORDS = 25
_LEDE_PARAGRAPHS = 3
# A teaser repeats at least this many words of the text.
_TEASER_MIN_WORDS = 8


@dataclass(slots=True)
class Line:
    start: int
    end: int
    text: str
    words: int
    match: list[str] = field(default_factory=list)  # normalised words, for comparing lines
    normalised: str = ""
    language: str = NO_LANGUAGE
    letters: int = 0  # letters in the first few hundred characters, and the Arabic share of them
    arabic_share: float = 0.0
    role: str | None = None  # decided before the model (tail rules, punctuation-only lines)
    kind: str | None = None
    rule: str | None = None  # the boilerplate rule this line matches, as evidence


def title_parts(text: str) -> list[str]:
    """The normalised parts of a "Site | Headline" line."""
    return [" ".join(match_words(part)) for part in _PART_SPLIT.split(text)]


def ends_like_sentence(text: str) -> bool:
    return text.rstrip(_TRAILING).endswith(SENTENCE_END)


def is_paragraph(line: Line) -> bool:
    return line.words >= _PARAGRAPH_WORDS or (line.words >= _SENTENCE_WORDS and ends_like_sentence(line.text))


@lru_cache(maxsize=1)
def _cue_pattern() -> re.Pattern:
    """One pattern for every kind's cue words, a named group per kind: one pass over a line."""
    text = resources.files("khabar.resources").joinpath("structure_cues.toml").read_text("utf-8")
    groups = []
    for kind, words in tomllib.loads(text).items():
        forms = sorted({normalize_arabic(w.casefold()) for w in words}, key=len, reverse=True)
        # a short cue must be the whole word (رد, ok); a longer one may take a suffix (تعليقات)
        alternatives = [re.escape(f) + (r"(?!\w)" if len(f) <= 3 else "") for f in forms]
        groups.append(f"(?P<{kind}>" + "|".join(alternatives) + ")")
    return re.compile(r"(?<!\w)(?:" + "|".join(groups) + ")")


def _bucket(value: float, edges: tuple[float, ...]) -> int:
    for index, edge in enumerate(edges):
        if value < edge:
            return index
    return len(edges)


def _shape(line: Line) -> dict[str, float]:
    text = line.text[:_SAMPLE_CHARS]  # a long paragraph's start says as much as its whole
    features = {f"w{_bucket(line.words, (2, 3, 4, 6, 9, 13, 21, 41, 80))}": 1.0}
    end = line.text.rstrip(_TRAILING)[-1:]
    if end in "?؟!":  # headlines ask and exclaim; they rarely end with a full stop
        features["end_question" if end != "!" else "end_exclaim"] = 1.0
    elif ends_like_sentence(text):
        features["end_sentence"] = 1.0
    if line.text.endswith((":", "：")):
        features["end_colon"] = 1.0
    if line.text.endswith(("...", "…", "[...]")):
        features["end_ellipsis"] = 1.0
    digits = len(_DIGIT.findall(text))
    if digits:
        features[f"digits{_bucket(digits / len(text), (0.05, 0.15, 0.3))}"] = 1.0
    if _DATE.search(text):
        features["date"] = 1.0
    if _TIME.search(text):
        features["time"] = 1.0
    if _YEAR.search(text):
        features["year"] = 1.0
    separators = len(_SEPARATOR.findall(text))
    if separators:
        features[f"seps{min(separators, 4)}"] = 1.0
        features["seps_per_word"] = min(1.0, separators / max(1, line.words))
    if "#" in text:
        features[f"hash{min(text.count('#'), 3)}"] = 1.0
    if _URL.search(text):
        features["url"] = 1.0
    if _BULLET.match(text):
        features["bullet"] = 1.0
    if text.startswith(("(", "[")) and line.text.endswith((")", "]")):
        features["bracketed"] = 1.0
    if ":" in " ".join(text.split()[:3]):
        features["label_colon"] = 1.0
    if any(q in text for q in "\"“”«»"):
        features["quote"] = 1.0
    if "،" in text or "," in text:
        features["comma"] = 1.0
    if line.letters:
        features[f"latin{_bucket(1.0 - line.arabic_share, (0.01, 0.3, 0.7, 0.99))}"] = 1.0
    features["lang_" + (line.language if line.language in ("ar", "en", NO_LANGUAGE) else "other")] = 1.0
    return features


def _lexical(line: Line, normalised: str) -> dict[str, float]:
    features: dict[str, float] = {}
    if line.words > _SHORT_WORDS:
        return features
    short = "s" if line.words <= 6 else "m"
    for found in _cue_pattern().finditer(normalised):
        features[f"cue_{found.lastgroup}_{short}"] = 1.0
        if found.start() == 0:
            features[f"cue0_{found.lastgroup}"] = 1.0
    words = line.match
    if words and _CONTINUATION.match(words[0]):  # a line that goes on from the one before: text, not a list
        features["starts_continuation"] = 1.0
    if words and line.words <= 12:
        features["first=" + words[0]] = 1.0
        features["last=" + words[-1]] = 1.0
    if 0 < line.words <= 3:
        features["line=" + " ".join(words)] = 1.0
    if line.rule:
        features["rule_" + line.rule] = 1.0
    return features


def _run_lengths(lines: list[Line]) -> list[int]:
    """For each line, the length of the run of consecutive short non-sentence lines holding it."""
    short = [line.words <= 12 and not ends_like_sentence(line.text) for line in lines]
    runs = [0] * len(lines)
    index = 0
    while index < len(lines):
        if not short[index]:
            index += 1
            continue
        end = index
        while end < len(lines) and short[end]:
            end += 1
        for k in range(index, end):
            runs[k] = end - index
        index = end
    return runs


class _Repeats:
    """Where a line's words recur in the rest of the page, found in one joined string."""

    def __init__(self, lines: list[Line]) -> None:
        self.starts: list[int] = []
        pieces = []
        position = 1
        for line in lines:
            piece = " ".join(line.match)
            self.starts.append(position)
            pieces.append(piece)
            position += len(piece) + 1
        self.joined = " " + " ".join(pieces) + " "
        self.line_starts = set(self.starts)
        self.lines = lines

    def elsewhere(self, index: int, words: list[str]) -> tuple[bool, bool, bool]:
        """(found outside line ``index``, found at the start of another line, and that
        occurrence runs over more than one line)."""
        needle = " " + " ".join(words) + " "
        own_start = self.starts[index] - 1
        own_end = own_start + len(" ".join(self.lines[index].match)) + 2
        found = at_line_start = spans = False
        position = self.joined.find(needle)
        while position != -1:
            if not (own_start <= position < own_end):
                found = True
                if position + 1 in self.line_starts:
                    at_line_start = True
                    line = bisect.bisect_right(self.starts, position + 1) - 1
                    line_end = self.starts[line] + len(" ".join(self.lines[line].match))
                    spans = position + len(needle) - 1 > line_end
                    break
            position = self.joined.find(needle, position + 1)
        return found, at_line_start, spans


def _without_opening_line(line: Line, short_keys: set[str]) -> list[str]:
    """The line's words after an opening short line of the page (an outlet name), if any."""
    for size in (4, 3, 2, 1):
        if " ".join(line.match[:size]) in short_keys:
            return line.match[size:]
    return line.match


def truncated_repeats(lines: list[Line], candidates: list[int], evidence: set[int]) -> list[int]:
    """Which candidate lines repeat, cut short, the start of the text of the ``evidence`` lines
    (teasers).

    The longest are judged first, and a line found to be a repeat no longer counts as evidence:
    of a teaser and the paragraph it copies, the paragraph stays."""
    short_keys = {" ".join(line.match) for line in lines if 0 < line.words <= 4}
    evidence = set(evidence)

    def index() -> _Repeats:
        return _Repeats([line if j in evidence else Line(line.start, line.end, "", 0) for j, line in enumerate(lines)])

    repeats = index()
    found: list[int] = []
    for i in sorted(candidates, key=lambda i: (-lines[i].words, -i)):
        words = _without_opening_line(lines[i], short_keys)
        if len(words) < _TEASER_MIN_WORDS:
            continue
        hit, at_line_start, _ = repeats.elsewhere(i, words[:-1])  # the last word may be cut
        if hit and at_line_start:
            found.append(i)
            evidence.discard(i)
            repeats = index()
    return found


def line_features(lines: list[Line], *, known_title: str | None = None,
                  known_outlet: str | None = None) -> list[dict[str, float]]:
    """One feature dict per line (the model's observations), neighbours' shape included."""
    paragraphs = [i for i, line in enumerate(lines) if is_paragraph(line)]
    core_start, core_end = (paragraphs[0], paragraphs[-1]) if paragraphs else (len(lines), -1)
    content = [{w for w in line.match if len(w) > 2} for line in lines]
    body_words: dict[str, int] = {}
    for i in paragraphs:
        for w in content[i]:
            body_words[w] = body_words.get(w, 0) + 1
    lede_lines = paragraphs[:_LEDE_PARAGRAPHS + 1]
    lede_words = set().union(*(content[j] for j in lede_lines))
    runs = _run_lengths(lines)
    repeats = _Repeats(lines)
    title_words = {w for w in match_words(known_title) if len(w) > 2} if known_title else set()
    title_norm = " ".join(match_words(known_title)) if known_title else ""
    outlet_norm = " ".join(match_words(known_outlet)) if known_outlet else ""
    normalised_texts = [(line.normalised or normalize_arabic(line.text)).casefold() for line in lines]
    seen: dict[str, int] = {}
    short_keys = {" ".join(line.match) for line in lines if 0 < line.words <= 4}
    keys_by_text = {" ".join(line.match) for line in lines if 0 < line.words <= 30}
    part_of_other: set[str] = set()

    own: list[dict[str, float]] = []
    for i, line in enumerate(lines):
        features = {"bias": 1.0}
        features.update(_shape(line))
        features.update(_lexical(line, normalised_texts[i]))
        # place on the page
        if i == 0:
            features["first_line"] = 1.0
        if i == len(lines) - 1:
            features["last_line"] = 1.0
        features[f"rel{int(10 * i / max(1, len(lines)))}"] = 1.0
        if i < core_start:
            features[f"before_core{_bucket(core_start - i, (2, 3, 5, 9))}"] = 1.0
        elif i > core_end:
            features[f"after_core{_bucket(i - core_end, (2, 3, 5, 9))}"] = 1.0
        else:
            features["in_core"] = 1.0
        if is_paragraph(line):
            features["paragraph"] = 1.0
        if runs[i]:
            features[f"run{_bucket(runs[i], (2, 3, 5, 9, 13, 20))}"] = 1.0
        # what the rest of the text says about this line
        words = content[i]
        if words and line.words <= 40:
            lede = lede_words if i not in lede_lines else set().union(*(content[j] for j in lede_lines if j != i))
            share = len(words & lede) / len(words)
            lede_bucket = _bucket(share, (0.01, 0.2, 0.4, 0.6, 0.8))
            features[f"lede{lede_bucket}"] = 1.0
            features["lede_share"] = share
            # a headline summarises the lede wherever the page puts it
            side = "before" if i < core_start else "after" if i > core_end else "in"
            features[f"lede{lede_bucket}_{side}"] = 1.0
            if not ends_like_sentence(line.text) and 3 <= line.words <= 25:
                features[f"headline_lede{lede_bucket}"] = 1.0
            in_body = sum(1 for w in words if body_words.get(w, 0) - (1 if i in paragraphs else 0) > 0)
            features[f"body{_bucket(in_body / len(words), (0.01, 0.3, 0.6, 0.9))}"] = 1.0
        key = " ".join(line.match)
        if key:
            if key in seen:
                features["repeat_of_earlier"] = 1.0
            seen.setdefault(key, i)
        if line.words >= 6:
            stripped = _without_opening_line(line, short_keys)  # after an outlet name
            if stripped is not line.match:
                features["opens_with_short_line"] = 1.0
                if outlet_norm and key.startswith(outlet_norm + " "):
                    features["opens_with_outlet"] = 1.0
            if len(stripped) >= 5:
                found, at_start, spans = repeats.elsewhere(i, stripped[:-1])  # the last word may be cut
                if found:
                    features["repeat_prefix_" + ("line_start" if at_start else "inside")] = 1.0
                    if spans:  # a teaser runs over several of the body's paragraphs
                        features["repeat_spans_lines"] = 1.0
                    found, at_start, spans = repeats.elsewhere(i, stripped)
                    if found:
                        features["repeat_whole_" + ("line_start" if at_start else "inside")] = 1.0
        if 0 < line.words <= 5:
            opens = any(j != i and normalised_texts[j].startswith(normalised_texts[i] + " ") and lines[j].words > 10
                        for j in range(len(lines))) if len(lines) < 400 else False
            if opens:
                features["opens_another_line"] = 1.0
        if line.words <= 30 and _SEPARATOR.search(line.text):  # "Outlet | Headline": a part is a line of its own
            parts = title_parts(line.text)
            if any(part and part != key and part in keys_by_text for part in parts):
                features["part_is_a_line"] = 1.0
                for part in parts:
                    if part in keys_by_text:
                        part_of_other.add(part)
        if title_norm:
            if key == title_norm:
                features["known_title"] = 1.0
            elif words and title_words:
                features[f"title_overlap{_bucket(len(words & title_words) / len(words), (0.3, 0.6, 0.9))}"] = 1.0
        if outlet_norm and key == outlet_norm:
            features["known_outlet"] = 1.0
        own.append(features)

    for line, features in zip(lines, own):
        if " ".join(line.match) in part_of_other:
            features["is_part_of_a_line"] = 1.0

    # neighbours: their shape and cues, with the side in the name
    context = [{name: value for name, value in features.items() if _is_context(name)} for features in own]
    out = []
    for i, features in enumerate(own):
        merged = dict(features)
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if not 0 <= j < len(own):
                merged[f"{offset}:none"] = 1.0
            elif offset in (-1, 1):
                for name, value in context[j].items():
                    merged[f"{offset}:{name}"] = value
            elif "paragraph" in own[j]:
                merged[f"{offset}:paragraph"] = 1.0
        out.append(merged)
    return out


_CONTEXT_NAMES = {"paragraph", "end_sentence", "date", "time", "url", "bullet", "hash1", "hash2", "hash3"}
_CONTEXT_PREFIXES = ("w", "cue_", "lede", "run", "rule_", "known_", "repeat_")


def _is_context(name: str) -> bool:
    return name in _CONTEXT_NAMES or (name.startswith(_CONTEXT_PREFIXES) and name != "lede_share")
