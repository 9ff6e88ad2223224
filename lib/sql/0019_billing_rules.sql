-- 0019_billing_rules.sql — the billing functions check role and amounts
-- themselves (BIL-9, BIL-10, BIL-13, BIL-28): an amount a client computed
-- is never trusted to skip an approval.
--
-- * A discount is entered only with the payment that earns it
--   (bill.charge): while discount.until has not passed, at most
--   discount.ratio of the full fee, and only when the payment leaves
--   nothing owed. bill.post takes a discount from bill_admin only.
-- * A heating-status change (bill.change_status) must be a possible
--   transition, dated in the season and not before the last one; its
--   adjustment has the direction of the change, and all status adjustments
--   of an account together take off at most the full fee for the days not
--   heated.
-- * No write-off without approval: reversing anything but a payment the
--   same cashier took the same day is a request (kind 'reversal'), routed
--   by its amount like every other request.
-- * Requests are routed by what the database can check: an area change by
--   the larger of its stated effect and a whole season at the new area
--   (area difference × the season's highest price, as the new area also
--   carries into later seasons); write-offs of one account are summed: the
--   requests applied without approval plus this one need a supervisor from
--   approval.supervisor_from on, and those approved by at most a
--   supervisor plus this one need the joint approval above
--   approval.joint_above (five of 49.99 yuan: the second to the fourth
--   need a supervisor, the fifth the deputy and production).
-- * A reduction is at most the account's charges; a late-fee reduction at
--   most the late fee due (posted late fees less late-fee reductions
--   applied or pending), checked when requested and again when approved.
-- * Nobody decides a request of their own, nor one made by a login they
--   created or by the login that created them (heat.logins_related).
-- * Every step of a request (open, approve, reject, withdraw, apply) is a
--   row of bill.request_step with its time and login, never changed.
-- * Receipts change only through functions (voided by a reversal, a copy
--   counted by bill.reprint).

ALTER TABLE bill.request DROP CONSTRAINT request_kind_check,
  ADD CONSTRAINT request_kind_check CHECK (kind IN ('area', 'reduction', 'late_fee', 'reversal'));
ALTER TABLE bill.request DROP CONSTRAINT request_check1,
  ADD CONSTRAINT request_check1 CHECK (kind IN ('area', 'reversal') OR amount_fen < 0);
ALTER TABLE bill.request ADD COLUMN reverses bigint REFERENCES bill.entry,
  ADD CONSTRAINT request_reverses_check CHECK ((kind = 'reversal') = (reverses IS NOT NULL));

