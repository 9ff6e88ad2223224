-- 0016_drop_duplicate_index.sql — entry_reverses_idx (0015) duplicated the
-- unique index bill.entry already has on reverses; one index serves both.
DROP INDEX IF EXISTS bill.entry_reverses_idx;
