"""Training the neural layer of the NER model with PyTorch (the ``train`` extra), and exporting
it to the arrays that :mod:`khabar.entities.neural` runs with NumPy.

The network: each token's inputs (frozen word vector, character CNN, cluster / proclitic /
shape embeddings, gazetteer matches, CRF marginals and, with document context, the same stem's
marginals around it) -> dropout -> one BiLSTM layer -> dropout -> label scores -> a CRF layer
(transitions, start and end scores). The CRF marginals of the training sentences come from
CRFs that did not see them (five folds), so that the network learns how far to trust the CRF
on unseen text.
"""

from __future__ import annotations

import random
from typing import Callable, Sequence

import numpy as np

from khabar.entities.features import PROCLITICS
from khabar.entities.neural import CLUSTER_LEVELS, GAZETTEER_TAGS, SHAPES, TAGS, EncodedSentence, NeuralTagger

HIDDEN = 128
CHAR_DIM = 32
CHAR_FILTERS = 64
CLUSTER_DIMS = (8, 16, 16)
DROPOUT = 0.5
# Epochs, rate and batch: chosen on the last 10% of the training split held out (the score
# there stopped rising after about 25 epochs with the rate decaying linearly to zero).
EPOCHS = 30
LEARNING_RATE = 2e-3
BATCH = 16


def _torch_model(word_vectors: np.ndarray, n_chars: int, n_marginals: int = len(TAGS),
                 encoder_vectors: np.ndarray | None = None):
    import torch
    import torch.nn as nn

    class CrfLayer(nn.Module):
        def __init__(self, k: int):
            super().__init__()
            self.transitions = nn.Parameter(torch.zeros(k, k))
            self.start = nn.Parameter(torch.zeros(k))
            self.end = nn.Parameter(torch.zeros(k))

        def nll(self, scores, tags, mask):
            """Negative log-likelihood of the gold paths, summed over the batch."""
            length = scores.shape[1]
            gold = self.start[tags[:, 0]] + scores[:, 0].gather(1, tags[:, :1]).squeeze(1)
            for t in range(1, length):
                emitted = scores[:, t].gather(1, tags[:, t:t + 1]).squeeze(1)
                gold = gold + (self.transitions[tags[:, t - 1], tags[:, t]] + emitted) * mask[:, t]
            last = tags.gather(1, (mask.sum(1).long() - 1).unsqueeze(1)).squeeze(1)
            gold = gold + self.end[last]
            alpha = self.start + scores[:, 0]
            for t in range(1, length):
                nxt = torch.logsumexp(alpha.unsqueeze(2) + self.transitions.unsqueeze(0) + scores[:, t].unsqueeze(1), 1)
                keep = mask[:, t].unsqueeze(1)
                alpha = nxt * keep + alpha * (1 - keep)
            return (torch.logsumexp(alpha + self.end, 1) - gold).sum()

    class BiLstmCrf(nn.Module):
        def __init__(self):
            super().__init__()
            self.word_vectors = nn.Embedding.from_pretrained(torch.from_numpy(word_vectors), freeze=True)
            self.encoder_vectors = None
            if encoder_vectors is not None:
                self.encoder_vectors = nn.Embedding.from_pretrained(torch.from_numpy(encoder_vectors), freeze=True)
            self.char_embedding = nn.Embedding(n_chars + 1, CHAR_DIM)
            self.conv = nn.Conv1d(CHAR_DIM, CHAR_FILTERS, 3, padding=1)
            self.cluster_embedding = nn.ModuleList(nn.Embedding(k + 1, d) for k, d in zip(CLUSTER_LEVELS, CLUSTER_DIMS))
            self.proclitic_embedding = nn.Embedding(len(PROCLITICS) + 1, 8)
            self.shape_embedding = nn.Embedding(len(SHAPES), 4)
            size = (word_vectors.shape[1] + (0 if encoder_vectors is None else encoder_vectors.shape[1]) + CHAR_FILTERS
                    + sum(CLUSTER_DIMS) + 8 + 4 + len(GAZETTEER_TAGS) + n_marginals)
            self.dropout = nn.Dropout(DROPOUT)
            self.lstm = nn.LSTM(size, HIDDEN, batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * HIDDEN, len(TAGS))
            self.crf = CrfLayer(len(TAGS))

        def forward(self, b):
            batch, length, n_chars = b["chars"].shape
            chars = self.char_embedding(b["chars"].view(batch * length, n_chars)).transpose(1, 2)
            conv = torch.relu(self.conv(chars)).max(2).values.view(batch, length, -1)
            parts = [self.word_vectors(b["word"])]
            if self.encoder_vectors is not None:
                parts.append(self.encoder_vectors(b["word"]))
            parts.append(conv)
            parts += [e(b["clusters"][:, :, k]) for k, e in enumerate(self.cluster_embedding)]
            parts += [self.proclitic_embedding(b["proclitic"]), self.shape_embedding(b["shape"]), b["gazetteer"],
                      b["marginals"]]
            x = self.dropout(torch.cat(parts, -1))
            packed = nn.utils.rnn.pack_padded_sequence(x, b["lengths"], batch_first=True, enforce_sorted=False)
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=length)
            return self.out(self.dropout(h))

    return BiLstmCrf()


