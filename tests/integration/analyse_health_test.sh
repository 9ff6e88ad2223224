#!/usr/bin/env bash
# heatctl analyse health|findings|theft and heatd-alarm raising findings
# (ANA-6, ANA-10), on a private database:
#  - hourly readings with a frozen return sensor and a leak at A1 (branch
#    BR1), a hot primary return at B1 (BR2): analyse health lists each with
#    its likely fault, evidence and advice; --write stores them; again
#    changes nothing but last_seen;
#  - heatd-alarm raises every stored finding as an alarm carrying the fault
#    and advice (heatctl alarm list), and clears it once the finding is
#    resolved (the sensor moves again and the check runs again);
#  - an operator of BR2 sees B1's findings and alarms only;
#  - theft: a suspended house whose room sensor reads as warm as its heated
#    neighbour is listed, an honest suspended one is not; BR2 sees none;
#  - a broken rule file is refused with its file and line, nothing stored.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
RULES=$HEAT_SOURCE_DIR/etc/analysis/health-rules.yaml
cat >"$TMP/net.yaml" <<YAML
org_units: [{code: CO, name: 公司}, {code: BR1, name: 一分, parent: CO}, {code: BR2, name: 二分, parent: CO}]
stations:
  - {code: A1, name: 一站, org: BR1}
  - {code: B1, name: 二站, org: BR2}
buildings: [{code: A1-B1, name: 1号楼, station: A1}]
devices:
  - {code: A1-CB, name: 控制箱, kind: control_box, protocol: mqtt, station: A1,
     points: [{tag: t2s}, {tag: t2r}, {tag: f2}, {tag: mw_m3}, {tag: tout}]}
  - {code: B1-CB, name: 控制箱, kind: control_box, protocol: mqtt, station: B1, points: [{tag: t1r}]}
  - {code: A1-RS101, name: 室温101, kind: room_sensor, protocol: coap, address: "860000000000101", building: A1-B1,
     settings: {house: H101}, points: [{tag: temp}]}
  - {code: A1-RS201, name: 室温201, kind: room_sensor, protocol: coap, address: "860000000000201", building: A1-B1,
     settings: {house: H201}, points: [{tag: temp}]}
  - {code: A1-RS401, name: 室温401, kind: room_sensor, protocol: coap, address: "860000000000401", building: A1-B1,
     settings: {house: H401}, points: [{tag: temp}]}
  - {code: A1-RS301, name: 室温301, kind: room_sensor, protocol: coap, address: "860000000000301", building: A1-B1,
     settings: {house: H301}, points: [{tag: temp}]}
YAML
heatctl import "$TMP/net.yaml" >/dev/null
heatctl user add eng_$$ --role heat_engineer --org CO >/dev/null
heatctl user add bop_$$ --role heat_operator --org BR2 >/dev/null
heatctl user add svc_$$ --role heat_service >/dev/null
ENG="env PGUSER=eng_$$ heatctl"
BOP="env PGUSER=bop_$$ heatctl"

# hourly POINT 'EXPR of h': the last 12 hours of a point, value EXPR at hour h
# (0 the oldest); min and max 0.2 around it unless EXPR is constant.
hourly() {
  sql "INSERT INTO heat.reading_hourly (point_id, hour, n, sum, min, max, last_value, last_ts)
       SELECT p.id, date_trunc('hour', now()) - (11 - h) * interval '1 hour', 6, 6 * ($2), ($2) - $3, ($2) + $3, ($2),
              date_trunc('hour', now()) - (11 - h) * interval '1 hour' + interval '50 minutes'
       FROM heat.point p, generate_series(0, 11) h WHERE p.code = '$1'
       ON CONFLICT (point_id, hour) DO UPDATE SET sum = excluded.sum, min = excluded.min, max = excluded.max,
         last_value = excluded.last_value" >/dev/null
}
hourly A1.t2s '55 + h % 3' 0.2
hourly A1.t2r '36.4' 0          # frozen: the same value for 12 hours
hourly A1.f2 '80' 0.2
hourly A1.mw_m3 '100 + 1.5 * h' 0.3   # 1.5 m³ an hour: a leak
hourly A1.tout '-10' 0.3
hourly B1.t1r '70 + h % 2' 0.2  # primary return too hot

