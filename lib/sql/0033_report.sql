-- 0033_report.sql — what reportgen's reports read (ANA-9, BIL-19, BIL-20,
-- BIL-22; reportgen(1), heat-api(7)).
--
-- Billing: houses, accounts, ledger entries and status changes with their
-- address, customer, station and org unit. Billing roles may not read the
-- SCADA tables (stations, org units), so, like api.house_status (0020),
-- the rows come from SECURITY DEFINER functions that apply the reader's
-- billing scope themselves: bill.org_in(house.scope_org,
-- bill.scope_orgs(session_user)), the rule of the bill.house policy (0027),
-- computed once per call instead of once per row. The functions take the
-- period (or season) so that a day's report reads a day's entries. The
-- views over them are security_invoker; only billing roles may call them.
--
-- Production: station days of heat (q1, GJ), make-up water (mw_m3) and
-- electricity (kwh) from the daily rollups of their cumulative counters,
-- as the caller (row-level security of points and stations applies), and
-- a monthly plan per station, heat.production_plan, filled by engineers
-- with plain SQL or psql's \copy (reportgen(1)).
--
-- reportgen narrows a report to an org unit and the units below it
-- (--org X) with api.org_subtree; it never widens what the scope shows.

-- The org unit `p_code` and every unit below it, by code. The tree is no
-- secret (heatctl shows it to every platform role); an unknown code is
-- P0002 (not found).
CREATE FUNCTION api.org_subtree(p_code text) RETURNS SETOF text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM heat.org_unit WHERE code = p_code) THEN
    RAISE EXCEPTION 'no org unit %', p_code USING ERRCODE = 'P0002';
  END IF;
  RETURN QUERY WITH RECURSIVE t(id, code) AS (
    SELECT id, code FROM heat.org_unit WHERE code = p_code
    UNION ALL SELECT o.id, o.code FROM heat.org_unit o JOIN t ON o.parent_id = t.id)
  SELECT t.code FROM t;
END $$;

-- The floor of a room numbered as usual ("1203": floor 12, "501": 5);
-- NULL for other names ("A", "底商").
CREATE FUNCTION api.room_floor(p_room text) RETURNS int
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
  SELECT CASE WHEN p_room ~ '^[0-9]{3,5}$' THEN left(p_room, length(p_room) - 2)::int END
$$;

-- Where a house is and who it belongs to, by house id: the joins every
-- billing report needs, once. Internal (no grants): read only inside the
-- SECURITY DEFINER functions below, which apply the scope.
CREATE VIEW bill.house_place AS
  SELECT h.id, h.code AS house, c.name AS community, b.name AS building, u.name AS unit, h.room,
         api.room_floor(h.room) AS floor, cu.name AS customer, coalesce(cu.customer_type, 'resident') AS customer_type,
         h.house_type, h.charged_area, h.heating_status, st.code::text AS station, st.name AS station_name,
         o.code AS org, o.name AS org_name, h.scope_org, h.deleted_at
  FROM bill.house h
  JOIN bill.unit u ON u.id = h.unit_id JOIN bill.building b ON b.id = u.building_id
  JOIN bill.community c ON c.id = b.community_id
  LEFT JOIN bill.customer cu ON cu.id = h.customer_id
  LEFT JOIN heat.station st ON st.id = coalesce(h.station_id, b.station_id)
  LEFT JOIN heat.org_unit o ON o.id = h.scope_org;
REVOKE ALL ON bill.house_place FROM PUBLIC;

