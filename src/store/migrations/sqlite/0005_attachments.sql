-- Attachments of ledger records (photos, PDF, Word, Excel).  The bytes live
-- in the database, so that several server processes on one PostgreSQL all
-- see them, once per distinct content: attachment_content is keyed by the
-- SHA-256 of the bytes; record_attachment links a record to a content under
-- the file name it was uploaded with.  Removing an attachment is soft
-- (deleted_at); the content stays, as the audit trail names it.
-- A photo's content carries a small thumbnail (thumb, thumb_mime) when one
-- could be made.
-- record.attachments counts the live links of each record, kept in the same
-- transaction as every link change, so "has attachments" never scans.

CREATE TABLE attachment_content (
    sha256      TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    mime        TEXT NOT NULL,
    size        INTEGER NOT NULL CHECK (size >= 0),
    data        BLOB NOT NULL,
    thumb       BLOB,
    thumb_mime  TEXT,
    created_at  INTEGER NOT NULL
);

CREATE TABLE record_attachment (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id   INTEGER NOT NULL REFERENCES record(id),
    sha256      TEXT NOT NULL REFERENCES attachment_content(sha256),
    name        TEXT NOT NULL,
    created_by  INTEGER REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    deleted_at  INTEGER
);
CREATE INDEX record_attachment_live ON record_attachment(record_id, id)
    WHERE deleted_at IS NULL;

ALTER TABLE record ADD COLUMN attachments INTEGER NOT NULL DEFAULT 0
    CHECK (attachments >= 0);
