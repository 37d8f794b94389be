"""Corpus entities in the database: read the document entities, link them
(``khabar.corpus.entities``), and write the corpus entities with their aliases and roles, who
made each statement and whom each statement names."""

from __future__ import annotations

import json
import time
from collections import defaultdict

from khabar.corpus.entities import (CorpusEntity, DocumentEntity, Linking, PeopleIndex, aliases_of,
                                    honorifics, link_entities, name_words, role_of, roles_of, title_aliases,
                                    title_before, titled_name)
from khabar.normalize import normalize_arabic
from khabar.storage.database import Database

# How many characters before a person's mention are read for its title.
TITLE_WINDOW = 80
# New documents beyond this share of the linked ones are linked with the whole corpus anew.
RELINK_SHARE = 0.25


def _only_new(column: str, only_new: bool) -> str:
    """The SQL condition that keeps the documents being linked (those in ``linking_docs``)."""
    return f" AND {column} IN (SELECT doc FROM linking_docs)" if only_new else ""


def read_units(connection, only_new: bool = False) -> list[DocumentEntity]:
    """Every document entity (or, with ``only_new``, those of the documents in the temporary
    table ``linking_docs``), with its date, place id, story, mentions and the titles written
    before its mentions."""
    def docs(column: str = "doc") -> str:
        return _only_new(column, only_new)

    units: dict[tuple[int, str], DocumentEntity] = {}
    by_doc: dict[int, list[DocumentEntity]] = defaultdict(list)
    for doc, entity, type_, canonical, date in connection.execute(
            "SELECT e.doc, e.entity, e.type, e.canonical, d.date FROM entities e JOIN documents d ON d.rowid = e.doc"
            f" WHERE 1 = 1{docs('e.doc')} ORDER BY e.doc, e.entity"):
        unit = units[doc, entity] = DocumentEntity(doc, entity, type_, canonical, date)
        by_doc[doc].append(unit)
    for doc, entity, place_id in connection.execute(f"SELECT doc, entity, place_id FROM places WHERE 1 = 1{docs()} ORDER BY doc, entity"):
        unit = units.get((doc, entity))
        if unit is not None and place_id:
            unit.place_id = place_id
    for story, doc in connection.execute(f"SELECT story, doc FROM story_members WHERE 1 = 1{docs()} ORDER BY story, doc"):
        for unit in by_doc.get(doc, ()):
            unit.story = story
    # a title is read back from a person's mention to the mention before it, at most TITLE_WINDOW
    # characters: "مركز الملك سلمان ... الدكتور عبدالله الربيعة" gives الربيعة no title of the king's
    for doc, entity, text, before in connection.execute(
            "WITH ordered AS (SELECT doc, entity, start, text, greatest(start - ?,"
            ' LAG("end", 1, 0) OVER (PARTITION BY doc ORDER BY start, entity)) AS since FROM mentions WHERE 1 = 1'
            + docs() + ")"
            " SELECT o.doc, o.entity, o.text, CASE WHEN e.type = 'PERS' AND o.start > o.since"
            " THEN substr(d.raw, o.since + 1, o.start - o.since) END"
            " FROM ordered o JOIN entities e ON e.doc = o.doc AND e.entity = o.entity"
            " JOIN documents d ON d.rowid = o.doc ORDER BY o.doc, o.start, o.entity", (TITLE_WINDOW,)):
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


def _key_from_text(text: str) -> tuple:
    kind, value = json.loads(text)
    return (kind, tuple(value) if isinstance(value, list) else value)


def link_corpus(database: Database) -> dict:
    """Link what is not linked yet: the documents added since the last linking, against the
    corpus entities already there — or the whole corpus anew when nothing is linked yet or the
    new documents are more than ``RELINK_SHARE`` of those linked (``khabar link`` always does)."""
    connection = database.connection
    linked = connection.execute("SELECT COUNT(DISTINCT doc) FROM entity_links").fetchone()[0]
    # NOT EXISTS, not NOT IN: PostgreSQL runs NOT IN over a large subquery row by row
    new = connection.execute("SELECT COUNT(DISTINCT doc) FROM entities e WHERE NOT EXISTS"
                             " (SELECT 1 FROM entity_links l WHERE l.doc = e.doc)").fetchone()[0]
    if not linked or new > RELINK_SHARE * linked:
        return relink(database)
    return link_new(database)


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
        _write_links(connection, linking, ids)
        by_id = {entity.id: entity for entity in linking.entities}
        for norm, target in titles.items():
            connection.execute(
                "INSERT INTO entity_aliases (corpus_entity, alias, norm, kind, documents)"
                " SELECT ?, role, ?, 'title', documents FROM entity_roles WHERE corpus_entity = ? AND role = ?"
                " ON CONFLICT DO NOTHING",
                (ids[target], norm, ids[target], roles_of(by_id[target])[norm][0]))
        _link_statements(connection, {norm: ids[t] for norm, t in titles.items()})
        _count(connection)
    return {"corpus_entities": len(linking.entities), "title_aliases": len(titles), "mode": "all",
            "seconds": round(time.perf_counter() - started, 1)}


