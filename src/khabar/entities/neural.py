"""The neural layer of the NER model, run with NumPy only: a BiLSTM-CRF over each token's
word vector (learned here from the news text), a character CNN over its stem, its word
clusters, proclitic, shape and gazetteer matches, the CRF's label marginals (stacking), and
the CRF's marginals for the same stem in the sentences around it (document context).

Trained with PyTorch (``khabar train ner``, the ``train`` extra) and exported to plain arrays
(``tagger.npz``, the word vectors in ``vectors.npz``); this module reproduces the forward pass
so that tagging needs no deep-learning framework. ``khabar.entities.train_neural`` checks that
the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from khabar.entities.features import PROCLITICS, WORD_CACHE_SIZE, SentenceAnalysis, forget_rare, shape

TAGS = ("O", "B-PERS", "I-PERS", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
GAZETTEER_TAGS = tuple(f"{label}-{part}" for label in ("LOC", "PERS", "ORG") for part in ("B1", "B2", "B3", "I"))
SHAPES = ("A", "D", "L", "LU", "LC", "P", "M")
CLUSTER_LEVELS = (64, 256, 1024)  # k of each k-means clustering of the word vectors
# Characters of a stem the CNN sees; longer stems keep both ends (prefixes and nisba/plural endings).
MAX_CHARS = 16

_PROCLITIC_INDEX = {p: i + 1 for i, p in enumerate(PROCLITICS)}
_SHAPE_INDEX = {s: i for i, s in enumerate(SHAPES)}
_GAZETTEER_INDEX = {g: i for i, g in enumerate(GAZETTEER_TAGS)}


@dataclass
class EncodedSentence:
    """Integer and float inputs of one sentence (n tokens)."""

    word: np.ndarray       # (n,) row in the vector table + 1, 0 when unknown
    clusters: np.ndarray   # (n, 3) cluster id + 1 per level, 0 when unknown
    proclitic: np.ndarray  # (n,)
    shape: np.ndarray      # (n,)
    gazetteer: np.ndarray  # (n, len(GAZETTEER_TAGS)) 0/1
    chars: np.ndarray      # (n, MAX_CHARS) character id + 1, 0 for padding or unknown
    marginals: np.ndarray  # (n, 9) the CRF's label marginals, (n, 19) with document context

    def __len__(self) -> int:
        return len(self.word)


def clip_stem(stem: str) -> str:
    return stem if len(stem) <= MAX_CHARS else stem[:MAX_CHARS // 2] + stem[-(MAX_CHARS // 2):]


# Columns of a word's integer inputs (_word_inputs).
_CLUSTERS = slice(1, 1 + len(CLUSTER_LEVELS))
_PROCLITIC, _SHAPE = 1 + len(CLUSTER_LEVELS), 2 + len(CLUSTER_LEVELS)
_INPUT_WIDTH = 3 + len(CLUSTER_LEVELS) + MAX_CHARS


def _word_inputs(norm: str, known, rank: dict[str, int], char_index: dict[str, int]) -> np.ndarray:
    """One token's integer inputs: word row, three cluster ids, proclitic, shape, characters."""
    out = np.zeros(_INPUT_WIDTH, np.int64)
    stem = known.stem
    for form in (norm, known.definite, stem):
        row = rank.get(form)
        if row is not None:
            out[0] = row + 1
            break
    if known.clusters:
        out[_CLUSTERS] = [int(c) + 1 for c in known.clusters]
    out[_PROCLITIC] = _PROCLITIC_INDEX.get(known.proclitic, 0)
    out[_SHAPE] = _SHAPE_INDEX[shape(stem)]
    for j, ch in enumerate(clip_stem(stem)):
        out[_SHAPE + 1 + j] = char_index.get(ch, 0)
    return out


