"""The executors: batches in input order, a failure confined to its document, a dead worker
reported, and an early stop that returns at once."""

import os
import subprocess
import sys
import textwrap

import pytest

from khabar.data import Document
from khabar.errors import KhabarError, Problem, ReadFailure
from khabar.executor import LocalExecutor
from khabar.pipeline import Pipeline, Stage


class Mark(Stage):
    """Records the batch sizes it saw; fails on a document whose text says so."""

    name = "mark"
    assigns = ("mark",)

    def __init__(self):
        self.batches = []

    def __call__(self, document):
        if "fail" in document.raw:
            raise ValueError("asked to fail")
        document.attributes["mark"] = os.getpid()
        return document

    def process_batch(self, documents):
        self.batches.append(len(documents))
        return [self(document) for document in documents]


class Prepare(Stage):
    name = "prepare"
    assigns = ("prepared",)

    def __call__(self, document):
        document.attributes["prepared"] = True
        return document


class Needy(Mark):
    """A later stage that needs an earlier one's layer."""

    name = "needy"
    requires = ("prepared",)


class DieInWorker(Stage):
    name = "die"

    def __call__(self, document):
        os._exit(3)  # a worker killed from outside (the OOM killer) looks the same to the pool


def documents(count, bad=()):
    return [Document(id=f"d{i}", raw="fail" if i in bad else f"text {i}") for i in range(count)]


def test_batches_follow_the_input_and_a_failure_stays_with_its_document():
    stage = Mark()
    items = documents(40, bad={7})
    items.insert(3, ReadFailure(Problem.EMPTY, "empty.txt", "empty"))
    out = list(LocalExecutor(1, batch_size=16).run(Pipeline([stage]), items))
    expected = [Problem.PIPELINE if getattr(item, "raw", "") == "fail" else getattr(item, "id", Problem.EMPTY)
                for item in items]
    assert [item.code if isinstance(item, ReadFailure) else item.id for item in out] == expected
    assert stage.batches == [15, 16, 9]  # the read failure travels in the first batch without the stage
    failures = [item for item in out if isinstance(item, ReadFailure)]
    assert [f.code for f in failures] == [Problem.EMPTY, Problem.PIPELINE]
    assert "d7" in failures[1].message
    assert all(item.attributes["mark"] for item in out if isinstance(item, Document))


def test_a_failure_in_a_later_stage_stays_with_its_document():
    out = list(LocalExecutor(1, batch_size=4).run(Pipeline([Prepare(), Needy()]), documents(8, bad={2})))
    assert [item.code if isinstance(item, ReadFailure) else item.id for item in out] == \
        ["d0", "d1", Problem.PIPELINE, "d3", "d4", "d5", "d6", "d7"]
    assert all(item.attributes["prepared"] and item.attributes["mark"] for item in out if isinstance(item, Document))


def test_pool_keeps_the_input_order_and_uses_the_workers():
    out = list(LocalExecutor(2, batch_size=3).run(Pipeline([Mark()]), documents(30, bad={11})))
    assert [item.id if isinstance(item, Document) else item.code for item in out] == \
        [f"d{i}" if i != 11 else Problem.PIPELINE for i in range(30)]
    assert os.getpid() not in {item.attributes["mark"] for item in out if isinstance(item, Document)}


def test_a_worker_that_dies_is_reported_not_waited_for():
    with pytest.raises(KhabarError, match="worker process died") as raised:
        list(LocalExecutor(2, batch_size=2).run(Pipeline([DieInWorker()]), documents(10)))
    assert raised.value.exit_code == 1


_EARLY_STOP = textwrap.dedent("""
    from khabar.data import Document
    from khabar.executor import LocalExecutor
    from khabar.pipeline import Pipeline, Stage

    class Large(Stage):
        name = "large"
        def __call__(self, document):
            document.attributes["padding"] = "x" * 3_000_000  # results larger than a pipe holds
            return document

    for stop in (0, 5, 13, 29):
        results = LocalExecutor(2, batch_size=4).run(
            Pipeline([Large()]), (Document(id=f"d{i}", raw="text") for i in range(400)))
        for n, _ in enumerate(results):
            if n == stop:
                break
        results.close()
    print("stopped")
""")


def test_stopping_early_returns_while_workers_are_writing_large_results():
    """multiprocessing.Pool's terminate() could wait forever here (a worker blocked writing a
    result that no one read any more); the executor must stop within seconds."""
    done = subprocess.run([sys.executable, "-c", _EARLY_STOP], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "stopped"


def _blas_threads() -> int:
    """The thread count OpenBLAS (NumPy's, loaded in this process) is using."""
    import ctypes
    import glob

    import numpy

    (library,) = glob.glob(os.path.join(os.path.dirname(numpy.__file__), "..", "numpy.libs", "libscipy_openblas*.so"))
    return ctypes.CDLL(library).scipy_openblas_get_num_threads64_()


class BlasThreads(Stage):
    name = "blas"

    def __call__(self, document):
        document.attributes["blas_threads"] = _blas_threads()
        return document


def test_one_blas_thread_in_every_worker_and_in_a_fresh_process():
    out = list(LocalExecutor(2, batch_size=1).run(Pipeline([BlasThreads()]), documents(4)))
    assert [d.attributes["blas_threads"] for d in out] == [1, 1, 1, 1]
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    fresh = subprocess.run([sys.executable, "-c", "import khabar; from tests.test_executor import _blas_threads; "
                            "print(_blas_threads())"], capture_output=True, text=True, env=env, check=True)
    assert fresh.stdout.strip() == "1"
    # the user's choice is kept
    env["OPENBLAS_NUM_THREADS"] = "2"
    chosen = subprocess.run([sys.executable, "-c", "import khabar; from tests.test_executor import _blas_threads; "
                             "print(_blas_threads())"], capture_output=True, text=True, env=env, check=True)
    assert chosen.stdout.strip() == "2"
