"""Throughput and peak memory of `khabar process` on the SaudiNewsNet zips, 1 and 2 processes.

    python bench/bench_process.py [--zips N] [--workers 1 2] [--ner network crf] [--executor local ray]

Each configuration runs in a fresh interpreter, so its peak memory is its own: the main
process's peak RSS, and the largest worker's. Prints one line per configuration and the
speed-up of each against the first configuration run in the same invocation. ``--executor ray``
(needs ``pip install '.[ray]'``) runs the same pipeline on a local Ray started by the run, its
start included in the time; its workers are Ray's processes, not the run's children, so their
memory is not measured here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ZIPS = ROOT.parent / "shared" / "data" / "saudinewsnet"

_CHILD = r"""
import json, resource, sys, time
from khabar import process_paths
from khabar.api import default_pipeline
from khabar.data import Document
paths, workers = json.loads(sys.argv[1]), int(sys.argv[2])
stages = sys.argv[3].split(",") if sys.argv[3] else None
ner_layers, executor = sys.argv[4], None
start = time.perf_counter()
if sys.argv[5] == "ray":
    from khabar.executor_ray import RayExecutor
    executor = RayExecutor(workers)
docs = chars = 0
for item in process_paths(paths, workers=workers, pipeline=default_pipeline(stages, ner_layers=ner_layers),
                          executor=executor):
    if isinstance(item, Document):
        docs += 1
        chars += len(item.raw)
        item.to_json()  # serialisation is part of the job
seconds = time.perf_counter() - start
self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"docs": docs, "chars": chars, "seconds": seconds, "self_mb": self_kb / 1024,
                  "worker_mb": child_kb / 1024}))
"""


def run(paths: list[str], workers: int, stages: str, ner_layers: str, executor: str) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(paths), str(workers), stages, ner_layers,
                          executor], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--zips", type=int, default=16, help="how many daily zips to read (default all 16)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--stages", default="", help="comma-separated stages (default: all, as khabar process)")
    parser.add_argument("--ner", nargs="+", default=["network"], choices=("network", "crf"),
                        help="NER layers to compare (as khabar process --ner; default network)")
    parser.add_argument("--executor", nargs="+", default=["local"], choices=("local", "ray"),
                        help="executors to compare on the same input (default local)")
    args = parser.parse_args()
    paths = sorted(str(p) for p in ZIPS.glob("*.zip"))[: args.zips]
    if not paths:
        sys.exit(f"no zips in {ZIPS}")
    print(f"khabar process on {len(paths)} SaudiNewsNet zips, stages: {args.stages or 'all'} "
          f"({time.strftime('%Y-%m-%d %H:%M')})")
    baseline = None
    first = f"executor={args.executor[0]} ner={args.ner[0]} workers={args.workers[0]}"
    for executor in args.executor:
        for ner_layers in args.ner:
            for workers in args.workers:
                result = run(paths, workers, args.stages, ner_layers, executor)
                rate = result["docs"] / result["seconds"]
                baseline = baseline or rate
                worker = "n/a (Ray's)" if executor == "ray" else f"{result['worker_mb']:.0f} MB"
                print(f"  executor={executor} ner={ner_layers} workers={workers}: {result['docs']} docs in "
                      f"{result['seconds']:.1f} s = {rate:.0f} docs/s ({result['chars'] / result['seconds'] / 1e6:.2f}"
                      f" M chars/s); peak RSS main {result['self_mb']:.0f} MB, largest worker {worker}; "
                      f"x{rate / baseline:.2f} vs {first}")


if __name__ == "__main__":
    main()
