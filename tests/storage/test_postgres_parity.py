"""The same input ingested into SQLite and into PostgreSQL answers every query command alike
(the example plus 200 articles of each of two SaudiNewsNet days); a SIGKILLed ingest into
PostgreSQL, run again, ends with exactly the input's documents."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from khabar.data import Document
from khabar.reading import read

from ..conftest import SAUDINEWSNET, SEED, write_saudinewsnet_sample

PER_DAY = 200
COMMANDS = [
    ["stats"],
    ["speakers", "--limit", "200"],
    ["speakers", "--unresolved", "--limit", "200"],
    ["statements", "--limit", "200"],
    ["statements", "--act", "deny", "--limit", "200"],
    ["entities", "--limit", "200"],
    ["entities", "--type", "LOC", "--limit", "200"],
    ["stories", "--limit", "200"],
    ["duplicates"],
    ["search", "الرياض", "--limit", "200"],
    ["search", '"وزير الخارجية"', "--limit", "200"],
    ["search", "السعودية OR الإمارات", "--limit", "200"],
    ["search", "الملك NOT سلمان", "--limit", "200", "--all"],
    ["search", "(ايران OR العراق) NOT سوريا", "--limit", "200"],
    ["search", "سعود*", "--limit", "50", "--offset", "10"],
]


def _khabar(*args, check=True):
    result = subprocess.run([sys.executable, "-m", "khabar.cli", *args], capture_output=True, text=True, timeout=900)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def both(postgres, tmp_path_factory):
    folder = tmp_path_factory.mktemp("parity")
    sample = write_saudinewsnet_sample(folder / "sample.jsonl", PER_DAY)
    lite, server = str(folder / "k.db"), postgres.new_database()
    for db in (lite, server):
        _khabar("ingest", str(SEED), str(sample), "--db", db, "--workers", "2", "--no-progress")
    return lite, server


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_sqlite_and_postgresql_answer_alike(both, command):
    answers = [_khabar(*command, "--json", "--db", db).stdout for db in both]
    assert answers[0] == answers[1]
    if command[0] == "search":  # the same hits in the same order, and some of them
        assert json.loads(answers[0])["total"] > 0


def test_the_parity_sample_has_duplicates_and_stories(both):
    stats = json.loads(_khabar("stats", "--json", "--db", both[1]).stdout)
    assert stats["documents"] == 2 * PER_DAY + 1
    assert stats["near_duplicate_groups"] + stats["exact_duplicate_groups"] > 0 and stats["stories"] > 0
    assert stats["statements"] > 500 and stats["entities"] > 500


def test_killed_ingest_into_postgresql_resumes_exactly_once(postgres, tmp_path):
    import psycopg

    day = sorted(SAUDINEWSNET.glob("*.zip"))[0]
    expected = {d.id for d in read([str(day)]) if isinstance(d, Document)}
    url = postgres.new_database()
    command = [sys.executable, "-m", "khabar.cli", "ingest", str(day), "--db", url, "--workers", "2",
               "--stages", "clean", "--no-progress"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline, stored = time.time() + 120, 0
    while time.time() < deadline and process.poll() is None:
        time.sleep(0.2)
        try:
            with psycopg.connect(url) as connection:
                stored = connection.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        except psycopg.Error:  # the schema is not there yet
            continue
        if stored >= 300:
            break
    assert process.poll() is None, "ingest finished before it could be killed; give it more data"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert 0 < stored < len(expected)
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    with psycopg.connect(url) as connection:
        ids = [r[0] for r in connection.execute("SELECT id FROM documents")]
        orphans = connection.execute("SELECT COUNT(*) FROM blocks WHERE doc NOT IN (SELECT rowid FROM documents)")
        assert orphans.fetchone()[0] == 0
    assert len(ids) == len(set(ids)) == len(expected) and set(ids) == expected


def test_two_ingests_at_once_store_each_document_once(postgres, tmp_path):
    """Two `khabar ingest` runs started together on overlapping inputs: each document once, and
    the derived tables recomputed by one run after the other (the last over all documents)."""
    import psycopg

    records = [json.loads(line) for line in write_saudinewsnet_sample(tmp_path / "all.jsonl", PER_DAY).read_text(encoding="utf-8").splitlines()]
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[:260]), encoding="utf-8")
    second.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[140:][::-1]),
                      encoding="utf-8")
    url = postgres.new_database()
    runs = [subprocess.Popen([sys.executable, "-m", "khabar.cli", "ingest", str(f), "--db", url, "--stages", "clean",
                              "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            for f in (first, second)]
    for run in runs:
        assert run.wait(timeout=600) == 0, run.stderr.read()
    with psycopg.connect(url) as connection:
        ids = [r[0] for r in connection.execute("SELECT id FROM documents")]
        members = connection.execute("SELECT COUNT(*), COUNT(DISTINCT doc) FROM story_members").fetchone()
        outlets = connection.execute("SELECT SUM(documents) FROM outlets").fetchone()[0]
        with_outlet = connection.execute("SELECT COUNT(*) FROM documents WHERE outlet IS NOT NULL").fetchone()[0]
    assert sorted(ids) == sorted(r["id"] for r in records)
    assert members[0] == members[1] and outlets == with_outlet  # one recomputation's rows, over all documents
