"""Rules over the statistical tagger's mentions (like spaCy's entity ruler after the model):

- institution names by their head noun: ``وزارة الخارجية``, ``جيش الإسلام``,
  ``وكالة الأنباء الألمانية`` (head noun + definite words);
- known abbreviations (``د.ب. أ``) from ``resources/entity_aliases.tsv``;
- places from the gazetteer when several words long, after a place noun (بلدة، مدينة ...),
  coordinated with a place already found (``سقبا و كفربطنا``), or as a dateline's place
  (``- سبق- عنيزة:``);
- titles trimmed from the edges of person names (``محمد علوش القيادي`` -> ``محمد علوش``);
- document consistency: a name found once is found everywhere in the document, and a
  person's last name alone (``زاخاروفا``) is that person, even where the tagger said otherwise;
- a country's name alone is the country, not a person (``فلسطين``); ``الله`` alone is no person.

A rule mention replaces the model's mentions it overlaps only when it is longer.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Iterable, Sequence

from khabar.data import Span
from khabar.entities.features import strip_proclitics
from khabar.entities.mentions import WordToken, _aliases
from khabar.normalize import normalize_arabic, normalize_word

_INSTITUTION_HEADS = {
    "وكاله", "وزاره", "جيش", "حركه", "جماعه", "حزب", "منظمه", "هيئه", "مجلس", "جامعه", "شركه", "صحيفه", "قناه",
    "مؤسسه", "جمعيه", "اتحاد", "لجنه", "محكمه", "بنك", "مصرف", "صندوق", "مركز", "مديريه", "اداره", "قوات",
    "جبهه", "تنظيم", "كتائب", "ميليشيا", "مليشيا", "رابطه", "نقابه", "معهد", "اكاديميه", "مجموعه", "سفاره",
    "رئاسه", "امانه", "بلديه", "شرطه", "نادي", "منتخب", "برلمان", "حكومه", "الامم",
}
_PLACE_NOUNS = {"بلده", "بلدتي", "بلدات", "مدينه", "مدينتي", "مدن", "قريه", "قريتي", "قري", "محافظه", "منطقه",
                "حي", "احياء", "مخيم", "ولايه", "اقليم", "عاصمه", "جزيره", "ميناء", "مطار", "ريف", "بلدتا"}
_MAX_INSTITUTION_WORDS = 4
_NAME_PARTICLES = {"ال", "بن", "ابن", "ابو", "بنت", "عبد", "ام"}
_WORDS = re.compile(r"\S+")


@lru_cache(maxsize=1)
def _role_words() -> frozenset[str]:
    import tomllib

    data = tomllib.loads(resources.files("khabar.resources").joinpath("attribution.toml").read_text("utf-8"))
    words = data["speaker"]["role_nouns"] + data["speaker"]["honorifics"]
    words += ["القيادي", "القيادية", "المسؤول", "الناشط", "الصحفي", "الكاتب", "المحلل", "الخبير", "الداعية"]
    return frozenset(normalize_arabic(w) for w in words if " " not in w)


def _norms(tokens: list[WordToken]) -> list[str]:
    return [normalize_word(t.text) for t in tokens]


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


class Mentions(list):
    """The mentions of a document, with an index by position so that finding the ones a new
    mention overlaps does not mean reading them all (a page repeating one name thousands of times
    made that quadratic)."""

    _BUCKET = 256

    def __init__(self, mentions=()):
        super().__init__(mentions)
        self._buckets: dict[int, list[Span]] = {}
        self._longest = 0
        for mention in self:
            self._index(mention)

    def _index(self, mention: Span) -> None:
        self._buckets.setdefault(mention.start // self._BUCKET, []).append(mention)
        self._longest = max(self._longest, mention.end - mention.start)

    def overlapping(self, new: Span) -> list[Span]:
        first, last = (new.start - self._longest) // self._BUCKET, new.end // self._BUCKET
        return [m for bucket in range(first, last + 1) for m in self._buckets.get(bucket, ())
                if _overlaps(m, new)]

    def add(self, new: Span) -> None:
        """Add a rule mention; it wins over shorter overlapping mentions and loses to longer ones."""
        clashing = self.overlapping(new)
        if any((m.end - m.start) >= (new.end - new.start) for m in clashing):
            return
        for m in clashing:
            self.discard(m)
        self.append(new)
        self._index(new)

    def discard(self, mention: Span) -> None:
        self.remove(mention)
        self._buckets[mention.start // self._BUCKET].remove(mention)



def institutions(tokens: list[WordToken], norms: list[str], mentions: Mentions) -> None:
    i = 0
    while i < len(tokens):
        head = norms[i] if norms[i] in _INSTITUTION_HEADS else strip_proclitics(norms[i])[1]
        if head in _INSTITUTION_HEADS:
            j = i + 1
            while j < len(tokens) and j - i <= _MAX_INSTITUTION_WORDS and norms[j].startswith("ال") \
                    and tokens[j].text.isalpha():
                j += 1
            if j > i + 1:
                clitic = len(norms[i]) - len(head) if head != norms[i] else 0
                mentions.add(Span(tokens[i].start + clitic, tokens[j - 1].end, "ORG", {}))
                i = j
                continue
        i += 1


def _lengths_by_first_word(names: Iterable[Sequence[str]]) -> dict[str, set[int]]:
    """For each first word of ``names`` (each a sequence of words), the lengths in words of
    the names it starts: a look-up at a word then tries only those."""
    lengths: dict[str, set[int]] = {}
    for words in names:
        if words:
            lengths.setdefault(words[0], set()).add(len(words))
    return lengths


@lru_cache(maxsize=1)
def _alias_lengths() -> dict[str, list[int]]:
    """The lengths of the known abbreviations per first word, longest first."""
    return {first: sorted(found, reverse=True)
            for first, found in _lengths_by_first_word(key.split() for key in _aliases()).items()}


def aliases(tokens: list[WordToken], norms: list[str], mentions: Mentions) -> None:
    table, lengths = _aliases(), _alias_lengths()
    words = [(k, n) for k, n in enumerate(norms) if tokens[k].text.isalnum()]
    for a in range(len(words)):
        for length in lengths.get(words[a][1], ()):
            if length > len(words) - a:
                continue
            key = " ".join(n for _, n in words[a:a + length])
            if key in table:
                first, last = words[a][0], words[a + length - 1][0]
                if last - first <= 2 * length:  # only punctuation between the letters
                    mentions.add(Span(tokens[first].start, tokens[last].end, "ORG", {}))
                break


def places(tokens: list[WordToken], norms: list[str], mentions: Mentions, gazetteer) -> None:
    from khabar.entities.places import place_key

    def ends_place(k: int) -> bool:
        return k >= 0 and any(m.label == "LOC" and m.end == tokens[k].end for m in mentions)

    first_words = gazetteer.first_words
    for i in range(len(tokens)):
        if norms[i] not in first_words and strip_proclitics(norms[i])[1] not in first_words \
                and "ال" + strip_proclitics(norms[i])[1] not in first_words:
            continue
        for length in (3, 2, 1):
            span_tokens = tokens[i:i + length]
            if len(span_tokens) < length or not all(t.text.isalpha() for t in span_tokens):
                continue
            name = " ".join(t.text for t in span_tokens)
            if not gazetteer.candidates(name):
                continue
            clitic, _ = strip_proclitics(norms[i])
            if length == 1:
                # one word is a place only in a place context: after a place noun, or in a list of places
                before = strip_proclitics(norms[i - 1])[1] if i > 0 else ""
                listed = (i > 1 and norms[i - 1] == "و" and ends_place(i - 2)) or (
                    norms[i].startswith("و") and ends_place(i - 1))
                if before not in _PLACE_NOUNS and not listed:
                    continue
            start = tokens[i].start
            if clitic and not gazetteer.by_key.get(place_key(name)):
                start += len(clitic) - (2 if clitic.endswith("ال") else 0)
            mentions.add(Span(start, tokens[i + length - 1].end, "LOC", {}))
            break


_DASHES = {"-", "–", "—", "ـ"}
_DATELINE_REACH = 14


def dateline_place(tokens: list[WordToken], norms: list[str], mentions: Mentions, gazetteer) -> None:
    """The place of a dateline at a paragraph's start: ``بدر الروقي- سبق- عنيزة: اتفقت ...``,
    ``الرياض - واس:`` — the words between the last dash (or the start) and the colon."""
    colon = next((i for i, t in enumerate(tokens[:_DATELINE_REACH]) if t.text == ":"), None)
    if colon is None or colon == 0:
        return
    dash = max((i for i in range(colon) if tokens[i].text in _DASHES), default=-1)
    words = tokens[dash + 1:colon]
    if not 1 <= len(words) <= 3 or not all(t.text.isalpha() for t in words):
        return
    name = " ".join(t.text for t in words)
    if gazetteer.candidates(name):
        place = Span(words[0].start, words[-1].end, "LOC", {})
        # the dateline is stronger evidence than the tagger's type for the same words
        for same in [m for m in mentions.overlapping(place) if (m.start, m.end) == (place.start, place.end)]:
            mentions.discard(same)
        mentions.add(place)


def trim_titles(mentions: list[Span], raw: str) -> None:
    """Role nouns and honorifics at the edges of a person's name belong to the role."""
    roles = _role_words()
    for mention in mentions:
        if mention.label != "PERS":
            continue
        words = [(mention.start + m.start(), mention.start + m.end())
                 for m in _WORDS.finditer(raw[mention.start:mention.end])]
        while len(words) > 1 and normalize_arabic(raw[words[-1][0]:words[-1][1]]) in roles \
                and normalize_arabic(raw[words[-2][0]:words[-2][1]]) not in _NAME_PARTICLES:
            words.pop()  # ... but آل الشيخ is a family name
        while len(words) > 1 and normalize_arabic(raw[words[0][0]:words[0][1]]) in roles:
            words.pop(0)
        if words:
            mention.start, mention.end = words[0][0], words[-1][1]


