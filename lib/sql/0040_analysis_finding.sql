-- 0040_analysis_finding.sql — the health check's findings (ANA-6, ANA-10):
-- abnormal devices with the likely fault, the evidence and the advice,
-- stored by heatctl analyse health --write (and heat-health.timer), raised
-- as alarms by heatd-alarm; and what the suspected heat-theft analysis
-- reads from billing.
--
-- Who may do what:
--   heat_operator  reads the findings of the stations in scope;
--   heat_engineer  also stores them (the health check run by hand);
--   heat_service   stores them (the timer) and, as heatd-alarm, raises
--                  and clears their alarms (heat.analysis_finding_alarms);
--   the heat-theft inputs (heat.analysis_theft_houses) give SCADA people
--   the heating status of the houses of their stations, not the accounts.

-- One finding: a rule of the rule base held on an object (a station or a
-- device in a building; a point of it) over a window. The same rule on the
-- same object and point again is the same finding while it is open: its
-- window, evidence and last_seen move on. A finding no longer seen when its
-- station is checked again is resolved; if it comes back it is a new one.
CREATE TABLE heat.analysis_finding (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rule text NOT NULL CHECK (rule ~ '^[a-z][a-z0-9_-]{0,62}$'),
  object_kind text NOT NULL CHECK (object_kind IN ('station', 'device', 'point', 'house')),
  object_code text NOT NULL CHECK (object_code <> '' AND length(object_code) <= 96),
  point_code text NOT NULL DEFAULT '' CHECK (length(point_code) <= 96),
  station_id int NOT NULL REFERENCES heat.station ON DELETE CASCADE,
  window_from timestamptz NOT NULL,
  window_to timestamptz NOT NULL,
  severity smallint NOT NULL CHECK (severity BETWEEN 1 AND 4),
  title text NOT NULL CHECK (title <> '' AND length(title) <= 1000),
  fault text NOT NULL CHECK (fault <> '' AND length(fault) <= 1000),
  advice text NOT NULL CHECK (advice <> '' AND length(advice) <= 1000),
  evidence jsonb NOT NULL CHECK (jsonb_typeof(evidence) = 'object' AND octet_length(evidence::text) <= 65536),
  first_seen timestamptz NOT NULL DEFAULT now(),
  last_seen timestamptz NOT NULL DEFAULT now(),
  state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved')),
  resolved_at timestamptz,
  alarm_id bigint REFERENCES heat.alarm ON DELETE SET NULL,
  found_by name NOT NULL DEFAULT session_user,
  CHECK (window_to >= window_from),
  CHECK ((state = 'resolved') = (resolved_at IS NOT NULL))
);
CREATE UNIQUE INDEX analysis_finding_open ON heat.analysis_finding (rule, object_kind, object_code, point_code)
  WHERE state = 'open';
CREATE INDEX analysis_finding_station ON heat.analysis_finding (station_id, last_seen);
CREATE INDEX analysis_finding_alarm ON heat.analysis_finding (state) WHERE alarm_id IS NULL;

ALTER TABLE heat.analysis_finding ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON heat.analysis_finding USING ((SELECT heat.is_admin(current_user))
  OR station_id IN (SELECT id FROM heat.station));
REVOKE ALL ON heat.analysis_finding FROM PUBLIC;
GRANT SELECT ON heat.analysis_finding TO heat_operator, heat_service;
GRANT INSERT, UPDATE ON heat.analysis_finding TO heat_engineer, heat_service;

-- heatd-alarm: every open finding without an alarm is raised as one (rule
-- code finding:RULE, source the point or object, priority the severity,
-- the message its title, fault and advice); the alarm of a resolved
-- finding clears. Returns the ids of the alarms raised.
CREATE FUNCTION heat.analysis_finding_alarms() RETURNS SETOF bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE f heat.analysis_finding; aid bigint; msg text;
BEGIN
  FOR f IN SELECT * FROM heat.analysis_finding WHERE state = 'open' AND alarm_id IS NULL ORDER BY id FOR UPDATE LOOP
    msg := left(f.title || ': ' || f.fault || ' — ' || f.advice, 1000);
    INSERT INTO heat.alarm (rule_code, kind, source, station_id, priority, raised_at, message)
    VALUES ('finding:' || f.rule, 'finding', coalesce(nullif(f.point_code, ''), f.object_code), f.station_id,
            f.severity, now(), msg)
    ON CONFLICT (rule_code, source) WHERE active DO NOTHING
    RETURNING id INTO aid;
    IF aid IS NULL THEN  -- still active from an earlier finding of the same rule and source
      SELECT id INTO aid FROM heat.alarm
      WHERE rule_code = 'finding:' || f.rule AND source = coalesce(nullif(f.point_code, ''), f.object_code) AND active;
    ELSE
      INSERT INTO heat.alarm_event (alarm_id, what, comment) VALUES (aid, 'raise', 'finding ' || f.id);
      RETURN NEXT aid;
    END IF;
    UPDATE heat.analysis_finding SET alarm_id = aid WHERE id = f.id;
  END LOOP;
  WITH cleared AS (
    UPDATE heat.alarm a SET active = false, cleared_at = now()
    FROM heat.analysis_finding r
    WHERE r.alarm_id = a.id AND r.state = 'resolved' AND a.active AND a.kind = 'finding'
      AND NOT EXISTS (SELECT 1 FROM heat.analysis_finding o WHERE o.alarm_id = a.id AND o.state = 'open')
    RETURNING a.id)
  INSERT INTO heat.alarm_event (alarm_id, what, comment) SELECT id, 'clear', 'finding resolved' FROM cleared;
  RETURN;
