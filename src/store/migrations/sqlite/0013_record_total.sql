-- How many records each unit holds, live and deleted, kept by triggers on
-- record so that every writer moves it (the API, bulk loads, tools): the
-- ledger list's total of one unit without filters is then one row instead
-- of a count over all of the unit's records on every page.

CREATE TABLE record_total (
    org_id   INTEGER PRIMARY KEY REFERENCES org(id),
    live     INTEGER NOT NULL DEFAULT 0 CHECK (live >= 0),
    deleted  INTEGER NOT NULL DEFAULT 0 CHECK (deleted >= 0)
);

INSERT INTO record_total (org_id, live, deleted)
    SELECT org_id, sum(deleted_at IS NULL), sum(deleted_at IS NOT NULL)
    FROM record GROUP BY org_id;

CREATE TRIGGER record_total_insert AFTER INSERT ON record
BEGIN
    INSERT INTO record_total (org_id, live, deleted)
        VALUES (NEW.org_id, NEW.deleted_at IS NULL, NEW.deleted_at IS NOT NULL)
        ON CONFLICT (org_id) DO UPDATE SET live = live + excluded.live,
                                           deleted = deleted + excluded.deleted;
END;

CREATE TRIGGER record_total_update AFTER UPDATE OF org_id, deleted_at ON record
    WHEN OLD.org_id IS NOT NEW.org_id
      OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)
BEGIN
    UPDATE record_total SET live = live - (OLD.deleted_at IS NULL),
                            deleted = deleted - (OLD.deleted_at IS NOT NULL)
        WHERE org_id = OLD.org_id;
    INSERT INTO record_total (org_id, live, deleted)
        VALUES (NEW.org_id, NEW.deleted_at IS NULL, NEW.deleted_at IS NOT NULL)
        ON CONFLICT (org_id) DO UPDATE SET live = live + excluded.live,
                                           deleted = deleted + excluded.deleted;
END;

CREATE TRIGGER record_total_delete AFTER DELETE ON record
BEGIN
    UPDATE record_total SET live = live - (OLD.deleted_at IS NULL),
                            deleted = deleted - (OLD.deleted_at IS NOT NULL)
        WHERE org_id = OLD.org_id;
END;
