"""The shipped NER model at run time: ONNX Runtime for the network, NumPy for the word
look-up and the CRF (Viterbi) decoding. No deep-learning framework is needed to tag."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources as package_resources
from pathlib import Path
from typing import Sequence

import numpy as np

from khabar.entities.features import PROCLITICS, shape, strip_proclitics
from khabar.normalize import normalize_arabic

MAX_CHARS = 16
SHAPES = ("D", "A", "L", "P", "M")
_PROCLITIC_IDS = {p: i + 2 for i, p in enumerate(PROCLITICS)}
_PROCLITIC_IDS[""] = 1
CLUSTER_SIZES = (64, 256, 1024)
MODEL_DIR = "ner"


def shape_id(word: str) -> int:
    return SHAPES.index(shape(word)) + 1


def read_conll(path: Path) -> list[list[tuple[str, str]]]:
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


@dataclass
class NerResources:
    words: list[str]
    clusters: dict[str, tuple[int, int, int]]
    chars: dict[str, int]
    tags: list[str]
    embeddings: np.ndarray
    transitions: np.ndarray | None = None
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self):
        self.index = {w: i for i, w in enumerate(self.words)}

    def save(self, directory: Path) -> None:
        with gzip.open(directory / "vocab.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as out:
            for word in self.words[2:]:
                c = self.clusters.get(word, CLUSTER_SIZES)
                out.write(f"{word}\t{c[0]}\t{c[1]}\t{c[2]}\n")
        np.save(directory / "vectors.npy", self.embeddings.astype(np.float16))
        meta = {"tags": self.tags, "chars": self.chars, "transitions": np.asarray(self.transitions).tolist(),
                "max_chars": MAX_CHARS}
        (directory / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> "NerResources":
        words, clusters = ["<pad>", "<unk>"], {}
        with gzip.open(directory / "vocab.tsv.gz", "rt", encoding="utf-8") as stream:
            for line in stream:
                word, a, b, c = line.rstrip("\n").split("\t")
                words.append(word)
                clusters[word] = (int(a), int(b), int(c))
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        embeddings = np.load(directory / "vectors.npy")
        return cls(words, clusters, meta["chars"], meta["tags"], embeddings, np.array(meta["transitions"], dtype=np.float32))


def encode_sentence(tokens: Sequence[str], resources: NerResources):
    """The six integer inputs of the network for one sentence."""
    index, clusters, chars = resources.index, resources.clusters, resources.chars
    word_ids, stem_ids, char_ids, proclitic_ids, cluster_ids, shape_ids = [], [], [], [], [], []
    for token in tokens:
        norm = normalize_arabic(token)
        proclitic, stem = strip_proclitics(norm)
        word_ids.append(index.get(norm, index.get(stem, 1)))
        stem_ids.append(index.get(stem, 1))
        row = [chars.get(ch, 1) for ch in norm[:MAX_CHARS]]
        char_ids.append(row + [0] * (MAX_CHARS - len(row)))
        proclitic_ids.append(_PROCLITIC_IDS.get(proclitic, 1))
        cluster_ids.append(list(clusters.get(norm) or clusters.get(stem) or CLUSTER_SIZES))
        shape_ids.append(shape_id(token))
    return word_ids, stem_ids, char_ids, proclitic_ids, cluster_ids, shape_ids


def viterbi(emissions: np.ndarray, transitions: np.ndarray) -> list[int]:
    score = emissions[0].copy()
    back = np.zeros((len(emissions), emissions.shape[1]), dtype=np.int64)
    for t in range(1, len(emissions)):
        candidates = score[:, None] + transitions
        back[t] = candidates.argmax(0)
        score = candidates.max(0) + emissions[t]
    best = [int(score.argmax())]
    for t in range(len(emissions) - 1, 0, -1):
        best.append(int(back[t, best[-1]]))
    return best[::-1]


class NerModel:
    """Tags token sequences with PERS, ORG, LOC, MISC (BIO)."""

    def __init__(self, resources: NerResources, emissions_fn):
        self.resources = resources
        self._emissions = emissions_fn
        self._table = resources.embeddings.astype(np.float32)

    @classmethod
    def load(cls, directory: Path | None = None) -> "NerModel":
        import onnxruntime

        directory = directory or Path(str(package_resources.files("khabar.resources").joinpath(MODEL_DIR)))
        if not (directory / "model.onnx").is_file():
            raise FileNotFoundError(f"no NER model in {directory}; train one with 'khabar train ner'")
        resources = NerResources.load(directory)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1  # one core per worker process; parallelism is by process
        options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(str(directory / "model.onnx"), options,
                                               providers=["CPUExecutionProvider"])
        return cls(resources, lambda feeds: session.run(["emissions"], feeds)[0])

    @classmethod
    def from_torch(cls, module, resources: NerResources) -> "NerModel":
        """Wrap a network being trained (used to pick the best epoch)."""
        import torch

        def emissions(feeds):
            with torch.no_grad():
                table = module.words.weight
                word = torch.tensor(feeds["word_ids"])
                stem = torch.tensor(feeds["stem_ids"])
                return module(word, stem, torch.tensor(feeds["char_ids"]), torch.tensor(feeds["proclitic_ids"]),
                              torch.tensor(feeds["cluster_ids"]), torch.tensor(feeds["shape_ids"])).numpy()

        model = cls(resources, emissions)
        model._torch = True
        resources.transitions = module.transitions.detach().numpy()
        return model

    def tag(self, sentences: Sequence[Sequence[str]], *, batch_size: int = 64) -> list[list[str]]:
        tags = self.resources.tags
        transitions = self.resources.transitions
        out: list[list[str] | None] = [None] * len(sentences)
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        for start in range(0, len(order), batch_size):
            chunk = [i for i in order[start:start + batch_size] if sentences[i]]
            for i in order[start:start + batch_size]:
                if not sentences[i]:
                    out[i] = []
            if not chunk:
                continue
            encoded = [encode_sentence(sentences[i], self.resources) for i in chunk]
            length = max(len(e[0]) for e in encoded)
            columns = []
            for c in range(6):
                filler = [0] * MAX_CHARS if c == 2 else list(CLUSTER_SIZES) if c == 4 else 0
                columns.append(np.array([list(e[c]) + [filler] * (length - len(e[c])) for e in encoded], dtype=np.int64))
            if getattr(self, "_torch", False):
                feeds = dict(zip(["word_ids", "stem_ids", "char_ids", "proclitic_ids", "cluster_ids", "shape_ids"], columns))
            else:
                feeds = {"word_vectors": self._table[columns[0]], "stem_vectors": self._table[columns[1]],
                         "char_ids": columns[2], "proclitic_ids": columns[3], "cluster_ids": columns[4],
                         "shape_ids": columns[5]}
            emissions = self._emissions(feeds)
            for row, i in enumerate(chunk):
                n = len(sentences[i])
                out[i] = [tags[k] for k in viterbi(emissions[row, :n], transitions)]
        return out  # type: ignore[return-value]


@lru_cache(maxsize=1)
def load_model() -> NerModel:
    """The shipped model, loaded once per process."""
    return NerModel.load()


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
        result[kind] = {"precision": precision, "recall": recall, "f1": f1, "gold": real}
    return result
