-- 0030_forecast.sql — weather forecasts and heat-load / supply-temperature
-- forecasts (FC-1..4).
--
-- Who may do what, enforced here whatever the client:
--   heat_operator  reads weather and the forecasts of the sources and
--                  stations in scope;
--   heat_engineer  also imports weather forecasts (heatctl weather import);
--   heat_service   (heatd-forecast, and a weather timer running as a service
--                  login) imports weather, writes forecast issues and thins
--                  old ones.

-- Hourly weather forecasts of a site (a town, a weather station), as
-- issued: a later issue does not overwrite an earlier one, so what was
-- known at any time can be replayed; importing the same issue again
-- replaces its values.
CREATE TABLE heat.weather_forecast (
  site heat.code NOT NULL,
  issued timestamptz NOT NULL,
  valid_time timestamptz NOT NULL,
  temp_c double precision NOT NULL CHECK (temp_c BETWEEN -80 AND 70),
  wind_ms double precision CHECK (wind_ms BETWEEN 0 AND 100),
  solar_wm2 double precision CHECK (solar_wm2 BETWEEN 0 AND 1500),
  humidity_pct double precision CHECK (humidity_pct BETWEEN 0 AND 100),
  cloud_pct double precision CHECK (cloud_pct BETWEEN 0 AND 100),
  source text NOT NULL CHECK (source IN ('csv', 'qweather')),
  imported_by name NOT NULL DEFAULT session_user,
  imported_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site, issued, valid_time),
  CHECK (valid_time >= issued - interval '1 day' AND valid_time <= issued + interval '16 days')
);
CREATE INDEX ON heat.weather_forecast (site, valid_time, issued DESC);

-- One forecast as issued for a heat source or a station: for the hours from
-- origin on. Kept with its issue time so that forecast and actual can be
-- compared for any lead; older issues are thinned to one a day.
CREATE TABLE heat.forecast_issue (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('source', 'station')),
  object_id int NOT NULL,
  code text NOT NULL,
  org_id int NOT NULL REFERENCES heat.org_unit,
  issued_at timestamptz NOT NULL DEFAULT now(),
  origin timestamptz NOT NULL CHECK (date_trunc('hour', origin) = origin),
  horizon_h int NOT NULL CHECK (horizon_h BETWEEN 1 AND 336),
  weather text NOT NULL CHECK (weather IN ('forecast', 'partial', 'none')),
  supply_from text NOT NULL CHECK (supply_from IN ('curve', 'learned', 'none')),
  history_h int NOT NULL CHECK (history_h >= 0),
  -- the model's expected error by lead ({"1": rmse_kw, ...}) and notes
  model jsonb NOT NULL DEFAULT '{}',
  UNIQUE (kind, object_id, origin)
);
CREATE INDEX ON heat.forecast_issue (code, origin);

CREATE TABLE heat.forecast_value (
  issue_id bigint NOT NULL REFERENCES heat.forecast_issue ON DELETE CASCADE,
  valid_time timestamptz NOT NULL,
  load_kw double precision NOT NULL CHECK (load_kw = load_kw),
  load_lo double precision NOT NULL CHECK (load_lo <= load_kw),
  load_hi double precision NOT NULL CHECK (load_hi >= load_kw),
  supply_c double precision CHECK (supply_c BETWEEN -50 AND 200),
  outdoor_c double precision CHECK (outdoor_c BETWEEN -80 AND 70),  -- the temperature the forecast assumed
  PRIMARY KEY (issue_id, valid_time)
);

ALTER TABLE heat.forecast_issue ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON heat.forecast_issue
  USING (org_id = ANY ((SELECT heat.visible_orgs(current_user))::int[]));
ALTER TABLE heat.forecast_value ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON heat.forecast_value USING (issue_id IN (SELECT id FROM heat.forecast_issue));

GRANT SELECT ON heat.weather_forecast, heat.forecast_issue, heat.forecast_value TO heat_operator, heat_service;
GRANT INSERT, UPDATE ON heat.weather_forecast TO heat_engineer, heat_service;
GRANT DELETE ON heat.weather_forecast TO heat_service;
GRANT INSERT, DELETE ON heat.forecast_issue, heat.forecast_value TO heat_service;

-- The measured hourly history of a source or station, from the hourly
-- rollups of its stations' points: load_kw the sum of the stations' heat
-- power (pw1), only for hours in which every station of a source reported
-- one; supply_c the mean of the secondary supply (t2s) for a station and of
-- the primary supply (t1s) for a source; outdoor_c the mean of the outdoor
-- points (tout). Runs as the caller: the points out of scope are not seen.
CREATE FUNCTION heat.forecast_history(p_kind text, p_id int, p_from timestamptz, p_to timestamptz)
RETURNS TABLE (hour timestamptz, load_kw double precision, supply_c double precision, outdoor_c double precision)
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  WITH st AS (
    SELECT s.id FROM heat.station s
    WHERE (p_kind = 'station' AND s.id = p_id)
       OR (p_kind = 'source' AND s.network_id IN (SELECT n.id FROM heat.network n WHERE n.source_id = p_id))
  ), pts AS (
    SELECT p.id, p.tag FROM heat.point p JOIN heat.device d ON d.id = p.device_id
    WHERE d.station_id IN (SELECT id FROM st)
      AND p.tag IN ('pw1', 'tout', CASE WHEN p_kind = 'station' THEN 't2s' ELSE 't1s' END)
  ), h AS (
    SELECT r.hour, p.tag, r.sum / r.n AS v
    FROM heat.reading_hourly r JOIN pts p ON p.id = r.point_id
    WHERE r.hour >= p_from AND r.hour < p_to AND r.n > 0
  )
  SELECT h.hour,
         CASE WHEN count(*) FILTER (WHERE tag = 'pw1') = (SELECT count(*) FROM pts WHERE tag = 'pw1')
              THEN sum(v) FILTER (WHERE tag = 'pw1') END,
         avg(v) FILTER (WHERE tag IN ('t1s', 't2s')),
         avg(v) FILTER (WHERE tag = 'tout')
  FROM h GROUP BY h.hour ORDER BY h.hour
$$;

REVOKE ALL ON FUNCTION heat.forecast_history FROM PUBLIC;
GRANT EXECUTE ON FUNCTION heat.forecast_history TO heat_operator, heat_service;
