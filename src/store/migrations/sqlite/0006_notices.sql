-- Reminders and notices: a notice is created once per event (event_key is
-- unique, e.g. 'obligation:12:2026-Q3:at_risk'), read marks are per user,
-- and an org's notify channels (企业微信 / 钉钉 group robots, e-mail) get a
-- delivery per notice, retried with backoff; every attempt is logged.

CREATE TABLE notice (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      INTEGER NOT NULL REFERENCES org(id),
    event_key   TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('due_soon','at_risk','missed','plan_overdue')),
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    link        TEXT,
    created_at  INTEGER NOT NULL
);
CREATE INDEX notice_org ON notice(org_id, kind, id);

CREATE TABLE notice_read (
    notice_id  INTEGER NOT NULL REFERENCES notice(id),
    user_id    INTEGER NOT NULL REFERENCES users(id),
    read_at    INTEGER NOT NULL,
    PRIMARY KEY (user_id, notice_id)
);

-- secret: the DingTalk robot's signing secret (optional); deleted_at: the
-- channel is gone but its delivery log stays.
CREATE TABLE notify_channel (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      INTEGER NOT NULL REFERENCES org(id),
    kind        TEXT NOT NULL CHECK (kind IN ('wecom','dingtalk','email')),
    name        TEXT NOT NULL,
    target      TEXT NOT NULL,
    secret      TEXT,
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER
);
CREATE INDEX notify_channel_org ON notify_channel(org_id, id);

-- One notice (or, with notice_id NULL, one test message) to one channel.
CREATE TABLE notice_delivery (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    notice_id    INTEGER REFERENCES notice(id),
    channel_id   INTEGER NOT NULL REFERENCES notify_channel(id),
    attempts     INTEGER NOT NULL DEFAULT 0,
    state        TEXT NOT NULL CHECK (state IN ('pending','sent','failed')),
    next_at      INTEGER NOT NULL,
    last_status  INTEGER,
    last_error   TEXT,
    sent_at      INTEGER,
    created_at   INTEGER NOT NULL,
    UNIQUE (notice_id, channel_id)
);
CREATE INDEX notice_delivery_due ON notice_delivery(state, next_at);
CREATE INDEX notice_delivery_channel ON notice_delivery(channel_id, id);

CREATE TABLE notice_attempt (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id  INTEGER NOT NULL REFERENCES notice_delivery(id),
    attempt      INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    ok           INTEGER NOT NULL,
    status       INTEGER,
    error        TEXT
);
CREATE INDEX notice_attempt_delivery ON notice_attempt(delivery_id, id);
