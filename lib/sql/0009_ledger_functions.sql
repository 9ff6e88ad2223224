-- 0009_ledger_functions.sql — the doors to the ledger (see 0008_ledger.sql
-- for what they guarantee). All SECURITY DEFINER: they check the caller's
-- login role (session_user) themselves. SQLSTATEs: 42501 not allowed,
-- 40001 the account changed meanwhile, 55000 wrong state (closed season,
-- closed channel, request already decided), P0002 not found, 22023 bad
-- value — the tools map them to exit codes 4, 5, 5, 3, 2.

CREATE FUNCTION bill.has_role(p_role text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT pg_has_role(session_user, p_role, 'MEMBER')
      OR (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)
$$;

CREATE FUNCTION bill.require_role(p_role text, p_what text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
  IF NOT bill.has_role(p_role) THEN
    RAISE EXCEPTION '% needs the role %; % is not a member (ask a bill_admin: heatctl user grant)',
      p_what, p_role, session_user USING ERRCODE = '42501';
  END IF;
END $$;

-- A parameter in fen ('50.00' yuan), or the default.
CREATE FUNCTION bill.param_fen(p_name text, p_default bigint) RETURNS bigint
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT coalesce((SELECT round(value::numeric * 100)::bigint FROM bill.param WHERE name = p_name),
                  p_default)
$$;

-- A ratio parameter ('30%' or '0.3') in ppm, or the default.
CREATE FUNCTION bill.param_ppm(p_name text, p_default bigint) RETURNS bigint
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT coalesce((SELECT CASE WHEN value LIKE '%\%' THEN round(rtrim(value, '%')::numeric * 10000)
                               ELSE round(value::numeric * 1000000) END::bigint
                   FROM bill.param WHERE name = p_name), p_default)
$$;

-- Opens (or finds) the yearly account of a house for a season and enters
-- its assessed fee for the house's status now (BIL-10): full fee =
-- charged area × price, rounded half away from zero once; suspended: the
-- base ratio of it, rounded once; disconnected: 0. The same rule as
-- billing/fee.h (tested against it); later status changes and price
-- changes are adjustments computed by the fee engine.
CREATE FUNCTION bill.open_account(p_house int, p_season int) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE a bigint; h record; t record; full_fee bigint; fee bigint;
BEGIN
  PERFORM bill.require_role('bill_cashier', 'opening an account');
  SELECT id INTO a FROM bill.account WHERE house_id = p_house AND season_id = p_season;
  IF a IS NOT NULL THEN RETURN a; END IF;
  SELECT * INTO h FROM bill.house WHERE id = p_house AND deleted_at IS NULL;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no house % (or it is in the recycle bin)', p_house USING ERRCODE = 'P0002';
  END IF;
  SELECT tr.*, se.start_date, se.name INTO t FROM bill.season se LEFT JOIN bill.tariff tr
      ON tr.season_id = se.id AND tr.house_type = h.house_type AND tr.from_date = se.start_date
    WHERE se.id = p_season;
  IF t.fen_per_m2 IS NULL THEN
    RAISE EXCEPTION 'season % has no price for house type % (billctl tariff set)', t.name, h.house_type
      USING ERRCODE = '55000';
  END IF;
  full_fee := round(h.charged_area * t.fen_per_m2);
  fee := CASE h.heating_status WHEN 'heating' THEN full_fee WHEN 'disconnected' THEN 0
    ELSE round(full_fee * coalesce(t.base_ratio_ppm, bill.param_ppm('suspended.base_ratio', 300000))
               / 1000000.0) END;
  INSERT INTO bill.account (house_id, season_id, initial_status)
  VALUES (p_house, p_season, h.heating_status)
    ON CONFLICT (house_id, season_id) DO NOTHING RETURNING id INTO a;
  IF a IS NULL THEN  -- another session opened it just now
    RETURN (SELECT id FROM bill.account WHERE house_id = p_house AND season_id = p_season);
  END IF;
  IF fee = 0 THEN RETURN a; END IF;  -- nothing to assess (disconnected): no entry
  INSERT INTO bill.entry (account_id, seq, kind, amount_fen, entry_date, note)
  VALUES (a, 1, 'assessed', fee, t.start_date,
          h.charged_area || ' m2 x ' || to_char(t.fen_per_m2 / 100.0, 'FM999999990.00') || ' yuan/m2'
          || CASE h.heating_status WHEN 'heating' THEN '' ELSE ' (' || h.heating_status || ')' END);
  RETURN a;
END $$;

-- Locks the account, checks the season is open and that the next entry
-- number is the one the caller expects; returns that number.
CREATE FUNCTION bill.lock_account(p_account bigint, p_expected_seq int) RETURNS int
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE s record; next_seq int;
BEGIN
  SELECT se.name, se.closed_at INTO s FROM bill.account a JOIN bill.season se ON se.id = a.season_id
    WHERE a.id = p_account FOR UPDATE OF a;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no account %', p_account USING ERRCODE = 'P0002';
  END IF;
  IF s.closed_at IS NOT NULL THEN
    RAISE EXCEPTION 'season % is closed; nothing can be entered into it', s.name USING ERRCODE = '55000';
  END IF;
  SELECT coalesce(max(seq), 0) + 1 INTO next_seq FROM bill.entry WHERE account_id = p_account;
  IF p_expected_seq IS NOT NULL AND p_expected_seq <> next_seq THEN
    RAISE EXCEPTION 'the account changed meanwhile (another terminal wrote entry %); look again and retry',
      next_seq - 1 USING ERRCODE = '40001';
  END IF;
  RETURN next_seq;
END $$;

-- The channel and method of a payment must be open, wholly and for this
-- channel, method and the house's customer type (BIL-27).
CREATE FUNCTION bill.check_payment_way(p_channel text, p_method text, p_account bigint) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE ctype text; bad text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM bill.channel WHERE code = p_channel AND kind = 'channel') THEN
    RAISE EXCEPTION 'unknown channel ''%'' (billctl channel list)', p_channel USING ERRCODE = '22023';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM bill.channel WHERE code = p_method AND kind = 'method') THEN
    RAISE EXCEPTION 'unknown method ''%'' (billctl channel list)', p_method USING ERRCODE = '22023';
  END IF;
  SELECT coalesce(c.customer_type, 'resident') INTO ctype FROM bill.account a
    JOIN bill.house h ON h.id = a.house_id LEFT JOIN bill.customer c ON c.id = h.customer_id
    WHERE a.id = p_account;
  SELECT code INTO bad FROM bill.channel WHERE code IN (p_channel, p_method) AND NOT open LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION '''%'' is closed', bad USING ERRCODE = '55000';
  END IF;
  IF EXISTS (SELECT 1 FROM bill.payment_closure WHERE coalesce(channel, p_channel) = p_channel
             AND coalesce(method, p_method) = p_method AND coalesce(customer_type, ctype) = ctype) THEN
    RAISE EXCEPTION 'paying by % through % is closed for customers of type %', p_method, p_channel, ctype
      USING ERRCODE = '55000';
  END IF;
END $$;

-- The next receipt number of this cashier (or hall: SET heat.receipt_prefix).
CREATE FUNCTION bill.next_receipt(p_entry bigint) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE pfx text; n bigint; no text;
BEGIN
  pfx := coalesce(nullif(current_setting('heat.receipt_prefix', true), ''),
                  regexp_replace(session_user, '[^A-Za-z0-9_]', '_', 'g'));
  INSERT INTO bill.receipt_seq VALUES (pfx, 1)
    ON CONFLICT (prefix) DO UPDATE SET last_no = bill.receipt_seq.last_no + 1
    RETURNING last_no INTO n;
  no := pfx || '-' || lpad(n::text, 8, '0');
  INSERT INTO bill.receipt (receipt_no, prefix, n, entry_id) VALUES (no, pfx, n, p_entry);
  RETURN no;
END $$;

-- Charges (what the house is charged, net of reversals) and paid (money
-- received net) of an account; billing/ledger.h defines both.
CREATE FUNCTION bill.account_sums(p_account bigint, OUT charges bigint, OUT paid bigint, OUT balance bigint)
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT coalesce(sum(e.amount_fen) FILTER (WHERE coalesce(r.kind, e.kind) NOT IN ('payment', 'refund')), 0),
         -coalesce(sum(e.amount_fen) FILTER (WHERE coalesce(r.kind, e.kind) IN ('payment', 'refund')), 0),
         coalesce(sum(e.amount_fen), 0)
  FROM bill.entry e LEFT JOIN bill.entry r ON r.id = e.reverses
  WHERE e.account_id = p_account
$$;

-- Who may post which kind (see 0008_ledger.sql).
CREATE FUNCTION bill.check_post_right(p_kind text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
  IF p_kind = 'reduction' THEN
    RAISE EXCEPTION 'a reduction is made by a request and its approval (billctl request reduction)'
      USING ERRCODE = '42501';
  ELSIF p_kind IN ('assessed', 'adjustment') THEN
    PERFORM bill.require_role('bill_admin', 'an ' || p_kind || ' entry');
  ELSE
    PERFORM bill.require_role('bill_cashier', 'a ' || replace(p_kind, '_', ' ') || ' entry');
  END IF;
END $$;

-- A reversal must name an entry of the same account that is not itself a
-- reversal and not yet reversed; its amount is the negation. Reversing a
-- payment voids its receipt.
CREATE FUNCTION bill.check_reversal(p_account bigint, p_reverses bigint, p_amount bigint, p_note text)
RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE t record;
BEGIN
  SELECT * INTO t FROM bill.entry WHERE id = p_reverses AND account_id = p_account;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'entry % is not in this account', p_reverses USING ERRCODE = 'P0002';
  END IF;
  IF t.kind = 'reversal' THEN
    RAISE EXCEPTION 'entry % is a reversal; a reversal cannot be reversed (enter the amount anew)',
      t.seq USING ERRCODE = '55000';
  END IF;
  IF EXISTS (SELECT 1 FROM bill.entry WHERE reverses = p_reverses) THEN
    RAISE EXCEPTION 'entry % was already reversed', t.seq USING ERRCODE = '55000';
  END IF;
  IF p_amount <> -t.amount_fen THEN
    RAISE EXCEPTION 'a reversal of % fen must be % fen', t.amount_fen, -t.amount_fen USING ERRCODE = '22023';
  END IF;
  UPDATE bill.receipt SET status = 'voided', void_reason = p_note, voided_by = session_user,
         voided_at = now() WHERE entry_id = p_reverses;
END $$;

CREATE FUNCTION bill.post(p_account bigint, p_expected_seq int, p_kind text, p_amount bigint,
                          p_date date, p_reverses bigint DEFAULT NULL, p_channel text DEFAULT NULL,
                          p_method text DEFAULT NULL, p_note text DEFAULT '')
RETURNS TABLE (entry_id bigint, seq int, receipt_no text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE s int; e bigint; r text;
BEGIN
  PERFORM bill.check_post_right(p_kind);
  s := bill.lock_account(p_account, p_expected_seq);
  IF p_kind = 'payment' THEN
    PERFORM bill.check_payment_way(coalesce(p_channel, 'counter'), p_method, p_account);
  END IF;
  IF p_kind = 'reversal' THEN
    PERFORM bill.check_reversal(p_account, p_reverses, p_amount, p_note);
  END IF;
  INSERT INTO bill.entry (account_id, seq, kind, amount_fen, entry_date, reverses, channel, method, note)
  VALUES (p_account, s, p_kind, p_amount, p_date, p_reverses,
          CASE WHEN p_kind IN ('payment', 'refund') THEN coalesce(p_channel, 'counter') END,
          p_method, coalesce(p_note, ''))
  RETURNING id INTO e;
  IF p_kind IN ('payment', 'refund') THEN
    r := bill.next_receipt(e);
  END IF;
  IF (SELECT charges FROM bill.account_sums(p_account)) < 0
     OR (SELECT paid FROM bill.account_sums(p_account)) < 0 THEN
    RAISE EXCEPTION 'this would make the account''s charges or payments negative' USING ERRCODE = '22023';
  END IF;
  IF p_kind = 'payment' AND (SELECT balance FROM bill.account_sums(p_account)) < 0
     AND coalesce((SELECT value FROM bill.param WHERE name = 'ledger.allow_prepayment'), 'false') <> 'true' THEN
    RAISE EXCEPTION 'this pays % fen more than is owed; prepayment is off (ledger.allow_prepayment)',
      -(SELECT balance FROM bill.account_sums(p_account)) USING ERRCODE = '22023';
  END IF;
  RETURN QUERY SELECT e, s, r;
END $$;

-- A heating-status change (报停/复热/退网/复网, BIL-10): the event, the
-- house's status and the fee adjustment the C++ engine computed, at once.
CREATE FUNCTION bill.change_status(p_account bigint, p_expected_seq int, p_kind text, p_date date,
                                   p_adjust bigint, p_note text)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE s int; e bigint; ev bigint;
BEGIN
  PERFORM bill.require_role('bill_cashier', 'a heating status change');
  s := bill.lock_account(p_account, p_expected_seq);
  IF p_adjust <> 0 THEN
    INSERT INTO bill.entry (account_id, seq, kind, amount_fen, entry_date, note)
    VALUES (p_account, s, 'adjustment', p_adjust, p_date, p_note) RETURNING id INTO e;
  END IF;
  INSERT INTO bill.status_event (account_id, event_date, kind, entry_id)
  VALUES (p_account, p_date, p_kind, e) RETURNING id INTO ev;
  UPDATE bill.house SET heating_status = CASE p_kind WHEN 'suspend' THEN 'suspended'
      WHEN 'disconnect' THEN 'disconnected' ELSE 'heating' END
    WHERE id = (SELECT house_id FROM bill.account WHERE id = p_account);
  RETURN ev;
END $$;

-- ---------------------------------------------------------------------------
-- Approval requests (BIL-13). Routing and rules are those of
-- billing/approval.h, with the thresholds from bill.param.
CREATE FUNCTION bill.route_for(p_amount bigint) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT CASE
    WHEN abs(p_amount) < bill.param_fen('approval.supervisor_from', 5000) THEN 'immediate'
    WHEN abs(p_amount) <= bill.param_fen('approval.joint_above', 20000) THEN 'supervisor'
    ELSE 'joint' END
$$;

-- Carries out an approved request: a reduction entry, or the new area and
-- its fee adjustment. Runs inside the final decision's transaction.
CREATE FUNCTION bill.apply_request(p_id bigint) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE q record; s int; e bigint;
BEGIN
  SELECT * INTO q FROM bill.request WHERE id = p_id;
  s := bill.lock_account(q.account_id, NULL);
  INSERT INTO bill.entry (account_id, seq, kind, amount_fen, entry_date, request_id, note)
  VALUES (q.account_id, s, CASE q.kind WHEN 'area' THEN 'adjustment' ELSE 'reduction' END,
          q.amount_fen, (now() AT TIME ZONE current_setting('TimeZone'))::date, q.id,
          CASE q.kind WHEN 'area' THEN 'area ' || q.new_area || ' m2: ' ELSE '' END || q.reason)
  RETURNING id INTO e;
  IF q.kind = 'area' THEN
    UPDATE bill.house SET charged_area = q.new_area
      WHERE id = (SELECT house_id FROM bill.account WHERE id = q.account_id);
  END IF;
  IF (SELECT charges FROM bill.account_sums(q.account_id)) < 0 THEN
    RAISE EXCEPTION 'request %: the reduction is more than the account''s charges', p_id USING ERRCODE = '22023';
  END IF;
  UPDATE bill.request SET outcome = 'applied', ended_at = now(), entry_id = e WHERE id = p_id;
END $$;

CREATE FUNCTION bill.request_open(p_kind text, p_account bigint, p_amount bigint,
                                  p_new_area numeric, p_reason text)
RETURNS TABLE (id bigint, route text, outcome text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE rid bigint; rt text := bill.route_for(p_amount);
BEGIN
  PERFORM bill.require_role('bill_cashier', 'a request');
  PERFORM bill.lock_account(p_account, NULL);
  INSERT INTO bill.request (kind, account_id, amount_fen, new_area, reason, route)
  VALUES (p_kind, p_account, p_amount, p_new_area, p_reason, rt) RETURNING bill.request.id INTO rid;
  IF rt = 'immediate' THEN
    PERFORM bill.apply_request(rid);
  END IF;
  RETURN QUERY SELECT r.id, r.route, r.outcome FROM bill.request r WHERE r.id = rid;
END $$;

-- One decision: approve in a role, reject, or withdraw (the requester).
CREATE FUNCTION bill.decide(p_id bigint, p_action text, p_role text DEFAULT NULL)
RETURNS text LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE q bill.request; me name := session_user;
BEGIN
  SELECT * INTO q FROM bill.request WHERE id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no request %', p_id USING ERRCODE = 'P0002';
  END IF;
  IF q.outcome <> 'pending' THEN
    RAISE EXCEPTION 'request % is already %', p_id, q.outcome USING ERRCODE = '55000';
  END IF;
  IF p_action = 'withdraw' THEN
    IF q.requester <> me THEN
      RAISE EXCEPTION 'only % who made request % can withdraw it', q.requester, p_id USING ERRCODE = '42501';
    END IF;
    UPDATE bill.request SET outcome = 'withdrawn', ended_by = me, ended_at = now() WHERE id = p_id;
    RETURN 'withdrawn';
  END IF;
  IF q.requester = me THEN
    RAISE EXCEPTION 'nobody decides their own request (request % is by %)', p_id, me USING ERRCODE = '42501';
  END IF;
  RETURN bill.decide_step(q, p_action, p_role);
END $$;

-- The open step p_role stands for, checked against the route.
CREATE FUNCTION bill.decide_step(q bill.request, p_action text, p_role text)
RETURNS text LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE me name := session_user; done boolean;
BEGIN
  IF NOT (q.route = 'supervisor' AND p_role = 'bill_supervisor' AND q.supervisor IS NULL)
     AND NOT (q.route = 'joint' AND p_role = 'bill_deputy' AND q.deputy IS NULL)
     AND NOT (q.route = 'joint' AND p_role = 'bill_production' AND q.production IS NULL) THEN
    RAISE EXCEPTION 'request % (% route) has no open step for %', q.id, q.route, coalesce(p_role, 'no role')
      USING ERRCODE = '42501';
  END IF;
  PERFORM bill.require_role(p_role, 'deciding request ' || q.id || ' as ' || p_role);
  IF q.route = 'joint' AND me IN (q.deputy, q.production) THEN
    RAISE EXCEPTION 'the two approvals of request % must come from two people', q.id USING ERRCODE = '42501';
  END IF;
  IF p_action = 'reject' THEN
    UPDATE bill.request SET outcome = 'rejected', ended_by = me, ended_at = now() WHERE id = q.id;
    RETURN 'rejected';
  ELSIF p_action <> 'approve' THEN
    RAISE EXCEPTION 'unknown decision %', p_action USING ERRCODE = '22023';
  END IF;
  UPDATE bill.request SET supervisor = CASE WHEN p_role = 'bill_supervisor' THEN me ELSE supervisor END,
         deputy = CASE WHEN p_role = 'bill_deputy' THEN me ELSE deputy END,
         production = CASE WHEN p_role = 'bill_production' THEN me ELSE production END
    WHERE id = q.id RETURNING (route = 'supervisor' OR (deputy IS NOT NULL AND production IS NOT NULL)) INTO done;
  IF done THEN
    PERFORM bill.apply_request(q.id);
    RETURN 'applied';
  END IF;
  RETURN 'pending';
END $$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA bill FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bill.in_dict, bill.has_role, bill.param_fen, bill.route_for,
  bill.account_sums TO bill_cashier, bill_deputy, bill_production, heat_service;
GRANT EXECUTE ON FUNCTION bill.open_account, bill.post, bill.change_status, bill.request_open
  TO bill_cashier;
GRANT EXECUTE ON FUNCTION bill.decide TO bill_cashier, bill_deputy, bill_production;
