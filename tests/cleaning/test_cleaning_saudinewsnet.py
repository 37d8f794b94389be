"""Cleaning on real documents from SaudiNewsNet, read at test time (not copied)."""


import pytest

import khabar
from khabar.cleaning import Clean
from khabar.data import Document
from khabar.pipeline import Pipeline

from ..conftest import SAUDINEWSNET

ZIP = SAUDINEWSNET / "2015-07-21.zip"


@pytest.fixture(scope="module")
def documents():
    if not ZIP.exists():
        pytest.fail(f"missing shared data: {ZIP}")
    items = khabar.process_paths([str(ZIP)], pipeline=Pipeline([Clean()]))
    return [d for d in items if isinstance(d, Document)]


def test_saudinewsnet_every_character_is_in_one_block(documents):
    for document in documents:
        covered = sorted((b.start, b.end) for b in document.blocks())
        assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(covered, covered[1:]))
        outside = list(document.raw)
        for start, end in covered:
            outside[start:end] = [" "] * (end - start)
        assert not "".join(outside).strip(), document.id


def test_saudinewsnet_source_links_removed_from_alweeam(documents):
    alweeam = [d for d in documents if d.metadata.get("outlet_id") == "alweeam"]
    assert len(alweeam) > 50
    with_link = [d for d in alweeam if "رابط الخبر بصحيفة الوئام" in d.raw]
    assert len(with_link) > 0.9 * len(alweeam)
    for document in with_link:
        assert "رابط الخبر" not in document.text
        assert any(b["kind"] == "source_link" for b in document.boilerplate)


def test_saudinewsnet_titles_and_ids_come_from_the_records(documents):
    assert documents[0].id.startswith("saudinewsnet/2015-07-21/")
    assert all(d.language == "ar" for d in documents[:200])
    kept = sum(len(d.text) for d in documents) / sum(len(d.raw.strip()) for d in documents)
    assert kept > 0.95  # boilerplate is a small share of news text


def test_saudinewsnet_contact_lines_removed_from_almadina(documents):
    almadina = [d for d in documents if d.metadata.get("outlet_id") == "almadina" and "للتواصل مع الكاتب" in d.raw]
    assert almadina
    for document in almadina:
        assert "للتواصل مع الكاتب" not in document.text
