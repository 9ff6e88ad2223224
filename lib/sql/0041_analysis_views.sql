-- 0041_analysis_views.sql — what the operation analyses read (ANA-1,
-- ANA-4, ANA-5, ANA-7; heatctl(1) ANALYSIS, reportgen(1)): the hourly
-- means of the stations' control-box and PLC points, of the room sensors,
-- and the station days of production with their outdoor temperature and
-- primary flow.
--
-- Like api.report_station_day (0033) they run as the caller: row-level
-- security of points, devices, buildings and stations applies, so a person
-- sees the analyses of the stations of their scope and nothing else.
-- heatctl computes the statistics from these rows (lib/heat/analysis/);
-- the reports etc/reports/analysis-*.yaml aggregate them in SQL.

-- The hourly means of the tags `p_tags` of every station's control boxes
-- and PLCs, hours p_from <= hour < p_to (a tag reported by two devices of
-- a station is their mean, weighted by readings), with the station's org
-- unit and its pump's frequency limits (limits.pump_min_hz and
-- pump_max_hz of heat.control_config; without them control::SafetyLimits'
-- defaults, 20 and 50 Hz).
CREATE FUNCTION api.analysis_station_hour(p_from timestamptz, p_to timestamptz, p_tags text[])
RETURNS TABLE (station text, org text, hour timestamptz, tag text, mean double precision, min double precision,
               max double precision, n bigint, pump_min_hz double precision, pump_max_hz double precision)
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT s.code::text, o.code::text, r.hour, p.tag, sum(r.sum) / sum(r.n), min(r.min), max(r.max), sum(r.n)::bigint,
         coalesce((c.limits->>'pump_min_hz')::float8, 20), coalesce((c.limits->>'pump_max_hz')::float8, 50)
  FROM heat.station s
  JOIN heat.org_unit o ON o.id = s.org_id
  LEFT JOIN heat.control_config c ON c.station_id = s.id
  JOIN heat.device d ON d.station_id = s.id AND d.kind IN ('control_box', 'plc')
  JOIN heat.point p ON p.device_id = d.id AND p.tag = ANY (p_tags)
  JOIN heat.reading_hourly r ON r.point_id = p.id AND r.hour >= p_from AND r.hour < p_to AND r.n > 0
  GROUP BY s.code, o.code, r.hour, p.tag, c.limits
$$;

-- The hourly mean of every room sensor (point tag temp) of the buildings
-- a station heats, with its org unit, building and floor: the device's
-- setting "floor" when given (read through heat.device_settings, as
-- operators may not read the settings column), else the number before 层
-- in its name ("3号楼9层室温采集器": 9), else NULL (unknown).
CREATE FUNCTION api.analysis_room_hour(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (station text, org text, building text, building_name text, floor int, sensor text,
               hour timestamptz, temp_c double precision)
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  WITH sensor AS MATERIALIZED (
    SELECT d.id, d.code::text AS code, s.code::text AS station, o.code::text AS org, b.code::text AS building,
           b.name AS building_name,
           coalesce(CASE WHEN f.v ~ '^-?[0-9]{1,3}$' THEN f.v::int END,
                    substring(d.name FROM '([0-9]{1,3})层')::int) AS floor
    FROM heat.device d
    JOIN heat.building b ON b.id = d.building_id JOIN heat.station s ON s.id = b.station_id
    JOIN heat.org_unit o ON o.id = s.org_id
    CROSS JOIN LATERAL (SELECT heat.device_settings(d.id)->>'floor' AS v) f
    WHERE d.kind = 'room_sensor')
  SELECT x.station, x.org, x.building, x.building_name, x.floor, x.code, r.hour, r.sum / r.n
  FROM sensor x
  JOIN heat.point p ON p.device_id = x.id AND p.tag = 'temp'
  JOIN heat.reading_hourly r ON r.point_id = p.id AND r.hour >= p_from AND r.hour < p_to AND r.n > 0
$$;

-- The station days of api.report_station_day with the day's mean primary
-- flow (f1, m³/h) and outdoor temperature: the station's own outdoor
-- points (outdoor_from 'station'), else the mean of every outdoor point
-- the caller sees that day ('network'), else the weather forecast of the
-- day's hours, each hour as last issued before it ('forecast'); NULL when
-- none is known. Days are the company's (the daily rollups').
CREATE FUNCTION api.analysis_station_day(p_from date, p_to date)
RETURNS TABLE (day date, org text, source text, source_name text, station text, station_name text,
               area_m2 numeric, heat_gj double precision, water_m3 double precision, power_kwh double precision,
               plan_heat_gj double precision, f1_m3h double precision, outdoor_c double precision,
               outdoor_from text)
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  WITH daily AS (
    SELECT dv.station_id, p.tag, r.day, sum(r.sum) / sum(r.n) AS v
    FROM heat.point p JOIN heat.device dv ON dv.id = p.device_id
    JOIN heat.reading_daily r ON r.point_id = p.id AND r.day BETWEEN p_from AND p_to AND r.n > 0
    WHERE p.tag IN ('f1', 'tout') AND dv.station_id IS NOT NULL
    GROUP BY dv.station_id, p.tag, r.day
  ), city AS (
    SELECT day, avg(v) AS v FROM daily WHERE tag = 'tout' GROUP BY day
  ), forecast AS (
    SELECT (w.valid_time AT TIME ZONE current_setting('TimeZone'))::date AS day, avg(w.temp_c) AS v
    FROM (SELECT DISTINCT ON (valid_time) valid_time, temp_c FROM heat.weather_forecast
          WHERE valid_time >= p_from::timestamp AT TIME ZONE current_setting('TimeZone')
            AND valid_time < (p_to + 1)::timestamp AT TIME ZONE current_setting('TimeZone')
            AND issued <= valid_time AND temp_c IS NOT NULL
          ORDER BY valid_time, issued DESC) w
    GROUP BY 1
  )
  SELECT d.day, d.org, d.source, d.source_name, d.station, d.station_name, d.area_m2, d.heat_gj, d.water_m3,
         d.power_kwh, d.plan_heat_gj, f.v, coalesce(t.v, c.v, w.v),
         CASE WHEN t.v IS NOT NULL THEN 'station' WHEN c.v IS NOT NULL THEN 'network'
              WHEN w.v IS NOT NULL THEN 'forecast' END
  FROM api.report_station_day(p_from, p_to) d
  JOIN heat.station s ON s.code::text = d.station
  LEFT JOIN daily f ON f.station_id = s.id AND f.day = d.day AND f.tag = 'f1'
  LEFT JOIN daily t ON t.station_id = s.id AND t.day = d.day AND t.tag = 'tout'
  LEFT JOIN city c ON c.day = d.day
  LEFT JOIN forecast w ON w.day = d.day
$$;

REVOKE ALL ON FUNCTION api.analysis_station_hour, api.analysis_room_hour, api.analysis_station_day FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.analysis_station_hour, api.analysis_room_hour, api.analysis_station_day
  TO heat_operator, heat_service;
