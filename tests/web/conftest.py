import json

import pytest

from khabar.corpus import ingest
from khabar.storage.database import Database

from ..conftest import SEED, SHARED

HOSTILE = {"id": "hostile/1", "title": "<script>alert('title')</script> عنوان",
           "text": "قال المتحدث <script>alert('x')</script> إن <b>الاجتماع</b> سيعقد غدا في الرياض.", "source": "test",
           "date": "2015-07-30"}


@pytest.fixture(scope="session")
def web_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web")
    feed = folder / "hostile.jsonl"
    feed.write_text(json.dumps(HOSTILE, ensure_ascii=False) + "\n", encoding="utf-8")
    path = folder / "web.db"
    database = Database(path)
    summary = ingest([str(SEED), str(SHARED / "data" / "quotes-dev" / "docs.jsonl"), str(feed)], database, workers=1)
    database.close()
    assert summary.added == 34
    return path
