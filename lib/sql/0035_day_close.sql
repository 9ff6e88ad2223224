-- 0035_day_close.sql — the daily cash-up (日结, BIL-19, BIL-9, BIL-12,
-- BIL-13, BIL-24; billctl(1) DAILY CASH-UP).
--
-- A cashier's day is their login and a calendar day of the company (the
-- session's TimeZone, site.timezone; the entry_date every door writes,
-- bill.today()). Its takings are the entries that login wrote dated that
-- day whose kind, or the kind they reverse, is payment or refund: the
-- same rows api.report_entry calls takings, so the sheet and reportgen's
-- daily-takings and cashier-reconciliation reports agree to the fen.
--
-- * The sheet (bill.day_sheet): the totals the database computes
--   (bill.day_totals, never a client's figures) by hall (receipt prefix),
--   channel, method and kind, the receipt range, voided receipts, refunds
--   and reversals listed, the cash counted and its difference.
-- * Two steps: the cashier submits their day (bill.day_submit; again
--   while not closed replaces the submission); a bill_supervisor closes
--   it (bill.day_close), never the cashier, nor a login that made the
--   cashier or that the cashier made (heat.logins_related, as approvals
--   in 0019), and only for a cashier of their scope. Closing recomputes
--   the totals from the ledger at that moment and keeps them.
-- * A closed day takes no entry by its cashier dated on it, whatever the
--   door (a trigger on bill.entry, for the owner too): "your day D is
--   closed" (55000). A payment of a closed day can still be reversed
--   (红冲): the reversal is an entry of the day it is made on, on that
--   day's sheet as the reversal of an earlier day's receipt. Its receipt
--   is marked voided, but the closed sheet keeps what it stored.
-- * Closed sheets never change: only a supervisor's reopening
--   (bill.day_reopen, with a reason, logged) turns the row into history
--   ('reopened', its totals kept) and lets the cashier submit anew.
-- * Entries, submissions and closes of one cashier's day take an
--   advisory lock on it (shared for entries, exclusive to close), so a
--   close sees every entry written before it and none is written after.
--   A transaction's snapshot older than a close could not see it, so
--   entries are written in READ COMMITTED transactions only.
-- * Receipts keep their number and entry for ever; a voided receipt stays
--   voided.

CREATE TABLE bill.day_sheet (
  id bigserial PRIMARY KEY,
  cashier name NOT NULL,
  day date NOT NULL,
  state text NOT NULL CHECK (state IN ('submitted', 'closed', 'reopened')),
  totals jsonb NOT NULL,                  -- bill.day_totals as of the submission or the close
  takings_fen bigint NOT NULL,            -- money received net
  cash_fen bigint NOT NULL,               -- of it in cash
  cash_counted_fen bigint CHECK (cash_counted_fen BETWEEN 0 AND 900000000000000),
  cash_diff_fen bigint,                   -- counted − cash; NULL when nothing was counted
  submitted_by name NOT NULL DEFAULT session_user,
  submitted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  closed_by name,
  closed_at timestamptz,
  reopened_by name,
  reopened_at timestamptz,
  reopen_reason text,
  CHECK ((state IN ('closed', 'reopened')) = (closed_by IS NOT NULL AND closed_at IS NOT NULL)),
  CHECK ((state = 'reopened') = (reopened_by IS NOT NULL AND reopen_reason <> ''))
);
-- One current sheet per cashier and day; reopened ones are history.
CREATE UNIQUE INDEX day_sheet_current ON bill.day_sheet (cashier, day) WHERE state <> 'reopened';
CREATE INDEX ON bill.day_sheet (day);

-- A closed sheet changes only by being reopened (its totals kept); a
-- reopened one never; no sheet is deleted. For the owner too.
CREATE FUNCTION bill.day_sheet_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.state = 'submitted' AND NEW.cashier = OLD.cashier AND NEW.day = OLD.day THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.state = 'closed' AND NEW.state = 'reopened'
     AND (NEW.cashier, NEW.day, NEW.totals, NEW.takings_fen, NEW.cash_fen, NEW.cash_counted_fen, NEW.cash_diff_fen,
          NEW.submitted_by, NEW.submitted_at, NEW.closed_by, NEW.closed_at)
         IS NOT DISTINCT FROM (OLD.cashier, OLD.day, OLD.totals, OLD.takings_fen, OLD.cash_fen, OLD.cash_counted_fen,
          OLD.cash_diff_fen, OLD.submitted_by, OLD.submitted_at, OLD.closed_by, OLD.closed_at) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'a closed day''s sheet is never changed or deleted (billctl day reopen keeps it as history)'
    USING ERRCODE = '42501';
END $$;
CREATE TRIGGER guard BEFORE UPDATE OR DELETE ON bill.day_sheet
  FOR EACH ROW EXECUTE FUNCTION bill.day_sheet_guard();
CREATE TRIGGER guard_truncate BEFORE TRUNCATE ON bill.day_sheet
  FOR EACH STATEMENT EXECUTE FUNCTION bill.append_only();

-- The lock of one cashier's day (see the top).
CREATE FUNCTION bill.day_lock(p_cashier name, p_day date, p_exclusive boolean) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  IF p_exclusive THEN
    PERFORM pg_advisory_xact_lock(19, hashtext(p_cashier || '/' || p_day));
  ELSE
    PERFORM pg_advisory_xact_lock_shared(19, hashtext(p_cashier || '/' || p_day));
  END IF;
END $$;

-- No entry counts into a closed day (see the top).
CREATE FUNCTION bill.entry_day_open() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'ledger entries are written in READ COMMITTED transactions (a day closed meanwhile must be seen)'
      USING ERRCODE = '55000';
  END IF;
  PERFORM bill.day_lock(NEW.by_login, NEW.entry_date, false);
  IF EXISTS (SELECT 1 FROM bill.day_sheet WHERE cashier = NEW.by_login AND day = NEW.entry_date AND state = 'closed') THEN
    RAISE EXCEPTION 'your day % is closed (%); nothing more can be entered on it (a supervisor may reopen it: billctl day reopen)',
      NEW.entry_date, NEW.by_login USING ERRCODE = '55000';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER day_open BEFORE INSERT ON bill.entry FOR EACH ROW EXECUTE FUNCTION bill.entry_day_open();

-- A receipt keeps its number and entry; voided stays voided.
CREATE FUNCTION bill.receipt_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.receipt_no, NEW.prefix, NEW.n, NEW.entry_id) IS DISTINCT FROM (OLD.receipt_no, OLD.prefix, OLD.n, OLD.entry_id)
     OR (OLD.status = 'voided' AND NEW.status <> 'voided') THEN
    RAISE EXCEPTION 'receipt %: its number and entry never change, and a voided receipt stays voided', OLD.receipt_no
      USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER guard BEFORE UPDATE ON bill.receipt FOR EACH ROW EXECUTE FUNCTION bill.receipt_guard();
