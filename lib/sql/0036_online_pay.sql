-- 0036_online_pay.sql — residents pay from their phones (BIL-23, BIL-27;
-- heatpay.cgi(8)).
--
-- The page runs as a login of group role heat_pay, on the open internet.
-- It reads no table: everything it may do is one of the SECURITY DEFINER
-- doors below, so a page that is taken over can still only look up a bill
-- with its second factor and ask for a payment.
--
-- * Look-up (bill.pay_login): house code (户号) plus a second factor, the
--   last four digits of the customer's phone or the house's room. Wrong
--   code and wrong factor give the same NULL. Every call counts against
--   the caller's address (pay.lookups_per_minute, bill.param); a success
--   opens a session of pay.session_minutes whose token the page keeps in
--   a cookie; only the token's SHA-256 is stored.
-- * The bill (bill.pay_bill) is what the ledger holds: late fees are in
--   it as the daily late-fee run enters them (billctl late-fees).
-- * An order (bill.pay_order_new) pays the oldest season that owes, its
--   whole balance; an open order of the same account and amount is
--   reused, so paying twice from two tabs is one order. A closed channel
--   'mobile' or method 'wechat' (BIL-27) refuses it.
-- * A payment (bill.pay_notified) is posted once per order: the order row
--   is locked, a second notify of the same transaction is a duplicate, a
--   second transaction, a transaction that paid another order, a
--   different amount or an unknown order is refused and nothing is
--   written. Money WeChat has received is always
--   entered, even when a cashier took the same fee meanwhile: the order
--   then records what was paid over (overpaid_fen) for a refund. Every
--   call, refused or not, is a row of bill.online_event. Receipts of
--   online payments are numbered WX-nnnnnnnn.

CREATE TABLE bill.online_order (
  out_trade_no text PRIMARY KEY CHECK (out_trade_no ~ '^[A-Za-z0-9_-]{6,32}$'),
  provider text NOT NULL DEFAULT 'wechat' CHECK (provider = 'wechat'),
  trade_type text NOT NULL CHECK (trade_type IN ('NATIVE', 'JSAPI', 'H5')),
  house_id int NOT NULL REFERENCES bill.house,
  account_id bigint NOT NULL REFERENCES bill.account,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  description text NOT NULL,
  state text NOT NULL DEFAULT 'created' CHECK (state IN ('created', 'open', 'paid', 'closed')),
  code_url text, prepay_id text, h5_url text,
  client_addr inet,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  expires_at timestamptz NOT NULL,
  transaction_id text UNIQUE,
  paid_at timestamptz,
  posted_by name,
  entry_id bigint REFERENCES bill.entry,
  receipt_no text,
  overpaid_fen bigint NOT NULL DEFAULT 0 CHECK (overpaid_fen >= 0),
  closed_state text,
  CHECK ((state = 'paid') = (transaction_id IS NOT NULL AND entry_id IS NOT NULL))
);
CREATE INDEX ON bill.online_order (account_id) WHERE state IN ('created', 'open');
CREATE INDEX ON bill.online_order (created_at) WHERE state IN ('created', 'open');
CREATE INDEX ON bill.online_order (paid_at);
CREATE SEQUENCE bill.online_order_no;

CREATE TABLE bill.online_event (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  by_login name NOT NULL DEFAULT session_user,
  source text NOT NULL CHECK (source IN ('notify', 'query', 'tradebill')),
  out_trade_no text NOT NULL,
  transaction_id text,
  trade_state text,
  amount_fen bigint,
  outcome text NOT NULL CHECK (outcome IN ('posted', 'duplicate', 'not_paid', 'refused')),
  reason text NOT NULL DEFAULT ''
);
CREATE INDEX ON bill.online_event (out_trade_no);

