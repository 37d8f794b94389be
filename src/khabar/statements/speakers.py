"""Speaker resolution inside a document.

The rules read a speaker at each attribution: a name, a title, a pronoun carried by the verb, or
sometimes a piece of the sentence that is no speaker at all. Resolution chooses, for each
statement in order, among candidates that the document offers:

- what the rules read at the attribution (or inherited, for ``وأضاف``);
- the speakers of the statements before it (as resolved);
- the people and organisations the entity stage found before the cue.

Candidates naming the same person (``الجبير`` and ``عادل الجبير``) are one candidate, named in
full. Each is described by where it comes from and how near it is, what it is (a person, an
organisation, a role noun, a fragment), and what kind of attribution is being resolved (an
explicit subject, a carried verb, an "according to"); a log-linear ranker trained on the gold
of the development sets (``khabar train speakers``, weights in ``resources/speakers.json``)
scores them and the best is kept. Fragments (a preposition, a pronoun-suffixed conjunction,
digits) are never chosen; with no candidate left the speaker stays empty.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from khabar.data import BODY, Document, Span
from khabar.normalize import normalize_arabic
from khabar.statements.lexicon import Lexicon

MODEL_RESOURCE = "speakers.json"
# How many earlier speakers and named entities compete.
_EARLIER_SPEAKERS = 3
_EARLIER_ENTITIES = 5
_TITLED_MENTIONS = 10  # the titles of a person come from their last mentions before the cue
_SENTENCE_END = re.compile(r"[.!?؟](?=\s|$)")
_CLITIC_PREFIXES = ("وال", "بال", "لل", "وب", "ول", "ال", "و", "ب", "ل")
# A speaker never starts with these (normalised): prepositions, pronouns, particles, conjunctions.
_FRAGMENT_START = {"الي", "عن", "في", "من", "مع", "ب", "ل", "اليه", "عليه", "انه", "انها", "ان", "هذا",
                   "هذه", "ذلك", "ما", "لا", "لم", "لن", "قد", "لكن", "لكنه", "لكنها", "و", "ثم", "كما", "بعد",
                   "قبل", "خلال", "حيث", "اذ", "حتي", "منذ", "يوم", "امس", "اليوم", "فيما", "بينما", "الذي",
                   "التي", "الذين", "اللذين", "اللتين", "مما", "متحدثا", "متحدثه", "وسط", "هو", "هي", "هم",
                   "حينما", "عندما", "لقد", "كان", "كانت", "كانوا", "بان", "بانه", "بانها", "انهم",
                   "حول", "بشان", "ازاء", "تجاه", "لمن", "لطالما", "طالما"}
_DAYS = {"السبت", "الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "امس", "اليوم", "غدا", "الماضي",
         "المقبل", "الحالي", "الجاري", "بعدها", "بعده", "قبلها", "قبله", "حينها", "وقتها", "الاول"}
_WORD = re.compile(r"[\w\u0640\u064B-\u065F\u0670]+")
_CLAUSE_SEPARATOR = re.compile(r"[،,؛;:]")
# a speaker phrase never ends with these: conjunctions and prepositions with a pronoun
_PRONOUN_ENDINGS = ("لكنه", "لكنها", "انه", "انها", "بانه", "بانها", "حيث", "الذي", "التي", "منه", "منها", "عنه",
                    "عنها", "له", "لها", "به", "بها", "فيه", "فيها", "عليه", "عليها")


# Names and name pairs remembered. 65,536 of each (and as many words in the NER features'
# strip_proclitics) grew a worker over SaudiNewsNet: with 16,384 its peak over all 16 days
# fell from 453 to 390 MB (bench/bench_process.py --workers 2), same records.
NAMES_REMEMBERED = 16_384


@lru_cache(maxsize=NAMES_REMEMBERED)
def name_key(name: str) -> tuple[str, ...]:
    """The words of a name as matching compares them: normalised, without a leading article
    or clitic (للأطفال -> اطفال, وزير -> وزير)."""
    words = []
    for word in re.findall(r"\w+", normalize_arabic(name)):
        for prefix in _CLITIC_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                word = word[len(prefix):]
                break
        words.append(word)
    return tuple(words)


def contains_words(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """``shorter``'s words run, in order, inside ``longer``'s — not after باسم: the spokesman
    for the Vatican (متحدث باسم الفاتيكان) is not the Vatican."""
    n = len(shorter)
    return 0 < n <= len(longer) and any(longer[i:i + n] == shorter and (i == 0 or longer[i - 1] not in ("باسم", "اسم"))
                                        for i in range(len(longer) - n + 1))


@lru_cache(maxsize=NAMES_REMEMBERED)
def same_speaker(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two names of one speaker: one's words run inside the other's (الجبير، عادل الجبير)."""
    return a == b or contains_words(a, b) or contains_words(b, a)