-- Every house in the reader's scope (not in the recycle bin) with where it
-- is and who it belongs to.
CREATE FUNCTION api.report_house_rows()
RETURNS TABLE (house text, community text, building text, unit text, room text, floor int, customer text,
               customer_type text, house_type text, charged_area numeric, heating_status text, station text,
               station_name text, org text, org_name text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT p.house, p.community, p.building, p.unit, p.room, p.floor, p.customer, p.customer_type, p.house_type,
         p.charged_area, p.heating_status, p.station, p.station_name, p.org, p.org_name
  FROM bill.house_place p
  WHERE p.deleted_at IS NULL AND bill.org_in(p.scope_org, (SELECT bill.scope_orgs(session_user)))
$$;
CREATE VIEW api.report_house WITH (security_invoker = true) AS SELECT * FROM api.report_house_rows();

-- The accounts of one season (by name; '' every season that has started)
-- with their sums (billing/ledger.h): due = charges net of reversals,
-- paid = money received net, balance = owed (negative: a credit), and the
-- parts of the charges. The seasons are found once (not bill.today() per
-- row), a season's accounts are summed in memory, not on disk, and
-- without JIT compilation, which cost more than it saved over a million
-- houses (scripts/bench-reportgen).
CREATE FUNCTION api.report_account(p_season text)
RETURNS TABLE (house text, season text, season_start date, community text, building text, unit text,
               room text, floor int, customer text, customer_type text, house_type text,
               charged_area numeric, heating_status text, station text, station_name text, org text,
               org_name text, assessed_fen bigint, discount_fen bigint, reduction_fen bigint,
               late_fee_fen bigint, adjustment_fen bigint, due_fen bigint, paid_fen bigint, balance_fen bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog SET work_mem = '256MB' SET jit = off AS $$
  WITH se AS MATERIALIZED (
    SELECT id, name, start_date FROM bill.season
    WHERE name = p_season OR (p_season = '' AND start_date <= bill.today())
  ), s AS (
    SELECT a.id AS account_id,
           sum(e.amount_fen) FILTER (WHERE e.of_kind = 'assessed') AS assessed,
           sum(e.amount_fen) FILTER (WHERE e.of_kind = 'discount') AS discount,
           sum(e.amount_fen) FILTER (WHERE e.of_kind = 'reduction') AS reduction,
           sum(e.amount_fen) FILTER (WHERE e.of_kind = 'late_fee') AS late_fee,
           sum(e.amount_fen) FILTER (WHERE e.of_kind = 'adjustment') AS adjustment,
           sum(e.amount_fen) FILTER (WHERE e.of_kind IN ('payment', 'refund')) AS paid,
           sum(e.amount_fen) AS balance
    FROM se JOIN bill.account a ON a.season_id = se.id
    -- A reversal counts as the kind it reverses, looked up for reversals
    -- only (not a hash of every entry).
    JOIN (SELECT x.account_id, x.amount_fen,
                 CASE WHEN x.reverses IS NULL THEN x.kind
                      ELSE (SELECT r.kind FROM bill.entry r WHERE r.id = x.reverses) END AS of_kind
          FROM bill.entry x) e ON e.account_id = a.id
    GROUP BY a.id)
  SELECT p.house, se.name, se.start_date, p.community, p.building, p.unit, p.room, p.floor, p.customer,
         p.customer_type, p.house_type, p.charged_area, p.heating_status, p.station, p.station_name, p.org,
         p.org_name,
         coalesce(s.assessed, 0)::bigint, coalesce(s.discount, 0)::bigint, coalesce(s.reduction, 0)::bigint,
         coalesce(s.late_fee, 0)::bigint, coalesce(s.adjustment, 0)::bigint,
         (coalesce(s.balance, 0) - coalesce(s.paid, 0))::bigint, (-coalesce(s.paid, 0))::bigint,
         coalesce(s.balance, 0)::bigint
  FROM se JOIN bill.account a ON a.season_id = se.id
  JOIN bill.house_place p ON p.id = a.house_id
  LEFT JOIN s ON s.account_id = a.id
  WHERE p.deleted_at IS NULL AND bill.org_in(p.scope_org, (SELECT bill.scope_orgs(session_user)))
$$;

-- Ledger entries of business days p_from..p_to (the journal, BIL-19).
-- takings_fen is money received: payments and refunds and their
-- reversals, as received (+) or paid back (−); hall is the receipt prefix
-- (the hall's when heat.receipt_prefix is set, else the cashier's login).
CREATE FUNCTION api.report_entry(p_from date, p_to date)
RETURNS TABLE (entry_id bigint, entry_date date, at timestamptz, house text, community text, building text,
               unit text, room text, customer text, customer_type text, season text, kind text, of_kind text,
               amount_fen bigint, takings_fen bigint, channel text, method text, receipt_no text,
               receipt_status text, cashier text, hall text, reason text, note text, station text, org text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT e.id, e.entry_date, e.at, p.house, p.community, p.building, p.unit, p.room, p.customer,
         p.customer_type, se.name, e.kind, coalesce(r.kind, e.kind), e.amount_fen,
         CASE WHEN coalesce(r.kind, e.kind) IN ('payment', 'refund') THEN -e.amount_fen ELSE 0 END,
         coalesce(e.channel, r.channel), coalesce(e.method, r.method), coalesce(rc.receipt_no, rr.receipt_no),
         rc.status, e.by_login, coalesce(rc.prefix, rr.prefix, e.by_login), q.reason, e.note, p.station, p.org
  FROM bill.entry e
  JOIN bill.account a ON a.id = e.account_id JOIN bill.season se ON se.id = a.season_id
  JOIN bill.house_place p ON p.id = a.house_id
  LEFT JOIN bill.entry r ON r.id = e.reverses
  LEFT JOIN bill.receipt rc ON rc.entry_id = e.id
  LEFT JOIN bill.receipt rr ON rr.entry_id = r.id
  LEFT JOIN bill.request q ON q.id = coalesce(e.request_id, r.request_id)
  WHERE e.entry_date BETWEEN p_from AND p_to
    AND bill.org_in(p.scope_org, (SELECT bill.scope_orgs(session_user)))
$$;
CREATE INDEX entry_entry_date_idx ON bill.entry (entry_date);

-- Heating-status changes (报停, 复热, 退网, 复网; BIL-10) dated p_from..p_to.
CREATE FUNCTION api.report_status_event(p_from date, p_to date)
RETURNS TABLE (event_date date, kind text, house text, community text, building text, unit text, room text,
               customer text, season text, adjustment_fen bigint, by_login text, at timestamptz, org text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT ev.event_date, ev.kind, p.house, p.community, p.building, p.unit, p.room, p.customer, se.name,
         coalesce(en.amount_fen, 0), ev.by_login, ev.at, p.org
  FROM bill.status_event ev
  JOIN bill.account a ON a.id = ev.account_id JOIN bill.season se ON se.id = a.season_id
  JOIN bill.house_place p ON p.id = a.house_id
  LEFT JOIN bill.entry en ON en.id = ev.entry_id
  WHERE ev.event_date BETWEEN p_from AND p_to
    AND bill.org_in(p.scope_org, (SELECT bill.scope_orgs(session_user)))
$$;

-- The season a report means: the one named, else the one containing
-- today, else the latest that has started; P0002 for an unknown name.
CREATE FUNCTION api.report_season(p_name text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE n text;
BEGIN
  IF coalesce(p_name, '') <> '' THEN
    SELECT name INTO n FROM bill.season WHERE name = p_name;
    IF n IS NULL THEN RAISE EXCEPTION 'no season %', p_name USING ERRCODE = 'P0002'; END IF;
    RETURN n;
  END IF;
  SELECT name INTO n FROM bill.season WHERE start_date <= bill.today()
    ORDER BY (bill.today() < end_date) DESC, start_date DESC LIMIT 1;
  RETURN coalesce(n, '');
END $$;

-- Labels for the codes reports show: channels and methods, dictionary
-- entries (house and customer types, reasons), ledger entry kinds,
-- heating statuses and status changes.
CREATE VIEW api.report_label WITH (security_invoker = true) AS
  SELECT kind, code, label FROM bill.channel
  UNION ALL SELECT kind, code, label FROM bill.dict
  UNION ALL SELECT * FROM (VALUES
    ('entry', 'assessed', '应收热费'), ('entry', 'discount', '优惠'), ('entry', 'reduction', '减免'),
    ('entry', 'late_fee', '违约金'), ('entry', 'payment', '缴费'), ('entry', 'refund', '退费'),
    ('entry', 'adjustment', '调整'), ('entry', 'reversal', '红冲'),
    ('heating_status', 'heating', '供热'), ('heating_status', 'suspended', '报停'),
    ('heating_status', 'disconnected', '退网'),
    ('status_event', 'suspend', '报停'), ('status_event', 'resume', '复热'),
    ('status_event', 'disconnect', '退网'), ('status_event', 'reconnect', '复网')) v(kind, code, label);

REVOKE ALL ON FUNCTION api.report_season FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.report_season TO bill_cashier, bill_deputy, bill_production;
REVOKE ALL ON api.report_label FROM PUBLIC;
GRANT SELECT ON api.report_label TO bill_cashier, bill_deputy, bill_production;

REVOKE ALL ON FUNCTION api.org_subtree, api.room_floor, api.report_house_rows, api.report_account, api.report_entry,
  api.report_status_event FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.org_subtree TO heat_operator, heat_service, bill_cashier, bill_deputy,
  bill_production;
GRANT EXECUTE ON FUNCTION api.report_house_rows, api.report_account, api.report_entry, api.report_status_event
  TO bill_cashier, bill_deputy, bill_production;
REVOKE ALL ON api.report_house FROM PUBLIC;
GRANT SELECT ON api.report_house TO bill_cashier, bill_deputy, bill_production;

-- ---------------------------------------------------------------------------
-- Production (ANA-9).

-- A station's plan for a month (the first day of the month): heat, make-up
-- water and electricity. Scoped like its station.
CREATE TABLE heat.production_plan (
  station heat.code NOT NULL REFERENCES heat.station (code) ON UPDATE CASCADE,
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  heat_gj numeric(14, 3) CHECK (heat_gj >= 0),
  water_m3 numeric(14, 3) CHECK (water_m3 >= 0),
  power_kwh numeric(14, 3) CHECK (power_kwh >= 0),
  PRIMARY KEY (station, month)
);
ALTER TABLE heat.production_plan ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON heat.production_plan USING (station IN (SELECT code FROM heat.station));
REVOKE ALL ON heat.production_plan FROM PUBLIC;
GRANT SELECT ON heat.production_plan TO heat_operator, heat_service;
GRANT INSERT, UPDATE, DELETE ON heat.production_plan TO heat_engineer;
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON heat.production_plan
  FOR EACH ROW EXECUTE FUNCTION heat.audit_row();

-- One row per station and day p_from..p_to: what its counters q1 (GJ),
-- mw_m3 and kwh advanced that day (the day's last value less the previous
-- day's, or less the day's first when there is none; a counter that went
-- back, e.g. a replaced meter, is NULL that day), its heat source, heating
-- area, and the day's share of the month's plan. As the caller.
CREATE FUNCTION api.report_station_day(p_from date, p_to date)
RETURNS TABLE (day date, org text, source text, source_name text, station text, station_name text,
               area_m2 numeric, heat_gj double precision, water_m3 double precision,
               power_kwh double precision, plan_heat_gj double precision, plan_water_m3 double precision,
               plan_power_kwh double precision)
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  WITH used AS (
    SELECT station_id, tag, day, CASE WHEN v >= 0 THEN v END AS v FROM (
      SELECT dv.station_id, p.tag, r.day,
             r.last_value - coalesce(lag(r.last_value) OVER (PARTITION BY r.point_id ORDER BY r.day), r.min) AS v
      FROM heat.point p JOIN heat.device dv ON dv.id = p.device_id
      JOIN heat.reading_daily r ON r.point_id = p.id AND r.day BETWEEN p_from - 1 AND p_to
      WHERE p.tag IN ('q1', 'mw_m3', 'kwh') AND dv.station_id IS NOT NULL) x
    WHERE day >= p_from)
  SELECT d.day::date, o.code, hs.code, hs.name, s.code, s.name, s.heating_area_m2,
         sum(u.v) FILTER (WHERE u.tag = 'q1'), sum(u.v) FILTER (WHERE u.tag = 'mw_m3'),
         sum(u.v) FILTER (WHERE u.tag = 'kwh'),
         max(pl.heat_gj)::float8 / extract(day FROM (date_trunc('month', d.day) + interval '1 month - 1 day')),
         max(pl.water_m3)::float8 / extract(day FROM (date_trunc('month', d.day) + interval '1 month - 1 day')),
         max(pl.power_kwh)::float8 / extract(day FROM (date_trunc('month', d.day) + interval '1 month - 1 day'))
  FROM heat.station s CROSS JOIN generate_series(p_from, p_to, interval '1 day') d(day)
  JOIN heat.org_unit o ON o.id = s.org_id
  LEFT JOIN heat.network n ON n.id = s.network_id LEFT JOIN heat.heat_source hs ON hs.id = n.source_id
  LEFT JOIN used u ON u.station_id = s.id AND u.day = d.day::date
  LEFT JOIN heat.production_plan pl ON pl.station = s.code AND pl.month = date_trunc('month', d.day)::date
  GROUP BY d.day, o.code, hs.code, hs.name, s.code, s.name, s.heating_area_m2
$$;
REVOKE ALL ON FUNCTION api.report_station_day FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.report_station_day TO heat_operator, heat_service;