-- Look-ups per address and minute; sessions by the SHA-256 of their token.
CREATE TABLE bill.pay_attempt (
  addr inet PRIMARY KEY,
  window_start timestamptz NOT NULL,
  n int NOT NULL
);
CREATE TABLE bill.pay_session (
  token_sha256 bytea PRIMARY KEY,
  house_id int NOT NULL REFERENCES bill.house,
  client_addr inet,
  expires_at timestamptz NOT NULL
);
CREATE INDEX ON bill.pay_session (expires_at);

-- Orders are in the operation log (created, opened, paid, closed).
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON bill.online_order
  FOR EACH ROW EXECUTE FUNCTION heat.audit_row();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON bill.online_event
  FOR EACH ROW EXECUTE FUNCTION bill.append_only();

-- bill.param values the page reads, with their defaults.
CREATE FUNCTION bill.pay_param(p_name text, p_default int) RETURNS int
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT coalesce((SELECT value::int FROM bill.param WHERE name = p_name AND value ~ '^[0-9]{1,6}$'), p_default)
$$;

-- Counts one look-up from p_client; refuses past the limit (54000).
CREATE FUNCTION bill.pay_count_attempt(p_client inet) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE n int;
BEGIN
  INSERT INTO bill.pay_attempt AS a VALUES (coalesce(p_client, '0.0.0.0'), clock_timestamp(), 1)
    ON CONFLICT (addr) DO UPDATE
      SET n = CASE WHEN a.window_start < clock_timestamp() - interval '1 minute' THEN 1 ELSE a.n + 1 END,
          window_start = CASE WHEN a.window_start < clock_timestamp() - interval '1 minute'
                              THEN clock_timestamp() ELSE a.window_start END
    RETURNING a.n INTO n;
  IF n > bill.pay_param('pay.lookups_per_minute', 20) THEN
    RAISE EXCEPTION 'too many look-ups from this address; try again in a minute' USING ERRCODE = '54000';
  END IF;
  IF random() < 0.001 THEN   -- now and then, forget old windows and sessions
    DELETE FROM bill.pay_attempt WHERE window_start < clock_timestamp() - interval '10 minutes';
    DELETE FROM bill.pay_session WHERE expires_at < clock_timestamp();
  END IF;
END $$;

-- The house a code and second factor name, or NULL.
CREATE FUNCTION bill.pay_match(p_code text, p_factor text) RETURNS int
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT h.id FROM bill.house h LEFT JOIN bill.customer c ON c.id = h.customer_id
   WHERE h.code = p_code AND h.deleted_at IS NULL AND length(p_factor) BETWEEN 1 AND 32
     AND (h.room = p_factor
          OR (p_factor ~ '^[0-9]{4}$' AND right(regexp_replace(coalesce(c.phone, ''), '[^0-9]', '', 'g'), 4) = p_factor))
$$;

CREATE FUNCTION bill.pay_login(p_code text, p_factor text, p_client inet) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE h int; token text;
BEGIN
  PERFORM bill.pay_count_attempt(p_client);
  h := bill.pay_match(left(coalesce(p_code, ''), 64), left(coalesce(p_factor, ''), 64));
  IF h IS NULL THEN RETURN NULL; END IF;
  token := replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
  INSERT INTO bill.pay_session VALUES (sha256(convert_to(token, 'UTF8')), h, p_client,
    clock_timestamp() + make_interval(mins => bill.pay_param('pay.session_minutes', 15)));
  RETURN token;
END $$;

CREATE FUNCTION bill.pay_session_house(p_token text) RETURNS int
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT house_id FROM bill.pay_session
   WHERE token_sha256 = sha256(convert_to(coalesce(p_token, ''), 'UTF8')) AND expires_at > clock_timestamp()
$$;

