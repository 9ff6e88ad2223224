// heatctl system status (OPS-1): the two servers at a glance — each
// PostgreSQL node of db.conninfo (primary, standby or down, the standby's
// lag, the timeline), disk, CPU load and memory of each machine, and each
// daemon's metrics endpoint (ready, not ready, unreachable; its build).
// The probing is lib/heat/monitor's; the nodes answer through
// heat.system_node() (lib/sql 0043), granted to heat_engineer: a person
// without it is refused with nothing shown. The states judged against the
// limits of the system alarms (alarm.disk_max_pct, alarm.lag_max_s), so
// what this shows is what heatd-alarm raises.
#include <charconv>
#include <cmath>

#include "heat/ctl/commands.h"
#include "heat/monitor/system.h"

namespace heat::ctl {
namespace {

// The shortest text that reads back as v (61.3, not 61.300000).
std::string Number(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : "";
}

cli::Table StatusTable(const std::vector<monitor::Row>& rows) {
  cli::Table t;
  t.columns = {"kind", "host", "name", "state", "value", "unit", "timeline", "detail"};
  auto text = [](const std::string& s) { return cli::Cell{s.empty() ? std::nullopt : std::optional(s)}; };
  for (const monitor::Row& r : rows) {
    cli::Cell value{r.value && std::isfinite(*r.value) ? std::optional(Number(*r.value)) : std::nullopt,
                    cli::Cell::kNumber};
    cli::Cell timeline{r.timeline ? std::optional(std::to_string(*r.timeline)) : std::nullopt, cli::Cell::kInt};
    t.Add({text(r.kind), text(r.host), text(r.name), text(r.state), value, text(r.unit), timeline, text(r.detail)});
  }
  return t;
}

Status RunStatus(cli::Context& ctx) {
  const Config& cfg = ctx.config();
  HEAT_ASSIGN(monitor::Snapshot s, monitor::Probe(cfg));
  cli::Print(StatusTable(monitor::StatusRows(s, monitor::LimitsFrom(cfg))), ctx.format, ctx.out());
  return Status::Ok();
}

cli::Command StatusRow() {
  return {"system status",
          "the servers: each database node's role, lag and timeline, disk, CPU load and memory, each daemon's state",
          "OPS-1", [](CLI::App&) -> cli::Runner { return RunStatus; }};
}

}  // namespace

std::vector<cli::Command> SystemCommands() { return {StatusRow()}; }

}  // namespace heat::ctl
