"""The shipped NER model at run time, in two layers: a linear-chain CRF (trained by
python-crfsuite, run by :mod:`khabar.entities.crf`) over the features of
:mod:`khabar.entities.features`, and a BiLSTM-CRF (:mod:`khabar.entities.neural`) that reads the
CRF's label marginals with the word vectors, characters, clusters and gazetteer matches of each
token. All of it is learned or built here (``khabar train ner``); tagging needs only NumPy."""

from __future__ import annotations

import gc
import gzip
import json
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources as package_resources
from pathlib import Path
from typing import Sequence

import numpy as np

from khabar.entities.crf import CrfScorer
from khabar.entities.fane import WIKI_DOMAIN, domain_prefix
from khabar.entities.features import FeatureResources, Gazetteer, analyse
from khabar.entities.neural import CLUSTER_LEVELS

MODEL_DIR = "ner"
MODEL_FILE = "model.crfsuite"
CLUSTERS_FILE = "clusters.tsv.gz"
GAZETTEER_FILE = "gazetteer.tsv.gz"
META_FILE = "meta.json"
TAGGER_FILE = "tagger.npz"
VECTORS_FILE = "vectors.npz"
ENCODER_FILE = "encoder_vectors.npz"
# Sentences tagged by the network at once (longer batches amortise NumPy's per-call cost),
# and at most this many time steps times sentences, which bounds the memory a batch of long
# sentences takes (the gates of every step are held: about 10 kB per token). 4,096 rather
# than 8,192: a process's peak 412 -> 374 MB over 1,200 SaudiNewsNet articles, and its NER
# 4-6% faster (three alternating runs; the smaller arrays stay in the cache); 2,048 was no
# faster again.
BATCH = 128
BATCH_TOKENS = 4096


def read_conll(path: Path | str) -> list[list[tuple[str, str]]]:
    """``token [TAG]`` lines, blank lines between sentences; the tag is ``O`` when missing."""
    sentences, current = [], []
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            parts = line.split()
            if not parts:
                if current:
                    sentences.append(current)
                    current = []
                continue
            current.append((parts[0], parts[-1] if len(parts) > 1 else "O"))
    if current:
        sentences.append(current)
    return sentences


class WordClusters:
    """Each known word's cluster ids at the three levels (as strings, as the features name
    them), looked up through its frequency rank: the table is one integer array, read at load
    time in a few array operations instead of a tuple and two dictionary entries per word."""

    def __init__(self, rank: dict[str, int], ids: np.ndarray):
        self._rank, self._ids = rank, ids
        self._paths: dict[tuple[int, ...], tuple[str, ...]] = {}  # one copy of each path

    def get(self, word: str, default=None):
        row = self._rank.get(word)
        if row is None:
            return default
        key = tuple(self._ids[row].tolist())
        found = self._paths.get(key)
        if found is None:
            found = self._paths[key] = tuple(map(str, key))
        return found

    def __len__(self) -> int:
        return len(self._rank)


def read_clusters(path: Path) -> tuple[WordClusters, dict[str, int]]:
    """Word clusters, and each word's frequency rank (the file is in frequency order)."""
    fields = gzip.decompress(Path(path).read_bytes()).decode("utf-8").replace("\n", "\t").split("\t")
    width = 1 + len(CLUSTER_LEVELS)
    if fields and fields[-1] == "":
        fields.pop()
    if len(fields) % width:
        raise ValueError(f"{path}: expected {width} tab-separated fields per line")
    words = fields[::width]
    ids = np.array([fields[level::width] for level in range(1, width)], dtype=np.int32).T.copy()
    rank = dict(zip(words, range(len(words))))
    return WordClusters(rank, ids), rank


def read_gazetteer(path: Path) -> Gazetteer:
    gazetteer = Gazetteer()
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            label, name = line.rstrip("\n").split("\t")
            gazetteer.add(tuple(name.split()), label)
    return gazetteer


