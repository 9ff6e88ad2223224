#!/usr/bin/env bash
# A failover under load (OPS-1): scripts/bench-failover runs a two-node
# cluster, heatd-ingest taking heatsim's telemetry and numbered MQTT
# readings, and a cashier's billctl charge loop, and kills -9 the
# primary's postmaster and its Patroni in the middle. Every reading the broker acknowledged and every receipt printed
# must be stored exactly once, and the other node must take writes within
# 30 s (4 unplanned failovers a year then fit the 99.975 % budget).
set -uo pipefail
ROOT=${HEAT_SOURCE_DIR:?}
out=$(mktemp); trap 'rm -f "$out"' EXIT
LOAD_S=5 HEAT_BIN=${HEAT_BIN:?} timeout 600 bash "$ROOT/scripts/bench-failover" >"$out" 2>&1
rc=$?
line=$(grep '^failover unavailable_s=' "$out" | tail -1)
fails=0
check() { if eval "$1"; then echo "ok: $2"; else echo "FAIL: $2"; fails=$((fails + 1)); fi; }
check '[ "$rc" = 0 ] && [ -n "$line" ]' "bench-failover ran (exit $rc): ${line:-no summary line}"
[ -n "$line" ] || tail -30 "$out"
U=$(sed -n 's/.*unavailable_s=\([0-9.]*\).*/\1/p' <<<"$line")
check '[ -n "$U" ] && python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 30 else 1)" "$U"' \
  "the standby took writes within 30 s (${U:-?} s)"
check 'grep -q "lost_readings=0 " <<<"$line"' "no acknowledged reading lost"
check 'grep -q "lost_payments=0 " <<<"$line"' "no printed receipt lost"
check 'grep -q "duplicates=0$" <<<"$line"' "nothing stored twice"
acked=$(sed -n 's/^==> \([0-9]*\) readings and \([0-9]*\) payments acknowledged/\1 \2/p' "$out")
check '[ "${acked%% *}" -gt 0 ] && [ "${acked##* }" -gt 0 ]' "readings and payments on both sides of the failover ($acked)"
sim=$(sed -n 's/^==> heatsim: \([0-9]*\) readings stored by the failover, \([0-9]*\) in all/\1 \2/p' "$out")
check '[ -n "$sim" ] && [ "${sim%% *}" -gt 0 ] && [ "${sim##* }" -gt "${sim%% *}" ]' \
  "heatsim's telemetry stored before and after the failover ($sim)"
if [ "$fails" = 0 ]; then echo "all checks passed"; else tail -20 "$out"; echo "$fails checks failed"; exit 1; fi
