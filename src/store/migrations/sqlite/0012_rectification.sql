-- Analysis reports (研判) and the rectification ledger (问题整改).
--
-- analysis: one report of a unit for a period ('2026-H1', '2026', or an ad
-- hoc report dated report_date); sections is a JSON array of
-- {"key","title","text"} (the template 形势 / 问题 / 措施, to which a unit
-- may add).  Submitting it sends it to the superior unit's inbox and makes
-- a ledger record of kind analysis (record_id) so the obligations count it.
--
-- problem: a problem found by the unit itself or by others (source), with
-- its measures (owner, deadline, done date) and its evidence files (the
-- attachment contents of migration 0005, linked by problem_evidence).  Its
-- status follows from the measures and evidence (domain/problem.c) until
-- the superior unit closes it (销号) or sends it back; problem_event keeps
-- every such decision with its opinion.  measures and evidence count the
-- live rows, kept in the same transaction as every change of them.
-- Dates chosen by people are text 'YYYY-MM-DD'; instants are Unix seconds.

CREATE TABLE analysis (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        INTEGER NOT NULL REFERENCES org(id),
    period        TEXT NOT NULL,
    report_date   TEXT NOT NULL,
    title         TEXT NOT NULL,
    sections      TEXT NOT NULL DEFAULT '[]',
    state         TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft','submitted')),
    record_id     INTEGER REFERENCES record(id),
    submitted_by  INTEGER REFERENCES users(id),
    submitted_at  INTEGER,
    created_by    INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    deleted_at    INTEGER
);
CREATE INDEX analysis_org ON analysis(org_id, id);

CREATE TABLE problem (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        INTEGER NOT NULL REFERENCES org(id),
    source        TEXT NOT NULL CHECK (source IN ('self_check','inspection','assessment',
                      'supervision','analysis')),
    category      TEXT,
    title         TEXT NOT NULL,
    description   TEXT,
    found_on      TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo','doing','done','closed')),
    analysis_id   INTEGER REFERENCES analysis(id),
    measures      INTEGER NOT NULL DEFAULT 0 CHECK (measures >= 0),
    evidence      INTEGER NOT NULL DEFAULT 0 CHECK (evidence >= 0),
    closed_by     INTEGER REFERENCES users(id),
    closed_at     INTEGER,
    created_by    INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX problem_org ON problem(org_id, id);

CREATE TABLE measure (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    problem_id  INTEGER NOT NULL REFERENCES problem(id),
    text        TEXT NOT NULL,
    owner_id    INTEGER REFERENCES users(id),
    deadline    TEXT NOT NULL,
    done_on     TEXT,
    status      TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo','doing','done')),
    created_by  INTEGER REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER
);
CREATE INDEX measure_problem ON measure(problem_id, id) WHERE deleted_at IS NULL;
-- The reminder job's window: open measures by deadline.
CREATE INDEX measure_open ON measure(deadline, id) WHERE deleted_at IS NULL AND status <> 'done';

CREATE TABLE problem_evidence (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    problem_id  INTEGER NOT NULL REFERENCES problem(id),
    sha256      TEXT NOT NULL REFERENCES attachment_content(sha256),
    name        TEXT NOT NULL,
    created_by  INTEGER REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    deleted_at  INTEGER
);
CREATE INDEX problem_evidence_live ON problem_evidence(problem_id, id) WHERE deleted_at IS NULL;

CREATE TABLE problem_event (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    problem_id  INTEGER NOT NULL REFERENCES problem(id),
    action      TEXT NOT NULL CHECK (action IN ('close','reopen')),
    opinion     TEXT NOT NULL,
    user_id     INTEGER REFERENCES users(id),
    org_id      INTEGER NOT NULL REFERENCES org(id),
    at          INTEGER NOT NULL
);
CREATE INDEX problem_event_problem ON problem_event(problem_id, id);
