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
- a name of one word (a surname, or a given name behind a title) links only where its story
  names exactly one person that way, or where the title and name (``الملك سلمان``) or the surname
  (``الجبير``) point to one person in ``DOMINANCE`` of the corpus's documents;
- roles come from the titles written before a name (``وزير الخارجية عادل الجبير``) and from the
  statements' roles, with the first and last date seen.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from khabar.normalize import normalize_arabic
from khabar.statements.lexicon import load_lexicon

# Share of the documents of the candidates that one person must hold for an ambiguous name to be
# linked to that person.
DOMINANCE = 0.9
# A one-word name links on corpus evidence alone only with this many documents behind it, and
# this many times the documents of the next person it could be.
MIN_EVIDENCE = 5
RUNNER_UP = 10
# A surname alone: the share of the documents of the people it could name (many of those are
# one-document mistakes of the tagger, أوباما كير, which the runner-up test discounts).
SURNAME_SHARE = 0.75
_PARTICLES = {"بن", "ابن", "بنت"}
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
    titles = _titles()
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
        if word in _PARTICLES:
            if out and out[-1] != "بن":
                out.append("بن")
        else:
            out.append(word)
        i += 1
    while out and out[-1] == "بن":
        out.pop()
    return tuple(out)


def _names(key: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w for w in key if w != "بن")


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
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
    short, long_ = _names(shorter), _names(longer)
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


def names_person(name: tuple[str, ...], person: tuple[str, ...]) -> bool:
    """Whether a name (a ``person_key``) can name the person: a compatible name, the person's
    given name, or its family name."""
    names, full = _names(name), _names(person)
    if not names:
        return False
    if len(names) == 1:
        return names[0] == full[0] or (len(person) >= 2 and person[-2] != "بن" and names[0] == full[-1])
    return name == person or compatible(*sorted((name, person), key=len))


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
    return f"{last} {name}" if normalize_arabic(last) in _titles() else ""


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


def link_entities(units: list[DocumentEntity]) -> Linking:
    """Link document entities into corpus entities (see the module docstring)."""
    groups: dict[tuple, list[DocumentEntity]] = defaultdict(list)
    for unit in units:
        groups[_group_key(unit)].append(unit)
    # People: resolve their names' chains first; the rest are their own key.
    person_names = {key: members for key, members in groups.items() if key[0] == "PERS"}
    root_of = _link_person_names(person_names)
    entities: dict[tuple, CorpusEntity] = {}
    link: dict[tuple[int, str], int] = {}
    evidence: dict[tuple[int, str], str] = {}

    def corpus_entity(key: tuple, type_: str) -> CorpusEntity:
        found = entities.get(key)
        if found is None:
            found = entities[key] = CorpusEntity(len(entities) + 1, type_, key)
        return found

    single: list[DocumentEntity] = []
    for key in sorted(groups, key=lambda k: (-len({u.doc for u in groups[k]}), str(k))):
        members = groups[key]
        if key[0] == "PERS" and len(_names(key[1])) == 1:
            single.extend(members)
            continue
        root, how = root_of.get(key, (key, "name"))
        target = corpus_entity(root, members[0].type)
        for unit in members:
            target.members.append(unit)
            link[unit.doc, unit.entity] = target.id
            evidence[unit.doc, unit.entity] = how
    _link_single_names(single, entities, link, evidence, corpus_entity)
    ordered = sorted(entities.values(), key=lambda e: e.id)
    for entity in ordered:
        for unit in entity.members:
            entity.names[unit.canonical] += 1
        entity.name = _display_name(entity)
    return Linking(ordered, link, evidence)


def _group_key(unit: DocumentEntity) -> tuple:
    if unit.type == "LOC" and unit.place_id:
        return ("PLACE", unit.place_id)
    if unit.type == "PERS":
        key = person_key(unit.canonical)
        if key:
            return ("PERS", key)
        return ("TITLE", normalize_arabic(unit.canonical))  # a title alone: its own entity
    return (unit.type, " ".join(_WORD.findall(normalize_arabic(unit.canonical))))