def link_new(database: Database) -> dict:
    """Link the entities of the documents not linked yet against the corpus entities already
    there; new names become new corpus entities. What it does not revisit: the links made
    before, the display names of the entities, and which roles name one person alone (a full
    ``relink`` does)."""
    started = time.perf_counter()
    connection = database.connection
    with database.transaction():
        connection.execute("CREATE TEMP TABLE IF NOT EXISTS linking_docs (doc INTEGER PRIMARY KEY)")
        connection.execute("DELETE FROM linking_docs")
        connection.execute("INSERT INTO linking_docs SELECT DISTINCT doc FROM entities e"
                           " WHERE NOT EXISTS (SELECT 1 FROM entity_links l WHERE l.doc = e.doc)")
        units = read_units(connection, only_new=True)
        index, known = _load_index(connection)
        first_id = connection.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM corpus_entities").fetchone()[0]
        linking = link_entities(units, index, known, first_id)
        stored_keys = dict(connection.execute(
            f"SELECT id, key FROM corpus_entities WHERE id IN ({', '.join(str(e.id) for e in linking.entities) or 'NULL'})"))
        added = 0
        for entity in linking.entities:
            if entity.id >= first_id:
                _write_entity(connection, entity.id, entity)
                added += 1
            else:
                entity.key = _key_from_text(stored_keys[entity.id])
                _add_to_entity(connection, entity)
        _write_links(connection, linking, {e.id: e.id for e in linking.entities})
        titles = {norm: entity for norm, entity in connection.execute(
            "SELECT norm, corpus_entity FROM entity_aliases WHERE kind = 'title'")}
        _link_statements(connection, titles, only_new=True)
        _count(connection, only_new=True)
        connection.execute("DELETE FROM linking_docs")
    return {"corpus_entities": len(linking.entities), "new_corpus_entities": added, "title_aliases": len(titles),
            "mode": "new documents", "seconds": round(time.perf_counter() - started, 1)}  # (the entities it touched)


def _load_index(connection) -> tuple[PeopleIndex, dict[tuple, int]]:
    """The people index and the group keys of the linked corpus (see ``link_entities``); read in
    a fixed order, as every read of linking, so that both backends link alike."""
    index, known = PeopleIndex(), {}
    for key_text, entity, documents, apart in connection.execute(
            "SELECT l.name_key, l.corpus_entity, COUNT(DISTINCT l.doc),"
            " MAX(CASE WHEN l.evidence = 'ambiguous name' THEN 1 ELSE 0 END)"
            " FROM entity_links l WHERE l.evidence IN ('name', 'name chain', 'name chain, dominant', 'ambiguous name')"
            " GROUP BY l.name_key, l.corpus_entity ORDER BY l.name_key, l.corpus_entity"):
        key = _key_from_text(key_text)
        known[key] = entity
        if key[0] == "PERS" and len(name_words(key[1])) >= 2 and not apart:
            index.add_name(entity, key[1], documents)  # (an ambiguous name is nobody's to join)
    for key_text, entity in connection.execute("SELECT key, id FROM corpus_entities ORDER BY id"):
        known.setdefault(_key_from_text(key_text), entity)  # a corpus entity is found by its own key
    for story, entity in connection.execute(
            "SELECT m.story, l.corpus_entity FROM story_members m JOIN entity_links l ON l.doc = m.doc"
            " JOIN corpus_entities c ON c.id = l.corpus_entity AND c.type = 'PERS'"
            " WHERE m.story IN (SELECT story FROM story_members WHERE doc IN (SELECT doc FROM linking_docs))"
            " ORDER BY m.story, l.corpus_entity"):
        index.story_people[story].add(entity)
    for norm, entity, documents in connection.execute(
            "SELECT a.norm, a.corpus_entity, a.documents FROM entity_aliases a"
            " JOIN corpus_entities c ON c.id = a.corpus_entity AND c.type = 'PERS' WHERE a.kind = 'name'"
            " ORDER BY a.corpus_entity, a.norm"):
        first = norm.split()[0]
        if first in honorifics() and len(norm.split()) > 1:
            index.titled[first, entity] += documents
    return index, known


def _write_links(connection, linking: Linking, ids: dict[int, int]) -> None:
    connection.executemany(
        "INSERT INTO entity_links (doc, entity, corpus_entity, evidence, name_key) VALUES (?,?,?,?,?)",
        [(doc, entity, ids[target], linking.evidence[doc, entity], _key_text(linking.keys[doc, entity]))
         for (doc, entity), target in linking.link.items()])


