"""The seed example is a golden test: every stage must get it right."""

import khabar
from khabar.reading import read


def _seed_document(seed_path):
    (document,) = list(khabar.process_paths([str(seed_path)]))
    return document


def test_golden_seed_structure_matches_gold(seed_path, seed_gold):
    document = _seed_document(seed_path)
    assert document.id == seed_gold["doc_id"]
    assert document.outlet == seed_gold["outlet"]
    assert document.title == seed_gold["title"]
    assert document.body == seed_gold["body"]
    found = [(b["text"], b["kind"]) for b in document.boilerplate]
    assert found == [(b["text"], b["kind"]) for b in seed_gold["boilerplate"]]


def test_golden_seed_languages(seed_path, seed_gold):
    document = _seed_document(seed_path)
    assert document.language == seed_gold["languages"]["body"] == "ar"
    by_text = {document.span_text(b): b.attrs for b in document.blocks()}
    widget = by_text["Send this to a friend"]
    assert widget["language"] == seed_gold["languages"]["Send this to a friend"] == "en"
    assert widget["foreign"] is True
    assert all(not b.attrs["foreign"] for b in document.blocks("body"))


def test_golden_seed_offsets_point_into_untouched_raw(seed_path):
    document = _seed_document(seed_path)
    assert document.raw == seed_path.read_text(encoding="utf-8")
    record = document.to_json()
    for block in record["blocks"]:
        assert record["raw"][block["start"]:block["end"]].strip() == record["raw"][block["start"]:block["end"]]
    assert [record["raw"][b["start"]:b["end"]] for b in record["blocks"] if b["role"] == "body"] == record["body"]
    assert record["text"] == "\n\n".join(record["body"])
    assert record["teaser"].startswith("هيومن فويس نقلت")


def test_golden_seed_every_line_is_accounted_for(seed_path):
    """Nothing silently dropped: each non-blank line of the input is exactly one block."""
    (document,) = [d for d in read([str(seed_path)])]
    document = khabar.default_pipeline()(document)
    lines = [line.strip() for line in document.raw.splitlines() if line.strip()]
    assert [document.span_text(b) for b in document.blocks()] == lines
