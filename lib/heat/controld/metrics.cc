#include "heat/controld/metrics.h"

namespace heat::controld {

std::unique_ptr<metrics::Exporter> ExportStats(const std::string& listen, const ControlStats& s) {
  auto e = metrics::Exporter::Start("heatd-control", listen, {[&s] { return s.up.load(); }, nullptr});
  metrics::Registry& r = e->registry();
  auto counter = [&](const char* name, const char* help, metrics::Labels labels, const std::atomic<uint64_t>& v) {
    e->Keep(r.ReadCounter(name, help, std::move(labels), [&v] { return v.load(); }));
  };
  const CommanderStats& c = s.commander;
  const char* commands = "Commands to stations by what became of them.";
  counter("heat_control_commands_total", commands, {{"state", "queued"}}, c.commands);
  counter("heat_control_commands_total", commands, {{"state", "sent"}}, c.sent);
  counter("heat_control_commands_total", commands, {{"state", "applied"}}, c.applied);
  counter("heat_control_commands_total", commands, {{"state", "refused"}}, c.refused);
  counter("heat_control_commands_total", commands, {{"state", "timeout"}}, c.timeouts);
  counter("heat_control_steps_total", "Strategy steps of the stations.", {}, c.steps);
  counter("heat_control_not_following_total", "Valves found not following their setpoint.", {}, c.not_following);
  e->Keep(e->ReadErrors("turn", [&s] { return s.turn_errors.load(); }));
  return e;
}

}  // namespace heat::controld
