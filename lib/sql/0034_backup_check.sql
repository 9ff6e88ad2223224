-- 0034_backup_check.sql — the results of the nightly restore check (BIL-30):
-- heatctl db backup check restores the newest backup into a scratch
-- cluster, compares the row count of every table of schemas heat and bill
-- and the ledger's sums per account and kind with the live database, and
-- writes one row here, so that reports can print how the last checks went.
-- Written by the check as the database superuser; read by the
-- administrators of both modules.

CREATE TABLE heat.backup_check (
  id bigserial PRIMARY KEY,
  ran_at timestamptz NOT NULL DEFAULT now(),
  ran_by name NOT NULL DEFAULT session_user,
  label text NOT NULL,          -- the pgBackRest backup set restored
  ok boolean NOT NULL,          -- every figure matched
  -- {"lsn": the live snapshot's WAL position the copy was replayed to,
  --  "tables": N, "ledger_sums": N, "differences": [{object, live, restored}]}
  -- or {"lsn", "error": why the copy could not be restored or run}
  detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX ON heat.backup_check (ran_at);

REVOKE ALL ON heat.backup_check FROM PUBLIC;
REVOKE ALL ON SEQUENCE heat.backup_check_id_seq FROM PUBLIC;
GRANT SELECT ON heat.backup_check TO heat_admin, bill_admin;
