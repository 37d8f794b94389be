"""Corpus entities in the database: read the document entities, link them
(``khabar.corpus.entities``), and write the corpus entities with their aliases and roles, who
made each statement and whom each statement names."""

from __future__ import annotations

import json
import time
from collections import defaultdict

from khabar.corpus.entities import (CorpusEntity, DocumentEntity, aliases_of, link_entities, role_of,
                                    roles_of, title_aliases, title_before, titled_name)
from khabar.normalize import normalize_arabic
from khabar.storage.database import Database

# How many characters before a person's mention are read for its title.
TITLE_WINDOW = 80


def read_units(connection) -> list[DocumentEntity]:
    """Every document entity, with its date, place id, story, mentions and the titles written
    before its mentions."""
    units: dict[tuple[int, str], DocumentEntity] = {}
    by_doc: dict[int, list[DocumentEntity]] = defaultdict(list)
    for doc, entity, type_, canonical, date in connection.execute(
            "SELECT e.doc, e.entity, e.type, e.canonical, d.date FROM entities e JOIN documents d ON d.rowid = e.doc"
            " ORDER BY e.doc, e.entity"):
        unit = units[doc, entity] = DocumentEntity(doc, entity, type_, canonical, date)
        by_doc[doc].append(unit)
    for doc, entity, place_id in connection.execute("SELECT doc, entity, place_id FROM places"):
        unit = units.get((doc, entity))
        if unit is not None and place_id:
            unit.place_id = place_id
    for story, doc in connection.execute("SELECT story, doc FROM story_members"):
        for unit in by_doc.get(doc, ()):
            unit.story = story
    # a title is read back from a person's mention to the mention before it, at most TITLE_WINDOW
    # characters: "مركز الملك سلمان ... الدكتور عبدالله الربيعة" gives الربيعة no title of the king's
    for doc, entity, text, before in connection.execute(
            "WITH ordered AS (SELECT doc, entity, start, text, max(start - ?,"
            " LAG(end, 1, 0) OVER (PARTITION BY doc ORDER BY start)) AS since FROM mentions)"
            " SELECT o.doc, o.entity, o.text, CASE WHEN e.type = 'PERS' AND o.start > o.since"
            " THEN substr(d.raw, o.since + 1, o.start - o.since) END"
            " FROM ordered o JOIN entities e ON e.doc = o.doc AND e.entity = o.entity"
            " JOIN documents d ON d.rowid = o.doc", (TITLE_WINDOW,)):
        unit = units[doc, entity]
        unit.mentions.append(text)
        if before:
            title = title_before(before, len(before))
            if title:
                unit.titles.append(title)
                addressed = titled_name(title, text)
                if addressed:
                    unit.mentions.append(addressed)
    return list(units.values())


def _key_text(key: tuple) -> str:
    return json.dumps(key, ensure_ascii=False)


def relink(database: Database) -> dict:
    """Link every document entity anew (ids of entities whose key is unchanged are kept) and
    rewrite the corpus entity tables in one transaction."""
    started = time.perf_counter()
    connection = database.connection
    units = read_units(connection)
    linking = link_entities(units)
    titles = title_aliases(linking.entities)
    old_ids = dict(connection.execute("SELECT key, id FROM corpus_entities"))
    next_id = max(old_ids.values(), default=0) + 1
    ids: dict[int, int] = {}  # the linking's id -> the stored id
    for entity in linking.entities:
        key = _key_text(entity.key)
        if key in old_ids:
            ids[entity.id] = old_ids[key]
        else:
            ids[entity.id], next_id = next_id, next_id + 1
    with database.transaction():
        for table in ("statement_about", "statement_speakers", "entity_roles", "entity_aliases", "entity_links",
                      "corpus_entities"):
            connection.execute(f"DELETE FROM {table}")
        for entity in linking.entities:
            _write_entity(connection, ids[entity.id], entity)
        connection.executemany(
            "INSERT INTO entity_links (doc, entity, corpus_entity, evidence) VALUES (?,?,?,?)",
            [(doc, entity, ids[target], linking.evidence[doc, entity])
             for (doc, entity), target in linking.link.items()])
        for norm, target in titles.items():
            connection.execute(
                "INSERT INTO entity_aliases (corpus_entity, alias, norm, kind, documents)"
                " SELECT ?, role, ?, 'title', documents FROM entity_roles WHERE corpus_entity = ? AND role = ?"
                " ON CONFLICT DO NOTHING",
                (ids[target], norm, ids[target], _written_role(linking.entities, target, norm)))
        _link_statements(connection, {norm: ids[t] for norm, t in titles.items()})
        _count(connection)
    return {"corpus_entities": len(linking.entities), "title_aliases": len(titles),
            "seconds": round(time.perf_counter() - started, 1)}


