-- Compliance kept ready: a row per obligation period (a unit, an obligation,
-- a period of it) with the live records counted for it, written in the same
-- transaction as each record, obligation or unit change, and assessed for
-- the day in assessed_on.  A superior's rollup reads its page from here
-- instead of computing every obligation of the subtree per request.
--
-- path is the unit's path (rewritten with the unit's on a move) and a2 the
-- unit's ancestor two levels down from the top (its second id: a city of
-- a province; 0 for a unit at the top), so that the page of a city walks
-- its own index range instead of skipping every row of the cities before
-- it among the rows that tie on behind; kind and
-- prank (1 year, 2 half, 3 quarter, 4 month, 5 week) repeat the obligation's
-- so that the order "most behind first" is an index: behind DESC, urgency
-- (missed, at_risk, on_track, met), then the unit path, the obligation and
-- the period, exactly the order the rollup always had.  year_done is the
-- year's count of the kind, which pacing reads for a period without records.
-- behind is pacing's behind score times 10^13, rounded: two different
-- scores (fractions with denominators up to 1000 x 366) stay at least 75
-- apart and equal ones stay equal, so the integer sorts as the score does.
-- Days are day numbers (days since 1970-01-01 in China).  valid_to is the
-- last day on which the stored status and behind still hold (a period not
-- begun: the day before it starts; one that ended before assessed_on:
-- forever); the daily job re-assesses the rows whose valid_to has passed.
-- `zerenzhi init` fills the rows of obligations that have none (existing data).
CREATE TABLE compliance (
    obligation_id  BIGINT NOT NULL,
    period_key     TEXT NOT NULL COLLATE "C",
    org_id         BIGINT NOT NULL,
    path           TEXT NOT NULL COLLATE "C",
    a2             BIGINT NOT NULL,
    year           INTEGER NOT NULL,
    kind           TEXT NOT NULL COLLATE "C",
    prank          INTEGER NOT NULL,
    first_day      INTEGER NOT NULL,
    last_day       INTEGER NOT NULL,
    target         BIGINT NOT NULL,
    done           BIGINT NOT NULL,
    year_done      BIGINT NOT NULL,
    status         TEXT NOT NULL,
    urgency        INTEGER NOT NULL,
    behind         BIGINT NOT NULL,
    assessed_on    INTEGER NOT NULL,
    valid_to       INTEGER NOT NULL,
    PRIMARY KEY (obligation_id, period_key)
);
CREATE INDEX compliance_behind
    ON compliance(year, behind DESC, urgency, path, kind, prank, period_key);
CREATE INDEX compliance_branch
    ON compliance(year, a2, behind DESC, urgency, path, kind, prank, period_key);
CREATE INDEX compliance_period
    ON compliance(year, period_key, behind DESC, urgency, path, kind, prank);
CREATE INDEX compliance_path ON compliance(path, year, kind, prank, period_key);
CREATE INDEX compliance_unit ON compliance(org_id, kind, year);
CREATE INDEX compliance_valid ON compliance(valid_to);

-- How many rows of compliance each unit and everything below it hold, per
-- year and kind of period (prank as above), kept with the rows (an
-- obligation added or deleted moves its unit's and every ancestor's; a
-- unit moved moves its old and new ancestors'), so that a rollup's total
-- is one lookup rather than a count of the subtree's rows.
CREATE TABLE compliance_total (
    org_id  BIGINT NOT NULL,
    year    INTEGER NOT NULL,
    prank   INTEGER NOT NULL,
    nrows   BIGINT NOT NULL,
    PRIMARY KEY (org_id, year, prank)
);
