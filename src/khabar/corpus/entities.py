"""Corpus entities: the entities of every document linked into one entity per real person,
organisation or place, with its aliases and its roles over time.

Precision first, since a wrong merge puts words in someone else's mouth:

- a place is its gazetteer id; an organisation (or an ungeocoded place) its normalised name;
- a person is a chain of names, ``عادل بن أحمد الجبير`` ⊇ ``عادل الجبير``: two names are
  compatible when they share the first (given) name and the shorter's other names run, in order,
  inside the longer's, ending on the same name or being its start. Names are linked from the most
  documented down: each joins the one person its compatible names belong to, or stays apart when
  they belong to several (``عبدالله بن عبدالعزيز``: the king or the minister) and none holds
  ``DOMINANCE`` of their documents;
- a name ending on a father's name that fits two people (``محمد بن عبدالعزيز``) is kept apart
  (``ambiguous_names``), and transliterations of a foreign given name are one name
  (``spelling_variants``: دييجو/دييغو كوستا);
- a name of one word (a surname, or a given name behind a title), or a surname with a word that
  is nobody's given name run into it (حاور أوباما), links only where its story names exactly one
  person that way, or where the title and name (``الملك سلمان``) or the surname (``الجبير``) point
  to one person in the corpus (``_dominant``);
- roles come from the titles written before a name (``وزير الخارجية عادل الجبير``) and from the
  statements' roles, with the first and last date seen.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from khabar.entities.mentions import FATHER_PARTICLES
from khabar.normalize import normalize_arabic
from khabar.statements.lexicon import load_lexicon

# Share of the documents of the candidates that one person must hold for an ambiguous name to be
# linked to that person.
DOMINANCE = 0.9
# A one-word name links on corpus evidence alone only with this many documents behind it, and
# this many times the documents of the next person it could be.
MIN_EVIDENCE = 5
RUNNER_UP = 10
# A name that fits another person's names in this share of its own documents is ambiguous
# (see ambiguous_names).
AMBIGUOUS_SHARE = 0.1
# A two-word person name whose first word is nobody's given name, in at most this many
# documents, is a surname with a word run into it (حاور أوباما) and linked as a surname.
MAX_FRAGMENT_DOCUMENTS = 3
# A surname alone: the share of the documents of the people it could name (many of those are
# one-document mistakes of the tagger, أوباما كير, which the runner-up test discounts).
SURNAME_SHARE = 0.75
_WORD = re.compile(r"\w+")
_CLAUSE_EDGE = re.compile(r"[.،,؛;:!?؟()«»\"\n]")
MAX_TITLE_WORDS = 6
# Words that end a title reading backwards from a name: a preposition or verb-like break.
_TITLE_BREAKS = {"في", "خلال", "من", "علي", "عن", "الي", "مع", "بعد", "قبل", "عند", "امام", "حول", "ضد", "ان",
                 "او", "و", "ثم", "كما", "لكن"}


@lru_cache(maxsize=200_000)
def person_key(name: str) -> tuple[str, ...]:
    """The names of a person as linking compares them: normalised, titles before the name
    dropped, ``عبد العزيز`` written as one name and ``آل سعود`` as one, ``ابن``/``بنت`` as
    ``بن`` (kept: what follows it is a father's name, not a family name)."""
    words = _WORD.findall(normalize_arabic(name))
    titles = honorifics()
    while words and words[0] in titles:
        words = words[1:]
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in ("عبد", "ال", "ابو", "ابي", "ام") and i + 1 < len(words):
            out.append(word + words[i + 1])
            i += 2
            continue
        if word in FATHER_PARTICLES:
            if out and out[-1] != "بن":
                out.append("بن")
        else:
            out.append(word)
        i += 1
    while out and out[-1] == "بن":
        out.pop()
    return tuple(out)


@lru_cache(maxsize=200_000)
def name_words(key: tuple[str, ...]) -> tuple[str, ...]:
    """The names of a ``person_key`` without ``بن``: given name, father's names, family name."""
    return tuple(w for w in key if w != "بن")


@lru_cache(maxsize=1)
def honorifics() -> frozenset[str]:
    """Normalised words that stand before a name as a title (الملك, الأمير, الرئيس ...)."""
    lexicon = load_lexicon()
    return frozenset(lexicon.honorifics) | {"صاحب", "السمو", "الملكي", "الرئيس", "رئيس"}


@lru_cache(maxsize=1)
def _role_starts() -> frozenset[str]:
    lexicon = load_lexicon()
    return frozenset(lexicon.role_nouns) | frozenset(lexicon.honorifics) | {"خادم", "ولي"}


def compatible(shorter: tuple[str, ...], longer: tuple[str, ...]) -> bool:
    """Two names of one person: the same given name, and either the shorter's names start the
    longer's (``محمد بن سلمان`` ⊂ ``محمد بن سلمان بن عبدالعزيز``) or they run inside the longer's
    in order and end on its family name (``عادل الجبير`` ⊂ ``عادل بن أحمد الجبير``) — not on a
    father's name: ``سلمان بن عبدالعزيز`` is not ``سلمان بن سلطان بن عبدالعزيز``."""
    short, long_ = name_words(shorter), name_words(longer)
    if len(short) < 2 or len(short) > len(long_) or short[0] != long_[0]:
        return False
    if short == long_[:len(short)]:
        # two names are a given and a father's name only when written so: محمد عبدالعزيز is
        # a name of its own, not محمد بن عبدالعزيز الصفيان shortened
        return len(short) > 2 or (shorter[1] == "بن") == (longer[1] == "بن")
    if short[-1] != long_[-1] or longer[-2] == "بن" or shorter[-2] == "بن":
        return False
    rest = iter(long_[1:])
    return all(word in rest for word in short[1:])


def fits(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """``compatible`` whichever of the two names is the shorter."""
    return compatible(*sorted((a, b), key=lambda k: len(name_words(k))))


def names_person(name: tuple[str, ...], person: tuple[str, ...]) -> bool:
    """Whether a name (a ``person_key``) can name the person: a compatible name, the person's
    given name, or its family name."""
    names, full = name_words(name), name_words(person)
    if not names:
        return False
    if len(names) == 1:
        return names[0] == full[0] or (len(person) >= 2 and person[-2] != "بن" and names[0] == full[-1])
    return name == person or fits(name, person)


def title_before(raw: str, start: int) -> str:
    """The title written right before a name in its clause, as written (``وزير الخارجية``,
    ``الملك``, ``خادم الحرمين الشريفين الملك``); empty when there is none. It starts at a role
    noun or an honorific and runs unbroken to the name, at most ``MAX_TITLE_WORDS`` words."""
    before = raw[max(0, start - 80):start]
    edges = list(_CLAUSE_EDGE.finditer(before))
    if edges:
        before = before[edges[-1].end():]
    written = _WORD.findall(before)
    words = [normalize_arabic(w) for w in written]
    cut = max((i for i, w in enumerate(words) if w in _TITLE_BREAKS), default=-1)
    starts = _role_starts()
    for i in range(max(cut + 1, len(words) - MAX_TITLE_WORDS), len(words)):
        word = words[i]
        if word in starts:
            return " ".join(written[i:])
        if word[:1] == "و" and word[1:] in starts:  # وزير itself starts with و
            return " ".join([written[i][1:]] + written[i + 1:])
    return ""


def titled_name(title: str, name: str) -> str:
    """The name with the honorific that ends its title (``الملك سلمان``, ``الرئيس بشار الأسد``):
    how the press often names a person, an alias; empty when the title ends otherwise."""
    last = title.split()[-1]
    return f"{last} {name}" if normalize_arabic(last) in honorifics() else ""


def role_of(title: str) -> str:
    """A title without the honorifics that end it (``خادم الحرمين الشريفين الملك`` ->
    ``خادم الحرمين الشريفين``): what the person is, not how they are addressed."""
    written = title.split()
    honorifics = load_lexicon().honorifics
    while written and normalize_arabic(written[-1]) in honorifics:
        written.pop()
    return " ".join(written)


@dataclass
class DocumentEntity:
    doc: int
    entity: str
    type: str
    canonical: str
    date: str | None = None
    place_id: str | None = None
    story: int | None = None
    titles: list[str] = field(default_factory=list)  # the titles written before its mentions
    mentions: list[str] = field(default_factory=list)  # its mentions as written


@dataclass
class CorpusEntity:
    id: int
    type: str
    key: tuple
    name: str = ""
    members: list[DocumentEntity] = field(default_factory=list)
    names: Counter = field(default_factory=Counter)  # canonical names of the members, by document


@dataclass
class Linking:
    entities: list[CorpusEntity]
    link: dict[tuple[int, str], int]  # (doc, entity) -> corpus entity id
    evidence: dict[tuple[int, str], str]
    keys: dict[tuple[int, str], tuple]  # (doc, entity) -> the key it was grouped on


class PeopleIndex:
    """What linking knows of the people so far: the names of each person (names of two words or
    more, as ``person_key``), its documents, the people of each story and the honorifics written
    before each person's names — built while linking a corpus, or loaded from the database to link
    new documents against it."""

    def __init__(self):
        self.names_of: dict[int, list[tuple]] = defaultdict(list)
        self.documents: Counter = Counter()
        # a compatible name shares the given and the second name (one starts the other) or the
        # given and the last name: candidates are looked up by both pairs
        self.by_pair: dict[tuple[str, str], set[int]] = defaultdict(set)
        self.by_surname: dict[str, set[int]] = defaultdict(set)
        self.by_given: dict[str, set[int]] = defaultdict(set)
        self.story_people: dict[int, set[int]] = defaultdict(set)
        self.titled: Counter = Counter()  # (honorific, person) -> documents

    def person_for(self, key: tuple[str, ...]) -> tuple[int | None, str]:
        """The person a name of two words or more joins — one compatible with every name it has
        (compatibility does not carry over: ``محمد بن عبدالعزيز`` fits two men whose full names do
        not fit each other) and, when several are, holding ``DOMINANCE`` of their documents — or
        None (a new person), with the evidence."""
        candidates = Counter({person: self.documents[person] for person in self.near(key)
                              if all(fits(key, n) for n in self.names_of[person])})
        if not candidates:
            return None, "name"
        best, mass = candidates.most_common(1)[0]
        if mass >= DOMINANCE * sum(candidates.values()):
            return best, "name chain" if len(candidates) == 1 else "name chain, dominant"
        return None, "ambiguous name"

    def near(self, key: tuple[str, ...]) -> set[int]:
        """The people with a name that may fit ``key``: the same given and second name, or the
        same given and last name."""
        names = name_words(key)
        return self.by_pair.get((names[0], "<" + names[1]), set()) | self.by_pair.get((names[0], names[-1]), set())

    def add_name(self, person: int, key: tuple[str, ...], documents: int) -> None:
        if key not in self.names_of[person]:
            self.names_of[person].append(key)
        self.documents[person] += documents
        names = name_words(key)
        self.by_pair[names[0], "<" + names[1]].add(person)
        self.by_pair[names[0], names[-1]].add(person)
        self.by_given[key[0]].add(person)
        if len(key) >= 2 and key[-2] != "بن":  # a family name, not a father's
            self.by_surname[key[-1]].add(person)

    def person_for_single(self, unit: DocumentEntity, word: str | None = None) -> tuple[int | None, str]:
        """A one-word name (or ``word``, a surname the tagger ran another word into): the one
        person of its story with that surname, the one person that honorific and given name
        point to, or the one person that surname names in the corpus."""
        word = word or name_words(person_key(unit.canonical))[0]
        surname_of = self.by_surname.get(word, set())
        if unit.story is not None:
            in_story = surname_of & self.story_people.get(unit.story, set())
            if len(in_story) == 1:
                return next(iter(in_story)), "surname in its story"
        if unit.titles:
            title = normalize_arabic(unit.titles[0].split()[-1])
            found = _dominant(Counter({p: self.titled[title, p] for p in self.by_given.get(word, ())
                                       if self.titled[title, p]}))
            if found is not None:
                return found, "title and given name"
        if surname_of:
            found = _dominant(Counter({p: self.documents[p] for p in surname_of}), share=SURNAME_SHARE)
            if found is not None:
                return found, "surname"
        return None, "name"

    def add_unit(self, person: int, unit: DocumentEntity) -> None:
        """A document entity of the person: its story and its honorifics."""
        if unit.story is not None:
            self.story_people[unit.story].add(person)
        for title in set(unit.titles):
            self.titled[normalize_arabic(title.split()[-1]), person] += 1


def link_entities(units: list[DocumentEntity], index: PeopleIndex | None = None,
                  known: dict[tuple, int] | None = None, first_id: int = 1) -> Linking:
    """Link document entities into corpus entities (see the module docstring). To link new
    documents against a linked corpus, pass its ``index`` of people and ``known`` (group key ->
    corpus entity id); new corpus entities are numbered from ``first_id``."""
    index = index or PeopleIndex()
    known = dict(known or {})
    keys = {(u.doc, u.entity): group_key(u) for u in units}
    # a spelling the corpus already links under wins over any of the new documents'
    respelt = spelling_variants(Counter(keys.values()) + Counter({k: 1_000_000 for k in known}))
    groups: dict[tuple, list[DocumentEntity]] = defaultdict(list)
    for unit in units:
        key = keys[unit.doc, unit.entity] = respelt.get(keys[unit.doc, unit.entity], keys[unit.doc, unit.entity])
        groups[key].append(unit)
    entities: dict[int, CorpusEntity] = {}
    link: dict[tuple[int, str], int] = {}
    evidence: dict[tuple[int, str], str] = {}
    next_id = first_id

    def attach(entity_id: int | None, key: tuple, unit: DocumentEntity, how: str) -> int:
        nonlocal next_id
        if entity_id is None:
            entity_id, next_id = next_id, next_id + 1
        entity = entities.get(entity_id)
        if entity is None:
            entity = entities[entity_id] = CorpusEntity(entity_id, unit.type, key)
        entity.members.append(unit)
        link[unit.doc, unit.entity] = entity_id
        evidence[unit.doc, unit.entity] = how
        if key[0] == "PERS":
            index.add_unit(entity_id, unit)
        return entity_id

    single: list[tuple[DocumentEntity, str | None]] = []
    given = given_names(list(groups) + list(known))
    documents = {key: len({u.doc for u in members}) for key, members in groups.items()}
    # the most documented names first: a person is named by its commonest name
    order = sorted(groups, key=lambda k: (-documents[k], str(k)))
    ambiguous = ambiguous_names([k for k in order if k[0] == "PERS" and k not in known], documents)
    for key in order:
        members = groups[key]
        if key[0] == "PERS" and len(name_words(key[1])) == 1:
            single.extend((unit, None) for unit in members)
            continue
        entity_id, how = known.get(key), "name"
        if key in ambiguous:
            for unit in members:  # a person of its own that nobody joins
                entity_id = attach(entity_id, key, unit, "ambiguous name")
            known[key] = entity_id
            continue
        if entity_id is None and key[0] == "PERS":
            entity_id, how = index.person_for(key[1])
            if (entity_id is None and how == "name" and len(name_words(key[1])) == 2 and key[1][0] not in given
                    and len({u.doc for u in members}) <= MAX_FRAGMENT_DOCUMENTS):
                # حاور أوباما, شار الأسد: a word that is nobody's given name run into a surname
                single.extend((unit, key[1][-1]) for unit in members)
                continue
        for unit in members:
            entity_id = attach(entity_id, key, unit, how)
        known[key] = entity_id
        if key[0] == "PERS":
            index.add_name(entity_id, key[1], len({u.doc for u in members}))
    for unit, surname in single:
        entity_id, how = index.person_for_single(unit, surname)
        if surname and entity_id is not None:
            how += ", the word before it no given name"
        if entity_id is None:
            key = keys[unit.doc, unit.entity]
            entity_id = known.get(key)
            known[key] = attach(entity_id, key, unit, how)
        else:
            attach(entity_id, ("PERS", ()), unit, how)
    ordered = sorted(entities.values(), key=lambda e: e.id)
    for entity in ordered:
        for unit in entity.members:
            entity.names[unit.canonical] += 1
        entity.name = _display_name(entity)
    return Linking(ordered, link, evidence, keys)


def ambiguous_names(order: list[tuple], documents: dict[tuple, int]) -> set[tuple]:
    """Names ending on a father's name that would become a person's first name but fit another
    person's names too: a trial linking of the names (most documented first); a person's first
    name that is compatible with names of another person holding ``AMBIGUOUS_SHARE`` of its
    documents is ambiguous (``محمد بن عبدالعزيز``: الصفيان, السعد, الربيعة ...). The real linking
    keeps it apart, so that the men it fits are not joined through it."""
    trial = PeopleIndex()
    for number, key in enumerate(k for k in order if len(name_words(k[1])) >= 2):
        person, _ = trial.person_for(key[1])
        trial.add_name(number if person is None else person, key[1], documents[key])
    out = set()
    for person, names in trial.names_of.items():
        first = names[0]
        if len(names) < 2 or first[-2] != "بن":
            continue  # a name that ends on a family name says more than one ending on a father's
        for other in trial.near(first) - {person}:
            fitting = sum(documents["PERS", n] for n in trial.names_of[other] if fits(first, n))
            if fitting >= AMBIGUOUS_SHARE * documents["PERS", first]:
                out.add(("PERS", first))
                break
    return out


def _chain_words(keys) -> set[str]:
    """Names written in a chain with بن (جاسم بن محمد, محمد بن جاسم): Arabic given names."""
    return {w for key in keys if key[0] == "PERS"
            for i, w in enumerate(key[1]) if w != "بن" and "بن" in key[1][max(0, i - 1):i + 2]}


def given_names(keys) -> set[str]:
    """Words the corpus uses as given names: the first name of names with two family names or
    more, and every name written in a chain with بن."""
    keys = list(keys)
    families: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        if key[0] == "PERS" and len(name_words(key[1])) >= 2:
            families[key[1][0]].add(key[1][-1])
    return _chain_words(keys) | {word for word, seen in families.items() if len(seen) >= 2}


def _skeleton(word: str) -> str:
    """A given name as transliterations vary it: long vowels after the first letter dropped, the
    letters that write g (ج غ ق) one letter, a final س dropped (نيكولا, نيكولاس)."""
    core = word[0] + "".join(c for c in word[1:] if c not in "اوي")
    core = core.translate(_G_LETTERS)
    return core[:-1] if len(core) > 3 and core.endswith("س") else core


_G_LETTERS = str.maketrans({"ج": "G", "غ": "G", "ق": "G"})


def spelling_variants(documents: Counter) -> dict[tuple, tuple]:
    """Person keys whose given name is another transliteration of a commoner key's, with the
    same other names (دييغو كوستا -> دييجو كوستا): key -> the commoner key. Arabic given names
    are never respelt (جاسم and قاسم are two names): a name the corpus writes in a chain with بن
    (جاسم بن محمد, محمد بن جاسم) is Arabic. One of the spellings has five letters at least (ويل and
    ويلو are two people)."""
    people = [k for k in documents if k[0] == "PERS" and len(name_words(k[1])) >= 2]
    arabic = _chain_words(people)
    forms: dict[tuple, Counter] = defaultdict(Counter)
    for key in people:
        given = key[1][0]
        if given not in arabic:
            forms[_skeleton(given), key[1][1:]][key] += documents[key]
    out = {}
    for spellings in forms.values():
        if len(spellings) > 1 and max(len(key[1][0]) for key in spellings) >= 5:
            commonest = max(spellings, key=lambda k: (spellings[k], str(k)))
            out.update({key: commonest for key in spellings if key != commonest})
    return out


def group_key(unit: DocumentEntity) -> tuple:
    """What linking groups document entities on before it links the groups."""
    if unit.type == "LOC" and unit.place_id:
        return ("PLACE", unit.place_id)
    if unit.type == "PERS":
        key = person_key(unit.canonical)
        if key:
            return ("PERS", key)
        return ("TITLE", normalize_arabic(unit.canonical))  # a title alone: its own entity
    return (unit.type, " ".join(_WORD.findall(normalize_arabic(unit.canonical))))


def _dominant(counts: Counter, share: float = DOMINANCE) -> int | None:
    """The one key that holds ``share`` of the counts, ``MIN_EVIDENCE`` at least and ``RUNNER_UP``
    times the next."""
    if not counts:
        return None
    (best, mass), *rest = counts.most_common(2)
    if mass >= MIN_EVIDENCE and mass >= share * sum(counts.values()) and (not rest or mass >= RUNNER_UP * rest[0][1]):
        return best
    return None


def _display_name(entity: CorpusEntity) -> str:
    """The most frequent of the fullest names: the longest name carried by at least a fifth of
    the documents of the most frequent one."""
    ranked = entity.names.most_common()
    top = ranked[0][1]
    frequent = [name for name, n in ranked if n * 5 >= top]
    return max(frequent, key=lambda n: (len(person_key(n)) if entity.type == "PERS" else 0, entity.names[n]))


def _spaced(text: str) -> str:
    return " ".join(text.split())


def aliases_of(entity: CorpusEntity) -> dict[str, list]:
    """Each name the entity goes by (its canonical names and mentions), by normalised form:
    ``[as first written, documents]``."""
    found: dict[str, list] = {}
    for unit in entity.members:
        # (in text order, not a set's: a set's order changes with each process's hash seed)
        for name in dict.fromkeys([_spaced(unit.canonical), *(_spaced(m) for m in unit.mentions)]):
            if entity.key[0] == "PERS" and not names_person(person_key(name), entity.key[1]):
                continue  # a mention the document merged wrongly (عبدالعزيز for الملك سلمان)
            norm = normalize_arabic(name)
            if norm in found:
                found[norm][1] += 1
            elif norm:
                found[norm] = [name, 1]
    return found


def roles_of(entity: CorpusEntity) -> dict[str, list]:
    """Each role written before the entity's name, by normalised form: ``[as first written,
    first date, last date, documents]``."""
    found: dict[str, list] = {}
    for unit in entity.members:
        for role in dict.fromkeys(role_of(t) for t in unit.titles if role_of(t)):
            norm = normalize_arabic(role)
            entry = found.setdefault(norm, [role, unit.date, unit.date, 0])
            entry[3] += 1
            if unit.date:
                entry[1] = min(entry[1] or unit.date, unit.date)
                entry[2] = max(entry[2] or unit.date, unit.date)
    return found


def title_aliases(entities: list[CorpusEntity]) -> dict[str, int]:
    """Roles of two words or more that name one person in the corpus (``خادم الحرمين الشريفين``,
    ``ولي ولي العهد``): normalised role -> corpus entity id. A role that several people hold
    (``وزير الخارجية``) names nobody."""
    holders: dict[str, Counter] = defaultdict(Counter)
    for entity in entities:
        if entity.type != "PERS":
            continue
        for norm, (_, _, _, documents) in roles_of(entity).items():
            if len(norm.split()) >= 2:
                holders[norm][entity.id] += documents
    out = {}
    for norm, counts in holders.items():
        (best, mass), *rest = counts.most_common(2)
        if mass >= MIN_EVIDENCE and mass >= DOMINANCE * sum(counts.values()):
            out[norm] = best
    return out
