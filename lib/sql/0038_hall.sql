-- 0038_hall.sql — the service hall online (网上营业厅, BIL-14, BIL-24,
-- BIL-28; billctl(1) SERVICE HALL).
--
-- * Residents file requests on the payment page (heatpay.cgi, a heat_pay
--   login) through bill.hall_file, with the token of their page session
--   (bill.pay_session_house, 0036): suspension, resumption, repair,
--   installation, name change, unbinding or feedback, a detail of at
--   most 500 characters (no control character but the line feed; a
--   repair and feedback need one) and a contact phone (a mainland mobile
--   number or a landline with its area code), kept with the resident's
--   address (the one the page passes, else its session's). A house has
--   at most 5 open requests (new or taken): the 6th is refused (54000),
--   so a page cannot be used to flood the hall. bill.hall_requests_of
--   shows the house's requests with their state and the staff's answer.
-- * Staff (bill_cashier and up) see the requests of their data scope
--   (the house's, as bill.request in 0020) and move them through
--   bill.hall_take / hall_done / hall_reject: new → taken → done, new or
--   taken → rejected; done and rejected are final and carry an answer
--   for the resident. Taking a request someone else took, or finishing
--   or rejecting it, is refused unless one is a bill_supervisor.
-- * The company's information on the page (notices, the payment guide,
--   FAQ, laws, locations of halls, banks and kiosks, the company's own
--   page) is bill.hall_info, kept by bill_admin; bill.hall_info() gives
--   the published rows and the current season's tariffs to the page.
-- * Every filing and every step is a line of the operation log
--   (object_kind hall_request, the request's number); hall_info changes
--   through the audit trigger. Nobody deletes a request, and what the
--   resident filed never changes, for the owner neither.

-- A text from outside: at most `max` characters, no control character
-- but the line feed (a page's CR LF is stored as LF by the doors).
CREATE FUNCTION bill.hall_text_ok(p text, max int) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
  SELECT char_length(p) <= max AND p !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f]'
$$;

CREATE TABLE bill.hall_request (
  id bigserial PRIMARY KEY,
  house_id int NOT NULL REFERENCES bill.house,
  kind text NOT NULL CHECK (kind IN ('suspension', 'resumption', 'repair', 'installation', 'name_change',
                                     'unbinding', 'feedback')),
  detail text NOT NULL CHECK (bill.hall_text_ok(detail, 500)),
  phone text NOT NULL CHECK (phone ~ '^(1[3-9][0-9]{9}|0[1-9][0-9]{1,2}-?[1-9][0-9]{6,7})$'),
  state text NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'taken', 'done', 'rejected')),
  answer text CHECK (bill.hall_text_ok(answer, 500) AND btrim(answer) <> ''),  -- shown to the resident
  filed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  filed_by name NOT NULL DEFAULT session_user,  -- the page's login
  client inet,                                  -- the resident's address, as the page saw it
  taken_by name,
  taken_at timestamptz,
  ended_by name,
  ended_at timestamptz,
  CHECK ((taken_by IS NULL) = (taken_at IS NULL) AND (ended_by IS NULL) = (ended_at IS NULL)),
  CHECK ((state = 'new') = (taken_by IS NULL AND ended_by IS NULL) OR state = 'rejected'),
  CHECK ((state = 'taken') <= (taken_by IS NOT NULL AND ended_by IS NULL)),
  CHECK ((state IN ('done', 'rejected')) = (ended_by IS NOT NULL AND answer IS NOT NULL)),
  CHECK (state <> 'done' OR taken_by IS NOT NULL)
);
CREATE INDEX ON bill.hall_request (house_id, filed_at);
CREATE INDEX ON bill.hall_request (state) WHERE state IN ('new', 'taken');

-- What the resident filed never changes; a final state is final; no
-- request is deleted. For the owner too.
CREATE FUNCTION bill.hall_request_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.state IN ('new', 'taken')
     AND (NEW.id, NEW.house_id, NEW.kind, NEW.detail, NEW.phone, NEW.filed_at, NEW.filed_by, NEW.client)
         IS NOT DISTINCT FROM (OLD.id, OLD.house_id, OLD.kind, OLD.detail, OLD.phone, OLD.filed_at, OLD.filed_by,
                               OLD.client) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'hall request %: what was filed never changes, a done or rejected request is final, and none is deleted',
    OLD.id USING ERRCODE = '42501';
END $$;
CREATE TRIGGER guard BEFORE UPDATE OR DELETE ON bill.hall_request
  FOR EACH ROW EXECUTE FUNCTION bill.hall_request_guard();
CREATE TRIGGER guard_truncate BEFORE TRUNCATE ON bill.hall_request
  FOR EACH STATEMENT EXECUTE FUNCTION bill.append_only();

ALTER TABLE bill.hall_request ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON bill.hall_request USING (bill.house_in(house_id, (SELECT bill.scope_orgs(current_user))));

