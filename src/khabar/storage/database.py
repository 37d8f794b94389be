"""The embedded SQLite database: one file, WAL journal (readers never block the writer), a
versioned schema (``schema.sql``, ``PRAGMA user_version``) and one transaction per batch of
documents, so a run killed at any moment leaves every document stored completely or not at all."""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
import time
from contextlib import nullcontext
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

from khabar.errors import KhabarError
from khabar.normalize import normalize_arabic

SCHEMA_VERSION = 2
# MIGRATIONS[n] is the script (in khabar.storage) that upgrades version n to n + 1; a new
# database runs schema.sql (version 1) and then each of them.
MIGRATIONS: dict[int, str] = {1: "schema_2.sql"}


def search_text(text: str) -> str:
    """What the full-text index stores and is queried with: the normalised text."""
    return normalize_arabic(text or "")


def search_fields(title: str | None, text: str | None) -> tuple[str, str, str]:
    """(normalised title, normalised body, the text search ranks on: the two joined by a newline).
    SQLite's index holds the first two; PostgreSQL indexes them and stores the third in
    documents.search_body. Each text is normalised once."""
    title, body = search_text(title), search_text(text)
    return title, body, title + "\n" + body


# khabar's search syntax, SQLite FTS5's: words, "a phrase", prefix*, parentheses, AND, OR, NOT
QUERY_TOKEN = re.compile(r'"[^"]*"|\(|\)|[^\s()"]+\*?|"')


def ranking_terms(query: str) -> list[str]:
    """The normalised words, phrases (words joined by one space) and prefixes (without their
    ``*``) that a search's hits are ranked by: each one the query asks for, not those under NOT."""
    terms: list[str] = []
    depth, negated_depth, negate_next = 0, None, False
    for token in QUERY_TOKEN.findall(search_text(query)):
        if token in ("AND", "OR"):
            continue
        if token == "NOT":
            negate_next = True
        elif token == "(":
            if negate_next and negated_depth is None:
                negated_depth = depth
            negate_next, depth = False, depth + 1
        elif token == ")":
            depth -= 1
            if negated_depth == depth:
                negated_depth = None
        elif words := re.findall(r"\w+", token):
            if not negate_next and negated_depth is None and " ".join(words) not in terms:
                terms.append(" ".join(words))
            negate_next = False
    return terms


def _least(*values):
    return min((v for v in values if v is not None), default=None)


def _greatest(*values):
    return max((v for v in values if v is not None), default=None)


def open_database(target: str | Path, *, read_only: bool = False):
    """The database at ``target``: a SQLite file, or a PostgreSQL server when ``target`` is a
    ``postgresql://`` URL (khabar.storage.postgres)."""
    from khabar.storage.postgres import PostgresDatabase, is_postgres_url

    if is_postgres_url(str(target)):
        return PostgresDatabase(str(target), read_only=read_only)
    return Database(target, read_only=read_only)


# the layer tables a stored document fills, with their columns (both backends)
LAYER_COLUMNS = {
    "blocks": 'doc, position, start, "end", role, kind, language, is_foreign, line_hash',
    "entities": "doc, entity, type, canonical, norm",
    "mentions": 'doc, entity, start, "end", text',
    "places": "doc, entity, name, country, lat, lon, place_id, kind",
    "statements": "rowid, doc, position, speaker, speaker_norm, speaker_mention, speaker_type, role, cue, act,"
                  " type, content, content_start, content_end, medium, speaker_entity",
    "relays": "statement, position, name, relation",
}


def layer_rows(doc: int, record: dict, line_hashes: list[str], statement_ids: Iterator[int]) -> dict[str, list[tuple]]:
    """A stored document's rows of each layer table (LAYER_COLUMNS' order); its statements take
    their ids from ``statement_ids``."""
    rows: dict[str, list[tuple]] = {name: [] for name in LAYER_COLUMNS}
    raw = record["raw"]
    rows["blocks"] = [(doc, i, b["start"], b["end"], b["role"], b["kind"], b.get("language"),
                       int(bool(b.get("foreign"))), line_hashes[i]) for i, b in enumerate(record["blocks"])]
    seen = set()
    for entity in record.get("entities", []):
        if entity["entity"] not in seen:
            seen.add(entity["entity"])
            rows["entities"].append((doc, entity["entity"], entity["type"], entity["canonical"],
                                     normalize_arabic(entity["canonical"])))
        rows["mentions"] += [(doc, entity["entity"], s, e, raw[s:e]) for s, e in entity["spans"]]
    rows["places"] = [(doc, p["entity"], p["name"], p["country"], p["lat"], p["lon"], p["id"], p["kind"])
                      for p in record.get("places", [])]
    for position, quote in enumerate(record.get("quotes", [])):
        statement = next(statement_ids)
        rows["statements"].append(
            (statement, doc, position, quote["speaker"], normalize_arabic(quote["speaker"] or ""),
             quote["speaker_mention"], quote["speaker_type"], quote["role"], quote["cue"], quote["act"],
             quote["type"], quote["content"], quote["content_start"], quote["content_end"], quote["medium"],
             quote.get("speaker_entity")))
        rows["relays"] += [(statement, i, v["name"], v["relation"]) for i, v in enumerate(quote.get("via", []))]
    return rows


