-- 0027_billing_scope_speed.sql — the billing scopes of 0020, cheap enough
-- for a million houses (SYS-1, BIL-3, BIL-28). The rules are 0020's,
-- unchanged; what changes is where a house's org unit is kept.
--
-- 0020's policies called PL/pgSQL per row: bill.house's looked the org
-- unit up through unit, building, station and community, bill.customer's
-- went over the customer's houses doing the same. Under row-level security
-- PostgreSQL does not use a condition that is not leakproof (LIKE, and so
-- the trigram indexes of BIL-3) as an index condition ahead of a policy,
-- so a cashier's billctl find by name, phone or pinyin read all customers
-- and ran the policy for each: 30-80 s over a million houses, 0.1 s as
-- bill_admin.
--
-- Now every house carries its org unit, bill.house.scope_org, kept by
-- triggers; the house policy compares a column; and the customer searches
-- of find go through bill.find_customer_houses, which uses the indexes and
-- checks the scope of the matches only. (Not "org_id": heat.org_of files
-- an audited row under its org_id, which would show the log of a house to
-- everyone of its org unit.)

-- Whether an org unit lies in `orgs` (NULL: everything); a house placed
-- nowhere (NULL) is seen by all. SQL, so that the planner inlines it into
-- the policy and the queries below; `orgs` is named once, as the planner
-- does not inline a function that would evaluate a sub-select twice.
CREATE FUNCTION bill.org_in(p_org int, orgs int[]) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT p_org IS NULL OR p_org = ANY (coalesce(orgs, ARRAY[p_org]))
$$;
REVOKE ALL ON FUNCTION bill.org_in FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bill.org_in TO bill_cashier, bill_deputy, bill_production, heat_service;

-- bill.house_org(station_id, unit_id) of every house. No foreign key: the
-- column is derived, and its org units are referenced where they are set.
ALTER TABLE bill.house ADD COLUMN scope_org int;

-- A house that follows its community or station to another org unit is
-- not a change to log (the community's or station's own row is logged):
-- the audit trigger of 0007 skips updates of scope_org alone.
DROP TRIGGER audit ON bill.house;
CREATE TRIGGER audit AFTER INSERT OR DELETE ON bill.house FOR EACH ROW EXECUTE FUNCTION heat.audit_row();
CREATE TRIGGER audit_update AFTER UPDATE ON bill.house FOR EACH ROW
  WHEN ((to_jsonb(OLD) - 'scope_org') IS DISTINCT FROM (to_jsonb(NEW) - 'scope_org'))
  EXECUTE FUNCTION heat.audit_row();

-- Sets scope_org where it is not bill.house_org's answer, for the houses in
-- the given units or linked to the given stations: one set-based UPDATE
-- (the join is bill.house_org's rule) touching only the houses that move.
CREATE FUNCTION bill.replace_scope_orgs(p_units int[], p_stations int[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog SET plan_cache_mode = force_custom_plan AS $$
BEGIN
  UPDATE bill.house h SET scope_org = x.org
  FROM (SELECT hh.id, coalesce(s.org_id, c.org_id) AS org FROM bill.house hh
        JOIN bill.unit u ON u.id = hh.unit_id JOIN bill.building b ON b.id = u.building_id
        JOIN bill.community c ON c.id = b.community_id
        LEFT JOIN heat.station s ON s.id = coalesce(hh.station_id, b.station_id)
        WHERE hh.unit_id = ANY (p_units) OR hh.station_id = ANY (p_stations)) x
  WHERE h.id = x.id AND h.scope_org IS DISTINCT FROM x.org;
END $$;
REVOKE ALL ON FUNCTION bill.replace_scope_orgs FROM PUBLIC;

SELECT bill.replace_scope_orgs(ARRAY(SELECT id FROM bill.unit), NULL);

-- A house's own row: computed on every write, so that nobody can write a
-- wrong one (bill_admin moving a house, a cashier changing its customer).
CREATE FUNCTION bill.house_set_scope_org() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  NEW.scope_org := bill.house_org(NEW.station_id, NEW.unit_id);
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION bill.house_set_scope_org FROM PUBLIC;
CREATE TRIGGER scope_org BEFORE INSERT OR UPDATE ON bill.house
  FOR EACH ROW EXECUTE FUNCTION bill.house_set_scope_org();

-- What a house's org unit depends on: a unit's building, a building's
-- station and community, a community's and a station's org unit. Once per
-- statement, so that placing a thousand communities is one UPDATE of
-- their houses. (Rows of these are not deleted while a house names them.)
CREATE FUNCTION bill.follow_scope_orgs() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE units int[]; stations int[] := '{}';
BEGIN
  IF TG_TABLE_NAME = 'station' THEN
    stations := ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.org_id <> o.org_id);
    units := ARRAY(SELECT u.id FROM bill.building b JOIN bill.unit u ON u.building_id = b.id
                   WHERE b.station_id = ANY (stations));
  ELSIF TG_TABLE_NAME = 'community' THEN
    units := ARRAY(SELECT u.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                   JOIN bill.building b ON b.community_id = n.id JOIN bill.unit u ON u.building_id = b.id
                   WHERE n.org_id IS DISTINCT FROM o.org_id);
  ELSIF TG_TABLE_NAME = 'building' THEN
    units := ARRAY(SELECT u.id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN bill.unit u ON u.building_id = n.id
                   WHERE (n.station_id, n.community_id) IS DISTINCT FROM (o.station_id, o.community_id));
  ELSE
    units := ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.building_id <> o.building_id);
  END IF;
  IF cardinality(units) > 0 OR cardinality(stations) > 0 THEN
    PERFORM bill.replace_scope_orgs(units, stations);
  END IF;
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION bill.follow_scope_orgs FROM PUBLIC;
CREATE TRIGGER scope_org AFTER UPDATE ON heat.station REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bill.follow_scope_orgs();
CREATE TRIGGER scope_org AFTER UPDATE ON bill.community REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bill.follow_scope_orgs();
CREATE TRIGGER scope_org AFTER UPDATE ON bill.building REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bill.follow_scope_orgs();
CREATE TRIGGER scope_org AFTER UPDATE ON bill.unit REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bill.follow_scope_orgs();

-- Finding the houses linked to a station whose org unit changes.
CREATE INDEX house_station_id_idx ON bill.house (station_id) WHERE station_id IS NOT NULL;

-- 0020's policy and functions, reading scope_org (same signatures, same
-- meaning).
ALTER POLICY scope ON bill.house USING (bill.org_in(scope_org, (SELECT bill.scope_orgs(current_user))));

