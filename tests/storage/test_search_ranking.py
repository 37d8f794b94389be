"""Search ranks its hits by BM25 over counts both backends give alike (the PostgreSQL parity
test checks the two agree); here what the ranking itself must do, on SQLite."""

import json

from khabar.api import default_pipeline
from khabar.corpus import ingest
from khabar.corpus.signature import Signature
from khabar.pipeline import Pipeline
from khabar.storage import queries
from khabar.storage.database import Database, ranking_terms

CLEAN_ONLY = Pipeline(list(default_pipeline(["clean"]).stages) + [Signature()])


def test_the_terms_ranked_by_are_those_asked_for_not_those_under_not():
    assert ranking_terms("الغوطة دوما") == ["الغوطه", "دوما"]
    assert ranking_terms('"وزير الخارجية" OR سفير*') == ["وزير الخارجيه", "سفير"]
    assert ranking_terms("(ايران OR العراق) NOT سوريا") == ["ايران", "العراق"]
    assert ranking_terms("الملك NOT (سلمان OR عبدالله) AND الأردن") == ["الملك", "الاردن"]
    assert ranking_terms("النفط NOT النفط") == ["النفط"]  # once, as asked for


def test_more_occurrences_shorter_texts_and_rarer_terms_rank_first():
    # (document, length, occurrences of term 1, of term 2), 100 documents stored
    rows = [(1, 1000, 1, 0), (2, 1000, 4, 0), (3, 200, 1, 0), (4, 1000, 0, 1)]
    # 2 holds term 1 four times, 3 once in a fifth of the length; 4 and 1 each hold one term
    # once at the same length, and term 2 is in one hit only: it weighs more
    assert queries.rank_hits(rows, 100) == [2, 3, 4, 1]
    assert queries.rank_hits([(7, 50, 2), (5, 50, 2)], 10) == [5, 7]  # ties in document order
    assert queries.rank_hits([], 10) == []


def test_search_puts_the_article_about_the_query_first(tmp_path):
    filler = "وتناول الاجتماع قضايا التعاون الاقتصادي والتجارة والاستثمار بين البلدين. "
    records = [
        {"id": "passing", "text": "زار الوفد الرياض أمس. " + filler * 6},
        {"id": "about", "text": "الرياض تستضيف المعرض. وقال منظمو المعرض في الرياض إن زوار الرياض " + filler},
        {"id": "clitic", "text": "وصل الوفد إلى الرياض وفي بالرياض لقاءات. " + filler * 2},
        {"id": "unrelated", "text": "أعلنت الوزارة نتائج الامتحانات. " + filler},
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    db = Database(tmp_path / "k.db")
    ingest([str(feed)], db, workers=1, pipeline=CLEAN_ONLY)
    hits = queries.search(db, "الرياض")
    assert [hit["id"] for hit in hits["results"]] == ["about", "clitic", "passing"]
    assert [hit["id"] for hit in queries.search(db, "الرياض NOT المعرض")["results"]] == ["clitic", "passing"]
