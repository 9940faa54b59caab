-- The unit's own publication channels (阵地): each belongs to one unit and
-- has a responsible person (谁主管谁负责、谁主办谁负责); inspections are
-- ledger records of kind channel_inspection tied to the channel, so the
-- obligations count them.  review_final: every submission to this channel
-- needs the third signature (终审), sensitive or not.
-- Dates chosen by people are text 'YYYY-MM-DD'; instants are Unix seconds.

CREATE TABLE channel (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id         INTEGER NOT NULL REFERENCES org(id),
    kind           TEXT NOT NULL CHECK (kind IN ('website','wechat_official','weibo','video',
                       'wechat_group','qq_group','board','lecture','periodical')),
    name           TEXT NOT NULL,
    owner_id       INTEGER REFERENCES users(id),
    reg_no         TEXT,
    address        TEXT,
    opened_on      TEXT,
    closed_on      TEXT,
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','suspended','closed')),
    inspect_every  TEXT CHECK (inspect_every IN ('week','month','quarter','half','year')),
    review_final   INTEGER NOT NULL DEFAULT 0,
    note           TEXT,
    -- Kept by the code with each change of the channel or its inspections:
    -- the date of the last live inspection, and the last day of the first
    -- whole period of inspect_every after it (after opened_on, or the day
    -- it was registered, when never inspected); NULL without a frequency.
    last_inspected TEXT,
    inspect_due    TEXT,
    created_by     INTEGER REFERENCES users(id),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    deleted_at     INTEGER
);
CREATE INDEX channel_org ON channel(org_id, id);
CREATE INDEX channel_owner ON channel(owner_id);
CREATE INDEX channel_due ON channel(inspect_due, id);

-- One inspection of one channel; record_id is its ledger record (date,
-- inspector as host, findings as minutes, photos as its attachments).
CREATE TABLE channel_inspection (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_id  INTEGER NOT NULL REFERENCES channel(id),
    record_id   INTEGER NOT NULL UNIQUE REFERENCES record(id),
    date        TEXT NOT NULL,
    inspector   TEXT NOT NULL,
    findings    TEXT,
    problems    INTEGER NOT NULL DEFAULT 0,
    created_by  INTEGER REFERENCES users(id),
    created_at  INTEGER NOT NULL
);
CREATE INDEX channel_inspection_channel ON channel_inspection(channel_id, date, id);
