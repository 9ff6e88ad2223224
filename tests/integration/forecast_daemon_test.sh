#!/usr/bin/env bash
# heatd-forecast (FC-1..4) on a month of hourly history whose load is a
# known function of the outdoor temperature: an issue of 168 hours for the
# source and each station, as the service login; without weather forecasts
# it says so and goes on, with them it follows them; a station on its
# heating curve forecasts its supply from the curve, one without learns it;
# issues are scoped by org unit; old issues are thinned to one a day; a
# bad configuration is refused at start and on SIGHUP.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
cat >"$TMP/net.yaml" <<YAML
org_units: [{code: CO, name: 公司}, {code: BR1, name: 一分, parent: CO}, {code: BR2, name: 二分, parent: CO}]
heat_sources: [{code: SRC, name: 热源, kind: chp, org: CO}]
networks: [{code: NET, name: 一级网, kind: primary, org: CO, source: SRC}]
stations:
  - {code: T1, name: 一站, org: BR1, network: NET}
  - {code: T2, name: 二站, org: BR2, network: NET}
devices:
  - code: T1-BOX
    name: 一站控制箱
    kind: control_box
    protocol: mqtt
    station: T1
    points: [{tag: pw1}, {tag: t1s}, {tag: t2s}, {tag: tout}]
  - code: T2-BOX
    name: 二站控制箱
    kind: control_box
    protocol: mqtt
    station: T2
    points: [{tag: pw1}, {tag: t1s}, {tag: t2s}, {tag: tout}]
YAML
heatctl import "$TMP/net.yaml" >/dev/null
heatctl user add svc_$$ --role heat_service >/dev/null
heatctl user add op1_$$ --role heat_operator --org BR1 >/dev/null
# 30 days up to the current hour. Outdoor: a daily swing and a slow wave.
# T1 uses 500 + 40 (16 - tout) kW, T2 300 + 25 (16 - tout); T2's pw1 is
# missing for one hour (the source's load is then unknown, not T1 alone).
sql "
CREATE FUNCTION pg_temp.tout(h timestamptz) RETURNS float8 LANGUAGE sql AS
  \$\$ SELECT -8 + 5 * sin(2 * pi() * extract(epoch FROM h) / 86400) + 4 * sin(extract(epoch FROM h) / 300000) \$\$;
INSERT INTO heat.reading_hourly (point_id, hour, n, sum, min, max, last_value, last_ts)
SELECT p.id, h, 1, v, v, v, v, h
FROM generate_series(date_trunc('hour', now()) - interval '30 days', date_trunc('hour', now()) - interval '1 hour',
                     interval '1 hour') h
CROSS JOIN heat.point p
CROSS JOIN LATERAL (SELECT CASE p.tag
    WHEN 'tout' THEN pg_temp.tout(h)
    WHEN 'pw1' THEN CASE WHEN p.code = 'T1.pw1' THEN 500 + 40 * (16 - pg_temp.tout(h)) ELSE 300 + 25 * (16 - pg_temp.tout(h)) END
    WHEN 't2s' THEN 45 - 0.9 * pg_temp.tout(h)
    ELSE 95 - 1.2 * pg_temp.tout(h) END AS v) x
WHERE NOT (p.code = 'T2.pw1' AND h = date_trunc('hour', now()) - interval '50 hours');"
T1=$(sql "SELECT id FROM heat.station WHERE code = 'T1'")
sql "INSERT INTO heat.control_config (station_id, enabled, config) VALUES ($T1, true,
     '{\"valve\": \"outdoor_compensation\", \"curve\": {\"slope\": 1.2, \"max_supply_c\": 80}}')"
printf 'db:\n  conninfo: "host=%s port=%s dbname=%s user=svc_%s"\nforecast:\n  weather_site: URC\n' \
  "$PGHOST" "$PGPORT" "$PGDATABASE" "$$" >"$TMP/heat.yaml"
start_fc() { heatd-forecast --config "$TMP/heat.yaml" >>"$TMP/fc.log" 2>&1 & FC=$!; }
stop_fc() { kill $FC 2>/dev/null; wait $FC 2>/dev/null || true; }
trap 'kill $FC 2>/dev/null || true; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT

heatd-forecast --config "$TMP/heat.yaml" --check-config >/dev/null && ok "--check-config accepts the file" ||
  fail "--check-config"
sed 's/weather_site: URC/season_start: "13-40"/' "$TMP/heat.yaml" >"$TMP/bad.yaml"
expect_exit 2 "a bad season start is refused at start" heatd-forecast --config "$TMP/bad.yaml" --check-config

