#!/usr/bin/env bash
# heatctl weather import|list and forecast show|list|accuracy (FC-1..4):
# weather from CSV and QWeather's hourly JSON, a bad file refused whole, an
# operator's import refused by the database; forecasts written as
# heatd-forecast writes them (a heat_service login) with measured hours as
# actuals; show as table, CSV, JSON and SVG; accuracy against numbers worked
# out by hand; a branch's operator sees only its branch's forecasts.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
cat >"$TMP/net.yaml" <<YAML
org_units: [{code: CO, name: 公司}, {code: BR1, name: 一分, parent: CO}, {code: BR2, name: 二分, parent: CO}]
heat_sources: [{code: HS1, name: 热源, kind: boiler, org: CO}]
networks: [{code: N1, name: 一级网, kind: primary, org: CO, source: HS1}]
stations: [{code: T1, name: 一站, org: BR1, network: N1}, {code: T2, name: 二站, org: BR2, network: N1}]
devices:
  - {code: T1-CB, name: 控制箱, kind: control_box, protocol: mqtt, station: T1,
     points: [{tag: pw1}, {tag: t1s}, {tag: t2s}, {tag: tout}]}
  - {code: T2-CB, name: 控制箱, kind: control_box, protocol: mqtt, station: T2, points: [{tag: pw1}]}
YAML
heatctl import "$TMP/net.yaml" >/dev/null
ENG=eng_$$ OPR=opr_$$ BR1=br1_$$ SVC=svc_$$
heatctl user add $ENG --role heat_engineer --org CO >/dev/null
heatctl user add $OPR --role heat_operator --org CO >/dev/null
heatctl user add $BR1 --role heat_operator --org BR1 >/dev/null
heatctl user add $SVC --role heat_service >/dev/null
weather_rows() { sql "SELECT count(*) FROM heat.weather_forecast WHERE site = '$1'"; }

# --- weather import: CSV, QWeather, replace, refusals ---
cat >"$TMP/w.csv" <<CSV
issued,valid_time,outdoor_temp_c,wind_ms,solar_wm2,humidity_pct
2026-11-02 08:00,2026-11-02 09:00,-3.5,2.5,0,60
2026-11-02 08:00,2026-11-02 10:00,-2,3,120,55
2026-11-02 08:00,2026-11-02T03:00Z,-1,,,
CSV
PGUSER=$ENG heatctl weather import "$TMP/w.csv" --site URUMQI >"$TMP/out"
expect_in "$TMP/out" "^3 hours of weather for site URUMQI issued 2026-11-02 08:00:00, valid 2026-11-02 09:00:00 .. 2026-11-02 11:00:00 \\(csv\\)$" \
  "CSV: an engineer imports 3 hours; the summary names issue and valid span"
[ "$(sql "SELECT temp_c, wind_ms IS NULL, imported_by FROM heat.weather_forecast WHERE site = 'URUMQI'
          AND valid_time = '2026-11-02 11:00+08'")" = "-1|t|$ENG" ] && ok "CSV: offset time, empty cells unknown, importer kept" ||
  fail "CSV row: $(sql "SELECT * FROM heat.weather_forecast WHERE site = 'URUMQI'")"
sed -i 's/-3.5,2.5/-6,2.5/' "$TMP/w.csv"
PGUSER=$ENG heatctl weather import "$TMP/w.csv" --site URUMQI >/dev/null
[ "$(weather_rows URUMQI)" = 3 ] && [ "$(sql "SELECT temp_c FROM heat.weather_forecast WHERE site = 'URUMQI'
    AND valid_time = '2026-11-02 09:00+08'")" = -6 ] && ok "the same issue again replaces its rows" || fail "re-import"

PGUSER=$ENG heatctl weather import "$HEAT_SOURCE_DIR/tests/data/qweather-24h.json" --site URUMQI >"$TMP/out"
expect_in "$TMP/out" "^24 hours of weather for site URUMQI issued 2026-11-02 08:35:00, valid 2026-11-02 09:00:00 .. 2026-11-03 08:00:00 \\(qweather\\)$" \
  "QWeather: 24 hours, issued at updateTime"
[ "$(sql "SELECT temp_c, round(wind_ms::numeric, 3), humidity_pct, cloud_pct, source FROM heat.weather_forecast
          WHERE site = 'URUMQI' AND issued = '2026-11-02 08:35+08' AND valid_time = '2026-11-02 10:00+08'")" = "-7|7.500|41|5|qweather" ] &&
  ok "QWeather: string numbers, windSpeed 27 km/h stored as 7.5 m/s, humidity and cloud" ||
  fail "QWeather row: $(sql "SELECT * FROM heat.weather_forecast WHERE source = 'qweather' LIMIT 2")"
