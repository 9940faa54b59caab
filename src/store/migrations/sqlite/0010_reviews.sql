-- The three-stage review (三审) of what a unit publishes: a submission
-- (review) with every revision of its body kept (review_revision), the
-- signatures of its stages (review_signature: 初审 first, 复审 second,
-- 终审 final; a return with its opinion is a signature too), and per unit
-- the role that signs each stage and each stage's time limit
-- (review_config; no row: office / leader / secretary, 24 / 24 / 48 hours).
-- round counts the submissions: every submit, and every edit after a
-- signature, starts a new round, so the signatures of earlier rounds stay
-- stored but no longer count.  Signatures are never changed or deleted.
-- Instants are Unix seconds.

CREATE TABLE review_config (
    org_id        INTEGER PRIMARY KEY REFERENCES org(id),
    first_role    TEXT NOT NULL CHECK (first_role IN ('secretary','leader','office')),
    second_role   TEXT NOT NULL CHECK (second_role IN ('secretary','leader','office')),
    final_role    TEXT NOT NULL CHECK (final_role IN ('secretary','leader','office')),
    always_final  INTEGER NOT NULL DEFAULT 0,
    first_hours   INTEGER NOT NULL CHECK (first_hours BETWEEN 1 AND 720),
    second_hours  INTEGER NOT NULL CHECK (second_hours BETWEEN 1 AND 720),
    final_hours   INTEGER NOT NULL CHECK (final_hours BETWEEN 1 AND 720),
    updated_by    INTEGER REFERENCES users(id),
    updated_at    INTEGER NOT NULL
);

CREATE TABLE review (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id         INTEGER NOT NULL REFERENCES org(id),
    author_id      INTEGER NOT NULL REFERENCES users(id),
    channel_id     INTEGER REFERENCES channel(id),
    title          TEXT NOT NULL,
    sensitive      INTEGER NOT NULL DEFAULT 0,
    state          TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft','first','second',
                       'final','approved','published','returned','withdrawn')),
    revision       INTEGER NOT NULL DEFAULT 1,
    round          INTEGER NOT NULL DEFAULT 0,
    stage_at       INTEGER,
    submitted_at   INTEGER,
    published_url  TEXT,
    published_at   INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX review_org ON review(org_id, id);
CREATE INDEX review_author ON review(author_id, id);
-- The reminder job reads the submissions waiting at a stage.
CREATE INDEX review_waiting ON review(stage_at) WHERE state IN ('first','second','final');

CREATE TABLE review_revision (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id   INTEGER NOT NULL REFERENCES review(id),
    n           INTEGER NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    author_id   INTEGER NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    UNIQUE (review_id, n)
);

-- The files of a submission (its attachments): links to the contents of
-- migration 0005, stored once by SHA-256.  revision is the revision of the
-- submission the file was added in; a removed file keeps its row, marked
-- with deleted_at.
CREATE TABLE review_attachment (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id   INTEGER NOT NULL REFERENCES review(id),
    sha256      TEXT NOT NULL REFERENCES attachment_content(sha256),
    name        TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    added_by    INTEGER REFERENCES users(id),
    added_at    INTEGER NOT NULL,
    deleted_at  INTEGER
);
CREATE INDEX review_attachment_live ON review_attachment(review_id, id) WHERE deleted_at IS NULL;

CREATE TABLE review_signature (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id   INTEGER NOT NULL REFERENCES review(id),
    round       INTEGER NOT NULL,
    stage       TEXT NOT NULL CHECK (stage IN ('first','second','final')),
    decision    TEXT NOT NULL CHECK (decision IN ('approve','return')),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    role        TEXT NOT NULL,
    opinion     TEXT,
    revision    INTEGER NOT NULL,
    signed_at   INTEGER NOT NULL
);
CREATE INDEX review_signature_review ON review_signature(review_id, id);

CREATE TRIGGER review_signature_no_update BEFORE UPDATE ON review_signature
BEGIN
    SELECT RAISE(ABORT, 'review signatures cannot be changed');
END;
CREATE TRIGGER review_signature_no_delete BEFORE DELETE ON review_signature
BEGIN
    SELECT RAISE(ABORT, 'review signatures cannot be deleted');
END;
