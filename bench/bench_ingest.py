"""`khabar ingest` end to end on the SaudiNewsNet zips, and the duplicate stage against
datasketch side by side.

    python bench/bench_ingest.py [--zips N] [--workers 1 2] [--stages all|clean]

1. Ingest (documents/s, peak memory of the main process and of the largest worker), each
   configuration into a fresh database in a fresh interpreter.
2. Near-duplicate detection on the same cleaned texts, in this process: khabar's stage
   (rensa MinHash + banding over the signatures) and datasketch's MinHash + MinHashLSH with the
   same shingles, permutations (112) and bands (14 x 8); time of each, the ratio, and the
   groups each finds (recall of one against the other).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ZIPS = ROOT.parent / "shared" / "data" / "saudinewsnet"

_CHILD = r"""
import json, resource, sys, time
from khabar.api import default_pipeline
from khabar.corpus import ingest
from khabar.corpus.signature import Signature
from khabar.pipeline import Pipeline
from khabar.storage.database import Database
paths, workers, db, stages = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
pipeline = Pipeline(list(default_pipeline(None if stages == "all" else stages.split(",")).stages) + [Signature()])
start = time.perf_counter()
summary = ingest(paths, Database(db), workers=workers, pipeline=pipeline)
seconds = time.perf_counter() - start
print(json.dumps({"docs": summary.added, "seconds": seconds, "corpus": summary.corpus,
                  "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def bench_ingest(paths: list[str], workers: list[int], stages: str) -> str:
    baseline = None
    database = None
    for count in workers:
        folder = tempfile.mkdtemp()
        database = str(Path(folder) / "bench.db")
        out = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(paths), str(count), database, stages],
                             check=True, capture_output=True, text=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        rate = result["docs"] / result["seconds"]
        baseline = baseline or rate
        print(f"  ingest, workers={count}: {result['docs']} docs in {result['seconds']:.1f} s = {rate:.0f} docs/s "
              f"(x{rate / baseline:.2f}); peak RSS main {result['self_mb']:.0f} MB, largest worker "
              f"{result['worker_mb']:.0f} MB; corpus: {result['corpus']}")
    return database


def bench_dedup(database: str) -> None:
    import sqlite3

    from datasketch import MinHash, MinHashLSH

    from khabar.corpus.dedup import NEAR_THRESHOLD, group_duplicates
    from khabar.corpus.signature import BANDS, NUM_PERM, ROWS, body_hash, minhash, shingles

    connection = sqlite3.connect(database)
    rows = connection.execute("SELECT rowid, text, date FROM documents").fetchall()
    texts = {doc: text for doc, text, _ in rows}
    print(f"  duplicate stage on {len(rows)} cleaned documents ({NUM_PERM} permutations, {BANDS} bands x {ROWS} rows):")

    started = time.perf_counter()
    signed = [(doc, body_hash(text), minhash(text), date) for doc, text, date in rows]
    groups = group_duplicates(signed, empty_hash=body_hash(""))
    khabar_seconds = time.perf_counter() - started
    khabar_pairs = {(a, b) for g in groups for a in g.members for b in g.members if a < b}

    started = time.perf_counter()
    lsh = MinHashLSH(threshold=NEAR_THRESHOLD, num_perm=NUM_PERM, params=(BANDS, ROWS))
    sketches = {}
    for doc, text, _ in rows:
        if not text.strip():
            continue
        sketch = MinHash(num_perm=NUM_PERM, seed=1)
        sketch.update_batch([s.encode("utf-8") for s in (shingles(text) or [""])])
        sketches[doc] = sketch
        lsh.insert(doc, sketch)
    datasketch_pairs = set()
    for doc, sketch in sketches.items():
        for other in lsh.query(sketch):
            if other != doc and sketch.jaccard(sketches[other]) >= NEAR_THRESHOLD:
                datasketch_pairs.add((min(doc, other), max(doc, other)))
    datasketch_seconds = time.perf_counter() - started

    # compare on the pairs datasketch links directly (khabar's groups are their transitive closure)
    recall = len(datasketch_pairs & khabar_pairs) / len(datasketch_pairs) if datasketch_pairs else 1.0
    print(f"    khabar (rensa):       {khabar_seconds:6.1f} s, {sum(g.kind == 'exact' for g in groups)} exact + "
          f"{sum(g.kind == 'near' for g in groups)} near groups")
    print(f"    datasketch:           {datasketch_seconds:6.1f} s, {len(datasketch_pairs)} similar pairs")
    print(f"    speed-up x{datasketch_seconds / khabar_seconds:.1f}; khabar's groups contain "
          f"{recall:.1%} of datasketch's pairs")
    del texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--zips", type=int, default=16)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--stages", default="all", help="'all' (default) or a comma-separated list, e.g. clean")
    args = parser.parse_args()
    paths = sorted(str(p) for p in ZIPS.glob("*.zip"))[: args.zips]
    print(f"khabar ingest on {len(paths)} SaudiNewsNet zips, stages {args.stages} ({time.strftime('%Y-%m-%d %H:%M')})")
    database = bench_ingest(paths, args.workers, args.stages)
    bench_dedup(database)


if __name__ == "__main__":
    main()
