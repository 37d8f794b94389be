"""The shipped NER model: present, loads, and keeps its quality on a fixed slice of the
ANERcorp test split (fails if the model is missing or degraded)."""

import subprocess
import sys

from khabar.entities.model import entity_f1, load_model, read_conll

from ..conftest import SHARED

TEST = SHARED / "data" / "anercorp" / "ANERCorp_CamelLab_test.txt"
# The shipped model scores 71.2 overall (LOC 86.0) on this slice without label consistency, its
# CRF layer alone 69.5: the floor fails on a model that lost its network or got worse.
F1_FLOOR = 70.0
LOC_FLOOR = 83.0


def test_model_quality_on_a_fixed_slice():
    gold = read_conll(TEST)[:400]
    scores = entity_f1(gold, load_model().tag([[w for w, _ in s] for s in gold]))
    assert scores["overall"]["f1"] >= F1_FLOOR, scores["overall"]
    assert scores["LOC"]["f1"] >= LOC_FLOOR, scores["LOC"]


def test_model_tags_news_text():
    tags = load_model().tag([["قال", "الرئيس", "الأمريكي", "باراك", "أوباما", "في", "واشنطن"]])[0]
    assert tags[3:5] == ["B-PERS", "I-PERS"] and tags[6] == "B-LOC"


def test_ner_tag_command_keeps_tokens_and_order(tmp_path):
    sample = tmp_path / "in.conll"
    sentences = read_conll(TEST)[:30]
    sample.write_text("".join("".join(f"{w} {t}\n" for w, t in s) + "\n" for s in sentences), encoding="utf-8")
    out = tmp_path / "out.conll"
    result = subprocess.run([sys.executable, "-m", "khabar.cli", "ner-tag", "--conll", str(sample), "-o", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    tagged = read_conll(out)
    assert [[w for w, _ in s] for s in tagged] == [[w for w, _ in s] for s in sentences]
    assert all(t == "O" or t[:2] in ("B-", "I-") for s in tagged for _, t in s)
    score = subprocess.run([sys.executable, str(SHARED / "tools" / "score_ner.py"), str(sample), str(out)],
                           capture_output=True, text=True)
    assert score.returncode == 0 and score.stdout.startswith("overall")


def test_crf_layers_option_tags_with_the_crf_alone_and_survives_pickling(seed_path, seed_gold, monkeypatch):
    import pickle

    import pytest

    from khabar.api import default_pipeline
    from khabar.errors import KhabarError
    from khabar.reading import read

    model = load_model()

    def no_network(sentences):
        raise AssertionError("the network ran although only the CRF layer was asked for")

    monkeypatch.setattr(model, "tag", no_network)
    # a worker process gets the stage pickled: the choice must travel with it
    pipeline = pickle.loads(pickle.dumps(default_pipeline(ner_layers="crf")))
    (document,) = list(read([str(seed_path)]))
    found = {(e["text"], e["type"]) for e in pipeline(document).to_json()["entities"]}
    persons = {(g["text"], g["type"]) for g in seed_gold["entities"] if g["type"] == "PERS"}
    assert persons and persons <= found
    with pytest.raises(KhabarError, match="choose from network, crf"):
        default_pipeline(ner_layers="fast")


def test_a_sentence_scores_the_same_to_the_bit_whatever_its_batch():
    """A document's tags must not depend on the documents batched with it (the executor batches)."""
    model = load_model()
    sentences = [s.split() for s in ("قال وزير الخارجية الروسي سيرغي لافروف في موسكو", "الرياض",
                                     "وأعلنت شركة أرامكو السعودية نتائجها", "ذهب محمد بن سلمان إلى جدة أمس")]
    encoded = model.encode([sentences])[0]
    alone = [model.network.emissions([e])[0] for e in encoded]
    together = model.network.emissions(encoded)
    pairs = model.network.emissions(encoded[1:3])
    for a, b in zip(alone, together):
        assert a.tobytes() == b.tobytes()
    assert pairs[0].tobytes() == alone[1].tobytes() and pairs[1].tobytes() == alone[2].tobytes()


def test_batched_records_equal_one_by_one_records():
    from khabar.api import default_pipeline
    from khabar.data import Document
    from khabar.executor import LocalExecutor
    from khabar.reading import read

    documents = [d for d in read([str(SHARED / "data" / "quotes-dev2" / "docs.jsonl")]) if isinstance(d, Document)]
    pipeline = default_pipeline()
    batched = [d.to_json() for d in LocalExecutor(1, batch_size=16).run(pipeline, documents)]
    documents = [d for d in read([str(SHARED / "data" / "quotes-dev2" / "docs.jsonl")]) if isinstance(d, Document)]
    one_by_one = [pipeline(d).to_json() for d in documents]
    assert len(batched) == 48 and batched == one_by_one
