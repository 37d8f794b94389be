"""Structure recovery scored across page layouts it was not trained on.

Pages are generated (``khabar.cleaning.pagegen``) from SaudiNewsNet and ANT articles whose
title and body are known, in layout families. For each family, a model is trained on the
other families' pages (training articles) and scored on that family's pages (held-out
articles): title accuracy and body-line precision and recall. The last row scores the
shipped model on the held-out pages of every family (it has seen every family, not these
articles).

    python bench/eval_structure.py [--shared ../shared] [--per-family 300] [--test-per-family 100] [--families a,b]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from khabar.cleaning.pagegen import FAMILIES
from khabar.cleaning.structure import StructureModel, load_model
from khabar.cleaning.train_structure import C1, C2, Score, build_pages, page_sequence, score_pages, train_model


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[1].parent / "shared"))
    parser.add_argument("--per-family", type=int, default=300, help="training pages per family (default 300)")
    parser.add_argument("--test-per-family", type=int, default=100,
                        help="held-out pages per family to score (default 100)")
    parser.add_argument("--families", help="only leave out these families (comma-separated)")
    parser.add_argument("--seed", type=int, default=1, help="pages and articles (the shipped model: seed 1)")
    parser.add_argument("--c1", type=float, default=C1, help=f"CRF L1 penalty (default {C1})")
    parser.add_argument("--c2", type=float, default=C2, help=f"CRF L2 penalty (default {C2})")
    parser.add_argument("--errors", action="store_true", help="print what was kept as body wrongly, per family")
    args = parser.parse_args()

    started = time.perf_counter()
    train_pages, test_pages = build_pages(Path(args.shared), seed=args.seed, per_family=args.per_family,
                                          test_per_family=args.test_per_family)
    sequences = [(page.family, page_sequence(page)) for page in train_pages]
    print(f"{len(train_pages)} training pages, {len(test_pages)} held-out pages, {len(FAMILIES)} families "
          f"({time.perf_counter() - started:.0f} s to generate and featurise)", file=sys.stderr)

    left_out = args.families.split(",") if args.families else list(FAMILIES)
    print(f"{'family left out':18} {'pages':>5} {'title':>6} {'body P':>7} {'body R':>7}")
    total = Score()
    with tempfile.TemporaryDirectory() as folder:
        for family in left_out:
            path = Path(folder) / f"without-{family}.crfsuite"
            train_model([seq for name, seq in sequences if name != family], path, c1=args.c1, c2=args.c2)
            score = score_pages([p for p in test_pages if p.family == family], StructureModel(path))
            total.add(score)
            print(f"{family:18} {score.pages:5d} {score.title_accuracy:6.3f} {score.body_precision:7.3f} "
                  f"{score.body_recall:7.3f}", flush=True)
            if args.errors:
                for key, count in sorted(score.confusions.items(), key=lambda kv: -kv[1]):
                    print(f"    {count:4d} {key}")
    print(f"{'all (left out)':18} {total.pages:5d} {total.title_accuracy:6.3f} {total.body_precision:7.3f} "
          f"{total.body_recall:7.3f}")
    try:
        shipped = score_pages(test_pages, load_model())
        print(f"{'shipped model':18} {shipped.pages:5d} {shipped.title_accuracy:6.3f} "
              f"{shipped.body_precision:7.3f} {shipped.body_recall:7.3f}")
    except FileNotFoundError as exc:
        print(f"shipped model: {exc}", file=sys.stderr)
    print(f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
