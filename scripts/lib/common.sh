# scripts/lib/common.sh — shared by scripts/demo, scripts/test and benches.
# Installs missing Debian packages, configures and builds.

HEAT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Everything the build, the tests and the demo need, by Debian package.
HEAT_PACKAGES=(
  cmake ninja-build g++ clang libclang-rt-14-dev pkg-config
  libcli11-dev libboost-dev libpq-dev libyaml-cpp-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libsystemd-dev mosquitto mosquitto-clients libcoap3-dev libcoap3-bin libmodbus-dev
  postgresql-15 postgresql-15-postgis-3 postgresql-client-15
  scdoc tzdata locales python3 unicode-data libzip-dev libexpat1-dev libxlsxwriter-dev libeigen3-dev tmux
  libcairo2-dev libpango1.0-dev fonts-noto-cjk libmstch-dev pgbackrest poppler-utils
  libqrencode-dev libssl-dev cups-client cups zbar-tools libncurses-dev
  libcgicc-dev libfcgi-dev libcurl4-openssl-dev lighttpd chromium python3-cryptography python3-websocket pgbouncer
  patroni etcd-server etcd-client
)

say() { printf '==> %s\n' "$*" >&2; }

# Installs the packages that are not installed yet (apt-get update first).
ensure_packages() {
  local missing=() p
  for p in "${HEAT_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# build DIR [cmake options...]: configure once, then build incrementally.
build() {
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S "$HEAT_ROOT" -B "$dir" -G Ninja "$@" >/dev/null
  fi
  # ninja's own status: with pipefail, "|| true" would hide a failed build
  # (its PIPESTATUS is then true's), and the tests would run stale binaries.
  local rc=0
  ninja -C "$dir" -j"$(nproc)" | grep -v '^\[' || rc=${PIPESTATUS[0]}
  return "$rc"
}