def propagate(tokens: list[WordToken], norms: list[str], mentions: Mentions, raw: str) -> None:
    """Every occurrence of a name already found, and a person's last name alone."""
    names: dict[tuple[str, ...], str] = {}
    for mention in mentions:
        words = tuple(normalize_word(w) for w in raw[mention.start:mention.end].split())
        if words and sum(len(w) for w in words) >= 3:
            names.setdefault(words, mention.label)
        if mention.label == "PERS" and len(words) >= 2 and len(words[-1]) >= 4:
            names.setdefault((words[-1],), "PERS")
        if mention.label == "LOC" and len(words) >= 2 and words[0].startswith("ال") and len(words[0]) >= 5:
            names.setdefault((words[0],), "LOC")  # الغوطة after الغوطة الشرقية
    if not names:
        return
    lengths = _lengths_by_first_word(names)
    for i in range(len(tokens)):
        clitic, stem = strip_proclitics(norms[i])
        bare, shift = None, 0
        if clitic:
            keep_article = clitic.endswith("ال") and len(clitic) > 2  # بالغوطة -> الغوطة
            if not clitic.endswith("ال") or keep_article:
                bare = ("ال" + stem) if keep_article else stem
                shift = len(clitic) - (2 if keep_article else 0)
        tried = lengths.get(norms[i], set()) | (lengths.get(bare, set()) if bare is not None else set())
        for length in sorted(tried, reverse=True):
            if length > len(tokens) - i:
                continue
            key = tuple(norms[i:i + length])
            start = tokens[i].start
            label = names.get(key)
            if label is None and bare is not None:
                label = names.get((bare,) + key[1:])
                start += shift
            if label is not None:
                mentions.add(Span(start, tokens[i + length - 1].end, label, {}))
                break


