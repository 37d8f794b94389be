"""Structure recovery: which lines of a scraped document are the body, and what the rest is.

Every non-blank line (or the tail of one) becomes a block span over ``raw`` with a role
(body, title, outlet, teaser, boilerplate) and, for removed blocks, a ``kind`` saying why.
Nothing is dropped without a reason.

A line's role is decided by a linear-chain CRF over the page's lines (``resources/
structure.crfsuite``), from evidence that holds across layouts (:mod:`khabar.cleaning.lines`),
trained on generated pages in many layout families (``khabar train structure``; scored
family by family in ``bench/eval_structure.py``). Around it, a few decisions are not learned:
tail rules cut a line's end, punctuation-only lines are separators, a page has one title
(the likeliest line, or the line equal to a title the reader already knew), and a repeated
paragraph is kept once.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from khabar.cleaning import lines as labels
from khabar.cleaning.language import NO_LANGUAGE, identify_language_counted
from khabar.cleaning.lines import Line, line_features, title_parts, truncated_repeats
from khabar.data import BODY, BOILERPLATE, OUTLET, TEASER, TITLE, Document, Span
from khabar.normalize import WORD, match_words, normalize_arabic

_LINE = re.compile(r"[^\n\r]+")

# Rules whose match decides alone: lines with nothing but punctuation or markup residue.
_DECISIVE_RULES = ("separator", "html_residue", "image_residue")
# When the model finds no body, lines at least this likely to be body are kept with the likeliest.
_FALLBACK_BODY_PROBABILITY = 0.3
# Below this probability no line is taken as the title.
_MIN_TITLE_PROBABILITY = 0.05

_ROLE = {labels.TITLE: TITLE, labels.BODY: BODY, labels.OUTLET: OUTLET, labels.TEASER: TEASER}
_KIND = {
    labels.TITLE: "title_line", labels.OUTLET: "outlet_line", labels.TEASER: "teaser_duplicate",
    labels.NAV: "navigation", labels.DATELINE: "dateline", labels.RELATED: "related_links",
    labels.TAGS: "tags", labels.COMMENTS: "comments", labels.SHARE: "share_prompt",
    labels.FOOTER: "site_footer", labels.NEWSLETTER: "newsletter", labels.CAPTION: "photo_caption",
    labels.ADVERT: "advert", labels.WIDGET: "widget", labels.SOURCE: "source_line",
    labels.CONSENT: "consent_banner", labels.DUPLICATE: "duplicate_line",
}


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str
    pattern: re.Pattern
    max_words: int | None = None

    def matches(self, text: str, words: int) -> bool:
        """Whether a whole line matches (a line rule), within the rule's word limit."""
        return (self.max_words is None or words <= self.max_words) and self.pattern.match(text) is not None


@dataclass(frozen=True, slots=True)
class Rules:
    line: tuple[Rule, ...] = ()
    tail: tuple[Rule, ...] = ()


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """The packaged boilerplate rules (``resources/boilerplate.toml``), compiled once."""
    text = resources.files("khabar.resources").joinpath("boilerplate.toml").read_text("utf-8")
    data = tomllib.loads(text)

    def compile_all(entries):
        return tuple(Rule(e["kind"], re.compile(e["pattern"], re.IGNORECASE), e.get("max_words"))
                     for e in entries)

    return Rules(line=compile_all(data.get("line", [])), tail=compile_all(data.get("tail", [])))


def _split_lines(raw: str) -> list[Line]:
    lines = []
    for match in _LINE.finditer(raw):
        text = match.group()
        stripped = text.strip()
        if not stripped:
            continue
        start = match.start() + (len(text) - len(text.lstrip()))
        end = start + len(stripped)
        lines.append(Line(start, end, stripped, len(stripped.split())))
    return lines


def _cut_tails(lines: list[Line], rules: Rules) -> list[Line]:
    """Split off line ends matched by tail rules into their own boilerplate blocks."""
    out = []
    for line in lines:
        for rule in rules.tail:
            match = rule.pattern.search(line.text)
            if match:
                head = line.text[:match.start()].rstrip()
                if head:
                    out.append(Line(line.start, line.start + len(head), head, len(head.split())))
                tail_start = line.start + match.start()
                tail = Line(tail_start, line.end, line.text[match.start():],
                             len(line.text[match.start():].split()))
                tail.role, tail.kind = BOILERPLATE, rule.kind
                out.append(tail)
                break
        else:
            out.append(line)
    return out


def _document_language(lines: list[Line]) -> str:
    weight: dict[str, int] = {}
    for line in lines:
        if line.language != NO_LANGUAGE:
            weight[line.language] = weight.get(line.language, 0) + len(line.text)
    return max(weight, key=weight.get) if weight else NO_LANGUAGE


class StructureModel:
    """The CRF over a page's lines: labels and their marginal probabilities."""

    def __init__(self, path: str | Path) -> None:
        import pycrfsuite

        self.path = str(path)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(self.path)
        self.labels = tuple(self._tagger.labels())

    def tag(self, features: list[dict[str, float]]) -> tuple[list[str], list[dict[str, float]]]:
        """The best label sequence and, per line, each label's marginal probability."""
        import pycrfsuite

        self._tagger.set(pycrfsuite.ItemSequence(features))
        best = self._tagger.tag()
        marginals = [{label: self._tagger.marginal(label, t) for label in self.labels} for t in range(len(best))]
        return best, marginals


MODEL_PATH = "structure.crfsuite"


