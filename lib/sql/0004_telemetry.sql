-- 0004_telemetry.sql — readings (DESIGN §6): raw readings range-partitioned
-- by month, the latest value per point, hourly and daily rollups, device
-- online state. Scoped like the points they belong to (SYS-1).

CREATE TABLE heat.reading (
  point_id int NOT NULL,
  ts timestamptz NOT NULL,
  value double precision NOT NULL,
  quality smallint NOT NULL DEFAULT 0,   -- 0 good; bits: 1 out of range, 2 substituted, 4 device fault
  PRIMARY KEY (point_id, ts)             -- a point has one value per instant
) PARTITION BY RANGE (ts);

-- Creates the monthly partitions heat.reading_YYYYMM covering [from_ts, to_ts]
-- that do not exist yet; returns how many it created. Daemons call it ahead
-- of time; it is idempotent and safe to call concurrently.
CREATE FUNCTION heat.ensure_reading_partitions(from_ts timestamptz, to_ts timestamptz)
RETURNS int LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
  m date := date_trunc('month', from_ts AT TIME ZONE 'UTC')::date;
  made int := 0;
  name text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('heat.reading_partitions'));
  WHILE m <= (to_ts AT TIME ZONE 'UTC')::date LOOP
    name := 'reading_' || to_char(m, 'YYYYMM');
    IF to_regclass('heat.' || name) IS NULL THEN
      EXECUTE format('CREATE TABLE heat.%I PARTITION OF heat.reading '
                     'FOR VALUES FROM (%L) TO (%L)', name,
                     (m::timestamp AT TIME ZONE 'UTC'),
                     ((m + interval '1 month')::timestamp AT TIME ZONE 'UTC'));
      made := made + 1;
    END IF;
    m := (m + interval '1 month')::date;
  END LOOP;
  RETURN made;
END $$;
SELECT heat.ensure_reading_partitions(now() - interval '1 month', now() + interval '3 months');

CREATE TABLE heat.latest (
  point_id int PRIMARY KEY REFERENCES heat.point ON DELETE CASCADE,
  ts timestamptz NOT NULL,
  value double precision NOT NULL,
  quality smallint NOT NULL DEFAULT 0,
  received_at timestamptz NOT NULL DEFAULT now()
);

-- Rollups: avg = sum / n. Hours are UTC instants; days are calendar days in
-- the company time zone (site.timezone), as reports need.
CREATE TABLE heat.reading_hourly (
  point_id int NOT NULL,
  hour timestamptz NOT NULL,
  n int NOT NULL,
  sum double precision NOT NULL,
  min double precision NOT NULL,
  max double precision NOT NULL,
  last_value double precision NOT NULL,
  last_ts timestamptz NOT NULL,
  PRIMARY KEY (point_id, hour)
);
CREATE TABLE heat.reading_daily (
  point_id int NOT NULL,
  day date NOT NULL,
  n int NOT NULL,
  sum double precision NOT NULL,
  min double precision NOT NULL,
  max double precision NOT NULL,
  last_value double precision NOT NULL,
  last_ts timestamptz NOT NULL,
  PRIMARY KEY (point_id, day)
);

CREATE TABLE heat.device_status (
  device_id int PRIMARY KEY REFERENCES heat.device ON DELETE CASCADE,
  online boolean NOT NULL DEFAULT false,
  since timestamptz NOT NULL DEFAULT now(),   -- when online last changed
  last_seen timestamptz,
  detail text
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['reading', 'latest', 'reading_hourly', 'reading_daily'] LOOP
    EXECUTE format('ALTER TABLE heat.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY scope ON heat.%I USING ((SELECT heat.is_admin(current_user)) '
                   'OR point_id IN (SELECT id FROM heat.point))', t);
  END LOOP;
END $$;
ALTER TABLE heat.device_status ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON heat.device_status
  USING ((SELECT heat.is_admin(current_user)) OR device_id IN (SELECT id FROM heat.device));

GRANT SELECT ON heat.reading, heat.latest, heat.reading_hourly, heat.reading_daily,
  heat.device_status TO heat_operator, heat_service;
GRANT INSERT, UPDATE ON heat.reading, heat.latest, heat.reading_hourly, heat.reading_daily,
  heat.device_status TO heat_service;
GRANT EXECUTE ON FUNCTION heat.ensure_reading_partitions TO heat_service;
