-- How many records each unit holds, live and deleted, kept by triggers on
-- record so that every writer moves it (the API, bulk loads, tools): the
-- ledger list's total of one unit without filters is then one row instead
-- of a count over all of the unit's records on every page.
-- The same table as migrations/sqlite/0013_record_total.sql in PostgreSQL's
-- dialect.

CREATE TABLE record_total (
    org_id   BIGINT PRIMARY KEY REFERENCES org(id),
    live     BIGINT NOT NULL DEFAULT 0 CHECK (live >= 0),
    deleted  BIGINT NOT NULL DEFAULT 0 CHECK (deleted >= 0)
);

INSERT INTO record_total (org_id, live, deleted)
    SELECT org_id, count(*) FILTER (WHERE deleted_at IS NULL),
           count(*) FILTER (WHERE deleted_at IS NOT NULL)
    FROM record GROUP BY org_id;

CREATE FUNCTION record_total_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE record_total SET live = live - (OLD.deleted_at IS NULL)::int,
                                deleted = deleted - (OLD.deleted_at IS NOT NULL)::int
            WHERE org_id = OLD.org_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO record_total (org_id, live, deleted)
            VALUES (NEW.org_id, (NEW.deleted_at IS NULL)::int,
                    (NEW.deleted_at IS NOT NULL)::int)
            ON CONFLICT (org_id) DO UPDATE
                SET live = record_total.live + EXCLUDED.live,
                    deleted = record_total.deleted + EXCLUDED.deleted;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER record_total_insert_delete AFTER INSERT OR DELETE ON record
    FOR EACH ROW EXECUTE FUNCTION record_total_move();
CREATE TRIGGER record_total_update AFTER UPDATE OF org_id, deleted_at ON record
    FOR EACH ROW
    WHEN (OLD.org_id IS DISTINCT FROM NEW.org_id
          OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
    EXECUTE FUNCTION record_total_move();