def is_fragment(name: str) -> bool:
    """A speaker phrase that is no speaker: it starts with a preposition or particle, names a
    thing through a clitic preposition (للأطفال), holds digits, ends in a conjunction with a
    pronoun (لكنه) or runs too long to be a name or title."""
    words = normalize_arabic(name).split()
    if not words:
        return True
    first = words[0]
    if first[:1] in ("و", "ف") and first[1:] in _FRAGMENT_START:
        return True  # وقد، فيما
    if name.split()[0] == "على":  # the preposition, not the name علي (one word once normalised)
        return True
    if first in _FRAGMENT_START or (first.startswith("لل") and len(first) > 4) or first.startswith("بال"):
        return True
    written = name.split()[0]
    if written.startswith("ل") and written.endswith(("ه", "ها", "هم")) and len(written) > 4:
        return True  # لنظيره، لزملائه: to whom it was said (not لطيفة: ة is no pronoun)
    if any(ch.isdigit() for ch in name) or len(words) > 12 or "\u064b" in name:
        return True  # (a word with tanween fatha is accusative: تكريم الدوحة إرهابياً — no subject)
    if all(w in _DAYS for w in words) or first in _DAYS:
        return True  # استنكرت ... السبت، قال بعدها الأخير: a time is no speaker
    return words[-1] in _PRONOUN_ENDINGS


@dataclass(slots=True)
class Candidate:
    name: str
    key: tuple[str, ...]
    features: dict[str, float] = field(default_factory=dict)
    statement: object | None = None  # the earlier statement it comes from
    entity: Span | None = None
    speaker_type: str = ""
    titles: set[str] = field(default_factory=set)  # words of the roles it came with

    def absorb(self, other: Candidate) -> None:
        """Merge another candidate naming the same speaker; the fuller name wins."""
        for name, value in other.features.items():
            self.features[name] = max(self.features.get(name, 0.0), value)
        if len(other.key) > len(self.key):
            self.name, self.key = other.name, other.key
        self.statement = self.statement or other.statement
        self.entity = self.entity or other.entity
        self.speaker_type = self.speaker_type or other.speaker_type
        self.titles |= other.titles


def _entity_name(entity: Span, raw: str) -> str:
    """An entity's name, cut before a word with the article and ل, or ل and a medium's name
    (بارنييه للصحافيين، بوستاني لبي بي سي: the recogniser ran over the addressee) — no name
    holds one."""
    name = entity.attrs.get("canonical") or raw[entity.start:entity.end]
    words = name.split()
    cut = next((i for i, w in enumerate(words) if i and _addressee_word(normalize_arabic(w))), None)
    return " ".join(words[:cut]) if cut else name


def _addressee_word(norm: str) -> bool:
    if norm.startswith("لل"):
        return True
    return norm.startswith("ل") and len(norm) > 2 and norm[1:] in _media_first_words()


@lru_cache(maxsize=1)
def _media_first_words() -> frozenset[str]:
    from khabar.statements.lexicon import load_lexicon

    return frozenset(name[0] for name in load_lexicon().media_names if name)


_TITLE_BREAKS = {"في", "خلال", "من", "علي", "عن", "الي", "مع", "بعد", "قبل", "عند", "امام", "حول", "ضد"}
_CLAUSE_EDGE = re.compile(r"[.،,؛;:!?؟()«»\"\n]")