CREATE TRIGGER guard_delete BEFORE DELETE ON bill.receipt FOR EACH ROW EXECUTE FUNCTION bill.append_only();

-- The takings entries of a cashier's day with what a sheet shows of
-- each (hall = receipt prefix as in api.report_entry). Internal.
CREATE FUNCTION bill.day_entries(p_cashier name, p_day date)
RETURNS TABLE (entry_id bigint, kind text, of_kind text, takings_fen bigint, channel text, method text, hall text,
               receipt_no text, rc_prefix text, rc_n bigint, rc_status text, void_reason text, voided_by name,
               reversed_receipt text, reversed_day date, house text, note text)
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT e.id, e.kind, coalesce(r.kind, e.kind), -e.amount_fen, coalesce(e.channel, r.channel),
         coalesce(e.method, r.method), coalesce(rc.prefix, rr.prefix, e.by_login::text), rc.receipt_no, rc.prefix,
         rc.n, rc.status, rc.void_reason, rc.voided_by, rr.receipt_no, r.entry_date, h.code, e.note
  FROM bill.entry e
  JOIN bill.account a ON a.id = e.account_id JOIN bill.house h ON h.id = a.house_id
  LEFT JOIN bill.entry r ON r.id = e.reverses
  LEFT JOIN bill.receipt rc ON rc.entry_id = e.id
  LEFT JOIN bill.receipt rr ON rr.entry_id = r.id
  WHERE e.by_login = p_cashier AND e.entry_date = p_day AND coalesce(r.kind, e.kind) IN ('payment', 'refund')
$$;