-- ---------------------------------------------------------------------------
-- Accounts. The page opens the current season's account when nobody has
-- yet, as the counter does on a look-up; the same steps as 0022, without
-- the cashier's role and scope (the session is the right here).
CREATE FUNCTION bill.open_account_unchecked(p_house int, p_season int) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE a bigint; h record; t record;
BEGIN
  SELECT id INTO a FROM bill.account WHERE house_id = p_house AND season_id = p_season;
  IF a IS NOT NULL THEN RETURN a; END IF;
  SELECT * INTO h FROM bill.house WHERE id = p_house AND deleted_at IS NULL;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no house % (or it is in the recycle bin)', p_house USING ERRCODE = 'P0002';
  END IF;
  SELECT tr.fen_per_m2, se.name INTO t FROM bill.season se LEFT JOIN bill.tariff tr
      ON tr.season_id = se.id AND tr.house_type = h.house_type AND tr.from_date = se.start_date
    WHERE se.id = p_season;
  IF t.fen_per_m2 IS NULL THEN
    RAISE EXCEPTION 'season % has no price for house type % (billctl tariff set)', t.name, h.house_type
      USING ERRCODE = '55000';
  END IF;
  INSERT INTO bill.account (house_id, season_id, initial_status)
  VALUES (p_house, p_season, h.heating_status)
    ON CONFLICT (house_id, season_id) DO NOTHING RETURNING id INTO a;
  IF a IS NULL THEN  -- another session opened it just now
    RETURN (SELECT id FROM bill.account WHERE house_id = p_house AND season_id = p_season);
  END IF;
  PERFORM bill.assess(ARRAY[a]);
  RETURN a;
END $$;

CREATE OR REPLACE FUNCTION bill.open_account(p_house int, p_season int) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  PERFORM bill.require_role('bill_cashier', 'opening an account');
  IF NOT bill.house_in(p_house, bill.scope_orgs(session_user)) THEN
    RAISE EXCEPTION 'house % is outside your data scope', p_house USING ERRCODE = '42501';
  END IF;
  RETURN bill.open_account_unchecked(p_house, p_season);
END $$;

-- The season of today (else the latest open one), as billctl's default.
CREATE FUNCTION bill.current_season() RETURNS int
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT id FROM bill.season
   ORDER BY (bill.today() >= start_date AND bill.today() < end_date) DESC, (closed_at IS NULL) DESC,
            start_date DESC LIMIT 1
$$;

-- The oldest account of an open season that owes, or NULL.
CREATE FUNCTION bill.pay_account_due(p_house int, OUT account_id bigint, OUT due bigint, OUT season text)
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT a.id, x.balance, se.name FROM bill.account a JOIN bill.season se ON se.id = a.season_id,
         LATERAL bill.account_sums(a.id) x
   WHERE a.house_id = p_house AND se.closed_at IS NULL AND x.balance > 0
   ORDER BY se.start_date LIMIT 1
$$;

-- Masks all but the last two characters of a room ("1-301" -> "***01")
-- and all but the first character of a name ("张三" -> "张*").
CREATE FUNCTION bill.pay_mask(p text, p_keep_head int, p_keep_tail int) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
  SELECT CASE WHEN length(p) <= p_keep_head + p_keep_tail THEN repeat('*', length(p))
              ELSE left(p, p_keep_head) || repeat('*', length(p) - p_keep_head - p_keep_tail)
                   || right(p, p_keep_tail) END
$$;

-- Why the page cannot take a payment for the house now: NULL when it can.
CREATE FUNCTION bill.pay_closed_reason(p_account bigint) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
  PERFORM bill.check_payment_way('mobile', 'wechat', p_account);
  RETURN NULL;
EXCEPTION WHEN sqlstate '55000' THEN
  RETURN 'online payment is closed';
END $$;

