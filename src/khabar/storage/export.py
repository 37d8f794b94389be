"""Tables for analysis outside khabar (pandas, DuckDB, Spark): statements, entities or
documents as Parquet (pyarrow, the ``export`` extra), CSV or JSON lines. The columns are listed
in ``COLUMNS`` and documented in docs/database.md; lists are JSON text in CSV, lists in Parquet."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Iterator

from khabar.errors import KhabarError
from khabar.storage.database import Database

# table -> (column, type) in order; "list" columns hold lists of strings
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "statements": [("statement", "int"), ("document", "str"), ("outlet", "str"), ("date", "str"),
                   ("speaker", "str"), ("speaker_entity", "int"), ("speaker_type", "str"), ("role", "str"),
                   ("cue", "str"), ("act", "str"), ("type", "str"), ("content", "str"), ("medium", "str"),
                   ("via", "list"), ("via_relations", "list"), ("about", "list")],
    "entities": [("id", "int"), ("name", "str"), ("type", "str"), ("documents", "int"), ("statements_by", "int"),
                 ("statements_about", "int"), ("first_date", "str"), ("last_date", "str"), ("aliases", "list"),
                 ("roles", "list")],
    "documents": [("id", "str"), ("outlet", "str"), ("date", "str"), ("title", "str"), ("url", "str"),
                  ("language", "str"), ("text", "str"), ("source_path", "str")],
}
FORMATS = ("parquet", "csv", "jsonl")

_QUERIES = {
    "statements": "SELECT s.rowid, d.id, d.outlet, d.date, s.speaker, p.corpus_entity, s.speaker_type, s.role, s.cue,"
                  " s.act, s.type, s.content, s.medium FROM statements s JOIN documents d ON d.rowid = s.doc"
                  " LEFT JOIN statement_speakers p ON p.statement = s.rowid ORDER BY s.rowid",
    "entities": "SELECT id, name, type, documents, statements_by, statements_about, first_date, last_date"
                " FROM corpus_entities ORDER BY id",
    "documents": "SELECT id, outlet, date, title, url, language, text, source_path FROM documents ORDER BY rowid",
}


def rows(db: Database, table: str) -> Iterator[dict]:
    """The table's rows as dicts with ``COLUMNS[table]`` keys, streamed."""
    if table not in COLUMNS:
        raise KhabarError(f"unknown table {table!r}; choose one of {', '.join(COLUMNS)}")
    names = [name for name, _ in COLUMNS[table]]
    reader = db.connection.cursor()  # a cursor of its own: the lists below are read on the main one
    for values in reader.execute(_QUERIES[table]):
        row = dict(zip(names, values))
        if table == "statements":
            via = db.connection.execute("SELECT name, relation FROM relays WHERE statement = ? ORDER BY position",
                                        (row["statement"],)).fetchall()
            row["via"], row["via_relations"] = [v[0] for v in via], [v[1] for v in via]
            row["about"] = [r[0] for r in db.connection.execute(
                "SELECT e.name FROM statement_about a JOIN corpus_entities e ON e.id = a.corpus_entity"
                " WHERE a.statement = ? ORDER BY e.name", (row["statement"],))]
        elif table == "entities":
            row["aliases"] = [r[0] for r in db.connection.execute(
                "SELECT alias FROM entity_aliases WHERE corpus_entity = ? ORDER BY documents DESC, alias", (row["id"],))]
            row["roles"] = [r[0] for r in db.connection.execute(
                "SELECT role FROM entity_roles WHERE corpus_entity = ? ORDER BY documents DESC, role", (row["id"],))]
        yield row


def export(db: Database, table: str, fmt: str, path: str | Path, *, batch: int = 10_000) -> int:
    """Write the table to ``path``; returns the rows written."""
    if fmt not in FORMATS:
        raise KhabarError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    stream = rows(db, table)
    if fmt == "jsonl":
        count = 0
        with open(path, "w", encoding="utf-8") as out:
            for count, row in enumerate(stream, 1):
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return count
    if fmt == "csv":
        count = 0
        with open(path, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(name for name, _ in COLUMNS[table])
            for count, row in enumerate(stream, 1):
                writer.writerow(json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for v in row.values())
        return count
    return _parquet(stream, table, path, batch)


def _parquet(stream: Iterator[dict], table: str, path: str | Path, batch: int) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise KhabarError("Parquet needs pyarrow: pip install 'khabar[export]' (or use --format csv or jsonl)") from None
    types = {"int": pa.int64(), "str": pa.string(), "list": pa.list_(pa.string())}
    schema = pa.schema([(name, types[kind]) for name, kind in COLUMNS[table]])
    count = 0
    with pq.ParquetWriter(str(Path(path)), schema) as writer:
        chunk: list[dict] = []
        for row in stream:
            chunk.append(row)
            if len(chunk) >= batch:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                count += len(chunk)
                chunk = []
        if chunk or count == 0:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            count += len(chunk)
    return count
