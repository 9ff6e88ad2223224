// forecastd/metrics.h — heatd-forecast's counts and its metrics (OPS-1,
// heatd-forecast(8) METRICS), updated by the worker thread and read when
// scraped:
//   heat_forecast_runs_total                       rounds that finished
//   heat_forecast_last_success_timestamp_seconds   when the last one did
//   heat_forecast_issued_total, heat_forecast_skipped_total   sites per round
//   heat_errors_total{kind="round"}                rounds that failed
// and the names every daemon has (metrics/exporter.h); heat_ready is 1
// while the worker's connection is there, checked every second between
// rounds as well.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "heat/metrics/exporter.h"

namespace heat::forecastd {

struct ForecastStats {
  std::atomic<uint64_t> runs{0}, issued{0}, skipped{0}, errors{0};
  std::atomic<int64_t> last_success_s{0};  // Unix time; 0: none yet
  std::atomic<bool> up{false};
};

// Serves `stats` at `listen` ("" none); `stats` must outlive the result.
std::unique_ptr<metrics::Exporter> ExportStats(const std::string& listen, const ForecastStats& stats);

}  // namespace heat::forecastd