-- The sheet of a cashier's day from the ledger now: counts and net
-- takings, cash among them, the receipt range, one line per hall,
-- channel, method and kind, and the voided receipts, refunds and
-- reversals listed. Keys sorted; money in fen.
CREATE FUNCTION bill.day_totals(p_cashier name, p_day date) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  WITH d AS MATERIALIZED (SELECT * FROM bill.day_entries(p_cashier, p_day))
  SELECT jsonb_build_object(
    'cashier', p_cashier, 'day', p_day,
    'payments', (SELECT count(*) FROM d WHERE kind = 'payment'),
    'refunds', (SELECT count(*) FROM d WHERE kind = 'refund'),
    'reversals', (SELECT count(*) FROM d WHERE kind = 'reversal'),
    'takings_fen', (SELECT coalesce(sum(takings_fen), 0) FROM d),
    'cash_fen', (SELECT coalesce(sum(takings_fen), 0) FROM d WHERE method = 'cash'),
    'receipts', (SELECT count(*) FROM d WHERE receipt_no IS NOT NULL),
    'receipt_first', (SELECT receipt_no FROM d WHERE receipt_no IS NOT NULL ORDER BY rc_prefix, rc_n LIMIT 1),
    'receipt_last', (SELECT receipt_no FROM d WHERE receipt_no IS NOT NULL ORDER BY rc_prefix DESC, rc_n DESC LIMIT 1),
    'lines', (SELECT coalesce(jsonb_agg(l ORDER BY l.hall, l.channel, l.method, l.kind), '[]') FROM (
               SELECT hall, coalesce(channel, '-') AS channel, coalesce(method, '-') AS method, kind,
                      count(*) AS count, sum(takings_fen) AS takings_fen
               FROM d GROUP BY 1, 2, 3, 4) l),
    'voided', (SELECT coalesce(jsonb_agg(jsonb_build_object('receipt_no', receipt_no, 'house', house,
                 'amount_fen', takings_fen, 'reason', void_reason, 'voided_by', voided_by) ORDER BY rc_prefix, rc_n), '[]')
               FROM d WHERE rc_status = 'voided'),
    'refund_list', (SELECT coalesce(jsonb_agg(jsonb_build_object('receipt_no', receipt_no, 'house', house,
                      'amount_fen', takings_fen, 'reason', note) ORDER BY rc_prefix, rc_n), '[]')
                    FROM d WHERE kind = 'refund'),
    'reversal_list', (SELECT coalesce(jsonb_agg(jsonb_build_object('receipt_no', reversed_receipt,
                        'receipt_day', reversed_day, 'house', house, 'amount_fen', takings_fen, 'reason', note)
                        ORDER BY entry_id), '[]')
                      FROM d WHERE kind = 'reversal'))
$$;

-- Whether a cashier is in the scope `orgs` (NULL: all): one of their
-- scope's org units is in it, or they have no scope (seen by all, like a
-- house placed nowhere).
CREATE FUNCTION bill.cashier_in(p_cashier name, orgs int[]) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT orgs IS NULL
      OR EXISTS (SELECT 1 FROM heat.user_scope WHERE login = p_cashier AND org_id = ANY (orgs))
      OR NOT EXISTS (SELECT 1 FROM heat.user_scope WHERE login = p_cashier)
$$;

-- Who reads a sheet: its cashier; a supervisor, deputy or production
-- login those of the cashiers of their scope; bill_admin all.
ALTER TABLE bill.day_sheet ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON bill.day_sheet USING (
  cashier = current_user
  OR ((pg_has_role(current_user, 'bill_supervisor', 'MEMBER') OR pg_has_role(current_user, 'bill_deputy', 'MEMBER')
       OR pg_has_role(current_user, 'bill_production', 'MEMBER'))
      AND bill.cashier_in(cashier, (SELECT bill.scope_orgs(current_user)))));

-- The operation log's line of a step of a day (BIL-24).
CREATE FUNCTION bill.day_log(p_action text, p_cashier name, p_day date, p_new jsonb, p_message text) RETURNS void
LANGUAGE sql SET search_path = pg_catalog AS $$
  INSERT INTO heat.op_log (action, object_kind, object_code, new, message)
  VALUES (p_action, 'cash_day', p_cashier || '/' || p_day, p_new, p_message)
$$;

