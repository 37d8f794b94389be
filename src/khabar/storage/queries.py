"""Read-only queries over the database, shared by the CLI and the web API. Every value is
bound as a parameter; full-text queries are normalised like the index."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from khabar.errors import KhabarError
from khabar.normalize import normalize_arabic, normalize_with_offsets
from khabar.outlets import outlet_spellings
from khabar.storage.database import Database, ranking_terms

MAX_QUERY_LENGTH = 500
MAX_PAGE = 200


class QueryError(KhabarError):
    """A query the user can fix (a malformed full-text expression, a bad parameter)."""


def _page(limit: int, offset: int) -> tuple[int, int]:
    if not 1 <= limit <= MAX_PAGE:
        raise QueryError(f"limit must be between 1 and {MAX_PAGE}")
    if offset < 0:
        raise QueryError("offset must be 0 or more")
    return limit, offset


def _rows(cursor) -> list[dict]:
    return [dict(row) for row in cursor]


# A statement (as s) whose speaker is no corpus entity. NOT EXISTS, not NOT IN: PostgreSQL
# runs NOT IN over a large subquery row by row.
_UNLINKED = "NOT EXISTS (SELECT 1 FROM statement_speakers p WHERE p.statement = s.rowid)"


def stats(db: Database) -> dict:
    c = db.connection
    one = lambda sql: c.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "documents": one("SELECT COUNT(*) FROM documents"),
        "outlets": one("SELECT COUNT(*) FROM outlets"),
        "statements": one("SELECT COUNT(*) FROM statements"),
        "speakers": one("SELECT COUNT(DISTINCT corpus_entity) FROM statement_speakers"),
        "unresolved_speakers": one("SELECT COUNT(DISTINCT speaker_norm) FROM statements s WHERE speaker_norm != ''"
                                   f" AND {_UNLINKED}"),
        "entities": one("SELECT COUNT(*) FROM corpus_entities"),
        "places": one("SELECT COUNT(DISTINCT place_id) FROM places"),
        "exact_duplicate_groups": one("SELECT COUNT(*) FROM duplicate_groups WHERE kind = 'exact'"),
        "near_duplicate_groups": one("SELECT COUNT(*) FROM duplicate_groups WHERE kind = 'near'"),
        "stories": one("SELECT COUNT(*) FROM stories"),
        "outlet_templates": one("SELECT COUNT(*) FROM outlet_templates"),
        "first_date": one("SELECT MIN(date) FROM documents"),
        "last_date": one("SELECT MAX(date) FROM documents"),
    }


def search(db: Database, query: str, *, limit: int = 20, offset: int = 0, outlet: str | None = None,
           since: str | None = None, until: str | None = None, language: str | None = None,
           collapse: bool = True) -> dict:
    """Full-text search (FTS5 syntax: words, "phrases", OR, NOT, prefix*) over titles and text.
    With ``collapse`` (the default) a duplicate group (exact or near) gives one hit, its best
    ranked document, with ``more_like_this`` the number of its other matching documents.
    Snippets are the original text with the matches in [brackets]."""
    limit, offset = _page(limit, offset)
    if not query or not query.strip():
        raise QueryError("empty search query")
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(f"search query longer than {MAX_QUERY_LENGTH} characters")
    try:
        source, match, text_params, searched = db.full_text(query)
    except ValueError as exc:
        raise QueryError(f"malformed search query ({exc}); use words, \"a phrase\", OR, NOT, prefix*") from None
    where, params = [match], list(text_params)
    if outlet:
        _match_outlet(where, params, outlet)
    for column, value, op in (("d.date", since, ">="), ("d.date", until, "<="), ("d.language", language, "=")):
        if value:
            where.append(f"{column} {op} ?")
            params.append(value if column != "d.date" or op == ">=" else value + "\uffff")
    terms = ranking_terms(query)
    # each hit's length and how often each term occurs in it (as a substring of the normalised
    # text, so بالرياض counts for الرياض), counted by the engine: the same on both backends
    counts = "".join(f", (length({searched}) - length(replace({searched}, ?, ''))) / ?" for _ in terms)
    try:
        rows = db.connection.execute(
            f"SELECT d.rowid, length({searched}){counts} FROM {source} WHERE {' AND '.join(where)}",
            [value for term in terms for value in (term, len(term))] + params).fetchall()
    except db.query_errors as exc:
        raise QueryError(f"malformed search query ({exc}); use words, \"a phrase\", OR, NOT, prefix*") from None
    documents = db.connection.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    ranked = rank_hits([tuple(row) for row in rows], documents)
    hits = _collapse(db, ranked) if collapse else [(doc, 0) for doc in ranked]
    results = []
    for doc, more in hits[offset:offset + limit]:
        row = dict(db.connection.execute("SELECT id, title, outlet, date, text FROM documents WHERE rowid = ?",
                                         (doc,)).fetchone())
        window = snippet_window(row.pop("text") or "", query)
        row["snippet"] = re.sub(r"\s+", " ", "".join(f"[{part}]" if matched else part for part, matched in window))
        if collapse:
            row["more_like_this"] = more
        results.append(row)
    return {"query": query, "total": len(hits), "limit": limit, "offset": offset, "results": results}


def rank_hits(rows: list[tuple], documents: int, *, k1: float = 1.2, b: float = 0.75) -> list[int]:
    """Hits best first by Okapi BM25, from rows (document, length, occurrences of each term)
    and the number of documents stored; ties by document order. Computed here from counts both
    backends give alike, so SQLite and PostgreSQL rank the same hits the same way (their own
    rankings, FTS5's bm25 and ts_rank_cd, differ). A term's document frequency is the number of
    hits that hold it: exact for words joined by OR, and under AND every hit holds every term."""
    if not rows:
        return []
    average = sum(row[1] for row in rows) / len(rows) or 1.0
    weights = []
    for column in range(2, len(rows[0])):
        frequency = sum(1 for row in rows if row[column])
        weights.append(math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5)))

    def score(row: tuple) -> float:
        saturation = k1 * (1 - b + b * row[1] / average)
        return sum(weight * count * (k1 + 1) / (count + saturation)
                   for weight, count in zip(weights, row[2:]) if count)

    return [row[0] for row in sorted(rows, key=lambda row: (-score(row), row[0]))]


def _collapse(db: Database, ranked: list[int]) -> list[tuple[int, int]]:
    """(document, other matching members of its duplicate group) for the best ranked document of
    each group, in rank order; a document in no group stands alone."""
    group_of: dict[int, int] = {}
    for start in range(0, len(ranked), 900):  # SQLite's bound-parameter limit
        chunk = ranked[start:start + 900]
        group_of.update(db.connection.execute(
            f"SELECT doc, MIN(grp) FROM duplicate_members WHERE doc IN ({', '.join('?' * len(chunk))}) GROUP BY doc",
            chunk).fetchall())
    first: dict[int, int] = {}  # group -> index of its hit
    hits: list[list[int]] = []
    for doc in ranked:
        group = group_of.get(doc)
        if group is None or group not in first:
            if group is not None:
                first[group] = len(hits)
            hits.append([doc, 0])
        else:
            hits[first[group]][1] += 1
    return [(doc, more) for doc, more in hits]


def snippet_window(text: str, query: str, *, width: int = 90) -> list[tuple[str, bool]]:
    """A window of the original text around the first query word, as (piece, is a match) pieces;
    matching is on the normalised text, mapped back to the original by offsets, so the pieces
    keep the original spelling (الخارجية, not الخارجيه)."""
    normalized, offsets = normalize_with_offsets(text)
    words = [w for w in re.findall(r"\w+", normalize_arabic(query)) if w.upper() not in ("AND", "OR", "NOT")]
    spans = sorted((offsets[m.start()], offsets[m.end()]) for word in words
                   for m in re.finditer(re.escape(word), normalized))
    if not spans:
        return [(text[: 2 * width] + ("…" if len(text) > 2 * width else ""), False)]
    centre = spans[0][0]
    a, b = max(0, centre - width), min(len(text), centre + width)
    pieces = [("…", False)] if a > 0 else []
    position = a
    for start, end in spans:
        if start < position or end > b:
            continue
        pieces += [(text[position:start], False), (text[start:end], True)]
        position = end
    pieces.append((text[position:b] + ("…" if b < len(text) else ""), False))
    return pieces


def document(db: Database, doc_id: str) -> dict | None:
    row = db.connection.execute("SELECT rowid, record FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        return None
    record = json.loads(row["record"])
    groups = _rows(db.connection.execute(
        "SELECT g.id, g.kind, r.id AS representative FROM duplicate_members m JOIN duplicate_groups g ON g.id = m.grp"
        " JOIN documents r ON r.rowid = g.representative WHERE m.doc = ?", (row["rowid"],)))
    stories = _rows(db.connection.execute(
        "SELECT s.id, s.title FROM story_members m JOIN stories s ON s.id = m.story WHERE m.doc = ?", (row["rowid"],)))
    record["duplicate_groups"], record["stories"] = groups, stories
    # each document entity's corpus entity: E1 -> its id across the corpus
    record["corpus_entities"] = dict(db.connection.execute(
        "SELECT entity, corpus_entity FROM entity_links WHERE doc = ? ORDER BY entity", (row["rowid"],)))
    return record


def _match_outlet(where: list[str], params: list, outlet: str) -> None:
    """An outlet by its display name, its corpus id or an alias (``okaz``, ``عكاظ``, ``Okaz``)."""
    spellings = outlet_spellings(outlet)
    where.append(f"d.outlet IN ({', '.join('?' * len(spellings))})")
    params.extend(spellings)


def _contains_pattern(text: str) -> str:
    """A LIKE pattern for text found anywhere, its own % and _ taken literally (ESCAPE '\\')."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _match_name(where: list[str], params: list, column: str, name: str, exact: bool) -> None:
    """A speaker by the whole normalised name (index look-up) or by a part of it."""
    where.append(f"{column} = ?" if exact else f"{column} LIKE ? ESCAPE '\\'")
    params.append(normalize_arabic(name) if exact else _contains_pattern(normalize_arabic(name)))


def _statement_rows(db: Database, where: list[str], params: list[Any], limit: int, offset: int) -> list[dict]:
    sql = ("SELECT s.rowid AS statement, d.id AS document, d.title, d.outlet, d.date, s.speaker, s.speaker_mention,"
           " s.speaker_type, s.role, s.cue, s.act, s.type, s.content, s.medium"
           " FROM statements s JOIN documents d ON d.rowid = s.doc"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY d.date NULLS FIRST, d.rowid, s.position LIMIT ? OFFSET ?")
    rows = _rows(db.connection.execute(sql, params + [limit, offset]))
    for row in rows:
        row["via"] = _rows(db.connection.execute(
            "SELECT name, relation FROM relays WHERE statement = ? ORDER BY position", (row.pop("statement"),)))
    return rows


def matching_entities(db: Database, name: str, *, type_: str | None = None) -> list[int]:
    """Corpus entities a name refers to: those with that alias (normalised), or, when none has
    it, those with an alias containing it; the most documented first."""
    norm = normalize_arabic(" ".join(name.split()))
    type_filter, params = ("AND c.type = ?", [type_]) if type_ else ("", [])
    for condition, value in (("a.norm = ?", norm), ("a.norm LIKE ? ESCAPE '\\'", _contains_pattern(norm))):
        ids = [r[0] for r in db.connection.execute(
            f"SELECT c.id FROM entity_aliases a JOIN corpus_entities c ON c.id = a.corpus_entity"
            f" WHERE {condition} {type_filter} GROUP BY c.id, c.documents ORDER BY c.documents DESC, c.id"
            f" LIMIT {MAX_PAGE}", [value] + params)]
        if ids:
            return ids
    return []


# the statements made by, and those naming, one corpus entity (one parameter: its id)
_BY_ENTITY = "s.rowid IN (SELECT statement FROM statement_speakers WHERE corpus_entity = ?)"
_ABOUT_ENTITY = "s.rowid IN (SELECT statement FROM statement_about WHERE corpus_entity = ?)"


def _in_list(ids: list[int]) -> str:
    return f"({', '.join(str(int(i)) for i in ids) or 'NULL'})"


def statements(db: Database, *, speaker: str | None = None, about: str | None = None, act: str | None = None,
               relay: str | None = None, outlet: str | None = None, since: str | None = None,
               until: str | None = None, limit: int = 50, offset: int = 0, exact: bool = False) -> list[dict]:
    """Statements, filtered. ``speaker`` finds the corpus entities of that name (any alias) and
    their statements; when no entity has it, statements whose speaker's name contains it (or is
    it, with ``exact``). ``about``: statements whose content names an entity of that name."""
    limit, offset = _page(limit, offset)
    where, params = [], []
    if speaker:
        ids = [] if exact else matching_entities(db, speaker)
        if ids:
            where.append(f"s.rowid IN (SELECT statement FROM statement_speakers WHERE corpus_entity IN {_in_list(ids)})")
        else:
            _match_name(where, params, "s.speaker_norm", speaker, exact)
    if about:
        where.append("s.rowid IN (SELECT statement FROM statement_about WHERE corpus_entity IN "
                     f"{_in_list(matching_entities(db, about))})")
    if act:
        where.append("s.act = ?")
        params.append(act)
    if relay:
        where.append("s.rowid IN (SELECT statement FROM relays WHERE relation = ? OR name LIKE ? ESCAPE '\\')")
        params += [relay, _contains_pattern(relay)]
    if outlet:
        _match_outlet(where, params, outlet)
    if since:
        where.append("d.date >= ?")
        params.append(since)
    if until:
        where.append("d.date <= ?")
        params.append(until + "\uffff")
    return _statement_rows(db, where, params, limit, offset)


def entities(db: Database, *, name: str | None = None, type_: str | None = None, limit: int = 20,
             offset: int = 0) -> list[dict]:
    """Corpus entities, the most documented first; ``name`` matches any alias (see
    ``matching_entities``), ``type_`` is PERS, ORG, LOC or MISC."""
    limit, offset = _page(limit, offset)
    if name:
        ids = matching_entities(db, name, type_=type_)[offset:offset + limit]
    else:
        where, params = ("WHERE type = ?", [type_]) if type_ else ("", [])
        ids = [r[0] for r in db.connection.execute(
            f"SELECT id FROM corpus_entities {where} ORDER BY documents DESC, id LIMIT ? OFFSET ?",
            params + [limit, offset])]
    return [_entity_summary(db, i) for i in ids]


def _entity_summary(db: Database, entity_id: int) -> dict:
    c = db.connection
    row = dict(c.execute("SELECT id, name, type, documents, statements_by, statements_about, first_date, last_date"
                         " FROM corpus_entities WHERE id = ?", (entity_id,)).fetchone())
    row["aliases"] = [r[0] for r in c.execute(
        "SELECT alias FROM entity_aliases WHERE corpus_entity = ? ORDER BY documents DESC, alias", (entity_id,))]
    row["roles"] = _rows(c.execute(
        "SELECT role, first_date AS first, last_date AS last, documents FROM entity_roles WHERE corpus_entity = ?"
        " AND documents >= 2 ORDER BY documents DESC, role LIMIT 20", (entity_id,)))
    return row


def entity(db: Database, entity_id: int) -> dict | None:
    """One corpus entity with what the corpus says of it: its statements, those about it, the
    relays its words went through, its timeline, whom it speaks about and who speaks about it."""
    c = db.connection
    if c.execute("SELECT 1 FROM corpus_entities WHERE id = ?", (entity_id,)).fetchone() is None:
        return None
    result = _entity_summary(db, entity_id)
    result["statements"] = _statement_rows(db, [_BY_ENTITY], [entity_id], MAX_PAGE, 0)
    result["statements_about_it"] = _statement_rows(db, [_ABOUT_ENTITY], [entity_id], MAX_PAGE, 0)
    result["relays"] = dict(c.execute(
        "SELECT r.name, COUNT(*) FROM relays r JOIN statement_speakers p ON p.statement = r.statement"
        " WHERE p.corpus_entity = ? GROUP BY r.name ORDER BY COUNT(*) DESC, r.name LIMIT 20", (entity_id,)))
    result["timeline"] = dict(c.execute(
        "SELECT substr(d.date, 1, 10), COUNT(DISTINCT d.rowid) FROM entity_links l JOIN documents d ON d.rowid = l.doc"
        " WHERE l.corpus_entity = ? AND d.date IS NOT NULL GROUP BY 1 ORDER BY 1", (entity_id,)))
    result["speaks_about"] = _rows(c.execute(
        "SELECT e.id, e.name, e.type, COUNT(*) AS statements FROM statement_speakers p"
        " JOIN statement_about a ON a.statement = p.statement JOIN corpus_entities e ON e.id = a.corpus_entity"
        " WHERE p.corpus_entity = ? AND a.corpus_entity != ? GROUP BY e.id ORDER BY statements DESC, e.id LIMIT 20",
        (entity_id, entity_id)))
    result["spoken_about_by"] = _rows(c.execute(
        "SELECT e.id, e.name, e.type, COUNT(*) AS statements FROM statement_about a"
        " JOIN statement_speakers p ON p.statement = a.statement JOIN corpus_entities e ON e.id = p.corpus_entity"
        " WHERE a.corpus_entity = ? AND p.corpus_entity != ? GROUP BY e.id ORDER BY statements DESC, e.id LIMIT 20",
        (entity_id, entity_id)))
    return result


def speakers(db: Database, *, name: str | None = None, limit: int = 20, offset: int = 0, exact: bool = False,
             unresolved: bool = False) -> list[dict]:
    """Who said most: statements per speaker, by act, with their outlets and relays.

    By default the speakers are corpus entities (people and organisations, one per real one
    whatever the name written) and ``name`` matches any of their aliases. With ``unresolved``,
    the speakers that resolve to no entity — anonymous sources (مصادر), documents (التقرير),
    unnamed organisations (الشركة), roles — grouped by name as written, ``name`` matching a part
    of it (or the whole with ``exact``)."""
    limit, offset = _page(limit, offset)
    if unresolved:
        return _unresolved_speakers(db, name, limit, offset, exact)
    where, params = ["e.type IN ('PERS', 'ORG')"], []
    if name:
        where.append(f"e.id IN {_in_list(matching_entities(db, name))}")
    rows = _rows(db.connection.execute(
        f"SELECT e.id AS entity, e.name AS speaker, CASE e.type WHEN 'PERS' THEN 'person' ELSE 'organization' END"
        f" AS speaker_type, COUNT(*) AS statements, COUNT(DISTINCT s.doc) AS documents"
        f" FROM statement_speakers p JOIN corpus_entities e ON e.id = p.corpus_entity"
        f" JOIN statements s ON s.rowid = p.statement WHERE {' AND '.join(where)}"
        f" GROUP BY e.id ORDER BY statements DESC, e.id LIMIT ? OFFSET ?", params + [limit, offset]))
    for row in rows:
        _speaker_details(db, row, _BY_ENTITY, row["entity"])
    return rows


def _unresolved_speakers(db: Database, name: str | None, limit: int, offset: int, exact: bool) -> list[dict]:
    where, params = ["speaker_norm != ''", _UNLINKED], []
    if name:
        _match_name(where, params, "speaker_norm", name, exact)
    rows = _rows(db.connection.execute(
        f"SELECT speaker_norm, MAX(speaker) AS speaker, COUNT(*) AS statements, COUNT(DISTINCT doc) AS documents"
        f" FROM statements s WHERE {' AND '.join(where)}"
        f" GROUP BY speaker_norm ORDER BY statements DESC, speaker LIMIT ? OFFSET ?", params + [limit, offset]))
    for row in rows:
        norm = row.pop("speaker_norm")
        unlinked = f"s.speaker_norm = ? AND {_UNLINKED}"
        row["entity"] = None
        row["speaker_type"] = db.connection.execute(
            f"SELECT speaker_type FROM statements s WHERE {unlinked} GROUP BY speaker_type"
            " ORDER BY COUNT(*) DESC, speaker_type LIMIT 1", (norm,)).fetchone()[0]
        _speaker_details(db, row, unlinked, norm)
    return rows


def _speaker_details(db: Database, row: dict, condition: str, value) -> None:
    """A speaker's acts, relays, outlets and timeline: its statements are those ``condition``
    (over ``statements s``, one parameter) selects."""
    c = db.connection
    row["acts"] = dict(c.execute(
        f"SELECT act, COUNT(*) FROM statements s WHERE {condition} GROUP BY act ORDER BY COUNT(*) DESC, act", (value,)))
    row["relays"] = dict(c.execute(
        f"SELECT r.name, COUNT(*) FROM relays r JOIN statements s ON s.rowid = r.statement WHERE {condition}"
        " GROUP BY r.name ORDER BY COUNT(*) DESC, r.name LIMIT 10", (value,)))
    row["outlets"] = dict(c.execute(
        f"SELECT d.outlet, COUNT(*) FROM statements s JOIN documents d ON d.rowid = s.doc WHERE {condition}"
        " GROUP BY d.outlet ORDER BY COUNT(*) DESC, d.outlet", (value,)))
    row["timeline"] = dict(c.execute(
        f"SELECT substr(d.date, 1, 10), COUNT(*) FROM statements s JOIN documents d ON d.rowid = s.doc"
        f" WHERE {condition} AND d.date IS NOT NULL GROUP BY 1 ORDER BY 1", (value,)))


def stories(db: Database, *, limit: int = 20, offset: int = 0, min_outlets: int = 1) -> list[dict]:
    limit, offset = _page(limit, offset)
    rows = _rows(db.connection.execute(
        "SELECT id, title, first_date, last_date, documents, outlets FROM stories WHERE outlets >= ?"
        " ORDER BY outlets DESC, documents DESC, id LIMIT ? OFFSET ?", (min_outlets, limit, offset)))
    for row in rows:
        row["members"] = _rows(db.connection.execute(
            "SELECT d.id, d.title, d.outlet, d.date FROM story_members m JOIN documents d ON d.rowid = m.doc"
            " WHERE m.story = ? ORDER BY d.date NULLS FIRST, d.rowid", (row["id"],)))
    return rows


def story(db: Database, story_id: int) -> dict | None:
    row = db.connection.execute("SELECT id, title, first_date, last_date, documents, outlets FROM stories"
                                " WHERE id = ?", (story_id,)).fetchone()
    if row is None:
        return None
    result = dict(row)
    result["members"] = _rows(db.connection.execute(
        "SELECT d.id, d.title, d.outlet, d.date FROM story_members m JOIN documents d ON d.rowid = m.doc"
        " WHERE m.story = ? ORDER BY d.date NULLS FIRST, d.rowid", (story_id,)))
    result["statements"] = _statement_rows(
        db, ["s.doc IN (SELECT doc FROM story_members WHERE story = ?)"], [story_id], MAX_PAGE, 0)
    return result


def duplicates(db: Database) -> list[dict]:
    """Every group: ``{"kind", "representative", "members"}`` with the documents' ids."""
    out = []
    for group_id, kind, representative in db.connection.execute(
            "SELECT g.id, g.kind, d.id FROM duplicate_groups g JOIN documents d ON d.rowid = g.representative"
            " ORDER BY g.id"):
        members = [r[0] for r in db.connection.execute(
            "SELECT d.id FROM duplicate_members m JOIN documents d ON d.rowid = m.doc WHERE m.grp = ?"
            " ORDER BY d.date NULLS FIRST, d.rowid", (group_id,))]
        out.append({"kind": kind, "representative": representative, "members": members})
    return out


def outlets(db: Database) -> list[dict]:
    return _rows(db.connection.execute("SELECT name, documents FROM outlets ORDER BY documents DESC, name"))


def places(db: Database, *, limit: int = 200, offset: int = 0) -> list[dict]:
    limit, offset = _page(limit, offset)
    return _rows(db.connection.execute(
        "SELECT place_id AS id, MAX(name) AS name, MAX(country) AS country, MAX(lat) AS lat, MAX(lon) AS lon,"
        " MAX(kind) AS kind, COUNT(DISTINCT doc) AS documents"
        " FROM places GROUP BY place_id ORDER BY documents DESC, place_id LIMIT ? OFFSET ?", (limit, offset)))
