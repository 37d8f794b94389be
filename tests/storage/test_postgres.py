"""The PostgreSQL backend against a real server: the schema, the document writer (the same rows
as SQLite's for the same documents), two writers at once, and each bad URL in one clear line."""

import pickle
import subprocess
import sys

import pytest

from khabar.api import default_stages
from khabar.corpus import _prepared
from khabar.corpus.signature import Signature
from khabar.data import Document
from khabar.errors import KhabarError
from khabar.pipeline import Pipeline
from khabar.reading import read
from khabar.storage.database import Database
from khabar.storage.postgres import PostgresDatabase, is_postgres_url, tsquery
from khabar.storage.queries import search

from ..conftest import SAUDINEWSNET, SEED

# (table, columns in a stable order): what both backends must hold alike
TABLES = [
    ("documents", "id, outlet, title, date, raw, text, body_hash, minhash, record"),
    ("blocks", 'd.id, position, start, "end", role, kind, language, is_foreign, line_hash'),
    ("entities", "d.id, entity, type, canonical, norm"),
    ("mentions", 'd.id, entity, start, "end", text'),
    ("places", "d.id, entity, name, country, lat, lon, place_id, kind"),
    ("statements", "d.id, position, speaker, speaker_norm, role, cue, act, type, content, medium, speaker_entity"),
]


@pytest.fixture(scope="module")
def prepared():
    pipeline = Pipeline(default_stages() + [Signature()])
    paths = [str(SEED), str(sorted(SAUDINEWSNET.glob("*.zip"))[0])]
    items = []
    for item in read(paths):
        if isinstance(item, Document):
            items.append(_prepared(pipeline.apply(item)))
        if len(items) == 40:
            break
    return items


def _rows(connection, table, columns):
    join = "" if table == "documents" else " JOIN documents d ON d.rowid = t.doc"
    columns = ", ".join(c if c.startswith("d.") else f"t.{c}" for c in columns.split(", "))
    rows = connection.execute(f"SELECT {columns} FROM {table} t{join}").fetchall()
    return sorted(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows)


def test_urls_are_told_from_paths():
    assert is_postgres_url("postgresql://me@host/db") and is_postgres_url("postgres:///khabar?host=/run/postgresql")
    assert not is_postgres_url("corpus.db") and not is_postgres_url("/data/postgresql/corpus.db")


def test_the_same_documents_give_the_same_rows_as_sqlite(postgres, prepared, tmp_path):
    lite = Database(tmp_path / "k.db")
    assert lite.add_documents(prepared) == len(prepared)
    server = PostgresDatabase(postgres.new_database())
    assert server.add_documents(prepared) == len(prepared)
    assert server.add_documents(prepared[:10]) == 0  # stored already: nothing twice
    assert server.stored_ids() == lite.stored_ids()
    for table, columns in TABLES:
        assert _rows(server.connection, table, columns) == _rows(lite.connection, table, columns), table
    relays = "SELECT d.id, s.position, r.position, r.name, r.relation FROM relays r JOIN statements s ON" \
             " s.rowid = r.statement JOIN documents d ON d.rowid = s.doc"
    assert sorted(map(tuple, server.connection.execute(relays))) == sorted(map(tuple, lite.connection.execute(relays)))
    assert server.connection.execute("SELECT COUNT(*) FROM relays").fetchone()[0] > 0
    # full-text search over the normalised text: الغوطه finds the seed's الغوطة
    found = server.connection.execute(
        "SELECT id FROM documents WHERE search @@ plainto_tsquery('simple', ?)", ("الغوطه",)).fetchall()
    assert [r[0] for r in found] == [prepared[0]["record"]["id"]]


_WRITER = """
import pickle, sys
from khabar.storage.postgres import PostgresDatabase
items = pickle.load(open(sys.argv[2], "rb"))
database = PostgresDatabase(sys.argv[1])
for start in range(0, len(items), 5):
    database.add_documents(items[start:start + 5])
"""


