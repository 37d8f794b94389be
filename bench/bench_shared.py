"""`khabar ingest --workers 2` against the one-process `khabar process` rate, alone and beside a
CPU-bound neighbour (the machine shared, as on any cluster).

    python bench/bench_shared.py [--zips N] [--workers 2] [--stages ...]

Runs, on the same SaudiNewsNet day(s), each as a fresh command: `khabar process` on one
process, `khabar ingest --workers W` into a new database, and the same ingest again while a
neighbour process spins on a core. Prints each rate (records read per second, the blank
ones that are skipped included), ingest's ratio to the one-process rate,
and what share of its alone speed ingest keeps beside the neighbour (three runnable processes
on two cores: 67% is the fair share).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ZIPS = ROOT.parent / "shared" / "data" / "saudinewsnet"


def timed(command: list[str]) -> float:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}  # as a user's shell has it
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--zips", type=int, default=1, help="how many daily zips (default 1)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--stages", default="", help="comma-separated stages (default all)")
    args = parser.parse_args()
    from khabar.reading.counting import count_documents

    paths = sorted(str(p) for p in ZIPS.glob("*.zip"))[: args.zips]
    documents = count_documents(paths)
    stages = ["--stages", args.stages] if args.stages else []
    khabar = [sys.executable, "-m", "khabar.cli"]
    print(f"{documents} SaudiNewsNet records, blank ones included ({len(paths)} zips), stages: {args.stages or 'all'}, "
          f"{os.cpu_count()} cores ({time.strftime('%Y-%m-%d %H:%M')})")
    with tempfile.TemporaryDirectory() as folder:
        process = documents / timed(khabar + ["process", *paths, "-o", os.devnull, *stages, "--no-progress"])
        print(f"  process, 1 process:                       {process:6.1f} docs/s")

        def ingest(name: str) -> float:
            database = str(Path(folder) / f"{name}.db")
            return documents / timed(khabar + ["ingest", *paths, "--db", database, "--workers", str(args.workers),
                                               *stages, "--no-progress"])

        alone = ingest("alone")
        print(f"  ingest, {args.workers} workers:                       {alone:6.1f} docs/s "
              f"(x{alone / process:.2f} the one-process rate)")
        neighbour = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        try:
            shared = ingest("shared")
        finally:
            neighbour.kill()
            neighbour.wait()
        print(f"  ingest, {args.workers} workers, beside a busy neighbour: {shared:6.1f} docs/s "
              f"({shared / alone:.0%} of alone)")


if __name__ == "__main__":
    main()
