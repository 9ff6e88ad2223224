-- 0031_forecast_views.sql — how good the stored forecasts were (FC-4), for
-- heatctl forecast accuracy: aggregated here, over all the issues of a
-- period at once, so that it stays quick with an issue every hour.

-- The forecasts of one heat source or station whose origin lies within the
-- last p_days days, against the measured hours (heat.forecast_history),
-- by horizon H: over the leads 1..H of every issue (lead 1 is the origin
-- hour), the mean absolute percentage error of the load (%), its mean
-- absolute error and mean error (forecast - actual, kW) over the hours
-- whose actual load is known and above zero (points), and the mean
-- absolute error of the supply temperature (°C) over the hours where both
-- are known (supply_points). A horizon without points gives NULLs. Runs as
-- the caller: issues and points out of scope are not seen.
CREATE FUNCTION heat.forecast_accuracy(p_kind text, p_id int, p_days int)
RETURNS TABLE (horizon_h int, mape_pct double precision, mae_kw double precision, bias_kw double precision,
               points bigint, supply_mae_c double precision, supply_points bigint)
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  WITH i AS (
    SELECT id, origin FROM heat.forecast_issue
    WHERE kind = p_kind AND object_id = p_id AND origin >= now() - make_interval(days => p_days)
  ), actual AS (
    SELECT a.hour, a.load_kw, a.supply_c
    FROM (SELECT min(origin) AS f, max(origin) + interval '168 hours' AS t FROM i) span,
         heat.forecast_history(p_kind, p_id, span.f, span.t) a
    WHERE span.f IS NOT NULL
  ), by_lead AS (
    SELECT (extract(epoch FROM v.valid_time - i.origin) / 3600)::int + 1 AS lead,
           sum(abs(v.load_kw - a.load_kw) / a.load_kw) FILTER (WHERE a.load_kw > 0) AS ape,
           sum(abs(v.load_kw - a.load_kw)) FILTER (WHERE a.load_kw > 0) AS ae,
           sum(v.load_kw - a.load_kw) FILTER (WHERE a.load_kw > 0) AS e,
           count(*) FILTER (WHERE a.load_kw > 0) AS n,
           sum(abs(v.supply_c - a.supply_c)) AS se,
           count(v.supply_c - a.supply_c) AS sn
    FROM i JOIN heat.forecast_value v ON v.issue_id = i.id
    JOIN actual a ON a.hour = v.valid_time
    WHERE v.valid_time >= i.origin AND v.valid_time < i.origin + interval '168 hours'
    GROUP BY 1
  )
  SELECT h.h, 100 * sum(b.ape) / nullif(sum(b.n), 0)::float8, sum(b.ae) / nullif(sum(b.n), 0)::float8,
         sum(b.e) / nullif(sum(b.n), 0)::float8, coalesce(sum(b.n), 0)::bigint,
         sum(b.se) / nullif(sum(b.sn), 0)::float8, coalesce(sum(b.sn), 0)::bigint
  FROM unnest(ARRAY[1, 6, 12, 24, 72, 168]) h(h) LEFT JOIN by_lead b ON b.lead <= h.h
  GROUP BY h.h ORDER BY h.h
$$;

REVOKE ALL ON FUNCTION heat.forecast_accuracy FROM PUBLIC;
GRANT EXECUTE ON FUNCTION heat.forecast_accuracy TO heat_operator, heat_service;
