"""`khabar ingest` end to end on the SaudiNewsNet zips, and the duplicate stage against
datasketch side by side.

    python bench/bench_ingest.py [--zips N] [--workers 1 2] [--stages all|clean]
                                 [--db postgresql://USER@HOST/DB]
    python bench/bench_ingest.py --search DB [DB ...]

1. Ingest (documents/s, peak memory of the main process and of the largest worker), each
   configuration into a fresh database in a fresh interpreter. With ``--db`` (a PostgreSQL
   server's URL, a role that may create databases), each configuration also runs into a
   fresh PostgreSQL database on that server, beside the SQLite run.
2. Near-duplicate detection on the same cleaned texts, in this process: khabar's stage
   (rensa MinHash + banding over the signatures) and datasketch's MinHash + MinHashLSH with the
   same shingles, permutations (112) and bands (14 x 8); time of each, the ratio, and the
   recall and precision of each against the pairs truly above the threshold.

``--search``: search latency (median and 95th percentile over a fixed list of queries, each
run 3 times, one page of 20 collapsed hits as the explorer asks) on each database given, a
SQLite file or a PostgreSQL URL — e.g. both built from the same zips.
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
from khabar.storage.database import open_database
paths, workers, db, stages = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
pipeline = Pipeline(list(default_pipeline(None if stages == "all" else stages.split(",")).stages) + [Signature()])
start = time.perf_counter()
summary = ingest(paths, open_database(db), workers=workers, pipeline=pipeline)
seconds = time.perf_counter() - start
print(json.dumps({"docs": summary.added, "seconds": seconds, "corpus": summary.corpus,
                  "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def bench_ingest(paths: list[str], workers: list[int], stages: str, server: str | None = None) -> str:
    baseline = None
    database = None
    for count in workers:
        targets = [("SQLite", str(Path(tempfile.mkdtemp()) / "bench.db"))]
        if server:
            targets.append(("PostgreSQL", _fresh_postgres_database(server, f"khabar_bench_{count}")))
        for backend, target in targets:
            out = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(paths), str(count), target, stages],
                                 check=True, capture_output=True, text=True)
            result = json.loads(out.stdout.strip().splitlines()[-1])
            rate = result["docs"] / result["seconds"]
            baseline = baseline or rate
            print(f"  ingest into {backend}, workers={count}: {result['docs']} docs in {result['seconds']:.1f} s = "
                  f"{rate:.0f} docs/s (x{rate / baseline:.2f}); peak RSS main {result['self_mb']:.0f} MB, largest "
                  f"worker {result['worker_mb']:.0f} MB; corpus: {result['corpus']}")
            if backend == "SQLite":
                database = target
    return database


def _fresh_postgres_database(server: str, name: str) -> str:
    """A new, empty database ``name`` on the server of ``server`` (dropped first if there); its URL."""
    import re

    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    return re.sub(r"(postgres(?:ql)?://[^/]*/)[^?]*", lambda m: m.group(1) + name, server, count=1)


SEARCH_QUERIES = ["الرياض", "السعودية", "وزير الخارجية", '"ولي العهد"', "اليمن OR سوريا", "الحوثي*", "داعش",
                  "الملك سلمان", "النفط", "أسعار", "كرة القدم", "الهلال", "التعليم", "وزارة الصحة", "كورونا",
                  "الاتفاق النووي", "إيران NOT العراق", "مكة المكرمة", "الأمطار", "الهيئة العامة للإحصاء"]


def bench_search(databases: list[str]) -> None:
    from khabar.storage import queries
    from khabar.storage.database import open_database

    for target in databases:
        database = open_database(target, read_only=True)
        queries.search(database, SEARCH_QUERIES[0])  # warm the caches
        times = []
        for _ in range(3):
            for query in SEARCH_QUERIES:
                started = time.perf_counter()
                queries.search(database, query, limit=20)
                times.append(1000 * (time.perf_counter() - started))
        times.sort()
        documents = database.connection.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        print(f"  search on {database.dialect} ({documents} documents): p50 {times[len(times) // 2]:.0f} ms, "
              f"p95 {times[int(0.95 * (len(times) - 1))]:.0f} ms, max {times[-1]:.0f} ms over {len(times)} queries")
        database.close()


def bench_dedup(database: str) -> None:
    """Same shingles (prepared once, timed apart) into both: rensa MinHash + khabar's banding,
    and datasketch's MinHash + MinHashLSH; recall of each against the pairs whose exact
    Jaccard similarity (on the shingle sets) reaches the threshold among all pairs either found."""
    import sqlite3

    import numpy as np
    from datasketch import MinHash, MinHashLSH
    from rensa import RMinHash

    from khabar.corpus.dedup import NEAR_THRESHOLD, near_pairs
    from khabar.corpus.signature import BANDS, NUM_PERM, ROWS, SEED, shingles

    connection = sqlite3.connect(database)
    texts = [text for (text,) in connection.execute("SELECT text FROM documents") if text.strip()]
    started = time.perf_counter()
    sets = [sorted(set(shingles(text))) or [""] for text in texts]
    prepare = time.perf_counter() - started
    print(f"  near-duplicate stage on {len(texts)} cleaned documents ({NUM_PERM} permutations, {BANDS} bands x "
          f"{ROWS} rows, threshold {NEAR_THRESHOLD}); shingling, shared by both: {prepare:.1f} s")

    started = time.perf_counter()
    # as khabar's stage does: identical bodies are one node (found by hash), then MinHash LSH
    first_of: dict[tuple, int] = {}
    node_of = [first_of.setdefault(tuple(tokens), len(first_of)) for tokens in sets]
    unique = [None] * len(first_of)
    for tokens, node in zip(sets, node_of):
        unique[node] = tokens
    matrix = np.asarray(RMinHash.digests_from_token_sets(unique, NUM_PERM, SEED), dtype=np.uint32)
    node_pairs = near_pairs(matrix, NEAR_THRESHOLD)
    khabar_seconds = time.perf_counter() - started
    khabar_groups = _components(len(texts), [(a, b) for a, b in _expand(node_of, node_pairs)])

    started = time.perf_counter()
    lsh = MinHashLSH(threshold=NEAR_THRESHOLD, num_perm=NUM_PERM, params=(BANDS, ROWS))
    sketches = []
    for i, tokens in enumerate(sets):
        sketch = MinHash(num_perm=NUM_PERM, seed=1)
        sketch.update_batch([t.encode("utf-8") for t in tokens])
        sketches.append(sketch)
        lsh.insert(i, sketch)
    datasketch_pairs = set()
    for i, sketch in enumerate(sketches):
        for j in lsh.query(sketch):
            if j != i and sketch.jaccard(sketches[j]) >= NEAR_THRESHOLD:
                datasketch_pairs.add((min(i, j), max(i, j)))
    datasketch_seconds = time.perf_counter() - started

    datasketch_groups = _components(len(texts), list(datasketch_pairs))
    shingle_sets = [set(tokens) for tokens in sets]
    candidates = set(_expand(node_of, node_pairs)) | datasketch_pairs
    truth = {(a, b) for a, b in candidates
             if len(shingle_sets[a] & shingle_sets[b]) / len(shingle_sets[a] | shingle_sets[b]) >= NEAR_THRESHOLD}

    def recall(group_of):  # a true pair is found when both documents end in one group
        return sum(group_of[a] == group_of[b] for a, b in truth) / len(truth) if truth else 1.0

    print(f"    khabar (hash + rensa + banding): {khabar_seconds:6.2f} s, recall {recall(khabar_groups):.3f}")
    print(f"    datasketch MinHashLSH:           {datasketch_seconds:6.2f} s, recall {recall(datasketch_groups):.3f}")
    print(f"    speed-up x{datasketch_seconds / khabar_seconds:.1f}; recall over the {len(truth)} pairs whose exact "
          f"Jaccard is at least {NEAR_THRESHOLD} among all pairs either method found")


def _expand(node_of: list[int], node_pairs) -> list[tuple[int, int]]:
    """Document pairs from node pairs (a node is a set of identical bodies), plus the identical ones."""
    members: dict[int, list[int]] = {}
    for doc, node in enumerate(node_of):
        members.setdefault(node, []).append(doc)
    out = [(docs[0], d) for docs in members.values() for d in docs[1:]]
    out += [(members[a][0], members[b][0]) for a, b in node_pairs]
    return out


def _components(n: int, pairs) -> list[int]:
    from khabar.corpus.dedup import _UnionFind

    union = _UnionFind(n)
    for a, b in pairs:
        union.union(a, b)
    return [union.find(i) for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--zips", type=int, default=16)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--stages", default="all", help="'all' (default) or a comma-separated list, e.g. clean")
    parser.add_argument("--dedup-only", type=Path, metavar="DB", help="only the duplicate comparison, on this database")
    parser.add_argument("--db", metavar="URL", help="also ingest into PostgreSQL: a server URL whose role may create "
                                                    "databases (fresh ones, khabar_bench_N, are made on it)")
    parser.add_argument("--search", nargs="+", metavar="DB", help="only search latency, on these databases")
    args = parser.parse_args()
    if args.search:
        bench_search(args.search)
        return
    if args.dedup_only:
        bench_dedup(str(args.dedup_only))
        return
    paths = sorted(str(p) for p in ZIPS.glob("*.zip"))[: args.zips]
    print(f"khabar ingest on {len(paths)} SaudiNewsNet zips, stages {args.stages} ({time.strftime('%Y-%m-%d %H:%M')})")
    database = bench_ingest(paths, args.workers, args.stages, args.db)
    bench_dedup(database)


if __name__ == "__main__":
    main()
