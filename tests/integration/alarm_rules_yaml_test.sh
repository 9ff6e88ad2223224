#!/usr/bin/env bash
# Alarm rules travel with the network file (ALM-3): imported through
# heat.alarm_rule_set (role and scope checked, logged), exported, and an
# export imported again changes nothing; a bad rule names its file:line and
# nothing is imported; a branch engineer cannot import a rule for every
# station.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
cat >"$TMP/net.yaml" <<'YAML'
org_units: [{code: CO, name: 公司}, {code: BR1, name: 一分, parent: CO}]
stations: [{code: Y1, name: 一站, org: BR1}, {code: Y2, name: 二站, org: BR1}]
alarm_rules:
  - {code: t2s_high, kind: high, tag: t2s, limit: 92, deadband: 2, on_delay: 2m, priority: 2,
     message_zh: "{station} 二次供水温度高 {value} °C", notify: [duty, ops]}
  - {code: t2s_high, attach: "station:Y2", limit: 85}
  - {code: box_lost, attach: "device_kind:control_box", kind: comm_loss, count: 3, priority: 1}
YAML
heatctl import "$TMP/net.yaml" >"$TMP/out"
expect_in "$TMP/out" "^alarm_rules: 3 added, 0 changed, 0 unchanged$" "three rules imported with the network"
[ "$(sql "SELECT limit_value || ' ' || on_delay_s || ' ' || array_to_string(notify, ',') FROM heat.alarm_rule WHERE attach = 'all' AND code = 't2s_high'")" = "92 120 duty,ops" ] &&
  ok "stored as stated (2m is 120 s)" || fail "stored: $(sql "SELECT * FROM heat.alarm_rule")"
[ "$(sql "SELECT kind || ' ' || tag || ' ' || limit_value FROM heat.alarm_rule WHERE attach = 'station'")" = "high t2s 85" ] &&
  ok "Y2's override takes the rest from the rule for every station" || fail "override"
[ "$(sql "SELECT count(*) FROM heat.op_log WHERE object_kind = 'alarm_rule'")" = 3 ] && ok "each rule logged" || fail "not logged"
heatctl export >"$TMP/export.yaml"
expect_in "$TMP/export.yaml" "^  - \{code: t2s_high, attach: station:Y2, kind: high, tag: t2s, limit: 85" "export writes the rules"
heatctl import "$TMP/export.yaml" >"$TMP/again"
expect_in "$TMP/again" "^0 changes$" "importing the export changes nothing"
sed -i 's/limit: 85/limit: 84/' "$TMP/export.yaml"
heatctl import "$TMP/export.yaml" >"$TMP/changed"
expect_in "$TMP/changed" "^alarm rule t2s_high @station:Y2: changed$" "a changed limit is one change"
cat >"$TMP/bad.yaml" <<'YAML'
alarm_rules:
  - {code: x, kind: high, tag: t2s, limit: high}
  - {code: y, attach: "galaxy:M31", kind: high, tag: t2s, limit: 1}
YAML
expect_exit 2 "bad rules are refused" heatctl import "$TMP/bad.yaml"
expect_in "$TMP/err" "bad.yaml:2: alarm_rules\\[0\\] \\(x\\): limit: expected a number, got 'high'" "naming file:line, rule and key"
expect_in "$TMP/err" "bad.yaml:3: alarm_rules\\[1\\] \\(y\\): attach: all or LEVEL:WHAT" "and the attachment"
heatctl user add yeng_$$ --role heat_engineer --org BR1 >/dev/null
printf 'alarm_rules:\n  - {code: z, kind: high, tag: t2s, limit: 1}\n' >"$TMP/wide.yaml"
expect_exit 4 "a branch engineer cannot import a rule for every station" env PGUSER=yeng_$$ heatctl import "$TMP/wide.yaml"
[ "$(sql "SELECT count(*) FROM heat.alarm_rule WHERE code IN ('x', 'y', 'z')")" = 0 ] && ok "nothing of them imported" || fail "imported"
finish
