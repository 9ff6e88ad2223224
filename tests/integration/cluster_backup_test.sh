#!/usr/bin/env bash
# tests/integration/cluster_backup_test.sh — pgBackRest backs up whichever
# node is the primary (OPS-1; heat-admin(8), CLUSTER, Backups): one stanza
# names both nodes; WAL is archived by the primary of the moment; a full
# backup before a failover (kill -9 of the primary and its Patroni) and a
# differential one after it both succeed, and the copy restored from the
# second holds the rows committed on either side of the failover. On this
# machine both nodes are local, so the stanza gives both data directories
# (production names pg1-host and pg2-host on the witness instead), and the
# archive command gives pgBackRest the node's own directory ($PWD is the
# data directory when PostgreSQL runs it), as each node's own
# pgbackrest.conf does in production.
set -euo pipefail
: "${HEAT_SOURCE_DIR:?run through ctest}" "${HEAT_BIN:?}"
export PATH="$HEAT_BIN:$PATH" HEAT_BIN PG_FSYNC=off
CLUSTER=$HEAT_SOURCE_DIR/scripts/cluster
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
W=$(mktemp -d /tmp/cluster-backup-test.XXXXXX)
chmod 755 "$W"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  [ -f "$W/restore/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$W/restore" -m immediate stop >/dev/null 2>&1 || true
  timeout 120 "$CLUSTER" down "$W/c" >/dev/null 2>&1 || true
  rm -rf "$W"
}
trap cleanup EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

CI=$(timeout 300 "$CLUSTER" up "$W/c" | tail -1)
source "$W/c/ports"
ci() { PGUSER=postgres psql "$CI" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
mkdir -p "$W/repo"
cat >"$W/pgbackrest.conf" <<CONF
[global]
repo1-path=$W/repo
log-path=$W/repo
lock-path=$W/repo
start-fast=y

[heat]
pg1-path=$W/c/node1/data
pg1-port=$PG_node1
pg1-socket-path=$W/c/node1
pg2-path=$W/c/node2/data
pg2-port=$PG_node2
pg2-socket-path=$W/c/node2
CONF
[ "$(id -u)" = 0 ] && chown -R postgres: "$W/repo" "$W/pgbackrest.conf"
PB=(as_pg pgbackrest --config="$W/pgbackrest.conf" --stanza=heat)

# Archiving on, through Patroni (archive_mode needs a restart of both).
patronictl -c "$W/c/node1/patroni.yml" edit-config --force -s postgresql.parameters.archive_mode=on \
  -s "postgresql.parameters.archive_command=pgbackrest --config=$W/pgbackrest.conf --stanza=heat --pg1-path=\"\$PWD\" archive-push %p" \
  >/dev/null
patronictl -c "$W/c/node1/patroni.yml" restart heat --force >/dev/null
for _ in $(seq 120); do
  [ "$(ci "SHOW archive_mode" 2>/dev/null)" = on ] && break; sleep 0.5
done
[ "$(ci "SHOW archive_mode")" = on ] && ok "archive_mode on after a restart through Patroni" || fail "archive_mode"
for _ in $(seq 60); do "${PB[@]}" stanza-create >/dev/null 2>&1 && break; sleep 1; done
"${PB[@]}" check >"$W/out" 2>&1 && ok "stanza made, the primary archives its WAL" || { fail "check: $(tail -3 "$W/out")"; }

ci "CREATE TABLE backup_probe(n int PRIMARY KEY); INSERT INTO backup_probe VALUES (1)"
"${PB[@]}" backup --type=full >"$W/out" 2>&1 && ok "full backup of node1, the primary" || fail "full backup: $(tail -3 "$W/out")"

timeout 180 "$CLUSTER" failover "$W/c" >"$W/failover" 2>&1 || fail "failover: $(tail -3 "$W/failover")"
grep -q 'node1 -> node2' "$W/failover" && ok "failover: node2 is the primary" || fail "failover: $(cat "$W/failover")"
ci "INSERT INTO backup_probe VALUES (2)"
ok_check=0
for _ in $(seq 30); do "${PB[@]}" check >"$W/out" 2>&1 && { ok_check=1; break; }; sleep 2; done
[ "$ok_check" = 1 ] && ok "after the failover node2 archives into the same stanza" || fail "check after failover: $(tail -3 "$W/out")"
"${PB[@]}" backup --type=diff >"$W/out" 2>&1 && ok "differential backup of node2, the new primary" ||
  fail "diff backup: $(tail -3 "$W/out")"
"${PB[@]}" info >"$W/info" 2>&1
grep -q "diff backup:" "$W/info" && grep -q "full backup:" "$W/info" && ok "info lists the full and the differential backup" ||
  fail "info: $(cat "$W/info")"

# Restore the latest into an empty folder and start it on its own port.
mkdir -p "$W/restore"; chmod 700 "$W/restore"; [ "$(id -u)" = 0 ] && chown postgres: "$W/restore"
"${PB[@]}" --pg1-path="$W/restore" --type=immediate --target-action=promote restore >"$W/out" 2>&1 ||
  fail "restore: $(tail -3 "$W/out")"
RPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf "port = %s\nunix_socket_directories = '%s'\narchive_mode = off\n" "$RPORT" "$W/restore" >>"$W/restore/postgresql.auto.conf"
as_pg "$PGBIN/pg_ctl" -D "$W/restore" -l "$W/restore/startup.log" -w -t 120 start >/dev/null || fail "restored copy did not start: $(tail -3 "$W/restore/startup.log")"
got=$(PGUSER=postgres psql -h "$W/restore" -p "$RPORT" -d heat -qAtX -c "SELECT string_agg(n::text, ',' ORDER BY n) FROM backup_probe" 2>&1)
[ "$got" = "1,2" ] && ok "the restored copy has the rows of both sides of the failover (1,2)" || fail "restored rows: $got"

if [ "$fails" = 0 ]; then echo "all checks passed"; else echo "$fails checks failed"; exit 1; fi
