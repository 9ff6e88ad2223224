-- 0032_archive.sql — archiving raw readings (ANA-9): a month of raw
-- readings older than the configured age is dropped with its partition,
-- but only once the hourly and daily rollups are verified to count every
-- reading of it; before the drop its readings are kept as buckets of a
-- chosen interval (archive.interval: 1 to 60 minutes) in
-- heat.reading_archive, so trends of those days keep that resolution.
-- heat.archive_log says which months are gone and at what interval their
-- archive was kept; trends read it to join raw and archived history.

CREATE TABLE heat.reading_archive (
  point_id int NOT NULL,
  bucket timestamptz NOT NULL,
  width_s int NOT NULL CHECK (width_s BETWEEN 60 AND 3600 AND 3600 % width_s = 0),
  n int NOT NULL,
  sum double precision NOT NULL,
  min double precision NOT NULL,
  max double precision NOT NULL,
  PRIMARY KEY (point_id, bucket)
);
ALTER TABLE heat.reading_archive ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON heat.reading_archive USING ((SELECT heat.is_admin(current_user))
  OR point_id IN (SELECT id FROM heat.point));

-- A month may be archived twice: a late reading recreates its partition.
CREATE TABLE heat.archive_log (
  id bigserial PRIMARY KEY,
  partition text NOT NULL,
  from_ts timestamptz NOT NULL,
  to_ts timestamptz NOT NULL,
  raw_rows bigint NOT NULL,
  points int NOT NULL,
  archive_rows bigint NOT NULL,
  width_s int NOT NULL,
  rebuilt_hours int NOT NULL DEFAULT 0,   -- hourly rollups recomputed from raw first
  archived_at timestamptz NOT NULL DEFAULT now(),
  archived_by text NOT NULL DEFAULT session_user
);

GRANT SELECT ON heat.reading_archive, heat.archive_log TO heat_operator, heat_service;

-- Hourly rollups of [lo, hi) that do not count the raw readings there:
-- (point, hour, raw count, rollup count), either count NULL when absent.
CREATE FUNCTION heat.rollup_mismatches(part regclass, lo timestamptz, hi timestamptz)
RETURNS TABLE (point_id int, hour timestamptz, raw_n bigint, rollup_n bigint)
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  RETURN QUERY EXECUTE format(
    'SELECT coalesce(r.point_id, h.point_id), coalesce(r.hour, h.hour), r.c, h.n::bigint '
    'FROM (SELECT point_id, date_trunc(''hour'', ts AT TIME ZONE ''UTC'') AT TIME ZONE ''UTC'' AS hour, '
    '             count(*) AS c FROM %s GROUP BY 1, 2) r '
    'FULL JOIN (SELECT point_id, hour, n FROM heat.reading_hourly WHERE hour >= $1 AND hour < $2) h '
    '  ON h.point_id = r.point_id AND h.hour = r.hour '
    'WHERE r.c IS DISTINCT FROM h.n::bigint', part) USING lo, hi;
END $$;

-- Recomputes the hourly rollups of [lo, hi) from the raw readings of
-- `part`, and the daily rollups of the company days wholly inside it;
-- returns the hours rewritten. Raw readings are the truth while they exist.
CREATE FUNCTION heat.rebuild_rollups(part regclass, lo timestamptz, hi timestamptz, tz text)
RETURNS int LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE made int;
BEGIN
  DELETE FROM heat.reading_hourly WHERE hour >= lo AND hour < hi;
  EXECUTE format(
    'INSERT INTO heat.reading_hourly (point_id, hour, n, sum, min, max, last_value, last_ts) '
    'SELECT point_id, date_trunc(''hour'', ts AT TIME ZONE ''UTC'') AT TIME ZONE ''UTC'', count(*), sum(value), '
    '       min(value), max(value), (array_agg(value ORDER BY ts DESC))[1], max(ts) '
    'FROM %s GROUP BY 1, 2', part);
  GET DIAGNOSTICS made = ROW_COUNT;
  DELETE FROM heat.reading_daily
    WHERE day >= (lo AT TIME ZONE tz)::date + 1 AND day < (hi AT TIME ZONE tz)::date;
  EXECUTE format(
    'INSERT INTO heat.reading_daily (point_id, day, n, sum, min, max, last_value, last_ts) '
    'SELECT point_id, (ts AT TIME ZONE $1)::date, count(*), sum(value), min(value), max(value), '
    '       (array_agg(value ORDER BY ts DESC))[1], max(ts) '
    'FROM %s WHERE (ts AT TIME ZONE $1)::date >= ($2 AT TIME ZONE $1)::date + 1 '
    '  AND (ts AT TIME ZONE $1)::date < ($3 AT TIME ZONE $1)::date GROUP BY 1, 2', part)
    USING tz, lo, hi;
  RETURN made;
END $$;