_FIELDS = ("word", "clusters", "proclitic", "shape", "gazetteer", "chars", "marginals")


def _batch(sentences: Sequence[EncodedSentence], tags: Sequence[np.ndarray] | None = None):
    import torch

    length = max(len(s) for s in sentences)
    out = {}
    for name in _FIELDS:
        arrays = [getattr(s, name) for s in sentences]
        out[name] = torch.from_numpy(np.stack([np.pad(a, [(0, length - len(a))] + [(0, 0)] * (a.ndim - 1))
                                               for a in arrays]))
    out["lengths"] = torch.tensor([len(s) for s in sentences])
    mask = torch.zeros(len(sentences), length)
    for i, s in enumerate(sentences):
        mask[i, :len(s)] = 1
    gold = None
    if tags is not None:
        gold = torch.from_numpy(np.stack([np.pad(t, (0, length - len(t))) for t in tags]))
    return out, gold, mask


def export(model, chars: str) -> dict[str, np.ndarray]:
    """The trained network as named arrays, in the layout :class:`NeuralTagger` reads."""
    state = {k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    weights = {"char_embedding": state["char_embedding.weight"], "conv.weight": state["conv.weight"],
               "conv.bias": state["conv.bias"], "proclitic_embedding": state["proclitic_embedding.weight"],
               "shape_embedding": state["shape_embedding.weight"], "out.weight": state["out.weight"],
               "out.bias": state["out.bias"], "crf.transitions": state["crf.transitions"],
               "crf.start": state["crf.start"], "crf.end": state["crf.end"],
               "chars": np.array(chars), "reads_encoder_vectors": np.array(int(model.encoder_vectors is not None))}
    for k in range(len(CLUSTER_LEVELS)):
        weights[f"cluster_embedding.{k}"] = state[f"cluster_embedding.{k}.weight"]
    for name, value in state.items():
        if name.startswith("lstm."):
            weights[name] = value
    return weights


def train_tagger(sentences: Sequence[EncodedSentence], tags: Sequence[Sequence[str]], chars: str,
                 word_vectors: np.ndarray, *, seed: int = 1, epochs: int = EPOCHS,
                 encoder_vectors: np.ndarray | None = None,
                 progress: Callable[[str], None] = print) -> dict[str, np.ndarray]:
    """Train the BiLSTM-CRF (seeded, one thread, so a re-run gives the same weights) and return
    its exported arrays, checked against the NumPy forward pass. ``word_vectors`` is the table
    of :func:`khabar.entities.neural.word_vector_table` (row 0 for unknown words);
    ``encoder_vectors``, when given, a second frozen table indexed the same way."""
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    rng = random.Random(seed)
    index = {t: i for i, t in enumerate(TAGS)}
    gold = [np.array([index[t] for t in sentence_tags], np.int64) for sentence_tags in tags]
    model = _torch_model(word_vectors, len(chars), sentences[0].marginals.shape[1], encoder_vectors)
    optimiser = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=LEARNING_RATE)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda epoch: 1 - epoch / epochs)
    for epoch in range(epochs):
        model.train()
        # Batches of similar lengths, in a shuffled order.
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]) + rng.random() * 8)
        batches = [order[i:i + BATCH] for i in range(0, len(order), BATCH)]
        rng.shuffle(batches)
        total = 0.0
        for members in batches:
            inputs, target, mask = _batch([sentences[i] for i in members], [gold[i] for i in members])
            loss = model.crf.nll(model(inputs), target, mask)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimiser.step()
            total += loss.item()
        schedule.step()
        progress(f"epoch {epoch + 1}/{epochs}: loss {total:.0f}")
    model.eval()
    weights = export(model, chars)
    tables = {"word_vectors": word_vectors} | ({} if encoder_vectors is None else {"encoder_vectors": encoder_vectors})
    _check_export(model, NeuralTagger(weights | tables), sentences[:64])
    return weights


def _check_export(model, tagger: NeuralTagger, sample: Sequence[EncodedSentence]) -> None:
    """The NumPy forward pass must give the network's scores (else the shipped model would
    tag differently from the one trained)."""
    import torch

    with torch.no_grad():
        inputs, _, _ = _batch(sample)
        expected = model(inputs).numpy()
    got = tagger.emissions(sample)
    worst = max(float(np.abs(expected[i, :len(s)] - got[i]).max()) for i, s in enumerate(sample))
    if worst > 1e-3:
        raise RuntimeError(f"the exported tagger differs from the trained one (largest difference {worst:.2g})")
