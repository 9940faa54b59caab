-- Plans (工作要点): a unit's plan of a year with its numbered sections
-- (一、 and (一) levels) and items, each item with a lead owner and
-- co-owners (a user or a role of the unit), a due date or a recurrence, a
-- status and dated progress notes; and the links from ledger records to
-- the plan items they carry out.  A plan issued down the tree keeps the
-- plan it was copied from in issued_from (one live copy per unit), and
-- each copied section and item the one it was copied from in copied_from
-- (no foreign key: the original may be deleted later).
-- Dates chosen by people are text 'YYYY-MM-DD'; instants are Unix seconds.

CREATE TABLE plan (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id       INTEGER NOT NULL REFERENCES org(id),
    year         INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    title        TEXT NOT NULL,
    source_text  TEXT,
    issued_from  INTEGER REFERENCES plan(id),
    created_by   INTEGER REFERENCES users(id),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    deleted_at   INTEGER
);
CREATE INDEX plan_org_year ON plan(org_id, year, id);
CREATE UNIQUE INDEX plan_issued_once ON plan(issued_from, org_id)
    WHERE issued_from IS NOT NULL AND deleted_at IS NULL;

-- level 1 sections have no parent; level 2 sections have a level 1 parent.
CREATE TABLE plan_section (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id    INTEGER NOT NULL REFERENCES plan(id),
    parent_id  INTEGER REFERENCES plan_section(id),
    level      INTEGER NOT NULL CHECK (level IN (1, 2)),
    number     TEXT,
    title      TEXT NOT NULL,
    sort       INTEGER NOT NULL DEFAULT 0,
    copied_from INTEGER
);
CREATE INDEX plan_section_plan ON plan_section(plan_id, sort, id);

-- The lead owner is a user, a role of the unit, or nobody yet; an item
-- has a due date or a recurrence (a period kind), or neither.  The stored
-- status is todo, doing or done; overdue is derived when read.
CREATE TABLE plan_item (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id       INTEGER NOT NULL REFERENCES plan(id),
    section_id    INTEGER REFERENCES plan_section(id),
    text          TEXT NOT NULL,
    lead_user_id  INTEGER REFERENCES users(id),
    lead_role     TEXT,
    due           TEXT,
    recurrence    TEXT CHECK (recurrence IN ('year','half','quarter','month','week')),
    status        TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo','doing','done')),
    sort          INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    copied_from   INTEGER,
    CHECK (lead_user_id IS NULL OR lead_role IS NULL),
    CHECK (due IS NULL OR recurrence IS NULL)
);
CREATE INDEX plan_item_plan ON plan_item(plan_id, sort, id);
-- The reminder job's window of items due soon or overdue.
CREATE INDEX plan_item_due ON plan_item(due, id) WHERE due IS NOT NULL AND status <> 'done';

-- Co-owners of an item: each a user or a role.
CREATE TABLE plan_item_owner (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id   INTEGER NOT NULL REFERENCES plan_item(id),
    user_id   INTEGER REFERENCES users(id),
    role      TEXT,
    CHECK ((user_id IS NULL) <> (role IS NULL))
);
CREATE INDEX plan_item_owner_item ON plan_item_owner(item_id, id);

CREATE TABLE plan_progress (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id     INTEGER NOT NULL REFERENCES plan_item(id),
    date        TEXT NOT NULL,
    note        TEXT NOT NULL,
    created_by  INTEGER REFERENCES users(id),
    created_at  INTEGER NOT NULL
);
CREATE INDEX plan_progress_item ON plan_progress(item_id, date, id);

CREATE TABLE record_plan_item (
    record_id     INTEGER NOT NULL REFERENCES record(id),
    plan_item_id  INTEGER NOT NULL REFERENCES plan_item(id),
    PRIMARY KEY (record_id, plan_item_id)
);
CREATE INDEX record_plan_item_item ON record_plan_item(plan_item_id);
