-- 0020_billing_scope.sql — billing has data scopes too (SYS-1, BIL-28).
--
-- A house belongs to the org unit of its station (its own link, else its
-- building's), else to its community's org unit; a house placed nowhere
-- yet is seen by every billing role (bill_admin places it). A person sees
-- and changes the houses of their data scope (heatctl user grant --org,
-- the same org tree as SCADA) and everything hanging off them: accounts,
-- entries, receipts, requests, status changes, cards, blacklist entries,
-- documents, related houses, and customers (a customer without a house
-- is seen by all). bill_admin, heat_admin and the daemons see all.
-- The SECURITY DEFINER doors (bill.post, bill.charge, bill.change_status,
-- bill.request_open, bill.decide, bill.reprint) check the scope in
-- bill.lock_account; api.house_status shows each role its scope.

-- The org units whose houses `who` sees; NULL: all of them.
CREATE FUNCTION bill.scope_orgs(who name) RETURNS int[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  IF heat.is_admin(who) OR pg_has_role(who, 'bill_admin', 'MEMBER') THEN RETURN NULL; END IF;
  RETURN heat.visible_orgs(who);
END $$;

-- The org unit of a house given its station link and unit (see the top).
CREATE FUNCTION bill.house_org(p_station int, p_unit int) RETURNS int
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE st int := p_station; comm int;
BEGIN
  SELECT coalesce(st, b.station_id), b.community_id INTO st, comm
    FROM bill.unit u JOIN bill.building b ON b.id = u.building_id WHERE u.id = p_unit;
  RETURN coalesce((SELECT org_id FROM heat.station WHERE id = st),
                  (SELECT org_id FROM bill.community WHERE id = comm));
END $$;

-- Whether a house (by its columns, by id, by account) lies in `orgs`
-- (NULL: everything). Policies pass (SELECT bill.scope_orgs(current_user))
-- so that the scope is computed once per statement.
CREATE FUNCTION bill.house_cols_in(p_station int, p_unit int, orgs int[]) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE o int;
BEGIN
  IF orgs IS NULL THEN RETURN true; END IF;
  o := bill.house_org(p_station, p_unit);
  RETURN o IS NULL OR o = ANY (orgs);
END $$;

CREATE FUNCTION bill.house_in(p_house int, orgs int[]) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE h record;
BEGIN
  IF orgs IS NULL OR p_house IS NULL THEN RETURN true; END IF;
  SELECT station_id, unit_id INTO h FROM bill.house WHERE id = p_house;
  RETURN NOT FOUND OR bill.house_cols_in(h.station_id, h.unit_id, orgs);
END $$;

CREATE FUNCTION bill.account_in(p_account bigint, orgs int[]) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  IF orgs IS NULL THEN RETURN true; END IF;
  RETURN bill.house_in((SELECT house_id FROM bill.account WHERE id = p_account), orgs);
END $$;

-- Receipts and request steps hang off entries and requests: looked up
-- here, past the policies (a row the caller cannot see must not read as
-- "no account", which is in scope).
CREATE FUNCTION bill.entry_in(p_entry bigint, orgs int[]) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  IF orgs IS NULL THEN RETURN true; END IF;
  RETURN bill.account_in((SELECT account_id FROM bill.entry WHERE id = p_entry), orgs);
END $$;

CREATE FUNCTION bill.request_in(p_request bigint, orgs int[]) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  IF orgs IS NULL THEN RETURN true; END IF;
  RETURN bill.account_in((SELECT account_id FROM bill.request WHERE id = p_request), orgs);
END $$;

CREATE FUNCTION bill.customer_in(p_customer int, orgs int[]) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  IF orgs IS NULL THEN RETURN true; END IF;
  RETURN NOT EXISTS (SELECT 1 FROM bill.house WHERE customer_id = p_customer)
      OR EXISTS (SELECT 1 FROM bill.house h WHERE h.customer_id = p_customer
                 AND bill.house_cols_in(h.station_id, h.unit_id, orgs));
END $$;

GRANT EXECUTE ON FUNCTION bill.scope_orgs, bill.house_cols_in, bill.house_in, bill.account_in, bill.entry_in,
  bill.request_in, bill.customer_in TO bill_cashier, bill_deputy, bill_production, heat_service;

ALTER TABLE bill.house ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON bill.house
  USING (bill.house_cols_in(station_id, unit_id, (SELECT bill.scope_orgs(current_user))));
ALTER TABLE bill.customer ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON bill.customer USING (bill.customer_in(id, (SELECT bill.scope_orgs(current_user))));
ALTER TABLE bill.house_relation ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON bill.house_relation
  USING (bill.house_in(main_id, (SELECT bill.scope_orgs(current_user)))
         AND bill.house_in(sub_id, (SELECT bill.scope_orgs(current_user))));
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['account', 'card', 'blacklist', 'house_document'] LOOP
    EXECUTE format('ALTER TABLE bill.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY scope ON bill.%I '
                   'USING (bill.house_in(house_id, (SELECT bill.scope_orgs(current_user))))', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['entry', 'request', 'status_event'] LOOP
    EXECUTE format('ALTER TABLE bill.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY scope ON bill.%I '
                   'USING (bill.account_in(account_id, (SELECT bill.scope_orgs(current_user))))', t);
  END LOOP;
END $$;
ALTER TABLE bill.receipt ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON bill.receipt USING (bill.entry_in(entry_id, (SELECT bill.scope_orgs(current_user))));
ALTER TABLE bill.request_step ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON bill.request_step
  USING (bill.request_in(request_id, (SELECT bill.scope_orgs(current_user))));

-- As in 0009, refusing an account outside the caller's scope first: every
-- door to the ledger goes through here.
CREATE OR REPLACE FUNCTION bill.lock_account(p_account bigint, p_expected_seq int) RETURNS int
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE s record; next_seq int;
BEGIN
  IF NOT bill.account_in(p_account, bill.scope_orgs(session_user)) THEN
    RAISE EXCEPTION 'account % is outside your data scope', p_account USING ERRCODE = '42501';
  END IF;
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

-- As in 0011, for houses in the caller's scope only (NULL outside it).
CREATE OR REPLACE FUNCTION bill.house_marks(p_house int, OUT arrears_fen bigint, OUT blacklist text,
                                            OUT valve double precision)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT coalesce((SELECT sum(greatest(x.balance, 0)) FROM bill.account a, LATERAL bill.account_sums(a.id) x
                   WHERE a.house_id = p_house), 0)::bigint,
         (SELECT string_agg(kind, ',' ORDER BY kind) FROM bill.blacklist WHERE house_id = p_house AND removed_at IS NULL),
         (SELECT l.value FROM bill.house h JOIN heat.latest l ON l.point_id = h.valve_point_id WHERE h.id = p_house)
  WHERE bill.house_in(p_house, bill.scope_orgs(session_user))
$$;

-- api.house_status (0011) was an owner-rights view: it showed every house
-- to every reader, whatever their scope, and bill_deputy and
-- bill_production could not read it. Its rows now come from this
-- function, scoped by the reader's login.
CREATE FUNCTION api.house_status_rows()
RETURNS TABLE (house text, community text, building text, unit text, room text, station heat.code,
               valve_point text, heating_status text, arrears_fen numeric, blacklisted boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT h.code, c.name, b.name, u.name, h.room, st.code, p.code, h.heating_status,
         coalesce(ar.arrears_fen, 0),
         EXISTS (SELECT 1 FROM bill.blacklist bl WHERE bl.house_id = h.id AND bl.removed_at IS NULL)
  FROM bill.house h
  JOIN bill.unit u ON u.id = h.unit_id JOIN bill.building b ON b.id = u.building_id
  JOIN bill.community c ON c.id = b.community_id
  LEFT JOIN heat.station st ON st.id = coalesce(h.station_id, b.station_id)
  LEFT JOIN heat.point p ON p.id = h.valve_point_id
  LEFT JOIN LATERAL (SELECT sum(greatest(x.balance, 0)) AS arrears_fen FROM bill.account a,
                     LATERAL bill.account_sums(a.id) x WHERE a.house_id = h.id) ar ON true
  WHERE h.deleted_at IS NULL AND bill.house_cols_in(h.station_id, h.unit_id, bill.scope_orgs(session_user))
$$;
CREATE OR REPLACE VIEW api.house_status AS SELECT * FROM api.house_status_rows();
REVOKE ALL ON FUNCTION api.house_status_rows FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.house_status_rows TO heat_operator, heat_service, bill_cashier, bill_deputy,
  bill_production;
GRANT SELECT ON api.house_status TO heat_operator, heat_service, bill_cashier, bill_deputy, bill_production;
