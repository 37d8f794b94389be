"""The PostgreSQL backend: the same tables as the embedded SQLite database
(``postgres_schema.sql``), for a team that shares one corpus or several machines that ingest
into it at once. Connecting fails in one clear line for each way it can; the versioned schema
is created under an advisory lock; documents are written one transaction per batch, by
``INSERT ... ON CONFLICT (id) DO NOTHING`` (two ingests of the same document store it once),
their layers by ``COPY``.

The rest of khabar's SQL is shared with SQLite: :class:`PgConnection` takes its ``?``
placeholders and gives rows that answer by index and by name, as ``sqlite3.Row`` does. What
cannot be shared (full-text search) asks ``database.dialect``.

    pip install 'khabar[postgres]'    # psycopg 3, binary wheel
"""

from __future__ import annotations

import hashlib
import re
import time
from contextlib import contextmanager
from typing import Iterable

from khabar.errors import KhabarError
from khabar.normalize import normalize_arabic
from khabar.storage.database import QUERY_TOKEN, LAYER_COLUMNS, layer_rows, search_fields

URL_SCHEMES = ("postgresql://", "postgres://")
# 2: the tables of SQLite's schema version 2; 3: documents.search_body, the text search ranks on
SCHEMA_VERSION = 3
# pg_advisory_xact_lock keys of khabar's schema changes and of its derived tables (any
# constants; "khabar" in ASCII, and + 1).
_SCHEMA_LOCK = 0x6B6861626172
_CORPUS_LOCK = _SCHEMA_LOCK + 1


def is_postgres_url(target: str) -> bool:
    return str(target).startswith(URL_SCHEMES)


def _shown(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url)


class Row(tuple):
    """A result row read by index or by column name, and ``dict(row)``, like ``sqlite3.Row``."""

    def __new__(cls, values, names: tuple[str, ...]):
        row = super().__new__(cls, values)
        row._names = names
        return row

    def keys(self) -> list[str]:
        return list(self._names)

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names.index(key))
        return tuple.__getitem__(self, key)


def _row_factory(cursor):
    names = tuple(column.name for column in cursor.description or ())
    return lambda values: Row(values, names)


_PLACEHOLDER = re.compile(r"%|\?")


def _sql(statement: str) -> str:
    """SQLite's ``?`` placeholders as psycopg's ``%s`` (and a literal ``%`` doubled)."""
    return _PLACEHOLDER.sub(lambda m: "%%" if m.group() == "%" else "%s", statement)


class PgConnection:
    """The part of ``sqlite3.Connection`` that khabar's shared SQL uses, over psycopg."""

    def __init__(self, connection):
        self.raw = connection

    def execute(self, statement: str, params=()):
        cursor = self.raw.cursor(row_factory=_row_factory)
        cursor.execute(_sql(statement), tuple(params))
        return cursor

    def executemany(self, statement: str, rows):
        cursor = self.raw.cursor()
        cursor.executemany(_sql(statement), list(rows))
        return cursor

    def cursor(self, *args, **kwargs):
        return self.raw.cursor(*args, **kwargs)

    def transaction(self):
        return self.raw.transaction()

    def close(self) -> None:
        self.raw.close()


def tsquery(query: str) -> str:
    """khabar's search syntax (SQLite FTS5's: words, "a phrase", AND, OR, NOT, prefix*,
    parentheses) as a PostgreSQL tsquery over the same normalised words. Raises ValueError when
    it is malformed, as FTS5 does."""
    out: list[str] = []

    def operand(text: str) -> None:
        if out and out[-1] not in ("&", "|", "& !", "("):
            out.append("&")  # adjacent terms: AND, as in FTS5
        out.append(text)

    for token in QUERY_TOKEN.findall(query):
        if token in ("AND", "OR", "NOT"):
            if not out or out[-1] in ("&", "|", "& !", "("):
                raise ValueError(f"{token} without a term before it")
            out.append({"AND": "&", "OR": "|", "NOT": "& !"}[token])
        elif token == "(":
            operand("(")
        elif token == ")":
            if not out or out[-1] in ("&", "|", "& !", "("):
                raise ValueError("empty or unfinished parentheses")
            out.append(")")
        elif token == '"' or (token.startswith('"') and (len(token) == 1 or not token.endswith('"'))):
            raise ValueError("unterminated string")
        else:
            prefix = token.endswith("*") and not token.startswith('"')
            words = re.findall(r"\w+", token)
            if not words:
                continue
            lexemes = ["'" + w.replace("'", "''") + "'" for w in words]
            if prefix:
                lexemes[-1] += ":*"
            operand(lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")")
    if out and out[-1] in ("&", "|", "& !"):
        raise ValueError("an operator without a term after it")
    if out.count("(") != out.count(")"):
        raise ValueError("unbalanced parentheses")
    if not out:
        raise ValueError("no words to search for")
    return " ".join(out)