def test_two_writers_at_once_store_each_document_once(postgres, prepared, tmp_path):
    url = postgres.new_database()
    first, second = tmp_path / "a.pickle", tmp_path / "b.pickle"
    first.write_bytes(pickle.dumps(prepared[:30]))
    second.write_bytes(pickle.dumps(prepared[10:][::-1]))  # overlapping, met from the other end
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, url, str(f)], stderr=subprocess.PIPE, text=True)
               for f in (first, second)]  # both also race to create the schema
    for writer in writers:
        assert writer.wait(timeout=300) == 0, writer.stderr.read()
    database = PostgresDatabase(url, read_only=True)
    ids = [r[0] for r in database.connection.execute("SELECT id FROM documents")]
    assert sorted(ids) == sorted(item["record"]["id"] for item in prepared)
    blocks = database.connection.execute("SELECT COUNT(*) FROM blocks").fetchone()[0]
    assert blocks == sum(len(item["record"]["blocks"]) for item in prepared)


def test_schema_versions_and_foreign_databases_are_refused(postgres):
    url = postgres.new_database()
    PostgresDatabase(url).close()
    PostgresDatabase(url).close()  # found, not created again
    database = PostgresDatabase(url)
    database.connection.execute("UPDATE khabar_schema SET version = 1")
    database.close()
    with pytest.raises(KhabarError, match="schema version 1"):
        PostgresDatabase(url, read_only=True)
    with pytest.raises(KhabarError, match="cannot migrate"):
        PostgresDatabase(url)
    other = postgres.new_database()
    import psycopg

    with psycopg.connect(other, autocommit=True) as connection:  # noqa: SIM117
        connection.execute("CREATE TABLE payroll (name TEXT)")
    with pytest.raises(KhabarError, match="other tables"):
        PostgresDatabase(other)


def test_a_version_2_database_is_migrated_to_rank_its_search(postgres, prepared):
    url = postgres.new_database()
    database = PostgresDatabase(url)
    database.add_documents(prepared)
    expected = search(database, "السعودية OR الرياض OR الغوطه", collapse=False)
    database.connection.execute("ALTER TABLE documents DROP COLUMN search_body")
    database.connection.execute("UPDATE khabar_schema SET version = 2")
    database.close()
    with pytest.raises(KhabarError, match="schema version 2"):
        PostgresDatabase(url, read_only=True)
    migrated = PostgresDatabase(url)  # as ingest opens it
    assert migrated.connection.execute("SELECT version FROM khabar_schema").fetchone()[0] == 3
    assert expected["total"] > 1 and search(migrated, "السعودية OR الرياض OR الغوطه", collapse=False) == expected


@pytest.mark.parametrize("url, message", [
    ("postgresql://khabar@/nowhere?host=/nonexistent-socket-folder", "cannot connect to"),
    ("postgresql://khabar@/x?hots=/tmp", "not a PostgreSQL URL"),
    ("postgresql://khabar:secret@127.0.0.1:1/x?connect_timeout=2", "cannot connect to"),
])
def test_bad_urls_give_one_clear_line(url, message):
    with pytest.raises(KhabarError, match=message) as caught:
        PostgresDatabase(url)
    assert "\n" not in str(caught.value) and "secret" not in str(caught.value)


def test_a_missing_database_is_named(postgres):
    with pytest.raises(KhabarError, match='"absent" does not exist'):
        PostgresDatabase(postgres.url("absent"))


def test_the_command_line_says_what_is_wrong_in_one_line_and_exits_1(postgres):
    import subprocess
    import sys

    empty = postgres.new_database()
    cases = [
        (["stats", "--db", "postgresql://khabar:secret@127.0.0.1:1/x?connect_timeout=2"], 1, "cannot connect"),
        (["stats", "--db", postgres.url("absent")], 1, '"absent" does not exist'),
        (["stats", "--db", empty], 1, "holds no khabar database yet"),
        (["stats", "--db", "postgresql://khabar@/x?hots=/tmp"], 2, "not a PostgreSQL URL"),
    ]
    for args, code, message in cases:
        result = subprocess.run([sys.executable, "-m", "khabar.cli", *args], capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == code, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0] and "secret" not in lines[0], result.stderr


def test_the_search_syntax_becomes_a_tsquery():
    assert tsquery("الغوطه دوما") == "'الغوطه' & 'دوما'"
    assert tsquery('"وزير الخارجيه" OR سفير*') == "('وزير' <-> 'الخارجيه') | 'سفير':*"
    assert tsquery("(ايران OR العراق) NOT سوريا") == "( 'ايران' | 'العراق' ) & ! 'سوريا'"
    for malformed in ("OR", "ايران NOT", '"unterminated', "(ايران", "!!!"):
        with pytest.raises(ValueError):
            tsquery(malformed)
