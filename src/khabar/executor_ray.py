"""The pipeline on a Ray cluster (``pip install 'khabar[ray]'``), for corpora beyond one machine.

The same contract as :class:`khabar.executor.LocalExecutor`: items in, the same records out, in
input order, in the same batches (so the NER network sees the same sentences together). Each
worker is a Ray actor holding the pipeline, so a model loads once per worker, not per batch;
batches are handed to the actors a bounded number ahead of the one being consumed, so memory
stays bounded on any input. An actor that dies (its node lost, killed, out of memory) is
restarted by Ray and its batch run again; a document that makes a stage fail is a coded failure,
as locally.

    RayExecutor(workers=2)                     # a local Ray on this machine, two workers
    RayExecutor(address="auto")                # the cluster this machine belongs to
    RayExecutor(address="ray://head:10001")    # a remote cluster, through Ray Client
"""

from __future__ import annotations

import logging
import os
from typing import Iterable, Iterator

from khabar.errors import KhabarError
from khabar.executor import AHEAD_PER_WORKER, BATCH, batches
from khabar.pipeline import Item, Pipeline

# What every worker process is given: one BLAS thread (khabar/__init__.py says why) unless the
# user's own environment says otherwise.
_WORKER_ENVIRONMENT = {name: os.environ.get(name, "1")
                       for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}


class _PipelineWorker:
    """One Ray actor: the pipeline, unpickled once; each call runs one batch."""

    def __init__(self, pipeline: Pipeline):
        self.pipeline = pipeline

    def apply_batch(self, batch: list[Item]) -> list[Item]:
        return self.pipeline.apply_batch(batch)


def _ray():
    try:
        import ray
    except ImportError:
        raise KhabarError("--executor ray needs Ray: pip install 'khabar[ray]'", exit_code=2) from None
    return ray


class RayExecutor:
    """``workers`` actors of one CPU each (``0``: one per CPU the cluster has, less one left for
    the driver's reading and writing on a single machine). ``address``: ``None`` starts a local
    Ray for this run and stops it after; ``"auto"`` or ``"ray://HOST:PORT"`` joins a running
    cluster and leaves it running."""

    # An ingest into a server the workers reach (PostgreSQL) lets them store their batches
    # themselves (corpus.StoreDocuments) instead of sending the records back to the driver.
    workers_write = True

    def __init__(self, workers: int = 0, *, address: str | None = None, batch_size: int = BATCH):
        self.workers = workers
        self.address = address
        self.batch_size = batch_size

    def run(self, pipeline: Pipeline, items: Iterable[Item]) -> Iterator[Item]:
        ray = _ray()
        started_here = False
        if not ray.is_initialized():
            try:
                if self.address:
                    ray.init(address=self.address, logging_level=logging.WARNING, log_to_driver=False,
                             runtime_env={"env_vars": _WORKER_ENVIRONMENT})
                else:
                    ray.init(num_cpus=max(self.workers, os.cpu_count() or 1), include_dashboard=False,
                             logging_level=logging.WARNING, log_to_driver=False,
                             runtime_env={"env_vars": _WORKER_ENVIRONMENT})
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise KhabarError(f"cannot start or reach Ray at {self.address or 'this machine'}: "
                                  f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
                                  exit_code=1) from None
            started_here = True
        try:
            yield from self._run(ray, pipeline, items)
        finally:
            if started_here:
                ray.shutdown()

    def _worker_count(self, ray) -> int:
        cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        if self.workers > 0:
            return min(self.workers, cpus)  # (an actor more than the CPUs would wait forever)
        return max(1, cpus - 1 if self.address is None else cpus)

    def _run(self, ray, pipeline: Pipeline, items: Iterable[Item]) -> Iterator[Item]:
        from ray.util import ActorPool

        count = self._worker_count(ray)
        # restarted when it dies, and the batch it held retried on the new one
        worker = ray.remote(num_cpus=1, max_restarts=3, max_task_retries=3)(_PipelineWorker)
        shared = ray.put(pipeline)
        actors = [worker.remote(shared) for _ in range(count)]
        pool = ActorPool(actors)
        waiting = 0
        try:
            for batch in batches(items, self.batch_size):
                pool.submit(lambda actor, b: actor.apply_batch.remote(b), batch)
                waiting += 1
                if waiting > count * AHEAD_PER_WORKER:
                    yield from self._next(ray, pool)
                    waiting -= 1
            while waiting:
                yield from self._next(ray, pool)
                waiting -= 1
        finally:
            for actor in actors:  # on an early stop too: no batch left running on the cluster
                ray.kill(actor)

    @staticmethod
    def _next(ray, pool) -> list[Item]:
        try:
            return pool.get_next()  # in submission order: input order
        except ray.exceptions.RayActorError as exc:
            raise KhabarError(f"a Ray worker died and could not be restarted ({type(exc).__name__}); run again: "
                              "documents stored already are kept", exit_code=1) from exc
