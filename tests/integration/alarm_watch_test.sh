#!/usr/bin/env bash
# heatctl alarm watch as an operator sees it, in tmux (ALM-4, MON-3):
# new alarms on top, coloured by priority, the bell for an unacknowledged
# priority-1 alarm, acknowledgement from the keyboard (which stops the
# bell), a new alarm appearing without a key pressed, and nothing of
# another branch.
source "$(dirname "$0")/lib.sh"
export PGUSER=$SUPER
command -v tmux >/dev/null || { echo "tmux missing (scripts/test installs it)"; exit 1; }
cat >"$TMP/net.yaml" <<YAML
org_units: [{code: CO, name: 公司}, {code: BR1, name: 一分, parent: CO}, {code: BR2, name: 二分, parent: CO}]
stations: [{code: W1, name: 一站, org: BR1}, {code: W2, name: 二站, org: BR2}]
YAML
heatctl import "$TMP/net.yaml" >/dev/null
heatctl user add wop_$$ --role heat_operator --org BR1 >/dev/null
raise() {  # raise STATION SOURCE PRIORITY MESSAGE: what heatd-alarm writes
  sql "INSERT INTO heat.alarm (rule_code, kind, source, station_id, priority, raised_at, message)
       SELECT 'r$3', 'high', '$2', id, $3, now(), '$4' FROM heat.station WHERE code = '$1' RETURNING id"
}
OLD=$(raise W1 W1.t2s 3 'W1 供水温度高')
sleep 1
P1=$(raise W1 W1.pump1_fault 1 'W1 循环泵故障')
raise W2 W2.t2s 1 'W2 不该看到' >/dev/null
S=watch_$$
tmux kill-session -t "$S" 2>/dev/null || true
trap 'tmux kill-session -t "$S" 2>/dev/null || true; dropdb --force "$PGDATABASE" 2>/dev/null || true' EXIT
tmux new-session -d -s "$S" -x 150 -y 20 "sleep 600"
tmux new-window -d -t "$S:1" "env PGUSER=wop_$$ PATH='$PATH' PGHOST='$PGHOST' PGPORT='$PGPORT' PGDATABASE='$PGDATABASE' heatctl alarm watch; sleep 600"
screen() { tmux capture-pane -p -t "$S:1"; }
for _ in $(seq 50); do screen | grep -q "W1.pump1_fault" && break; sleep 0.1; done
screen >"$TMP/screen"
expect_in "$TMP/screen" "2 open, 2 unacknowledged" "the header counts the operator's open alarms"
grep -q "W2" "$TMP/screen" && fail "BR2's alarm is shown to a BR1 operator" || ok "nothing of another branch"
first=$(grep -nE "^$P1 " "$TMP/screen" | cut -d: -f1); second=$(grep -nE "^$OLD " "$TMP/screen" | cut -d: -f1)
[ -n "$first" ] && [ -n "$second" ] && [ "$first" -lt "$second" ] && ok "the newer alarm is on top" ||
  fail "order: $(cat "$TMP/screen")"
line=$(tmux capture-pane -p -e -t "$S:1" | grep "W1.pump1_fault" | cat -v)
[[ $line == *"31m$P1 "* && $line == *"7m"* && $line == *"1m"* ]] &&
  ok "priority 1 in red and bold (unacknowledged), the top row selected" || fail "colours: $line"
sleep 2.5
[ "$(tmux display -p -t "$S:1" '#{window_bell_flag}')" = 1 ] && ok "the bell rings for an unacknowledged priority-1 alarm" ||
  fail "no bell"
tmux send-keys -t "$S:1" a
for _ in $(seq 50); do [ "$(sql "SELECT acked FROM heat.alarm WHERE id = $P1")" = t ] && break; sleep 0.1; done
[ "$(sql "SELECT acked_by FROM heat.alarm WHERE id = $P1")" = "wop_$$" ] &&
  ok "a acknowledges the selected alarm, as the operator" || fail "not acknowledged: $(screen | tail -3)"
[ "$(sql "SELECT count(*) FROM heat.alarm_event WHERE alarm_id = $P1 AND what = 'ack' AND login = 'wop_$$'")" = 1 ] &&
  ok "the transition is kept with who" || fail "no ack event"
tmux select-window -t "$S:1"; tmux select-window -t "$S:0"  # clears the bell flag
sleep 3
[ "$(tmux display -p -t "$S:1" '#{window_bell_flag}')" = 0 ] && ok "acknowledged: the bell stops" || fail "still ringing"
N=$(raise W1 W1.p2r 2 'W1 回水压力低')
for _ in $(seq 30); do screen | grep -q "^$N " && break; sleep 0.1; done
screen | head -4 | grep -q "^$N " && ok "a new alarm appears on top at once, no key pressed" || fail "$(screen | head -6)"
tmux send-keys -t "$S:1" q
for _ in $(seq 30); do tmux capture-pane -p -t "$S:1" | grep -q "heat alarms" || break; sleep 0.1; done
screen | grep -q "heat alarms" && fail "q does not quit" || ok "q quits and gives the terminal back"
finish