CREATE TABLE bill.hall_info (
  id serial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('notice', 'guide', 'faq', 'law', 'location', 'company')),
  title text NOT NULL CHECK (btrim(title) <> '' AND bill.hall_text_ok(title, 200) AND title !~ '\n'),
  body text NOT NULL CHECK (bill.hall_text_ok(body, 20000)),
  position int NOT NULL DEFAULT 0,       -- order within its kind
  published boolean NOT NULL DEFAULT true,
  updated_by name NOT NULL DEFAULT session_user,
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE FUNCTION bill.hall_info_stamp() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  NEW.updated_by := session_user;
  NEW.updated_at := clock_timestamp();
  RETURN NEW;
END $$;
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON bill.hall_info FOR EACH ROW EXECUTE FUNCTION bill.hall_info_stamp();
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON bill.hall_info FOR EACH ROW EXECUTE FUNCTION heat.audit_row();

-- The operation log's line of a filing or a step (BIL-24).
CREATE FUNCTION bill.hall_log(p_action text, r bill.hall_request) RETURNS void
LANGUAGE sql SET search_path = pg_catalog AS $$
  INSERT INTO heat.op_log (action, object_kind, object_code, new)
  VALUES (p_action, 'hall_request', r.id::text,
          jsonb_build_object('house', (SELECT code FROM bill.house WHERE id = r.house_id), 'kind', r.kind,
                             'state', r.state, 'detail', r.detail, 'answer', r.answer, 'client', r.client))
$$;

-- ---------------------------------------------------------------------------
-- The page's doors (heat_pay). An unknown or expired session: NULL, no rows.

CREATE FUNCTION bill.hall_file(p_token text, p_kind text, p_detail text, p_phone text, p_client inet DEFAULT NULL)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE h int := bill.pay_session_house(p_token); d text := replace(coalesce(p_detail, ''), E'\r\n', E'\n');
        ph text := replace(replace(btrim(coalesce(p_phone, '')), ' ', ''), '+86', ''); r bill.hall_request;
BEGIN
  IF h IS NULL THEN RETURN NULL; END IF;
  IF p_kind IS NULL OR p_kind NOT IN ('suspension', 'resumption', 'repair', 'installation', 'name_change',
                                      'unbinding', 'feedback') THEN
    RAISE EXCEPTION 'unknown kind of request %', p_kind USING ERRCODE = '22023';
  ELSIF char_length(d) > 500 THEN
    RAISE EXCEPTION 'the detail is at most 500 characters (got %)', char_length(d) USING ERRCODE = '22023';
  ELSIF NOT bill.hall_text_ok(d, 500) THEN
    RAISE EXCEPTION 'the detail may not hold control characters' USING ERRCODE = '22023';
  ELSIF p_kind IN ('repair', 'feedback') AND btrim(d) = '' THEN
    RAISE EXCEPTION 'a % needs a detail', p_kind USING ERRCODE = '22023';
  ELSIF ph !~ '^(1[3-9][0-9]{9}|0[1-9][0-9]{1,2}-?[1-9][0-9]{6,7})$' THEN
    RAISE EXCEPTION 'the contact phone is a mobile number (11 digits) or a landline with its area code'
      USING ERRCODE = '22023';
  END IF;
  -- One filing per house at a time, so that the limit holds under concurrency.
  PERFORM pg_advisory_xact_lock(38, h);
  IF (SELECT count(*) FROM bill.hall_request WHERE house_id = h AND state IN ('new', 'taken')) >= 5 THEN
    RAISE EXCEPTION 'this house has 5 open requests already; the service hall answers them first'
      USING ERRCODE = '54000';
  END IF;
  INSERT INTO bill.hall_request (house_id, kind, detail, phone, client)
  VALUES (h, p_kind, d, ph, coalesce(p_client, (SELECT client_addr FROM bill.pay_session
                                               WHERE token_sha256 = sha256(convert_to(p_token, 'UTF8')))))
    RETURNING * INTO r;
  PERFORM bill.hall_log('hall_file', r);
  RETURN r.id;
END $$;