def refine(blocks: list[list[WordToken]], mentions: list[Span], raw: str, gazetteer,
           surnames: frozenset[str] = frozenset()) -> list[Span]:
    mentions = list(mentions)
    trim_titles(mentions, raw)  # (moves mentions' edges: before they are indexed)
    mentions = Mentions(mentions)
    normalised = [_norms(tokens) for tokens in blocks]
    for tokens, norms in zip(blocks, normalised):
        institutions(tokens, norms, mentions)
        aliases(tokens, norms, mentions)
        places(tokens, norms, mentions, gazetteer)
        dateline_place(tokens, norms, mentions, gazetteer)
    places_before_people(mentions, raw, gazetteer)
    for tokens, norms in zip(blocks, normalised):  # after all blocks: names found anywhere
        propagate(tokens, norms, mentions, raw)
    countries_are_places(mentions, raw, gazetteer)
    god_is_no_person(mentions, raw)
    surnames_are_people(mentions, raw)
    famous_surnames_are_people(mentions, raw, gazetteer, surnames)
    return sorted(mentions, key=lambda m: m.start)


_SMALL_PLACE = 100_000


def places_before_people(mentions: Mentions, raw: str, gazetteer) -> None:
    """A person's name that the tagger ran on from a place before it: "شيخ التمور بالأحساء
    عبدالحميد الحليبي", "لزيمبابوي روبرت موغابي" — a country, or a region or large city with the
    article, as the first of three words or more (and not a name's own first word: الخليل بن أحمد)
    is the place, the rest the person."""
    for mention in [m for m in mentions if m.label == "PERS"]:
        words = [(mention.start + m.start(), mention.start + m.end())
                 for m in _WORDS.finditer(raw[mention.start:mention.end])]
        if len(words) < 3 or normalize_arabic(raw[slice(*words[1])]) in _NAME_PARTICLES | {"ال", "آل"}:
            continue
        first = raw[slice(*words[0])]
        places = gazetteer.candidates(first)
        if not any(p.kind == "country" for p in places) and not (normalize_arabic(first).startswith("ال") and any(
                p.kind == "region" or p.population >= _SMALL_PLACE for p in places)):
            continue  # (a country needs no article: الرئيس السابق لزيمبابوي روبرت موغابي)
        mentions.discard(mention)
        mentions.add(Span(words[0][0], words[0][1], "LOC", {}))
        mentions.add(Span(words[1][0], mention.end, "PERS", dict(mention.attrs)))


