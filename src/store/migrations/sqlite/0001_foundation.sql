-- Organizations, users, grants, duties, committees, sessions, login
-- throttling and the audit trail.  Instants are Unix seconds (UTC).
-- AUTOINCREMENT: an id is never handed out again after its row is deleted,
-- so the audit trail's entity ids always name one thing.

CREATE TABLE org (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id   INTEGER REFERENCES org(id),
    path        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    sort        INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX org_parent ON org(parent_id, sort, id);

CREATE TABLE users (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id           INTEGER NOT NULL REFERENCES org(id),
    login            TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    pass_hash        TEXT NOT NULL,
    pass_changed_at  INTEGER NOT NULL,
    must_change      INTEGER NOT NULL DEFAULT 0,
    locked           INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX users_org ON users(org_id, id);

CREATE TABLE role_grant (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id   INTEGER NOT NULL REFERENCES users(id),
    org_id    INTEGER NOT NULL REFERENCES org(id),
    role      TEXT NOT NULL CHECK (role IN ('sysadmin','secadmin','auditor','secretary',
                                            'leader','office','member','viewer')),
    scope     TEXT NOT NULL CHECK (scope IN ('self','subtree')),
    created_at INTEGER NOT NULL,
    UNIQUE (user_id, org_id, role)
);
CREATE INDEX role_grant_org ON role_grant(org_id);

CREATE TABLE duty (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id   INTEGER NOT NULL REFERENCES users(id),
    org_id    INTEGER NOT NULL REFERENCES org(id),
    area      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (user_id, org_id, area)
);

CREATE TABLE committee (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id     INTEGER NOT NULL REFERENCES org(id),
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX committee_org ON committee(org_id, id);

CREATE TABLE committee_member (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    committee_id INTEGER NOT NULL REFERENCES committee(id) ON DELETE CASCADE,
    position     TEXT NOT NULL CHECK (position IN ('leader','deputy_leader','member',
                                                   'office_director','office_deputy_director')),
    name         TEXT NOT NULL,
    user_id      INTEGER REFERENCES users(id),
    title        TEXT,
    sort         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX committee_member_committee ON committee_member(committee_id, sort, id);

CREATE TABLE session (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash  TEXT NOT NULL UNIQUE,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    csrf        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    client      TEXT
);
CREATE INDEX session_by_user ON session(user_id);
CREATE INDEX session_expires ON session(expires_at);

CREATE TABLE login_failure (
    login         TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    last_at       INTEGER NOT NULL,
    locked_until  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE audit (
    seq        INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    user_id    INTEGER,
    org_id     INTEGER,
    org_path   TEXT,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  INTEGER,
    detail     TEXT NOT NULL,
    client     TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_at ON audit(at);
CREATE INDEX audit_user ON audit(user_id, seq);
CREATE INDEX audit_org ON audit(org_id, seq);
CREATE INDEX audit_org_path ON audit(org_path, seq);

-- The audit trail only grows.  Direct edits of the file can still bypass
-- these triggers; the hash chain is what detects them.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit rows cannot be changed');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit rows cannot be deleted');
END;