-- Archives every monthly partition of heat.reading that ends before
-- now() - keep, oldest first, one transaction for all: verifies its hourly
-- rollups count every reading (else rebuilds them from raw when `rebuild`,
-- or stops with an error naming the month and the first mismatch), keeps
-- its readings as buckets of width_s seconds in heat.reading_archive,
-- drops the partition and logs it. dry_run reports without changing
-- anything. Returns one row per month considered.
CREATE FUNCTION heat.archive_readings(keep interval, width_s int, tz text, rebuild boolean, dry_run boolean)
RETURNS TABLE (partition text, from_ts timestamptz, to_ts timestamptz, raw_rows bigint, points int,
               mismatched_hours bigint, archive_rows bigint, state text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
  p record;
  bad record;
  rebuilt int;
BEGIN
  IF NOT pg_has_role(session_user, 'heat_admin', 'MEMBER') THEN
    RAISE EXCEPTION 'archiving readings needs heat_admin' USING ERRCODE = '42501';
  END IF;
  IF width_s IS NULL OR width_s < 60 OR width_s > 3600 OR 3600 % width_s <> 0 THEN
    RAISE EXCEPTION 'archive interval % s does not divide the hour (60 to 3600 s)', width_s
      USING ERRCODE = '22023';
  END IF;
  IF keep IS NULL OR keep < interval '1 day' THEN
    RAISE EXCEPTION 'raw readings are kept at least a day, not %', keep USING ERRCODE = '22023';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('heat.reading_partitions'));
  FOR p IN
    SELECT c.relname::text AS name, c.oid::regclass AS rel,
           (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \(''([^'']+)''\)'))[1]::timestamptz AS lo,
           (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \(''([^'']+)''\)'))[1]::timestamptz AS hi
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'heat.reading'::regclass
    ORDER BY 3
  LOOP
    CONTINUE WHEN p.hi > now() - keep;
    partition := p.name; from_ts := p.lo; to_ts := p.hi;
    EXECUTE format('SELECT count(*), count(DISTINCT point_id) FROM %s', p.rel) INTO raw_rows, points;
    SELECT count(*) INTO mismatched_hours FROM heat.rollup_mismatches(p.rel, p.lo, p.hi);
    archive_rows := 0;
    rebuilt := 0;
    IF mismatched_hours > 0 AND NOT rebuild THEN
      SELECT m.*, coalesce(pt.code, m.point_id::text) AS code INTO bad
        FROM heat.rollup_mismatches(p.rel, p.lo, p.hi) m LEFT JOIN heat.point pt ON pt.id = m.point_id
        ORDER BY 2, 1 LIMIT 1;
      IF dry_run THEN
        state := 'rollups incomplete'; RETURN NEXT; CONTINUE;
      END IF;
      RAISE EXCEPTION 'rollups of % are incomplete: % hour(s) differ from the raw readings, the first: point % at % (% raw, % in the rollup); nothing archived',
        p.name, mismatched_hours, bad.code, bad.hour, coalesce(bad.raw_n, 0), coalesce(bad.rollup_n, 0)
        USING ERRCODE = '55000', HINT = 'archive with rebuild to recompute them from the raw readings first';
    END IF;
    IF dry_run THEN
      state := CASE WHEN mismatched_hours > 0 THEN 'would rebuild and archive' ELSE 'would archive' END;
      RETURN NEXT; CONTINUE;
    END IF;
    IF mismatched_hours > 0 THEN
      rebuilt := heat.rebuild_rollups(p.rel, p.lo, p.hi, tz);
      IF EXISTS (SELECT 1 FROM heat.rollup_mismatches(p.rel, p.lo, p.hi)) THEN
        RAISE EXCEPTION 'rollups of % still differ after the rebuild; nothing archived', p.name;
      END IF;
    END IF;
    EXECUTE format(
      'INSERT INTO heat.reading_archive AS a (point_id, bucket, width_s, n, sum, min, max) '
      'SELECT point_id, date_bin(make_interval(secs => $1), ts, ''2000-01-01 00:00+00''), $1, '
      '       count(*), sum(value), min(value), max(value) FROM %s GROUP BY 1, 2 '
      'ON CONFLICT (point_id, bucket) DO UPDATE SET n = a.n + excluded.n, sum = a.sum + excluded.sum, '
      '  min = least(a.min, excluded.min), max = greatest(a.max, excluded.max)', p.rel) USING width_s;
    GET DIAGNOSTICS archive_rows = ROW_COUNT;
    EXECUTE format('ALTER TABLE heat.reading DETACH PARTITION %s', p.rel);
    EXECUTE format('DROP TABLE %s', p.rel);
    INSERT INTO heat.archive_log (partition, from_ts, to_ts, raw_rows, points, archive_rows, width_s, rebuilt_hours)
      VALUES (p.name, p.lo, p.hi, raw_rows, points, archive_rows, width_s, rebuilt);
    state := CASE WHEN rebuilt > 0 THEN 'rebuilt and archived' ELSE 'archived' END;
    RETURN NEXT;
  END LOOP;
END $$;
REVOKE ALL ON FUNCTION heat.rollup_mismatches, heat.rebuild_rollups, heat.archive_readings FROM PUBLIC;
GRANT EXECUTE ON FUNCTION heat.archive_readings TO heat_admin;
