"""Structure recovery: which lines of a scraped document are the body, and what the rest is.

Every non-blank line (or the tail of one) becomes a block span over ``raw`` with a role
(body, title, outlet, teaser, boilerplate) and, for removed blocks, a ``kind`` saying why.
Nothing is dropped without a reason.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from khabar.cleaning.language import NO_LANGUAGE, identify_language
from khabar.data import BODY, BOILERPLATE, OUTLET, TEASER, TITLE, Document, Span
from khabar.normalize import match_words, normalize_arabic

_LINE = re.compile(r"[^\n\r]+")
_SENTENCE_END = tuple(".!?؟…:،;؛")

# An outlet line is short: a name, not a sentence.
_OUTLET_MAX_WORDS = 4
_OUTLET_MAX_CHARS = 40
# A title has a few words and does not end like a sentence.
_TITLE_WORDS = (2, 25)
# A foreign-language line this short is a widget, not content.
_WIDGET_MAX_WORDS = 10
_WIDGET_MAX_LINES = 2
# A teaser repeats at least this many words of the body.
_TEASER_MIN_WORDS = 8
# Paragraph-like: ends like a sentence, or is at least this long.
_PARAGRAPH_MIN_WORDS = 30


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str
    pattern: re.Pattern
    max_words: int | None = None


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


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    text: str
    words: int
    match: list[str] = field(default_factory=list)  # normalised words, for comparing lines
    language: str = NO_LANGUAGE
    role: str | None = None
    kind: str | None = None
    attrs: dict = field(default_factory=dict)


def _split_lines(raw: str) -> list[_Line]:
    lines = []
    for match in _LINE.finditer(raw):
        text = match.group()
        stripped = text.strip()
        if not stripped:
            continue
        start = match.start() + (len(text) - len(text.lstrip()))
        end = start + len(stripped)
        lines.append(_Line(start, end, stripped, len(stripped.split())))
    return lines


def _cut_tails(lines: list[_Line], rules: Rules) -> list[_Line]:
    """Split off line ends matched by tail rules into their own boilerplate blocks."""
    out = []
    for line in lines:
        for rule in rules.tail:
            match = rule.pattern.search(line.text)
            if match:
                head = line.text[:match.start()].rstrip()
                if head:
                    out.append(_Line(line.start, line.start + len(head), head, len(head.split())))
                tail_start = line.start + match.start()
                tail = _Line(tail_start, line.end, line.text[match.start():],
                             len(line.text[match.start():].split()))
                tail.role, tail.kind = BOILERPLATE, rule.kind
                out.append(tail)
                break
        else:
            out.append(line)
    return out


def _document_language(lines: list[_Line]) -> str:
    weight: dict[str, int] = {}
    for line in lines:
        if line.language != NO_LANGUAGE:
            weight[line.language] = weight.get(line.language, 0) + len(line.text)
    return max(weight, key=weight.get) if weight else NO_LANGUAGE


def _looks_like_sentence_end(text: str) -> bool:
    return text.rstrip("\"'”“»«)( ").endswith(_SENTENCE_END)


def _joined_words(lines: list[_Line]) -> str:
    return " " + " ".join(" ".join(line.match) for line in lines) + " "


def _find_foreign_widgets(lines: list[_Line], language: str) -> None:
    """Short lines in another language before or after all the document's own text (``Send
    this to a friend``). Inside the body such lines are content (a film title, a product
    name): they stay, flagged ``foreign``."""
    own = [i for i, line in enumerate(lines) if line.language == language and line.words >= 3]
    if not own:
        return
    for edge in (lines[:own[0]], lines[own[-1] + 1:]):
        foreign = [line for line in edge if line.role is None and line.language not in (language, NO_LANGUAGE)]
        if len(foreign) > _WIDGET_MAX_LINES:  # a run of foreign lines is a list, not a widget
            continue
        for line in foreign:
            if line.words <= _WIDGET_MAX_WORDS:
                line.role, line.kind = BOILERPLATE, "widget_foreign_language"


def _find_outlet(lines: list[_Line], known_outlet: str | None) -> None:
    first = next((line for line in lines if line.role is None), None)
    if first is None or first.words > _OUTLET_MAX_WORDS or len(first.text) > _OUTLET_MAX_CHARS:
        return
    if _looks_like_sentence_end(first.text) or any(ch.isdigit() for ch in first.text):
        return
    name = normalize_arabic(first.text)
    repeated = any(line is not first and normalize_arabic(line.text).startswith(name + " ")
                   for line in lines)
    if repeated or (known_outlet and normalize_arabic(known_outlet) == name):
        first.role, first.kind = OUTLET, "outlet_line"


def _find_repeats(lines: list[_Line], outlet: str | None) -> None:
    """Teasers (a line repeating the start of the body, often cut mid-word) and repeated lines.

    Longest lines are judged first, and a judged line no longer counts as evidence, so of two
    copies the longer (or later) one goes and the body keeps the other."""
    outlet_words = match_words(outlet) if outlet else []
    order = sorted((line for line in lines if line.role is None),
                   key=lambda line: (-line.words, -line.start))
    for line in order:
        words = line.match
        prefixed = bool(outlet_words) and words[:len(outlet_words)] == outlet_words
        if prefixed:
            words = words[len(outlet_words):]
        if len(words) < _TEASER_MIN_WORDS:
            continue
        others = [other for other in lines if other.role is None and other is not line]
        evidence = _joined_words(others)
        whole = " " + " ".join(words) + " "
        cut = " " + " ".join(words[:-1]) + " "  # the last word may be cut mid-word
        if evidence.startswith(cut) or (prefixed and cut in evidence):
            line.role, line.kind = TEASER, "teaser_duplicate"  # repeats the lede
        elif whole in evidence or cut in evidence:
            line.role, line.kind = BOILERPLATE, "duplicate_line"


def _find_title(lines: list[_Line], given_title: str | None) -> None:
    rest = [line for line in lines if line.role is None]
    if given_title:
        wanted = normalize_arabic(given_title).strip()
        for line in rest:
            if normalize_arabic(line.text).strip() == wanted:
                line.role, line.kind = TITLE, "title_line"
        return
    if len(rest) < 2:
        return

    def title_like(line: _Line) -> bool:
        return _TITLE_WORDS[0] <= line.words <= _TITLE_WORDS[1] and not _looks_like_sentence_end(line.text)

    def paragraph_like(line: _Line) -> bool:
        return line.words >= _PARAGRAPH_MIN_WORDS or _looks_like_sentence_end(line.text)

    first = rest[0]
    if title_like(first) and any(paragraph_like(line) for line in rest[1:]):
        first.role, first.kind = TITLE, "title_line"
        return
    # Scrapers often put the title after the body: look past the last paragraph, and require
    # the title to share a content word with the body.
    last_paragraph = max((i for i, line in enumerate(rest) if paragraph_like(line)), default=None)
    if last_paragraph is None:
        return
    body_words = {w for line in rest[:last_paragraph + 1] for w in line.match if len(w) > 3}
    for line in rest[last_paragraph + 1:]:
        if title_like(line) and body_words & set(line.match):
            line.role, line.kind = TITLE, "title_line"
            return


def recover_structure(document: Document) -> list[Span]:
    """Compute the ``blocks`` layer of ``document`` (and its language) without changing it."""
    rules = load_rules()
    lines = _cut_tails(_split_lines(document.raw), rules)
    for line in lines:
        line.language = identify_language(line.text)
        line.match = match_words(line.text)
    language = _document_language([line for line in lines if line.role is None] or lines)

    for line in lines:
        if line.role is not None:
            continue
        for rule in rules.line:
            if (rule.max_words is None or line.words <= rule.max_words) and rule.pattern.match(line.text):
                line.role, line.kind = BOILERPLATE, rule.kind
                break
    _find_foreign_widgets(lines, language)

    known_outlet = document.metadata.get("outlet")
    _find_outlet(lines, known_outlet)
    outlet = next((line.text for line in lines if line.role == OUTLET), known_outlet)
    _find_repeats(lines, outlet)
    _find_title(lines, document.metadata.get("title"))

    blocks = []
    for line in lines:
        role = line.role or BODY
        attrs = {"kind": line.kind or "paragraph", "language": line.language,
                 "foreign": line.language not in (language, NO_LANGUAGE)}
        blocks.append(Span(line.start, line.end, role, attrs))
    document.attributes["language"] = language
    return blocks
