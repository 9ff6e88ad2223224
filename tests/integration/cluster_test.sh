#!/usr/bin/env bash
# tests/integration/cluster_test.sh — the two-node cluster of OPS-1
# (scripts/cluster, heat-admin(8) CLUSTER): the schema on both nodes, writes
# through the multi-host conninfo, a switchover and a failover (kill -9 of
# the primary's postmaster, then of its Patroni) that lose no committed row
# and duplicate none, the standby writable within 30 s, the old primary back
# as a standby, nothing left running after down. Its own cluster, not the
# shared pg fixture; every step is bounded in time.
set -euo pipefail
: "${HEAT_SOURCE_DIR:?run through ctest}" "${HEAT_BIN:?}"
export PATH="$HEAT_BIN:$PATH" HEAT_BIN PG_FSYNC=off
CLUSTER=$HEAT_SOURCE_DIR/scripts/cluster
W=$(mktemp -d /tmp/cluster-test.XXXXXX)
chmod 755 "$W"
WRITER=""
cleanup() {
  [ -z "$WRITER" ] || kill "$WRITER" 2>/dev/null || true
  timeout 120 "$CLUSTER" down "$W/c" >/dev/null 2>&1 || true
  rm -rf "$W"
}
trap cleanup EXIT

fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
# on PORT QUERY: one value from the node on PORT (superuser, trust).
on() { PGUSER=postgres psql -h 127.0.0.1 -p "$1" -d heat -qAtX -v ON_ERROR_STOP=1 -c "$2"; }
# ci QUERY: through the multi-host conninfo, as a client does.
ci() { PGUSER=postgres psql "$CI" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }

