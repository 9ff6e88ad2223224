// alarmd/system_watch.h — heatd-alarm's system alarms (OPS-1): every
// alarm.system_interval, on a thread and a database connection of its own
// (a probe waits up to seconds for a node or an address that does not
// answer; the 1-s evaluation round never waits for it), the servers are
// probed as `heatctl system status` probes them (lib/heat/monitor) and
// the checks are handed to heat.system_alarms() (lib/sql 0043), which
// raises system:disk (a watched filesystem above alarm.disk_max_pct),
// system:lag (a standby behind by more than alarm.lag_max_s),
// system:node (a PostgreSQL node down) and system:daemon (a daemon not
// ready or unreachable; heatd-alarm does not ask itself) and clears them
// when the check passes. A condition raises only when two probes in a row
// find it (an on-delay of one interval: a daemon that starts after
// heatd-alarm, a node restarting, are no alarm); it clears at the first
// probe that passes. Raised alarms reach displays through the alarm
// table's notification, as every alarm does.
//
// Thread-safety: SetConfig and Stop may be called from any thread while
// Run runs on its own.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "heat/core/config.h"
#include "heat/db/conn.h"
#include "heat/monitor/system.h"

namespace heat::alarmd {

class SystemWatch {
 public:
  explicit SystemWatch(Config cfg) : cfg_(std::move(cfg)) {}
  // A reloaded configuration: the next check runs at once with it.
  void SetConfig(const Config& cfg);
  void Stop();
  void Run();

 private:
  Status CheckOnce(const Config& cfg);

  std::mutex mu_;
  std::condition_variable wake_;
  Config cfg_;          // guarded by mu_
  bool changed_ = false, stop_ = false;  // guarded by mu_
  std::unique_ptr<db::Conn> db_;  // Run's thread only
  std::set<std::string> failing_; // Run's thread only: rule and source failing at the last probe
};

}  // namespace heat::alarmd
