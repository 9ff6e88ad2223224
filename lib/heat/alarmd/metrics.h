// alarmd/metrics.h — heatd-alarm's counts and its metrics (OPS-1,
// heatd-alarm(8) METRICS): the evaluator thread updates Stats (atomics, a
// few per round); the metrics server reads them when scraped:
//   heat_alarm_active                 alarms active now
//   heat_alarm_raised_total, heat_alarm_cleared_total
//   heat_alarm_readings_total         readings evaluated
//   heat_alarm_rounds_total           evaluation rounds (a transaction each)
//   heat_alarm_published_total        alarm states published over MQTT
//   heat_alarm_round_seconds          how long the last round took
//   heat_errors_total{kind="round"}   rounds that failed (the connection is
//                                     dropped and made again)
// and the names every daemon has (metrics/exporter.h); heat_ready follows
// the rounds, which reach the database at least once a second.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "heat/metrics/exporter.h"

namespace heat::alarmd {

struct Stats {
  std::atomic<uint64_t> rounds{0}, readings{0}, raised{0}, cleared{0}, errors{0}, published{0};
  std::atomic<uint64_t> active{0};
  std::atomic<double> round_s{0};
  std::atomic<bool> up{false};  // the last round reached the database
};

// Serves `stats` at `listen` ("" none); `stats` must outlive the result.
std::unique_ptr<metrics::Exporter> ExportStats(const std::string& listen, const Stats& stats);

}  // namespace heat::alarmd
