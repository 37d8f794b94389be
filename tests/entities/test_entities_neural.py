"""The NumPy layer of the NER model: the features both layers read, batching that does not
change a sentence's scores, and Viterbi decoding checked against brute force."""

import itertools

import numpy as np
import pytest

from khabar.entities.features import FeatureResources, Gazetteer, analyse, definite, strip_proclitics
from khabar.entities.model import load_model
from khabar.entities.neural import TAGS, quantise_vectors, word_vector_table
from khabar.normalize import normalize_arabic


@pytest.mark.parametrize("word, clitic, stem, definite_form", [
    ("لليابان", "لل", "يابان", "اليابان"),
    ("بالفلبين", "بال", "فلبين", "الفلبين"),
    ("وللعراق", "ولل", "عراق", "العراق"),
    ("بسوريا", "ب", "سوريا", "سوريا"),
    ("وDell", "و", "Dell", "Dell"),
    ("IBM", "", "IBM", "IBM"),
])
def test_proclitics_and_the_definite_form(word, clitic, stem, definite_form):
    assert strip_proclitics(word) == (clitic, stem)
    assert definite(clitic, stem) == definite_form


def test_gazetteer_matches_a_place_behind_a_preposition_and_article():
    gazetteer = Gazetteer()
    gazetteer.add(("اليابان",), "LOC")
    gazetteer.add(tuple(normalize_arabic(w) for w in ("كوريا", "الجنوبية")), "LOC")
    analysis = analyse(["سافر", "لليابان", "ثم", "لكوريا", "الجنوبية"], FeatureResources(gazetteer=gazetteer))
    assert analysis.gazetteer == [[], ["LOC-B1"], [], ["LOC-B2"], ["LOC-I"]]


def test_quantised_vectors_keep_their_direction():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(50, 100)).astype(np.float32)
    table = word_vector_table(*quantise_vectors(vectors))
    assert table.shape == (51, 100) and not table[0].any()
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    cosine = (table[1:] * unit).sum(1) / np.linalg.norm(table[1:], axis=1)
    assert cosine.min() > 0.999


def test_a_sentence_scores_the_same_alone_and_in_a_batch():
    model = load_model()
    assert model.network is not None, "the shipped model has no neural layer (tagger.npz)"
    (short,), = model.encode([[["قال", "الرئيس", "باراك", "أوباما"]]])
    (long,), = model.encode([["وصل وزير الخارجية الروسي سيرغي لافروف إلى دمشق صباح اليوم في زيارة رسمية".split()]])
    alone = model.network.emissions([short])[0]
    batched = model.network.emissions([long, short])[1]
    assert alone.shape == (4, len(TAGS))
    assert np.allclose(alone, batched, atol=1e-5)


def test_remembered_stem_features_are_those_computed_anew():
    from khabar.entities.neural import NeuralTagger

    model = load_model()
    text = ["وصل وزير الخارجية الروسي سيرغي لافروف إلى دمشق".split(), "قال لافروف إن الوزير وصل".split()]
    chars = [e.chars for e in model.encode([text])[0]]
    fresh = NeuralTagger.__new__(NeuralTagger)
    fresh.__dict__.update(model.network.__dict__)
    fresh._empty_stem_cache(10)  # the second sentence finds the cache full
    for rows in chars:
        remembered = fresh._char_features(rows)
        assert remembered.tobytes() == model.network._convolve(rows).tobytes()
        assert len(fresh._stems) == len({row.tobytes() for row in rows}) <= 10
    assert fresh._char_features(chars[0][:0]).shape == (0, model.network.conv_matrix.shape[1])


def test_batch_viterbi_finds_the_best_path():
    network = load_model().network
    rng = np.random.default_rng(1)
    scores = [rng.normal(size=(n, len(TAGS))).astype(np.float32) * 3 for n in (1, 2, 4, 3)]
    transitions, start, end = network.w["crf.transitions"], network.w["crf.start"], network.w["crf.end"]

    def path_score(s, path):
        total = start[path[0]] + end[path[-1]] + sum(s[t, p] for t, p in enumerate(path))
        return total + sum(transitions[a, b] for a, b in zip(path, path[1:]))

    decoded = network.viterbi_batch(scores)
    for s, tags in zip(scores, decoded):
        best = max(itertools.product(range(len(TAGS)), repeat=len(s)), key=lambda p: path_score(s, p))
        assert tags == [TAGS[i] for i in best]


def test_features_do_not_depend_on_the_process_hash_seed():
    """Training must give the same model in every process: feature order may not follow the
    order of a set, which changes with Python's hash seed."""
    import os
    import subprocess
    import sys

    script = (
        "from khabar.entities.features import FeatureResources, Gazetteer, sentence_features\n"
        "g = Gazetteer()\n"
        "g.add(('القاسم',), 'LOC'); g.add(('قاسم',), 'PERS'); g.add(('الخرطوم',), 'LOC'); g.add(('خرطوم',), 'ORG')\n"
        "print(sentence_features(['قال', 'القاسم', 'في', 'الخرطوم'], FeatureResources(gazetteer=g)))\n")
    outputs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              env=os.environ | {"PYTHONHASHSEED": str(seed)}).stdout for seed in range(1, 9)}
    assert len(outputs) == 1
