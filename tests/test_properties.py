"""Property-based tests: input built to break the reader, the normaliser, the cleaner, the
entity and statement stages. Whatever comes in, no exception escapes, every span lies inside
``raw`` and names the text it covers, normalisation offsets map back in order, and a record
survives a JSON round trip. A bounded run here; ``-m slow`` runs the long one."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import khabar
from khabar.data import Document
from khabar.normalize import normalize_arabic, normalize_with_offsets

# The pieces hostile text is made of: Arabic words that trigger the stages (cues, openers,
# relays, places, titles), and the characters that break naive code.
WORDS = ["قال", "وقال", "إن", "أن", "الوزير", "وزير الخارجية", "بحسب", "وفقا لـ", "نقلت", "عن", "قوله", "الرياض",
         "في", "«", "»", "\"", ":", "،", ".", "محمد", "عبدالله", "السعودية", "مصدر", "أكد", "نفى", "مشيرا إلى أن",
         "#مجلس_الأمن", "لـCNN", "سماحته"]
ODD_CHARACTERS = [
    "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2069",  # bidi controls
    "\u200c", "\u200d", "\ufeff",  # zero-width (non-)joiners, BOM
    "\u0640" * 5,  # a tatweel run
    "\u064b\u064c\u0651",  # diacritics with no letter
    "\ufefb", "\ufe8d", "\ufef7",  # presentation forms
    "\x00", "\t", "\r", "\n", "\n\n", " " * 3, "\xa0",
    "ی", "ک", "ھ",  # Persian-keyboard letters
]
pieces = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(ODD_CHARACTERS),
    st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF), min_size=1, max_size=8),
    st.text(min_size=1, max_size=6),  # anything at all, other scripts and symbols included
    st.just("ا" * 3000),  # a long run without a space
)
hostile_text = st.lists(pieces, min_size=0, max_size=40).map(lambda parts: " ".join(parts))

BOUNDED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LONG = settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_document(document: Document) -> None:
    raw = document.raw
    for name, layer in document.layers.items():
        for span in layer:
            if hasattr(span, "start") and hasattr(span, "end"):
                assert 0 <= span.start <= span.end <= len(raw), (name, span)
    record = document.to_json()
    text = json.dumps(record, ensure_ascii=False)
    assert json.loads(text) == record  # no NaN, nothing json cannot carry
    text.encode("utf-8")  # no lone surrogate: the record can be written to a file
    for entity in record.get("entities", []):
        for start, end in entity["spans"]:
            assert raw[start:end] == entity["text"]
    for place in record.get("places", []):
        for start, end in place["spans"]:
            assert 0 <= start < end <= len(raw)
    for quote in record.get("quotes", []):
        assert quote["content"] in raw or normalize_arabic(quote["content"]) in normalize_arabic(raw)


def _normalisation_holds(text: str) -> None:
    out, offsets = normalize_with_offsets(text)
    assert len(offsets) == len(out) + 1 and offsets[-1] == len(text)
    assert offsets == sorted(offsets)  # back to the original in order
    assert out == normalize_arabic(text)
    for i, ch in enumerate(out):  # each character comes from the one it points to
        assert ch in normalize_arabic(text[offsets[i]]) or normalize_arabic(text[offsets[i]]) == ""


@BOUNDED
@given(hostile_text)
def test_properties_normalisation_offsets_map_back_in_order(text):
    _normalisation_holds(text)


@BOUNDED
@given(hostile_text)
def test_properties_the_whole_pipeline_takes_anything(text):
    _check_document(khabar.process(text, id="fuzz"))


@BOUNDED
@given(st.binary(max_size=600), st.sampled_from(["txt", "jsonl", "html"]))
def test_properties_the_reader_takes_any_bytes(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"input.{suffix}"
    path.write_bytes(data)
    for item in khabar.process_paths([str(path)], pipeline=khabar.default_pipeline(["clean"])):
        if isinstance(item, Document):
            _check_document(item)


@BOUNDED
@given(st.lists(st.one_of(hostile_text, st.sampled_from(["\\ud800", "\\udfff", "\\u0000", "\\\\"])), max_size=4))
def test_properties_jsonl_with_escapes_and_lone_surrogates(tmp_path_factory, texts):
    path = tmp_path_factory.mktemp("fuzz") / "input.jsonl"
    lines = []
    for i, text in enumerate(texts):
        body = json.dumps(text, ensure_ascii=True)[1:-1].replace("\\\\u", "\\u")  # let escapes through raw
        lines.append('{"id": "d%d", "text": "%s"}' % (i, body))
    path.write_text("\n".join(lines), encoding="utf-8")
    for item in khabar.process_paths([str(path)]):
        if isinstance(item, Document):
            _check_document(item)


@pytest.mark.slow
@LONG
@given(hostile_text)
def test_properties_long_run_of_the_whole_pipeline(text):
    _check_document(khabar.process(text, id="fuzz"))


@given(st.text(min_size=1, max_size=40).map(lambda t: "\ud800" + t + "\udfff قال الوزير إن الاجتماع ناجح."))
@BOUNDED
def test_properties_lone_surrogates_given_to_the_api(text):
    document = khabar.process(text, id="fuzz")
    assert any("surrogate" in w for w in document.warnings)
    _check_document(document)
