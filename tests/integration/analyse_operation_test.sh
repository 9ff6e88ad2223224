#!/usr/bin/env bash
# heatctl analyse precision|rooms|energy|curve and the reports analysis-*
# (ANA-1, ANA-4, ANA-5, ANA-7): a week of heatsim history of S01 and S02
# loaded as the demo loads it, daily rollups made from it, room sensors
# whose hours follow a known building model (room = 6 + 0.3·(t2s − tout) +
# tout + the flat's offset), then every command's numbers against the same
# numbers worked out independently in SQL, the reports through reportgen,
# and a branch that does not own the stations sees none of it.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
cat >"$TMP/heat.yaml" <<YAML
report:
  dirs: $HEAT_SOURCE_DIR/etc/reports
YAML
export HEAT_CONFIG=$TMP/heat.yaml
heatctl import "$HEAT_SOURCE_DIR/etc/examples/demo-network.yaml" >/dev/null
ENG=eng_$$ BR2=br2_$$
heatctl user add $ENG --role heat_engineer --org BR1 >/dev/null
heatctl user add $BR2 --role heat_operator --org BR2 >/dev/null

heatsim history --days 8 --end 2025-01-20T00:00:00Z --seed 7 --stations S01,S02 >"$TMP/h.csv" 2>/dev/null ||
  fail "heatsim history"
psql -qX -v ON_ERROR_STOP=1 >/dev/null <<SQL || fail "loading the history"
CREATE TEMP TABLE h (point text, hour timestamptz, n int, sum float8, min float8, max float8, last_value float8, last_ts timestamptz);
\copy h FROM '$TMP/h.csv' CSV HEADER
INSERT INTO heat.reading_hourly SELECT p.id, h.hour, h.n, h.sum, h.min, h.max, h.last_value, h.last_ts FROM h JOIN heat.point p ON p.code = h.point ON CONFLICT DO NOTHING;
-- The room sensors' hours: the building model above, each flat its offset
-- (−1.5, −0.5, 0, 0.5, 1.5, 3 °C by sensor code), to 0.1 °C as a sensor reports.
INSERT INTO heat.reading_hourly (point_id, hour, n, sum, min, max, last_value, last_ts)
SELECT rp.id, s.hour, 1, v, v, v, v, s.hour
FROM (SELECT st.id AS station_id, t.hour, t.sum / t.n AS t2s, o.sum / o.n AS tout
      FROM heat.station st JOIN heat.point pt ON pt.code = st.code || '.t2s' JOIN heat.point po ON po.code = st.code || '.tout'
      JOIN heat.reading_hourly t ON t.point_id = pt.id JOIN heat.reading_hourly o ON o.point_id = po.id AND o.hour = t.hour) s
JOIN (SELECT d.id, b.station_id, (ARRAY[-1.5, -0.5, 0, 0.5, 1.5, 3, 1])[row_number() OVER (PARTITION BY b.station_id ORDER BY d.code)] AS off
      FROM heat.device d JOIN heat.building b ON b.id = d.building_id WHERE d.kind = 'room_sensor') rs ON rs.station_id = s.station_id
JOIN heat.point rp ON rp.device_id = rs.id AND rp.tag = 'temp'
CROSS JOIN LATERAL (SELECT round((6 + 0.3 * (s.t2s - s.tout) + s.tout + rs.off)::numeric, 1)::float8 AS v) x;
-- Daily rollups of the company's days, as heatd-ingest keeps them.
INSERT INTO heat.reading_daily SELECT point_id, (hour AT TIME ZONE 'Asia/Shanghai')::date, sum(n), sum(sum), min(min), max(max),
  (array_agg(last_value ORDER BY hour DESC))[1], max(last_ts) FROM heat.reading_hourly GROUP BY 1, 2;