CREATE TABLE bill.request_step (
  id bigserial PRIMARY KEY,
  request_id bigint NOT NULL REFERENCES bill.request,
  action text NOT NULL CHECK (action IN ('open', 'approve', 'reject', 'withdraw', 'apply')),
  role text,                              -- the role an approval or rejection was made in
  login name NOT NULL DEFAULT session_user,
  at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX ON bill.request_step (request_id);
-- Append-only, for the owner too (like bill.entry).
CREATE FUNCTION bill.append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'rows of bill.% are never changed or deleted', TG_TABLE_NAME USING ERRCODE = '42501';
END $$;
CREATE TRIGGER immutable BEFORE UPDATE OR DELETE ON bill.request_step
  FOR EACH ROW EXECUTE FUNCTION bill.append_only();
CREATE TRIGGER immutable_truncate BEFORE TRUNCATE ON bill.request_step
  FOR EACH STATEMENT EXECUTE FUNCTION bill.append_only();
CREATE TRIGGER immutable BEFORE UPDATE OR DELETE ON bill.status_event
  FOR EACH ROW EXECUTE FUNCTION bill.append_only();
-- Steps of requests made before this migration, from what the rows kept.
INSERT INTO bill.request_step (request_id, action, role, login, at)
  SELECT id, 'open', NULL, requester, created_at FROM bill.request
  UNION ALL SELECT id, 'approve', 'bill_supervisor', supervisor, coalesce(ended_at, created_at)
    FROM bill.request WHERE supervisor IS NOT NULL
  UNION ALL SELECT id, 'approve', 'bill_deputy', deputy, coalesce(ended_at, created_at)
    FROM bill.request WHERE deputy IS NOT NULL
  UNION ALL SELECT id, 'approve', 'bill_production', production, coalesce(ended_at, created_at)
    FROM bill.request WHERE production IS NOT NULL
  UNION ALL SELECT id, CASE outcome WHEN 'rejected' THEN 'reject' WHEN 'withdrawn' THEN 'withdraw' ELSE 'apply' END,
    NULL, coalesce(ended_by, requester), ended_at FROM bill.request WHERE outcome <> 'pending';
GRANT SELECT ON bill.request_step TO bill_cashier, bill_deputy, bill_production;
REVOKE UPDATE (prints) ON bill.receipt FROM bill_cashier;

-- The business day of the company (site.timezone is the session's zone).
CREATE FUNCTION bill.today() RETURNS date
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT (now() AT TIME ZONE current_setting('TimeZone'))::date
$$;

-- The most a whole season can cost the account's house: its charged area
-- at the season's highest price for its house type (any price change
-- included). Bounds what the fee engine may claim.
CREATE FUNCTION bill.full_fee_bound(p_account bigint, p_area numeric DEFAULT NULL) RETURNS bigint
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT coalesce(round(coalesce(p_area, h.charged_area) * max(tr.fen_per_m2)), 0)::bigint
  FROM bill.account a JOIN bill.house h ON h.id = a.house_id
  LEFT JOIN bill.tariff tr ON tr.season_id = a.season_id AND tr.house_type = h.house_type
  WHERE a.id = p_account GROUP BY h.charged_area
$$;

-- ---------------------------------------------------------------------------
-- Entries. bill.write_entry is the insert every door shares: the entry,
-- its receipt, and the account-wide checks.
CREATE FUNCTION bill.write_entry(p_account bigint, p_seq int, p_kind text, p_amount bigint, p_date date,
                                 p_reverses bigint, p_channel text, p_method text, p_note text,
                                 OUT entry_id bigint, OUT receipt_no text)
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE sums record;
BEGIN
  INSERT INTO bill.entry (account_id, seq, kind, amount_fen, entry_date, reverses, channel, method, note)
  VALUES (p_account, p_seq, p_kind, p_amount, p_date, p_reverses,
          CASE WHEN p_kind IN ('payment', 'refund') THEN coalesce(p_channel, 'counter') END,
          p_method, coalesce(p_note, ''))
  RETURNING id INTO entry_id;
  IF p_kind IN ('payment', 'refund') THEN
    receipt_no := bill.next_receipt(entry_id);
  END IF;
  SELECT * INTO sums FROM bill.account_sums(p_account);
  IF sums.charges < 0 OR sums.paid < 0 THEN
    RAISE EXCEPTION 'this would make the account''s charges or payments negative' USING ERRCODE = '22023';
  END IF;
  IF p_kind = 'payment' AND sums.balance < 0
     AND coalesce((SELECT value FROM bill.param WHERE name = 'ledger.allow_prepayment'), 'false') <> 'true' THEN
    RAISE EXCEPTION 'this pays % fen more than is owed; prepayment is off (ledger.allow_prepayment)',
      -sums.balance USING ERRCODE = '22023';
  END IF;
END $$;

-- Who may post which kind. A discount comes with its payment
-- (bill.charge); by hand only from bill_admin.
CREATE OR REPLACE FUNCTION bill.check_post_right(p_kind text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
  IF p_kind = 'reduction' THEN
    RAISE EXCEPTION 'a reduction is made by a request and its approval (billctl request reduction)'
      USING ERRCODE = '42501';
  ELSIF p_kind = 'discount' AND NOT bill.has_role('bill_admin') THEN
    RAISE EXCEPTION 'a discount is entered only with the payment that earns it (billctl charge)'
      USING ERRCODE = '42501';
  ELSIF p_kind IN ('assessed', 'adjustment', 'discount') THEN
    PERFORM bill.require_role('bill_admin', 'an ' || p_kind || ' entry');
  ELSE
    PERFORM bill.require_role('bill_cashier', 'a ' || replace(p_kind, '_', ' ') || ' entry');
  END IF;
END $$;

-- A reversal without a request: only of a payment the caller took today
-- (红冲 of their own receipt). Everything else writes something off, or
-- back on, and goes through a request (billctl reverse opens one).
CREATE FUNCTION bill.check_direct_reversal(p_reverses bigint) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE t record;
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN RETURN; END IF;
  SELECT kind, seq, by_login, (at AT TIME ZONE current_setting('TimeZone'))::date AS day
    INTO t FROM bill.entry WHERE id = p_reverses;
  IF NOT FOUND OR t.kind <> 'payment' OR t.by_login <> session_user OR t.day <> bill.today() THEN
    RAISE EXCEPTION 'only a payment you took today is reversed at once; entry % needs a request and its approval (billctl reverse opens one)',
      coalesce(t.seq::text, p_reverses::text) USING ERRCODE = '42501';
  END IF;
END $$;

-- As in 0017, through bill.write_entry, with direct reversals limited.
CREATE OR REPLACE FUNCTION bill.post(p_account bigint, p_expected_seq int, p_kind text, p_amount bigint,
                                     p_date date, p_reverses bigint DEFAULT NULL, p_channel text DEFAULT NULL,
                                     p_method text DEFAULT NULL, p_note text DEFAULT '')
RETURNS TABLE (entry_id bigint, seq int, receipt_no text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE s int; w record;
BEGIN
  PERFORM bill.check_post_right(p_kind);
  s := bill.lock_account(p_account, p_expected_seq);
  IF p_kind = 'payment' THEN
    PERFORM bill.check_payment_way(coalesce(p_channel, 'counter'), p_method, p_account);
  END IF;
  IF p_kind = 'reversal' THEN
    PERFORM bill.check_direct_reversal(p_reverses);
    PERFORM bill.check_reversal(p_account, p_reverses, p_amount, p_note);
  END IF;
  SELECT * INTO w FROM bill.write_entry(p_account, s, p_kind, p_amount, p_date, p_reverses, p_channel,
                                        p_method, p_note);
  RETURN QUERY SELECT w.entry_id, s, w.receipt_no;
END $$;

-- The early-payment discount a payment may bring (see the top): the
-- period and the ratio from bill.param, the bound from the full fee.
CREATE FUNCTION bill.check_discount(p_account bigint, p_discount bigint, p_date date) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE ratio bigint := bill.param_ppm('discount.ratio', 0); md text; y int; until date; given bigint;
BEGIN
  md := (SELECT value FROM bill.param WHERE name = 'discount.until');
  SELECT split_part(se.name, '-', 1)::int INTO y FROM bill.account a JOIN bill.season se ON se.id = a.season_id
    WHERE a.id = p_account;
  IF ratio <= 0 OR md IS NULL OR md !~ '^[0-9]{2}-[0-9]{2}$' THEN
    RAISE EXCEPTION 'there is no early-payment discount (discount.ratio, discount.until)' USING ERRCODE = '42501';
  END IF;
  until := make_date(CASE WHEN split_part(md, '-', 1)::int >= 7 THEN y ELSE y + 1 END,
                     split_part(md, '-', 1)::int, split_part(md, '-', 2)::int);
  IF p_date > until OR (p_date <> bill.today() AND NOT bill.has_role('bill_admin')) THEN
    RAISE EXCEPTION 'the early-payment discount ended on %', until USING ERRCODE = '42501';
  END IF;
  SELECT -coalesce(sum(e.amount_fen), 0) INTO given FROM bill.entry e LEFT JOIN bill.entry r ON r.id = e.reverses
    WHERE e.account_id = p_account AND coalesce(r.kind, e.kind) = 'discount';
  IF given + p_discount > round(bill.full_fee_bound(p_account) * ratio / 1000000.0) THEN
    RAISE EXCEPTION 'a discount of % fen is more than discount.ratio of the fee allows', given + p_discount
      USING ERRCODE = '42501';
  END IF;
END $$;

-- A payment at the counter with the late fee and the early-payment
-- discount the fee engine found due today, in one call: the late fee is
-- entered as given (it only adds to what is owed); the discount is checked
-- (bill.check_discount) and needs the payment to leave nothing owed.
CREATE FUNCTION bill.charge(p_account bigint, p_expected_seq int, p_amount bigint, p_date date,
                            p_channel text, p_method text, p_note text, p_late_fee bigint DEFAULT 0,
                            p_discount bigint DEFAULT 0)
RETURNS TABLE (entry_id bigint, seq int, receipt_no text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE s int; w record;
BEGIN
  PERFORM bill.require_role('bill_cashier', 'a payment');
  IF p_amount <= 0 OR p_late_fee < 0 OR p_discount < 0 THEN
    RAISE EXCEPTION 'a payment, its late fee and its discount are more than 0 fen' USING ERRCODE = '22023';
  END IF;
  s := bill.lock_account(p_account, p_expected_seq);
  PERFORM bill.check_payment_way(coalesce(p_channel, 'counter'), p_method, p_account);
  IF p_late_fee > 0 THEN
    PERFORM bill.write_entry(p_account, s, 'late_fee', p_late_fee, p_date, NULL, NULL, NULL,
                             'late fee to ' || p_date);
    s := s + 1;
  END IF;
  IF p_discount > 0 THEN
    PERFORM bill.check_discount(p_account, p_discount, p_date);
    PERFORM bill.write_entry(p_account, s, 'discount', -p_discount, p_date, NULL, NULL, NULL,
                             'early-payment discount');
    s := s + 1;
  END IF;
  SELECT * INTO w FROM bill.write_entry(p_account, s, 'payment', -p_amount, p_date, NULL, p_channel,
                                        p_method, p_note);
  IF p_discount > 0 AND (SELECT balance FROM bill.account_sums(p_account)) > 0 THEN
    RAISE EXCEPTION 'the early-payment discount needs the whole fee paid' USING ERRCODE = '42501';
  END IF;
  RETURN QUERY SELECT w.entry_id, s, w.receipt_no;
END $$;

-- ---------------------------------------------------------------------------
-- Heating status (BIL-10). The account's status on a day and its days not
-- heated after the status it was opened with (that one is in the assessed
-- fee already).
CREATE FUNCTION bill.status_now(p_account bigint) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT coalesce((SELECT CASE kind WHEN 'suspend' THEN 'suspended' WHEN 'disconnect' THEN 'disconnected'
                               ELSE 'heating' END
                   FROM bill.status_event WHERE account_id = p_account ORDER BY event_date DESC, id DESC LIMIT 1),
                  (SELECT initial_status FROM bill.account WHERE id = p_account))
$$;

CREATE FUNCTION bill.days_off(p_account bigint) RETURNS int
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE a record; ev record; st text; d date; n int := 0; first boolean := true;
BEGIN
  SELECT ac.initial_status, se.start_date, se.end_date INTO a
    FROM bill.account ac JOIN bill.season se ON se.id = ac.season_id WHERE ac.id = p_account;
  st := a.initial_status; d := a.start_date;
  FOR ev IN SELECT event_date, kind FROM bill.status_event WHERE account_id = p_account ORDER BY event_date, id LOOP
    IF st <> 'heating' AND NOT (first AND a.initial_status <> 'heating') THEN n := n + (ev.event_date - d); END IF;
    first := false;
    d := ev.event_date;
    st := CASE ev.kind WHEN 'suspend' THEN 'suspended' WHEN 'disconnect' THEN 'disconnected' ELSE 'heating' END;
  END LOOP;
  IF st <> 'heating' AND NOT (first AND a.initial_status <> 'heating') THEN n := n + (a.end_date - d); END IF;
  RETURN n;
END $$;

-- What a status change may be: a possible transition, in the season, not
-- before the last one, its adjustment in the change's direction.
CREATE FUNCTION bill.check_status_change(p_account bigint, p_kind text, p_date date, p_adjust bigint)
RETURNS void LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE st text := bill.status_now(p_account); se record; last date;
BEGIN
  IF NOT ((p_kind = 'suspend' AND st = 'heating') OR (p_kind = 'resume' AND st = 'suspended')
          OR (p_kind = 'disconnect' AND st IN ('heating', 'suspended'))
          OR (p_kind = 'reconnect' AND st = 'disconnected')) THEN
    RAISE EXCEPTION 'a house that is % cannot % (BIL-10)', st, coalesce(p_kind, '?') USING ERRCODE = '22023';
  END IF;
  SELECT s.start_date, s.end_date INTO se FROM bill.account a JOIN bill.season s ON s.id = a.season_id
    WHERE a.id = p_account;
  last := (SELECT max(event_date) FROM bill.status_event WHERE account_id = p_account);
  IF p_date IS NULL OR p_date < se.start_date OR p_date >= se.end_date OR p_date < last THEN
    RAISE EXCEPTION 'the date % is outside the season or before the last status change', p_date
      USING ERRCODE = '22023';
  END IF;
  IF (p_kind IN ('suspend', 'disconnect') AND p_adjust > 0) OR (p_kind IN ('resume', 'reconnect') AND p_adjust < 0) THEN
    RAISE EXCEPTION 'a % lowers no fee by % fen the wrong way', p_kind, p_adjust USING ERRCODE = '42501';
  END IF;
END $$;

-- As in 0009, checked (see the top): the change, then the bound on all
-- status adjustments of the account together.
CREATE OR REPLACE FUNCTION bill.change_status(p_account bigint, p_expected_seq int, p_kind text, p_date date,
                                              p_adjust bigint, p_note text)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE s int; e bigint; ev bigint; off bigint; n int; taken bigint;
BEGIN
  PERFORM bill.require_role('bill_cashier', 'a heating status change');
  s := bill.lock_account(p_account, p_expected_seq);
  PERFORM bill.check_status_change(p_account, p_kind, p_date, p_adjust);
  IF p_adjust <> 0 THEN
    INSERT INTO bill.entry (account_id, seq, kind, amount_fen, entry_date, note)
    VALUES (p_account, s, 'adjustment', p_adjust, p_date, p_note) RETURNING id INTO e;
  END IF;
  INSERT INTO bill.status_event (account_id, event_date, kind, entry_id)
  VALUES (p_account, p_date, p_kind, e) RETURNING id INTO ev;
  SELECT se.end_date - se.start_date INTO n FROM bill.account a JOIN bill.season se ON se.id = a.season_id
    WHERE a.id = p_account;
  off := round(bill.full_fee_bound(p_account) * bill.days_off(p_account) / n::numeric);
  SELECT -coalesce(sum(x.amount_fen), 0) INTO taken FROM bill.status_event v JOIN bill.entry x ON x.id = v.entry_id
    WHERE v.account_id = p_account;
  IF taken > off OR (SELECT charges FROM bill.account_sums(p_account)) < 0 THEN
    RAISE EXCEPTION 'status changes may take off at most % fen for the days not heated; % fen is refused',
      off, taken USING ERRCODE = '42501';
  END IF;
  UPDATE bill.house SET heating_status = CASE p_kind WHEN 'suspend' THEN 'suspended'
      WHEN 'disconnect' THEN 'disconnected' ELSE 'heating' END
    WHERE id = (SELECT house_id FROM bill.account WHERE id = p_account);
  RETURN ev;
END $$;

-- ---------------------------------------------------------------------------
-- Requests (BIL-13).

-- The late fee still due on an account: posted late fees less late-fee
-- reductions applied or pending (but request p_except).
CREATE FUNCTION bill.late_fee_due(p_account bigint, p_except bigint DEFAULT NULL) RETURNS bigint
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT (SELECT coalesce(sum(e.amount_fen), 0) FROM bill.entry e LEFT JOIN bill.entry r ON r.id = e.reverses
           WHERE e.account_id = p_account AND coalesce(r.kind, e.kind) = 'late_fee')
       + (SELECT coalesce(sum(q.amount_fen), 0) FROM bill.request q
           WHERE q.account_id = p_account AND q.kind = 'late_fee' AND q.id IS DISTINCT FROM p_except
             AND (q.outcome = 'pending' OR (q.outcome = 'applied'
                  AND NOT EXISTS (SELECT 1 FROM bill.entry x WHERE x.reverses = q.entry_id))))
$$;

-- The route of a new request of `p_amount` fen on the account (see the
-- top): its own amount, and for a write-off the sums with earlier ones.
CREATE FUNCTION bill.route_of(p_account bigint, p_amount bigint) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE own text := bill.route_for(p_amount); s_imm bigint; s_sup bigint;
BEGIN
  IF p_amount >= 0 OR own = 'joint' THEN RETURN own; END IF;
  SELECT coalesce(sum(-amount_fen) FILTER (WHERE route = 'immediate'), 0),
         coalesce(sum(-amount_fen) FILTER (WHERE route IN ('immediate', 'supervisor')), 0)
    INTO s_imm, s_sup FROM bill.request
    WHERE account_id = p_account AND amount_fen < 0 AND outcome IN ('pending', 'applied');
  IF bill.route_for(s_sup - p_amount) = 'joint' THEN RETURN 'joint'; END IF;
  IF own = 'supervisor' OR bill.route_for(s_imm - p_amount) <> 'immediate' THEN RETURN 'supervisor'; END IF;
  RETURN 'immediate';
END $$;

-- What a request may ask for (see the top); returns the amount to route by.
CREATE FUNCTION bill.check_request(p_kind text, p_account bigint, p_amount bigint, p_new_area numeric,
                                   p_reverses bigint) RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE old_area numeric; bound bigint; t record;
BEGIN
  IF p_kind = 'area' THEN
    IF p_new_area IS NULL OR p_new_area <= 0 OR p_new_area > 99999999 THEN
      RAISE EXCEPTION 'the new area must be more than 0 m2' USING ERRCODE = '22023';
    END IF;
    SELECT h.charged_area INTO old_area FROM bill.account a JOIN bill.house h ON h.id = a.house_id WHERE a.id = p_account;
    bound := abs(bill.full_fee_bound(p_account, p_new_area) - bill.full_fee_bound(p_account, old_area));
    IF p_amount IS NULL OR sign(p_amount) <> sign(p_new_area - old_area) OR abs(p_amount) > bound + 1 THEN
      RAISE EXCEPTION 'an area change from % to % m2 changes the fee by at most % fen, in its direction; % is refused',
        old_area, p_new_area, bound, p_amount USING ERRCODE = '22023';
    END IF;
    RETURN sign(p_amount) * greatest(abs(p_amount), bound);
  ELSIF p_kind IN ('reduction', 'late_fee') THEN
    IF p_new_area IS NOT NULL OR p_reverses IS NOT NULL OR p_amount IS NULL OR p_amount >= 0 THEN
      RAISE EXCEPTION 'a reduction takes off an amount: more than 0 fen, and nothing else' USING ERRCODE = '22023';
    END IF;
    IF p_kind = 'reduction' AND -p_amount > (SELECT charges FROM bill.account_sums(p_account)) THEN
      RAISE EXCEPTION 'the reduction (% fen) is more than the account''s charges', -p_amount USING ERRCODE = '22023';
    END IF;
    IF p_kind = 'late_fee' AND -p_amount > bill.late_fee_due(p_account) THEN
      RAISE EXCEPTION 'the late-fee reduction (% fen) is more than the late fee due (% fen)', -p_amount,
        bill.late_fee_due(p_account) USING ERRCODE = '22023';
    END IF;
    RETURN p_amount;
  ELSIF p_kind = 'reversal' THEN
    SELECT * INTO t FROM bill.entry WHERE id = p_reverses AND account_id = p_account;
    IF NOT FOUND OR t.kind = 'reversal' OR p_new_area IS NOT NULL
       OR EXISTS (SELECT 1 FROM bill.entry WHERE reverses = p_reverses)
       OR EXISTS (SELECT 1 FROM bill.request WHERE reverses = p_reverses AND outcome IN ('pending', 'applied')) THEN
      RAISE EXCEPTION 'entry % cannot be reversed (not in this account, a reversal, or reversed or requested already)',
        p_reverses USING ERRCODE = '55000';
    END IF;
    IF p_amount IS DISTINCT FROM -t.amount_fen THEN
      RAISE EXCEPTION 'a reversal of % fen must be % fen', t.amount_fen, -t.amount_fen USING ERRCODE = '22023';
    END IF;
    RETURN p_amount;
  END IF;
  RAISE EXCEPTION 'unknown request kind %', p_kind USING ERRCODE = '22023';
END $$;

DROP FUNCTION bill.request_open(text, bigint, bigint, numeric, text);
CREATE FUNCTION bill.request_open(p_kind text, p_account bigint, p_amount bigint, p_new_area numeric,
                                  p_reason text, p_reverses bigint DEFAULT NULL)
RETURNS TABLE (id bigint, route text, outcome text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE rid bigint; rt text;
BEGIN
  PERFORM bill.require_role('bill_cashier', 'a request');
  PERFORM bill.lock_account(p_account, NULL);
  rt := bill.route_of(p_account, bill.check_request(p_kind, p_account, p_amount, p_new_area, p_reverses));
  INSERT INTO bill.request (kind, account_id, amount_fen, new_area, reason, route, reverses)
  VALUES (p_kind, p_account, p_amount, p_new_area, p_reason, rt, p_reverses) RETURNING bill.request.id INTO rid;
  INSERT INTO bill.request_step (request_id, action) VALUES (rid, 'open');
  IF rt = 'immediate' THEN
    PERFORM bill.apply_request(rid);
  END IF;
  RETURN QUERY SELECT r.id, r.route, r.outcome FROM bill.request r WHERE r.id = rid;
END $$;

-- As in 0009, plus reversals, the late fee due checked again, and the step.
CREATE OR REPLACE FUNCTION bill.apply_request(p_id bigint) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE q record; s int; e bigint;
BEGIN
  SELECT * INTO q FROM bill.request WHERE id = p_id;
  s := bill.lock_account(q.account_id, NULL);
  IF q.kind = 'late_fee' AND -q.amount_fen > bill.late_fee_due(q.account_id, q.id) THEN
    RAISE EXCEPTION 'request %: the late-fee reduction (% fen) is more than the late fee due (% fen)', p_id,
      -q.amount_fen, bill.late_fee_due(q.account_id, q.id) USING ERRCODE = '22023';
  END IF;
  IF q.kind = 'reversal' THEN
    PERFORM bill.check_reversal(q.account_id, q.reverses, q.amount_fen, q.reason);
  END IF;
  INSERT INTO bill.entry (account_id, seq, kind, amount_fen, entry_date, request_id, reverses, note)
  VALUES (q.account_id, s, CASE q.kind WHEN 'area' THEN 'adjustment' WHEN 'reversal' THEN 'reversal'
                                       ELSE 'reduction' END,
          q.amount_fen, bill.today(), q.id, q.reverses,
          CASE q.kind WHEN 'area' THEN 'area ' || q.new_area || ' m2: ' ELSE '' END || q.reason)
  RETURNING id INTO e;
  IF q.kind = 'area' THEN
    UPDATE bill.house SET charged_area = q.new_area
      WHERE id = (SELECT house_id FROM bill.account WHERE id = q.account_id);
  END IF;
  IF (SELECT charges FROM bill.account_sums(q.account_id)) < 0
     OR (SELECT paid FROM bill.account_sums(q.account_id)) < 0 THEN
    RAISE EXCEPTION 'request %: this would make the account''s charges or payments negative', p_id
      USING ERRCODE = '22023';
  END IF;
  UPDATE bill.request SET outcome = 'applied', ended_at = now(), entry_id = e WHERE id = p_id;
  INSERT INTO bill.request_step (request_id, action) VALUES (p_id, 'apply');
END $$;

-- As in 0009, refusing related logins, with every decision a step.
CREATE OR REPLACE FUNCTION bill.decide(p_id bigint, p_action text, p_role text DEFAULT NULL)
RETURNS text LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE q bill.request; me name := session_user; result text;
BEGIN
  SELECT * INTO q FROM bill.request WHERE id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no request %', p_id USING ERRCODE = 'P0002';
  END IF;
  PERFORM bill.lock_account(q.account_id, NULL);
  IF q.outcome <> 'pending' THEN
    RAISE EXCEPTION 'request % is already %', p_id, q.outcome USING ERRCODE = '55000';
  END IF;
  IF p_action = 'withdraw' THEN
    IF q.requester <> me THEN
      RAISE EXCEPTION 'only % who made request % can withdraw it', q.requester, p_id USING ERRCODE = '42501';
    END IF;
    UPDATE bill.request SET outcome = 'withdrawn', ended_by = me, ended_at = now() WHERE id = p_id;
    INSERT INTO bill.request_step (request_id, action) VALUES (p_id, 'withdraw');
    RETURN 'withdrawn';
  END IF;
  IF q.requester = me OR heat.logins_related(q.requester, me) THEN
    RAISE EXCEPTION 'nobody decides their own request, nor one of a login they made or that made them (request % is by %)',
      p_id, q.requester USING ERRCODE = '42501';
  END IF;
  IF p_action IN ('approve', 'reject') THEN
    INSERT INTO bill.request_step (request_id, action, role) VALUES (p_id, p_action, p_role);
  END IF;
  result := bill.decide_step(q, p_action, p_role);
  RETURN result;
END $$;

-- A copy of a receipt printed again (billctl reprint): counted here, the
-- only change a receipt takes besides being voided by its reversal.
CREATE FUNCTION bill.reprint(p_receipt text, OUT prints int, OUT status text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE acc bigint;
BEGIN
  PERFORM bill.require_role('bill_cashier', 'a receipt copy');
  SELECT e.account_id INTO acc FROM bill.receipt rc JOIN bill.entry e ON e.id = rc.entry_id
    WHERE rc.receipt_no = p_receipt;
  IF acc IS NULL THEN
    RAISE EXCEPTION 'no receipt %', p_receipt USING ERRCODE = 'P0002';
  END IF;
  PERFORM bill.lock_account(acc, NULL);
  UPDATE bill.receipt rc SET prints = rc.prints + 1 WHERE rc.receipt_no = p_receipt
    RETURNING rc.prints, rc.status INTO prints, status;
END $$;

REVOKE ALL ON FUNCTION bill.request_open, bill.charge, bill.reprint, bill.today, bill.full_fee_bound,
  bill.write_entry, bill.check_direct_reversal, bill.check_discount, bill.status_now, bill.days_off,
  bill.check_status_change, bill.late_fee_due, bill.route_of, bill.check_request FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bill.request_open, bill.charge, bill.reprint TO bill_cashier;
GRANT EXECUTE ON FUNCTION bill.late_fee_due, bill.today TO bill_cashier, bill_deputy, bill_production;
