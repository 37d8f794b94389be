"""Score khabar's statements on the development set with the shared scorer.

    python bench/eval_statements.py [--out found.jsonl] [--gold DIR]

Runs the default pipeline on ../shared/data/quotes-dev/docs.jsonl, writes the found
statements (one line per document) and prints ../shared/tools/score_quotes.py's output.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import khabar
from khabar.data import Document

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=SHARED / "data" / "quotes-dev")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp()) / "found.jsonl"
    started = time.perf_counter()
    count = 0
    with open(out, "w", encoding="utf-8") as stream:
        for item in khabar.process_paths([str(args.gold / "docs.jsonl")]):
            if isinstance(item, Document):
                record = item.to_json(include_raw=False)
                stream.write(json.dumps({"id": item.id, "quotes": record.get("quotes", [])}, ensure_ascii=False) + "\n")
                count += 1
    seconds = time.perf_counter() - started
    print(f"{count} documents in {seconds:.1f} s; found statements in {out}")
    result = subprocess.run([sys.executable, str(SHARED / "tools" / "score_quotes.py"), str(args.gold / "gold.jsonl"),
                             str(out)], capture_output=True, text=True, check=True)
    print(result.stdout, end="")


if __name__ == "__main__":
    main()
