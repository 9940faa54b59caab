-- Notices come from more parts than the obligations and plan items now
-- (reviews, incidents, channel inspections, rectification measures, the
-- inbox), so notice.kind is checked by the code's list, not by an
-- enumeration in the schema that every new part would have to change.
-- The same change as migrations/sqlite/0008_notice_kinds.sql.

ALTER TABLE notice DROP CONSTRAINT notice_kind_check;
ALTER TABLE notice ADD CONSTRAINT notice_kind_check CHECK (length(kind) BETWEEN 1 AND 40);