def search_vector_sql() -> str:
    """The SQL expression of a document's search vector from (title, body) parameters."""
    return "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')"


class PostgresDatabase:
    dialect = "postgresql"

    def __init__(self, url: str, *, read_only: bool = False):
        try:
            import psycopg
        except ImportError:
            raise KhabarError("a PostgreSQL --db needs psycopg: pip install 'khabar[postgres]'") from None
        self.url = url
        self.query_errors = (psycopg.errors.SyntaxError,)  # what a malformed full-text query raises
        try:
            self.connection = PgConnection(psycopg.connect(url, autocommit=True, connect_timeout=10))
        except psycopg.ProgrammingError as exc:  # a URL libpq cannot parse
            raise KhabarError(f"{_shown(url)} is not a PostgreSQL URL libpq understands ({_first_line(exc)}); "
                              "the form is postgresql://USER@HOST:PORT/DBNAME") from None
        except psycopg.OperationalError as exc:  # no server, wrong password, no such database ...
            raise KhabarError(f"cannot connect to {_shown(url)}: {_first_line(exc)}", exit_code=1) from None
        try:
            if read_only:
                self.connection.execute("SET default_transaction_read_only = on")
                self._check_version()
            else:
                self.migrate()
        except KhabarError:
            self.connection.close()
            raise

    # ----- schema ---------------------------------------------------------------------------
    def _version(self) -> int:
        exists = self.connection.execute("SELECT to_regclass('khabar_schema') IS NOT NULL").fetchone()[0]
        if not exists:
            tables = self.connection.execute(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()").fetchone()[0]
            if tables:
                raise KhabarError(f"{_shown(self.url)} holds other tables and no khabar schema: "
                                  "give khabar a database of its own", exit_code=1)
            return 0
        return self.connection.execute("SELECT version FROM khabar_schema").fetchone()[0]

    def _check_version(self) -> None:
        version = self._version()
        if version == 0:
            raise KhabarError(f"{_shown(self.url)} holds no khabar database yet; build one with "
                              f"'khabar ingest PATH --db {_shown(self.url)}'", exit_code=1)
        if version != SCHEMA_VERSION:
            raise KhabarError(f"{_shown(self.url)} has khabar schema version {version}, this khabar reads "
                              f"{SCHEMA_VERSION}; open it once with 'khabar ingest' to migrate it", exit_code=1)

    def migrate(self) -> None:
        from importlib import resources

        with self.connection.transaction():
            # two ingests starting at once: one creates the schema, the other waits and finds it
            self.connection.execute("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK,))
            version = self._version()
            if version > SCHEMA_VERSION:
                raise KhabarError(f"{_shown(self.url)} was written by a newer khabar (schema {version})",
                                  exit_code=1)
            if version == 0:
                script = resources.files("khabar.storage").joinpath("postgres_schema.sql").read_text("utf-8")
                self.connection.raw.execute(script)  # (no parameters: several statements at once)
                self.connection.execute("CREATE TABLE khabar_schema (version INTEGER NOT NULL)")
                self.connection.execute("INSERT INTO khabar_schema VALUES (?)", (SCHEMA_VERSION,))
            elif version == 2:
                self._add_search_body()
            elif version != SCHEMA_VERSION:
                raise KhabarError(f"{_shown(self.url)} has khabar schema version {version}, which this khabar "
                                  "cannot migrate: ingest into a new database", exit_code=1)

    def _add_search_body(self) -> None:
        """Migration 2 -> 3 (in migrate's transaction): every document's searched text."""
        self.connection.execute("ALTER TABLE documents ADD COLUMN search_body TEXT COLLATE \"C\"")
        rows = self.connection.execute("SELECT rowid, title, text FROM documents").fetchall()
        with self.connection.cursor() as cursor:
            cursor.executemany("UPDATE documents SET search_body = %s WHERE rowid = %s",
                               [(search_fields(title, text)[2], rowid) for rowid, title, text in rows])
        self.connection.execute("UPDATE khabar_schema SET version = ?", (SCHEMA_VERSION,))

    def transaction(self):
        return self.connection.transaction()

    def full_text(self, query: str) -> tuple[str, str, list, str]:
        """(FROM, WHERE, its parameters, the SQL of a hit's searched text) of a full-text
        search: see Database.full_text."""
        return ("documents d", "d.search @@ to_tsquery('simple', ?)", [tsquery(normalize_arabic(query))],
                "d.search_body")

    @contextmanager
    def corpus_lock(self):
        """Held while the derived tables (duplicates, stories, templates, corpus entities) are
        read and recomputed: two ingests that finish at once recompute them one after the
        other, the second over both runs' documents, never interleaved."""
        self.connection.execute("SELECT pg_advisory_lock(?)", (_CORPUS_LOCK,))
        try:
            yield
        finally:
            self.connection.execute("SELECT pg_advisory_unlock(?)", (_CORPUS_LOCK,))

    def clear(self, tables: list[str]) -> None:
        """Empty derived tables (in a transaction; readers see the old rows until it commits);
        their next ids start at 1 again, as SQLite's do."""
        for table in tables:
            self.connection.execute(f"DELETE FROM {table}")
            self.connection.execute(f"SELECT setval(pg_get_serial_sequence('{table}', c.column_name), 1, false)"
                                    " FROM information_schema.columns c WHERE c.table_name = ?"
                                    " AND c.is_identity = 'YES'", (table,))

    def update_search(self, doc: int, title: str | None, text: str | None) -> None:
        """Re-index a document whose clean text changed (outlet templates removed)."""
        self.connection.raw.execute(
            f"UPDATE documents SET search = {search_vector_sql()}, search_body = %s WHERE rowid = %s",
            (*search_fields(title, text), doc))

    def data_version(self) -> str:
        """Changes whenever the stored data may have: the server's write-ahead log position."""
        return str(self.connection.execute("SELECT pg_current_wal_lsn()").fetchone()[0])

    def close(self) -> None:
        self.connection.close()

    # ----- writing --------------------------------------------------------------------------
    def stored_ids(self) -> set[str]:
        return {row[0] for row in self.connection.execute("SELECT id FROM documents")}

    def add_documents(self, documents: Iterable[dict]) -> int:
        """Store prepared documents (see ``corpus.prepare``) in one transaction; a document
        whose id is already stored — by this run or another one at the same time — is left as
        it is. Returns how many were added."""
        import json

        now = time.strftime("%Y-%m-%dT%H:%M:%S")
        added = []
        with self.connection.transaction():
            with self.connection.cursor() as cursor:
                documents = list(documents)
                # Each document id's lock first, all in one global order: two runs writing
                # overlapping batches then wait for each other in that order, never in a cycle
                # (a deadlock), and the documents keep their order (their rowids, as in SQLite).
                for key in sorted({_lock_key(item["record"]["id"]) for item in documents}):
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", (key,))
                for item in documents:
                    record = item["record"]
                    cursor.execute(
                        "INSERT INTO documents (id, source_path, source_line, outlet, title, url, date, author,"
                        " language, encoding, raw, text, body_hash, minhash, record, ingested_at, search, search_body)"
                        f" VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,{search_vector_sql()},%s)"
                        " ON CONFLICT (id) DO NOTHING RETURNING rowid",
                        (record["id"], record["source_path"], record["source_line"], record["outlet"],
                         record["title"], record["url"], record["date"], record["author"], record["language"],
                         record["encoding"], record["raw"], record["text"], item["body_hash"], item["minhash"],
                         json.dumps(record, ensure_ascii=False), now,
                         *search_fields(record["title"], record["text"])))
                    row = cursor.fetchone()
                    if row is not None:
                        added.append((row[0], record, item["line_hashes"]))
                if added:
                    self._add_layers(cursor, added)
        return len(added)

    def _add_layers(self, cursor, added: list[tuple[int, dict, list[str]]]) -> None:
        statements = sum(len(record.get("quotes", [])) for _, record, _ in added)
        # statement ids drawn first, so that statements and their relays go by COPY alike
        cursor.execute("SELECT nextval(pg_get_serial_sequence('statements', 'rowid'))"
                       " FROM generate_series(1, %s)", (statements,))
        statement_ids = iter([r[0] for r in cursor.fetchall()])
        rows: dict[str, list[tuple]] = {name: [] for name in LAYER_COLUMNS}
        for doc, record, line_hashes in added:
            for table, found in layer_rows(doc, record, line_hashes, statement_ids).items():
                rows[table] += found
        for table, columns in LAYER_COLUMNS.items():  # (in this order: relays after their statements)
            if rows[table]:
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows[table]:
                        copy.write_row(row)


def _lock_key(document_id: str) -> int:
    """A document id as an advisory lock key (64 bits; a collision only serialises two writes)."""
    return int.from_bytes(hashlib.blake2b(document_id.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