def _title_words(raw: str, mention: Span, limit: int, entities: list[Span]) -> tuple[str, ...]:
    """The words around a name in its own clause, where its titles are (وزير الخارجية عادل
    الجبير، آل الشيخ مفتي عام السعودية): back to the clause's start or the name before, on to
    the clause's end or the next name."""
    start = max(0, mention.start - 120)  # long Saudi titles: سماحة مفتي عام المملكة رئيس هيئة ...
    for other in entities:
        if start < other.end <= mention.start:
            start = other.end
        if mention.end <= other.start < limit:
            limit = other.start
            break
    before = raw[start:mention.start]
    edges = list(_CLAUSE_EDGE.finditer(before))
    if edges:
        before = before[edges[-1].end():]
    after = raw[mention.end:min(limit, mention.end + 40)]
    edge = _CLAUSE_EDGE.search(after)
    if edge:
        after = after[:edge.start()]
    words = name_key(before)
    # a title runs up to the name unbroken: "مفتي السعودية ... في جامع الإمام تركي" is no title of تركي
    cut = max((i for i, w in enumerate(words) if w in _TITLE_BREAKS), default=-1)
    return words[cut + 1:] + name_key(after)


def _identity(entity: Span, raw: str) -> str:
    return str(entity.attrs.get("entity", raw[entity.start:entity.end]))


class _Layout:
    """Paragraph and sentence positions of a document, for distances."""

    def __init__(self, document: Document, entities: list[Span] = ()):
        self.paragraph_starts = [b.start for b in document.blocks(BODY)]
        self.sentence_ends = [m.start() for m in _SENTENCE_END.finditer(document.raw)]
        self.entity_counts: dict[str, int] = {}  # mentions of each person and organisation
        self.mentions: dict[str, list[Span]] = {}
        self.boundaries: list[Span] | None = None
        self.people: list | None = None  # (mentions, name, titles) of each person, when first needed
        self.entity_starts = [e.start for e in entities]
        for entity in entities:
            if entity.label in ("PERS", "ORG"):
                identity = _identity(entity, document.raw)
                self.entity_counts[identity] = self.entity_counts.get(identity, 0) + 1
                self.mentions.setdefault(identity, []).append(entity)
        self.mention_starts = {identity: [m.start for m in spans] for identity, spans in self.mentions.items()}

    def paragraph(self, offset: int) -> int:
        return bisect.bisect_right(self.paragraph_starts, offset)

    def sentence_start(self, offset: int) -> int:
        """Where the sentence holding ``offset`` starts (its paragraph's start at the latest)."""
        index = bisect.bisect_left(self.sentence_ends, offset)
        after_end = self.sentence_ends[index - 1] + 1 if index else 0
        paragraph = self.paragraph_starts[self.paragraph(offset) - 1] if self.paragraph(offset) else 0
        return max(after_end, paragraph)

    def sentences_between(self, a: int, b: int) -> int:
        return bisect.bisect_left(self.sentence_ends, b) - bisect.bisect_left(self.sentence_ends, a)


def is_title_adjective(norm: str) -> bool:
    """A definite relative adjective (الرسمي، السعودي، الأمريكية) as titles use them; ``norm`` is
    normalised (and الي, the preposition إلى, is none)."""
    return len(norm) > 4 and norm.startswith("ال") and norm.endswith(("ي", "يه"))


def _is_adjective(word: str) -> bool:
    return is_title_adjective(normalize_arabic(word))


def _first_distinct(named, limit: int, scan: int = 60):
    """``(rank, item, name, key)`` for the first ``limit`` distinct speakers among ``(item, name)``
    pairs, in order; names of one speaker (الجبير, عادل الجبير) count once, at their first. At most
    ``scan`` pairs are read (a page naming one person a thousand times holds no more news)."""
    seen: list[tuple[str, ...]] = []
    for item, name in itertools.islice(named, scan):
        key = name_key(name)
        if not key or any(same_speaker(key, k) for k in seen):
            continue
        if len(seen) >= limit:
            return
        yield len(seen), item, name, key
        seen.append(key)


