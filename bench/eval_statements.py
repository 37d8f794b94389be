"""Score khabar's statements on a development set with the shared scorer.

    python bench/eval_statements.py [--gold DIR] [--half tune|report] [--errors] [--out found.jsonl]

Runs the default pipeline on DIR/docs.jsonl (../shared/data/quotes-dev by default), writes the
found statements (one line per document) and prints ../shared/tools/score_quotes.py's output.

``--half`` keeps half of the documents: within each outlet, in file order, the 1st, 3rd, ...
article is in ``tune`` and the 2nd, 4th, ... in ``report``. quotes-dev2 is split this way: rules
are tuned on quotes-dev and its ``tune`` half, figures are reported on its ``report`` half.
``--errors`` lists, for the documents scored, every missed, spurious or wrongly attributed
statement (for tuning: use it on the tune half only).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import khabar
from khabar.data import Document
from khabar.devsets import evaluation_files, load_tool, run_scorer
from khabar.statements.train_speakers import match_statements

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "tools" / "score_quotes.py"


def list_errors(gold_path: Path, found_path: Path, docs_path: Path) -> None:
    scorer = load_tool(SCORER)
    gold, found = scorer.load(gold_path), scorer.load(found_path)
    for doc_id, gold_quotes in gold.items():
        found_quotes = found.get(doc_id, [])
        matched = match_statements(scorer, gold_quotes, [f.get("content", "") for f in found_quotes])
        used_gold, used_found, lines = set(matched.values()), set(matched), []
        for j, i in sorted(matched.items(), key=lambda pair: pair[1]):
            g, f = gold_quotes[i], found_quotes[j]
            problems = []
            if not scorer.same_name(f.get("speaker") or "", [g.get("speaker", ""), g.get("speaker_mention", "")]):
                problems.append(f"speaker {f.get('speaker')!r} (mention {f.get('speaker_mention')!r}) "
                                f"gold {g.get('speaker')!r} / {g.get('speaker_mention')!r}")
            gold_via = [v["name"] for v in g.get("via", [])]
            found_via = [v.get("name", "") for v in f.get("via", [])]
            if not (len(gold_via) == len(found_via)
                    and all(scorer.same_name(a, [b]) for a, b in zip(found_via, gold_via))):
                problems.append(f"via {f.get('via')} gold {g.get('via')}")
            if f.get("act") != g.get("act"):
                problems.append(f"act {f.get('act')} gold {g.get('act')}")
            if problems:
                lines.append(f"  WRONG [{g.get('cue')}] {g['content'][:70]!r}\n      " + "\n      ".join(problems))
        for i, g in enumerate(gold_quotes):
            if i not in used_gold:
                lines.append(f"  MISSED [{g.get('cue')}] {g.get('speaker')!r}: {g['content'][:90]!r}")
        for j, f in enumerate(found_quotes):
            if j not in used_found:
                lines.append(f"  SPURIOUS [{f.get('cue')}] {f.get('speaker')!r}: {f['content'][:90]!r}")
        if lines:
            print(doc_id)
            print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=SHARED / "data" / "quotes-dev")
    parser.add_argument("--half", choices=("tune", "report"), default=None)
    parser.add_argument("--errors", action="store_true", help="list every statement scored wrong")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    docs, gold, out = evaluation_files(args.gold, args.half, args.out)
    started = time.perf_counter()
    count = 0
    with open(out, "w", encoding="utf-8") as stream:
        for item in khabar.process_paths([str(docs)]):
            if isinstance(item, Document):
                record = item.to_json(include_raw=False)
                stream.write(json.dumps({"id": item.id, "quotes": record.get("quotes", [])}, ensure_ascii=False) + "\n")
                count += 1
    seconds = time.perf_counter() - started
    print(f"{count} documents in {seconds:.1f} s; found statements in {out}")
    if args.errors:
        list_errors(gold, out, docs)
    print(run_scorer(SCORER, gold, out), end="")


if __name__ == "__main__":
    main()
