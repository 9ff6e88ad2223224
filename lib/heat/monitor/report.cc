// monitor/report.cc — the snapshot as status rows and as alarm checks.
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "heat/monitor/http_get.h"
#include "heat/monitor/system.h"

namespace heat::monitor {

Limits LimitsFrom(const Config& cfg) {
  return {static_cast<double>(cfg.integer("alarm.disk_max_pct")), static_cast<double>(cfg.integer("alarm.lag_max_s"))};
}

namespace {

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string Gb(double bytes) { return Fixed(bytes / 1e9, 1) + " GB"; }

std::optional<double> Round1(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return v;
  return std::round(*v * 10) / 10;
}

void MachineRows(const Machine& m, const Limits& lim, std::vector<Row>& out) {
  if (!m.error.empty()) {
    out.push_back({"machine", m.host, m.source, "unreachable", std::nullopt, "", std::nullopt, m.error});
    return;
  }
  for (const Disk& d : m.disks) {
    std::string state = !d.used_pct ? "unknown" : *d.used_pct > lim.disk_max_pct ? "high" : "ok";
    std::string detail = d.used_pct ? "of " + Gb(d.size_bytes) + " on " + (d.mount.empty() ? "?" : d.mount) + ", " +
                                          Gb(d.avail_bytes) + " free"
                                    : d.error;
    out.push_back({"disk", m.host, d.path, state, Round1(d.used_pct), "%", std::nullopt, detail});
  }
  if (m.load1) {
    std::string detail = "1/5/15 min " + Fixed(*m.load1, 2) + " " + Fixed(m.load5.value_or(0), 2) + " " +
                         Fixed(m.load15.value_or(0), 2) + ", " + std::to_string(m.cpus) + " CPUs";
    std::string state = m.cpus > 0 && *m.load1 > m.cpus ? "busy" : "ok";
    out.push_back({"cpu", m.host, "load", state, std::round(*m.load1 * 100) / 100, "", std::nullopt, detail});
  }
  if (m.mem_used_pct)
    out.push_back({"memory", m.host, "memory", "ok", Round1(m.mem_used_pct), "%", std::nullopt,
                   "of " + Gb(m.mem_total_bytes)});
}

}  // namespace

std::vector<Row> StatusRows(const Snapshot& s, const Limits& lim) {
  std::vector<Row> out;
  for (const Node& n : s.nodes) {
    std::string detail = n.detail;
    if (n.lag_s && *n.lag_s > lim.lag_max_s)
      detail = "lag above " + Fixed(lim.lag_max_s, 0) + " s" + (detail.empty() ? "" : "; " + detail);
    out.push_back({"node", n.name, "postgresql", n.role, Round1(n.lag_s), n.lag_s ? "s" : "", n.timeline, detail});
  }
  for (const Machine& m : s.machines) MachineRows(m, lim, out);
  for (const Daemon& d : s.daemons)
    out.push_back({"daemon", d.address, d.program, d.state, std::nullopt, "", std::nullopt,
                   d.version.empty() ? d.detail : "version " + d.version + (d.detail.empty() ? "" : "; " + d.detail)});
  return out;
}

namespace {

// A loopback listen address names this machine's daemon: the source says which machine.
std::string DaemonSource(const Daemon& d, const std::string& this_host) {
  auto u = ParseHttpUrl(ListenUrl(d.address, "/"));
  if (!u.ok()) return d.program + "@" + d.address;
  bool loopback = u->host.starts_with("127.") || u->host == "::1" || u->host == "localhost";
  return d.program + "@" + (loopback ? this_host : u->host) + ":" + u->port;
}

void MachineChecks(const Machine& m, const Limits& lim, std::vector<Check>& out) {
  if (!m.error.empty()) {
    out.push_back({"daemon", m.source, true, "prometheus-node-exporter " + m.source + " cannot be read: " + m.error,
                   std::nullopt});
    return;
  }
  if (m.source != "local") out.push_back({"daemon", m.source, false, "", std::nullopt});
  for (const Disk& d : m.disks) {
    Check c{"disk", m.host + ":" + d.path, std::nullopt, "", d.used_pct};
    if (d.used_pct) {
      c.bad = *d.used_pct > lim.disk_max_pct;
      c.message = m.host + ": the filesystem of " + d.path + " (" + d.mount + ") is " + Fixed(*d.used_pct, 1) +
                  " % full, above alarm.disk_max_pct " + Fixed(lim.disk_max_pct, 0) + " %; " + Gb(d.avail_bytes) +
                  " free";
    }
    out.push_back(std::move(c));
  }
}

}  // namespace

std::vector<Check> Checks(const Snapshot& s, const Limits& lim, const std::string& this_host) {
  std::vector<Check> out;
  for (const Node& n : s.nodes) {
    std::optional<bool> down;
    if (n.role != "unknown") down = n.role == "down";
    out.push_back({"node", n.name, down, "PostgreSQL node " + n.name + " does not answer: " + n.detail, std::nullopt});
    Check lag{"lag", n.name, std::nullopt, "", n.lag_s};
    if (n.role == "primary") lag.bad = false;
    if (n.lag_s) {
      lag.bad = *n.lag_s > lim.lag_max_s;
      lag.message = "standby " + n.name + " is " + Fixed(*n.lag_s, 1) + " s behind the primary, above alarm.lag_max_s " +
                    Fixed(lim.lag_max_s, 0) + " s";
    }
    out.push_back(std::move(lag));
  }
  for (const Machine& m : s.machines) MachineChecks(m, lim, out);
  for (const Daemon& d : s.daemons) {
    std::string why = d.state == "unreachable" ? "does not answer at " + d.address + " (" + d.detail + ")"
                                               : "is not ready (GET /ready at " + d.address + ")";
    out.push_back({"daemon", DaemonSource(d, this_host), d.state != "ready", d.program + " " + why, std::nullopt});
  }
  return out;
}

std::string ChecksJson(const std::vector<Check>& checks) {
  nlohmann::json a = nlohmann::json::array();
  for (const Check& c : checks) {
    nlohmann::json o = {{"rule", c.rule}, {"source", c.source}, {"message", c.message}};
    o["bad"] = c.bad ? nlohmann::json(*c.bad) : nlohmann::json(nullptr);
    o["value"] = c.value && std::isfinite(*c.value) ? nlohmann::json(*c.value) : nlohmann::json(nullptr);
    a.push_back(std::move(o));
  }
  return a.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void HoldBackFirstFailures(std::vector<Check>& checks, std::set<std::string>& failing) {
  std::set<std::string> now;
  for (auto& c : checks) {
    if (!c.bad.value_or(false)) continue;
    std::string key = c.rule + '\n' + c.source;
    now.insert(key);
    if (!failing.count(key)) c.bad.reset();  // not measured: the alarm, if any, stays as it is
  }
  failing = std::move(now);
}

}  // namespace heat::monitor