def encode(analysis: SentenceAnalysis, rank: dict[str, int], char_index: dict[str, int],
           marginals: np.ndarray, cache: dict | None = None) -> EncodedSentence:
    """The network's inputs of one sentence; ``cache`` (norm -> inputs) keeps each distinct
    word's for the next sentences."""
    rows = []
    for norm, known in zip(analysis.norms, analysis.words):
        row = cache.get(norm) if cache is not None else None
        if row is None:
            row = _word_inputs(norm, known, rank, char_index)
            if cache is not None:
                if len(cache) >= WORD_CACHE_SIZE:
                    forget_rare(cache, rank)
                cache[norm] = row
        rows.append(row)
    n = len(rows)
    table = np.stack(rows) if rows else np.zeros((0, _INPUT_WIDTH), np.int64)
    gazetteer = np.zeros((n, len(GAZETTEER_TAGS)), np.float32)
    for i, tags in enumerate(analysis.gazetteer):
        for tag in tags:
            gazetteer[i, _GAZETTEER_INDEX[tag]] = 1.0
    return EncodedSentence(table[:, 0], table[:, _CLUSTERS], table[:, _PROCLITIC], table[:, _SHAPE], gazetteer,
                           table[:, _SHAPE + 1:], marginals.astype(np.float32))


