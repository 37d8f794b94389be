-- Schema version 2: corpus entities (docs/database.md). Applied to a new database after
-- schema.sql, and to a version-1 database as its migration.

-- The document entity each statement's speaker was resolved to (E1, E2 ... or NULL).
ALTER TABLE statements ADD COLUMN speaker_entity TEXT;
UPDATE statements SET speaker_entity = (
    SELECT json_extract(d.record, '$.quotes[' || statements.position || '].speaker_entity')
    FROM documents d WHERE d.rowid = statements.doc);

-- Derived by `khabar ingest` (and `khabar link`) after the documents: one entity per real
-- person, organisation or place. `key` is what linking grouped on: ids stay across relinks.
CREATE TABLE corpus_entities (
    id                INTEGER PRIMARY KEY,
    key               TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,             -- the fullest frequent name, as written
    norm              TEXT NOT NULL,
    type              TEXT NOT NULL,             -- PERS, ORG, LOC, MISC
    documents         INTEGER NOT NULL,
    statements_by     INTEGER NOT NULL DEFAULT 0,
    statements_about  INTEGER NOT NULL DEFAULT 0,
    first_date        TEXT,
    last_date         TEXT
);
CREATE INDEX corpus_entities_type ON corpus_entities(type, documents);

CREATE TABLE entity_links (                      -- document entity -> corpus entity
    doc            INTEGER NOT NULL REFERENCES documents(rowid),
    entity         TEXT NOT NULL,
    corpus_entity  INTEGER NOT NULL REFERENCES corpus_entities(id),
    evidence       TEXT NOT NULL,                -- name, name chain, surname in its story, ...
    name_key       TEXT NOT NULL,                -- what linking grouped it on (JSON), to link new documents
    PRIMARY KEY (doc, entity)
);
CREATE INDEX entity_links_corpus ON entity_links(corpus_entity);

CREATE TABLE entity_aliases (
    corpus_entity  INTEGER NOT NULL REFERENCES corpus_entities(id),
    alias          TEXT NOT NULL,                -- as first written
    norm           TEXT NOT NULL,                -- normalised, for matching
    kind           TEXT NOT NULL,                -- name (a name or mention), title (a role only it holds)
    documents      INTEGER NOT NULL,
    PRIMARY KEY (corpus_entity, norm)
);
CREATE INDEX entity_aliases_norm ON entity_aliases(norm);

CREATE TABLE entity_roles (
    corpus_entity  INTEGER NOT NULL REFERENCES corpus_entities(id),
    role           TEXT NOT NULL,                -- as first written before the name, or a statement's role
    first_date     TEXT,
    last_date      TEXT,
    documents      INTEGER NOT NULL,
    PRIMARY KEY (corpus_entity, role)
);

CREATE TABLE statement_speakers (                -- statement -> the corpus entity that made it
    statement      INTEGER PRIMARY KEY REFERENCES statements(rowid),
    corpus_entity  INTEGER NOT NULL REFERENCES corpus_entities(id),
    evidence       TEXT NOT NULL                 -- entity (its resolved speaker), title (a role only one holds)
);
CREATE INDEX statement_speakers_entity ON statement_speakers(corpus_entity);

CREATE TABLE statement_about (                   -- statement -> each corpus entity its content names
    statement      INTEGER NOT NULL REFERENCES statements(rowid),
    corpus_entity  INTEGER NOT NULL REFERENCES corpus_entities(id),
    PRIMARY KEY (statement, corpus_entity)
);
CREATE INDEX statement_about_entity ON statement_about(corpus_entity);
