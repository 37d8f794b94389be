"""Statement extraction speed on SaudiNewsNet, one process.

    python bench/bench_statements.py [--docs N]

Cleans N articles once, then times, side by side on the same documents: the statement stage
alone (rules over the cleaned text), NER alone, and NER + statements (what `khabar process`
runs); prints documents/s for each and the statements found.
"""

from __future__ import annotations

import argparse
import copy
import itertools
import time
from pathlib import Path

from khabar.cleaning import Clean
from khabar.data import Document
from khabar.entities import Geocode, Recognize
from khabar.reading import read
from khabar.statements import Attribute

ROOT = Path(__file__).resolve().parents[1]
ZIPS = sorted((ROOT.parent / "shared" / "data" / "saudinewsnet").glob("*.zip"))


def timed(stages, documents):
    documents = [copy.deepcopy(d) for d in documents]
    started = time.perf_counter()
    for document in documents:
        for stage in stages:
            stage(document)
    return time.perf_counter() - started, documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=3000)
    args = parser.parse_args()
    clean = Clean()
    documents = [clean(d) for d in itertools.islice(
        (i for i in read([str(z) for z in ZIPS]) if isinstance(i, Document)), args.docs)]
    recognize, geocode, attribute = Recognize(), Geocode(), Attribute()
    timed([recognize, attribute], documents[:20])  # load models once
    rules, with_rules = timed([attribute], documents)
    ner, with_ner = timed([recognize, geocode], documents)
    both, with_both = timed([attribute], with_ner)
    n = len(documents)
    found = sum(len(d.layers["quotes"]) for d in with_both)
    found_rules = sum(len(d.layers["quotes"]) for d in with_rules)
    print(f"{n} SaudiNewsNet articles (cleaned beforehand), one process:")
    print(f"  statements alone (no NER):      {n / rules:7.0f} docs/s, {found_rules} statements")
    print(f"  NER + geocoding:                {n / ner:7.0f} docs/s")
    print(f"  NER + geocoding + statements:   {n / (ner + both):7.0f} docs/s, {found} statements "
          f"(statements take {both / (ner + both):.0%} of it)")


if __name__ == "__main__":
    main()
