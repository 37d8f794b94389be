"""Cleaning: structure recovery, boilerplate with reasons, language per block."""

from __future__ import annotations

from khabar.cleaning.language import identify_language
from khabar.cleaning.structure import recover_structure
from khabar.data import Document
from khabar.pipeline import Stage

__all__ = ["Clean", "identify_language", "recover_structure"]


class Clean(Stage):
    """Adds the ``blocks`` layer (body, title, outlet, teaser, boilerplate) and the language."""

    name = "clean"
    assigns = ("blocks", "language")

    def __call__(self, document: Document) -> Document:
        document.layers["blocks"] = recover_structure(document)
        if not document.body:
            document.warnings.append("no body text left after cleaning")
        return document
