"""Training the shipped NER model (``khabar train ner``). Needs the ``train`` extra (gensim);
tagging needs only python-crfsuite.

Steps, each seeded so that a re-run gives the same model:

1. word vectors (skip-gram, one worker for determinism) on unlabelled text: the SaudiNewsNet
   articles and the tokens of the ANERcorp and AQMAR *training* splits (no labels used);
2. word clusters at three granularities (spherical k-means: 64, 256, 1024), written in
   frequency order to ``clusters.tsv.gz``;
3. a name gazetteer: the place gazetteer's countries and towns of 20,000+ inhabitants (LOC),
   and the UniversalPetrarch Arabic actor dictionary's multi-word persons (PERS) and groups (ORG);
4. the CRF (L-BFGS, elastic net) on the ANERcorp CAMeL-Lab training split;
5. self-training: that model tags the SaudiNewsNet sentences, those it is sure of (sequence
   probability >= 0.9, at least one entity) are sampled, and the CRF is trained again on gold
   and silver together.

The test splits are only read by ``evaluate`` and ``bench/eval_ner.py``.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import time
import zipfile
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from khabar.entities.features import FeatureResources, Gazetteer, sentence_features
from khabar.entities.model import (CLUSTERS_FILE, GAZETTEER_FILE, META_FILE, MODEL_FILE, NerModel, entity_f1,
                                   read_clusters, read_conll)
from khabar.normalize import match_words, normalize_arabic

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"\w+|[^\w\s]")
CLUSTER_SIZES = (64, 256, 1024)
# Elastic-net penalties, chosen on the last 10% of the training split held out (c1 from 0 to
# 0.3, c2 from 0.001 to 0.05): 0.01/0.01 was within 0.4 F1 of the best and keeps the model small.
DEFAULT_C1 = 0.01
DEFAULT_C2 = 0.01
# Self-training: how many confidently tagged news sentences join the gold ones, and how sure
# the model must be of a whole sentence (chosen on the last 10% of the training split).
DEFAULT_SILVER = 8000
SILVER_MIN_PROBABILITY = 0.9
# Towns smaller than this make poor name evidence (many share their names with common words).
GAZETTEER_MIN_POPULATION = 20000


def anercorp(shared: Path, split: str) -> Path:
    return shared / "data" / "anercorp" / f"ANERCorp_CamelLab_{split}.txt"


def unlabelled_sentences(shared: Path) -> Iterator[list[str]]:
    for archive in sorted((shared / "data" / "saudinewsnet").glob("*.zip")):
        with zipfile.ZipFile(archive) as z:
            for member in z.namelist():
                for article in json.loads(z.read(member)):
                    for text in (article.get("title") or "", article.get("content") or ""):
                        for line in text.split("\n"):
                            tokens = _TOKEN.findall(normalize_arabic(line))
                            if len(tokens) > 2:
                                yield tokens
    for path in (anercorp(shared, "train"), shared / "data" / "aqmar" / "train.txt"):
        for sentence in read_conll(path):
            yield [t for word, _ in sentence for t in _TOKEN.findall(normalize_arabic(word))]


def kmeans(vectors: np.ndarray, k: int, *, iterations: int = 20, seed: int = 1) -> np.ndarray:
    """Spherical k-means (cosine), in blocks so memory stays small."""
    rng = np.random.default_rng(seed)
    centres = vectors[rng.choice(len(vectors), k, replace=False)].copy()
    labels = np.zeros(len(vectors), dtype=np.int32)
    for _ in range(iterations):
        for start in range(0, len(vectors), 20000):
            labels[start:start + 20000] = np.argmax(vectors[start:start + 20000] @ centres.T, axis=1)
        for j in range(k):
            members = vectors[labels == j]
            if len(members):
                centre = members.mean(0)
                centres[j] = centre / (np.linalg.norm(centre) + 1e-9)
    return labels


def build_clusters(shared: Path, out: Path, *, seed: int = 1, progress: Callable[[str], None] = log.info) -> None:
    from gensim.models import Word2Vec

    corpus = list(unlabelled_sentences(shared))
    progress(f"word vectors on {len(corpus)} unlabelled sentences ({sum(map(len, corpus))} tokens) ...")
    model = Word2Vec(corpus, vector_size=100, window=5, min_count=3, workers=1, epochs=5, sg=1, seed=seed)
    words = model.wv.index_to_key  # most frequent first
    vectors = model.wv.vectors / np.linalg.norm(model.wv.vectors, axis=1, keepdims=True)
    progress(f"clustering {len(words)} words into {CLUSTER_SIZES} clusters ...")
    labels = [kmeans(vectors.astype(np.float32), k, seed=seed) for k in CLUSTER_SIZES]
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as stream:
        for i, word in enumerate(words):
            stream.write(word + "\t" + "\t".join(str(level[i]) for level in labels) + "\n")


def build_name_gazetteer(shared: Path, out: Path) -> int:
    from khabar.entities.places import load_gazetteer

    gazetteer = Gazetteer()
    for bucket in load_gazetteer().by_key.values():
        for place in bucket:
            if place.kind == "country" or place.population >= GAZETTEER_MIN_POPULATION:
                gazetteer.add(tuple(match_words(place.name)), "LOC")
    actors = (shared / "data" / "petrarch-ar" / "actor_dict_ar_v4.txt").read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(actors):
        if not line or line[0].isspace() or line.startswith("#"):
            continue
        words = tuple(match_words(line.split("[")[0].replace("_", " ")))
        if len(words) < 2:
            continue
        if "[" in line:  # a code on the same line: a group, an institution
            gazetteer.add(words, "ORG")
        elif i + 1 < len(actors) and actors[i + 1].startswith("\t"):  # dated roles below: a person
            gazetteer.add(words, "PERS")
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as stream:
        for first in sorted(gazetteer.entries):
            for words, label in gazetteer.entries[first]:
                stream.write(f"{label}\t{' '.join(words)}\n")
    return len(gazetteer)


def _train_crf(items, params: dict, path: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for features, tags in items:
        trainer.append(features, tags)
    trainer.set_params(params)
    trainer.train(str(path))


def silver_sentences(shared: Path, model: Path, resources: FeatureResources, *, limit: int,
                     seed: int = 1) -> list[tuple[list[str], list[str]]]:
    """Sentences of the unlabelled news that the model tags with at least one entity and a
    sequence probability of SILVER_MIN_PROBABILITY or more (self-training), sampled with ``seed``."""
    import random

    import pycrfsuite

    from khabar.entities.mentions import sentences as split_sentences
    from khabar.entities.mentions import tokenize

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    chosen = []
    for archive in sorted((shared / "data" / "saudinewsnet").glob("*.zip")):
        with zipfile.ZipFile(archive) as z:
            for member in z.namelist():
                for article in json.loads(z.read(member)):
                    for group in split_sentences(tokenize(article.get("content") or "")):
                        tokens = [t.text for t in group]
                        if not 6 <= len(tokens) <= 60:
                            continue
                        tagger.set(sentence_features(tokens, resources))
                        tags = tagger.tag()
                        if any(t != "O" for t in tags) and tagger.probability(tags) >= SILVER_MIN_PROBABILITY:
                            chosen.append((tokens, tags))
    random.Random(seed).shuffle(chosen)
    return chosen[:limit]


def train_ner(shared: Path, out_dir: Path, *, seed: int = 1, c1: float = DEFAULT_C1, c2: float = DEFAULT_C2,
              iterations: int = 200, reuse_clusters: bool = False, silver: int = DEFAULT_SILVER,
              progress: Callable[[str], None] = log.info) -> dict:
    """Build the resources and train the CRF into ``out_dir``; returns a summary with test F1."""
    from khabar.entities.model import read_gazetteer

    started = time.time()
    out_dir.mkdir(parents=True, exist_ok=True)
    if not (reuse_clusters and (out_dir / CLUSTERS_FILE).is_file()):
        build_clusters(shared, out_dir / CLUSTERS_FILE, seed=seed, progress=progress)
    names = build_name_gazetteer(shared, out_dir / GAZETTEER_FILE)
    progress(f"name gazetteer: {names} entries")
    clusters, _ = read_clusters(out_dir / CLUSTERS_FILE)
    resources = FeatureResources(clusters=clusters, gazetteer=read_gazetteer(out_dir / GAZETTEER_FILE))
    sentences = read_conll(anercorp(shared, "train"))
    params = {"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True}
    progress(f"training the CRF on {len(sentences)} sentences (c1={c1}, c2={c2}) ...")
    gold = [(sentence_features([w for w, _ in s], resources), [t for _, t in s]) for s in sentences]
    _train_crf(gold, params, out_dir / MODEL_FILE)
    chosen = []
    if silver:
        progress(f"self-training: tagging SaudiNewsNet, keeping up to {silver} sentences the model is sure of ...")
        chosen = silver_sentences(shared, out_dir / MODEL_FILE, resources, limit=silver, seed=seed)
        progress(f"retraining on {len(sentences)} gold + {len(chosen)} silver sentences ...")
        _train_crf(gold + [(sentence_features(tokens, resources), tags) for tokens, tags in chosen], params,
                   out_dir / MODEL_FILE)
    meta = {"trained_on": "ANERcorp CAMeL Lab train split", "silver_sentences": len(chosen),
            "silver_min_probability": SILVER_MIN_PROBABILITY, "c1": c1, "c2": c2, "iterations": iterations,
            "seed": seed, "clusters": list(CLUSTER_SIZES), "gazetteer_entries": names}
    (out_dir / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    model = NerModel.load(out_dir)
    summary = {"seconds": round(time.time() - started), **meta}
    summary["anercorp_test"] = evaluate(model, read_conll(anercorp(shared, "test")))
    meta["anercorp_test_f1"] = summary["anercorp_test"]["overall"]["f1"]
    (out_dir / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return summary


AQMAR_TAGS = {"PER": "PERS", "MIS": "MISC"}


def map_aqmar(sentences: list[list[tuple[str, str]]]) -> list[list[tuple[str, str]]]:
    """AQMAR writes PER and MIS; khabar's tags are PERS and MISC."""
    out = []
    for sentence in sentences:
        mapped = []
        for word, tag in sentence:
            prefix, _, kind = tag.partition("-")
            mapped.append((word, f"{prefix}-{AQMAR_TAGS.get(kind, kind)}" if kind else tag))
        out.append(mapped)
    return out


def evaluate(model: NerModel, gold: list[list[tuple[str, str]]]) -> dict:
    return entity_f1(gold, model.tag([[w for w, _ in s] for s in gold]))
