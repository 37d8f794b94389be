"""Entities: named-entity mentions (PERS, ORG, LOC, MISC) merged into one entity each, and
places resolved to gazetteer points."""

from __future__ import annotations

import re

from khabar.data import BODY, LAYER_SERIALISERS, Document, Span
from khabar.entities.features import strip_proclitics
from khabar.entities.mentions import bio_spans, merge_mentions, sentences, strip_name_clitic, tokenize
from khabar.entities.places import MAJOR_CITY, display_name, load_gazetteer, resolve_places, without_clitic
from khabar.entities.rules import refine
from khabar.normalize import normalize_arabic
from khabar.pipeline import Stage

__all__ = ["NER_LAYERS", "Recognize", "Geocode"]


NER_LAYERS = ("network", "crf")


class Recognize(Stage):
    """Adds the ``entities`` layer: one span per mention, with ``canonical`` and ``entity`` id.

    ``layers="crf"`` tags with the model's CRF layer alone: NER about 3 times faster for 1.3
    (with label consistency) to 4.1 (without) points of F1 on the ANERcorp test split, for
    corpora where throughput matters more."""

    name = "ner"
    requires = ("blocks",)
    assigns = ("entities",)

    def __init__(self, layers: str = "network") -> None:
        if layers not in NER_LAYERS:
            from khabar.errors import KhabarError

            raise KhabarError(f"unknown NER layers {layers!r}; choose from {', '.join(NER_LAYERS)}")
        self.layers = layers
        self._model = None

    def __getstate__(self):
        # the model is loaded again in each worker rather than pickled
        return {"layers": self.layers}

    def __setstate__(self, state):
        self.layers = state.get("layers", "network")
        self._model = None

    def _known_rank(self):
        ranks = self._model.rank
        unknown = len(ranks) + 1

        def rank(word: str) -> int:
            return ranks.get(word, unknown)

        return rank, unknown

    def _load(self):
        if self._model is None:
            from khabar.entities.model import load_model

            self._model = load_model()
        return self._model

    def __call__(self, document: Document) -> Document:
        return self.process_batch([document])[0]

    def process_batch(self, documents: list[Document]) -> list[Document]:
        model = self._load()
        groups = []
        for document in documents:
            blocks = [tokenize(document.raw[block.start:block.end], block.start) for block in document.blocks(BODY)]
            groups.append((blocks, sentences([t for block in blocks for t in block])))
        texts = [[[t.text for t in group] for group in document_groups] for _, document_groups in groups]
        if self.layers == "crf":
            tagged = [model.crf_tag(text) for text in texts]
        else:
            tagged = model.tag_texts(texts)
        for document, (blocks, document_groups), document_tags in zip(documents, groups, tagged):
            self._add_mentions(document, blocks, document_groups, document_tags)
        return documents

    def _add_mentions(self, document: Document, blocks, groups, tagged) -> None:
        rank, unknown = self._known_rank()
        mentions: list[Span] = []
        for group, tags in zip(groups, tagged):
            for first, last, label in bio_spans(tags):
                start, end = group[first].start, group[last - 1].end
                text = document.raw[start:end]
                first_word = normalize_arabic(group[first].text)

                def known(word: str) -> bool:
                    # a clitic-free form counts as known when it is more frequent than the written one
                    return rank(word) < unknown and rank(word) < rank(first_word)

                cut = strip_name_clitic(text, known)
                attrs = {}
                if cut == 1 and first_word.startswith("لل"):
                    attrs["restore_article"] = True
                if start + cut < end:
                    mentions.append(Span(start + cut, end, label, attrs))
        mentions = refine(blocks, mentions, document.raw, load_gazetteer(), self._model.surnames)
        merge_mentions(mentions, document.raw)
        document.layers["entities"] = sorted(mentions, key=lambda m: m.start)


# A word that names a kind of place, not a place: alone (حالة البحر، في المدينة) it is no name,
# even where the recogniser took it for one or merged it into a longer name (البحر الأحمر).
_GENERIC_PLACE_NOUNS = {"بحر", "خليج", "نهر", "جبل", "محيط", "مدينه", "منطقه", "محافظه", "قريه", "بلده", "حي",
                        "عاصمه", "ولايه", "دوله", "بلاد", "جزيره", "صحراء", "وادي", "ميناء", "مطار", "شارع",
                        "سوق", "قصر", "راس", "شرق", "غرب", "شمال", "جنوب", "وسط", "سان", "كورنيش", "مرفا", "مقر"}