CREATE OR REPLACE FUNCTION bill.house_cols_in(p_station int, p_unit int, orgs int[]) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  RETURN orgs IS NULL OR bill.org_in(bill.house_org(p_station, p_unit), orgs);
END $$;

CREATE OR REPLACE FUNCTION bill.house_in(p_house int, orgs int[]) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  RETURN orgs IS NULL OR p_house IS NULL
      OR bill.org_in((SELECT scope_org FROM bill.house WHERE id = p_house), orgs);
END $$;

CREATE OR REPLACE FUNCTION bill.account_in(p_account bigint, orgs int[]) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  RETURN orgs IS NULL OR bill.org_in((SELECT h.scope_org FROM bill.account a JOIN bill.house h ON h.id = a.house_id
                                      WHERE a.id = p_account), orgs);
END $$;

CREATE OR REPLACE FUNCTION bill.customer_in(p_customer int, orgs int[]) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  RETURN orgs IS NULL
      OR EXISTS (SELECT 1 FROM bill.house h WHERE h.customer_id = p_customer AND bill.org_in(h.scope_org, orgs))
      OR NOT EXISTS (SELECT 1 FROM bill.house WHERE customer_id = p_customer);
END $$;

-- billctl find's customer searches (BIL-3), past bill.customer's policy:
-- at most p_cap houses, in the caller's scope and not in the recycle bin,
-- whose customers match p_text (LIKE-escaped) as
--   phone         the beginning of the phone number,
--   name start    the beginning of the name,
--   name          a part of the name,
--   pinyin        a part of the pinyin keys,
--   pinyin start  the beginning of a spelling in the pinyin keys.
-- A house in scope makes its customer visible (0020), so nothing is shown
-- that the policies hide. Planned for each call's text (a prefix uses the
-- btree index only when the planner sees it), and the CASE then leaves the
-- one condition of p_kind.
CREATE FUNCTION bill.find_customer_houses(p_kind text, p_text text, p_cap int) RETURNS SETOF int
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog SET plan_cache_mode = force_custom_plan
ROWS 100 AS $$
DECLARE orgs int[] := bill.scope_orgs(session_user);
BEGIN
  IF p_kind NOT IN ('phone', 'name start', 'name', 'pinyin', 'pinyin start') THEN
    RAISE EXCEPTION 'no customer search "%"', p_kind USING ERRCODE = '22023';
  END IF;
  RETURN QUERY SELECT h.id FROM bill.customer cu JOIN bill.house h ON h.customer_id = cu.id
    WHERE CASE p_kind WHEN 'phone' THEN cu.phone LIKE p_text || '%'
                      WHEN 'name start' THEN cu.name LIKE p_text || '%'
                      WHEN 'name' THEN cu.name LIKE '%' || p_text || '%'
                      WHEN 'pinyin' THEN cu.pinyin_keys LIKE '%' || p_text || '%'
                      ELSE cu.pinyin_keys LIKE p_text || '%' OR cu.pinyin_keys LIKE '% ' || p_text || '%' END
      AND h.deleted_at IS NULL AND bill.org_in(h.scope_org, orgs)
    LIMIT p_cap;
END $$;
REVOKE ALL ON FUNCTION bill.find_customer_houses FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bill.find_customer_houses TO bill_cashier, bill_deputy, bill_production;