END $$;

-- Suspected heat theft's inputs (ANA-10) over [p_from, p_to): every house
-- of a station in the caller's scope with its heating status, unit, room
-- and charged area, the heat building its devices are in, and what its own
-- room sensor (mean °C) and heat meter (kWh counted) reported. A device is
-- a house's when its settings name it ("house": CODE); a heat meter in a
-- building that names no house is the building's entry meter
-- (heat.analysis_theft_buildings).
CREATE FUNCTION heat.analysis_theft_houses(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (house text, status text, unit text, room text, area_m2 double precision, station text,
               building text, room_c double precision, meter_kwh double precision)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  PERFORM heat.analysis_require();
  RETURN QUERY
  WITH own AS (
    SELECT d.settings->>'house' AS house, d.kind, b.code::text AS building, p.id AS point_id, p.tag
    FROM heat.device d JOIN heat.point p ON p.device_id = d.id LEFT JOIN heat.building b ON b.id = d.building_id
    WHERE d.settings ? 'house' AND ((d.kind = 'room_sensor' AND p.tag = 'temp') OR (d.kind = 'heat_meter' AND p.tag = 'heat')))
  SELECT h.code, h.heating_status, h.unit_id::text, h.room, h.charged_area::double precision, s.code::text,
         (SELECT min(o.building) FROM own o WHERE o.house = h.code),
         (SELECT sum(r.sum) / nullif(sum(r.n), 0) FROM own o JOIN heat.reading_hourly r ON r.point_id = o.point_id
          WHERE o.house = h.code AND o.tag = 'temp' AND r.hour >= p_from AND r.hour < p_to),
         (SELECT (max(r.last_value) - min(r.last_value)) * 1000 / 3.6 FROM own o
          JOIN heat.reading_hourly r ON r.point_id = o.point_id
          WHERE o.house = h.code AND o.tag = 'heat' AND r.hour >= p_from AND r.hour < p_to)
  FROM bill.house h
  JOIN bill.unit u ON u.id = h.unit_id JOIN bill.building bb ON bb.id = u.building_id
  JOIN heat.station s ON s.id = coalesce(h.station_id, bb.station_id)  -- the house's own, else its building's
  WHERE h.deleted_at IS NULL AND heat.analysis_sees(s.org_id)
  ORDER BY h.code;
END $$;

CREATE FUNCTION heat.analysis_theft_buildings(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (building text, meter_kwh double precision)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  PERFORM heat.analysis_require();
  RETURN QUERY
  SELECT b.code::text, (max(r.last_value) - min(r.last_value)) * 1000 / 3.6
  FROM heat.building b JOIN heat.station s ON s.id = b.station_id
  JOIN heat.device d ON d.building_id = b.id AND d.kind = 'heat_meter' AND NOT d.settings ? 'house'
  JOIN heat.point p ON p.device_id = d.id AND p.tag = 'heat'
  JOIN heat.reading_hourly r ON r.point_id = p.id AND r.hour >= p_from AND r.hour < p_to
  WHERE heat.analysis_sees(s.org_id)
  GROUP BY b.code ORDER BY b.code;
END $$;

CREATE FUNCTION heat.analysis_require() RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  IF NOT (pg_has_role(session_user, 'heat_operator', 'MEMBER') OR pg_has_role(session_user, 'heat_service', 'MEMBER')) THEN
    RAISE EXCEPTION 'the heat-theft analysis needs the role heat_operator' USING ERRCODE = 'insufficient_privilege';
  END IF;
END $$;

CREATE FUNCTION heat.analysis_sees(p_org int) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT heat.is_admin(session_user) OR p_org = ANY (heat.visible_orgs(session_user))
$$;

REVOKE ALL ON FUNCTION heat.analysis_finding_alarms, heat.analysis_theft_houses, heat.analysis_theft_buildings,
  heat.analysis_require, heat.analysis_sees FROM PUBLIC;
GRANT EXECUTE ON FUNCTION heat.analysis_finding_alarms TO heat_service;
GRANT EXECUTE ON FUNCTION heat.analysis_theft_houses, heat.analysis_theft_buildings TO heat_operator, heat_service;