PGUSER=$OPR heatctl weather list --site URUMQI --from 2026-11-02T08:00 --to 2026-11-02T11:00 --format csv >"$TMP/list"
[ "$(sed -n 2p "$TMP/list")" = "URUMQI,2026-11-02 09:00,-8,5.0,,40,0,2026-11-02 08:35,qweather" ] &&
  [ "$(wc -l <"$TMP/list")" = 3 ] && ok "weather list: each hour from the latest issue; operators read weather" ||
  fail "weather list: $(cat "$TMP/list")"
PGUSER=$OPR heatctl weather list --site URUMQI --from 2026-11-03T08:00 --format json |
  json "len(j) == 1 and j[0]['temp_c'] == 0 and j[0]['valid_time'] == '2026-11-03 08:00'" | grep -q True &&
  ok "weather list --format json: numbers unquoted" || fail "weather list json"

before=$(weather_rows URUMQI)
cat >"$TMP/bad.csv" <<CSV
valid_time,outdoor_temp_c
2026-11-05 09:00,-3
2026-11-05 10:00,-4
2026-11-05 11:00,95
CSV
expect_exit 2 "a temperature of 95 °C refuses the whole file" \
  env PGUSER=$ENG heatctl weather import "$TMP/bad.csv" --site URUMQI --issued 2026-11-05T08:00+08:00
expect_in "$TMP/err" "bad.csv: line 4: outdoor_temp_c: 95 is outside -80..70 °C; nothing stored" "the refusal names line and problem"
[ "$(weather_rows URUMQI)" = "$before" ] && ok "nothing of the bad file is stored" || fail "rows of a refused file stored"
printf 'valid_time,outdoor_temp_c\n2026-11-05 09:00,-3\n2026-11-25 09:00,-3\n' >"$TMP/far.csv"
expect_exit 2 "a valid time more than 16 days after the issue is refused" \
  env PGUSER=$ENG heatctl weather import "$TMP/far.csv" --site URUMQI --issued 2026-11-05T08:00+08:00
printf 'valid_time,outdoor_temp_c\n2026-11-05 09:00,-3\n' >"$TMP/noissue.csv"
expect_exit 2 "a CSV without issued column or --issued is refused" \
  env PGUSER=$ENG heatctl weather import "$TMP/noissue.csv" --site URUMQI
printf '{"code":"401","updateTime":"2026-11-02T08:35+08:00","hourly":[]}' >"$TMP/denied.json"
expect_exit 2 "a QWeather answer other than code 200 is refused" \
  env PGUSER=$ENG heatctl weather import "$TMP/denied.json" --site URUMQI
expect_in "$TMP/err" "code '401' \\(authentication failed" "... naming the code and its meaning"
expect_exit 4 "an operator may not import weather (the database refuses)" \
  env PGUSER=$OPR heatctl weather import "$TMP/w.csv" --site OTHER
[ "$(weather_rows OTHER)" = 0 ] && ok "nothing stored for the operator" || fail "operator's import stored"

