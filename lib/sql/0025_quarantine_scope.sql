-- 0025_quarantine_scope.sql — three doors that were wider than the role
-- (SYS-1, DEV-2, DEV-4).
--
-- 1. The ingest quarantine (0021) showed every rejected message to every
--    operator. Each row now carries the station its key names (a device
--    address (IMEI) for CoAP, "<station>/<kind>" for MQTT, a point id from the
--    pipeline), found when the row is written; operators and engineers see
--    the rows of the stations in their scope, administrators and the
--    daemons every row, including those whose sender is unknown. Old rows
--    are removed by heatd-ingest through heat.prune_rejected
--    (ingest.rejected_keep).
-- 2. heat.ensure_reading_partitions made any month it was asked for; the
--    window that heatd-ingest keeps (ingest.max_age_*) was checked in C++
--    only. The function itself now refuses months before 2000 or more than
--    a year ahead, and more than 400 months at once.
-- 3. api.meter_month was granted to bill_cashier (0011) but read
--    heat.meter_month as the caller, which a cashier may not: it never
--    worked for the role it was made for. Its rows now come from a
--    function, scoped like everything else: a meter is seen by whoever
--    sees its station (heat scopes and billing scopes alike).

-- 1 -------------------------------------------------------------------------
ALTER TABLE heat.ingest_rejected ADD COLUMN station_id int REFERENCES heat.station ON DELETE SET NULL;

-- The station a quarantined row's key names, or NULL.
CREATE FUNCTION heat.rejected_station(p_source text, p_key text) RETURNS int
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT CASE
    WHEN p_source = 'mqtt' THEN
      (SELECT id FROM heat.station WHERE code::text = split_part(p_key, '/', 1))
    WHEN p_source = 'pipeline' AND p_key ~ '^[0-9]{1,9}$' THEN
      (SELECT coalesce(d.station_id, b.station_id) FROM heat.point p JOIN heat.device d ON d.id = p.device_id
       LEFT JOIN heat.building b ON b.id = d.building_id WHERE p.id = p_key::int)
    WHEN p_key <> '' THEN
      (SELECT coalesce(d.station_id, b.station_id) FROM heat.device d
       LEFT JOIN heat.building b ON b.id = d.building_id WHERE d.address = p_key OR d.code::text = p_key
       ORDER BY d.address = p_key DESC LIMIT 1)
  END
$$;

CREATE FUNCTION heat.rejected_set_station() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  NEW.station_id := heat.rejected_station(NEW.source, NEW.key);
  RETURN NEW;
END $$;
CREATE TRIGGER set_station BEFORE INSERT ON heat.ingest_rejected
  FOR EACH ROW EXECUTE FUNCTION heat.rejected_set_station();

ALTER TABLE heat.ingest_rejected ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON heat.ingest_rejected
  USING ((SELECT heat.is_admin(current_user)) OR station_id IN (SELECT id FROM heat.station))
  WITH CHECK ((SELECT heat.is_admin(current_user)));

-- Rows older than p_keep go; the number removed. heatd-ingest calls it.
CREATE FUNCTION heat.prune_rejected(p_keep interval) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE n bigint;
BEGIN
  IF p_keep IS NULL OR p_keep < interval '1 hour' THEN
    RAISE EXCEPTION 'quarantine retention must be at least an hour, got %', p_keep
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  DELETE FROM heat.ingest_rejected WHERE at < now() - p_keep;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;

REVOKE ALL ON FUNCTION heat.rejected_station, heat.rejected_set_station, heat.prune_rejected FROM PUBLIC;
GRANT EXECUTE ON FUNCTION heat.prune_rejected TO heat_service;

-- 2 -------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION heat.ensure_reading_partitions(from_ts timestamptz, to_ts timestamptz)
RETURNS int LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
  m date := date_trunc('month', from_ts AT TIME ZONE 'UTC')::date;
  last date := date_trunc('month', to_ts AT TIME ZONE 'UTC')::date;
  made int := 0;
  name text;
BEGIN
  IF from_ts IS NULL OR to_ts IS NULL OR m < date '2000-01-01'
     OR last > (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '12 months')::date
     OR m > last OR last > m + interval '400 months' THEN
    RAISE EXCEPTION 'reading partitions from % to % are outside the accepted window (2000-01 to a year ahead)',
      from_ts, to_ts USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('heat.reading_partitions'));
  WHILE m <= last LOOP
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

-- 3 -------------------------------------------------------------------------
CREATE FUNCTION api.meter_month_rows()
RETURNS TABLE (meter heat.code, station heat.code, month date, heat_gj double precision,
               heat_end_gj double precision, volume_m3 double precision, volume_end_m3 double precision,
               max_power_kw double precision, readings int, updated_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
  WITH scope AS (SELECT bill.scope_orgs(session_user) AS orgs)
  SELECT d.code, s.code, m.month, m.heat_gj, m.heat_end_gj, m.volume_m3, m.volume_end_m3,
         m.max_power_kw, m.readings, m.updated_at
  FROM heat.meter_month m JOIN heat.device d ON d.id = m.device_id
  LEFT JOIN heat.building b ON b.id = d.building_id
  LEFT JOIN heat.station s ON s.id = coalesce(d.station_id, b.station_id), scope
  WHERE scope.orgs IS NULL OR s.org_id = ANY (scope.orgs)
$$;
CREATE OR REPLACE VIEW api.meter_month AS SELECT * FROM api.meter_month_rows();
ALTER VIEW api.meter_month RESET (security_invoker);
REVOKE ALL ON FUNCTION api.meter_month_rows FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.meter_month_rows TO heat_operator, heat_service, bill_cashier;