INSERT INTO heat.production_plan (station, month, heat_gj) VALUES ('S01', '2025-01-01', 3100);
SQL
# S01 under the curve heatsim's controller ran (sim/history.h: the design
# curve of 75/50 °C radiators at −19.7 °C, 18 °C indoor, for 20 °C rooms);
# S02 at a constant 60 °C it never kept, without the outdoor filter.
pts=$(python3 -c "
s,r,o,i=75,50,-19.7,18
print('[' + ','.join('[%g,%.6f]' % (t, i + ((s+r)/2-i)*max(0,(i-t)/(i-o))**(1/1.3) + (s-r)/2*max(0,(i-t)/(i-o))) for t in (-30,-15,-5,0,5,15)) + ']')")
as $ENG heatctl control set S01 valve=outdoor_compensation "curve.points=$pts" curve.room_ref_c=18 curve.max_supply_c=90 \
  room_c=20 pump_hz=50 >/dev/null || fail "control set S01"
as $ENG heatctl control set S02 valve=constant_supply supply_c=60 composite.building_tau_h=0 >/dev/null || fail "control set S02"
SPAN="--from 2025-01-14 --to 2025-01-20"   # six whole company days, 144 hours
DAYS="--from 2025-01-14 --to 2025-01-19"   # the same days, last day included (energy, reports)
near() { python3 -c "import sys; sys.exit(0 if abs(float('$1') - float('$2')) <= $3 else 1)"; }
col() { python3 -c "import csv,sys; r=[x for x in csv.DictReader(open('$1')) if x['$2'] == '$3'][0]; print(r['$4'])"; }
hours="heat.reading_hourly r JOIN heat.point p ON p.id = r.point_id
       WHERE r.hour >= '2025-01-14 00:00+08' AND r.hour < '2025-01-20 00:00+08'"

# --- precision (ANA-1) ---
as $ENG heatctl analyse precision $SPAN --format csv >"$TMP/p.csv" || fail "analyse precision: $(cat "$TMP/p.csv")"
want=$(sql "SELECT count(*), round(avg(r.sum / r.n - 60)::numeric, 2), count(*) FILTER (WHERE abs(r.sum / r.n - 60) > 2),
                   round(percentile_cont(0.95) WITHIN GROUP (ORDER BY abs(r.sum / r.n - 60))::numeric, 2)
            FROM $hours AND p.code = 'S02.t2s'" | tr '|' ,)
got="$(col "$TMP/p.csv" station S02 hours),$(col "$TMP/p.csv" station S02 dev_mean),$(col "$TMP/p.csv" station S02 hours_outside),$(col "$TMP/p.csv" station S02 dev_abs_p95)"
[ "$got" = "$want" ] && ok "S02 (constant 60 °C): hours, mean deviation, hours outside ±2, p95 |dev| as SQL has them ($got)" ||
  fail "S02 precision: heatctl $got, SQL $want"
want=$(sql "SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY r.sum / r.n)::numeric, 1),
                   count(*) FILTER (WHERE r.sum / r.n >= 99.5)
            FROM $hours AND p.code = 'S01.v1'" | tr '|' ,)
got="$(col "$TMP/p.csv" station S01 valve_p50),$(col "$TMP/p.csv" station S01 valve_hours_open)"
[ "$got" = "$want" ] && ok "S01's valve: median and hours fully open as SQL has them ($got)" || fail "S01 valve: $got, SQL $want"
want=$(sql "SELECT count(*) FILTER (WHERE r.sum / r.n >= 49.5) FROM $hours AND p.code = 'S01.pump1_hz'")
[ "$(col "$TMP/p.csv" station S01 pump_hours_max)" = "$want" ] && ok "S01's pump: $want hours at its 50 Hz limit" ||
  fail "S01 pump at max: $(col "$TMP/p.csv" station S01 pump_hours_max), SQL $want"
s01=$(col "$TMP/p.csv" station S01 dev_abs_mean)
# Not 0: the controller steps every minute on the outdoor temperature with
# wind and sun; the replay has hourly means of what the box reports.
near "$s01" 0 1.5 && ok "S01 under its own curve, replayed with the controller's code: mean |deviation| $s01 °C" ||
  fail "S01 mean |deviation| $s01 °C: the replayed setpoint is not the controller's"
as $ENG heatctl analyse precision $SPAN >"$TMP/p.txt"
expect_in "$TMP/p.txt" "^warning: beyond ±2\.0 in more than 5 % of hours:.* S02" "the table warns of S02"
as $ENG heatctl analyse precision S01 $SPAN --histogram --format json |
  json "sum(r['hours'] for r in j if r['actuator'] == 'valve_pct') == 144 and len(j) == 20" | grep -q True &&
  ok "--histogram: ten buckets each for valve and pump, 144 hours" || fail "histogram"
expect_exit 2 "--band 0 is refused" heatctl analyse precision --band 0

# --- rooms (ANA-5) ---
as $ENG heatctl analyse rooms $SPAN --show station --format csv >"$TMP/r.csv" || fail "analyse rooms"
want=$(sql "SELECT count(*), count(*) FILTER (WHERE r.sum < 18), count(*) FILTER (WHERE r.sum > 24), round(avg(r.sum)::numeric, 2)
            FROM $hours AND p.tag = 'temp' AND p.code LIKE 'S01-%'" | tr '|' ,)
got="$(col "$TMP/r.csv" station S01 hours),$(col "$TMP/r.csv" station S01 hours_below),$(col "$TMP/r.csv" station S01 hours_above),$(col "$TMP/r.csv" station S01 mean_c)"
[ "$got" = "$want" ] && ok "S01's rooms: hours, below 18, above 24, mean as SQL has them ($got)" || fail "rooms S01: $got, SQL $want"
as $ENG heatctl analyse rooms S01 $SPAN --show floor --format csv >"$TMP/f.csv"
[ "$(cut -d, -f3 "$TMP/f.csv" | sort -u | tr '\n' ' ')" = "13 17 25 9 floor " ] &&
  ok "floors from the sensors' names (9层, 17层, ...)" || fail "floors: $(cut -d, -f3 "$TMP/f.csv" | sort -u | tr '\n' ' ')"
as $ENG heatctl analyse rooms S01 $SPAN --show under --low 19 --format csv >"$TMP/u.csv"
want=$(sql "SELECT d.code || ',' || count(*) FILTER (WHERE r.sum < 19)
            FROM heat.reading_hourly r JOIN heat.point p ON p.id = r.point_id JOIN heat.device d ON d.id = p.device_id
            WHERE r.hour >= '2025-01-14 00:00+08' AND r.hour < '2025-01-20 00:00+08' AND p.tag = 'temp' AND d.code LIKE 'S01-%'
            GROUP BY d.code HAVING count(*) FILTER (WHERE r.sum < 19) > 0
            ORDER BY count(*) FILTER (WHERE r.sum < 19) DESC, 1 LIMIT 1")
[ "$(sed -n 2p "$TMP/u.csv" | cut -d, -f1,6)" = "$want" ] && ok "--show under --low 19: the coldest flat first ($want)" ||
  fail "under: $(sed -n 2p "$TMP/u.csv"), SQL $want"
as $ENG heatctl analyse rooms S01 $SPAN --show daily --format csv >"$TMP/d.csv"
[ "$(wc -l <"$TMP/d.csv")" = 7 ] && ok "--show daily: six days of S01" || fail "daily: $(cat "$TMP/d.csv")"
as $ENG heatctl analyse rooms S01 $SPAN --show figure --format csv >"$TMP/fig.csv"
want=$(sql "SELECT round(avg(q)::numeric, 2) FROM (SELECT r.hour, percentile_cont(0.1) WITHIN GROUP (ORDER BY r.sum) AS q
            FROM $hours AND p.tag = 'temp' AND p.code LIKE 'S01-%' GROUP BY r.hour) x")
[ "$(col "$TMP/fig.csv" station S01 figure_mean_c)" = "$want" ] &&
  ok "the room figure is the 10th percentile of each hour, as the room-target strategy reads it ($want °C)" ||
  fail "figure: $(cat "$TMP/fig.csv"), SQL $want"

# --- energy (ANA-7) ---
as $ENG heatctl analyse energy $DAYS --format csv >"$TMP/e.csv" || fail "analyse energy: $(cat "$TMP/e.csv")"
read -r heat hdd <<<"$(sql "WITH d AS (SELECT p.code, (r.hour AT TIME ZONE 'Asia/Shanghai')::date AS day, avg(r.sum / r.n) AS t,
                              max(r.last_value) AS last, min(r.min) AS first
                       FROM heat.reading_hourly r JOIN heat.point p ON p.id = r.point_id
                       WHERE p.code IN ('S01.q1', 'S01.tout') AND r.hour >= '2025-01-14 00:00+08' AND r.hour < '2025-01-20 00:00+08'
                       GROUP BY 1, 2)
  SELECT (SELECT max(last) FROM d WHERE code = 'S01.q1') - (SELECT last_value FROM heat.reading_daily rd JOIN heat.point p
          ON p.id = rd.point_id WHERE p.code = 'S01.q1' AND rd.day = '2025-01-13'),
         (SELECT sum(greatest(0, 18 - t)) FROM d WHERE code = 'S01.tout')" | tr '|' ' ')"
got="$(col "$TMP/e.csv" station S01 heat_mj_m2_day) $(col "$TMP/e.csv" station S01 degree_days) $(col "$TMP/e.csv" station S01 heat_kj_m2_dd)"
read -r g_day g_dd g_norm <<<"$got"
near "$g_day" "$(python3 -c "print($heat * 1000 / 86000 / 6)")" 0.001 && near "$g_dd" "$hdd" 0.05 &&
  near "$g_norm" "$(python3 -c "print($heat * 1e6 / (86000 * $hdd))")" 0.01 &&
  ok "S01: heat per m² per day, degree-days (base 18) and heat per m²·degree-day as SQL has them ($got)" ||
  fail "energy S01: heatctl $got; SQL heat $heat GJ, HDD $hdd"
near "$(col "$TMP/e.csv" station S01 plan_share)" "$(python3 -c "print($heat / 600)")" 0.001 &&
  ok "the plan: 3100 GJ in January is 100 a day" || fail "plan share $(col "$TMP/e.csv" station S01 plan_share)"
[ -z "$(col "$TMP/e.csv" station S01 last_heat_kj_m2_dd)" ] && ok "no history last season: empty, not 0" ||
  fail "last season: $(col "$TMP/e.csv" station S01 last_heat_kj_m2_dd)"
# (as the administrator: the heat source belongs to HQ, which BR1 does not see)
heatctl analyse energy $DAYS --by source --format json >"$TMP/es.json"
json <"$TMP/es.json" \
   "len(j) == 1 and j[0]['source'] == 'CHP1' and j[0]['stations'] == 2 and j[0]['without_heat'] == 12 and j[0]['area_m2'] == 210000" | grep -q True &&
  ok "--by source: CHP1 with the area of the two stations that have history; twelve without" || fail "by source: $(cat "$TMP/es.json")"

# --- curve (ANA-4) ---
# S02's room figure each hour is its sensors' 10th percentile: the model
# plus the 10th percentile of the flats' offsets, so the curve that holds
# it at 20 °C gives, at 0 °C outdoor, (20 − 6 − offset) / 0.3 (S02 has no
# outdoor filter, so the fit sees the hour's own outdoor temperature).
as $ENG heatctl analyse curve S02 $SPAN --target 20 >"$TMP/c.txt" || fail "analyse curve: $(cat "$TMP/c.txt")"
as $ENG heatctl analyse curve S02 $SPAN --target 20 --format csv >"$TMP/c.csv"
off=$(sql "SELECT percentile_cont(0.1) WITHIN GROUP (ORDER BY o) FROM unnest((ARRAY[-1.5, -0.5, 0, 0.5, 1.5, 3, 1])
           [1:(SELECT count(*) FROM heat.device d JOIN heat.building b ON b.id = d.building_id JOIN heat.station s ON s.id = b.station_id
               WHERE d.kind = 'room_sensor' AND s.code = 'S02')]) o")
want=$(python3 -c "print((20 - 6 - $off) / 0.3)")
near "$(col "$TMP/c.csv" outdoor_c 0 supply_c)" "$want" 0.5 &&
  ok "the curve recovers the building: $(col "$TMP/c.csv" outdoor_c 0 supply_c) °C at 0 °C outdoor for 20 °C (model $want)" ||
  fail "curve at 0 °C: $(cat "$TMP/c.csv"), model $want"
expect_in "$TMP/c.txt" "^  heatctl control set S02 'curve\.points=\[\[-30,[0-9.]+\],.*\]' curve\.room_ref_c=20\.0 curve\.parallel_c=0$" \
  "the command that would apply it is shown"
expect_in "$TMP/c.txt" "RMSE 0\.[0-9]+ °C" "with the fit's RMSE"
[ "$(sql "SELECT config->>'valve' FROM heat.control_config c JOIN heat.station s ON s.id = c.station_id WHERE s.code = 'S02'")" = \
  constant_supply ] && ok "nothing is applied" || fail "the curve changed S02's configuration"
expect_exit 2 "--season and --from together" heatctl analyse curve S02 --season --from -3d
expect_exit 2 "a span too short for a fit" heatctl analyse curve S02 --from 2025-01-19 --to 2025-01-20

# --- reports ---
as $ENG reportgen run analysis-rooms $DAYS --format csv >"$TMP/rr.csv" 2>"$TMP/rr.err" || fail "analysis-rooms: $(cat "$TMP/rr.err")"
sum_below=$(sql "SELECT count(*) FILTER (WHERE r.sum < 18) FROM $hours AND p.tag = 'temp' AND p.code LIKE 'S01-%'")
[ "$(python3 -c "import csv; print(sum(int(r[10]) for r in list(csv.reader(open('$TMP/rr.csv', encoding='utf-8-sig')))[1:] if r[0] == 'S01'))")" = "$sum_below" ] &&
  ok "report analysis-rooms: S01's floors add up to its $sum_below hours below 18 °C" || fail "analysis-rooms: $(head -5 "$TMP/rr.csv")"
as $ENG reportgen run analysis-precision $DAYS --format csv >"$TMP/rp.csv" 2>"$TMP/rp.err" || fail "analysis-precision: $(cat "$TMP/rp.err")"
grep -q "^S01,144," "$TMP/rp.csv" && ok "report analysis-precision: S01 over 144 hours" || fail "analysis-precision: $(cat "$TMP/rp.csv")"
as $ENG reportgen run analysis-energy $DAYS --format csv >"$TMP/re.csv" 2>"$TMP/re.err" || fail "analysis-energy: $(cat "$TMP/re.err")"
grep -q "南湖换热站" "$TMP/re.csv" && ok "report analysis-energy: S01's row" || fail "analysis-energy: $(cat "$TMP/re.csv")"

# --- scope ---
expect_exit 3 "BR2's operator: S01 is not in the scope" as $BR2 heatctl analyse precision S01 $SPAN
as $BR2 heatctl analyse energy $DAYS --format csv >"$TMP/x.csv"
as $BR2 heatctl analyse rooms $SPAN --show station --format csv >>"$TMP/x.csv"
as $BR2 reportgen run analysis-rooms $DAYS --format csv >>"$TMP/x.csv"
as $BR2 reportgen run analysis-energy $DAYS --format csv >>"$TMP/x.csv"
! grep -qE "S01|S02|南湖|友好" "$TMP/x.csv" && ok "BR2 sees nothing of BR1's stations in the analyses and reports" ||
  fail "BR2 sees: $(grep -E "S01|S02|南湖|友好" "$TMP/x.csv" | head -3)"
finish