CREATE FUNCTION bill.pay_bill(p_token text) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE h int; s int; d record; out jsonb;
BEGIN
  h := bill.pay_session_house(p_token);
  IF h IS NULL THEN RETURN NULL; END IF;
  s := bill.current_season();
  IF s IS NOT NULL AND (SELECT closed_at IS NULL FROM bill.season WHERE id = s) THEN
    BEGIN
      PERFORM bill.open_account_unchecked(h, s);
    EXCEPTION WHEN sqlstate '55000' THEN NULL;  -- no price yet: nothing to show for it
    END;
  END IF;
  SELECT * INTO d FROM bill.pay_account_due(h);
  SELECT jsonb_build_object(
      'house', ho.code, 'community', co.name,
      'address', co.name || ' ' || b.name || CASE WHEN u.name <> '' THEN ' ' || u.name ELSE '' END
                 || ' ' || bill.pay_mask(ho.room, 0, 2),
      'customer', bill.pay_mask(coalesce(c.name, ''), 1, 0),
      'house_type', coalesce((SELECT label FROM bill.dict WHERE kind = 'house_type' AND code = ho.house_type),
                             ho.house_type),
      'charged_area_m2', ho.charged_area::text, 'heating_status', ho.heating_status,
      'due_fen', coalesce(d.due, 0), 'pays_season', d.season,
      'closed_reason', CASE WHEN d.account_id IS NOT NULL THEN bill.pay_closed_reason(d.account_id) END,
      'accounts', coalesce((SELECT jsonb_agg(jsonb_build_object(
            'season', se.name, 'start', se.start_date, 'end', se.end_date, 'closed', se.closed_at IS NOT NULL,
            'charges_fen', x.charges, 'paid_fen', x.paid, 'due_fen', x.balance,
            'late_fee_fen', (SELECT coalesce(sum(e.amount_fen), 0) FROM bill.entry e
                               LEFT JOIN bill.entry r ON r.id = e.reverses
                              WHERE e.account_id = a.id AND coalesce(r.kind, e.kind) = 'late_fee'))
            ORDER BY se.start_date DESC)
          FROM bill.account a JOIN bill.season se ON se.id = a.season_id, LATERAL bill.account_sums(a.id) x
          WHERE a.house_id = h), '[]'::jsonb),
      'receipts', coalesce((SELECT jsonb_agg(jsonb_build_object(
            'receipt_no', r.receipt_no, 'status', r.status, 'date', e.entry_date, 'season', se.name,
            'amount_fen', -e.amount_fen, 'method', e.method, 'channel', e.channel) ORDER BY e.at DESC)
          FROM (SELECT * FROM bill.entry e0 WHERE e0.account_id IN (SELECT id FROM bill.account WHERE house_id = h)
                  AND e0.kind = 'payment' ORDER BY e0.at DESC LIMIT 20) e
          JOIN bill.receipt r ON r.entry_id = e.id JOIN bill.account a ON a.id = e.account_id
          JOIN bill.season se ON se.id = a.season_id), '[]'::jsonb),
      'orders', coalesce((SELECT jsonb_agg(jsonb_build_object(
            'out_trade_no', o.out_trade_no, 'state', o.state, 'amount_fen', o.amount_fen,
            'created_at', o.created_at, 'receipt_no', o.receipt_no, 'trade_type', o.trade_type,
            'code_url', o.code_url) ORDER BY o.created_at DESC)
          FROM (SELECT * FROM bill.online_order WHERE house_id = h ORDER BY created_at DESC LIMIT 5) o), '[]'::jsonb))
    INTO out
    FROM bill.house ho JOIN bill.unit u ON u.id = ho.unit_id JOIN bill.building b ON b.id = u.building_id
    JOIN bill.community co ON co.id = b.community_id LEFT JOIN bill.customer c ON c.id = ho.customer_id
   WHERE ho.id = h;
  RETURN out;
END $$;

