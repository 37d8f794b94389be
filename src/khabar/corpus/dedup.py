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
        for band in range(BANDS):
            keys = matrix[:, band * ROWS:(band + 1) * ROWS]
            buckets: dict[bytes, list[int]] = {}
            for i, key in enumerate(keys):
                buckets.setdefault(key.tobytes(), []).append(i)
            for bucket in buckets.values():
                if len(bucket) < 2:
                    continue
                first = bucket[0]
                for other in bucket[1:]:
                    if union.find(first) != union.find(other) and \
                            np.mean(matrix[first] == matrix[other]) >= threshold:
                        union.union(first, other)
                # neighbours too (linear, not all pairs): members unlike the first may be alike
                for a, b in zip(bucket[1:], bucket[2:]):
                    if union.find(a) != union.find(b) and np.mean(matrix[a] == matrix[b]) >= threshold:
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
