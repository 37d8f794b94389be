"""What corpus entity linking costs, on a copy of an ingested database:

    python bench/bench_linking.py --db snn.db [--day 2015-08-09]

1. ``relink``: every document entity linked anew (what ``khabar link`` and an ingest into an
   empty database do).
2. ``link_new``: the links of one day's documents removed, then linked against the rest (what an
   ingest of one more daily zip does): its time against the whole relink's.

Compare with the ingest itself (``bench/bench_ingest.py``, or the time ``khabar ingest``
prints): the linking is run once at the end of an ingest.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from khabar.corpus.link import link_corpus, relink  # noqa: E402
from khabar.storage.database import Database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--day", default="2015-08-09", help="the day whose documents are linked as new")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.db"
        shutil.copy(args.db, copy)
        db = Database(copy)
        c = db.connection
        documents = c.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        started = time.perf_counter()
        full = relink(db)
        full_seconds = time.perf_counter() - started
        print(f"relink: {documents} documents, {full['corpus_entities']} corpus entities in {full_seconds:.1f} s")
        day = [r[0] for r in c.execute("SELECT rowid FROM documents WHERE date LIKE ?", (args.day + "%",))]
        marks = ",".join(map(str, day)) or "NULL"
        with db.transaction():
            for table in ("statement_speakers", "statement_about"):
                c.execute(f"DELETE FROM {table} WHERE statement IN (SELECT rowid FROM statements WHERE doc IN ({marks}))")
            c.execute(f"DELETE FROM entity_links WHERE doc IN ({marks})")
        started = time.perf_counter()
        new = link_corpus(db)
        new_seconds = time.perf_counter() - started
        print(f"link_new: {len(day)} documents of {args.day} ({new['mode']}) in {new_seconds:.1f} s, "
              f"{new_seconds / full_seconds:.2f} of the relink's time")
        db.close()


if __name__ == "__main__":
    main()