expect_exit 0 "analyse health lists the anomalies" $ENG analyse health --rules "$RULES" --hours 12
cp "$TMP/out" "$TMP/health.txt"
expect_in "$TMP/health.txt" 'frozen-temperature +medium +A1 +A1\.t2r' "frozen return sensor found"
expect_in "$TMP/health.txt" 'makeup-leak +high +A1 +A1\.mw_m3' "leak found"
expect_in "$TMP/health.txt" 'return-too-hot +medium +B1 +B1\.t1r' "hot primary return found"
expect_in "$TMP/health.txt" '^3 findings' "three findings, nothing else"
$ENG --format json analyse health --rules "$RULES" --hours 12 >"$TMP/health.json"
[ "$(json '[f["evidence"]["rate_per_hour"] for f in j if f["rule"] == "makeup-leak"][0]' <"$TMP/health.json")" = 1.5 ] &&
  ok "the leak's evidence: 1.5 m³/h" || fail "leak evidence: $(cat "$TMP/health.json")"
[ "$(sql "SELECT count(*) FROM heat.analysis_finding")" = 0 ] && ok "without --write nothing is stored" ||
  fail "stored without --write"

expect_exit 0 "analyse health --write" $ENG analyse health --rules "$RULES" --hours 12 --write
expect_in "$TMP/out" 'stored: 3 new, 0 seen again, 0 resolved' "three findings stored"
sql "UPDATE heat.analysis_finding SET last_seen = last_seen - interval '1 hour', first_seen = first_seen - interval '1 hour'"
expect_exit 0 "analyse health --write again" $ENG analyse health --rules "$RULES" --hours 12 --write
expect_in "$TMP/out" 'stored: 0 new, 3 seen again, 0 resolved' "the same findings again: no new ones"
printf 'report:\n  dirs: %s\n' "$HEAT_SOURCE_DIR/etc/reports" >"$TMP/report.yaml"
TODAY=$(TZ=Asia/Shanghai date +%F)   # the CLIs work in the company zone (site.timezone)
PGUSER=eng_$$ reportgen --config "$TMP/report.yaml" run analysis-findings --from "$TODAY" --to "$TODAY" --format csv >"$TMP/rf.csv" ||
  fail "report analysis-findings"
[ "$(tail -n +2 "$TMP/rf.csv" | grep -c ',未处理$')" = 3 ] && grep -q 'A1,frozen-temperature,' "$TMP/rf.csv" &&
  ok "report analysis-findings lists the three open findings" || fail "report: $(cat "$TMP/rf.csv")"
PGUSER=bop_$$ reportgen --config "$TMP/report.yaml" run analysis-findings --from "$TODAY" --to "$TODAY" --format csv >"$TMP/rf2.csv"
if grep -q '^A1,' "$TMP/rf2.csv"; then fail "BR2's operator sees A1's findings in the report"; else
  ok "and BR2's operator does not see A1's in it"; fi
[ "$(sql "SELECT count(*) FROM heat.analysis_finding WHERE last_seen > first_seen + interval '50 minutes'")" = 3 ] &&
  ok "last_seen moved on" || fail "last_seen: $(sql 'SELECT first_seen, last_seen FROM heat.analysis_finding')"
[ "$(sql "SELECT evidence->>'hours' FROM heat.analysis_finding WHERE rule = 'frozen-temperature'")" = 12 ] &&
  ok "the evidence is stored" || fail "evidence: $(sql 'SELECT evidence FROM heat.analysis_finding')"

# heatd-alarm raises them, each with its fault and advice.
printf 'db:\n  conninfo: "host=%s port=%s dbname=%s user=svc_%s"\nalarm:\n  refresh: 1s\n' \
  "$PGHOST" "$PGPORT" "$PGDATABASE" "$$" >"$TMP/heat.yaml"
heatd-alarm --config "$TMP/heat.yaml" >"$TMP/alarm.log" 2>&1 & ALM=$!
trap 'kill $ALM 2>/dev/null || true; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT
eventually "SELECT count(*) FROM heat.alarm WHERE kind = 'finding' AND active" 3 >/dev/null &&
  ok "heatd-alarm raised the three findings" || fail "alarms: $(sql 'SELECT rule_code, source FROM heat.alarm'); $(cat "$TMP/alarm.log")"
[ "$(sql "SELECT count(*) FROM heat.analysis_finding WHERE alarm_id IS NOT NULL")" = 3 ] &&
  ok "each finding names its alarm" || fail "alarm_id not set"
