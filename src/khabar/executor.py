"""Executors run a pipeline over a stream of items, in this process or in a pool of worker
processes. Stages cannot tell which. Output order always follows input order."""

from __future__ import annotations

import multiprocessing
import os
from typing import Iterable, Iterator

from khabar.pipeline import Item, Pipeline

_worker_pipeline: Pipeline | None = None


def _init_worker(pipeline: Pipeline) -> None:
    global _worker_pipeline
    _worker_pipeline = pipeline
    # A worker is one core's worth of work: BLAS threads of its own (the NER network's matrix
    # products) would fight the other workers for the cores. Read when NumPy is first imported.
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")


def _apply_in_worker(item: Item) -> Item:
    return _worker_pipeline.apply(item)


class LocalExecutor:
    """``workers=1`` runs in this process; more use a process pool (``0`` means all cores)."""

    def __init__(self, workers: int = 1, *, chunksize: int = 16):
        self.workers = workers if workers > 0 else (os.cpu_count() or 1)
        self.chunksize = chunksize

    def run(self, pipeline: Pipeline, items: Iterable[Item]) -> Iterator[Item]:
        if self.workers == 1:
            yield from pipeline.run(items)
            return
        context = multiprocessing.get_context("spawn" if os.name == "nt" else "fork")
        with context.Pool(self.workers, initializer=_init_worker, initargs=(pipeline,)) as pool:
            yield from pool.imap(_apply_in_worker, items, chunksize=self.chunksize)
