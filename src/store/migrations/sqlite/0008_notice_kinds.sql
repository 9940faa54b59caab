-- Notices come from more parts than the obligations and plan items now
-- (reviews, incidents, channel inspections, rectification measures, the
-- inbox), so notice.kind is checked by the code's list, not by an
-- enumeration in the schema that every new part would have to rebuild.
-- SQLite cannot drop a CHECK, so the table is rebuilt: with the foreign keys
-- deferred, the rows wait in a scratch table while notice is dropped and
-- made again, and the checks at commit find every read mark and delivery
-- pointing at its notice again.

PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE notice_keep AS SELECT * FROM notice;
DROP TABLE notice;
CREATE TABLE notice (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      INTEGER NOT NULL REFERENCES org(id),
    event_key   TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    link        TEXT,
    created_at  INTEGER NOT NULL
);
INSERT INTO notice (id, org_id, event_key, kind, title, body, link, created_at)
    SELECT id, org_id, event_key, kind, title, body, link, created_at FROM notice_keep;
DROP TABLE notice_keep;
CREATE INDEX notice_org ON notice(org_id, kind, id);
