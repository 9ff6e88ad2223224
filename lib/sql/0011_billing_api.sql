-- 0011_billing_api.sql — what the SCADA side may read of billing (ARC-4,
-- heat-api(7)): each house's heating status and arrears, by the station
-- and valve point it is linked to, and the meter months (DEV-2). Billing
-- internals (entries, customers, phone numbers) are not exposed here.

-- Owner-rights view (not security_invoker): operators have no rights on
-- schema bill, and should see only these columns, not the tables.
CREATE VIEW api.house_status AS
SELECT h.code AS house, c.name AS community, b.name AS building, u.name AS unit, h.room,
       st.code AS station, p.code AS valve_point, h.heating_status,
       coalesce(ar.arrears_fen, 0) AS arrears_fen,
       EXISTS (SELECT 1 FROM bill.blacklist bl WHERE bl.house_id = h.id AND bl.removed_at IS NULL) AS blacklisted
FROM bill.house h
JOIN bill.unit u ON u.id = h.unit_id JOIN bill.building b ON b.id = u.building_id
JOIN bill.community c ON c.id = b.community_id
LEFT JOIN heat.station st ON st.id = coalesce(h.station_id, b.station_id)
LEFT JOIN heat.point p ON p.id = h.valve_point_id
LEFT JOIN LATERAL (SELECT sum(greatest(x.balance, 0)) AS arrears_fen FROM bill.account a,
                   LATERAL bill.account_sums(a.id) x WHERE a.house_id = h.id) ar ON true
WHERE h.deleted_at IS NULL;

CREATE VIEW api.meter_month WITH (security_invoker = true) AS
SELECT d.code AS meter, s.code AS station, m.month, m.heat_gj, m.heat_end_gj, m.volume_m3,
       m.volume_end_m3, m.max_power_kw, m.readings, m.updated_at
FROM heat.meter_month m JOIN heat.device d ON d.id = m.device_id
LEFT JOIN heat.station s ON s.id = d.station_id;

GRANT SELECT ON api.house_status, api.meter_month TO heat_operator, heat_service, bill_cashier;

-- BIL-5 status marks of one house for billctl show and the cashier
-- terminal: arrears over all seasons, open blacklist kinds, and the
-- household valve's latest position from SCADA (which cashiers cannot
-- read directly).
CREATE FUNCTION bill.house_marks(p_house int, OUT arrears_fen bigint, OUT blacklist text, OUT valve double precision)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT coalesce((SELECT sum(greatest(x.balance, 0)) FROM bill.account a, LATERAL bill.account_sums(a.id) x
                   WHERE a.house_id = p_house), 0)::bigint,
         (SELECT string_agg(kind, ',' ORDER BY kind) FROM bill.blacklist WHERE house_id = p_house AND removed_at IS NULL),
         (SELECT l.value FROM bill.house h JOIN heat.latest l ON l.point_id = h.valve_point_id WHERE h.id = p_house)
$$;
REVOKE ALL ON FUNCTION bill.house_marks FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bill.house_marks TO bill_cashier, bill_deputy, bill_production;

-- A station's id by code, for billing admins who may not read the SCADA
-- tables (billctl batch station); kNotFound for an unknown code.
CREATE FUNCTION bill.station_id(p_code text) RETURNS int
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE i int;
BEGIN
  SELECT id INTO i FROM heat.station WHERE code = p_code;
  IF i IS NULL THEN
    RAISE EXCEPTION 'no station %', p_code USING ERRCODE = 'P0002';
  END IF;
  RETURN i;
END $$;
REVOKE ALL ON FUNCTION bill.station_id FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bill.station_id TO bill_cashier;
