#!/usr/bin/env bash
# heatctl alarm stats (ALM-4) on alarms of known times, as heatd-alarm
# would have written them: counts by station, rule and day, times to
# acknowledge and clear, chattering and stale ones, the top 10, and the
# EEMUA 191 rate per operator position; a branch's operator counts only
# its own.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
cat >"$TMP/net.yaml" <<YAML
org_units: [{code: CO, name: 公司}, {code: BR1, name: 一分, parent: CO}, {code: BR2, name: 二分, parent: CO}]
stations: [{code: T1, name: 一站, org: BR1}, {code: T2, name: 二站, org: BR2}]
YAML
heatctl import "$TMP/net.yaml" >/dev/null
heatctl user add sop_$$ --role heat_operator --org BR1 >/dev/null
# One hour from 2026-11-02 08:00 (+08): at T1, 12 t2s_high alarms in its first
# 10 minutes (a flood), each acknowledged after 60 s and cleared after 120 s,
# one of them chattering with 4 raises; one pump_fault still active from the
# day before (stale); at T2, 3 alarms.
sql "
INSERT INTO heat.alarm (rule_code, kind, source, station_id, priority, raised_at, message, active, acked,
                        acked_at, cleared_at, chattering, raises)
SELECT 't2s_high', 'high', 'T1.t2s', (SELECT id FROM heat.station WHERE code = 'T1'), 2,
       t, 'm', false, true, t + interval '60 s', t + interval '120 s', n = 1, CASE WHEN n = 1 THEN 4 ELSE 1 END
FROM generate_series(1, 12) n, LATERAL (SELECT timestamptz '2026-11-02 08:00+08' + n * interval '40 s' AS t) x;
INSERT INTO heat.alarm (rule_code, kind, source, station_id, priority, raised_at, message)
VALUES ('pump_fault', 'state', 'T1.pump1_fault', (SELECT id FROM heat.station WHERE code = 'T1'), 1,
        '2026-11-02 08:30+08', 'm');
INSERT INTO heat.alarm (rule_code, kind, source, station_id, priority, raised_at, message, active, acked)
SELECT 't2s_high', 'high', 'T2.t2s', (SELECT id FROM heat.station WHERE code = 'T2'), 2,
       timestamptz '2026-11-02 08:00+08' + n * interval '10 min', 'm', false, true FROM generate_series(1, 3) n;" >/dev/null
W="--from 2026-11-02T08:00 --to 2026-11-02T09:00"
heatctl alarm stats $W --format csv >"$TMP/by"
expect_in "$TMP/by" "^T1,13,16,1,12,0,0,1,1,1,60,60,120,120$" \
  "T1: 13 alarms, 16 raises, 1 of priority 1, 12 of 2, 1 chattering, 1 stale, 1 unacknowledged, ack and clear times"
expect_in "$TMP/by" "^T2,3,3,0,3,0,0,0,0,0,,,,$" "T2: 3, nothing to acknowledge or clear times unknown"
heatctl alarm stats $W --by rule --format csv >"$TMP/rule"
expect_in "$TMP/rule" "^t2s_high,15," "by rule: 15 t2s_high"
heatctl alarm stats $W --by day --format csv >"$TMP/day"
expect_in "$TMP/day" "^2026-11-02,16," "by day: 16 on the company's day"
heatctl alarm stats $W --section top --format csv >"$TMP/top"
[ "$(sed -n 2p "$TMP/top")" = "t2s_high,T1.t2s,T1,12,15,1" ] && ok "top: T1's t2s_high first" || fail "top: $(cat "$TMP/top")"
heatctl alarm stats $W --section eemua --format csv >"$TMP/eemua"
expect_in "$TMP/eemua" "^BR1,13,2.167,12,16.67,likely over-demanding$" \
  "EEMUA: BR1 13 in 6 slots is 2.167 per 10 min, a flood slot of 12 (16.67 %), likely over-demanding"
expect_in "$TMP/eemua" "^BR2,3,0.500,1,0.00,very likely acceptable$" "EEMUA: BR2 0.5 per 10 min, very likely acceptable"
PGUSER=sop_$$ heatctl alarm stats $W --section eemua --format csv >"$TMP/mine"
grep -q "^BR2," "$TMP/mine" && fail "a BR1 operator counts BR2's alarms" || ok "a BR1 operator counts only BR1's"
heatctl alarm stats $W --format json | json "sorted(j.keys()) == ['by', 'eemua', 'top']" | grep -q True &&
  ok "json: the three parts in one object" || fail "json"
heatctl alarm stats $W >"$TMP/table"
expect_in "$TMP/table" "alarm rate per operator position \\(EEMUA 191\\)" "table: titled parts"
expect_exit 2 "--by anything else is refused" heatctl alarm stats --by month
expect_exit 2 "--to before --from is refused" heatctl alarm stats --from 2026-11-02 --to 2026-11-01
finish
