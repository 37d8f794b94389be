"""An ingest on Ray into PostgreSQL: the workers store their batches themselves
(corpus.StoreDocuments), the records never travel back through the driver, and the database
ends with the input's documents once each and the same statements and speakers as a local
ingest into SQLite. Needs Ray: run by scripts/test_ray.sh."""

import json
import subprocess
import sys

import pytest

from ..conftest import SEED, write_saudinewsnet_sample

pytestmark = pytest.mark.ray

PER_DAY = 60


def _khabar(*args):
    result = subprocess.run([sys.executable, "-m", "khabar.cli", *args], capture_output=True, text=True,
                            timeout=1200)
    assert result.returncode == 0, result.stderr
    return result


def test_ray_workers_write_into_postgresql_themselves(postgres, tmp_path):
    sample = write_saudinewsnet_sample(tmp_path / "sample.jsonl", PER_DAY)
    lite, server = str(tmp_path / "k.db"), postgres.new_database()
    _khabar("ingest", str(SEED), str(sample), "--db", lite, "--workers", "2", "--no-progress")
    run = _khabar("ingest", str(SEED), str(sample), "--db", server, "--workers", "2", "--executor", "ray",
                  "--no-progress")
    assert f"{2 * PER_DAY + 1} added" in run.stderr
    import psycopg

    with psycopg.connect(server) as connection:
        ids = [row[0] for row in connection.execute("SELECT id FROM documents")]
    assert len(ids) == len(set(ids)) == 2 * PER_DAY + 1
    answers = [_khabar("speakers", "--limit", "200", "--json", "--db", db).stdout for db in (lite, server)]
    assert answers[0] == answers[1]
    # (the documents' rowids follow the order the workers stored them in, not the input's: what
    # breaks ties by it — a corpus entity's name between equally frequent spellings — may differ)
    stats = [json.loads(_khabar("stats", "--json", "--db", db).stdout) for db in (lite, server)]
    for key in ("documents", "statements", "speakers", "entities", "places", "exact_duplicate_groups"):
        assert stats[0][key] == stats[1][key], key
    # a second run stores nothing twice
    again = _khabar("ingest", str(SEED), str(sample), "--db", server, "--executor", "ray", "--no-progress")
    assert "0 added" in again.stderr


def test_what_comes_back_to_the_driver_is_ids_not_records(postgres):
    import ray

    from khabar.corpus import ingest
    from khabar.data import Document
    from khabar.executor_ray import RayExecutor
    from khabar.storage.postgres import PostgresDatabase

    database = PostgresDatabase(postgres.new_database())
    seen = []
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        summary = ingest([str(SEED)], database, executor=RayExecutor(1), on_item=seen.append, rebuild_corpus=False)
    finally:
        ray.shutdown()
    assert summary.added == 1 and database.stored_ids() == {seen[0].id}
    assert isinstance(seen[0], Document) and seen[0].raw == "" and not seen[0].layers
