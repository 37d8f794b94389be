"""Train the speaker ranker (``khabar train speakers``) on the development sets' gold.

The training documents are ``quotes-dev`` and the *tune* half of ``quotes-dev2`` (within each
outlet, in file order, the 1st, 3rd, ... article); its *report* half is never used here, so the
figures on it stay a fair estimate (``python bench/eval_statements.py --half report``).

For each statement the rules find whose content matches a gold statement (the shared scorer's
rule: half of the shorter span's words shared), the resolver's candidates are labelled right
when the scorer would accept their name as the gold speaker. Earlier statements enter the
history as the resolver leaves them: first as the rules read them, then, in a second round, as
the first round's model resolves them, so that the model learns from the history it will see.
A conditional log-linear model (softmax over a statement's candidates, L2 penalty) is fitted by
full-batch gradient descent: deterministic, a few seconds.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Callable

import numpy as np

from khabar.data import Document
from khabar.devsets import half_ids, load_tool

SETS = (("quotes-dev", None), ("quotes-dev2", "tune"))


def match_statements(scorer, gold: list[dict], contents: list[str]) -> dict[int, int]:
    """Found statement index -> gold statement index, one to one, best overlap first: the
    shared scorer's rule (half of the shorter span's words shared)."""
    pairs = sorted(((scorer.overlap(g.get("content", ""), text), i, j)
                    for i, g in enumerate(gold) for j, text in enumerate(contents)), reverse=True)
    used_gold, matched = set(), {}
    for overlap, i, j in pairs:
        if overlap < 0.5 or i in used_gold or j in matched:
            continue
        used_gold.add(i)
        matched[j] = i
    return matched


def collect_groups(shared: Path, weights: dict[str, float], sets=SETS) -> list[tuple[list[dict[str, float]], list[bool]]]:
    """One group per matched statement: its candidates' features and whether each is right.
    The earlier statements are resolved with ``weights``, as they will be when the model runs."""
    from khabar.api import default_pipeline, process_paths
    from khabar.statements.extract import StatementExtractor
    from khabar.statements.speakers import SpeakerResolver, _Layout, take_continued_speaker

    scorer = load_tool(shared / "tools" / "score_quotes.py")
    pipeline = default_pipeline(["clean", "ner", "geocode"])
    extractor = StatementExtractor(resolve=False)
    resolver = SpeakerResolver(extractor.lexicon, weights=weights)
    groups = []
    for name, half in sets:
        folder = shared / "data" / name
        gold = scorer.load(folder / "gold.jsonl")
        if half:
            keep = half_ids(folder / "docs.jsonl", half)
            gold = {key: value for key, value in gold.items() if key in keep}
        for document in process_paths([str(folder / "docs.jsonl")], pipeline=pipeline):
            if not isinstance(document, Document) or document.id not in gold:
                continue
            statements = sorted(extractor.extract(document), key=lambda s: s.cue_chars[0])
            contents = [document.raw[s.content_chars[0]:s.content_chars[1]] for s in statements]
            truths = gold[document.id]
            matched = {j: truths[i] for j, i in match_statements(scorer, truths, contents).items()}
            entities = sorted((e for e in document.layers.get("entities", []) if e.label in ("PERS", "ORG", "LOC")),
                              key=lambda e: e.start)
            layout = _Layout(document, entities)
            history = []
            for index, statement in enumerate(statements):
                truth = matched.get(index)
                take_continued_speaker(statement)  # as the resolver does
                candidates = resolver.candidates(statement, history, entities, layout, document.raw)
                if truth is not None and candidates:
                    names = [truth.get("speaker", ""), truth.get("speaker_mention", "")]
                    labels = [scorer.same_name(c.name, names) for c in candidates]
                    if any(labels) and not all(labels):
                        groups.append(([c.features for c in candidates], labels))
                resolver.choose(statement, candidates)
                history.append(statement)
    return groups


def fit(groups, *, penalty: float = 1.0, steps: int = 3000, rate: float = 0.05) -> dict[str, float]:
    """Conditional log-linear weights maximising the probability of the right candidates."""
    names = sorted({name for features, _ in groups for f in features for name in f})
    index = {name: i for i, name in enumerate(names)}
    matrices, targets = [], []
    for features, labels in groups:
        matrix = np.zeros((len(features), len(names)))
        for row, f in enumerate(features):
            for name, value in f.items():
                matrix[row, index[name]] = value
        matrices.append(matrix)
        targets.append(np.array(labels, dtype=bool))
    weights = np.zeros(len(names))
    first, second = np.zeros(len(names)), np.zeros(len(names))  # Adam moments
    for step in range(1, steps + 1):
        gradient = penalty * weights
        for matrix, right in zip(matrices, targets):
            scores = matrix @ weights
            scores -= scores.max()
            p = np.exp(scores)
            p /= p.sum()
            q = np.where(right, p, 0.0)
            q /= q.sum()
            gradient += matrix.T @ (p - q)
        first = 0.9 * first + 0.1 * gradient
        second = 0.999 * second + 0.001 * gradient ** 2
        weights -= rate * (first / (1 - 0.9 ** step)) / (np.sqrt(second / (1 - 0.999 ** step)) + 1e-8)
    return {name: round(float(w), 4) for name, w in zip(names, weights) if abs(w) >= 1e-4}


def accuracy(groups, weights: dict[str, float]) -> float:
    right = 0
    for features, labels in groups:
        scores = [sum(weights.get(n, 0.0) * v for n, v in f.items()) for f in features]
        right += labels[max(range(len(scores)), key=scores.__getitem__)]
    return right / len(groups) if groups else 0.0


def train_speakers(shared: Path, out: Path, *, penalty: float = 3.0, rounds: int = 2,
                   log: Callable[[str], None] = lambda line: None) -> dict:
    started = time.perf_counter()
    weights: dict[str, float] = {}
    for round_ in range(rounds):  # the history the model sees is the one it makes
        groups = collect_groups(shared, weights)
        log(f"round {round_ + 1}: {len(groups)} statements whose candidates disagree, from quotes-dev and "
            "the tune half of quotes-dev2")
        weights = fit(groups, penalty=penalty)
    summary = {"groups": len(groups), "training_accuracy": round(accuracy(groups, weights), 3),
               "penalty": penalty, "trained_on": ["quotes-dev", "quotes-dev2 (tune half)"]}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"about": summary, "weights": weights}, ensure_ascii=False, indent=1, sort_keys=True)
                   + "\n", encoding="utf-8")
    summary["seconds"] = round(time.perf_counter() - started, 1)
    return summary