@lru_cache(maxsize=1)
def load_model() -> StructureModel:
    """The shipped structure model (``resources/structure.crfsuite``), loaded once per process."""
    path = resources.files("khabar.resources").joinpath(MODEL_PATH)
    if not path.is_file():
        raise FileNotFoundError(f"the structure model is missing ({path}); rebuild it: khabar train structure")
    return StructureModel(str(path))


def prepare_lines(document: Document) -> tuple[list[Line], str]:
    """The document's lines with tails cut, language, normalised words and rule evidence;
    and the document's language."""
    rules = load_rules()
    lines = _cut_tails(_split_lines(document.raw), rules)
    for line in lines:
        line.language, line.letters, line.arabic_share = identify_language_counted(line.text)
        line.normalised = normalize_arabic(line.text)
        line.match = WORD.findall(line.normalised)
        if line.role is not None:
            continue
        for rule in rules.line:
            if rule.matches(line.text, line.words):
                line.rule = rule.kind
                if rule.kind in _DECISIVE_RULES:
                    line.role, line.kind = BOILERPLATE, rule.kind
                break
    language = _document_language([line for line in lines if line.role is None] or lines)
    return lines, language


def _best_other(marginals: dict[str, float], excluded: str) -> str:
    return max((label for label in marginals if label != excluded), key=lambda label: (marginals[label], label))


def _decide(lines: list[Line], features: list[dict[str, float]], predicted: list[str],
            marginals: list[dict[str, float]], known_title: str | None, known_outlet: str | None) -> list[str]:
    """The model's labels with the page-level constraints applied."""
    decided = list(predicted)
    keys = [" ".join(line.match) for line in lines]
    free = [i for i, line in enumerate(lines) if line.role is None]
    # one title: the line equal to the known title, else the likeliest line and its copies
    title_key = " ".join(match_words(known_title)) if known_title else None
    if title_key is None:
        candidates = [i for i in free if lines[i].rule is None]  # a known prompt is never the title
        best = max(candidates, key=lambda i: marginals[i].get(labels.TITLE, 0.0), default=None)
        if best is not None and marginals[best].get(labels.TITLE, 0.0) >= _MIN_TITLE_PROBABILITY:
            title_key = keys[best]
            # "Site | Headline": the headline, where the page also has it on a line of its own
            parts = [part for part in title_parts(lines[best].text) if part and part != title_key]
            title_key = next((keys[i] for i in candidates if keys[i] in parts), title_key)
    for i in free:
        if title_key and keys[i] == title_key:
            decided[i] = labels.TITLE
        elif decided[i] == labels.TITLE:  # a prompt a rule knows goes as that prompt
            decided[i] = _best_other(marginals[i], labels.TITLE) if lines[i].rule is None else labels.FOOTER
    if known_outlet:
        outlet_key = " ".join(match_words(known_outlet))
        for i in free:
            if keys[i] == outlet_key:
                decided[i] = labels.OUTLET
    # a text the model finds no body in (a single line, a short note) keeps its likeliest body
    # line, and any other the model gives a fair chance of being body
    if not any(decided[i] == labels.BODY for i in free):
        open_lines = [i for i in free if lines[i].rule is None and not (known_title and decided[i] == labels.TITLE)]
        best = max(open_lines, key=lambda i: marginals[i].get(labels.BODY, 0.0), default=None)
        for i in open_lines:
            if i == best or marginals[i].get(labels.BODY, 0.0) >= _FALLBACK_BODY_PROBABILITY:
                decided[i] = labels.BODY
    # a paragraph met again is kept once
    kept: set[str] = set()
    for i in free:
        if decided[i] == labels.BODY and lines[i].words >= 3:
            if keys[i] in kept:
                decided[i] = labels.DUPLICATE
            kept.add(keys[i])
    # a line repeating the start of the text, cut short, is a teaser: learned, and checked here
    candidates = [i for i in free if decided[i] == labels.BODY and "repeat_prefix_line_start" in features[i]]
    body = {i for i in free if decided[i] == labels.BODY}
    for i in truncated_repeats(lines, candidates, body) if candidates else ():
        decided[i] = labels.TEASER
    return decided


def recover_structure(document: Document, model: StructureModel | None = None) -> list[Span]:
    """Compute the ``blocks`` layer of ``document`` (and its language) without changing it."""
    lines, language = prepare_lines(document)
    known_title, known_outlet = document.metadata.get("title"), document.metadata.get("outlet")
    if any(line.role is None for line in lines):
        features = line_features(lines, known_title=known_title, known_outlet=known_outlet)
        predicted, marginals = (model or load_model()).tag(features)
        decided = _decide(lines, features, predicted, marginals, known_title, known_outlet)
    else:
        decided = [labels.BODY] * len(lines)

    blocks = []
    for line, label in zip(lines, decided):
        foreign = line.language not in (language, NO_LANGUAGE)
        if line.role is not None:
            role, kind = line.role, line.kind
        elif label in _ROLE:
            role = _ROLE[label]
            kind = "paragraph" if role == BODY else _KIND[label]
        else:
            role = BOILERPLATE
            if line.rule:
                kind = line.rule
            elif foreign and label in (labels.SHARE, labels.WIDGET):
                kind = "widget_foreign_language"
            else:
                kind = _KIND[label]
        blocks.append(Span(line.start, line.end, role,
                           {"kind": kind, "language": line.language, "foreign": foreign}))
    document.attributes["language"] = language
    return blocks
