"""Statements: every attributed statement with speaker, role, cue, act, content and relays."""

from __future__ import annotations

from khabar.data import LAYER_SERIALISERS, Document, Span
from khabar.pipeline import Stage
from khabar.statements.extract import Statement, StatementExtractor

__all__ = ["Attribute", "StatementExtractor", "quote_records"]


def _to_span(document: Document, statement: Statement) -> Span:
    start, end = statement.content_chars
    attrs = {
        "speaker": statement.speaker,
        "speaker_mention": statement.speaker_mention,
        "speaker_type": statement.speaker_type,
        "role": statement.role,
        "cue": statement.cue_text,
        "act": statement.act,
        "type": statement.type,
        "via": statement.via,
        "medium": statement.medium,
        "cue_start": statement.cue_chars[0],
        "cue_end": statement.cue_chars[1],
        "speaker_start": statement.mention_chars[0] if statement.mention_chars else None,
        "speaker_end": statement.mention_chars[1] if statement.mention_chars else None,
        "resolved_entity": statement.resolved_entity,
    }
    return Span(start, end, "quote", attrs)


class Attribute(Stage):
    """Adds the ``quotes`` layer: one span per statement (its content), attributes per
    ``../shared/docs/ATTRIBUTION.md``."""

    name = "attribution"
    requires = ("blocks",)
    assigns = ("quotes",)

    def __init__(self) -> None:
        self._extractor: StatementExtractor | None = None  # built lazily, once per process

    def __getstate__(self):
        return {}

    def __setstate__(self, state):
        self._extractor = None

    def __call__(self, document: Document) -> Document:
        if self._extractor is None:
            self._extractor = StatementExtractor()
        statements = self._extractor.extract(document)
        document.layers["quotes"] = [_to_span(document, s) for s in statements]
        return document


def quote_records(document: Document) -> list[dict]:
    records = []
    entities = {(e.start, e.end): e for e in document.layers.get("entities", [])}
    for span in document.layers.get("quotes", []):
        record = dict(span.attrs)
        record["content"] = document.raw[span.start:span.end]
        record["content_start"], record["content_end"] = span.start, span.end
        # the entity the speaker was resolved to, else the one its mention names
        mention = entities.get((record.get("speaker_start"), record.get("speaker_end")))
        resolved = record.pop("resolved_entity", None)
        record["speaker_entity"] = resolved or (mention.attrs.get("entity") if mention is not None else None)
        records.append(record)
    return records


LAYER_SERIALISERS["quotes"] = quote_records