# --- a round at start: no weather forecasts yet ------------------------------
start_fc
eventually "SELECT count(*) FROM heat.forecast_issue" 3 && ok "a round at start: an issue for SRC, T1 and T2" ||
  { fail "issues: $(sql 'SELECT code FROM heat.forecast_issue')"; cat "$TMP/fc.log" >&2; }
got=$(sql "SELECT string_agg(code || ':' || horizon_h || ':' || weather || ':' || supply_from || ':' ||
             (SELECT count(*) FROM heat.forecast_value v WHERE v.issue_id = i.id), ' ' ORDER BY code)
           FROM heat.forecast_issue i WHERE origin = date_trunc('hour', now())")
[ "$got" = "SRC:168:none:learned:168 T1:168:none:curve:168 T2:168:none:learned:168" ] &&
  ok "168 hours each, weather 'none' said, T1's supply from its curve, the others learnt" || fail "issues: $got"
got=$(sql "SELECT bool_and(history_h BETWEEN 690 AND 720) FROM heat.forecast_issue")
[ "$got" = t ] && ok "about 720 hours learnt (the source less the hour T2 missed)" ||
  fail "history_h: $(sql 'SELECT code, history_h FROM heat.forecast_issue')"
got=$(sql "SELECT bool_and(supply_c BETWEEN 35 AND 80) FROM heat.forecast_value v JOIN heat.forecast_issue i
           ON i.id = v.issue_id WHERE i.code = 'T1'")
[ "$got" = t ] && ok "T1's supply within the curve's limits" || fail "T1 supply: $got"
stop_fc

# --- with a weather forecast: the next round follows it -----------------------
sql "INSERT INTO heat.weather_forecast (site, issued, valid_time, temp_c, source)
     SELECT 'URC', now() - interval '1 hour', h,
            -8 + 5 * sin(2 * pi() * extract(epoch FROM h) / 86400) + 4 * sin(extract(epoch FROM h) / 300000), 'csv'
     FROM generate_series(date_trunc('hour', now()), date_trunc('hour', now()) + interval '167 hours', interval '1 hour') h"
start_fc
eventually "SELECT weather FROM heat.forecast_issue WHERE code = 'T1'" forecast &&
  ok "a restart issues again for the hour, now with the weather forecast" || fail "weather: $(sql "SELECT weather FROM heat.forecast_issue WHERE code = 'T1'")"
stop_fc
got=$(sql "SELECT count(*) FROM heat.forecast_issue")
[ "$got" = 3 ] && ok "the hour's issue was replaced, not doubled" || fail "$got issues"
# The truth of the coming hours is known here: T1 = 500 + 40 (16 - tout).
got=$(sql "SELECT max(abs(load_kw - (500 + 40 * (16 - outdoor_c))) / (500 + 40 * (16 - outdoor_c)))
           FROM heat.forecast_value v JOIN heat.forecast_issue i ON i.id = v.issue_id
           WHERE i.code = 'T1' AND v.valid_time < i.origin + interval '24 hours'")
python3 -c "import sys; sys.exit(0 if float('$got') < 0.03 else 1)" &&
  ok "T1's next 24 hours within 3 % of the known answer (worst $got)" || fail "T1 off by $got"
got=$(sql "SELECT max(abs(v.load_kw - t1.load_kw - t2.load_kw) / v.load_kw)
           FROM heat.forecast_value v JOIN heat.forecast_issue i ON i.id = v.issue_id AND i.code = 'SRC'
           JOIN heat.forecast_value t1 ON t1.valid_time = v.valid_time AND t1.issue_id = (SELECT id FROM heat.forecast_issue WHERE code = 'T1')
           JOIN heat.forecast_value t2 ON t2.valid_time = v.valid_time AND t2.issue_id = (SELECT id FROM heat.forecast_issue WHERE code = 'T2')")
python3 -c "import sys; sys.exit(0 if float('$got') < 0.03 else 1)" &&
  ok "the source's forecast is the sum of its stations' within 3 % (worst $got)" || fail "SRC vs T1+T2: $got"
got=$(sql "SELECT count(*) FROM heat.forecast_value v JOIN heat.forecast_issue i ON i.id = v.issue_id
           WHERE NOT (load_lo <= load_kw AND load_kw <= load_hi)")
[ "$got" = 0 ] && ok "every band holds its forecast" || fail "$got bands without their forecast"

# --- scope: a BR1 operator sees T1's forecasts only ---------------------------
got=$(PGUSER=op1_$$ psql -qAtX -c "SELECT string_agg(DISTINCT code, ',') FROM heat.forecast_issue")
[ "$got" = T1 ] && ok "a BR1 operator sees T1's issue only" || fail "BR1 operator sees: $got"
got=$(PGUSER=op1_$$ psql -qAtX -c "SELECT count(DISTINCT issue_id) FROM heat.forecast_value")
[ "$got" = 1 ] && ok "... and only its hours" || fail "BR1 operator sees hours of $got issues"
PGUSER=op1_$$ psql -qAtX -c "DELETE FROM heat.forecast_issue" 2>/dev/null &&
  fail "an operator deleted issues" || ok "an operator cannot delete issues"

# --- thinning: older than 30 days, one issue a day per site --------------------
sql "INSERT INTO heat.forecast_issue (kind, object_id, code, org_id, origin, horizon_h, weather, supply_from, history_h)
     SELECT 'station', $T1, 'T1', (SELECT org_id FROM heat.station WHERE id = $T1),
            date_trunc('day', now(), 'UTC') - d * interval '1 day' + h * interval '1 hour', 168, 'none', 'curve', 0
     FROM generate_series(40, 41) d, generate_series(0, 23, 6) h;
     INSERT INTO heat.forecast_issue (kind, object_id, code, org_id, origin, horizon_h, weather, supply_from, history_h)
     SELECT 'station', $T1, 'T1', (SELECT org_id FROM heat.station WHERE id = $T1),
            date_trunc('hour', now()) - h * interval '1 hour', 168, 'none', 'curve', 0 FROM generate_series(1, 5) h"
start_fc
eventually "SELECT count(*) FROM heat.forecast_issue WHERE code = 'T1' AND origin < now() - interval '30 days'" 2 &&
  ok "issues older than 30 days thinned to the first of each day" || fail "thinning"
got=$(sql "SELECT count(*) FROM heat.forecast_issue WHERE code = 'T1' AND origin >= now() - interval '30 days'")
[ "$got" = 6 ] && ok "the last 30 days keep every issue" || fail "recent T1 issues: $got"
got=$(sql "SELECT min(extract(hour FROM origin AT TIME ZONE 'UTC')) || '/' || max(extract(hour FROM origin AT TIME ZONE 'UTC'))
           FROM heat.forecast_issue WHERE code = 'T1' AND origin < now() - interval '30 days'")
[ "$got" = "0/0" ] && ok "the day's first issue is the one kept" || fail "kept hours $got"

# --- SIGHUP with a bad file keeps running ------------------------------------
cp "$TMP/heat.yaml" "$TMP/good.yaml"
printf '  holidays: xx\n' >>"$TMP/heat.yaml"
kill -HUP $FC; sleep 0.5
kill -0 $FC 2>/dev/null && grep -q "reload refused" "$TMP/fc.log" && ok "SIGHUP with a bad file: refused, still running" ||
  fail "SIGHUP: $(tail -3 "$TMP/fc.log")"
stop_fc

# --- heatd-forecast issue: past origins from what was known then -------------
heatd-forecast issue --config "$TMP/good.yaml" --from -72h --to -25h --every 12 >"$TMP/issue.out" &&
  expect_in "$TMP/issue.out" "^issued 12, skipped 0" "issue: 4 past origins x 3 sites" || fail "issue: $(cat "$TMP/issue.out")"
got=$(sql "SELECT history_h FROM heat.forecast_issue WHERE code = 'T1' AND origin = date_trunc('hour', now()) - interval '72 hours'")
[ "$got" -ge 600 ] && [ "$got" -le 648 ] && ok "the issue of 72 h ago learnt only the hours before it ($got)" ||
  fail "history_h of the past issue: $got"
got=$(sql "SELECT weather FROM heat.forecast_issue WHERE code = 'T1' AND origin = date_trunc('hour', now()) - interval '72 hours'")
[ "$got" = none ] && ok "... and no weather forecast published after it" || fail "past weather: $got"
got=$(sql "SELECT issued_at = origin FROM heat.forecast_issue WHERE code = 'T1' AND origin = date_trunc('hour', now()) - interval '72 hours'")
[ "$got" = t ] && ok "... and is stored as issued at its origin" || fail "issued_at of the past issue: $got"
expect_exit 2 "issue --to in the future is refused" heatd-forecast issue --config "$TMP/good.yaml" --from -1h --to +2h
finish