-- The cashier submits their own day (default today) with the cash they
-- counted (fen, or NULL); again while it is not closed replaces the
-- submission.
CREATE FUNCTION bill.day_submit(p_day date DEFAULT NULL, p_cash_counted bigint DEFAULT NULL)
RETURNS bill.day_sheet LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE me name := session_user; d date := coalesce(p_day, bill.today()); t jsonb; s bill.day_sheet;
BEGIN
  PERFORM bill.require_role('bill_cashier', 'submitting a day');
  IF d > bill.today() THEN
    RAISE EXCEPTION 'the day % has not come yet', d USING ERRCODE = '22023';
  END IF;
  IF p_cash_counted < 0 THEN
    RAISE EXCEPTION 'the cash counted is 0.00 yuan or more' USING ERRCODE = '22023';
  END IF;
  PERFORM bill.day_lock(me, d, true);
  IF EXISTS (SELECT 1 FROM bill.day_sheet WHERE cashier = me AND day = d AND state = 'closed') THEN
    RAISE EXCEPTION 'your day % is closed', d USING ERRCODE = '55000';
  END IF;
  t := bill.day_totals(me, d);
  INSERT INTO bill.day_sheet (cashier, day, state, totals, takings_fen, cash_fen, cash_counted_fen, cash_diff_fen)
  VALUES (me, d, 'submitted', t, (t->>'takings_fen')::bigint, (t->>'cash_fen')::bigint, p_cash_counted,
          p_cash_counted - (t->>'cash_fen')::bigint)
  ON CONFLICT (cashier, day) WHERE state <> 'reopened' DO UPDATE
    SET totals = EXCLUDED.totals, takings_fen = EXCLUDED.takings_fen, cash_fen = EXCLUDED.cash_fen,
        cash_counted_fen = EXCLUDED.cash_counted_fen, cash_diff_fen = EXCLUDED.cash_diff_fen,
        submitted_at = EXCLUDED.submitted_at
  RETURNING * INTO s;
  PERFORM bill.day_log('day_submit', me, d, jsonb_build_object('takings_fen', s.takings_fen,
                       'cash_counted_fen', s.cash_counted_fen), NULL);
  RETURN s;
END $$;