def _add_to_entity(connection, entity: CorpusEntity) -> None:
    """New documents of a stored corpus entity: its documents, dates, aliases and roles."""
    dates = [u.date for u in entity.members if u.date]
    connection.execute(
        "UPDATE corpus_entities SET documents = documents + ?, first_date = least(first_date, ?),"
        " last_date = greatest(last_date, ?) WHERE id = ?",
        (len({u.doc for u in entity.members}), min(dates, default=None), max(dates, default=None), entity.id))
    connection.executemany(
        "INSERT INTO entity_aliases (corpus_entity, alias, norm, kind, documents) VALUES (?,?,?,'name',?)"
        " ON CONFLICT (corpus_entity, norm) DO UPDATE SET documents = entity_aliases.documents + excluded.documents",
        [(entity.id, written, norm, documents) for norm, (written, documents) in aliases_of(entity).items()])
    connection.executemany(
        "INSERT INTO entity_roles (corpus_entity, role, first_date, last_date, documents) VALUES (?,?,?,?,?)"
        " ON CONFLICT (corpus_entity, role) DO UPDATE SET documents = entity_roles.documents + excluded.documents,"
        " first_date = least(entity_roles.first_date, excluded.first_date),"
        " last_date = greatest(entity_roles.last_date, excluded.last_date)",
        [(entity.id, written, first, last, documents)
         for written, first, last, documents in _distinct_written(roles_of(entity)).values()])


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


def _link_statements(connection, titles: dict[str, int], only_new: bool = False) -> None:
    """Who made each statement (its resolved speaker's corpus entity, else a role only one
    person holds) and whom its content names (every linked mention inside it but the speaker);
    with ``only_new``, the statements of the documents in ``linking_docs``."""
    docs = _only_new("s.doc", only_new)
    connection.execute(
        "INSERT INTO statement_speakers (statement, corpus_entity, evidence)"
        " SELECT s.rowid, l.corpus_entity, 'entity' FROM statements s"
        " JOIN entity_links l ON l.doc = s.doc AND l.entity = s.speaker_entity WHERE 1 = 1" + docs)
    if titles:
        rows = connection.execute(
            "SELECT s.rowid, s.speaker FROM statements s WHERE s.speaker_entity IS NULL AND s.speaker != ''"
            + docs).fetchall()
        connection.executemany(
            "INSERT INTO statement_speakers (statement, corpus_entity, evidence) VALUES (?,?,'title')",
            [(statement, titles[norm]) for statement, speaker in rows
             if (norm := normalize_arabic(role_of(speaker))) in titles])
    connection.execute(  # a statement's role is a role of its speaker too
        "INSERT INTO entity_roles (corpus_entity, role, first_date, last_date, documents)"
        " SELECT p.corpus_entity, s.role, MIN(d.date), MAX(d.date), COUNT(DISTINCT s.doc) FROM statement_speakers p"
        " JOIN statements s ON s.rowid = p.statement JOIN documents d ON d.rowid = s.doc"
        " WHERE s.role != ''" + docs + " GROUP BY p.corpus_entity, s.role"
        " ON CONFLICT (corpus_entity, role) DO UPDATE SET"
        " first_date = least(entity_roles.first_date, excluded.first_date),"
        " last_date = greatest(entity_roles.last_date, excluded.last_date),"
        " documents = greatest(entity_roles.documents, excluded.documents)")
    connection.execute(
        "INSERT INTO statement_about (statement, corpus_entity)"
        " SELECT s.rowid, l.corpus_entity FROM statements s"
        ' JOIN mentions m ON m.doc = s.doc AND m.start >= s.content_start AND m."end" <= s.content_end'
        " JOIN entity_links l ON l.doc = m.doc AND l.entity = m.entity"
        " WHERE (s.speaker_entity IS NULL OR m.entity != s.speaker_entity)" + docs + " ON CONFLICT DO NOTHING")


def _count(connection, only_new: bool = False) -> None:
    """Statements by and about each corpus entity (with ``only_new``, of those the new documents
    touch)."""
    touched = (" WHERE id IN (SELECT corpus_entity FROM entity_links WHERE doc IN (SELECT doc FROM linking_docs)"
               " UNION SELECT p.corpus_entity FROM statement_speakers p JOIN statements s ON s.rowid = p.statement"
               " WHERE s.doc IN (SELECT doc FROM linking_docs))" if only_new else "")
    connection.execute(
        "UPDATE corpus_entities SET"
        " statements_by = (SELECT COUNT(*) FROM statement_speakers WHERE corpus_entity = corpus_entities.id),"
        " statements_about = (SELECT COUNT(*) FROM statement_about WHERE corpus_entity = corpus_entities.id)"
        + touched)