@dataclass
class NerModel:
    """Tags token sequences with PERS, ORG, LOC, MISC (BIO)."""

    crf: CrfScorer
    resources: FeatureResources
    rank: dict[str, int]
    meta: dict
    network: object = None  # NeuralTagger, or None for a CRF-only model
    _word_inputs: dict = field(default_factory=dict, repr=False)  # norm -> the network's integer inputs

    @cached_property
    def surnames(self) -> frozenset[str]:
        """Last words of the people the name gazetteer knows in full (باراك أوباما -> اوباما)."""
        return frozenset(words[-1] for bucket in self.resources.gazetteer.entries.values()
                         for words, label in bucket if label == "PERS" and len(words) >= 2 and len(words[-1]) >= 4)

    @classmethod
    def load(cls, directory: Path | None = None) -> "NerModel":
        from khabar.entities.neural import TAGS

        directory = directory or Path(str(package_resources.files("khabar.resources").joinpath(MODEL_DIR)))
        if not (directory / MODEL_FILE).is_file():
            raise FileNotFoundError(f"no NER model in {directory}; train one with 'khabar train ner'")
        clusters, rank = read_clusters(directory / CLUSTERS_FILE)
        gazetteer = read_gazetteer(directory / GAZETTEER_FILE)
        crf = CrfScorer.read(directory / MODEL_FILE, TAGS, skip_prefix=domain_prefix(WIKI_DOMAIN), rank=rank)
        meta_path = directory / META_FILE
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        network = None
        if (directory / TAGGER_FILE).is_file():
            from khabar.entities.neural import NeuralTagger

            network = NeuralTagger.load(directory / TAGGER_FILE, directory / VECTORS_FILE, directory / ENCODER_FILE)
        return cls(crf, FeatureResources(clusters=clusters, gazetteer=gazetteer, rank=rank), rank, meta, network)

    def crf_tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """The CRF layer's tags alone."""
        from khabar.entities.neural import TAGS

        scores = self.crf.scores([analyse(list(sentence), self.resources) for sentence in sentences])
        return [[TAGS[i] for i in path] for path in self.crf.best_paths(scores)]

    def encode(self, texts: Sequence[Sequence[Sequence[str]]]) -> list[list]:
        """The network's inputs for running texts (articles, or a file of sentences in order),
        each text on its own: each token's features, its CRF marginals and, when the network
        reads them, the marginals of the same stem in the text's sentences around it. The CRF
        reads all the texts' sentences at once."""
        from khabar.entities.neural import encode, with_context

        analyses = [[analyse(list(sentence), self.resources) for sentence in sentences] for sentences in texts]
        marginals = self.crf.marginals(self.crf.scores([a for text in analyses for a in text]))
        out, done = [], 0
        for text in analyses:
            mine, done = marginals[done:done + len(text)], done + len(text)
            if self.network.context_window:
                mine = with_context(mine, text, self.rank, self.network.context_window)
            out.append([encode(a, self.rank, self.network.char_index, m, self._word_inputs) for a, m in zip(text, mine)])
        return out

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """Tags for running text; sentences are read in their order (see :meth:`encode`)."""
        return self.tag_texts([sentences])[0]

    def tag_texts(self, texts: Sequence[Sequence[Sequence[str]]]) -> list[list[list[str]]]:
        """Tags for several running texts (a batch of documents): each is encoded on its own,
        with its own document context, and the network reads all their sentences together."""
        if self.network is None:
            return [self.crf_tag(sentences) for sentences in texts]
        out = [[[] for _ in sentences] for sentences in texts]
        present = [(t, i) for t, sentences in enumerate(texts) for i, s in enumerate(sentences) if s]
        encoded = {}
        kept = [[i for i, s in enumerate(sentences) if s] for sentences in texts]
        for t, inputs in enumerate(self.encode([[sentences[i] for i in where] for sentences, where in zip(texts, kept)])):
            encoded.update(zip(((t, i) for i in kept[t]), inputs))
        # Sentences of similar length share a batch, so little of it is padding.
        order = sorted(present, key=lambda key: len(texts[key[0]][key[1]]))
        for members in _batches(order, [len(texts[t][i]) for t, i in order]):
            scores = self.network.emissions([encoded[key] for key in members])
            for (t, i), tags in zip(members, self.network.viterbi_batch(scores)):
                out[t][i] = tags
        return out


