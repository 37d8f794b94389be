"""The one data model every stage passes along.

A :class:`Document` owns the original text (``raw``), never modified, and named layers of
:class:`Span` objects whose offsets point into ``raw``. Stages add layers; the JSON record
(:meth:`Document.to_json`) is derived from them, so there is a single source of truth.
The record layout is described in ``docs/schema.md`` and versioned by ``SCHEMA_VERSION``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1

# Block roles of the "blocks" layer.
BODY = "body"
TITLE = "title"
OUTLET = "outlet"
TEASER = "teaser"
BOILERPLATE = "boilerplate"


@dataclass(slots=True)
class Span:
    """A labelled stretch ``raw[start:end]`` of a document, with typed attributes."""

    start: int
    end: int
    label: str
    attrs: dict[str, Any] = field(default_factory=dict)

    def text(self, raw: str) -> str:
        return raw[self.start:self.end]


@dataclass(slots=True)
class Document:
    """One news document and everything the pipeline learned about it.

    ``metadata`` holds what the reader knew before any analysis: ``title``, ``outlet``,
    ``url``, ``date``, ``author``, ``encoding``, ``source_line``. ``layers`` holds spans
    added by stages (``blocks`` by cleaning; later ``entities``, ``quotes`` ...).
    """

    id: str
    raw: str
    source_path: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    layers: dict[str, list[Span]] = field(default_factory=dict)
    attributes: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    # ----- views derived from the layers -------------------------------------------------
    def blocks(self, role: str | None = None) -> list[Span]:
        blocks = self.layers.get("blocks", [])
        return [b for b in blocks if role is None or b.label == role]

    def span_text(self, span: Span) -> str:
        return self.raw[span.start:span.end]

    @property
    def body(self) -> list[str]:
        return [self.span_text(b) for b in self.blocks(BODY)]

    @property
    def text(self) -> str:
        """The clean body, paragraphs joined by a blank line."""
        return "\n\n".join(self.body)

    @property
    def title(self) -> str | None:
        if self.metadata.get("title"):
            return self.metadata["title"]
        found = self.blocks(TITLE)
        return self.span_text(found[0]) if found else None

    @property
    def outlet(self) -> str | None:
        if self.metadata.get("outlet"):
            return self.metadata["outlet"]
        found = self.blocks(OUTLET)
        return self.span_text(found[0]) if found else None

    @property
    def teaser(self) -> str | None:
        found = self.blocks(TEASER)
        return self.span_text(found[0]) if found else self.metadata.get("teaser")

    @property
    def boilerplate(self) -> list[dict[str, Any]]:
        """Every removed stretch of text, in reading order, with the reason it was removed."""
        return [
            {"text": self.span_text(b), "kind": b.attrs["kind"], "start": b.start, "end": b.end}
            for b in self.blocks()
            if b.label != BODY
        ]

    @property
    def language(self) -> str | None:
        return self.attributes.get("language")

    # ----- serialisation -----------------------------------------------------------------
    def to_json(self, *, include_raw: bool = True) -> dict[str, Any]:
        record: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "id": self.id,
            "source_path": self.source_path,
            "source_line": self.metadata.get("source_line"),
            "encoding": self.metadata.get("encoding"),
            "url": self.metadata.get("url"),
            "date": self.metadata.get("date"),
            "author": self.metadata.get("author"),
            "outlet": self.outlet,
            "outlet_id": self.metadata.get("outlet_id"),
            "title": self.title,
            "body": self.body,
            "text": self.text,
            "teaser": self.teaser,
            "boilerplate": self.boilerplate,
            "language": self.language,
            "blocks": [
                {"start": b.start, "end": b.end, "role": b.label, **b.attrs} for b in self.blocks()
            ],
            "warnings": list(self.warnings),
        }
        for name, serialise in LAYER_SERIALISERS.items():
            if name in self.layers or name in self.attributes:
                record[name] = serialise(self)
        if include_raw:
            record["raw"] = self.raw
        return record


# Later stages register how their layer appears in the JSON record (name -> function).
LAYER_SERIALISERS: dict[str, Any] = {}