def _written_role(entities: list[CorpusEntity], target: int, norm: str) -> str:
    entity = next(e for e in entities if e.id == target)
    return roles_of(entity)[norm][0]


def _write_entity(connection, stored_id: int, entity: CorpusEntity) -> None:
    dates = [u.date for u in entity.members if u.date]
    connection.execute(
        "INSERT INTO corpus_entities (id, key, name, norm, type, documents, first_date, last_date)"
        " VALUES (?,?,?,?,?,?,?,?)",
        (stored_id, _key_text(entity.key), entity.name, normalize_arabic(entity.name), _type(entity),
         len({u.doc for u in entity.members}), min(dates, default=None), max(dates, default=None)))
    connection.executemany(
        "INSERT INTO entity_aliases (corpus_entity, alias, norm, kind, documents) VALUES (?,?,?,'name',?)",
        [(stored_id, written, norm, documents) for norm, (written, documents) in aliases_of(entity).items()])
    connection.executemany(
        "INSERT INTO entity_roles (corpus_entity, role, first_date, last_date, documents) VALUES (?,?,?,?,?)",
        [(stored_id, written, first, last, documents)
         for written, first, last, documents in _distinct_written(roles_of(entity)).values()])


def _distinct_written(roles: dict[str, list]) -> dict[str, list]:
    """Roles keyed by their written form (two normalised roles may share it)."""
    out: dict[str, list] = {}
    for entry in roles.values():
        out.setdefault(entry[0], entry)
    return out


def _type(entity: CorpusEntity) -> str:
    types = defaultdict(int)
    for unit in entity.members:
        types[unit.type] += 1
    return max(types, key=lambda t: (types[t], t))


def _link_statements(connection, titles: dict[str, int]) -> None:
    """Who made each statement (its resolved speaker's corpus entity, else a role only one
    person holds) and whom its content names (every linked mention inside it but the speaker)."""
    connection.execute(
        "INSERT INTO statement_speakers (statement, corpus_entity, evidence)"
        " SELECT s.rowid, l.corpus_entity, 'entity' FROM statements s"
        " JOIN entity_links l ON l.doc = s.doc AND l.entity = s.speaker_entity")
    if titles:
        rows = connection.execute(
            "SELECT rowid, speaker FROM statements WHERE speaker_entity IS NULL AND speaker != ''").fetchall()
        connection.executemany(
            "INSERT INTO statement_speakers (statement, corpus_entity, evidence) VALUES (?,?,'title')",
            [(statement, titles[norm]) for statement, speaker in rows
             if (norm := normalize_arabic(role_of(speaker))) in titles])
    connection.execute(  # a statement's role is a role of its speaker too
        "INSERT INTO entity_roles (corpus_entity, role, first_date, last_date, documents)"
        " SELECT p.corpus_entity, s.role, MIN(d.date), MAX(d.date), COUNT(DISTINCT s.doc) FROM statement_speakers p"
        " JOIN statements s ON s.rowid = p.statement JOIN documents d ON d.rowid = s.doc"
        " WHERE s.role != '' GROUP BY p.corpus_entity, s.role"
        " ON CONFLICT (corpus_entity, role) DO UPDATE SET"
        " first_date = coalesce(min(first_date, excluded.first_date), first_date, excluded.first_date),"
        " last_date = coalesce(max(last_date, excluded.last_date), last_date, excluded.last_date),"
        " documents = max(documents, excluded.documents)")
    connection.execute(
        "INSERT OR IGNORE INTO statement_about (statement, corpus_entity)"
        " SELECT s.rowid, l.corpus_entity FROM statements s"
        " JOIN mentions m ON m.doc = s.doc AND m.start >= s.content_start AND m.end <= s.content_end"
        " JOIN entity_links l ON l.doc = m.doc AND l.entity = m.entity"
        " WHERE s.speaker_entity IS NULL OR m.entity != s.speaker_entity")


def _count(connection) -> None:
    connection.execute(
        "UPDATE corpus_entities SET"
        " statements_by = (SELECT COUNT(*) FROM statement_speakers WHERE corpus_entity = corpus_entities.id),"
        " statements_about = (SELECT COUNT(*) FROM statement_about WHERE corpus_entity = corpus_entities.id)")
