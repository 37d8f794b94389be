"""Score khabar's places on ../shared/data/places-dev with the shared scorer.

    python bench/eval_places.py [--half tune|report] [--errors] [--out found.jsonl]

Runs the default pipeline on places-dev/docs.jsonl, writes each document's places and prints
../shared/tools/score_places.py's output. ``--half``: alternate articles of each outlet (see
``khabar.devsets``); tune on ``tune``, report ``report``. ``--errors`` lists missed and spurious
mentions and wrongly placed ones (for tuning: on the tune half only).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import khabar
from khabar.data import Document
from khabar.devsets import evaluation_files, load_tool, run_scorer

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "data" / "places-dev"
SCORER = SHARED / "tools" / "score_places.py"


def list_errors(gold_path: Path, found: dict[str, list[dict]], texts: dict[str, str]) -> None:
    gold = load_tool(SCORER).load(gold_path)
    for doc_id, gold_places in gold.items():
        text, lines = texts[doc_id], []
        found_places = found.get(doc_id, [])
        used = set()
        for g in gold_places:
            match = next((i for i, f in enumerate(found_places) if i not in used
                          and f["start"] < g["end"] and g["start"] < f["end"]), None)
            if match is None:
                context = text[max(0, g["start"] - 25):g["end"] + 10].replace("\n", " ")
                lines.append(f"  MISSED {g['mention']!r} ({g['name']}, {g['kind']}) … {context} …")
                continue
            used.add(match)
            f = found_places[match]
            if f.get("country") != g.get("country"):
                lines.append(f"  PLACED {g['mention']!r}: found {f.get('name')!r} {f.get('country')} "
                             f"({f.get('lat')}, {f.get('lon')}), gold {g['name']} {g['country']}")
        for i, f in enumerate(found_places):
            if i not in used:
                context = text[max(0, f["start"] - 25):f["end"] + 10].replace("\n", " ")
                lines.append(f"  SPURIOUS {text[f['start']:f['end']]!r} -> {f.get('name')} {f.get('country')} … {context} …")
        if lines:
            print(doc_id)
            print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--half", choices=("tune", "report"), default=None)
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    docs, gold, out = evaluation_files(GOLD, args.half, args.out)
    found, texts = {}, {}
    with open(out, "w", encoding="utf-8") as stream:
        for item in khabar.process_paths([str(docs)]):
            if isinstance(item, Document):
                places = item.to_json(include_raw=False).get("places", [])
                # every mention of a place is scored: one entry per span
                mentions = [{**{k: v for k, v in p.items() if k not in ("spans", "start", "end")},
                             "start": start, "end": end} for p in places for start, end in p["spans"]]
                mentions.sort(key=lambda m: m["start"])
                found[item.id], texts[item.id] = mentions, item.raw
                stream.write(json.dumps({"id": item.id, "places": mentions}, ensure_ascii=False) + "\n")
    if args.errors:
        list_errors(gold, found, texts)
    print(run_scorer(SCORER, gold, out), end="")


if __name__ == "__main__":
    main()
