"""Training and scoring the structure model on generated pages (``khabar train structure``).

Pages come from :mod:`khabar.cleaning.pagegen`: articles of SaudiNewsNet and ANT whose title
and body are known, wrapped in layout families. The shipped model learns from every family,
on the training articles only (a fixed fifth of the articles is held out); the benchmark
``bench/eval_structure.py`` trains one model per family left out and scores it on that
family's pages of held-out articles.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from khabar.cleaning import lines as labels
from khabar.cleaning.pagegen import FAMILIES, Page, generate_pages, is_held_out, load_articles
from khabar.cleaning.structure import StructureModel, prepare_lines, recover_structure
from khabar.cleaning.lines import line_features
from khabar.data import BODY, TITLE, Document
from khabar.normalize import match_words

# Chosen on a held-out family (not on the test family): c1 keeps the feature set small.
C1, C2, ITERATIONS = 0.2, 0.05, 150


def _line_starts(page: Page) -> list[int]:
    separator = 2 if page.blank_lines else 1
    starts, position = [], 0
    for text, _ in page.lines:
        starts.append(position)
        position += len(text) + separator
    return starts


def _gold_index(starts: list[int], offset: int) -> int:
    """The generated line holding character ``offset``."""
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low


def page_sequence(page: Page) -> tuple[list[dict[str, float]], list[str]]:
    """The model's observations for a page and the gold label of each line."""
    document = Document(id=page.article.id, raw=page.text)
    lines, _ = prepare_lines(document)
    starts = _line_starts(page)
    gold = [page.lines[_gold_index(starts, line.start)][1] for line in lines]
    return line_features(lines), gold


def train_model(sequences: list[tuple[list[dict], list[str]]], path: Path, *, c1: float = C1, c2: float = C2,
                iterations: int = ITERATIONS) -> Path:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for features, gold in sequences:
        trainer.append(pycrfsuite.ItemSequence(features), gold)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations,
                        "feature.possible_transitions": True})
    trainer.train(str(path))
    return path


@dataclass
class Score:
    pages: int = 0
    titles_right: int = 0
    body_true: int = 0
    body_false: int = 0
    body_missed: int = 0
    confusions: dict = field(default_factory=dict)

    @property
    def title_accuracy(self) -> float:
        return self.titles_right / self.pages if self.pages else 0.0

    @property
    def body_precision(self) -> float:
        found = self.body_true + self.body_false
        return self.body_true / found if found else 0.0

    @property
    def body_recall(self) -> float:
        gold = self.body_true + self.body_missed
        return self.body_true / gold if gold else 0.0

    def add(self, other: "Score") -> None:
        for name in ("pages", "titles_right", "body_true", "body_false", "body_missed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for key, count in other.confusions.items():
            self.confusions[key] = self.confusions.get(key, 0) + count


def score_pages(pages: list[Page], model: StructureModel) -> Score:
    """Title accuracy and body-line precision/recall of ``model`` on generated pages."""
    score = Score()
    for page in pages:
        document = Document(id=page.article.id, raw=page.text)
        blocks = recover_structure(document, model)
        starts = _line_starts(page)
        predicted_body = [False] * len(page.lines)
        predicted_kind = [""] * len(page.lines)
        predicted_title = ""
        for block in blocks:
            index = _gold_index(starts, block.start)
            predicted_kind[index] = predicted_kind[index] or block.attrs["kind"]
            if block.label == BODY:
                predicted_body[index] = True
            elif block.label == TITLE and not predicted_title:
                predicted_title = document.raw[block.start:block.end]
        score.pages += 1
        # a page without a title line is right when no title is found
        gold_title = page.article.title if any(label == labels.TITLE for _, label in page.lines) else ""
        score.titles_right += match_words(predicted_title) == match_words(gold_title)
        for (text, gold), found, kind in zip(page.lines, predicted_body, predicted_kind):
            is_body = gold == labels.BODY
            if is_body and found:
                score.body_true += 1
            elif found:
                score.body_false += 1
                key = f"{gold} kept as body"
                score.confusions[key] = score.confusions.get(key, 0) + 1
            elif is_body:
                score.body_missed += 1
                key = f"body removed as {kind}"
                score.confusions[key] = score.confusions.get(key, 0) + 1
    return score


def build_pages(shared: Path, *, seed: int, per_family: int, test_per_family: int | None = None,
                families: list[str] | None = None, articles_limit: int = 8000) -> tuple[list[Page], list[Page]]:
    """(training pages, held-out pages): the same families over disjoint articles."""
    articles = load_articles(shared, limit=articles_limit, seed=seed)
    train_articles = [a for a in articles if not is_held_out(a)]
    test_articles = [a for a in articles if is_held_out(a)]
    names = families or list(FAMILIES)
    return (generate_pages(train_articles, names, per_family=per_family, seed=seed),
            generate_pages(test_articles, names, per_family=test_per_family or max(1, per_family // 4), seed=seed + 1))


def train_structure(shared: str | Path, out: str | Path | None = None, *, seed: int = 1,
                    per_family: int = 300, log=lambda line: None) -> dict:
    """Train the shipped structure model on every family's training pages; report its score on
    the held-out articles' pages (all families seen: see bench/eval_structure.py for the
    honest leave-one-family-out figures)."""
    from importlib import resources

    started = time.perf_counter()
    out = Path(out) if out else Path(str(resources.files("khabar.resources").joinpath("structure.crfsuite")))
    train_pages, test_pages = build_pages(Path(shared), seed=seed, per_family=per_family)
    log(f"{len(train_pages)} training pages, {len(test_pages)} held-out pages in {len(FAMILIES)} families")
    sequences = [page_sequence(page) for page in train_pages]
    train_model(sequences, out)
    score = score_pages(test_pages, StructureModel(out))
    summary = {"model": str(out), "train_pages": len(train_pages), "test_pages": len(test_pages),
               "title_accuracy": round(score.title_accuracy, 4), "body_precision": round(score.body_precision, 4),
               "body_recall": round(score.body_recall, 4), "seconds": round(time.perf_counter() - started, 1)}
    log(str(summary))
    return summary