-- ---------------------------------------------------------------------------
-- Orders.
CREATE FUNCTION bill.pay_order_new(p_token text, p_trade_type text, p_client inet)
RETURNS TABLE (out_trade_no text, amount_fen bigint, description text, reused boolean,
               code_url text, h5_url text, prepay_id text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE h int; d record; o bill.online_order; hc text;
BEGIN
  h := bill.pay_session_house(p_token);
  IF h IS NULL THEN
    RAISE EXCEPTION 'the session has ended; look the bill up again' USING ERRCODE = '28000';
  END IF;
  IF p_trade_type NOT IN ('NATIVE', 'JSAPI', 'H5') THEN
    RAISE EXCEPTION 'unknown trade type %', p_trade_type USING ERRCODE = '22023';
  END IF;
  SELECT * INTO d FROM bill.pay_account_due(h);
  IF d.account_id IS NULL THEN
    RAISE EXCEPTION 'nothing is owed' USING ERRCODE = '55000';
  END IF;
  PERFORM bill.check_payment_way('mobile', 'wechat', d.account_id);
  -- one order at a time per account: the request that wins the lock
  -- creates it, the others reuse it
  PERFORM 1 FROM bill.account WHERE id = d.account_id FOR UPDATE;
  SELECT * INTO o FROM bill.online_order x
   WHERE x.account_id = d.account_id AND x.state IN ('created', 'open') AND x.amount_fen = d.due
     AND x.trade_type = p_trade_type AND x.expires_at > clock_timestamp() + interval '5 minutes'
   ORDER BY x.created_at DESC LIMIT 1;
  IF FOUND THEN
    RETURN QUERY SELECT o.out_trade_no, o.amount_fen, o.description, true, o.code_url, o.h5_url, o.prepay_id;
    RETURN;
  END IF;
  SELECT code INTO hc FROM bill.house WHERE id = h;
  INSERT INTO bill.online_order (out_trade_no, trade_type, house_id, account_id, amount_fen, description,
                                 client_addr, expires_at)
  VALUES ('HP' || to_char(bill.today(), 'YYYYMMDD') || lpad(nextval('bill.online_order_no')::text, 10, '0'),
          p_trade_type, h, d.account_id, d.due, left('供热费 ' || d.season || ' ' || hc, 127), p_client,
          clock_timestamp() + interval '2 hours')
  RETURNING * INTO o;
  RETURN QUERY SELECT o.out_trade_no, o.amount_fen, o.description, false, NULL::text, NULL::text, NULL::text;
END $$;

-- What WeChat answered to the order's creation (NULLs keep what is there).
CREATE FUNCTION bill.pay_order_opened(p_out_trade_no text, p_code_url text, p_prepay_id text, p_h5_url text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  UPDATE bill.online_order SET state = CASE WHEN state = 'created' THEN 'open' ELSE state END,
         code_url = coalesce(left(p_code_url, 512), code_url), prepay_id = coalesce(left(p_prepay_id, 128), prepay_id),
         h5_url = coalesce(left(p_h5_url, 1024), h5_url)
   WHERE out_trade_no = p_out_trade_no;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no order %', p_out_trade_no USING ERRCODE = 'P0002';
  END IF;
END $$;

-- ---------------------------------------------------------------------------
-- Payments. One row of bill.online_event per call; see the top.
CREATE FUNCTION bill.pay_event(p_source text, p_no text, p_tx text, p_state text, p_amount bigint,
                               p_outcome text, p_reason text) RETURNS text
LANGUAGE sql SET search_path = pg_catalog AS $$
  INSERT INTO bill.online_event (source, out_trade_no, transaction_id, trade_state, amount_fen, outcome, reason)
  VALUES (p_source, left(coalesce(p_no, ''), 64), left(p_tx, 64), left(p_state, 32), p_amount, p_outcome,
          coalesce(p_reason, ''))
  RETURNING outcome
$$;

-- Enters the payment of a locked order: a payment entry on its account
-- (channel mobile, method wechat, receipt WX-…), whatever the account
-- owes now; returns the fen paid over what was owed.
CREATE FUNCTION bill.pay_post(o bill.online_order, p_tx text, p_paid_at timestamptz,
                              OUT entry_id bigint, OUT receipt_no text, OUT overpaid bigint)
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE s record; seq int; owed bigint;
BEGIN
  SELECT se.name, se.closed_at INTO s FROM bill.account a JOIN bill.season se ON se.id = a.season_id
   WHERE a.id = o.account_id FOR UPDATE OF a;
  IF s.closed_at IS NOT NULL THEN
    RAISE EXCEPTION 'season % is closed; nothing can be entered into it', s.name USING ERRCODE = '55000';
  END IF;
  SELECT coalesce(max(e.seq), 0) + 1 INTO seq FROM bill.entry e WHERE e.account_id = o.account_id;
  owed := greatest((SELECT balance FROM bill.account_sums(o.account_id)), 0);
  INSERT INTO bill.entry (account_id, seq, kind, amount_fen, entry_date, channel, method, note)
  VALUES (o.account_id, seq, 'payment', -o.amount_fen, bill.today(), 'mobile', 'wechat',
          'WeChat Pay ' || o.out_trade_no || ' ' || p_tx)
  RETURNING id INTO entry_id;
  PERFORM set_config('heat.receipt_prefix', 'WX', true);
  receipt_no := bill.next_receipt(entry_id);
  overpaid := greatest(o.amount_fen - owed, 0);
END $$;

CREATE FUNCTION bill.pay_notified(p_source text, p_out_trade_no text, p_transaction_id text, p_trade_state text,
                                  p_amount_fen bigint, p_success_time timestamptz) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE o bill.online_order; p record;
BEGIN
  IF p_source NOT IN ('notify', 'query', 'tradebill') THEN
    RAISE EXCEPTION 'unknown source %', p_source USING ERRCODE = '22023';
  END IF;
  SELECT * INTO o FROM bill.online_order WHERE out_trade_no = p_out_trade_no FOR UPDATE;
  IF NOT FOUND THEN
    RETURN bill.pay_event(p_source, p_out_trade_no, p_transaction_id, p_trade_state, p_amount_fen,
                          'refused', 'no such order');
  END IF;
  IF p_trade_state IS DISTINCT FROM 'SUCCESS' THEN
    RETURN bill.pay_event(p_source, p_out_trade_no, p_transaction_id, p_trade_state, p_amount_fen,
                          'not_paid', '');
  END IF;
  IF coalesce(p_transaction_id, '') !~ '^[0-9A-Za-z_-]{1,64}$' THEN
    RETURN bill.pay_event(p_source, p_out_trade_no, p_transaction_id, p_trade_state, p_amount_fen,
                          'refused', 'no transaction id');
  END IF;
  IF o.state = 'paid' THEN
    RETURN bill.pay_event(p_source, p_out_trade_no, p_transaction_id, p_trade_state, p_amount_fen,
      CASE WHEN o.transaction_id = p_transaction_id AND o.amount_fen = p_amount_fen THEN 'duplicate' ELSE 'refused' END,
      CASE WHEN o.transaction_id = p_transaction_id AND o.amount_fen = p_amount_fen THEN ''
           ELSE 'the order was paid by transaction ' || o.transaction_id || ' of ' || o.amount_fen || ' fen' END);
  END IF;
  IF EXISTS (SELECT 1 FROM bill.online_order x WHERE x.transaction_id = p_transaction_id) THEN
    RETURN bill.pay_event(p_source, p_out_trade_no, p_transaction_id, p_trade_state, p_amount_fen, 'refused',
                          'transaction ' || p_transaction_id || ' paid another order');
  END IF;
  IF p_amount_fen IS DISTINCT FROM o.amount_fen THEN
    RETURN bill.pay_event(p_source, p_out_trade_no, p_transaction_id, p_trade_state, p_amount_fen, 'refused',
                          'the order is for ' || o.amount_fen || ' fen');
  END IF;
  SELECT * INTO p FROM bill.pay_post(o, p_transaction_id, p_success_time);
  UPDATE bill.online_order SET state = 'paid', transaction_id = p_transaction_id,
         paid_at = coalesce(p_success_time, clock_timestamp()), posted_by = session_user,
         entry_id = p.entry_id, receipt_no = p.receipt_no, overpaid_fen = p.overpaid
   WHERE out_trade_no = o.out_trade_no;
  RETURN bill.pay_event(p_source, p_out_trade_no, p_transaction_id, p_trade_state, p_amount_fen, 'posted', '');
END $$;

-- The reconcile job's doors (billctl wechat reconcile).
CREATE FUNCTION bill.pay_pending(p_date date)
RETURNS TABLE (out_trade_no text, amount_fen bigint, created_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT o.out_trade_no, o.amount_fen, o.created_at FROM bill.online_order o
   WHERE o.state IN ('created', 'open')
     AND o.created_at < ((p_date + 1)::timestamp AT TIME ZONE current_setting('TimeZone'))
     AND o.created_at >= ((p_date - 7)::timestamp AT TIME ZONE current_setting('TimeZone'))
   ORDER BY o.created_at
$$;

CREATE FUNCTION bill.pay_order_closed(p_out_trade_no text, p_trade_state text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  UPDATE bill.online_order SET state = 'closed', closed_state = left(p_trade_state, 32)
   WHERE out_trade_no = p_out_trade_no AND state IN ('created', 'open');
END $$;

CREATE FUNCTION bill.pay_ledger_day(p_date date)
RETURNS TABLE (out_trade_no text, transaction_id text, amount_fen bigint, receipt_no text, paid_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT o.out_trade_no, o.transaction_id, o.amount_fen, o.receipt_no, o.paid_at FROM bill.online_order o
   WHERE o.state = 'paid'
     AND o.paid_at >= (p_date::timestamp AT TIME ZONE current_setting('TimeZone'))
     AND o.paid_at < ((p_date + 1)::timestamp AT TIME ZONE current_setting('TimeZone'))
   ORDER BY o.paid_at
$$;

-- ---------------------------------------------------------------------------
-- Rights: the page's login (heat_pay) has the doors and nothing else; the
-- reconcile job runs as heat_pay or bill_admin; staff read orders and
-- events of their scope.
ALTER TABLE bill.online_order ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON bill.online_order USING (bill.house_in(house_id, (SELECT bill.scope_orgs(current_user))));
REVOKE ALL ON bill.online_order, bill.online_event, bill.pay_attempt, bill.pay_session FROM PUBLIC;
REVOKE ALL ON SEQUENCE bill.online_order_no, bill.online_event_id_seq FROM PUBLIC;
GRANT SELECT ON bill.online_order TO bill_cashier, bill_deputy, bill_production;
GRANT SELECT ON bill.online_event TO bill_admin;
REVOKE ALL ON FUNCTION bill.pay_param, bill.pay_count_attempt, bill.pay_match, bill.pay_login,
  bill.pay_session_house, bill.open_account_unchecked, bill.current_season, bill.pay_account_due,
  bill.pay_mask, bill.pay_closed_reason, bill.pay_bill, bill.pay_order_new, bill.pay_order_opened,
  bill.pay_event, bill.pay_post, bill.pay_notified, bill.pay_pending, bill.pay_order_closed,
  bill.pay_ledger_day FROM PUBLIC;
GRANT USAGE ON SCHEMA bill TO heat_pay;
GRANT EXECUTE ON FUNCTION bill.pay_login, bill.pay_bill, bill.pay_order_new, bill.pay_order_opened,
  bill.pay_notified, bill.pay_pending, bill.pay_order_closed, bill.pay_ledger_day TO heat_pay;
GRANT EXECUTE ON FUNCTION bill.pay_notified, bill.pay_pending, bill.pay_order_closed, bill.pay_ledger_day
  TO bill_admin;
