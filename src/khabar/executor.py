"""Executors run a pipeline over a stream of items, in this process or in a pool of worker
processes. Stages cannot tell which. Output order always follows input order.

Items travel in batches (:data:`BATCH` items, cut from the input in order): stages with a
batch method (the NER network) work on all of a batch at once, and because the cut depends on
the input alone, the records are the same whatever the number of workers."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Iterable, Iterator

from khabar.errors import KhabarError
from khabar.pipeline import Item, Pipeline

# Documents per batch: enough sentences for the network's matrix products to pay, few enough
# that a stream (``khabar process -``) answers soon.
BATCH = 16
# Batches handed to the pool ahead of the one being consumed, per worker: keeps every worker
# busy while bounding what is held in memory.
AHEAD_PER_WORKER = 2

_worker_pipeline: Pipeline | None = None


def _init_worker(pipeline: Pipeline) -> None:
    global _worker_pipeline
    _worker_pipeline = pipeline


def _apply_in_worker(batch: list[Item]) -> list[Item]:
    return _worker_pipeline.apply_batch(batch)


def batches(items: Iterable[Item], size: int = BATCH) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class LocalExecutor:
    """``workers=1`` runs in this process; more use a process pool (``0`` means all cores)."""

    def __init__(self, workers: int = 1, *, batch_size: int = BATCH):
        self.workers = workers if workers > 0 else (os.cpu_count() or 1)
        self.batch_size = batch_size

    def run(self, pipeline: Pipeline, items: Iterable[Item]) -> Iterator[Item]:
        if self.workers == 1:
            for batch in batches(items, self.batch_size):
                yield from pipeline.apply_batch(batch)
            return
        yield from self._run_in_pool(pipeline, items)

    def _run_in_pool(self, pipeline: Pipeline, items: Iterable[Item]) -> Iterator[Item]:
        # concurrent.futures rather than multiprocessing.Pool: the pool's terminate() can wait
        # forever for a worker blocked writing a large result nobody reads any more (reproduced:
        # a consumer stopping early on a full disk), while this executor's manager thread keeps
        # reading results until its workers are gone.
        context = multiprocessing.get_context("spawn" if os.name == "nt" else "fork")
        pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_init_worker,
                                   initargs=(pipeline,))
        pending: deque[Future] = deque()
        finished = False
        try:
            for batch in batches(items, self.batch_size):
                pending.append(pool.submit(_apply_in_worker, batch))
                if len(pending) > self.workers * AHEAD_PER_WORKER:
                    yield from _result(pending.popleft())
            while pending:
                yield from _result(pending.popleft())
            finished = True
        finally:
            # On an early stop (an error downstream, the consumer closing this generator) the
            # queued batches are dropped and the running ones finish in the background.
            pool.shutdown(wait=finished, cancel_futures=True)


def _result(future: Future) -> list[Item]:
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise KhabarError("a worker process died (killed, or out of memory?); run again, with fewer --workers "
                          "if memory is short", exit_code=1) from exc
