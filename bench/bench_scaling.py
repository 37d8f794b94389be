"""Does every stage stay near-linear in its input? Each shape of hostile or ordinary text is run
at size N and 10 N through the whole default pipeline, stage by stage, in the same process; the
ratio of times should stay near 10 (the reliability issue allows at most about 12).

    python bench/bench_scaling.py [--size CHARS]

Shapes: ordinary news (the seed example's paragraphs, numbered), one line without spaces (a base64 image left
in a page), a cue followed by a wall of letters, quotation marks that never close, many short
lines, digits and punctuation only.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from khabar.api import default_pipeline
from khabar.data import Document

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT.parent / "shared" / "examples" / "humanvoice-ghouta.txt")


def shapes(size: int) -> dict[str, str]:
    seed = SEED.read_text(encoding="utf-8") if SEED.is_file() else "قال الوزير إن الاجتماع ناجح. " * 20

    def fill(unit: str) -> str:
        return (unit * (size // len(unit) + 1))[:size]

    # the seed's paragraphs, each numbered so that no paragraph repeats (repeats are cleaned away)
    paragraphs = [p for p in seed.split("\n") if p.strip()]
    news, i = [], 0
    while sum(len(p) + 1 for p in news) < size:
        news.append(f"{paragraphs[i % len(paragraphs)]} ({i})")
        i += 1
    return {
        "news (numbered seed)": "\n".join(news)[:size],
        "one line, no spaces": fill("QUJDRA=="),
        "cue + wall of letters": "قال " + fill("ا"),
        "unclosed quotes": fill("قال الوزير: «الاجتماع ناجح و"),
        "many short lines": fill("قال\n"),
        "digits and marks": fill("12:30، - 45.6 ؛ "),
    }


def time_stages(text: str) -> dict[str, float]:
    document = Document(id="scale", raw=text)
    times = {}
    for stage in default_pipeline().stages:
        started = time.perf_counter()
        document = stage(document)
        times[stage.name] = time.perf_counter() - started
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=20_000, help="characters at the small size (default 20,000)")
    args = parser.parse_args()
    time_stages("قال الوزير إن الاجتماع ناجح.")  # load the models first
    small, large = shapes(args.size), shapes(args.size * 10)
    worst = 0.0
    print(f"{'shape':24} {'stage':12} {args.size:>9,} ch  {args.size * 10:>9,} ch   ratio")
    for name in small:
        a, b = time_stages(small[name]), time_stages(large[name])
        for stage in a:
            ratio = b[stage] / a[stage] if a[stage] > 1e-3 else float("nan")
            if a[stage] > 1e-3:
                worst = max(worst, ratio)
            print(f"{name:24} {stage:12} {a[stage]:9.3f} s  {b[stage]:9.3f} s  {ratio:6.1f}")
        total_a, total_b = sum(a.values()), sum(b.values())
        print(f"{name:24} {'all':12} {total_a:9.3f} s  {total_b:9.3f} s  {total_b / total_a:6.1f}")
    print(f"worst stage ratio (stages over 1 ms at the small size): {worst:.1f}")


if __name__ == "__main__":
    main()
