"""The CRF layer at run time, in NumPy: label scores and marginals (forward-backward) of the
linear-chain CRF that python-crfsuite trained, read from its model file.

Why not ask crfsuite: it reads a sentence as feature strings, built anew for every token, and
answers one (label, position) marginal per call; that was half the tagging time. A token's
score is a sum of weights, and most of its features depend on one word only (its own
features, and what it shows as the neighbour at -2..+2). So the sums are kept per word, and
a sentence's scores are a few array additions plus the features of word pairs and
gazetteer matches. The marginals are crfsuite's to the last bit of float32 on the sentences
checked (tests/entities/test_entities_crf.py); training still uses python-crfsuite.

The model file (crfsuite's ``crf1d`` format, little-endian): a 48-byte header with the
offsets of its chunks; the features chunk (``FEAT``: 12-byte head, then per feature its type
— 0 state, 1 transition —, source, destination and a float64 weight), and the label and
attribute strings in two constant quark databases (``CQDB``: a 24-byte head whose backward
table gives, per id, the offset of a record ``id, size, bytes + NUL``).
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from pathlib import Path
from typing import Sequence

import numpy as np

from khabar.entities.features import (NEIGHBOURS, WORD_CACHE_SIZE, SentenceAnalysis, Word, edge_feature,
                                      forget_rare, gazetteer_feature, neighbour_features, pair_features)

_FEATURE = np.dtype([("type", "<u4"), ("source", "<u4"), ("target", "<u4"), ("weight", "<f8")])
# Neighbour offsets, in the order of the per-word table's rows 1..4 (row 0: the word's own
# features).
OFFSETS = NEIGHBOURS
# Padded tokens of the sentences whose marginals are computed side by side.
MARGINAL_BATCH_TOKENS = 4096


def _quarks(buffer: bytes, offset: int) -> list[str]:
    """The strings of the CQDB chunk at ``offset``, by id. The records' heads are read as
    arrays (a model holds some 334,000 strings)."""
    chunk, _size, _flag, _order, count, backward = struct.unpack_from("<4sIIIII", buffer, offset)
    if chunk != b"CQDB":
        raise ValueError("not a crfsuite model: no string table where the header points")
    where = np.frombuffer(buffer, "<u4", count, offset + backward).astype(np.int64) + offset
    heads = np.frombuffer(buffer, np.uint8)[where[:, None] + np.arange(8)].copy().view("<u4")  # (count, 2)
    if not np.array_equal(heads[:, 0], np.arange(count)):
        raise ValueError("damaged crfsuite model: string table out of order")
    starts = where + 8
    return [buffer[start:end].decode("utf-8") for start, end in zip(starts.tolist(), (starts + heads[:, 1] - 1).tolist())]


class CrfScorer:
    """State scores, marginals and best paths of a crfsuite model, labels in ``tags`` order.

    Feature names are found by their hash() (this process's, computed when the model is read)
    in a sorted array: a dictionary of the 334,000 names cost each worker 50 MB. A name the
    model does not know has a chance of about 1 in 5·10^13 to take a known one's place."""

    def __init__(self, keys: np.ndarray, state: np.ndarray, transitions: np.ndarray,
                 rank: Mapping[str, int] | None = None):
        order = np.argsort(keys, kind="stable")
        self.keys, self.rows = keys[order], order  # hash() of each feature name, sorted; its row
        self.state = state              # (attributes, labels) float64
        self.transitions = transitions  # (labels, labels), from -> to
        self.exp_transitions = np.exp(transitions)
        self.bias = self._sum(["bias"])
        self.edges = {d: self._sum([edge_feature(d)]) for d in OFFSETS}
        # Per distinct word, the sums of its own features and of what it shows to each
        # neighbour (table rows 0 and 1..4); most of a token's score is in them.
        self._slot: dict[str, int] = {}
        self._empty_table(WORD_CACHE_SIZE)
        self.rank = rank or {}  # word -> frequency rank: the common words keep their slots
        self._gazetteer: dict[tuple[int, str], np.ndarray] = {}

    @classmethod
    def read(cls, path: Path, tags: Sequence[str], skip_prefix: str | None = None,
             rank: Mapping[str, int] | None = None) -> "CrfScorer":
        """The model at ``path``, its labels in ``tags`` order. Attributes whose names start with
        ``skip_prefix`` are left out: copies marked with a training corpus's domain, which
        tagging never asks for (about half the model; memory per worker). ``rank`` (word ->
        frequency rank) tells which words the word table keeps when full."""
        buffer = Path(path).read_bytes()
        magic, _size, kind, _version, _features, labels, _attributes, features_at, labels_at, attributes_at = \
            struct.unpack_from("<4sI4sIIIIIII", buffer, 0)
        if magic != b"lCRF" or kind != b"FOMC":
            raise ValueError(f"{path} is not a crfsuite CRF model")
        chunk, _chunk_size, count = struct.unpack_from("<4sII", buffer, features_at)
        if chunk != b"FEAT":
            raise ValueError(f"{path}: no feature table where the header points")
        features = np.frombuffer(buffer, _FEATURE, count, features_at + 12)
        names = _quarks(buffer, labels_at)
        if sorted(names) != sorted(tags) or len(names) != labels:
            raise ValueError(f"{path} has labels {names}, expected {list(tags)}")
        column = np.array([list(tags).index(name) for name in names])  # file label id -> our order
        attributes = _quarks(buffer, attributes_at)
        kept = np.array([not (skip_prefix and name.startswith(skip_prefix)) for name in attributes], bool)
        row = np.cumsum(kept) - 1  # file attribute id -> row of the kept ones
        keys = np.fromiter((hash(name) for name, keep in zip(attributes, kept.tolist()) if keep), np.int64)
        state = np.zeros((len(keys), len(tags)))
        weights = features[(features["type"] == 0)]
        weights = weights[kept[weights["source"]]]
        np.add.at(state, (row[weights["source"]], column[weights["target"]]), weights["weight"])
        transitions = np.zeros((len(tags), len(tags)))
        moves = features[features["type"] == 1]
        transitions[column[moves["source"]], column[moves["target"]]] = moves["weight"]
        return cls(keys, state, transitions, rank)

    def _find(self, names: Sequence[str]) -> np.ndarray:
        """Each name's row in ``state``, -1 for a name the model does not know."""
        keys = np.fromiter((hash(name) for name in names), np.int64, len(names))
        at = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        return np.where(self.keys[at] == keys, self.rows[at], -1)

    def _sum(self, names: Sequence[str]) -> np.ndarray:
        """The summed weights of the named features (unknown ones weigh nothing)."""
        rows = self._find(names)
        return self.state[rows[rows >= 0]].sum(0)

    def _names(self, norm: str, word: Word) -> tuple[list[str], list[int]]:
        """The word's feature names, each with its row of the word's table: 0 its own, then
        what it shows as the neighbour at each offset."""
        names = list(word.features) + (["nisba"] if word.nisba else [])
        group = [0] * len(names)
        for row, d in enumerate(OFFSETS, start=1):
            names += neighbour_features(d, norm, word)
            group += [row] * (len(names) - len(group))
        return names, group

    def _empty_table(self, size: int) -> None:
        """A word table of ``size`` words, all its slots free."""
        self._slot.clear()
        self._table = np.zeros((size, 1 + len(OFFSETS), self.state.shape[1]))
        self._free = list(range(size - 1, -1, -1))  # popped from the end: slot 0 first

    def _slots(self, norms: list[str], words: list[Word]) -> np.ndarray:
        """Each token's slot in the word table, the words not yet in it summed first (all at
        once: NumPy's cost is per call)."""
        slots = self._slot
        missing = {norm: word for norm, word in zip(norms, words) if norm not in slots}
        if len(missing) > len(self._free):
            forget_rare(slots, self.rank)
            missing = {norm: word for norm, word in zip(norms, words) if norm not in slots}
            used = set(slots.values())
            self._free = [slot for slot in range(len(self._table) - 1, -1, -1) if slot not in used]
            if len(missing) > len(self._free):  # no room still: forget all
                missing = dict(zip(norms, words))
                # one enormous text: a table its size, for now
                self._empty_table(max(len(self._table), len(missing)))
        if missing:
            names, where, taken = [], [], []
            for norm, word in missing.items():
                slot = slots[norm] = self._free.pop()
                taken.append(slot)
                more, group = self._names(norm, word)
                names += more
                where += [slot * (1 + len(OFFSETS)) + g for g in group]
            rows = self._find(names)
            known = rows >= 0
            self._table[taken] = 0.0
            flat = self._table.reshape(-1, self.state.shape[1])
            np.add.at(flat, np.array(where)[known], self.state[rows[known]])
        return np.fromiter((slots[norm] for norm in norms), np.int64, len(norms))

    def _gazetteer_tag(self, d: int, tag: str) -> np.ndarray:
        found = self._gazetteer.get((d, tag))
        if found is None:
            found = self._gazetteer[(d, tag)] = self._sum([gazetteer_feature(d, tag)])
        return found

    def scores(self, analyses: Sequence[SentenceAnalysis]) -> list[np.ndarray]:
        """Each sentence's (n, labels) state scores: the weights of the features that
        features.sentence_features gives each token, all sentences at once."""
        lengths = np.array([len(a.norms) for a in analyses], np.int64)
        total = int(lengths.sum())
        if not total:
            return [np.zeros((0, len(self.transitions))) for _ in analyses]
        norms = [norm for a in analyses for norm in a.norms]
        words = [word for a in analyses for word in a.words]
        slots = self._slots(norms, words)  # first: it may replace the table
        table = self._table[slots]  # (tokens, 5, labels)
        out = table[:, 0] + self.bias
        position = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        size = np.repeat(lengths, lengths)
        for row, d in enumerate(OFFSETS, start=1):
            inside = (position + d >= 0) & (position + d < size)
            here = np.flatnonzero(inside)
            out[here] += table[here + d, row]
            out[~inside] += self.edges[d]
        token = 0
        for a in analyses:
            n = len(a.norms)
            for j, tags in enumerate(a.gazetteer):
                for tag in tags:
                    out[token + j] += self._gazetteer_tag(0, tag)
                    if j + 1 < n:
                        out[token + j + 1] += self._gazetteer_tag(-1, tag)
                    if j > 0:
                        out[token + j - 1] += self._gazetteer_tag(1, tag)
            token += n
        # word pairs: b+= to the first, b-= to the second
        first = np.flatnonzero(position + 1 < size)
        if len(first):
            stems = [w.stem for w in words]
            pairs = [pair_features(stems[i], stems[i + 1]) for i in first.tolist()]
            for which, shift in ((1, 0), (0, 1)):  # b+ to the left token, b- to the right one
                rows = self._find([pair[which] for pair in pairs])
                known = rows >= 0
                np.add.at(out, first[known] + shift, self.state[rows[known]])
        ends = np.cumsum(lengths)
        return [out[end - n:end] for end, n in zip(ends.tolist(), lengths.tolist())]

    def marginals(self, scores: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Each sentence's (n, labels) label marginals (forward-backward, normalised at each step
        as crfsuite does), sentences of similar length side by side: a batch pads each sentence
        to its longest, and one long sentence among short ones multiplied the work."""
        out: list[np.ndarray] = [None] * len(scores)  # type: ignore[list-item]
        order = sorted(range(len(scores)), key=lambda i: len(scores[i]))
        start = 0
        while start < len(order):
            end = start + 1
            while end < len(order) and (end - start + 1) * len(scores[order[end]]) <= MARGINAL_BATCH_TOKENS:
                end += 1
            group = order[start:end]
            for i, found in zip(group, self._marginals([scores[i] for i in group])):
                out[i] = found
            start = end
        return out

    def _marginals(self, scores: Sequence[np.ndarray]) -> list[np.ndarray]:
        lengths = np.array([len(s) for s in scores])
        if not len(scores) or lengths.max() == 0:
            return [np.zeros((0, len(self.transitions)), np.float32) for _ in scores]
        batch, length, k = len(scores), int(lengths.max()), len(self.transitions)
        exp_state = np.ones((batch, length, k))
        for b, s in enumerate(scores):
            exp_state[b, :len(s)] = np.exp(s)
        forward = np.empty((batch, length, k))
        backward = np.empty((batch, length, k))
        # Products with the transitions as broadcast sums, not matrix products: BLAS sums a
        # one-row product in another order than a many-row one, and a sentence's marginals
        # must not depend on what else is in the batch.
        move = self.exp_transitions[None]
        current = exp_state[:, 0]
        forward[:, 0] = current / current.sum(1, keepdims=True)
        for t in range(1, length):
            current = (forward[:, t - 1, :, None] * move).sum(1) * exp_state[:, t]
            forward[:, t] = current / current.sum(1, keepdims=True)
        backward[:, length - 1] = 1.0
        last = (lengths - 1)[:, None]
        for t in range(length - 2, -1, -1):
            current = ((backward[:, t + 1] * exp_state[:, t + 1])[:, None, :] * move).sum(2)
            current /= current.sum(1, keepdims=True)
            backward[:, t] = np.where(t < last, current, 1.0)  # a sentence's last token starts it
        joint = forward * backward
        joint /= joint.sum(2, keepdims=True)
        return [joint[b, :n].astype(np.float32) for b, n in enumerate(lengths)]

    def best_paths(self, scores: Sequence[np.ndarray]) -> list[list[int]]:
        """The best label path of each sentence (Viterbi; crfsuite's CRF has no start or end
        weights)."""
        out = []
        for s in scores:
            if not len(s):
                out.append([])
                continue
            best = s[0].copy()
            back = np.zeros(s.shape, np.int64)
            for t in range(1, len(s)):
                candidates = best[:, None] + self.transitions
                back[t] = candidates.argmax(0)
                best = candidates.max(0) + s[t]
            path = [int(best.argmax())]
            for t in range(len(s) - 1, 0, -1):
                path.append(int(back[t, path[-1]]))
            out.append(path[::-1])
        return out
