"""The same input gives the same bytes: whatever the BLAS threads, whatever the workers."""

import os
import subprocess
import sys

from tests.conftest import SHARED

SAMPLE = SHARED / "data" / "quotes-dev2" / "docs.jsonl"
BLAS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def run(tmp_path, name, *extra, **env_changes):
    env = {k: v for k, v in os.environ.items() if k not in BLAS}  # as a user's shell would have it
    env.update(env_changes)
    out = tmp_path / f"{name}.jsonl"
    subprocess.run([sys.executable, "-m", "khabar.cli", "process", str(SAMPLE), "-o", str(out), *extra],
                   env=env, check=True, capture_output=True)
    return out.read_bytes()


def test_records_are_byte_identical_across_blas_threads_and_workers(tmp_path):
    default = run(tmp_path, "default")
    assert default.count(b"\n") == 48
    assert run(tmp_path, "two-workers", "--workers", "2") == default
    assert run(tmp_path, "blas-one", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1") == default
