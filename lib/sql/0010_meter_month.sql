-- 0010_meter_month.sql — monthly records of heat meters (DEV-2): heat,
-- volume and maximum power per meter and calendar month, the last 24
-- months. Derived from the daily rollups of the meter's points (tags
-- heat [GJ], volume [m³], power [kW]) by heat.refresh_meter_months,
-- which heatd-ingest calls every ingest.points_refresh; so a month's row
-- is as current as the readings, and a replayed frame changes nothing.

CREATE TABLE heat.meter_month (
  device_id int NOT NULL REFERENCES heat.device ON DELETE CASCADE,
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  heat_start_gj double precision,    -- the meter's register at the month's first reading
  heat_end_gj double precision,      -- ... and at its last
  heat_gj double precision GENERATED ALWAYS AS (heat_end_gj - heat_start_gj) STORED,
  volume_start_m3 double precision,
  volume_end_m3 double precision,
  volume_m3 double precision GENERATED ALWAYS AS (volume_end_m3 - volume_start_m3) STORED,
  max_power_kw double precision,
  readings int NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, month)
);

CREATE FUNCTION heat.refresh_meter_months(p_since date) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE n int;
BEGIN
  INSERT INTO heat.meter_month AS m (device_id, month, heat_start_gj, heat_end_gj, volume_start_m3,
                                     volume_end_m3, max_power_kw, readings, updated_at)
  SELECT p.device_id, date_trunc('month', rd.day)::date,
         min(rd.min) FILTER (WHERE p.tag = 'heat'), max(rd.max) FILTER (WHERE p.tag = 'heat'),
         min(rd.min) FILTER (WHERE p.tag = 'volume'), max(rd.max) FILTER (WHERE p.tag = 'volume'),
         max(rd.max) FILTER (WHERE p.tag = 'power'), coalesce(sum(rd.n) FILTER (WHERE p.tag = 'heat'), 0), now()
  FROM heat.reading_daily rd JOIN heat.point p ON p.id = rd.point_id
  JOIN heat.device d ON d.id = p.device_id
  WHERE d.kind = 'heat_meter' AND p.tag IN ('heat', 'volume', 'power')
    AND rd.day >= date_trunc('month', p_since)::date
  GROUP BY 1, 2
  ON CONFLICT (device_id, month) DO UPDATE SET heat_start_gj = EXCLUDED.heat_start_gj,
    heat_end_gj = EXCLUDED.heat_end_gj, volume_start_m3 = EXCLUDED.volume_start_m3,
    volume_end_m3 = EXCLUDED.volume_end_m3, max_power_kw = EXCLUDED.max_power_kw,
    readings = EXCLUDED.readings, updated_at = now();
  GET DIAGNOSTICS n = ROW_COUNT;
  DELETE FROM heat.meter_month WHERE month < (date_trunc('month', now()) - interval '23 months')::date;
  RETURN n;
END $$;

ALTER TABLE heat.meter_month ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON heat.meter_month
  USING ((SELECT heat.is_admin(current_user)) OR device_id IN (SELECT id FROM heat.device));
GRANT SELECT ON heat.meter_month TO heat_operator, heat_service;
REVOKE ALL ON FUNCTION heat.refresh_meter_months FROM PUBLIC;
GRANT EXECUTE ON FUNCTION heat.refresh_meter_months TO heat_service;
