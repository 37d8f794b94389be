"""Corpus: parallel, resumable ingest into the database, then what only a corpus shows —
per-outlet boilerplate, duplicates and stories (two phases, as the house style asks: a
signature per document in the workers, then grouping over the stored signatures)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from khabar.corpus.dedup import group_duplicates
from khabar.corpus.link import link_corpus
from khabar.corpus.signature import Signature, body_hash, minhash
from khabar.corpus.stories import Article, cluster_stories
from khabar.data import Document
from khabar.errors import ReadFailure
from khabar.executor import LocalExecutor
from khabar.pipeline import Pipeline, Stage
from khabar.reading import ReadOptions, read
from khabar.storage.database import Database

log = logging.getLogger(__name__)

BATCH = 64
# A body line carried by at least this many documents of one outlet, and this short, is the
# outlet's template (a byline, a contact line), not news.
TEMPLATE_MIN_DOCUMENTS = 10
TEMPLATE_MAX_WORDS = 20


@dataclass
class IngestSummary:
    read: int = 0
    added: int = 0
    already_stored: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list[ReadFailure] = field(default_factory=list)
    corpus: dict = field(default_factory=dict)


def _prepared(document: Document) -> dict:
    signature = document.attributes.pop("signature")
    return {"record": document.to_json(), **signature}


class StoreDocuments(Stage):
    """The last step of an ingest whose workers write the database themselves (a PostgreSQL
    ``--db`` and an executor whose workers reach it, such as Ray's): stores each batch in one
    transaction where it was processed, and hands back for each document only its id (and, on
    the batch's first, how many of the batch this run added), so that the records never travel
    back through the driver."""

    name = "store"
    requires = ("signature",)

    def __init__(self, target: str):
        self.target = target
        self._database = None  # opened once per worker process, on its first batch

    def __getstate__(self) -> dict:
        return {"target": self.target, "_database": None}

    def __call__(self, document: Document) -> Document:
        return self.process_batch([document])[0]

    def process_batch(self, documents: list[Document]) -> list[Document]:
        from khabar.storage.database import open_database

        if self._database is None:
            self._database = open_database(self.target)
        added = self._database.add_documents([_prepared(document) for document in documents])
        return [Document(id=document.id, raw="", source_path=document.source_path,
                         attributes={"stored": added if position == 0 else 0})
                for position, document in enumerate(documents)]


def ingest(paths: Iterable[str], database: Database, *, workers: int = 0, options: ReadOptions | None = None,
           pipeline: Pipeline | None = None, on_item: Callable[[object], None] | None = None,
           on_skip: Callable[[str], None] | None = None, rebuild_corpus: bool = True,
           executor=None) -> IngestSummary:
    """Process every document not yet stored and store it; then rebuild the corpus tables.
    Safe to kill at any point: a re-run continues, and never stores a document twice.
    ``executor``: what runs the pipeline (default a LocalExecutor of ``workers``; or a
    khabar.executor_ray.RayExecutor), the records stream back here to be written."""
    from khabar.api import default_stages

    summary = IngestSummary()
    stored = database.stored_ids()
    pipeline = pipeline or Pipeline(default_stages() + [Signature()])
    if getattr(executor, "workers_write", False) and database.dialect == "postgresql":
        pipeline = Pipeline(list(pipeline.stages) + [StoreDocuments(database.url)])

    def fresh() -> Iterator:
        for item in read(paths, options=options, on_skip=on_skip):
            if isinstance(item, Document) and item.id in stored:
                summary.already_stored += 1
                summary.read += 1
                if on_item:
                    on_item(None)
                continue
            yield item

    batch: list[dict] = []
    results = (executor or LocalExecutor(workers)).run(pipeline, fresh())
    try:
        for item in results:
            if on_item:
                on_item(item)
            if isinstance(item, ReadFailure):
                if item.skipped:
                    summary.skipped += 1
                else:
                    summary.failed += 1
                    summary.failures.append(item)
                continue
            summary.read += 1
            stored.add(item.id)
            if "stored" in item.attributes:  # written by the worker (StoreDocuments)
                summary.added += item.attributes["stored"]
                continue
            batch.append(_prepared(item))
            if len(batch) >= BATCH:
                summary.added += database.add_documents(batch)
                batch = []
    finally:
        results.close()  # on an error (a full disk) the worker pool stops here, not at interpreter exit
    if batch:
        summary.added += database.add_documents(batch)
    if rebuild_corpus:
        summary.corpus = rebuild(database)
    return summary


def rebuild(database: Database) -> dict:
    """Recompute outlets, outlet templates, duplicate groups and stories, in one transaction;
    then the corpus entities (the new documents', or all anew), in another."""
    with database.corpus_lock():
        return _rebuild(database)


def _rebuild(database: Database) -> dict:
    connection = database.connection
    with database.transaction():
        database.clear(["outlets", "duplicate_members", "duplicate_groups", "story_members", "stories"])
        connection.execute("INSERT INTO outlets SELECT outlet, COUNT(*) FROM documents WHERE outlet IS NOT NULL "
                           "GROUP BY outlet")
        templates = learn_templates(database)
        groups = group_duplicates(
            [tuple(r) for r in connection.execute("SELECT rowid, body_hash, minhash, date FROM documents ORDER BY rowid")],
            empty_hash=body_hash(""))
        for group in groups:
            number = connection.execute("INSERT INTO duplicate_groups (kind, representative) VALUES (?, ?)"
                                        " RETURNING id", (group.kind, group.representative)).fetchone()[0]
            connection.executemany("INSERT INTO duplicate_members (grp, doc) VALUES (?, ?)",
                                   [(number, doc) for doc in group.members])
        stories = _stories(database)
    linked = link_corpus(database)  # after the stories: a surname alone is linked through its story
    return {"outlet_templates": templates, "exact_groups": sum(g.kind == "exact" for g in groups),
            "near_groups": sum(g.kind == "near" for g in groups), "stories": stories,
            "corpus_entities": connection.execute("SELECT COUNT(*) FROM corpus_entities").fetchone()[0],
            "linking": linked}


def learn_templates(database: Database) -> int:
    """Lines repeated across many documents of one outlet become boilerplate of kind
    ``outlet_template``; the evidence (first document, how many carry it) is kept."""
    connection = database.connection
    connection.execute("DELETE FROM outlet_templates")
    rows = connection.execute(
        "SELECT d.outlet, b.line_hash, COUNT(DISTINCT b.doc) AS n, MIN(b.doc) AS first"
        " FROM blocks b JOIN documents d ON d.rowid = b.doc"
        " WHERE d.outlet IS NOT NULL AND (b.role = 'body' OR b.kind = 'outlet_template')"
        " GROUP BY d.outlet, b.line_hash HAVING COUNT(DISTINCT b.doc) >= ? ORDER BY d.outlet, b.line_hash",
        (TEMPLATE_MIN_DOCUMENTS,)).fetchall()
    affected: set[int] = set()
    count = 0
    for outlet, line_hash, documents, first in rows:
        start, end, raw = connection.execute(
            'SELECT b.start, b."end", d.raw FROM blocks b JOIN documents d ON d.rowid = b.doc'
            " WHERE b.doc = ? AND b.line_hash = ? LIMIT 1", (first, line_hash)).fetchone()
        text = raw[start:end]
        if len(text.split()) > TEMPLATE_MAX_WORDS:
            continue  # a long repeated paragraph is republished news, for the duplicate stage
        count += 1
        connection.execute("INSERT INTO outlet_templates (outlet, line_hash, text, first_doc, documents)"
                           " VALUES (?,?,?,?,?)", (outlet, line_hash, text, first, documents))
        docs = [r[0] for r in connection.execute(
            "SELECT b.doc FROM blocks b JOIN documents d ON d.rowid = b.doc"
            " WHERE d.outlet = ? AND b.line_hash = ? AND b.role = 'body'", (outlet, line_hash))]
        if docs:
            connection.execute(
                "UPDATE blocks SET role = 'boilerplate', kind = 'outlet_template' WHERE role = 'body'"
                " AND line_hash = ? AND doc IN (SELECT rowid FROM documents WHERE outlet = ?)", (line_hash, outlet))
            affected.update(docs)
    for doc in affected:
        _refresh_document(database, doc)
    return count


def _refresh_document(database: Database, doc: int) -> None:
    """Re-derive a document's clean text, hashes, index row and record from its blocks."""
    connection = database.connection
    raw, record_text = connection.execute("SELECT raw, record FROM documents WHERE rowid = ?", (doc,)).fetchone()
    record = json.loads(record_text)
    blocks = connection.execute('SELECT start, "end", role, kind FROM blocks WHERE doc = ? ORDER BY position',
                                (doc,)).fetchall()
    for block, (start, end, role, kind) in zip(record["blocks"], blocks):
        block["role"], block["kind"] = role, kind
    record["body"] = [raw[s:e] for s, e, role, _ in blocks if role == "body"]
    record["text"] = "\n\n".join(record["body"])
    record["boilerplate"] = [{"text": raw[s:e], "kind": kind, "start": s, "end": e}
                             for s, e, role, kind in blocks if role != "body"]
    connection.execute("UPDATE documents SET text = ?, body_hash = ?, minhash = ?, record = ? WHERE rowid = ?",
                       (record["text"], body_hash(record["text"]), minhash(record["text"]),
                        json.dumps(record, ensure_ascii=False), doc))
    database.update_search(doc, record["title"], record["text"])


def _stories(database: Database) -> int:
    # (every read in a fixed order: the clustering is greedy, and a server returns rows in
    # whatever order its storage holds them)
    connection = database.connection
    entities: dict[int, set[str]] = {}
    for doc, norm in connection.execute("SELECT doc, norm FROM entities WHERE type IN ('PERS', 'ORG', 'LOC')"
                                      " ORDER BY doc, entity"):
        entities.setdefault(doc, set()).add(norm)
    articles = [Article(doc, date, outlet, title or "", (text or "")[:400], entities.get(doc, set()))
                for doc, date, outlet, title, text in connection.execute(
                    "SELECT rowid, date, outlet, title, text FROM documents ORDER BY rowid")]
    by_doc = {a.doc: a for a in articles}
    count = 0
    for members in cluster_stories(articles):
        members.sort(key=lambda d: (by_doc[d].date or "9999", d))
        first = by_doc[members[0]]
        dates = [by_doc[d].date for d in members if by_doc[d].date]
        outlets = {by_doc[d].outlet for d in members if by_doc[d].outlet}
        story = connection.execute(
            "INSERT INTO stories (title, first_date, last_date, documents, outlets) VALUES (?,?,?,?,?) RETURNING id",
            (first.title or first.lede[:80], min(dates) if dates else None, max(dates) if dates else None,
             len(members), len(outlets))).fetchone()[0]
        connection.executemany("INSERT INTO story_members (story, doc) VALUES (?, ?)",
                               [(story, d) for d in members])
        count += 1
    return count