def _batches(order: list, lengths: list[int]) -> list[list]:
    """Consecutive runs of ``order`` (sorted by length) of at most BATCH sentences and
    BATCH_TOKENS padded tokens."""
    batches, current = [], []
    for key, length in zip(order, lengths):
        if current and (len(current) == BATCH or (len(current) + 1) * length > BATCH_TOKENS):
            batches.append(current)
            current = []
        current.append(key)
    if current:
        batches.append(current)
    return batches


def crf_marginals(tagger, length: int) -> np.ndarray:
    """``(length, len(TAGS))`` marginal probabilities of the sentence last given to ``tagger``."""
    from khabar.entities.neural import TAGS

    return np.array([[tagger.marginal(tag, i) for tag in TAGS] for i in range(length)], np.float32)


# Sentences on either side whose names are propagated (picked on the last 10% of the
# training split, held out: 5 to 20 sentences all gave +1.4 F1 there).
CONSISTENCY_WINDOW = 20


def consistent_tags(sentences: Sequence[Sequence[str]], tags: list[list[str]],
                    window: int = CONSISTENCY_WINDOW) -> list[list[str]]:
    """Label consistency (two-stage NER, as Krishnan & Manning): a name tagged in a sentence is
    tagged wherever it recurs untagged within ``window`` sentences, and so is a person's last
    name alone. For running text without document boundaries, such as CoNLL files."""
    from khabar.entities.mentions import bio_spans
    from khabar.normalize import normalize_arabic

    norms = [[normalize_arabic(w) for w in sentence] for sentence in sentences]
    found = [bio_spans(list(t)) for t in tags]
    out = [list(t) for t in tags]
    for i, words in enumerate(norms):
        names: dict[tuple[str, ...], str] = {}
        for j in range(max(0, i - window), min(len(norms), i + window + 1)):
            for a, b, label in found[j]:
                key = tuple(norms[j][a:b])
                if sum(map(len, key)) >= 3:
                    names.setdefault(key, label)
                if label == "PERS" and b - a >= 2 and len(norms[j][b - 1]) >= 4:
                    names.setdefault((norms[j][b - 1],), "PERS")
        if not names:
            continue
        longest = max(map(len, names))
        k = 0
        while k < len(words):
            for length in range(min(longest, len(words) - k), 0, -1):
                label = names.get(tuple(words[k:k + length]))
                if label and all(t == "O" for t in out[i][k:k + length]):
                    out[i][k:k + length] = [f"B-{label}"] + [f"I-{label}"] * (length - 1)
                    k += length
                    break
            else:
                k += 1
    return out


@lru_cache(maxsize=1)
def load_model() -> NerModel:
    """The shipped model, loaded once per process. Its objects live as long as the process,
    so they are moved out of the garbage collector's sight (gc.freeze): a full collection
    walked them all again, some 1.9 of 2.6 s of collection over 1,458 articles' NER."""
    model = NerModel.load()
    gc.freeze()
    return model


def entity_f1(gold: list[list[tuple[str, str]]], predicted: list[list[str]]) -> dict:
    """Entity-level precision, recall, F1 per type and overall (conlleval rules)."""
    from khabar.entities.mentions import bio_spans

    counts: dict[str, list[int]] = {}
    for sentence, tags in zip(gold, predicted):
        g = set(bio_spans([t for _, t in sentence]))
        p = set(bio_spans(list(tags)))
        for kind in {s[2] for s in g | p} | {"overall"}:
            gk = g if kind == "overall" else {s for s in g if s[2] == kind}
            pk = p if kind == "overall" else {s for s in p if s[2] == kind}
            c = counts.setdefault(kind, [0, 0, 0])
            c[0] += len(gk & pk)
            c[1] += len(pk)
            c[2] += len(gk)
    result = {}
    for kind, (tp, found, real) in counts.items():
        precision = 100 * tp / found if found else 0.0
        recall = 100 * tp / real if real else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[kind] = {"precision": round(precision, 2), "recall": round(recall, 2), "f1": round(f1, 2), "gold": real}
    return result
