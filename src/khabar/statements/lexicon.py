"""The attribution lexicon (``resources/attribution.toml``) compiled for look-up.

Every entry is normalised (``normalize_arabic``) and split into words, so phrases are
matched as token sequences."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from khabar.normalize import match_words, normalize_arabic

Phrase = tuple[str, ...]

# Conjunctions (and the ل of purpose) that may stick to a cue: وقال، فقال، ولفت، لتؤكد.
_CLITICS = ("ول", "فل", "و", "ف", "ل")


@dataclass(frozen=True, slots=True)
class Cue:
    lemma: str
    act: str
    gender: str  # "m", "f" or "p"
    kind: str  # "past", "present", "participle", "masdar", "form"
    openers: tuple[Phrase, ...]
    takes_object: bool
    only_openers: bool = False  # no quotation or colon opens its content either (عبر is also "via")
    addressee: bool = False  # the verb's object is whom it was told to (أبلغ مسؤول رويترز أن ...)


def _with_article(words) -> frozenset[str]:
    """Each noun with and without the article: a title is written both ways (مستشار، المستشار)."""
    out = set()
    for word in words:
        out.add(word)
        if len(word) > 3:  # not أحد -> الأحد (Sunday)
            out.add(word[2:] if word.startswith("ال") else "ال" + word)
    return frozenset(out)


def _norm(word: str) -> str:
    return normalize_arabic(word).replace(" ", "")


def _phrase(text: str) -> Phrase:
    return tuple(match_words(text))


def _past_forms(form: str) -> list[tuple[str, str]]:
    stem = form[:-1] if form[-1] in "يا" else form
    return [(form, "m"), (stem + "ت", "f"), (stem + "وا", "p")]


def _present_forms(form: str) -> list[tuple[str, str]]:
    forms = [(form, "m"), ("ت" + form[1:], "f")]
    if form[-1] not in "يوا":
        forms.append((form + "ون", "p"))
    return forms


def _participle_forms(form: str) -> list[tuple[str, str]]:
    stem = form[:-1] if form.endswith("ا") else form
    return [(stem + "ا", "m"), (stem + "ه", "f"), (stem + "ين", "p"), (stem + "ون", "p")]


def _masdar_forms(form: str) -> list[tuple[str, str]]:
    return [(form + "ه", "m"), (form + "ها", "f"), (form + "هم", "p"), (form + "هما", "p")]


_DERIVE = {"past": _past_forms, "present": _present_forms, "participle": _participle_forms,
           "masdar": _masdar_forms}


@dataclass(frozen=True, slots=True)
class Lexicon:
    cues: dict[str, Cue]
    exclude: frozenset[str]
    default_openers: tuple[Phrase, ...]
    report_verbs: frozenset[str]
    according_to: tuple[Phrase, ...]
    statement_nouns: frozenset[str]
    media_nouns: frozenset[str]
    media_names: tuple[Phrase, ...]
    medium_prepositions: tuple[Phrase, ...]
    medium_nouns: tuple[Phrase, ...]
    medium_aliases: dict[Phrase, str]
    honorifics: frozenset[str]
    role_nouns: frozenset[str]
    anonymous: frozenset[str]
    document: frozenset[str]
    organization: frozenset[str]
    discourse: tuple[Phrase, ...]
    time_words: frozenset[str]
    # answers of cue(), by word: a text asks about the same words again and again
    _cue_memo: dict[str, Cue | None] = field(default_factory=dict, compare=False, repr=False)

    def cue(self, word: str) -> Cue | None:
        """The cue a normalised word is, with a clitic conjunction stripped if need be."""
        try:
            return self._cue_memo[word]
        except KeyError:
            pass
        found = self._find_cue(word)
        if len(self._cue_memo) < 200_000:
            self._cue_memo[word] = found
        return found

    def _find_cue(self, word: str) -> Cue | None:
        if word in self.exclude:
            return None
        found = self.cues.get(word)
        if found is not None:
            return found
        for clitic in _CLITICS:
            if word.startswith(clitic) and len(word) - len(clitic) >= 2:
                rest = word[len(clitic):]
                found = self.cues.get(rest)
                if found is not None and rest not in self.exclude:
                    if clitic.endswith("ل") and found.kind not in ("present", "form"):
                        continue  # ل attaches only to present forms (لتؤكد)
                    return found
        if word.startswith("ب") and len(word) > 4:  # بقوله: ب attaches only to verbal nouns
            found = self.cues.get(word[1:])
            if found is not None and found.kind == "masdar":
                return found
        return None


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    text = resources.files("khabar.resources").joinpath("attribution.toml").read_text("utf-8")
    data = tomllib.loads(text)
    default_openers = tuple(_phrase(o) for o in data["default_openers"])
    cues: dict[str, Cue] = {}
    for entry in data["cue"]:
        own = tuple(_phrase(o) for o in entry.get("openers", []))
        only = bool(entry.get("only_openers"))
        openers = own if only else default_openers + own
        takes_object = bool(entry.get("object", False))
        addressee = bool(entry.get("addressee", False))
        lemma = entry.get("past", entry.get("forms", ["?"]))[0].split(":")[0]
        for kind, derive in _DERIVE.items():
            for base in entry.get(kind, []):
                for form, gender in derive(_norm(base)):
                    cues.setdefault(form, Cue(lemma, entry["act"], gender, kind, openers, takes_object, only, addressee))
        for written in entry.get("forms", []):
            form, _, gender = written.partition(":")
            cues[_norm(form)] = Cue(lemma, entry["act"], gender or "m", "form", openers, takes_object, only, addressee)
    relay, medium, speaker = data["relay"], data["medium"], data["speaker"]
    return Lexicon(
        cues=cues,
        exclude=frozenset(_norm(w) for w in data.get("exclude", [])),
        default_openers=default_openers,
        report_verbs=frozenset(_norm(w) for w in relay["report_verbs"]),
        according_to=tuple(_phrase(p) for p in relay["according_to"]),
        statement_nouns=frozenset(_norm(w) for w in relay["statement_nouns"]),
        media_nouns=frozenset(_norm(w) for w in relay["media_nouns"]),
        media_names=tuple(_phrase(p) for p in relay["media_names"]),
        medium_prepositions=tuple(_phrase(p) for p in medium["prepositions"]),
        medium_nouns=tuple(sorted((_phrase(p) for p in medium["nouns"]), key=len, reverse=True)),
        medium_aliases={_phrase(k): v for k, v in medium.get("aliases", {}).items()},
        honorifics=frozenset(_norm(w) for w in speaker["honorifics"]),
        role_nouns=_with_article(_norm(w) for w in speaker["role_nouns"] if " " not in w),
        anonymous=frozenset(_norm(w) for w in speaker["anonymous"]),
        document=frozenset(_norm(w) for w in speaker["document"]),
        organization=frozenset(_norm(w) for w in speaker["organization"]),
        discourse=tuple(sorted((_phrase(p) for p in speaker["discourse"]), key=len, reverse=True)),
        time_words=frozenset(_norm(w) for w in data["time"]["words"]),
    )
