-- The superior's inbox (上报收件箱) and incidents (舆情事件处置).
--
-- inbox_item: something a unit sent up to the unit directly above it (an
-- incident at its 报送 stage, an analysis report).  entity names what it is
-- ('incident', 'analysis') and entity_id which one; the receiving unit
-- acknowledges it (签收, with a comment) or forwards it further up, which
-- makes a new item for the next unit (prev_id points back) and marks this
-- one forwarded.  Instants are Unix seconds.
CREATE TABLE inbox_item (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    from_org_id   INTEGER NOT NULL REFERENCES org(id),
    to_org_id     INTEGER NOT NULL REFERENCES org(id),
    entity        TEXT NOT NULL,
    entity_id     INTEGER NOT NULL,
    title         TEXT NOT NULL,
    note          TEXT,
    prev_id       INTEGER REFERENCES inbox_item(id),
    state         TEXT NOT NULL DEFAULT 'sent' CHECK (state IN ('sent','acknowledged','forwarded')),
    sent_by       INTEGER REFERENCES users(id),
    sent_at       INTEGER NOT NULL,
    acked_by      INTEGER REFERENCES users(id),
    acked_at      INTEGER,
    comment       TEXT,
    forward_id    INTEGER REFERENCES inbox_item(id)
);
CREATE INDEX inbox_item_to ON inbox_item(to_org_id, state, id);
CREATE INDEX inbox_item_entity ON inbox_item(entity, entity_id, id);

-- An event that concerns the unit itself, found at found_at, taken through
-- the stages assess (研判), report (报送), handle (处置) and close (结案) in
-- that order; stage is the last one done ('found' before the first).
-- next_due is the deadline of the next timed stage (NULL once handled) and
-- next_risk the instant 75 % of its time is used, so that the reminder job
-- and the overdue filter read an index, not every incident.
CREATE TABLE incident (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id       INTEGER NOT NULL REFERENCES org(id),
    title        TEXT NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('media','complaint','online_post',
                     'superior_notice','channel_fault','other')),
    severity     TEXT NOT NULL CHECK (severity IN ('general','serious','major')),
    description  TEXT,
    found_at     INTEGER NOT NULL,
    stage        TEXT NOT NULL DEFAULT 'found' CHECK (stage IN ('found','assess','report',
                     'handle','close')),
    next_due     INTEGER,
    next_risk    INTEGER,
    created_by   INTEGER REFERENCES users(id),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX incident_org ON incident(org_id, id);
CREATE INDEX incident_next_risk ON incident(next_risk) WHERE next_risk IS NOT NULL;

-- The four stages of an incident, made with it: due_at is found_at plus
-- the unit's limit for its severity and stage when the incident was
-- recorded (NULL for close, which has none); done_at, done_by and note are
-- written once, when the stage is done.
CREATE TABLE incident_stage (
    incident_id  INTEGER NOT NULL REFERENCES incident(id),
    stage        TEXT NOT NULL CHECK (stage IN ('assess','report','handle','close')),
    due_at       INTEGER,
    done_at      INTEGER,
    done_by      INTEGER REFERENCES users(id),
    note         TEXT,
    PRIMARY KEY (incident_id, stage)
);

-- A unit's own time limits, in minutes from found_at; a missing row means
-- the default of the code (domain/incident.c).
CREATE TABLE incident_limit (
    org_id      INTEGER NOT NULL REFERENCES org(id),
    severity    TEXT NOT NULL CHECK (severity IN ('general','serious','major')),
    stage       TEXT NOT NULL CHECK (stage IN ('assess','report','handle')),
    minutes     INTEGER NOT NULL CHECK (minutes > 0),
    updated_by  INTEGER REFERENCES users(id),
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (org_id, severity, stage)
);
