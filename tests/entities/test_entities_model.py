"""The shipped NER model: present, loads, and keeps its quality on a fixed slice of the
ANERcorp test split (fails if the model is missing or degraded)."""

import subprocess
import sys

import pytest

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


def test_word_clusters_are_the_files_lines(tmp_path):
    import gzip

    from khabar.entities.model import read_clusters

    path = tmp_path / "clusters.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.write("في\t3\t17\t200\nالرياض\t5\t40\t1023\nقال\t3\t17\t9\n")
    clusters, rank = read_clusters(path)
    assert rank == {"في": 0, "الرياض": 1, "قال": 2}
    assert clusters.get("الرياض") == ("5", "40", "1023")
    assert clusters.get("قال") == ("3", "17", "9")
    assert clusters.get("جدة") is None and len(clusters) == 3
    path.write_bytes(gzip.compress("في\t3\t17\n".encode()))
    with pytest.raises(ValueError, match="tab-separated"):
        read_clusters(path)


def _gazetteer_tags_by_scanning(gazetteer, norms, stems, definites):
    """Every entry of each first word's bucket tried in turn: what the index must equal."""
    out = [[] for _ in norms]
    for i in range(len(norms)):
        looked = []
        for first in (norms[i], stems[i], definites[i]):
            if first in looked or first not in gazetteer.entries:
                continue
            looked.append(first)
            for words, label in gazetteer.entries[first]:
                if i + len(words) <= len(norms) and all(norms[i + j] == words[j] for j in range(1, len(words))):
                    out[i].append(f"{label}-B{min(len(words), 3)}")
                    for j in range(1, len(words)):
                        out[i + j].append(f"{label}-I")
    return out


def test_the_name_gazetteer_index_finds_what_scanning_finds():
    from khabar.entities.features import analyse

    model = load_model()
    gazetteer = model.resources.gazetteer
    sentences = [[w for w, _ in s] for s in read_conll(TEST)[:300]]
    sentences.append("قال رئيس الوزراء ورئيس مجلس الشورى ووزير الخارجية في مدينة سان فرانسيسكو".split())
    found = 0
    for sentence in sentences:
        analysis = analyse(sentence, model.resources)
        expected = _gazetteer_tags_by_scanning(gazetteer, analysis.norms, analysis.stems,
                                               [w.definite for w in analysis.words])
        assert analysis.gazetteer == expected, sentence
        found += sum(map(len, expected))
    assert found > 100


def test_the_name_gazetteer_keeps_its_entries_order():
    from khabar.entities.features import Gazetteer

    gazetteer = Gazetteer()
    for words, label in ((("سان", "فرانسيسكو"), "LOC"), (("سان",), "PERS"), (("سان", "فرانسيسكو", "الكبري"), "ORG")):
        gazetteer.add(words, label)
    norms = ["في", "سان", "فرانسيسكو", "الكبري"]
    assert gazetteer.tags(norms, norms, norms) == _gazetteer_tags_by_scanning(gazetteer, norms, norms, norms) == \
        [[], ["LOC-B2", "PERS-B1", "ORG-B3"], ["LOC-I", "ORG-I"], ["ORG-I"]]
    gazetteer.add(("فرانسيسكو",), "PERS")  # a later entry is found too
    assert gazetteer.tags(norms, norms, norms)[2] == ["LOC-I", "ORG-I", "PERS-B1"]
