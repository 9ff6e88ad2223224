// monitor/system.h — the state of the two servers of OPS-1, as
// `heatctl system status` shows it and heatd-alarm raises alarms on it:
//  * nodes: each host of db.conninfo asked on its own connection
//    (heat.system_node(), lib/sql 0043): primary or standby, the standby's
//    replication lag, the timeline; a host that does not answer is down;
//  * machines: disk % of each watched filesystem (system.watch_paths),
//    CPU load and memory %, from prometheus-node-exporter's /metrics on
//    each node (system.node_exporters) or, when none is configured, from
//    this machine's /proc and statvfs;
//  * daemons: the *.metrics_listen address of each daemon, GET /ready and
//    heat_build_info from /metrics (unreachable when no answer in time).
// Probing does I/O with short time limits (connect_timeout 2 s for nodes
// unless db.conninfo sets one, 1 s for HTTP) and asks every target at
// once, so a status takes about the slowest target's time. The parsing
// parts are pure and tested on their own (tests/unit/monitor_*_test.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "heat/core/config.h"
#include "heat/core/status.h"
#include "heat/monitor/prom_text.h"

namespace heat::monitor {

// --- nodes -------------------------------------------------------------
struct NodeTarget {
  std::string host, port;  // as db.conninfo (or PGHOST/PGPORT) names them
  std::string conninfo;    // this host alone: the other keywords kept, target_session_attrs dropped
  std::string Name() const { return host + ":" + port; }
};
// One target per host of a libpq conninfo ("" = the PG* environment),
// split with PQconninfoParse; kUsage when the conninfo does not parse or
// names a different number of ports than hosts.
Result<std::vector<NodeTarget>> NodeTargets(const std::string& conninfo);

struct Node {
  std::string name;                 // host:port
  std::string role;                 // primary | standby | down
  std::optional<double> lag_s;      // a standby's: seconds behind
  std::optional<int64_t> timeline;
  std::string detail;               // standbys of a primary; the error of a down node
};
// kPermission when the node answered but refused heat.system_node().
Result<Node> ProbeNode(const NodeTarget& t);

// --- machines ----------------------------------------------------------
struct Disk {
  std::string path;                  // as watched
  std::string mount;                 // the filesystem it is on; "" when unknown
  std::optional<double> used_pct;    // nullopt: could not be measured
  double size_bytes = 0, avail_bytes = 0;
  std::string error;
};
struct Machine {
  std::string host;     // the exporter's host, or this machine's name
  std::string source;   // the exporter's URL, or "local"
  std::string error;    // set when the exporter could not be asked or read
  std::vector<Disk> disks;
  std::optional<double> load1, load5, load15;
  int cpus = 0;
  std::optional<double> mem_used_pct;
  double mem_total_bytes = 0;
};
// df's Use%: used / (used + available to ordinary users), used = size - free.
std::optional<double> DiskUsedPct(double size, double free, double avail);
// The mount point among `mounts` holding `path`: the longest that is path
// or a folder above it.
std::string MountFor(std::string_view path, const std::vector<std::string>& mounts);
// From node-exporter text: node_filesystem_{size,free,avail}_bytes,
// node_load{1,5,15}, node_cpu_seconds_total (CPUs counted by mode idle),
// node_memory_Mem{Total,Available}_bytes. kUsage when the text is not
// valid exposition format.
Result<Machine> MachineFromExporter(std::string_view text, const std::vector<std::string>& paths);
// From /proc/loadavg and /proc/meminfo text (tests give their own).
void ApplyLoadavg(std::string_view text, Machine& m);
void ApplyMeminfo(std::string_view text, Machine& m);
Machine LocalMachine(const std::vector<std::string>& paths);
Machine ProbeExporter(const std::string& url, const std::vector<std::string>& paths);
std::string ThisHost();

// --- daemons -----------------------------------------------------------
struct Daemon {
  std::string program;  // heatd-ingest
  std::string address;  // its metrics_listen
  std::string state;    // ready | not ready | unreachable
  std::string version;  // heat_build_info's; "" when unknown
  std::string detail;
};
// (program, address) of every daemon's *.metrics_listen option that is
// declared and not "" (an empty address turns the endpoint off).
std::vector<std::pair<std::string, std::string>> DaemonAddresses(const Config& cfg);
Daemon ProbeDaemon(const std::string& program, const std::string& address);
// heat_build_info{program,version} of a /metrics text; "" when absent.
std::string BuildVersion(std::string_view metrics_text, std::string_view program);

// --- the whole picture ---------------------------------------------------
struct Snapshot {
  std::vector<Node> nodes;
  std::vector<Machine> machines;
  std::vector<Daemon> daemons;
};
struct ProbeOptions {
  std::string skip_program;  // heatd-alarm does not ask itself
};
// Every target at once. kPermission when a node refused the caller.
Result<Snapshot> Probe(const Config& cfg, const ProbeOptions& opt = {});

struct Limits {
  double disk_max_pct = 80, lag_max_s = 10;
};
Limits LimitsFrom(const Config& cfg);  // alarm.disk_max_pct, alarm.lag_max_s

// One row of `heatctl system status`: kind node|disk|cpu|memory|machine|daemon.
struct Row {
  std::string kind, host, name, state;
  std::optional<double> value;
  std::string unit;
  std::optional<int64_t> timeline;
  std::string detail;
};
std::vector<Row> StatusRows(const Snapshot& s, const Limits& limits);

// One system check for heat.system_alarms() (lib/sql 0043): rule disk,
// lag, node or daemon; bad nullopt when it could not be judged (the alarm,
// if any, stays as it is).
struct Check {
  std::string rule, source;
  std::optional<bool> bad;
  std::string message;
  std::optional<double> value;
};
// Sources: disks "HOST:/path", nodes "host:port", daemons
// "program@HOST:PORT" (a loopback address named by this machine's name,
// so the daemons of two nodes are two sources), exporters by their URL.
std::vector<Check> Checks(const Snapshot& s, const Limits& limits, const std::string& this_host);
std::string ChecksJson(const std::vector<Check>& checks);
// The on-delay of the system alarms: a check failing now but not at the
// last probe (`failing`, rule and source, updated here) is held back as
// not measured, so only a condition found twice in a row raises.
void HoldBackFirstFailures(std::vector<Check>& checks, std::set<std::string>& failing);

}  // namespace heat::monitor
