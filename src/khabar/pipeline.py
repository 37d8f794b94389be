"""Stages and the pipeline that chains them.

A stage maps a :class:`Document` to the same document with its layers added. It declares
what it ``requires`` and ``assigns``; :class:`Pipeline` checks the order when it is built.
Stages must pickle (they travel to worker processes): no lambdas, and no models loaded in
``__init__`` (load lazily, once per process).
"""

from __future__ import annotations

import logging
import traceback
from typing import Sequence

from khabar.data import Document
from khabar.errors import KhabarError, Problem, ReadFailure

log = logging.getLogger(__name__)

Item = Document | ReadFailure


class Stage:
    name: str = "stage"
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()

    def __call__(self, document: Document) -> Document:  # pragma: no cover - interface
        raise NotImplementedError

    def process_batch(self, documents: list[Document]) -> list[Document]:
        """Several documents at once; a stage that gains from it (a network's matrix products
        over all their sentences) overrides this, with the same result as one by one."""
        return [self(document) for document in documents]


class Pipeline:
    def __init__(self, stages: Sequence[Stage]):
        available: set[str] = set()
        for stage in stages:
            missing = [layer for layer in stage.requires if layer not in available]
            if missing:
                raise KhabarError(f"stage {stage.name!r} requires {missing}, which no earlier "
                                  "stage assigns; put the stage that makes them first")
            available.update(stage.assigns)
        self.stages = tuple(stages)

    @property
    def names(self) -> list[str]:
        return [stage.name for stage in self.stages]

    def __call__(self, document: Document, first: int = 0) -> Document:
        """Run the stages (from the ``first``) on one document; exceptions propagate."""
        for stage in self.stages[first:]:
            document = stage(document)
        return document

    def apply(self, item: Item) -> Item:
        """Run one item; a failure passes through, and a stage crash on one document becomes
        a coded failure for that document instead of stopping the run."""
        if isinstance(item, ReadFailure):
            return item
        return self._apply_from(item, 0)

    def _apply_from(self, document: Document, first: int) -> Item:
        try:
            return self(document, first)
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop a corpus run
            log.debug("pipeline failed on %s\n%s", document.id, traceback.format_exc())
            return ReadFailure(Problem.PIPELINE, document.source_path or document.id,
                               f"document {document.id!r}: processing failed ({type(exc).__name__}: {exc})",
                               document.metadata.get("source_line"))

    def apply_batch(self, items: Sequence[Item]) -> list[Item]:
        """Run a batch through each stage's :meth:`Stage.process_batch`. Where a stage fails on
        the batch, its documents go through the rest one by one, so that only the document at
        fault becomes a failure."""
        out = list(items)
        where = [i for i, item in enumerate(out) if isinstance(item, Document)]
        documents = [out[i] for i in where]
        for position, stage in enumerate(self.stages):
            try:
                documents = stage.process_batch(documents)
            except Exception:  # noqa: BLE001 - found again, and reported, document by document
                documents = [self._apply_from(document, position) for document in documents]
                break
        for i, document in zip(where, documents):
            out[i] = document
        return out

