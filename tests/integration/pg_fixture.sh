#!/usr/bin/env bash
# CTest fixture: start / stop the private PostgreSQL of an integration run.
# Each test then makes its own database in it (see support/pgtest.h and
# the *_test.sh scripts), so tests never see each other's data.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
case "$1" in
  start) rm -rf "$2"; PG_FSYNC=off "$here/scripts/pg" start "$2" >/dev/null; echo "test PostgreSQL in $2" ;;
  stop)  "$here/scripts/pg" stop "$2"; rm -rf "$2" ;;
esac
