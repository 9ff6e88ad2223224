// cli/daemon_main.h — the command line every daemon shares (heatd-ingest,
// heatd-control, ...): -c/--config, --check-config, --version; the
// configuration found and validated (core/config_reload.h); the log level;
// SIGTERM, SIGINT and SIGHUP blocked before any thread starts (the main
// loop takes them with sigtimedwait); SIGPIPE ignored. A daemon's main()
// is one call.
#pragma once

#include <functional>
#include <string>

#include "heat/core/config.h"
#include "heat/core/status.h"

namespace heat::cli {

struct DaemonSpec {
  std::string name;   // "heatd-ingest"
  std::string about;  // one line for --help
  // What start-up would refuse beyond the option table's own checks (for
  // --check-config); may be empty.
  std::function<Status(const Config&)> check;
  // Runs the daemon with its configuration and the file's path; the exit code.
  std::function<int(Config, const std::string&)> run;
};

int DaemonMain(const DaemonSpec& spec, int argc, char** argv);

// The main loop of a daemon started by DaemonMain: takes the blocked
// signals with sigtimedwait (so no handler runs in an odd place); SIGHUP
// calls reload; then, and at least once a second, pings the systemd
// watchdog and calls tick. Returns at SIGTERM or SIGINT.
void RunUntilStopped(const std::function<void()>& reload, const std::function<void()>& tick);

}  // namespace heat::cli
