-- Work that must happen once per cluster (housekeeping now; reminders and
-- scheduled reports later) takes a lease by name before it runs, and records
-- each run.  Several server processes may share one database.

CREATE TABLE lease (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    expires_at  INTEGER NOT NULL
);

CREATE TABLE job_run (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL,
    holder       TEXT NOT NULL,
    started_at   INTEGER NOT NULL,
    finished_at  INTEGER,
    ok           INTEGER,
    detail       TEXT
);
CREATE INDEX job_run_name ON job_run(name, id);
