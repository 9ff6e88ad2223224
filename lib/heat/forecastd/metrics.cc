#include "heat/forecastd/metrics.h"

namespace heat::forecastd {

std::unique_ptr<metrics::Exporter> ExportStats(const std::string& listen, const ForecastStats& s) {
  auto e = metrics::Exporter::Start("heatd-forecast", listen, {[&s] { return s.up.load(); }, nullptr});
  metrics::Registry& r = e->registry();
  auto counter = [&](const char* name, const char* help, const std::atomic<uint64_t>& v) {
    e->Keep(r.ReadCounter(name, help, {}, [&v] { return v.load(); }));
  };
  counter("heat_forecast_runs_total", "Forecast rounds that finished.", s.runs);
  counter("heat_forecast_issued_total", "Sites forecast by the rounds.", s.issued);
  counter("heat_forecast_skipped_total", "Sites skipped by the rounds (too little history).", s.skipped);
  e->Keep(r.ReadGauge("heat_forecast_last_success_timestamp_seconds",
                      "When the last round finished, in seconds since the Unix epoch; 0: none yet.", {},
                      [&s] { return static_cast<double>(s.last_success_s.load()); }));
  e->Keep(e->ReadErrors("round", [&s] { return s.errors.load(); }));
  return e;
}

}  // namespace heat::forecastd