def countries_are_places(mentions: list[Span], raw: str, gazetteer) -> None:
    """A one-word person that is a country's name is the country (the tagger took فلسطين for a
    person in every one of 280 SaudiNewsNet articles); a person of the document with that last
    name takes it back (``surnames_are_people`` runs after)."""
    for mention in mentions:
        if mention.label != "PERS":
            continue
        words = normalize_arabic(raw[mention.start:mention.end]).split()
        if len(words) == 1 and any(p.kind == "country" and normalize_arabic(p.name) == words[0]
                                   for p in gazetteer.candidates(words[0])):
            mention.label = "LOC"  # (the name as the country is written: هند is a woman, الهند India)


def god_is_no_person(mentions: list[Span], raw: str) -> None:
    """``الله`` alone is MISC, as ANERcorp marks it (48 of the 54 entities it starts in the
    training split are MISC, 3 PERS): the tagger made it a person in 1,862 SaudiNewsNet mentions,
    a corpus entity of its own among the people."""
    for mention in mentions:
        if mention.label == "PERS" and normalize_arabic(raw[mention.start:mention.end]) == "الله":
            mention.label = "MISC"


def famous_surnames_are_people(mentions: list[Span], raw: str, gazetteer, surnames: frozenset[str]) -> None:
    """A one-word place that is the last name of a known person (the name gazetteer's people) and
    only names small towns is that person: أوباما alone is the president, not a town in Japan;
    جدة, a city of millions, stays a place."""
    if not surnames:
        return
    for mention in mentions:
        if mention.label != "LOC":
            continue
        words = normalize_arabic(raw[mention.start:mention.end]).split()
        if len(words) != 1:
            continue
        word = words[0] if words[0] in surnames else strip_proclitics(words[0])[1]
        if word not in surnames:
            continue
        places = gazetteer.candidates(word)
        if places and all(p.kind == "city" and p.population < _SMALL_PLACE for p in places):
            mention.label = "PERS"


def surnames_are_people(mentions: list[Span], raw: str) -> None:
    """A one-word mention that is the last name of a person named in full in the document is
    that person, whatever the tagger said (أوباما after باراك أوباما is no town in Japan)."""
    surnames = set()
    for mention in mentions:
        words = normalize_arabic(raw[mention.start:mention.end]).split()
        if mention.label == "PERS" and len(words) >= 2 and len(words[-1]) >= 4 and words[-1] != "الله":
            surnames.add(words[-1])  # (الله ends عبد الله and نصر الله: no surname, see god_is_no_person)
    for mention in mentions:
        words = normalize_arabic(raw[mention.start:mention.end]).split()
        if mention.label != "PERS" and len(words) == 1 and (
                words[0] in surnames or strip_proclitics(words[0])[1] in surnames):
            mention.label = "PERS"
