"""How often a place's name is a place where it occurs: measured on news, shipped as data.

Many one-word place names are also ordinary words (``حقل`` a field, ``السنة`` the year, ``معسكر`` a
camp), and the recogniser misses real places now and then (``من أبها``). Which is which is decided
on data, not by hand: over a sample of news (SaudiNewsNet and the 2018 pan-Arab ANT corpus, the
development sets left out), the recogniser's CRF layer tags every occurrence of every one-word
gazetteer name, and the share it tags as a place is that name's *placeness*. The rules then take
an untagged one-word gazetteer match for a place only where its placeness is high (see
``khabar.entities.rules.places``). ``khabar train place-words`` rebuilds the table.
"""

from __future__ import annotations

import json
import tarfile
import time
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable, Iterator

from khabar.entities.features import strip_proclitics
from khabar.normalize import normalize_arabic

PLACE_WORDS_FILE = "place_words.tsv"
MIN_OCCURRENCES = 5  # fewer occurrences say too little to ship
DEVELOPMENT_SETS = ("places-dev", "quotes-dev", "quotes-dev2")


def single_word_key(norm: str, single_keys: set[str]) -> str | None:
    """The one-word gazetteer key a normalised token stands for (بجدة -> جده, للرياض -> الرياض)."""
    if norm in single_keys:
        return norm
    clitic, stem = strip_proclitics(norm)
    if not clitic:
        return None
    for key in (stem, "ال" + stem):
        if key in single_keys:
            return key
    return None


def _development_ids(shared: Path) -> set[str]:
    ids = set()
    for name in DEVELOPMENT_SETS:
        path = shared / "data" / name / "docs.jsonl"
        if path.is_file():
            with path.open(encoding="utf-8") as stream:
                ids.update(json.loads(line)["id"] for line in stream if line.strip())
    return ids


def _saudinewsnet_texts(shared: Path, limit: int, skip: set[str]) -> Iterator[str]:
    import khabar
    from khabar.data import BODY, Document

    zips = sorted((shared / "data" / "saudinewsnet").glob("*.zip"))
    count = 0
    for document in khabar.process_paths([str(z) for z in zips], pipeline=khabar.default_pipeline(["clean"])):
        if not isinstance(document, Document) or document.id in skip:
            continue
        yield "\n".join(document.raw[b.start:b.end] for b in document.blocks(BODY))
        count += 1
        if count >= limit:
            return


def _ant_texts(shared: Path, limit: int) -> Iterator[str]:
    """Every n-th article of the ANT archive (its <TEXT> part), for an even spread of outlets."""
    archives = sorted((shared / "data" / "ant").glob("*.tar.gz"))
    for archive in archives:
        with tarfile.open(archive) as tar:
            members = [m for m in tar.getmembers() if m.isfile() and m.name.endswith(".txt")]
            step = max(1, len(members) // limit)
            for member in members[::step][:limit]:
                text = tar.extractfile(member).read().decode("utf-8", "replace")
                start, end = text.find("<TEXT>"), text.find("</TEXT>")
                yield text[start + 6:end] if start >= 0 and end > start else text


def count_place_words(texts: Iterator[str], single_keys: set[str], tag: Callable) -> dict[str, tuple[int, int]]:
    """``{key: (occurrences, tagged as a place)}`` over ``texts``."""
    from khabar.entities.mentions import sentences, tokenize

    seen: Counter[str] = Counter()
    placed: Counter[str] = Counter()
    batch: list[list] = []

    def flush() -> None:
        for group, tags in zip(batch, tag([[t.text for t in g] for g in batch])):
            for token, label in zip(group, tags):
                key = single_word_key(normalize_arabic(token.text), single_keys)
                if key is not None:
                    seen[key] += 1
                    placed[key] += label.endswith("LOC")
        batch.clear()

    for text in texts:
        batch.extend(sentences(tokenize(text, 0)))
        if len(batch) >= 2000:
            flush()
    flush()
    return {key: (seen[key], placed[key]) for key in seen}


def build_place_words(shared: Path, out: Path, *, saudinewsnet_docs: int = 8000, ant_docs: int = 4000,
                      log: Callable[[str], None] = lambda line: None) -> dict:
    from khabar.entities.model import load_model
    from khabar.entities.places import load_gazetteer

    started = time.time()
    gazetteer = load_gazetteer()
    single_keys = {key for key in gazetteer.by_key if " " not in key and gazetteer.candidates(key)}
    model = load_model()
    skip = _development_ids(shared)
    log(f"tagging {saudinewsnet_docs} SaudiNewsNet and {ant_docs} ANT articles (development sets left out) ...")
    texts = (t for source in (_saudinewsnet_texts(shared, saudinewsnet_docs, skip), _ant_texts(shared, ant_docs))
             for t in source)
    counts = count_place_words(texts, single_keys, model.crf_tag)
    kept = sorted((key, n, loc) for key, (n, loc) in counts.items() if n >= MIN_OCCURRENCES)
    with out.open("w", encoding="utf-8") as stream:
        stream.write("# name\toccurrences\ttagged_as_place (khabar train place-words)\n")
        for key, n, loc in kept:
            stream.write(f"{key}\t{n}\t{loc}\n")
    return {"seconds": round(time.time() - started), "names": len(kept)}


@lru_cache(maxsize=1)
def load_place_words() -> dict[str, tuple[int, int]]:
    """The shipped table: ``{key: (occurrences, tagged as a place)}`` (empty if not shipped)."""
    path = resources.files("khabar.resources").joinpath(PLACE_WORDS_FILE)
    if not path.is_file():
        return {}
    table = {}
    for line in path.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            key, n, loc = line.split("\t")
            table[key] = (int(n), int(loc))
    return table


def placeness(key: str) -> float:
    """The share of a one-word place name's occurrences that are the place (0 when unmeasured)."""
    n, loc = load_place_words().get(key, (0, 0))
    return loc / n if n else 0.0