-- Who may close or reopen a cashier's day (see the top).
CREATE FUNCTION bill.day_check_decider(p_cashier name, p_what text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
  IF p_cashier = session_user OR heat.logins_related(p_cashier, session_user) THEN
    RAISE EXCEPTION 'nobody closes or reopens their own day, nor the day of a login they made or that made them (% of %)',
      p_what, p_cashier USING ERRCODE = '42501';
  END IF;
  PERFORM bill.require_role('bill_supervisor', p_what);
  IF NOT bill.cashier_in(p_cashier, bill.scope_orgs(session_user)) THEN
    RAISE EXCEPTION '% is not a cashier of your scope', p_cashier USING ERRCODE = '42501';
  END IF;
END $$;

-- A supervisor closes a submitted day: the totals recomputed from the
-- ledger now are the ones kept, the counted cash compared with them.
CREATE FUNCTION bill.day_close(p_cashier name, p_day date DEFAULT NULL)
RETURNS bill.day_sheet LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE d date := coalesce(p_day, bill.today()); t jsonb; s bill.day_sheet;
BEGIN
  PERFORM bill.day_check_decider(p_cashier, 'closing a day');
  PERFORM bill.day_lock(p_cashier, d, true);
  SELECT * INTO s FROM bill.day_sheet WHERE cashier = p_cashier AND day = d AND state <> 'reopened' FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION '% has not submitted the day % (billctl day close, as %)', p_cashier, d, p_cashier
      USING ERRCODE = '55000';
  ELSIF s.state = 'closed' THEN
    RAISE EXCEPTION 'the day % of % is closed already (by % at %)', d, p_cashier, s.closed_by, s.closed_at
      USING ERRCODE = '55000';
  END IF;
  t := bill.day_totals(p_cashier, d);
  UPDATE bill.day_sheet SET state = 'closed', totals = t, takings_fen = (t->>'takings_fen')::bigint,
         cash_fen = (t->>'cash_fen')::bigint, cash_diff_fen = cash_counted_fen - (t->>'cash_fen')::bigint,
         closed_by = session_user, closed_at = clock_timestamp()
    WHERE id = s.id RETURNING * INTO s;
  PERFORM bill.day_log('day_close', p_cashier, d, jsonb_build_object('takings_fen', s.takings_fen,
                       'cash_diff_fen', s.cash_diff_fen), NULL);
  RETURN s;
END $$;

-- A supervisor reopens a closed day, with a reason: the sheet stays as
-- history ('reopened'), the cashier may enter and submit again.
CREATE FUNCTION bill.day_reopen(p_cashier name, p_day date, p_reason text)
RETURNS bill.day_sheet LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE s bill.day_sheet;
BEGIN
  PERFORM bill.day_check_decider(p_cashier, 'reopening a day');
  IF coalesce(btrim(p_reason), '') = '' THEN
    RAISE EXCEPTION 'reopening a day needs a reason' USING ERRCODE = '22023';
  END IF;
  PERFORM bill.day_lock(p_cashier, p_day, true);
  UPDATE bill.day_sheet SET state = 'reopened', reopened_by = session_user, reopened_at = clock_timestamp(),
         reopen_reason = p_reason
    WHERE cashier = p_cashier AND day = p_day AND state = 'closed' RETURNING * INTO s;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'the day % of % is not closed', p_day, p_cashier USING ERRCODE = '55000';
  END IF;
  PERFORM bill.day_log('day_reopen', p_cashier, p_day, jsonb_build_object('takings_fen', s.takings_fen), p_reason);
  RETURN s;
END $$;

-- Every cashier's day of p_day the caller may see (the policy's rule),
-- with the current sheet if any and, from the ledger now, the live
-- totals and an independent plain sum of the takings entries.
CREATE FUNCTION bill.day_overview(p_day date)
RETURNS TABLE (cashier name, state text, totals jsonb, live jsonb, ledger_fen bigint, cash_counted_fen bigint,
               cash_diff_fen bigint, closed_by name, closed_at timestamptz, submitted_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  WITH who AS (
    SELECT e.by_login AS cashier, -sum(e.amount_fen) AS ledger_fen
    FROM bill.entry e LEFT JOIN bill.entry r ON r.id = e.reverses
    WHERE e.entry_date = p_day AND coalesce(r.kind, e.kind) IN ('payment', 'refund') GROUP BY 1
    UNION SELECT s.cashier, NULL FROM bill.day_sheet s WHERE s.day = p_day AND s.state <> 'reopened'
  ), c AS (SELECT w.cashier, sum(w.ledger_fen)::bigint AS ledger_fen FROM who w GROUP BY 1)
  SELECT c.cashier, coalesce(s.state, 'open'), s.totals, bill.day_totals(c.cashier, p_day), coalesce(c.ledger_fen, 0),
         s.cash_counted_fen, s.cash_diff_fen, s.closed_by, s.closed_at, s.submitted_at
  FROM c LEFT JOIN bill.day_sheet s ON s.cashier = c.cashier AND s.day = p_day AND s.state <> 'reopened'
  WHERE c.cashier = session_user
     OR ((bill.has_role('bill_supervisor') OR bill.has_role('bill_deputy') OR bill.has_role('bill_production'))
         AND bill.cashier_in(c.cashier, bill.scope_orgs(session_user)))
  ORDER BY c.cashier
$$;

-- The state of each cashier's day over p_from..p_to, for reports
-- (reportgen's cashier-reconciliation): open, submitted or closed.
CREATE FUNCTION api.report_day_state(p_from date, p_to date)
RETURNS TABLE (day date, cashier text, state text, takings_fen bigint, closed_by text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT s.day, s.cashier::text, s.state, s.takings_fen, s.closed_by::text FROM bill.day_sheet s
  WHERE s.day BETWEEN p_from AND p_to AND s.state <> 'reopened'
    AND (s.cashier = session_user
         OR ((bill.has_role('bill_supervisor') OR bill.has_role('bill_deputy') OR bill.has_role('bill_production'))
             AND bill.cashier_in(s.cashier, bill.scope_orgs(session_user))))
$$;

REVOKE ALL ON bill.day_sheet FROM PUBLIC;
GRANT SELECT ON bill.day_sheet TO bill_cashier, bill_deputy, bill_production;
REVOKE ALL ON FUNCTION bill.day_sheet_guard, bill.day_lock, bill.entry_day_open, bill.receipt_guard, bill.day_entries,
  bill.day_totals, bill.cashier_in, bill.day_log, bill.day_submit, bill.day_check_decider, bill.day_close,
  bill.day_reopen, bill.day_overview, api.report_day_state FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bill.cashier_in TO bill_cashier, bill_deputy, bill_production;
GRANT EXECUTE ON FUNCTION bill.day_submit, bill.day_close, bill.day_reopen TO bill_cashier;
GRANT EXECUTE ON FUNCTION bill.day_overview, api.report_day_state TO bill_cashier, bill_deputy, bill_production;
