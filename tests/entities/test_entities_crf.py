"""The CRF layer run in NumPy (khabar.entities.crf) against python-crfsuite, which trained the
model: the same marginals to the last bit of float32 and the same best paths, whatever
else is in the batch and however full the word table is."""

import numpy as np
import pycrfsuite
import pytest

from khabar.entities.crf import MARGINAL_BATCH_TOKENS, CrfScorer
from khabar.entities.features import COMMON_WORDS, analyse, forget_rare, sentence_features
from khabar.entities.model import MODEL_FILE, crf_marginals, load_model, read_conll
from khabar.entities.neural import TAGS

from ..conftest import SHARED

TEST = SHARED / "data" / "anercorp" / "ANERCorp_CamelLab_test.txt"
EXAMPLE = SHARED / "examples" / "humanvoice-ghouta.txt"


@pytest.fixture(scope="module")
def sentences():
    news = [line.split() for line in EXAMPLE.read_text(encoding="utf-8").splitlines() if line.split()]
    return news + [[w for w, _ in s] for s in read_conll(TEST)[:150]]


@pytest.fixture(scope="module")
def crfsuite():
    tagger = pycrfsuite.Tagger()
    tagger.open(str(_model_path()))
    return tagger


def _model_path():
    from importlib import resources

    return resources.files("khabar.resources").joinpath("ner") / MODEL_FILE


def test_marginals_and_paths_are_crfsuites(sentences, crfsuite):
    model = load_model()
    analyses = [analyse(s, model.resources) for s in sentences]
    scores = model.crf.scores(analyses)
    ours = model.crf.marginals(scores)
    paths = model.crf.best_paths(scores)
    for sentence, analysis, marginals, path in zip(sentences, analyses, ours, paths):
        crfsuite.set(sentence_features(sentence, model.resources, analysis))
        assert np.array_equal(marginals, crf_marginals(crfsuite, len(sentence))), sentence
        assert [TAGS[i] for i in path] == crfsuite.tag(), sentence


def test_a_sentence_scores_the_same_alone_and_in_a_batch(sentences):
    model = load_model()
    analyses = [analyse(s, model.resources) for s in sentences[:40]]
    together = model.crf.marginals(model.crf.scores(analyses))
    for analysis, batched in zip(analyses, together):
        alone = model.crf.marginals(model.crf.scores([analysis]))[0]
        assert np.array_equal(alone, batched)


def test_a_full_word_table_is_emptied_or_grown_without_changing_scores(sentences):
    model = load_model()
    fresh = CrfScorer.read(_model_path(), TAGS)
    fresh._empty_table(8)  # room for 8 words only
    analyses = [analyse(s, model.resources) for s in sentences[:30]]
    expected = model.crf.scores(analyses)
    one_by_one = [fresh.scores([a])[0] for a in analyses]  # emptied again and again, grown for long ones
    assert len(fresh._table) > 8
    for a, b in zip(expected, one_by_one):
        assert np.allclose(a, b, rtol=0, atol=1e-12)
    assert [len(s) for s in fresh.scores([analyse([], model.resources)])] == [0]


def test_a_full_word_table_keeps_its_common_words_and_scores_alike(sentences):
    model = load_model()
    fresh = CrfScorer.read(_model_path(), TAGS, rank=model.rank)
    fresh._empty_table(100)  # longer than any of these sentences
    analyses = [analyse(s, model.resources) for s in sentences[:30]]
    expected = model.crf.scores(analyses)
    kept = []
    for analysis, want in zip(analyses, expected):
        before = dict(fresh._slot)
        assert np.allclose(fresh.scores([analysis])[0], want, rtol=0, atol=1e-12)
        if len(before) + len(set(analysis.norms) - set(before)) > 100:  # the table had to make room
            kept += [norm for norm, slot in before.items()
                     if fresh._slot.get(norm) == slot and norm not in analysis.norms]
    assert kept and all(model.rank.get(norm, COMMON_WORDS) < COMMON_WORDS for norm in kept)
    assert len(fresh._table) == 100


def test_forgetting_rare_words_keeps_the_common_ones():
    cache = {"في": 1, "نادرة": 2, "مجهولة": 3}
    forget_rare(cache, {"في": 3, "نادرة": COMMON_WORDS})
    assert cache == {"في": 1}


def test_a_file_that_is_no_crf_model_is_refused(tmp_path):
    bad = tmp_path / "model.crfsuite"
    bad.write_bytes(b"not a model at all" * 10)
    with pytest.raises(ValueError, match="not a crfsuite CRF model"):
        CrfScorer.read(bad, TAGS)


def test_leaving_out_the_wikipedia_copies_changes_no_score_on_news(sentences):
    model = load_model()
    whole = CrfScorer.read(_model_path(), TAGS)
    assert len(model.crf.keys) < len(whole.keys)  # the shipped model learnt from WikiFANE too
    analyses = [analyse(s, model.resources) for s in sentences[:60]]
    for a, b in zip(model.crf.scores(analyses), whole.scores(analyses)):
        assert np.array_equal(a, b)


def test_sentences_of_very_different_lengths_score_as_they_do_alone(sentences):
    model = load_model()
    long = [w for s in sentences[:12] for w in s]  # a few hundred tokens, beside short sentences
    batch = [long] + [s[:3] for s in sentences[12:20]] + sentences[20:30]
    analyses = [analyse(s, model.resources) for s in batch]
    together = model.crf.marginals(model.crf.scores(analyses))
    assert len(long) * len(batch) > MARGINAL_BATCH_TOKENS  # more than one group of similar lengths
    for analysis, batched in zip(analyses, together):
        assert np.array_equal(model.crf.marginals(model.crf.scores([analysis]))[0], batched)