class Database:
    dialect = "sqlite"
    # what a malformed full-text query raises
    query_errors: tuple = (sqlite3.OperationalError,)

    def __init__(self, path: str | Path, *, read_only: bool = False):
        self.path = str(path)
        if read_only:
            if not Path(self.path).is_file():
                raise KhabarError(f"no database at {self.path}; build one with 'khabar ingest PATH --db {self.path}'")
            self.connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        else:
            self.connection = sqlite3.connect(self.path, isolation_level=None)  # explicit transactions
        self.connection.row_factory = sqlite3.Row
        # PostgreSQL's least() and greatest() (NULLs ignored), so that SQL is shared: SQLite's
        # two-argument min() and max() give NULL when either is NULL.
        self.connection.create_function("least", -1, _least, deterministic=True)
        self.connection.create_function("greatest", -1, _greatest, deterministic=True)
        try:
            if not read_only:
                self.connection.execute("PRAGMA journal_mode=WAL")
                self.connection.execute("PRAGMA synchronous=NORMAL")
            self.connection.execute("PRAGMA busy_timeout=30000")
            if read_only:
                self._check_version()
            else:
                self.migrate()
        except sqlite3.DatabaseError as exc:  # "file is not a database", a damaged file ...
            self.connection.close()
            raise KhabarError(f"{self.path} is not a khabar database ({exc}); build one with "
                              f"'khabar ingest PATH --db NEW_FILE'") from None

    # ----- schema ---------------------------------------------------------------------------
    def _check_version(self) -> None:
        version = self.connection.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            raise KhabarError(f"{self.path} has schema version {version}, this khabar reads {SCHEMA_VERSION}; "
                              "open it once with 'khabar ingest' to migrate it")

    def migrate(self) -> None:
        version = self.connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise KhabarError(f"{self.path} was written by a newer khabar (schema {version})")
        scripts = resources.files("khabar.storage")
        if version == 0:
            script = scripts.joinpath("schema.sql").read_text("utf-8")
            # one transaction each: a crash leaves an empty file or a whole version, never half
            self.connection.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version=1;\nCOMMIT;")
            version = 1
        while version < SCHEMA_VERSION:
            script = scripts.joinpath(MIGRATIONS[version]).read_text("utf-8")
            self.connection.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version={version + 1};\nCOMMIT;")
            version += 1

    def transaction(self):
        return _Transaction(self.connection)

    def full_text(self, query: str) -> tuple[str, str, list, str]:
        """(FROM, WHERE, its parameters, the SQL of a hit's searched text) of a full-text search
        for ``query``, documents as ``d``: what differs between the backends. The searched text
        is the normalised title, a newline and the normalised body on both, so that hits are
        ranked alike (queries.search)."""
        return ("search JOIN documents d ON d.rowid = search.rowid", "search MATCH ?", [search_text(query)],
                "(search.title || char(10) || search.body)")

    def corpus_lock(self):
        """Held while the derived tables are recomputed; SQLite's transactions (BEGIN
        IMMEDIATE) already let one writer at a time."""
        return nullcontext()

    def clear(self, tables: list[str]) -> None:
        """Empty derived tables (in a transaction); their next ids start at 1 again."""
        for table in tables:
            self.connection.execute(f"DELETE FROM {table}")

    def update_search(self, doc: int, title: str | None, text: str | None) -> None:
        """Re-index a document whose clean text changed (outlet templates removed)."""
        self.connection.execute("UPDATE search SET title = ?, body = ? WHERE rowid = ?",
                                (search_text(title), search_text(text), doc))

    def data_version(self) -> int:
        """Changes whenever the stored data may have (for caches of derived figures)."""
        return Path(self.path).stat().st_mtime_ns

    def close(self) -> None:
        self.connection.close()

    # ----- writing --------------------------------------------------------------------------
    def stored_ids(self) -> set[str]:
        return {row[0] for row in self.connection.execute("SELECT id FROM documents")}

    def add_documents(self, documents: Iterable[dict]) -> int:
        """Store prepared documents (see ``corpus.prepare``) in one transaction; a document
        whose id is already stored is left as it is. Returns how many were added."""
        added = 0
        now = time.strftime("%Y-%m-%dT%H:%M:%S")
        with self.transaction():
            for item in documents:
                record = item["record"]
                cursor = self.connection.execute(
                    "INSERT OR IGNORE INTO documents (id, source_path, source_line, outlet, title, url, date, author,"
                    " language, encoding, raw, text, body_hash, minhash, record, ingested_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (record["id"], record["source_path"], record["source_line"], record["outlet"], record["title"],
                     record["url"], record["date"], record["author"], record["language"], record["encoding"],
                     record["raw"], record["text"], item["body_hash"], item["minhash"],
                     json.dumps(record, ensure_ascii=False), now))
                if cursor.rowcount == 0:
                    continue
                added += 1
                self._add_layers(cursor.lastrowid, record, item["line_hashes"])
        return added

    def _add_layers(self, doc: int, record: dict, line_hashes: list[str]) -> None:
        # statement ids as SQLite would give them (one writer at a time: BEGIN IMMEDIATE)
        first = self.connection.execute("SELECT COALESCE(MAX(rowid), 0) + 1 FROM statements").fetchone()[0]
        rows = layer_rows(doc, record, line_hashes, itertools.count(first))
        for table, columns in LAYER_COLUMNS.items():  # (in this order: relays after their statements)
            if rows[table]:
                marks = ", ".join("?" * len(columns.split(",")))
                self.connection.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows[table])
        self.connection.execute("INSERT INTO search (rowid, title, body) VALUES (?,?,?)",
                                (doc, search_text(record["title"]), search_text(record["text"])))


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection

    def __enter__(self):
        self.connection.execute("BEGIN IMMEDIATE")
        return self.connection

    def __exit__(self, kind, value, traceback):
        if kind is not None:
            if self.connection.in_transaction:  # (SQLite may have rolled back itself: a full disk)
                self.connection.execute("ROLLBACK")
            return False
        try:
            self.connection.execute("COMMIT")
        except sqlite3.OperationalError:
            if self.connection.in_transaction:  # a failed COMMIT (a full disk) leaves it open
                self.connection.execute("ROLLBACK")
            raise
        return False
