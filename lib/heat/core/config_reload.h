// core/config_reload.h — finding the configuration and SIGHUP, shared by
// every daemon (heatd-ingest today; heatd-control, -alarm, -forecast
// later) so that none has its own copy (OPS-1).
//
// pgbouncer's rule: a reload parses the whole file first and keeps the
// running configuration when it is invalid. When it is valid, reloadable
// keys take their new values at once, and restart-only keys (the table's
// reloadable = false) KEEP their running values everywhere: the daemon
// logs "<key> changed; it needs a restart" once per key and value, and
// restart_pending() lists them until a restart or until the file is
// changed back. log.level is applied here.
// Not thread-safe: the daemon's main loop owns it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "heat/core/config.h"
#include "heat/core/status.h"

namespace heat {

// The file a daemon reads: `path` if given, else $HEAT_CONFIG, else
// /etc/heat/heat.yaml when it exists, else the defaults.
Result<Config> LoadDaemonConfig(const std::string& path);

class ConfigReloader {
 public:
  ConfigReloader(Config running, std::string path) : cfg_(std::move(running)), path_(std::move(path)) {}

  const Config& config() const { return cfg_; }
  // Rereads the file (LoadDaemonConfig(path)). On error the running
  // configuration stays and the error is returned.
  Status Reload();
  // Restart-only keys whose value in the file differs from the running one.
  std::vector<std::string> restart_pending() const;

 private:
  Config cfg_;
  std::string path_;
  std::map<std::string, std::string> pending_;  // key -> value in the file
};

}  // namespace heat