# writer: inserts n = 1, 2, ... one transaction each through the conninfo,
# appending n to acked when the COMMIT returned; a failed attempt is not
# retried (its outcome is unknown), so no n is ever sent twice.
writer() {
  local n=0
  while :; do
    n=$((n + 1))
    if ci "INSERT INTO cluster_probe(n) VALUES ($n)" >/dev/null 2>&1; then echo "$n" >>"$W/acked"; fi
    sleep 0.02
  done
}
start_writer() { : >"$W/acked"; ci "TRUNCATE cluster_probe"; writer & WRITER=$!; }
stop_writer() { kill "$WRITER"; wait "$WRITER" 2>/dev/null || true; WRITER=""; }
# check_rows WHAT: every acknowledged row is on the primary exactly once,
# and on the standby too once it has replayed.
check_rows() {
  local acked got dup missing port
  acked=$(wc -l <"$W/acked")
  [ "$acked" -gt 20 ] || fail "$1: only $acked writes acknowledged"
  dup=$(ci "SELECT count(*) - count(DISTINCT n) FROM cluster_probe")
  missing=$(ci "SELECT count(*) FROM unnest(string_to_array('$(paste -sd, "$W/acked")', ',')::int[]) a(n)
                WHERE NOT EXISTS (SELECT 1 FROM cluster_probe p WHERE p.n = a.n)")
  [ "$dup" = 0 ] && [ "$missing" = 0 ] && ok "$1: $acked acknowledged rows, each present exactly once" ||
    fail "$1: $missing acknowledged rows missing, $dup duplicates"
  got=$(ci "SELECT count(*) FROM cluster_probe")
  for port in $P1 $P2; do
    for _ in $(seq 50); do [ "$(on "$port" "SELECT count(*) FROM cluster_probe")" = "$got" ] && break; sleep 0.2; done
    [ "$(on "$port" "SELECT count(*) FROM cluster_probe")" = "$got" ] && ok "$1: port $port has the $got rows" ||
      fail "$1: port $port has $(on "$port" "SELECT count(*) FROM cluster_probe") rows, the primary $got"
  done
}
role_of() { [ "$(on "$1" "SELECT pg_is_in_recovery()")" = f ] && echo primary || echo standby; }

# --- up
if CI=$(timeout 400 "$CLUSTER" up "$W/c" 2>"$W/up.err" | tail -1); then ok "cluster up"; else
  cat "$W/up.err" >&2; fail "cluster up"; exit 1; fi
source "$W/c/ports"; P1=$PG_node1; P2=$PG_node2
[ "$CI" = "host=127.0.0.1,127.0.0.1 port=$P1,$P2 dbname=heat target_session_attrs=read-write connect_timeout=2" ] &&
  ok "up prints the multi-host conninfo" || fail "conninfo: $CI"
timeout 30 "$CLUSTER" status "$W/c" >"$W/status" || fail "status"
grep -qE 'Leader .* running' "$W/status" && grep -qE 'Sync Standby .* running' "$W/status" &&
  ok "status shows a leader and a synchronous standby" || { fail "status:"; cat "$W/status" >&2; }

# --- the schema on both nodes (the standby by replication)
v1=$(on "$P1" "SELECT string_agg(version::text, ',' ORDER BY version) FROM heat_meta.schema_migration")
v2=$(on "$P2" "SELECT string_agg(version::text, ',' ORDER BY version) FROM heat_meta.schema_migration")
[ -n "$v1" ] && [ "$v1" = "$v2" ] && ok "both nodes have migrations $v1" || fail "migrations: node1 '$v1', node2 '$v2'"
for port in $P1 $P2; do
  [ "$(on "$port" "SELECT to_regclass('bill.entry') IS NOT NULL AND to_regclass('heat.reading') IS NOT NULL")" = t ] &&
    ok "port $port ($(role_of "$port")) has bill.entry and heat.reading" || fail "port $port lacks the schema"
done

# --- writes through the conninfo, a switchover, a failover
ci "CREATE TABLE cluster_probe (id bigserial PRIMARY KEY, n int NOT NULL, at timestamptz DEFAULT clock_timestamp())"
old=$(ci "SELECT current_setting('port')")
start_writer; sleep 2
timeout 150 "$CLUSTER" switchover "$W/c" >"$W/sw.out" 2>&1 && ok "$(cat "$W/sw.out")" || { fail "switchover:"; cat "$W/sw.out" >&2; }
sleep 2; stop_writer
[ "$(ci "SELECT current_setting('port')")" != "$old" ] && ok "the conninfo reaches the new primary" ||
  fail "still on port $old after the switchover"
check_rows switchover

old=$(ci "SELECT current_setting('port')")
start_writer; sleep 2
timeout 300 "$CLUSTER" failover "$W/c" >"$W/fo.out" 2>&1 || { fail "failover:"; cat "$W/fo.out" >&2; }
sleep 2; stop_writer
cat "$W/fo.out"
gap=$(sed -n 's/.*unavailable_s=\([0-9.]*\).*/\1/p' "$W/fo.out")
[ -n "$gap" ] && python3 -c "import sys; sys.exit(0 if float('$gap') < 30 else 1)" &&
  ok "the standby took over within 30 s ($gap s)" || fail "takeover took '$gap' s"
new=$(ci "SELECT current_setting('port')")
[ "$new" != "$old" ] && ok "the conninfo reaches the new primary (port $new)" || fail "still on port $old"
[ "$(role_of "$old")" = standby ] && ok "the killed node (port $old) rejoined as a standby" ||
  fail "port $old is $(role_of "$old")"
[ "$(on "$new" "SELECT sync_state FROM pg_stat_replication")" = sync ] &&
  ok "and is the synchronous standby again" || fail "no synchronous standby after the failover"
check_rows failover

# --- down leaves nothing running
timeout 120 "$CLUSTER" down "$W/c" || fail "down"
if pgrep -f "$W/c" >/dev/null; then fail "left running: $(pgrep -af "$W/c")"; else ok "down leaves no process"; fi

if [ "$fails" = 0 ]; then echo "all checks passed"; else echo "$fails checks failed"; exit 1; fi
