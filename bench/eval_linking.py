"""Corpus entity linking against a gold set of alias groups: pairwise precision and recall.

    python bench/eval_linking.py --db snn.db [--gold bench/data/linking_gold.tsv] [--errors]
    python bench/eval_linking.py --db snn.db --sample     # the names the gold set was drawn from

The gold set (``bench/data/linking_gold.tsv``: name, person, how decided) was built from a full
SaudiNewsNet ingest by ``--sample``: families of person names drawn at random with a fixed seed —
names sharing a family name (عادل الجبير, فهد الجبير, الجبير) and names sharing a given and a
father's name (سلمان بن عبدالعزيز ...) — plus the four families the issue names; every name of a
family seen in two documents or more. Each name was labelled with the person it names, from what
is known of 2015 news and, where that was not enough, by reading its documents; a name that names
several people in the corpus (a bare surname shared by two people, a tagger's fragment) is
labelled ``?`` and left out of the pairs.

A gold name's predicted entity is the corpus entity that holds most of its document entities (the
document entities whose canonical name, normalised, is the gold name). Pairs are over gold names:
a pair is predicted together when both names' entities are one, gold together when both have one
person label.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from khabar.corpus.entities import person_key  # noqa: E402
from khabar.normalize import normalize_arabic  # noqa: E402

GOLD = ROOT / "bench" / "data" / "linking_gold.tsv"
NAMED_FAMILIES = ("الجبير", "الاسد", "اوباما", ("سلمان", "عبدالعزيز"))


def _names(connection) -> dict[str, Counter]:
    """Normalised canonical person name -> Counter of corpus entities over its document entities."""
    found: dict[str, Counter] = defaultdict(Counter)
    for canonical, corpus_entity in connection.execute(
            "SELECT e.canonical, l.corpus_entity FROM entities e JOIN entity_links l"
            " ON l.doc = e.doc AND l.entity = e.entity WHERE e.type = 'PERS'"):
        found[" ".join(normalize_arabic(canonical).split())][corpus_entity] += 1
    return found


def sample(connection, seed: int, surnames: int, fathers: int, named: bool = True) -> None:
    names = _names(connection)
    documents = {name: sum(c.values()) for name, c in names.items()}
    by_surname: dict[str, set[str]] = defaultdict(set)
    by_father: dict[tuple, set[str]] = defaultdict(set)
    for name in names:
        key = person_key(name)
        words = [w for w in key if w != "بن"]
        if len(words) == 1:
            by_surname[words[0]].add(name)
        elif len(key) >= 2 and key[-2] != "بن":
            by_surname[key[-1]].add(name)
        if len(key) >= 3 and key[1] == "بن":
            by_father[key[0], key[2]].add(name)

    def frequent(family: set[str]) -> list[str]:
        return sorted((n for n in family if documents[n] >= 2), key=lambda n: (-documents[n], n))[:8]

    rng = random.Random(seed)
    surname_pool = sorted(s for s, family in by_surname.items() if len(frequent(family)) >= 3)
    father_pool = sorted(f for f, family in by_father.items() if len(frequent(family)) >= 3)
    chosen = [("surname", s) for s in rng.sample(surname_pool, surnames)]
    chosen += [("father", f) for f in rng.sample(father_pool, fathers)]
    if named:
        chosen += [("surname", f) if isinstance(f, str) else ("father", f) for f in NAMED_FAMILIES]
    for kind, family in chosen:
        members = by_surname[family] if kind == "surname" else by_father[family]
        print(f"# {kind} {family}")
        for name in frequent(members):
            print(f"{name}\t{documents[name]}")


def evaluate(connection, gold_path: Path, show_errors: bool) -> dict:
    names = _names(connection)
    gold: dict[str, str] = {}
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, person = line.split("\t")[:2]
            if person != "?":
                gold[" ".join(normalize_arabic(name).split())] = person
    predicted = {name: names[name].most_common(1)[0][0] for name in gold if name in names}
    missing = sorted(set(gold) - set(predicted))
    tp = fp = fn = 0
    errors = []
    for a, b in combinations(sorted(predicted), 2):
        same_gold, same_predicted = gold[a] == gold[b], predicted[a] == predicted[b]
        tp += same_gold and same_predicted
        fp += same_predicted and not same_gold
        fn += same_gold and not same_predicted
        if same_gold != same_predicted:
            errors.append(("merged" if same_predicted else "split", a, b))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    if show_errors:
        for kind, a, b in errors:
            print(f"{kind}\t{a}\t{b}")
    return {"gold_names": len(gold), "found": len(predicted), "missing": len(missing),
            "people": len(set(gold[n] for n in predicted)), "pairs_true": tp + fn, "true_positive": tp,
            "false_positive": fp, "false_negative": fn, "precision": round(precision, 3), "recall": round(recall, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--gold", default=str(GOLD))
    parser.add_argument("--errors", action="store_true", help="print every wrong pair")
    parser.add_argument("--sample", action="store_true", help="print the name families to label, and stop")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--surnames", type=int, default=20)
    parser.add_argument("--fathers", type=int, default=8)
    args = parser.parse_args()
    connection = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    if args.sample:
        sample(connection, args.seed, args.surnames, args.fathers, named=args.seed == 17)
        return
    for key, value in evaluate(connection, Path(args.gold), args.errors).items():
        print(f"{key:16s} {value}")


if __name__ == "__main__":
    main()
