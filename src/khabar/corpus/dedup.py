"""Grouping duplicates from stored signatures: exact (same normalised body) and near
(MinHash LSH, 14 bands x 8 rows, verified on the signatures' estimated Jaccard).

Near duplicates are grouped over distinct bodies, so an exact group is one node; a near group
has at least two different bodies. Every group names its earliest member (by date, then by
the order it was stored)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from khabar.corpus.signature import BANDS, NUM_PERM, ROWS

# Signatures agreeing on at least this share of values are near duplicates (≈ Jaccard).
NEAR_THRESHOLD = 0.7


@dataclass
class Group:
    kind: str  # "exact" or "near"
    representative: int
    members: list[int]


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def near_pairs(matrix: np.ndarray, threshold: float = NEAR_THRESHOLD) -> set[tuple[int, int]]:
    """Row pairs of a signature matrix that share a band (LSH candidates) and agree on at
    least ``threshold`` of their values. Vectorised per band: rows are bucketed by sorting
    the band's bytes; each bucket's members are checked against its first member and against
    their neighbour, which links every bucket of true duplicates through the union-find."""
    pairs: set[tuple[int, int]] = set()
    rows = len(matrix)
    for band in range(BANDS):
        keys = np.ascontiguousarray(matrix[:, band * ROWS:(band + 1) * ROWS]).view(f"V{ROWS * 4}").ravel()
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        sizes = np.diff(np.r_[starts, rows])
        # buckets of two, by far the most common, all at once
        twos = starts[sizes == 2]
        if len(twos):
            a, b = order[twos], order[twos + 1]
            agree = (matrix[a] == matrix[b]).mean(axis=1) >= threshold
            pairs.update(zip(np.minimum(a, b)[agree].tolist(), np.maximum(a, b)[agree].tolist()))
        for start, size in zip(starts[sizes > 2], sizes[sizes > 2]):
            bucket = order[start:start + size]
            first = matrix[bucket[0]]
            agree = (matrix[bucket[1:]] == first).mean(axis=1)
            pairs.update((min(int(bucket[0]), int(o)), max(int(bucket[0]), int(o)))
                         for o, a in zip(bucket[1:], agree) if a >= threshold)
            if size > 2:
                neighbours = (matrix[bucket[1:-1]] == matrix[bucket[2:]]).mean(axis=1)
                pairs.update((min(int(x), int(y)), max(int(x), int(y)))
                             for x, y, a in zip(bucket[1:-1], bucket[2:], neighbours) if a >= threshold)
    return pairs


def group_duplicates(rows: list[tuple[int, str, bytes, str | None]], *, empty_hash: str,
                     threshold: float = NEAR_THRESHOLD) -> list[Group]:
    """``rows`` are ``(doc, body_hash, minhash, date)``; documents whose body is empty
    (``empty_hash``) are never duplicates of anything."""
    rows = [r for r in rows if r[1] != empty_hash]
    order = {doc: (date or "9999", doc) for doc, _, _, date in rows}

    def earliest(members: list[int]) -> int:
        return min(members, key=order.__getitem__)

    by_hash: dict[str, list[int]] = {}
    signature_of: dict[str, bytes] = {}
    for doc, digest, signature, _ in rows:
        by_hash.setdefault(digest, []).append(doc)
        signature_of.setdefault(digest, signature)
    groups = [Group("exact", earliest(docs), sorted(docs, key=order.__getitem__))
              for docs in by_hash.values() if len(docs) > 1]

    hashes = list(signature_of)
    if len(hashes) > 1:
        matrix = np.frombuffer(b"".join(signature_of[h] for h in hashes), dtype=np.uint32).reshape(len(hashes), NUM_PERM)
        union = _UnionFind(len(hashes))
        for a, b in near_pairs(matrix, threshold):
            union.union(a, b)
        components: dict[int, list[int]] = {}
        for i in range(len(hashes)):
            components.setdefault(union.find(i), []).append(i)
        for nodes in components.values():
            if len(nodes) < 2:
                continue
            members = [doc for i in nodes for doc in by_hash[hashes[i]]]
            groups.append(Group("near", earliest(members), sorted(members, key=order.__getitem__)))
    groups.sort(key=lambda g: order[g.representative])
    return groups