def _generic_place_noun(text: str) -> bool:
    words = normalize_arabic(text).split()
    if len(words) != 1:
        return False
    _, stem = strip_proclitics(words[0])
    return stem in _GENERIC_PLACE_NOUNS or words[0] in _GENERIC_PLACE_NOUNS


# Institutions, events and facilities named after a place: in "جامعة تبوك", "مهرجان صيف عنيزة",
# "منتخب ألمانيا", "بلدية القطيف" the place is part of another thing's name, not where anything is
# (while "الكلية الجامعية بحقل", with its preposition, says where the college is).
_NAMED_AFTER_A_PLACE = {"جامعه", "امانه", "تعليم", "غرفه", "بلديه", "حكومه", "برلمان", "سفاره", "سفارتي", "هيئه",
                        "منتخب", "نادي", "مهرجان", "صيف", "فندق", "سوق", "مطار", "شرطه", "اماره", "مستشفي",
                        "محكمه", "ملعب", "استاد", "صحه", "جمعيه", "بنك", "مصرف", "بورصه", "قناه", "اذاعه", "صحيفه"}
_WORD_BEFORE = re.compile(r"(\w+)[\s\u0640]+$")


def _named_after_place(raw: str, mention: Span) -> bool:
    """The place is the genitive of an institution, event or facility noun right before it."""
    if mention.start and raw[mention.start - 1].isalpha():
        return False  # a clitic on the name itself: بحقل، للكويت
    before = _WORD_BEFORE.search(raw[max(0, mention.start - 30):mention.start])
    if before is None:
        return False
    word = normalize_arabic(before.group(1))
    _, stem = strip_proclitics(word)
    return word in _NAMED_AFTER_A_PLACE or stem in _NAMED_AFTER_A_PLACE


class Geocode(Stage):
    """Adds the ``places`` layer: each place entity resolved to a gazetteer point, using the
    document's other places and countries to choose between candidates. One span per place, at
    its first mention; ``spans`` lists every mention."""

    name = "geocode"
    requires = ("entities",)
    assigns = ("places",)

    def __call__(self, document: Document) -> Document:
        gazetteer = load_gazetteer()
        places_by_entity: dict[str, Span] = {}
        spans_by_entity: dict[str, list[list[int]]] = {}
        for mention in document.layers.get("entities", []):
            if mention.label == "LOC" and not _generic_place_noun(document.raw[mention.start:mention.end]) \
                    and not _named_after_place(document.raw, mention):
                places_by_entity.setdefault(mention.attrs["entity"], mention)
                spans_by_entity.setdefault(mention.attrs["entity"], []).append([mention.start, mention.end])
        names = {entity: display_name(span.attrs["canonical"]) for entity, span in places_by_entity.items()}
        resolved = resolve_places(list(dict.fromkeys(names.values())), gazetteer)
        clitics = {name: next((c for p, c in gazetteer.readings(name) if p == place), "")
                   for name, place in resolved.items()}
        layer = []
        for entity, span in places_by_entity.items():
            place = resolved.get(names[entity])
            clitic = clitics.get(names[entity], "")
            if place is not None and clitic and place.kind == "city" and place.population < MAJOR_CITY \
                    and not any(other.country == place.country for name, other in resolved.items()
                                if name != names[entity]):
                # "قدماء اليونان والرومان": read off a clitic, a small town of a country the
                # document names nowhere else is an ordinary word the tagger took (not a Romanian town)
                continue
            if place is not None:
                attrs = {**place.to_json(), "matched": place.name, "entity": entity,
                         "name": without_clitic(names[entity], clitic),
                         "spans": spans_by_entity[entity]}
                layer.append(Span(span.start, span.end, "place", attrs))
        document.layers["places"] = layer
        return document


def entity_records(document: Document) -> list[dict]:
    """One record per distinct mention text: ``{text, type, canonical, entity, spans}``."""
    records: dict[tuple[str, str], dict] = {}
    for mention in document.layers.get("entities", []):
        text = document.raw[mention.start:mention.end]
        record = records.setdefault((text, mention.label), {
            "text": text, "type": mention.label, "canonical": mention.attrs.get("canonical", text),
            "entity": mention.attrs.get("entity"), "spans": []})
        record["spans"].append([mention.start, mention.end])
    return list(records.values())


def place_records(document: Document) -> list[dict]:
    out = []
    for span in document.layers.get("places", []):
        record = {k: v for k, v in span.attrs.items() if k != "name"}
        record = {"name": span.attrs["name"], **record, "start": span.start, "end": span.end}
        out.append(record)
    return out


LAYER_SERIALISERS["entities"] = entity_records
LAYER_SERIALISERS["places"] = place_records
