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


def test_golden_seed_entities_types_and_canonical_names(seed_path, seed_gold):
    record = _seed_document(seed_path).to_json()
    found = {(e["text"], e["type"]): e["canonical"] for e in record["entities"]}
    missing = [g for g in seed_gold["entities"] if found.get((g["text"], g["type"])) != g["canonical"]]
    assert not missing, f"not found with the right type and canonical name: {missing}"


def test_golden_seed_places_within_25_km(seed_path, seed_gold):
    import math

    record = _seed_document(seed_path).to_json()
    places = {p["name"]: p for p in record["places"]}
    for gold in seed_gold["places"]:
        place = places.get(gold["name"])
        assert place is not None, f"{gold['name']} not resolved"
        lat1, lon1, lat2, lon2 = map(math.radians, (place["lat"], place["lon"], gold["lat"], gold["lon"]))
        h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        assert 6371 * 2 * math.asin(math.sqrt(h)) <= 25, gold["name"]
        assert place["country"] == gold["country"]


def test_golden_seed_statements(seed_path, seed_gold):
    record = _seed_document(seed_path).to_json()
    found = record["quotes"]
    assert len(found) == len(seed_gold["quotes"]) == 7
    for mine, gold in zip(found, seed_gold["quotes"]):
        for key in ("speaker", "speaker_mention", "speaker_type", "cue", "act", "type", "via", "medium", "content"):
            assert mine[key] == gold[key], (key, mine[key], gold[key])
        assert record["raw"][mine["content_start"]:mine["content_end"]] == mine["content"]
