#!/usr/bin/env bash
# The Prometheus configuration shipped for two servers (OPS-1,
# etc/prometheus): promtool accepts it, and the alert rules fire on the
# series that should raise them and stay quiet otherwise (heat-rules.test.yml:
# a disk above 80 %, a standby 80 s behind with WAL outstanding but not an
# idle pair whose replay timestamp ages, a daemon not ready, a database down).
source "$(dirname "$0")/lib.sh"
# promtool comes from Debian's prometheus package, but installing that
# would start a Prometheus server on the machine: the tool alone is taken
# out of the package (kept in ~/.cache/heat) unless it is installed.
promtool_path() {
  if command -v promtool >/dev/null; then command -v promtool; return; fi
  local dir=${XDG_CACHE_HOME:-$HOME/.cache}/heat/prometheus
  if [ ! -x "$dir/usr/bin/promtool" ]; then
    mkdir -p "$dir" && (cd "$TMP" && apt-get download prometheus >/dev/null 2>&1 &&
      dpkg-deb -x prometheus_*.deb "$dir") || { echo "cannot get promtool (apt-get download prometheus)" >&2; return 1; }
  fi
  echo "$dir/usr/bin/promtool"
}
PROMTOOL=$(promtool_path) || { fail "promtool"; finish; }
cd "$HEAT_SOURCE_DIR/etc/prometheus"
expect_exit 0 "promtool check config prometheus.yml" "$PROMTOOL" check config prometheus.yml
expect_exit 0 "promtool test rules heat-rules.test.yml" "$PROMTOOL" test rules heat-rules.test.yml
expect_in "$TMP/out" "SUCCESS" "every alert test passes"
finish