def _link_person_names(groups: dict[tuple, list[DocumentEntity]]) -> dict[tuple, tuple[tuple, str]]:
    """Each person name of two words or more -> (the key of its person, evidence). A name joins
    a person only when it is compatible with every name the person already has: compatibility
    does not carry over (``محمد بن عبدالعزيز`` fits two men whose full names do not fit each other)."""
    documents = {key: len({u.doc for u in members}) for key, members in groups.items()}
    by_first: dict[str, list[tuple]] = defaultdict(list)
    root_of: dict[tuple, tuple[tuple, str]] = {}
    names_of: dict[tuple, list[tuple]] = defaultdict(list)  # a person's key -> its names so far
    for key in sorted(groups, key=lambda k: (-documents[k], str(k))):
        names = key[1]
        if len(_names(names)) < 2:
            continue
        roots: Counter = Counter()
        for other in by_first[names[0]]:
            root = root_of[other][0]
            if root not in roots and all(compatible(*sorted((names, n[1]), key=len)) for n in names_of[root]):
                roots[root] = sum(documents[n] for n in names_of[root])
        by_first[names[0]].append(key)
        root, how = key, "name"
        if roots:
            best, mass = roots.most_common(1)[0]
            if mass >= DOMINANCE * sum(roots.values()):
                root, how = best, "name chain" if len(roots) == 1 else "name chain, dominant"
            else:
                how = "ambiguous name"
        root_of[key] = (root, how)
        names_of[root].append(key)
    return root_of


def _link_single_names(units: list[DocumentEntity], entities: dict[tuple, CorpusEntity], link: dict,
                       evidence: dict, corpus_entity) -> None:
    """One-word person names: by the story's people, by title and name, or by a surname that
    names one person in the corpus; otherwise a corpus entity of their own."""
    people = [e for e in entities.values() if e.key[0] == "PERS"]
    documents = {e.id: len({u.doc for u in e.members}) for e in people}
    by_surname: dict[str, list[CorpusEntity]] = defaultdict(list)
    by_given: dict[str, list[CorpusEntity]] = defaultdict(list)
    for entity in people:
        names = entity.key[1]
        if len(names) >= 2 and names[-2] != "بن":  # a family name, not a father's
            by_surname[names[-1]].append(entity)
        by_given[names[0]].append(entity)
    story_people: dict[int, set[int]] = defaultdict(set)
    for entity in people:
        for unit in entity.members:
            if unit.story is not None:
                story_people[unit.story].add(entity.id)
    titled: dict[tuple[str, int], int] = Counter()  # (title word, corpus entity) -> documents
    for entity in people:
        for unit in entity.members:
            for title in set(unit.titles):
                titled[normalize_arabic(title.split()[-1]), entity.id] += 1
    by_id = {e.id: e for e in people}
    for unit in units:
        word = _names(person_key(unit.canonical))[0]
        target, how = None, ""
        surname_of = {e.id for e in by_surname.get(word, ())}
        if unit.story is not None:
            in_story = surname_of & story_people.get(unit.story, set())
            if len(in_story) == 1:
                target, how = by_id[in_story.pop()], "surname in its story"
        if target is None and unit.titles:
            title = normalize_arabic(unit.titles[0].split()[-1])
            counts = Counter({e.id: titled[title, e.id] for e in by_given.get(word, ()) if titled[title, e.id]})
            target = _dominant(counts, by_id)
            how = "title and given name"
        if target is None and surname_of:
            target = _dominant(Counter({i: documents[i] for i in surname_of}), by_id, share=SURNAME_SHARE)
            how = "surname"
        if target is None:
            target, how = corpus_entity(("PERS", (word,)), unit.type), "name"
        target.members.append(unit)
        link[unit.doc, unit.entity] = target.id
        evidence[unit.doc, unit.entity] = how


def _dominant(counts: Counter, by_id: dict[int, CorpusEntity], share: float = DOMINANCE) -> CorpusEntity | None:
    if not counts:
        return None
    (best, mass), *rest = counts.most_common(2)
    if mass >= MIN_EVIDENCE and mass >= share * sum(counts.values()) and (not rest or mass >= RUNNER_UP * rest[0][1]):
        return by_id[best]
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
        for name in {_spaced(unit.canonical), *(_spaced(m) for m in unit.mentions)}:
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
        for role in {role_of(t) for t in unit.titles} - {""}:
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
