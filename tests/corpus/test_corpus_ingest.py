"""Ingest into the database: resumable, exactly once, searchable, queryable."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from khabar.api import default_pipeline
from khabar.corpus import ingest
from khabar.corpus.signature import Signature
from khabar.pipeline import Pipeline
from khabar.storage import queries
from khabar.storage.database import Database

from ..conftest import SAUDINEWSNET, SEED, SHARED

CLEAN_ONLY = Pipeline(list(default_pipeline(["clean"]).stages) + [Signature()])


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_ingest_full_pipeline_is_queryable(tmp_path):
    db = Database(tmp_path / "k.db")
    summary = ingest([str(SEED), str(SHARED / "data" / "quotes-dev" / "docs.jsonl")], db, workers=1)
    assert summary.added == 33 and summary.failed == 0
    stats = queries.stats(db)
    assert stats["documents"] == 33 and stats["statements"] > 150
    # Arabic normalisation in full-text search: الاسلام finds الإسلام
    hits = queries.search(db, "الاسلام")
    assert "examples/humanvoice-ghouta.txt" in [h["id"] for h in hits["results"]]
    seed = queries.document(db, "examples/humanvoice-ghouta.txt")
    assert seed["title"] == "روسيا: العمليات العسكرية في الغوطة انتهت تقريباً" and len(seed["quotes"]) == 7
    alloush = queries.statements(db, speaker="علوش")
    assert {s["act"] for s in alloush} >= {"deny", "assert", "say"}
    assert any(v["relation"] == "told_to" for s in alloush for v in s["via"])
    top = queries.speakers(db, name="زاخاروفا")
    assert top and top[0]["relays"] == {"وكالة الإعلام الروسية": 1}
    with pytest.raises(queries.QueryError):
        queries.search(db, '"unbalanced')


def test_ingest_again_adds_nothing(tmp_path):
    feed = _jsonl(tmp_path / "feed.jsonl", [{"id": f"d{i}", "text": f"خبر رقم {i} عن افتتاح مشروع جديد في جدة."}
                                            for i in range(30)])
    db = Database(tmp_path / "k.db")
    first = ingest([str(feed)], db, workers=1, pipeline=CLEAN_ONLY)
    second = ingest([str(feed), str(feed)], db, workers=1, pipeline=CLEAN_ONLY)
    assert (first.added, second.added, second.already_stored) == (30, 0, 60)
    assert queries.stats(db)["documents"] == 30


def test_ingest_reads_while_writing(tmp_path):
    """WAL: a reader sees a consistent database while ingest writes."""
    feed = _jsonl(tmp_path / "feed.jsonl", [{"id": f"d{i}", "text": f"نص الخبر رقم {i} في الرياض."} for i in range(200)])
    path = tmp_path / "k.db"
    writer = Database(path)
    ingest([str(feed)], writer, workers=1, pipeline=CLEAN_ONLY, rebuild_corpus=False)
    reader = Database(path, read_only=True)
    assert queries.stats(reader)["documents"] == 200
    feed2 = _jsonl(tmp_path / "feed2.jsonl", [{"id": f"e{i}", "text": f"نص آخر رقم {i}."} for i in range(100)])
    ingest([str(feed2)], writer, workers=1, pipeline=CLEAN_ONLY)
    assert queries.stats(reader)["documents"] == 300
    with pytest.raises(sqlite3.OperationalError):
        reader.connection.execute("DELETE FROM documents")


def test_ingest_killed_midway_resumes_exactly_once(tmp_path):
    """SIGKILL during ingest, then a re-run: every input document is stored exactly once."""
    zips = sorted(SAUDINEWSNET.glob("*.zip"))[:2]
    expected = set()
    from khabar.data import Document
    from khabar.reading import read

    for item in read([str(z) for z in zips]):
        if isinstance(item, Document):
            expected.add(item.id)
    db_path = tmp_path / "k.db"
    command = [sys.executable, "-m", "khabar.cli", "ingest", *map(str, zips), "--db", str(db_path),
               "--workers", "2", "--stages", "clean", "--no-progress"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and process.poll() is None:
        time.sleep(0.2)
        if db_path.exists():
            try:
                connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
                stored = connection.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
                connection.close()
            except sqlite3.OperationalError:
                continue
            if stored >= 500:
                break
    assert process.poll() is None, "ingest finished before it could be killed; give it more data"
    os.killpg(process.pid, signal.SIGKILL)  # the main process and its workers, as a crash would
    process.wait()
    assert 0 < stored < len(expected)
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    connection = sqlite3.connect(db_path)
    ids = [r[0] for r in connection.execute("SELECT id FROM documents")]
    assert len(ids) == len(set(ids)) == len(expected)
    assert set(ids) == expected
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    orphans = connection.execute("SELECT COUNT(*) FROM blocks WHERE doc NOT IN (SELECT rowid FROM documents)")
    assert orphans.fetchone()[0] == 0


def test_cli_query_commands_json(tmp_path, capsys):
    from khabar.cli import main

    db = tmp_path / "k.db"
    assert main(["ingest", str(SEED), "--db", str(db), "--workers", "1", "--no-progress"]) == 0
    capsys.readouterr()
    assert main(["stats", "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"] == 1
    assert main(["statements", "--db", str(db), "--speaker", "زاخاروفا", "--json"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["via"] == [{"name": "وكالة الإعلام الروسية", "relation": "reported_by"}]
    assert main(["search", "--db", str(db), "تقريبا", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 1
    assert main(["stats", "--db", str(tmp_path / "missing.db")]) == 2


def _feed_of_long_articles(path, count):
    return _jsonl(path, [{"id": f"d{i}", "text": f"خبر رقم {i}: " + " ".join(f"كلمة{j}_{i}" for j in range(150))
                          + " وقال الوزير إن المشروع ناجح."} for i in range(count)])


def test_ingest_into_a_full_database_stops_cleanly_and_resumes_exactly(tmp_path):
    """SQLite's page limit answers SQLITE_FULL as a full disk does: the run stops with the error,
    the database stays consistent, and a re-run with room stores exactly the rest."""
    feed = _feed_of_long_articles(tmp_path / "feed.jsonl", 300)
    path = tmp_path / "k.db"
    database = Database(path)
    database.connection.execute("PRAGMA max_page_count = 120")  # about half a megabyte
    with pytest.raises(sqlite3.OperationalError, match="full"):
        ingest([str(feed)], database, workers=1, pipeline=CLEAN_ONLY)
    assert not database.connection.in_transaction
    stored = database.connection.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    assert stored < 300
    database.close()
    database = Database(path)  # room again
    summary = ingest([str(feed)], database, workers=1, pipeline=CLEAN_ONLY)
    assert summary.added == 300 - stored
    ids = [r[0] for r in database.connection.execute("SELECT id FROM documents")]
    assert sorted(ids) == sorted(f"d{i}" for i in range(300))
    assert database.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small filesystem needs root (CI runs as root)")
def test_cli_ingest_on_a_full_disk_says_so_in_one_line(tmp_path):
    """A real full disk: a 700 kB tmpfs mounted for the test. (Once in six CI runs this used to
    hang: multiprocessing.Pool's terminate() waiting on a worker blocked writing its result; the
    executor no longer uses that pool, see tests/test_executor.py.)"""
    feed = _feed_of_long_articles(tmp_path / "feed.jsonl", 300)
    small = tmp_path / "small"
    small.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=700k", "tmpfs", str(small)], check=True)
    try:
        command = [sys.executable, "-m", "khabar.cli", "ingest", str(feed), "--db", str(small / "k.db"),
                   "--stages", "clean", "--no-progress"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert result.returncode == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "disk is full" in lines[0] and "Traceback" not in result.stderr
        connection = sqlite3.connect(small / "k.db")
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = connection.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        connection.close()
        # room again: the same command, the database moved to a roomy folder, adds exactly the rest
        for name in ("k.db", "k.db-wal", "k.db-shm"):
            if (small / name).exists():
                (tmp_path / name).write_bytes((small / name).read_bytes())
        command[command.index("--db") + 1] = str(tmp_path / "k.db")
        rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert rerun.returncode == 0, rerun.stderr
        connection = sqlite3.connect(tmp_path / "k.db")
        assert connection.execute("SELECT COUNT(DISTINCT id), COUNT(*) FROM documents").fetchone() == (300, 300)
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert stored < 300
    finally:
        subprocess.run(["umount", str(small)], check=False)


def test_search_collapses_duplicates_and_shows_the_original_spelling(tmp_path):
    story = "قال وزير الخارجية إن المحادثات مع الوفد الزائر تناولت التعاون في مجالات الطاقة والتجارة والنقل البحري."
    feed = _jsonl(tmp_path / "feed.jsonl", [{"id": f"copy{i}", "text": story} for i in range(3)]
                  + [{"id": "other", "text": "أعلن وزير الخارجية افتتاح سفارة جديدة في العاصمة خلال الشهر المقبل."}])
    db = Database(tmp_path / "k.db")
    ingest([str(feed)], db, workers=1, pipeline=CLEAN_ONLY)
    collapsed = queries.search(db, "وزير الخارجيه")
    assert collapsed["total"] == 2
    assert sorted(hit["more_like_this"] for hit in collapsed["results"]) == [0, 2]
    assert all("[الخارجية]" in hit["snippet"] for hit in collapsed["results"])  # as written, not الخارجيه
    assert queries.search(db, "وزير الخارجيه", collapse=False)["total"] == 4
