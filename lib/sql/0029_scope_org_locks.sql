-- 0029_scope_org_locks.sql — a house's scope_org (0027) stays true when
-- the house and what its org unit comes from are changed at the same
-- time by two logins (BIL-28, SYS-1).
--
-- Before: moving a house into a community while another transaction moved
-- that community to another branch left the house with the community's
-- old org unit: each transaction computed from what it could see, and
-- neither saw the other's change. Now the house's own computation locks
-- the unit, building, community and station it reads (FOR SHARE), so a
-- concurrent change of any of them waits for the house's transaction, or
-- the house's waits for it and reads the committed row. Recomputations
-- after a unit, building or community moved lock the same rows.

CREATE OR REPLACE FUNCTION bill.house_set_scope_org() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE st int := NEW.station_id; comm_org int; st_org int;
BEGIN
  SELECT coalesce(st, b.station_id), c.org_id INTO st, comm_org
  FROM bill.unit u JOIN bill.building b ON b.id = u.building_id JOIN bill.community c ON c.id = b.community_id
  WHERE u.id = NEW.unit_id FOR SHARE OF u, b, c;
  SELECT org_id INTO st_org FROM heat.station WHERE id = st FOR SHARE;
  NEW.scope_org := coalesce(st_org, comm_org);
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION bill.replace_scope_orgs(p_units int[], p_stations int[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog SET plan_cache_mode = force_custom_plan AS $$
BEGIN
  UPDATE bill.house h SET scope_org = x.org
  FROM (SELECT hh.id, coalesce(s.org_id, c.org_id) AS org FROM bill.house hh
        JOIN bill.unit u ON u.id = hh.unit_id JOIN bill.building b ON b.id = u.building_id
        JOIN bill.community c ON c.id = b.community_id
        LEFT JOIN heat.station s ON s.id = coalesce(hh.station_id, b.station_id)
        WHERE hh.unit_id = ANY (p_units) OR hh.station_id = ANY (p_stations)
        FOR SHARE OF u, b, c) x
  WHERE h.id = x.id AND h.scope_org IS DISTINCT FROM x.org;
END $$;
