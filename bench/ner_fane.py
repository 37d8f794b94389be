"""Does WikiFANE help the CRF layer? Measured on ANERcorp's own training split, held out.

    python bench/ner_fane.py [--mapping-group PERS|ORG|MISC|O] [--products MISC|O] [--no-domains]

Trains two CRFs side by side (two processes, about 14 minutes on this machine): one on the first
90% of the ANERcorp CAMeL training split, one on the same plus WikiFANE Gold (mapped by
``khabar.entities.fane``; WikiFANE's features also marked as its own unless --no-domains), and
scores both on the last 10% (contiguous: an article's names do not leak across). The test split
is not read. Uses the shipped word clusters and gazetteer for the features.

Measured 2026-11-30 (CRF alone, overall F1 on the held-out 10%): ANERcorp 71.44; + WikiFANE
unmarked 68.21 (works and products O) / 67.88 (MISC); + WikiFANE marked 73.09 (PERS 75.27,
LOC 86.56, ORG 60.91, MISC 52.98); marking both corpora instead 73.04; Group -> PERS 73.04;
works and products -> O 72.16.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

from khabar.entities.fane import FANE_TO_COARSE, read_fane, with_domain
from khabar.entities.features import FeatureResources, sentence_features
from khabar.entities.model import entity_f1, read_clusters, read_conll, read_gazetteer

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RESOURCES = ROOT / "src" / "khabar" / "resources" / "ner"
PARAMS = {"c1": 0.01, "c2": 0.01, "max_iterations": 200, "feature.possible_transitions": True}


def _features(sentences, resources, domain):
    out = []
    for sentence in sentences:
        features = sentence_features([w for w, _ in sentence], resources)
        out.append(with_domain(features, domain) if domain else features)
    return out


def _train_and_score(job) -> tuple[str, float, dict]:
    import pycrfsuite

    name, news, extra, held, domains = job
    started = time.perf_counter()
    clusters, _ = read_clusters(RESOURCES / "clusters.tsv.gz")
    resources = FeatureResources(clusters=clusters, gazetteer=read_gazetteer(RESOURCES / "gazetteer.tsv.gz"))
    trainer = pycrfsuite.Trainer(verbose=False)
    for sentences, domain in ((news, None), (extra, "wiki" if domains else None)):
        for features, sentence in zip(_features(sentences, resources, domain), sentences):
            trainer.append(features, [t for _, t in sentence])
    trainer.set_params(PARAMS)
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "crf.crfsuite")
        trainer.train(path)
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        predicted = [tagger.tag(f) for f in _features(held, resources, None)]
    return name, time.perf_counter() - started, entity_f1(held, predicted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mapping-group", default="O", choices=("PERS", "ORG", "MISC", "O"))
    parser.add_argument("--products", default="MISC", choices=("MISC", "O"))
    parser.add_argument("--no-domains", action="store_true")
    args = parser.parse_args()
    mapping = dict(FANE_TO_COARSE)
    mapping["Group"] = None if args.mapping_group == "O" else args.mapping_group
    for fine, coarse in FANE_TO_COARSE.items():
        if coarse == "MISC":
            mapping[fine] = None if args.products == "O" else "MISC"
    anercorp = read_conll(SHARED / "data" / "anercorp" / "ANERCorp_CamelLab_train.txt")
    cut = len(anercorp) * 9 // 10
    train, held = anercorp[:cut], anercorp[cut:]
    wiki = read_fane(SHARED / "data" / "fane" / "WikiFANE_Gold_2014_500K.txt.gz", mapping)
    domains = not args.no_domains
    jobs = [("ANERcorp 90%", train, [], held, domains), ("+ WikiFANE", train, wiki, held, domains)]
    print(f"held out: the last {len(held)} of {len(anercorp)} ANERcorp training sentences; WikiFANE: "
          f"{len(wiki)} sentences, {sum(map(len, wiki))} tokens (Group -> {args.mapping_group}, works and "
          f"products -> {args.products}, corpus-marked features: {'yes' if domains else 'no'})")
    with get_context("fork").Pool(2) as pool:
        for name, seconds, result in pool.imap(_train_and_score, jobs):
            scores = "  ".join(f"{kind} {result[kind]['f1']:.2f}" for kind in ("overall", "PERS", "LOC", "ORG", "MISC"))
            print(f"{name:14} {scores}   ({seconds:.0f} s)")


if __name__ == "__main__":
    main()
