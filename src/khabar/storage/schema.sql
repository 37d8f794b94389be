-- khabar database, schema version 1 (PRAGMA user_version). Documented in docs/database.md.
-- Offsets (start, end) are character offsets into documents.raw.

CREATE TABLE documents (
    rowid        INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,          -- the document's stable id, as read
    source_path  TEXT,
    source_line  INTEGER,
    outlet       TEXT,
    title        TEXT,
    url          TEXT,
    date         TEXT,
    author       TEXT,
    language     TEXT,
    encoding     TEXT,
    raw          TEXT NOT NULL,                 -- the original text, untouched
    text         TEXT NOT NULL,                 -- the clean body (after outlet templates too)
    body_hash    TEXT NOT NULL,                 -- hash of the normalised body: exact duplicates
    minhash      BLOB,                          -- MinHash signature of the normalised body
    record       TEXT NOT NULL,                 -- the full JSON record (docs/schema.md)
    ingested_at  TEXT NOT NULL
);
CREATE INDEX documents_outlet ON documents(outlet);
CREATE INDEX documents_date ON documents(date);
CREATE INDEX documents_body_hash ON documents(body_hash);

CREATE TABLE blocks (
    doc       INTEGER NOT NULL REFERENCES documents(rowid),
    position  INTEGER NOT NULL,
    start     INTEGER NOT NULL,
    end       INTEGER NOT NULL,
    role      TEXT NOT NULL,                    -- body, title, outlet, teaser, boilerplate
    kind      TEXT NOT NULL,                    -- paragraph, or why it was removed
    language  TEXT,
    is_foreign INTEGER NOT NULL DEFAULT 0,
    line_hash TEXT NOT NULL,                    -- hash of the normalised line (outlet templates)
    PRIMARY KEY (doc, position)
);
CREATE INDEX blocks_line_hash ON blocks(line_hash);

CREATE TABLE entities (
    doc        INTEGER NOT NULL REFERENCES documents(rowid),
    entity     TEXT NOT NULL,                   -- E1, E2 ... within the document
    type       TEXT NOT NULL,                   -- PERS, ORG, LOC, MISC
    canonical  TEXT NOT NULL,
    norm       TEXT NOT NULL,                   -- normalised canonical name, to group across documents
    PRIMARY KEY (doc, entity)
);
CREATE INDEX entities_norm ON entities(norm, type);

CREATE TABLE mentions (
    doc     INTEGER NOT NULL REFERENCES documents(rowid),
    entity  TEXT NOT NULL,
    start   INTEGER NOT NULL,
    end     INTEGER NOT NULL,
    text    TEXT NOT NULL
);
CREATE INDEX mentions_doc ON mentions(doc);

CREATE TABLE places (
    doc       INTEGER NOT NULL REFERENCES documents(rowid),
    entity    TEXT NOT NULL,
    name      TEXT NOT NULL,
    country   TEXT,
    lat       REAL,
    lon       REAL,
    place_id  TEXT,
    kind      TEXT
);
CREATE INDEX places_place ON places(place_id);

CREATE TABLE statements (
    rowid            INTEGER PRIMARY KEY,
    doc              INTEGER NOT NULL REFERENCES documents(rowid),
    position         INTEGER NOT NULL,
    speaker          TEXT,
    speaker_norm     TEXT,                      -- normalised speaker, to group across documents
    speaker_mention  TEXT,
    speaker_type     TEXT,
    role             TEXT,
    cue              TEXT,
    act              TEXT,
    type             TEXT,
    content          TEXT,
    content_start    INTEGER,
    content_end      INTEGER,
    medium           TEXT
);
CREATE INDEX statements_speaker ON statements(speaker_norm);
CREATE INDEX statements_doc ON statements(doc);

CREATE TABLE relays (
    statement  INTEGER NOT NULL REFERENCES statements(rowid),
    position   INTEGER NOT NULL,                -- 0 = farthest from the speaker
    name       TEXT NOT NULL,
    relation   TEXT NOT NULL,
    PRIMARY KEY (statement, position)
);

-- Derived by `khabar ingest` after the documents (recomputed on every run).
CREATE TABLE outlets (
    name       TEXT PRIMARY KEY,
    documents  INTEGER NOT NULL
);

CREATE TABLE outlet_templates (
    outlet     TEXT NOT NULL,
    line_hash  TEXT NOT NULL,
    text       TEXT NOT NULL,                   -- the line as first seen
    first_doc  INTEGER NOT NULL,
    documents  INTEGER NOT NULL,                -- how many of the outlet's documents carry it
    PRIMARY KEY (outlet, line_hash)
);

CREATE TABLE duplicate_groups (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,              -- exact, near
    representative  INTEGER NOT NULL REFERENCES documents(rowid)  -- the earliest member
);
CREATE TABLE duplicate_members (
    grp  INTEGER NOT NULL REFERENCES duplicate_groups(id),
    doc  INTEGER NOT NULL REFERENCES documents(rowid),
    PRIMARY KEY (grp, doc)
);

CREATE TABLE stories (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,                  -- the representative (earliest) document's title
    first_date  TEXT,
    last_date   TEXT,
    documents   INTEGER NOT NULL,
    outlets     INTEGER NOT NULL
);
CREATE TABLE story_members (
    story  INTEGER NOT NULL REFERENCES stories(id),
    doc    INTEGER NOT NULL REFERENCES documents(rowid),
    PRIMARY KEY (story, doc)
);

-- Full-text search over the Arabic-normalised title and clean text (الاسلام finds الإسلام).
CREATE VIRTUAL TABLE search USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
