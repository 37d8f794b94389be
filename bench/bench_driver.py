"""What one driver process reads and writes per second: the bound on a cluster whose workers
send their records back to it (docs/ray.md).

    python bench/bench_driver.py [--db FILE|URL]

Reading: every document of the first SaudiNewsNet zip. Writing: 300 articles of the second,
processed once by the whole pipeline, then stored ten times under new ids in batches of 64, as
`khabar ingest` stores them (into a new SQLite file by default).
"""

from __future__ import annotations

import argparse
import copy
import tempfile
import time
from itertools import islice
from pathlib import Path

from khabar.api import default_stages
from khabar.corpus import _prepared
from khabar.corpus.signature import Signature
from khabar.data import Document
from khabar.pipeline import Pipeline
from khabar.reading import read
from khabar.storage.database import open_database

ZIPS = sorted((Path(__file__).resolve().parents[2] / "shared" / "data" / "saudinewsnet").glob("*.zip"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="an empty database to write into (default: a new SQLite file)")
    args = parser.parse_args()
    start = time.perf_counter()
    count = sum(1 for item in read([str(ZIPS[0])]) if isinstance(item, Document))
    seconds = time.perf_counter() - start
    print(f"read: {count} documents in {seconds:.1f} s = {count / seconds:.0f} documents/s")
    pipeline = Pipeline(default_stages() + [Signature()])
    prepared = [_prepared(pipeline.apply(item)) for item in islice(read([str(ZIPS[1])]), 300)
                if isinstance(item, Document)]
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(args.db or str(Path(folder) / "k.db"))
        stored, seconds = 0, 0.0
        for copy_number in range(10):
            batch = copy.deepcopy(prepared)
            for item in batch:
                item["record"]["id"] += f"#{copy_number}"
            start = time.perf_counter()
            for first in range(0, len(batch), 64):
                stored += database.add_documents(batch[first:first + 64])
            seconds += time.perf_counter() - start
        database.close()
    print(f"write ({database.dialect}): {stored} documents in {seconds:.1f} s = {stored / seconds:.0f} documents/s")


if __name__ == "__main__":
    main()