def quantise_vectors(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit-length rows as int8 with one scale per row (a quarter of the float32 size)."""
    unit = vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9)
    scale = np.abs(unit).max(axis=1) / 127.0
    return np.round(unit / scale[:, None]).astype(np.int8), scale.astype(np.float32)


def word_vector_table(quantised: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Row 0 (unknown word) is zeros; row r + 1 is the vector of the word ranked r."""
    return QuantisedVectors(quantised, scale)[np.arange(len(quantised) + 1)]


def quantise_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows as int8 with one scale each (lengths kept, unlike :func:`quantise_vectors`)."""
    scale = np.abs(rows).max(axis=1) / 127.0 + 1e-12
    return np.round(rows / scale[:, None]).astype(np.int8), scale.astype(np.float32)


def load_encoder_vectors(path: Path, table_rows: int) -> "QuantisedVectors":
    """The encoder's per-word vectors (see ``khabar.entities.train.build_encoder_vectors``) as
    a table indexed like the word vectors: row r + 1 for the word ranked r, zeros for words the
    encoder never read."""
    with np.load(path) as data:
        rows, quantised, scale = data["rows"], data["quantised"], data["scale"]
    index = np.zeros(table_rows, np.int32)  # only the words read keep a row (memory per worker)
    index[rows + 1] = np.arange(1, len(rows) + 1)
    return QuantisedVectors(quantised, scale, index)


def encoder_vector_table(path: Path, table_rows: int) -> np.ndarray:
    """:func:`load_encoder_vectors` as a float table, for training (as :func:`word_vector_table`)."""
    return load_encoder_vectors(path, table_rows)[np.arange(table_rows)]


class QuantisedVectors:
    """The word vector table kept as int8 rows and a scale each (a quarter of the float32 size
    in every worker), its float rows made on demand: ``vectors[ids]``. With ``index``, word id
    i reads stored row index[i] (0: zeros), so that a sparse table stays small."""

    def __init__(self, quantised: np.ndarray, scale: np.ndarray, index: np.ndarray | None = None):
        self.quantised = np.concatenate([np.zeros((1, quantised.shape[1]), np.int8), quantised])
        self.scale = np.concatenate([np.zeros(1, np.float32), scale.astype(np.float32)])
        self.index = index

    def __getitem__(self, ids: np.ndarray) -> np.ndarray:
        if self.index is not None:
            ids = self.index[ids]
        return self.quantised[ids].astype(np.float32) * self.scale[ids, None]


# Sentences on either side in which the same stem's CRF marginals are averaged (document
# context), and how many of the most frequent words (function words) are left out of it.
CONTEXT_WINDOW = 20
CONTEXT_SKIP_FREQUENT = 300


def context_marginals(marginals: Sequence[np.ndarray], stems: Sequence[Sequence[str]], rank: dict[str, int],
                      window: int = CONTEXT_WINDOW) -> list[np.ndarray]:
    """For each token, the mean CRF marginals of the same stem's other occurrences within
    ``window`` sentences, and log(1 + how many there are) / 3: the evidence a name leaves
    elsewhere in the text (a learned form of one-sense-per-document)."""
    from bisect import bisect_left, bisect_right
    from math import log1p

    k = marginals[0].shape[1] if marginals else len(TAGS)
    out = [np.zeros((len(m), k + 1), np.float32) for m in marginals]
    occurrences: dict[str, list[tuple[int, int]]] = {}
    for i, sentence in enumerate(stems):
        for j, stem in enumerate(sentence):
            if len(stem) >= 3 and rank.get(stem, CONTEXT_SKIP_FREQUENT) >= CONTEXT_SKIP_FREQUENT:
                occurrences.setdefault(stem, []).append((i, j))
    for places in occurrences.values():
        if len(places) < 2:
            continue
        where = [i for i, _ in places]
        stacked = np.stack([marginals[i][j] for i, j in places])
        cumulative = np.vstack([np.zeros((1, k), np.float32), np.cumsum(stacked, axis=0)])
        for n, (i, j) in enumerate(places):
            lo, hi = bisect_left(where, i - window), bisect_right(where, i + window)
            others = hi - lo - 1
            if others:
                out[i][j, :k] = (cumulative[hi] - cumulative[lo] - stacked[n]) / others
                out[i][j, k] = log1p(others) / 3
    return out


def with_context(marginals: Sequence[np.ndarray], analyses: Sequence[SentenceAnalysis], rank: dict[str, int],
                 window: int) -> list[np.ndarray]:
    """Each sentence's CRF marginals followed by their :func:`context_marginals`: what the
    network reads of the CRF, at training and at tagging time alike."""
    around = context_marginals(marginals, [a.stems for a in analyses], rank, window)
    return [np.hstack([m, c]) for m, c in zip(marginals, around)]


class NeuralTagger:
    """The exported BiLSTM-CRF; ``emissions`` then ``viterbi`` give the tags."""

    def __init__(self, weights: dict[str, np.ndarray]):
        self.w = {k: v if isinstance(v, QuantisedVectors) else np.asarray(v, dtype=np.float32)
                  for k, v in weights.items() if k not in ("chars", "context_window", "reads_encoder_vectors")}
        self.char_index = {ch: i + 1 for i, ch in enumerate(str(weights["chars"]))}
        self.hidden = self.w["lstm.weight_hh_l0"].shape[1]
        conv = self.w["conv.weight"]  # (filters, channels, width) as PyTorch stores it
        self.conv_matrix = np.ascontiguousarray(conv.transpose(2, 1, 0).reshape(-1, conv.shape[0]))
        self.width = conv.shape[2]
        # Weights row-major, as the batch-invariance of emissions() needs (with transposed
        # operands OpenBLAS takes paths whose sums for one row depend on how many rows there
        # are). The LSTM's gates reordered (input, forget, output, candidate) and the sigmoid
        # gates' columns halved, so that one tanh serves all four: sigmoid(x) = (1 + tanh(x/2)) / 2;
        # halving is exact in floating point, so the results are those of the plain formula.
        size = self.hidden
        order = np.r_[0:2 * size, 3 * size:4 * size, 2 * size:3 * size]
        scale = np.r_[np.full(3 * size, 0.5, np.float32), np.ones(size, np.float32)]

        def gates(name: str) -> np.ndarray:
            return np.ascontiguousarray(self.w[name].T[..., order] * scale)

        self.recurrent = np.stack([gates("lstm.weight_hh_l0"), gates("lstm.weight_hh_l0_reverse")])
        self.input_weights = [gates(f"lstm.weight_ih_l0{d}") for d in ("", "_reverse")]
        self.gate_biases = [(self.w[f"lstm.bias_ih_l0{d}"][order] * scale, self.w[f"lstm.bias_hh_l0{d}"][order] * scale)
                            for d in ("", "_reverse")]
        self.output_weights = np.ascontiguousarray(self.w["out.weight"].T)
        # Whether the network reads document context (see context_marginals), and how wide.
        self.context_window = int(weights.get("context_window", 0))
        self._empty_stem_cache(WORD_CACHE_SIZE)

    @classmethod
    def load(cls, path: Path, vectors_path: Path, encoder_path: Path | None = None) -> "NeuralTagger":
        with np.load(path) as data:
            weights = {k: data[k] for k in data.files}
        with np.load(vectors_path) as vectors:
            weights["word_vectors"] = QuantisedVectors(vectors["quantised"], vectors["scale"])
        if int(weights.get("reads_encoder_vectors", 0)):
            weights["encoder_vectors"] = load_encoder_vectors(encoder_path, len(weights["word_vectors"].scale))
        return cls(weights)

    def _char_features(self, chars: np.ndarray) -> np.ndarray:
        """(n, filters) character-CNN features of n stems' character rows. News repeats its
        words: each stem's features are remembered (up to WORD_CACHE_SIZE stems), and the
        stems not seen yet computed together. A stem's features are the same whichever stems
        share its product (each stem is a 16-row matrix product of its own windows)."""
        width = chars.shape[1] * chars.itemsize
        raw = np.ascontiguousarray(chars).tobytes()
        keys = [raw[start:start + width] for start in range(0, len(raw), width)]
        known = self._stems
        missing = list(dict.fromkeys(key for key in keys if key not in known))
        if len(known) + len(missing) > len(self._stem_table):
            missing = list(dict.fromkeys(keys))
            self._empty_stem_cache(max(len(self._stem_table), len(missing)))
            known = self._stems
        if missing:
            rows = np.frombuffer(b"".join(missing), chars.dtype).reshape(len(missing), -1)
            start = len(known)
            self._stem_table[start:start + len(missing)] = self._convolve(rows)
            known.update(zip(missing, range(start, start + len(missing))))
        return self._stem_table[np.fromiter((known[key] for key in keys), np.int64, len(keys))]

    def _empty_stem_cache(self, size: int) -> None:
        """Room for ``size`` stems' CNN features, none remembered."""
        self._stems: dict[bytes, int] = {}  # a stem's character row -> its row of _stem_table
        self._stem_table = np.zeros((size, self.conv_matrix.shape[1]), np.float32)

    def _convolve(self, chars: np.ndarray) -> np.ndarray:
        """(n, filters) character-CNN features of n character rows, in slices that stay in
        the cache."""
        w = self.w
        pad = self.width // 2
        out = np.empty((len(chars), self.conv_matrix.shape[1]), np.float32)
        for start in range(0, len(chars), 256):
            embedded = w["char_embedding"][chars[start:start + 256]]         # (n, C, E)
            padded = np.pad(embedded, ((0, 0), (pad, pad), (0, 0)))
            windows = np.concatenate([padded[:, k:k + MAX_CHARS] for k in range(self.width)], axis=2)
            out[start:start + 256] = np.maximum(windows @ self.conv_matrix + w["conv.bias"], 0).max(axis=1)
        return out

    def _inputs(self, batch: Sequence[EncodedSentence]) -> np.ndarray:
        """(tokens, D) network inputs of all the batch's tokens, sentence after sentence."""
        w = self.w
        cat = np.concatenate
        words = cat([s.word for s in batch])
        parts = [w["word_vectors"][words]]
        if "encoder_vectors" in w:
            parts.append(w["encoder_vectors"][words])
        parts.append(self._char_features(cat([s.chars for s in batch])))
        clusters = cat([s.clusters for s in batch])
        parts += [w[f"cluster_embedding.{k}"][clusters[:, k]] for k in range(len(CLUSTER_LEVELS))]
        parts += [w["proclitic_embedding"][cat([s.proclitic for s in batch])],
                  w["shape_embedding"][cat([s.shape for s in batch])],
                  cat([s.gazetteer for s in batch]), cat([s.marginals for s in batch])]
        return cat(parts, axis=1)

    def _bilstm(self, x: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """(tokens, 2H) hidden states of the tokens ``x`` of sentences of ``lengths``. Both
        directions run in one loop over time (half the Python steps), all sentences side by
        side; the backward one reads each sentence from its own last token."""
        size = self.hidden
        batch, length = len(lengths), int(lengths.max())
        sentence = np.repeat(np.arange(batch), lengths)
        position = np.arange(len(x)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        backward_position = np.repeat(lengths, lengths) - 1 - position
        gates_in = np.zeros((length, 2, batch, 4 * size), np.float32)  # time first: one block per step
        for direction, steps in enumerate((position, backward_position)):
            projected = x @ self.input_weights[direction]
            for bias in self.gate_biases[direction]:
                projected += bias
            gates_in[steps, direction, sentence] = projected
        h = np.zeros((2, batch, size), np.float32)
        c = np.zeros((2, batch, size), np.float32)
        g = np.empty((2, batch, 4 * size), np.float32)
        out = np.empty((length, 2, batch, size), np.float32)
        for t in range(length):
            np.matmul(h, self.recurrent, out=g)
            np.add(gates_in[t], g, out=g)
            np.tanh(g, out=g)
            gate = 0.5 * (1.0 + g[..., :3 * size])
            c = gate[..., size:2 * size] * c + gate[..., :size] * g[..., 3 * size:]
            h = gate[..., 2 * size:] * np.tanh(c)
            out[t] = h
        return np.concatenate([out[position, 0, sentence], out[backward_position, 1, sentence]], axis=1)

    def emissions(self, batch: Sequence[EncodedSentence]) -> list[np.ndarray]:
        """Per sentence, an (n, len(TAGS)) array of label scores, the same to the last bit
        whatever else is in the batch (a document's tags must not depend on its neighbours in a
        corpus run): every matrix product is row-major with at least two rows, since BLAS
        computes a single row by another method (a matrix-vector product)."""
        lengths = np.array([len(s) for s in batch])
        x = self._inputs(batch)
        if len(batch) == 1:  # a second, one-token sentence beside it
            x, lengths = np.concatenate([x, np.zeros_like(x[:1])]), np.append(lengths, 1)
        hidden = self._bilstm(x, lengths)
        scores = hidden @ self.output_weights + self.w["out.bias"]
        ends = np.cumsum(lengths)
        return [scores[end - n:end] for end, n in zip(ends[:len(batch)], lengths)]

    def viterbi_batch(self, scores: Sequence[np.ndarray]) -> list[list[str]]:
        """The best tag path of each sentence under the CRF layer, all sentences at once."""
        lengths = np.array([len(s) for s in scores])
        if not len(scores) or lengths.max() == 0:
            return [[] for _ in scores]
        batch, length, k = len(scores), int(lengths.max()), len(TAGS)
        padded = np.zeros((batch, length, k), np.float32)
        for b, s in enumerate(scores):
            padded[b, :len(s)] = s
        transitions = self.w["crf.transitions"]
        best = self.w["crf.start"] + padded[:, 0]
        back = np.zeros((batch, length, k), np.int64)
        for t in range(1, length):
            candidates = best[:, :, None] + transitions                 # (B, from, to)
            back[:, t] = candidates.argmax(1)
            best = np.where((t < lengths)[:, None], candidates.max(1) + padded[:, t], best)
        current = (best + self.w["crf.end"]).argmax(1)
        path = np.zeros((batch, length), np.int64)
        rows = np.arange(batch)
        for t in range(length - 1, 0, -1):
            inside = t < lengths
            path[inside, t] = current[inside]
            current = np.where(inside, back[rows, t, current], current)
        path[:, 0] = current
        return [[TAGS[i] for i in path[b, :n]] for b, n in enumerate(lengths)]

    def viterbi(self, scores: np.ndarray) -> list[str]:
        return self.viterbi_batch([scores])[0]