# --- forecasts as heatd-forecast writes them, and measured hours ---
O=$(sql "SELECT extract(epoch FROM date_trunc('hour', now()))::bigint")
svc() { PGUSER=$SVC psql -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
# issue(CODE KIND OBJECT_SQL ORG ORIGIN_H WEATHER LOAD_SQL SUPPLY): an issue of 24 hours
# from origin O+ORIGIN_H hours, issued 5 minutes before it, load by lead k.
issue() {
  local id
  id=$(svc "INSERT INTO heat.forecast_issue (kind, object_id, code, org_id, issued_at, origin, horizon_h, weather,
              supply_from, history_h)
            VALUES ('$2', ($3), '$1', (SELECT id FROM heat.org_unit WHERE code = '$4'),
                    to_timestamp($O) + interval '$5 hours' - interval '5 min', to_timestamp($O) + interval '$5 hours',
                    24, '$6', 'curve', 2160) RETURNING id")
  svc "INSERT INTO heat.forecast_value (issue_id, valid_time, load_kw, load_lo, load_hi, supply_c, outdoor_c)
       SELECT $id, to_timestamp($O) + interval '$5 hours' + (k - 1) * interval '1 hour', $7, $7 - 10, $7 + 10, $8, -5
       FROM generate_series(1, 24) k" >/dev/null
}
T1ID="SELECT id FROM heat.station WHERE code = 'T1'"
issue T1 station "$T1ID" BR1 -48 forecast "CASE WHEN k <= 6 THEN 110 WHEN k <= 12 THEN 90 ELSE 100 END" 60
issue T1 station "$T1ID" BR1 -24 none "CASE WHEN k = 1 THEN 120 ELSE 100 END" 57
issue T1 station "$T1ID" BR1 -960 forecast "1000" 60
issue T1 station "$T1ID" BR1 0 partial "200 + k" 61
issue T2 station "SELECT id FROM heat.station WHERE code = 'T2'" BR2 0 forecast "300" 62
issue HS1 source "SELECT id FROM heat.heat_source WHERE code = 'HS1'" CO -48 forecast "140" 95
# Measured: T1 100 kW, t2s 58 °C, -4 °C over the 48 hours before O; T2 50 kW over
# the first three of them; one hour of T1 at the old issue's origin.
svc "INSERT INTO heat.reading_hourly (point_id, hour, n, sum, min, max, last_value, last_ts)
     SELECT p.id, h, 1, v, v, v, v, h
     FROM (VALUES ('T1.pw1', 100), ('T1.t2s', 58), ('T1.tout', -4)) m(code, v)
     JOIN heat.point p ON p.code = m.code,
     generate_series(to_timestamp($O) - interval '48 hours', to_timestamp($O) - interval '1 hour', interval '1 hour') h;
     INSERT INTO heat.reading_hourly (point_id, hour, n, sum, min, max, last_value, last_ts)
     SELECT p.id, h, 1, 50, 50, 50, 50, h FROM heat.point p,
     generate_series(to_timestamp($O) - interval '48 hours', to_timestamp($O) - interval '46 hours', interval '1 hour') h
     WHERE p.code = 'T2.pw1';
     INSERT INTO heat.reading_hourly (point_id, hour, n, sum, min, max, last_value, last_ts)
     SELECT id, to_timestamp($O) - interval '960 hours', 1, 100, 100, 100, 100, now() FROM heat.point WHERE code = 'T1.pw1'"
local_time() { sql "SELECT to_char((to_timestamp($O) + interval '$1 hours') AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')"; }
A=$(local_time -48) B=$(local_time -24) NOW=$(local_time 0)

# --- forecast show ---
PGUSER=$OPR heatctl forecast show T1 >"$TMP/show"
expect_in "$TMP/show" "^station T1: forecast issued .* for the hours from $NOW \\(24 of 24 h shown\\)$" "show: the latest issue by default"
expect_in "$TMP/show" "^weather: partial: a weather forecast for only some of the hours" "show: a partial weather forecast is said"
PGUSER=$OPR heatctl forecast show T1 --issued "$A" --format csv >"$TMP/a.csv"
[ "$(sed -n 1p "$TMP/a.csv")" = "time,lead_h,load_kw,load_lo,load_hi,actual_kw,supply_c,actual_supply_c,outdoor_c" ] &&
  [ "$(sed -n 2p "$TMP/a.csv")" = "$A,1,110.0,100.0,120.0,100.0,60.0,58.0,-5.0" ] &&
  [ "$(sed -n 8p "$TMP/a.csv")" = "$(local_time -42),7,90.0,80.0,100.0,100.0,60.0,58.0,-5.0" ] &&
  [ "$(wc -l <"$TMP/a.csv")" = 25 ] && ok "show --issued: the older issue, hour by hour against the actual" ||
  fail "show csv: $(head -3 "$TMP/a.csv")"
PGUSER=$OPR heatctl forecast show T1 --issued "$B" >"$TMP/b"
expect_in "$TMP/b" "^weather: none: no weather forecast was available; the outdoor temperature was assumed from climatology and the last measured temperature$" \
  "show: without a weather forecast it says so plainly"
expect_in "$TMP/b" "^supply temperature from: curve" "show: where the supply temperature came from"
PGUSER=$OPR heatctl forecast show T1 --horizon 6h --format csv >"$TMP/now.csv"
[ "$(wc -l <"$TMP/now.csv")" = 7 ] && [ "$(sed -n 2p "$TMP/now.csv")" = "$NOW,1,201.0,191.0,211.0,,61.0,,-5.0" ] &&
  ok "show --horizon 6h: six hours, actual empty where not yet known" || fail "horizon: $(cat "$TMP/now.csv")"
PGUSER=$OPR heatctl forecast show T1 --issued "$A" --format json |
  json "j['weather'] == 'forecast' and j['supply_from'] == 'curve' and len(j['hours']) == 24 and j['hours'][0]['actual_kw'] == 100 and j['hours'][23]['load_kw'] == 100" |
  grep -q True && ok "show json: the issue and its hours" || fail "show json"
PGUSER=$OPR heatctl forecast show HS1 --issued "$A" --horizon 3h --format csv >"$TMP/hs.csv"
[ "$(sed -n 2p "$TMP/hs.csv")" = "$A,1,140.0,130.0,150.0,150.0,95.0,,-5.0" ] &&
  ok "a heat source's forecast against the sum of its stations' load" || fail "source: $(cat "$TMP/hs.csv")"
PGUSER=$OPR heatctl forecast show T1 --issued "$A" --format svg >"$TMP/a.svg"
python3 - "$TMP/a.svg" <<'PY' && ok "show svg: well-formed, band polygon, forecast and actual polylines" || fail "svg: $(head -c 300 "$TMP/a.svg")"
import sys, xml.etree.ElementTree as ET
ns = {"s": "http://www.w3.org/2000/svg"}
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "{http://www.w3.org/2000/svg}svg"
assert len(root.findall(".//s:polygon[@class='band']", ns)) == 1
assert len(root.findall(".//s:polyline[@class='forecast']", ns)) == 1
assert len(root.findall(".//s:polyline[@class='actual']", ns)) == 1
assert len(root.findall(".//s:polyline", ns)) >= 2
assert any(t.text == "kW" for t in root.iter("{http://www.w3.org/2000/svg}text"))
PY
expect_exit 2 "svg is only for forecast show" heatctl forecast list --format svg
expect_exit 3 "an unknown code" env PGUSER=$OPR heatctl forecast show NOPE
expect_in "$TMP/err" "no heat source or station NOPE in your scope" "... said plainly"
expect_exit 3 "no issue at or before a time" env PGUSER=$OPR heatctl forecast show T1 --issued 2020-01-01
expect_exit 2 "a bad horizon" env PGUSER=$OPR heatctl forecast show T1 --horizon 400h

# --- forecast accuracy (by hand: see the issues above; all actuals 100 kW, t2s 58) ---
# H=1: leads 1 of A (110) and B (120): 2 points, APE 10 % and 20 %. H=6: A 6 x 10,
# B 20: MAE 80/12. H=12: A +60 -60, B +20: MAE 140/24, bias 20/24. H>=24: 140/48,
# 20/48. Supply: A 2 °C off, B 1 °C: 1.5 at every horizon. With --days 60 the
# 40-day-old issue's lead 1 (1000 against 100) joins H=1: (10+20+900)/3.
PGUSER=$OPR heatctl forecast accuracy T1 --format csv >"$TMP/acc"
cat >"$TMP/acc.want" <<CSV
horizon_h,mape_pct,mae_kw,bias_kw,points,supply_mae_c,supply_points
1,15.00,15.0,15.0,2,1.50,2
6,6.67,6.7,6.7,12,1.50,12
12,5.83,5.8,0.8,24,1.50,24
24,2.92,2.9,0.4,48,1.50,48
72,2.92,2.9,0.4,48,1.50,48
168,2.92,2.9,0.4,48,1.50,48
CSV
diff "$TMP/acc.want" "$TMP/acc" >&2 && ok "accuracy: MAPE, MAE, bias, points, supply MAE by horizon as worked out" ||
  fail "accuracy differs (above)"
PGUSER=$OPR heatctl forecast accuracy T1 --days 60 --format csv | sed -n 2p >"$TMP/acc60"
[ "$(cat "$TMP/acc60")" = "1,310.00,310.0,310.0,3,1.50,2" ] && ok "accuracy --days 60 takes the 40-day-old issue too" ||
  fail "--days 60: $(cat "$TMP/acc60")"
PGUSER=$OPR heatctl forecast accuracy T1 >"$TMP/acc.table"
expect_in "$TMP/acc.table" "^station T1: 3 forecasts with origins $A .. $NOW \\(last 30 days\\)" "accuracy table: the issues counted"
expect_exit 3 "accuracy without forecasts in the period" env PGUSER=$OPR heatctl forecast accuracy HS1 --days 1

# --- scope: a BR1 operator sees T1's forecasts, not T2's ---
PGUSER=$BR1 heatctl forecast list --format csv >"$TMP/br1"
grep -q "^T1,station," "$TMP/br1" && ! grep -q "^T2," "$TMP/br1" && ok "forecast list: a BR1 login sees T1's, not T2's" ||
  fail "br1 list: $(cat "$TMP/br1")"
expect_exit 3 "a BR1 login does not see T2's forecast" env PGUSER=$BR1 heatctl forecast show T2
expect_exit 0 "... but T1's" env PGUSER=$BR1 heatctl forecast show T1
PGUSER=$OPR heatctl forecast list T1 --days 60 --format csv | cut -d, -f1,2,6,7,8 >"$TMP/list.t1"
[ "$(sed -n 2p "$TMP/list.t1")" = "T1,station,partial,curve,2160" ] && [ "$(wc -l <"$TMP/list.t1")" = 5 ] &&
  ok "forecast list CODE: its issues, newest first" || fail "list T1: $(cat "$TMP/list.t1")"
finish