expect_exit 0 "alarm list" $ENG alarm list
expect_in "$TMP/out" 'finding:makeup-leak.*补水量过大.*泄漏.*查漏' "the leak's alarm carries its fault and advice"
expect_in "$TMP/out" 'finding:frozen-temperature +A1.t2r|A1.t2r +finding:frozen-temperature' "the frozen sensor's alarm"
expect_exit 0 "BR2's operator lists alarms" $BOP alarm list
if grep -q 'A1' "$TMP/out"; then fail "BR2 sees A1's alarms"; else ok "BR2 does not see A1's alarms"; fi
expect_in "$TMP/out" 'finding:return-too-hot' "BR2 sees B1's alarm"
expect_exit 0 "BR2's operator lists findings" $BOP analyse findings
if grep -q 'A1' "$TMP/out"; then fail "BR2 sees A1's findings"; else ok "BR2 does not see A1's findings"; fi
expect_in "$TMP/out" 'return-too-hot' "BR2 sees B1's finding"
expect_exit 4 "an operator cannot store findings" $BOP analyse health --rules "$RULES" --hours 12 --write

# The sensor moves again: the next check resolves it, heatd-alarm clears it.
hourly A1.t2r '36 + h % 4' 0.2
expect_exit 0 "analyse health --write after the repair" $ENG analyse health --rules "$RULES" --hours 12 --write
expect_in "$TMP/out" 'stored: 0 new, 2 seen again, 1 resolved' "the frozen finding is resolved"
eventually "SELECT count(*) FROM heat.alarm WHERE rule_code = 'finding:frozen-temperature' AND NOT active" 1 >/dev/null &&
  ok "its alarm cleared" || fail "not cleared: $(sql "SELECT rule_code, active FROM heat.alarm")"
expect_exit 0 "findings --all" $ENG analyse findings --all
expect_in "$TMP/out" 'resolved .*frozen-temperature' "the resolved finding is listed with --all"

# A broken rule file: refused with file and line, nothing changed.
printf 'rules:\n  - id: x\n    title: t\n    colour: red\n' >"$TMP/bad.yaml"
before=$(sql "SELECT count(*), max(last_seen) FROM heat.analysis_finding")
expect_exit 2 "a broken rule file is refused" $ENG analyse health --rules "$TMP/bad.yaml" --write
expect_in "$TMP/err" "bad.yaml:4: rules\[0\]\.colour: unknown key" "the error names file, line and key"
[ "$(sql "SELECT count(*), max(last_seen) FROM heat.analysis_finding")" = "$before" ] && ok "nothing stored" ||
  fail "findings changed"

# Theft: H201 suspended yet as warm as heated H101 below it; H301
# disconnected under heated H401 and as cold as an unheated flat is. H401
# has no station of its own: its building's counts.
sql "INSERT INTO bill.community (name, org_id) SELECT '幸福小区', id FROM heat.org_unit WHERE code = 'BR1';
     INSERT INTO bill.building (community_id, name, station_id)
       SELECT c.id, '1号楼', s.id FROM bill.community c, heat.station s WHERE s.code = 'A1';
     INSERT INTO bill.unit (building_id, name) SELECT id, '1单元' FROM bill.building;
     INSERT INTO bill.house (code, unit_id, room, charged_area, house_type, station_id, heating_status)
       SELECT v.code, u.id, v.room, 80, 'residential', CASE WHEN v.code <> 'H401' THEN s.id END, v.status
       FROM bill.unit u, heat.station s,
            (VALUES ('H101', '101', 'heating'), ('H201', '201', 'suspended'), ('H301', '301', 'disconnected'),
                    ('H401', '401', 'heating')) v(code, room, status)
       WHERE s.code = 'A1'" >/dev/null
hourly A1-RS101.temp '20.5' 0.2
hourly A1-RS201.temp '19.8' 0.2
hourly A1-RS301.temp '4.5' 0.2
hourly A1-RS401.temp '20.1' 0.2
expect_exit 0 "analyse theft" $ENG analyse theft --rules "$RULES" --from -1d
cp "$TMP/out" "$TMP/theft.txt"
expect_in "$TMP/theft.txt" '^H201 +suspended +0\.9[0-9] +room +19\.8' "the warm suspended house is suspected, with its room"
if grep -q H301 "$TMP/theft.txt"; then fail "the honest disconnected house is suspected"; else
  ok "the cold disconnected house is not suspected"; fi
expect_in "$TMP/theft.txt" '^1 suspected of 4 houses' "one suspect of four houses"
$ENG --format json analyse theft --rules "$RULES" --from -1d >"$TMP/theft.json"
[ "$(json 'j[0]["evidence"]["room"]["heated_around"]' <"$TMP/theft.json")" = "['H101']" ] &&
  ok "the evidence names the heated neighbour" || fail "theft evidence: $(cat "$TMP/theft.json")"
expect_exit 0 "BR2's operator runs the theft analysis" $BOP analyse theft --rules "$RULES" --from -1d
expect_in "$TMP/out" '^0 suspected of 0 houses' "BR2 sees no house of BR1"
finish
