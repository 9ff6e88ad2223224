// monitor/daemons.cc — each daemon's metrics endpoint: /ready and
// heat_build_info, and Probe(), which asks every target at once.
#include <future>

#include "heat/monitor/http_get.h"
#include "heat/monitor/system.h"

namespace heat::monitor {

std::vector<std::pair<std::string, std::string>> DaemonAddresses(const Config& cfg) {
  static const std::pair<const char*, const char*> kDaemons[] = {
      {"ingest.metrics_listen", "heatd-ingest"},
      {"control.metrics_listen", "heatd-control"},
      {"alarm.metrics_listen", "heatd-alarm"},
      {"forecast.metrics_listen", "heatd-forecast"}};
  std::vector<std::pair<std::string, std::string>> out;
  for (auto [key, program] : kDaemons)
    if (FindOption(key) && !cfg.str(key).empty()) out.emplace_back(program, cfg.str(key));
  return out;
}

std::string BuildVersion(std::string_view metrics_text, std::string_view program) {
  auto samples = ParsePromText(metrics_text, [](std::string_view n) { return n == "heat_build_info"; });
  if (!samples.ok()) return "";
  for (const Sample& s : *samples)
    if (program.empty() || s.label("program") == program) return s.label("version");
  return "";
}

Daemon ProbeDaemon(const std::string& program, const std::string& address) {
  Daemon d{program, address, "unreachable", "", ""};
  auto ready = HttpGet(ListenUrl(address, "/ready"), 1000, 64 * 1024);
  if (!ready.ok()) {
    d.detail = ready.status().message();
    return d;
  }
  d.state = ready->status == 200 ? "ready" : "not ready";
  if (ready->status != 200 && ready->status != 503) d.detail = "/ready: HTTP " + std::to_string(ready->status);
  auto metrics = HttpGet(ListenUrl(address, "/metrics"), 1000, 4 << 20);
  if (metrics.ok() && metrics->status == 200) d.version = BuildVersion(metrics->body, program);
  else if (d.detail.empty()) d.detail = metrics.ok() ? "/metrics: HTTP " + std::to_string(metrics->status)
                                                    : metrics.status().message();
  return d;
}

namespace {

std::vector<std::string> SplitList(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t from = 0;
  while (from <= s.size()) {
    size_t at = s.find(sep, from);
    std::string item = s.substr(from, at == std::string::npos ? std::string::npos : at - from);
    size_t a = item.find_first_not_of(' '), b = item.find_last_not_of(' ');
    if (a != std::string::npos) out.push_back(item.substr(a, b - a + 1));
    if (at == std::string::npos) break;
    from = at + 1;
  }
  return out;
}

}  // namespace

Result<Snapshot> Probe(const Config& cfg, const ProbeOptions& opt) {
  HEAT_ASSIGN(std::vector<NodeTarget> targets, NodeTargets(cfg.str("db.conninfo")));
  std::vector<std::string> paths = SplitList(cfg.str("system.watch_paths"), ':');
  std::vector<std::string> exporters = SplitList(cfg.str("system.node_exporters"), ',');
  for (const std::string& url : exporters) {
    Status st = ParseHttpUrl(url).status();
    if (!st.ok()) return Status::Usage("system.node_exporters: " + st.message());
  }
  std::vector<std::future<Result<Node>>> nodes;
  for (const NodeTarget& t : targets) nodes.push_back(std::async(std::launch::async, ProbeNode, t));
  std::vector<std::future<Machine>> machines;
  for (const std::string& url : exporters)
    machines.push_back(std::async(std::launch::async, ProbeExporter, url, paths));
  std::vector<std::future<Daemon>> daemons;
  for (const auto& [program, address] : DaemonAddresses(cfg))
    if (program != opt.skip_program) daemons.push_back(std::async(std::launch::async, ProbeDaemon, program, address));
  Snapshot s;
  Status refused = Status::Ok();
  for (auto& f : nodes) {
    Result<Node> n = f.get();  // every future is waited for before returning
    if (n.ok()) s.nodes.push_back(std::move(*n));
    else refused = n.status();
  }
  if (exporters.empty()) s.machines.push_back(LocalMachine(paths));
  for (auto& f : machines) s.machines.push_back(f.get());
  for (auto& f : daemons) s.daemons.push_back(f.get());
  if (!refused.ok()) return refused;
  return s;
}

}  // namespace heat::monitor
