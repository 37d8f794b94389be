"""Duplicate detection on the real SaudiNewsNet corpus and on near duplicates built from it."""

import json
import random
import re
import zipfile

import pytest

from khabar.api import default_pipeline
from khabar.corpus import ingest
from khabar.corpus.signature import Signature
from khabar.pipeline import Pipeline
from khabar.storage import queries
from khabar.storage.database import Database

from ..conftest import SAUDINEWSNET

CLEAN_ONLY = Pipeline(list(default_pipeline(["clean"]).stages) + [Signature()])


def _records():
    for archive in sorted(SAUDINEWSNET.glob("*.zip")):
        with zipfile.ZipFile(archive) as z:
            for member in z.namelist():
                stem = member.split(".")[0]
                for index, record in enumerate(json.loads(z.read(member))):
                    yield f"saudinewsnet/{stem}/{index}", record


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    db = Database(tmp_path_factory.mktemp("corpus") / "snn.db")
    summary = ingest([str(p) for p in sorted(SAUDINEWSNET.glob("*.zip"))], db, workers=2, pipeline=CLEAN_ONLY)
    assert summary.failed == 0 and summary.added > 27000
    return db


def test_duplicates_every_byte_identical_group_is_found(corpus_db):
    """Independently: group the raw records by their exact content bytes."""
    by_content: dict[str, list[str]] = {}
    for doc_id, record in _records():
        if (record.get("content") or "").strip():
            by_content.setdefault(record["content"], []).append(doc_id)
    identical = [ids for ids in by_content.values() if len(ids) > 1]
    assert len(identical) > 100  # the corpus really has them
    exact = [g for g in queries.duplicates(corpus_db) if g["kind"] == "exact"]
    group_of = {doc: i for i, g in enumerate(exact) for doc in g["members"]}
    for ids in identical:
        assert ids[0] in group_of, ids
        assert {group_of.get(doc) for doc in ids} == {group_of[ids[0]]}, ids
    assert len(exact) >= len(identical)
    for group in exact:  # each group names its earliest member first
        assert group["representative"] == group["members"][0]


def test_duplicates_outlet_templates_learned(corpus_db):
    templates = corpus_db.connection.execute(
        "SELECT outlet, text, documents FROM outlet_templates ORDER BY documents DESC").fetchall()
    assert templates
    outlet, text, documents = templates[0]
    assert documents >= 3  # a line the outlet repeats, learned from the corpus
    record = json.loads(corpus_db.connection.execute(
        "SELECT d.record FROM documents d JOIN blocks b ON b.doc = d.rowid WHERE b.kind = 'outlet_template'"
        " LIMIT 1").fetchone()[0])
    removed = [b for b in record["boilerplate"] if b["kind"] == "outlet_template"]
    assert removed and all(b["text"] not in record["text"].split("\n\n") for b in removed)
    # the 3alyoum byline goes, as a dateline of the page or as the outlet's template
    record = json.loads(corpus_db.connection.execute(
        "SELECT record FROM documents WHERE outlet = 'عين اليوم' AND raw LIKE '%عين اليوم – متابعات%' LIMIT 1").fetchone()[0])
    assert "عين اليوم – متابعات" not in record["text"]
    assert any("عين اليوم – متابعات" in b["text"] and b["kind"] in ("dateline", "outlet_template")
               for b in record["boilerplate"])


_SENTENCE = re.compile(r"(?<=[.!؟])\s+")


def _variants(text: str, rng: random.Random, template: list[str]) -> list[str]:
    sentences = [s for s in _SENTENCE.split(text.replace("\n", " ")) if s.strip()]
    dropped = [s for i, s in enumerate(sentences) if i != rng.randrange(len(sentences))]
    shuffled = sentences[:]
    rng.shuffle(shuffled)
    return ["\n".join(dropped), "\n".join(shuffled), "\n".join(template[:1] + sentences + template[1:])]


def test_duplicates_near_recall_and_precision(tmp_path):
    """Articles with a sentence dropped, sentences reordered, or outlet template lines added
    must join their original; unrelated articles must not."""
    rng = random.Random(7)
    originals = []
    seen = set()
    for doc_id, record in _records():
        text = record.get("content") or ""
        key = " ".join(text.split())[:200]
        if len(text.split()) >= 120 and len(_SENTENCE.split(text)) >= 6 and key not in seen:
            seen.add(key)
            originals.append((doc_id, text))
        if len(originals) >= 300:
            break
    templates = {i: [f"وكالة الأخبار {i} – متابعات", f"للتواصل مع المحرر أرسل رسالة إلى {1000 + i}"] for i in range(3)}
    feed = []
    truth: dict[str, str] = {}
    for n, (doc_id, text) in enumerate(originals):
        feed.append({"id": doc_id, "text": text, "source": f"outlet{n % 3}"})
        truth[doc_id] = doc_id
        for v, variant in enumerate(_variants(text, rng, templates[n % 3])):
            variant_id = f"{doc_id}#v{v}"
            feed.append({"id": variant_id, "text": variant, "source": f"outlet{n % 3}"})
            truth[variant_id] = doc_id
    path = tmp_path / "near.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in feed), encoding="utf-8")
    db = Database(tmp_path / "near.db")
    ingest([str(path)], db, workers=2, pipeline=CLEAN_ONLY)
    groups = queries.duplicates(db)
    group_of: dict[str, set[str]] = {}
    for g in groups:
        for member in g["members"]:
            group_of.setdefault(member, set()).update(g["members"])
    variants = [v for v in truth if v != truth[v]]
    found = sum(1 for v in variants if truth[v] in group_of.get(v, set()))
    recall = found / len(variants)
    pairs = [(a, b) for g in groups for a in g["members"] for b in g["members"] if a < b]
    precision = sum(truth[a] == truth[b] for a, b in pairs) / len(pairs)
    print(f"near duplicates: recall {recall:.3f} over {len(variants)} variants, precision {precision:.3f} "
          f"over {len(pairs)} pairs")
    assert recall >= 0.95
    assert precision >= 0.98