def take_continued_speaker(statement) -> None:
    """A carried verb has the speaker of the statement it continues, as resolved by then."""
    if statement.continues is not None and statement.continues.speaker:
        statement.speaker = statement.continues.speaker
        statement.speaker_type = statement.continues.speaker_type


def _cue_gender(statement) -> str:
    """The gender the cue itself shows (a carried statement takes its source's as its own)."""
    cue = getattr(statement, "cue", None)
    return cue.gender if cue is not None and cue.gender else statement.gender


def _mode(statement) -> str:
    if statement.type == "according_to":
        return "according"
    if statement.carried:
        return "carried"
    if statement.cue.kind == "participle":
        return "participle"
    return "explicit"


class SpeakerResolver:
    """Chooses each statement's speaker among the document's candidates (see the module)."""

    def __init__(self, lexicon: Lexicon, weights: dict[str, float] | None = None):
        self.lexicon = lexicon
        self.weights = load_weights() if weights is None else weights
        self._vocabulary = (lexicon.organization | lexicon.anonymous | lexicon.document | lexicon.role_nouns
                            | lexicon.honorifics)

    # -- candidates ---------------------------------------------------------------------------
    def _describe(self, name: str, entities_in: list[Span]) -> dict[str, float]:
        words = normalize_arabic(name).split()
        head = words[0] if words else ""
        bare = head[2:] if head.startswith("ال") else head
        features = {
            "one_word": float(len(words) == 1),
            "long": float(len(words) > 4),
            "known_head": float(head in self._vocabulary or bare in self._vocabulary
                                or "ال" + bare in self._vocabulary),
            "role_head": float(head in self.lexicon.role_nouns or head in self.lexicon.honorifics),
            "anonymous_or_document": float(head in self.lexicon.anonymous or head in self.lexicon.document
                                           or bare in self.lexicon.document),
            "person": float(any(e.label == "PERS" for e in entities_in)),
            "organization": float(any(e.label == "ORG" for e in entities_in)),
            "place": float(any(e.label == "LOC" for e in entities_in)),
        }
        return features

    def candidates(self, statement, earlier: list, entities: list[Span], layout: _Layout,
                   raw: str) -> list[Candidate]:
        """The statement's candidates, one per speaker, with their features crossed with the kind
        of attribution."""
        mode = _mode(statement)
        found = self._rule_candidate(statement, entities, layout, mode)
        found += self._earlier_candidates(statement, earlier, layout)
        found += self._entity_candidates(statement, entities, layout, raw)
        if mode in ("carried", "participle"):
            found += self._clause_candidate(statement, entities, layout, raw)
        merged: list[Candidate] = []
        for candidate in found:
            twin = next((m for m in merged if same_speaker(m.key, candidate.key)), None)
            if twin is None:
                merged.append(candidate)
            else:
                twin.absorb(candidate)
        for candidate in merged:  # the roles every earlier statement of the speaker came with
            if candidate.speaker_type == "person":
                for earlier_statement in earlier:
                    if earlier_statement.role and same_speaker(name_key(earlier_statement.speaker), candidate.key):
                        candidate.titles.update(name_key(earlier_statement.role))
        for candidate in merged:
            self._finish_features(candidate, statement, mode)
        return merged

    def _rule_candidate(self, statement, entities: list[Span], layout: _Layout, mode: str) -> list[Candidate]:
        """What the rules read at the attribution (or inherited), unless it is a fragment."""
        if not statement.speaker or is_fragment(statement.speaker):
            return []
        mention = statement.mention_chars
        inside = []
        if mention:
            near = entities[max(0, bisect.bisect_left(layout.entity_starts, mention[0]) - 3):
                            bisect.bisect_left(layout.entity_starts, mention[1])]
            inside = [e for e in near if e.start < mention[1] and e.end > mention[0]]
        features = self._describe(statement.speaker, inside)
        features["from_rule"] = 1.0
        features["rule_mention"] = float(not statement.carried and (bool(mention) or mode == "according"))
        return [Candidate(statement.speaker, name_key(statement.speaker), features,
                          speaker_type=statement.speaker_type)]

    def _earlier_candidates(self, statement, earlier: list, layout: _Layout) -> list[Candidate]:
        """The speakers of the last statements before, most recent first."""
        cue = statement.cue_chars[0]
        found = []
        named = ((s, s.speaker) for s in reversed(earlier))
        for rank, earlier_statement, _, key in _first_distinct(named, _EARLIER_SPEAKERS):
            features = self._describe(earlier_statement.speaker, [])
            features["person"] = float(earlier_statement.speaker_type == "person")
            features["organization"] = float(earlier_statement.speaker_type == "organization")
            features[f"earlier_speaker_{rank}"] = 1.0
            features["earlier_same_paragraph"] = float(
                layout.paragraph(earlier_statement.cue_chars[0]) == layout.paragraph(cue))
            features["earlier_gender_agrees"] = float(_cue_gender(earlier_statement) == _cue_gender(statement))
            features["earlier_person"] = float(earlier_statement.speaker_type == "person")
            features["earlier_organization"] = float(earlier_statement.speaker_type == "organization")
            found.append(Candidate(earlier_statement.speaker, key, features, statement=earlier_statement,
                                   speaker_type=earlier_statement.speaker_type))
        return found

    def _entity_candidates(self, statement, entities: list[Span], layout: _Layout, raw: str) -> list[Candidate]:
        """The last people and organisations named before the cue, with the titles around them."""
        cue = statement.cue_chars[0]
        if layout.boundaries is None:  # people's names end a title's reach (not a title taken for a
            # name; an organisation is part of a title: رئيس نادي الهلال الأمير عبدالرحمن بن مساعد)
            layout.boundaries = [e for e in entities if e.label == "PERS"
                                 and self._title_head(raw[e.start:e.end]) is None]
        found = []
        paragraph = layout.paragraph(cue)
        before = entities[:bisect.bisect_left(layout.entity_starts, cue)]  # (sorted by start)
        named = ((e, _entity_name(e, raw)) for e in reversed(before) if e.label in ("PERS", "ORG") and e.end <= cue)
        for rank, entity, name, key in _first_distinct(named, _EARLIER_ENTITIES):
            features = self._describe(name, [entity])
            features[f"entity_{min(rank, 3)}"] = 1.0
            sentences = layout.sentences_between(entity.end, cue)
            features["entity_same_sentence"] = float(sentences == 0)
            features["entity_previous_sentence"] = float(sentences == 1)
            back = paragraph - layout.paragraph(entity.start)
            features["entity_same_paragraph"] = float(back == 0)
            features["entity_far"] = float(back >= 2)
            identity = _identity(entity, raw)
            features["entity_mentions"] = math.log(layout.entity_counts.get(identity, 1))
            titles = set()
            if entity.label == "PERS":  # وزير الخارجية عادل الجبير، آل الشيخ مفتي عام السعودية
                mentions = layout.mentions.get(identity, [entity])
                starts = layout.mention_starts.get(identity, [entity.start])
                earlier = mentions[:bisect.bisect_left(starts, cue)][-_TITLED_MENTIONS:]
                for mention in earlier:
                    titles.update(_title_words(raw, mention, cue, layout.boundaries))
            found.append(Candidate(name, key, features, entity=entity, titles=titles,
                                   speaker_type="person" if entity.label == "PERS" else "organization"))
        return found

    def _clause_candidate(self, statement, entities: list[Span], layout: _Layout, raw: str) -> list[Candidate]:
        """For a verb that carries its subject: the subject of the clause it continues."""
        subject = self._clause_subject(statement, entities, layout, raw)
        if subject is None:
            return []
        name, inside = subject
        features = self._describe(name, inside)
        features["clause_subject"] = 1.0
        speaker_type = "person" if any(e.label == "PERS" for e in inside) else ("organization" if inside else "")
        return [Candidate(name, name_key(name), features, entity=inside[0] if inside else None,
                          speaker_type=speaker_type)]

    def _finish_features(self, candidate: Candidate, statement, mode: str) -> None:
        """What a merged candidate is, then every feature both alone and crossed with the mode."""
        feminine = _cue_gender(statement) == "f"
        base = dict(candidate.features)
        title_only = self._title_head(candidate.name) is not None  # even if tagged a person
        is_named = (base.get("person", 0) > 0 or base.get("organization", 0) > 0) and not title_only
        base["unknown_thing"] = float(not (base.get("known_head", 0) > 0 or is_named))
        base["role_only"] = float(title_only)
        base["feminine_person"] = float(feminine and (base.get("person", 0) > 0 or candidate.speaker_type == "person"))
        base["feminine_organization"] = float(feminine and (base.get("organization", 0) > 0
                                                            or candidate.speaker_type == "organization"))
        candidate.features = {name: value for name, value in base.items() if value}
        candidate.features.update({f"{mode}:{name}": value for name, value in base.items() if value})

    def _title_head(self, mention: str) -> tuple[str, ...] | None:
        """The words that identify a mention that is a title alone, else None: its head noun and
        the nouns of what it heads, bare (الوزير -> وزير; رئيس الهلال -> رئيس، هلال;
        المستشار الثقافي -> مستشار: adjectives are not repeated with every mention)."""
        words = normalize_arabic(mention).split()
        if not words or not (words[0] in self.lexicon.role_nouns or words[0] in self.lexicon.honorifics):
            return None
        # its adjectives and the definite nouns of what it heads: المستشار الثقافي، رئيس الهلال
        lexicon = self.lexicon  # رئيس نادي الهلال: an organisation's head noun may be part of it
        if len(words) > 4 or not all(w.startswith("ال") or w in lexicon.role_nouns or w in lexicon.organization
                                     or w in ("عام", "عامه") for w in words[1:]):  # مفتي عام المملكة، مدير عام
            return None
        if len(words) > 1 and words[0] in self.lexicon.honorifics:
            words = words[1:]  # سماحة المفتي: the honorific is said with some mentions only
        return tuple(name_key(w)[0] for i, w in enumerate(words) if i == 0 or not _is_adjective(w))

    def _clause_subject(self, statement, entities: list[Span], layout: _Layout, raw: str):
        """The subject of the verb that opens a clause of the cue's sentence, for a verb that
        carries its subject: "اعترف المقدم في مداخلة ... بخطئه وقال: ..." -> المقدم. Returns
        ``(name, entities in it)`` or None."""
        cue = statement.cue_chars[0]
        start = layout.sentence_start(cue)
        for clause in _CLAUSE_SEPARATOR.split(raw[start:cue]):
            offset = raw.index(clause, start) if clause else start
            start = offset + len(clause) + 1
            words = list(_WORD.finditer(clause))
            if len(words) < 3:
                continue
            verb = normalize_arabic(words[0].group())
            bare = verb[1:] if verb[:1] in ("و", "ف") and len(verb) > 3 else verb
            if bare.startswith("ال") or bare in _FRAGMENT_START or any(ch.isdigit() for ch in bare) \
                    or bare in self._vocabulary:
                continue
            second = offset + words[1].start()
            reach = offset + words[min(5, len(words) - 1)].end()
            named = next((e for e in entities if e.label in ("PERS", "ORG") and second <= e.start < reach
                          and e.end <= cue), None)
            if named is not None:
                return _entity_name(named, raw), [named]
            noun = normalize_arabic(words[1].group())
            if noun.startswith("ال") and len(noun) > 3:
                last = 1
                while last + 1 < len(words) and last < 3 and _is_adjective(words[last + 1].group()):
                    last += 1
                return clause[words[1].start():words[last].end()], []
            return None
        return None

    # -- choice -------------------------------------------------------------------------------
    def score(self, candidate: Candidate) -> float:
        weights = self.weights
        return sum(weights[name] * value for name, value in candidate.features.items() if name in weights)

    @staticmethod
    def _introduced_as(candidate: Candidate, title: tuple[str, ...]) -> bool:
        """A person (not a title alone) whose attributions or mentions came with ``title``."""
        return candidate.speaker_type == "person" and all(w in candidate.titles for w in title) \
            and title[0] not in candidate.key

    def _titled_person(self, title: tuple[str, ...], cue: int, layout: _Layout, raw: str,
                       addressees: tuple[tuple[str, ...], ...] = ()) -> Candidate | None:
        """The person the whole document introduces with ``title`` (the nearest to the cue, one
        named before it first): "وقال رئيس الهلال" when "رئيس نادي الهلال الأمير عبدالرحمن بن
        مساعد" is further back, or only further on."""
        if layout.boundaries is None:
            return None
        found = []
        if layout.people is None:  # each person named in the document with all their titles, once
            layout.people = []
            for mentions in layout.mentions.values():
                if mentions[0].label == "PERS":
                    name = _entity_name(mentions[-1], raw)
                    titles = set()
                    for mention in mentions:
                        titles.update(_title_words(raw, mention, len(raw), layout.boundaries))
                    layout.people.append((mentions, name, titles))
        for mentions, name, titles in layout.people:
            candidate = Candidate(name, name_key(name), {}, entity=mentions[0], speaker_type="person",
                                  titles=set(titles))
            if self._introduced_as(candidate, title) and not any(same_speaker(candidate.key, a) for a in addressees):
                before = [cue - m.end for m in mentions if m.end <= cue]  # (not whom it was said to)
                found.append(((0, min(before)) if before else (1, min(m.start - cue for m in mentions)), candidate))
        return min(found, key=lambda pair: pair[0])[1] if found else None

    def choose(self, statement, options: list[Candidate], layout: _Layout | None = None, raw: str = "") -> None:
        """Give ``statement`` the speaker of its best candidate (and, for a carried verb, the
        relays of the statement that candidate comes from)."""
        if not options:
            if is_fragment(statement.speaker):
                statement.speaker, statement.speaker_type = "", "unknown"
            return
        best = max(options, key=self.score)
        title = self._title_head(best.name) if "role_only" in best.features else None
        if title:
            # a title alone (الوزير، المستشار الثقافي) names the person introduced with it
            # (وزير الخارجية عادل الجبير), when there is one
            titled = [option for option in options if self._introduced_as(option, title)]
            if titled:
                best = max(titled, key=self.score)
            elif layout is not None:
                addressees = tuple(name_key(v["name"]) for v in statement.via if v["relation"] == "told_to")
                best = self._titled_person(title, statement.cue_chars[0], layout, raw, addressees) or best
        statement.speaker = best.name
        if "from_rule" not in best.features:
            statement.speaker_type = best.speaker_type or statement.speaker_type
            # a carried verb continues the statement just before: its relays too (an older
            # statement's only when the rules found none)
            latest = "earlier_speaker_0" in best.features
            if best.statement is not None and statement.carried and (
                    not statement.via or (latest and statement.via_inherited)):
                statement.via = [dict(v) for v in best.statement.via]
                statement.medium = best.statement.medium or statement.medium
                statement.gender = best.statement.gender
        statement.resolved_entity = best.entity.attrs.get("entity") if best.entity is not None else None

    def resolve(self, document: Document, statements: list) -> None:
        """Set each statement's speaker (in document order) to its best candidate."""
        entities = [e for e in document.layers.get("entities", []) if e.label in ("PERS", "ORG", "LOC")]
        entities.sort(key=lambda e: e.start)
        layout = _Layout(document, entities)
        done: list = []
        for statement in sorted(statements, key=lambda s: s.cue_chars[0]):
            if statement.speaker_mention and is_fragment(statement.speaker_mention):
                statement.speaker_mention, statement.mention_chars = "", None  # no words point to a speaker
            take_continued_speaker(statement)
            options = self.candidates(statement, done, entities, layout, document.raw)
            self.choose(statement, options, layout, document.raw)
            done.append(statement)


def load_weights() -> dict[str, float]:
    return dict(_shipped_weights())


@lru_cache(maxsize=1)
def _shipped_weights() -> tuple[tuple[str, float], ...]:
    path = resources.files("khabar") / "resources" / MODEL_RESOURCE
    if not path.is_file():
        return ()
    return tuple(json.loads(path.read_text(encoding="utf-8"))["weights"].items())
