#include "heat/alarmd/metrics.h"

namespace heat::alarmd {

std::unique_ptr<metrics::Exporter> ExportStats(const std::string& listen, const Stats& s) {
  auto e = metrics::Exporter::Start("heatd-alarm", listen,
                                    {[&s] { return s.up.load(); }, nullptr});
  metrics::Registry& r = e->registry();
  auto counter = [&](const char* name, const char* help, const std::atomic<uint64_t>& v) {
    e->Keep(r.ReadCounter(name, help, {}, [&v] { return v.load(); }));
  };
  e->Keep(r.ReadGauge("heat_alarm_active", "Alarms active now.", {},
                      [&s] { return static_cast<double>(s.active.load()); }));
  counter("heat_alarm_raised_total", "Alarms raised.", s.raised);
  counter("heat_alarm_cleared_total", "Alarms cleared.", s.cleared);
  counter("heat_alarm_readings_total", "Readings evaluated.", s.readings);
  counter("heat_alarm_rounds_total", "Evaluation rounds, a transaction each.", s.rounds);
  counter("heat_alarm_published_total", "Alarm states published over MQTT.", s.published);
  e->Keep(r.ReadGauge("heat_alarm_round_seconds", "How long the last evaluation round took.", {},
                      [&s] { return s.round_s.load(); }));
  e->Keep(e->ReadErrors("round", [&s] { return s.errors.load(); }));
  return e;
}

}  // namespace heat::alarmd