CREATE FUNCTION bill.hall_requests_of(p_token text)
RETURNS TABLE (id bigint, kind text, state text, filed_at timestamptz, answer text, detail text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE h int := bill.pay_session_house(p_token);
BEGIN
  IF h IS NULL THEN RETURN; END IF;
  RETURN QUERY SELECT q.id, q.kind, q.state, q.filed_at, q.answer, q.detail FROM bill.hall_request q
    WHERE q.house_id = h ORDER BY q.filed_at DESC, q.id DESC LIMIT 100;
END $$;

-- The published information in the page's order, then the tariffs of
-- the current season (bill.current_season, 0036, as billctl's default):
-- one row per house type, its price from each date.
CREATE FUNCTION bill.hall_info() RETURNS TABLE (kind text, title text, body text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  (SELECT i.kind, i.title, i.body FROM bill.hall_info i WHERE i.published
   ORDER BY array_position(ARRAY['notice', 'guide', 'company', 'location', 'faq', 'law'], i.kind), i.position, i.id)
  UNION ALL
  (SELECT 'tariff', coalesce(d.label, t.house_type) || ' ' || s.name,
          string_agg(to_char(t.fen_per_m2 / 100.0, 'FM999990.00') || ' 元/m² (' || t.from_date || ' 起)',
                     E'\n' ORDER BY t.from_date)
   FROM bill.tariff t JOIN bill.season s ON s.id = t.season_id AND s.id = bill.current_season()
   LEFT JOIN bill.dict d ON d.kind = 'house_type' AND d.code = t.house_type
   GROUP BY t.house_type, d.label, s.name ORDER BY t.house_type)
$$;

-- ---------------------------------------------------------------------------
-- The staff's steps (bill_cashier and up, in their data scope).

-- One step of request p_id to state p_to ('taken', 'done', 'rejected').
CREATE FUNCTION bill.hall_step(p_id bigint, p_to text, p_answer text) RETURNS bill.hall_request
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE q bill.hall_request; me name := session_user; a text := nullif(btrim(replace(p_answer, E'\r\n', E'\n')), '');
BEGIN
  PERFORM bill.require_role('bill_cashier', 'handling a hall request');
  SELECT * INTO q FROM bill.hall_request WHERE id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no hall request %', p_id USING ERRCODE = 'P0002';
  ELSIF NOT bill.house_in(q.house_id, bill.scope_orgs(me)) THEN
    RAISE EXCEPTION 'hall request % is outside your data scope', p_id USING ERRCODE = '42501';
  ELSIF q.state IN ('done', 'rejected') THEN
    RAISE EXCEPTION 'hall request % is % already (by % at %); that is final', p_id, q.state, q.ended_by,
      to_char(q.ended_at, 'YYYY-MM-DD HH24:MI') USING ERRCODE = '55000';
  ELSIF p_to = 'done' AND q.state <> 'taken' THEN
    RAISE EXCEPTION 'hall request % is new: take it first (billctl hall take %)', p_id, p_id USING ERRCODE = '55000';
  ELSIF p_to = 'taken' AND q.taken_by = me THEN
    RAISE EXCEPTION 'you took hall request % already', p_id USING ERRCODE = '55000';
  ELSIF q.state = 'taken' AND q.taken_by <> me AND NOT bill.has_role('bill_supervisor') THEN
    RAISE EXCEPTION 'hall request % is taken by % (since %); only they or a bill_supervisor may handle it',
      p_id, q.taken_by, to_char(q.taken_at, 'YYYY-MM-DD HH24:MI') USING ERRCODE = '42501';
  ELSIF p_to <> 'taken' AND a IS NULL THEN
    RAISE EXCEPTION 'finishing or rejecting a hall request needs an answer for the resident' USING ERRCODE = '22023';
  ELSIF p_to <> 'taken' AND NOT bill.hall_text_ok(a, 500) THEN
    RAISE EXCEPTION 'the answer is at most 500 characters, with no control characters' USING ERRCODE = '22023';
  END IF;
  IF p_to = 'taken' THEN
    UPDATE bill.hall_request SET state = 'taken', taken_by = me, taken_at = clock_timestamp()
      WHERE id = p_id RETURNING * INTO q;
  ELSE
    UPDATE bill.hall_request SET state = p_to, answer = a, ended_by = me, ended_at = clock_timestamp()
      WHERE id = p_id RETURNING * INTO q;
  END IF;
  PERFORM bill.hall_log('hall_' || CASE p_to WHEN 'taken' THEN 'take' WHEN 'done' THEN 'done' ELSE 'reject' END, q);
  RETURN q;
END $$;

CREATE FUNCTION bill.hall_take(p_id bigint) RETURNS bill.hall_request
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$ SELECT bill.hall_step(p_id, 'taken', NULL) $$;
CREATE FUNCTION bill.hall_done(p_id bigint, p_answer text) RETURNS bill.hall_request
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$ SELECT bill.hall_step(p_id, 'done', p_answer) $$;
CREATE FUNCTION bill.hall_reject(p_id bigint, p_answer text) RETURNS bill.hall_request
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$ SELECT bill.hall_step(p_id, 'rejected', p_answer) $$;

-- ---------------------------------------------------------------------------
GRANT USAGE ON SCHEMA bill TO heat_pay;
REVOKE ALL ON bill.hall_request, bill.hall_info FROM PUBLIC;
GRANT SELECT ON bill.hall_request, bill.hall_info TO bill_cashier;
GRANT INSERT, UPDATE, DELETE ON bill.hall_info TO bill_admin;
GRANT USAGE ON SEQUENCE bill.hall_info_id_seq TO bill_admin;
REVOKE ALL ON FUNCTION bill.hall_text_ok, bill.hall_request_guard, bill.hall_info_stamp, bill.hall_log, bill.hall_file,
  bill.hall_requests_of, bill.hall_info(), bill.hall_step, bill.hall_take, bill.hall_done, bill.hall_reject FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bill.hall_text_ok TO bill_cashier;  -- the CHECK constraints call it
GRANT EXECUTE ON FUNCTION bill.hall_file, bill.hall_requests_of, bill.hall_info() TO heat_pay;
GRANT EXECUTE ON FUNCTION bill.hall_take, bill.hall_done, bill.hall_reject TO bill_cashier;
