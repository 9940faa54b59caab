-- The ledger (台账): the record kinds of the dictionary, dated records with
-- their previous versions, the obligations of a unit ("at least N records
-- of kind K per period") and the counters that make compliance a lookup.
-- Dates chosen by people are text 'YYYY-MM-DD'; instants are Unix seconds.

CREATE TABLE record_kind (
    code     TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    sort     INTEGER NOT NULL DEFAULT 0,
    active   INTEGER NOT NULL DEFAULT 1,
    builtin  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO record_kind (code, name, sort, active, builtin) VALUES
    ('center_group_study', '理论学习中心组学习', 10, 1, 1),
    ('special_meeting', '意识形态工作专题会议', 20, 1, 1),
    ('committee_study', '党委(党组)会议研究意识形态工作', 30, 1, 1),
    ('analysis', '分析研判', 40, 1, 1),
    ('branch_assembly', '支部党员大会', 50, 1, 1),
    ('branch_committee', '支委会', 60, 1, 1),
    ('group_meeting', '党小组会', 70, 1, 1),
    ('party_lecture', '党课', 80, 1, 1),
    ('theme_day', '主题党日', 90, 1, 1),
    ('talk', '谈心谈话', 100, 1, 1),
    ('training', '培训', 110, 1, 1),
    ('volunteer', '志愿服务', 120, 1, 1),
    ('festival', '节庆活动', 130, 1, 1),
    ('publicity', '宣传报道', 140, 1, 1),
    ('channel_inspection', '阵地检查', 150, 1, 1);

-- participants and absentees are JSON arrays; expected and attended are
-- NULL when not given.  Deletion is soft (deleted_at); version counts edits.
CREATE TABLE record (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        INTEGER NOT NULL REFERENCES org(id),
    kind          TEXT NOT NULL REFERENCES record_kind(code),
    date          TEXT NOT NULL,
    title         TEXT NOT NULL,
    place         TEXT,
    host          TEXT,
    participants  TEXT NOT NULL DEFAULT '[]',
    expected      INTEGER CHECK (expected >= 0),
    attended      INTEGER CHECK (attended >= 0),
    absentees     TEXT NOT NULL DEFAULT '[]',
    agenda        TEXT,
    minutes       TEXT,
    resolutions   TEXT,
    created_by    INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    deleted_at    INTEGER,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX record_org_date ON record(org_id, date, id);
CREATE INDEX record_org_kind_date ON record(org_id, kind, date, id);

-- The record as it was before each edit, delete or restore (data: JSON).
CREATE TABLE record_version (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id   INTEGER NOT NULL REFERENCES record(id),
    version     INTEGER NOT NULL,
    data        TEXT NOT NULL,
    changed_by  INTEGER REFERENCES users(id),
    changed_at  INTEGER NOT NULL,
    UNIQUE (record_id, version)
);

CREATE TABLE obligation (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        INTEGER NOT NULL REFERENCES org(id),
    kind          TEXT NOT NULL REFERENCES record_kind(code),
    min           INTEGER NOT NULL CHECK (min BETWEEN 1 AND 1000),
    period        TEXT NOT NULL CHECK (period IN ('year','half','quarter','month','week')),
    year          INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    plan_item_id  INTEGER,
    created_at    INTEGER NOT NULL,
    UNIQUE (org_id, kind, period, year)
);

-- Live records per unit, kind and period key of every granularity
-- ('2023', '2023-H1', '2023-Q3', '2023-07', '2023-W14'), kept in the same
-- transaction as each record change.
CREATE TABLE ledger_count (
    org_id      INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    period_key  TEXT NOT NULL,
    count       INTEGER NOT NULL,
    PRIMARY KEY (org_id, kind, period_key)
);
