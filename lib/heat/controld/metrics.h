// controld/metrics.h — heatd-control's metrics (OPS-1, heatd-control(8)
// METRICS), read when scraped from counts the main loop keeps:
//   heat_control_commands_total{state}  queued | sent | applied | refused |
//                                       timeout (the daemon's commands and
//                                       people's, as this daemon handled them)
//   heat_control_steps_total            strategy steps of the stations
//   heat_control_not_following_total    valves found not following
//   heat_errors_total{kind="turn"}      turns of the loop that failed
// and the names every daemon has (metrics/exporter.h); heat_ready is 1
// while the turns (one a second) reach the database.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "heat/controld/commander.h"
#include "heat/metrics/exporter.h"

namespace heat::controld {

struct ControlStats {
  CommanderStats commander;       // given to each Commander in turn
  std::atomic<uint64_t> turn_errors{0};
  std::atomic<bool> up{false};    // the last turn reached the database
};

// Serves `stats` at `listen` ("" none); `stats` must outlive the result.
std::unique_ptr<metrics::Exporter> ExportStats(const std::string& listen, const ControlStats& stats);

}  // namespace heat::controld
