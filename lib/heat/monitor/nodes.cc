// monitor/nodes.cc — each PostgreSQL node of db.conninfo asked on its own.
#include <libpq-fe.h>

#include <cstdlib>
#include <map>
#include <memory>

#include "heat/db/conn.h"
#include "heat/monitor/system.h"

namespace heat::monitor {
namespace {

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> out;
  size_t from = 0;
  for (;;) {
    size_t comma = s.find(',', from);
    out.push_back(s.substr(from, comma == std::string::npos ? std::string::npos : comma - from));
    if (comma == std::string::npos) return out;
    from = comma + 1;
  }
}

std::string Quote(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

// The keywords of a conninfo that are set, as libpq parsed them.
Result<std::map<std::string, std::string>> ParseConninfo(const std::string& conninfo) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  if (opts == nullptr) {
    std::string m = err ? err : "out of memory";
    PQfreemem(err);
    while (!m.empty() && m.back() == '\n') m.pop_back();
    return Status::Usage("db.conninfo: " + m);
  }
  std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> own(opts, PQconninfoFree);
  std::map<std::string, std::string> set;
  for (PQconninfoOption* o = opts; o->keyword; ++o)
    if (o->val && *o->val) set[o->keyword] = o->val;
  return set;
}

// A per-host list: one value for every host, one shared by all, or none.
Result<std::vector<std::string>> PerHost(const std::string& key, const std::string& value, size_t hosts) {
  if (value.empty()) return std::vector<std::string>(hosts);
  std::vector<std::string> v = SplitCommas(value);
  if (v.size() == 1) return std::vector<std::string>(hosts, v[0]);
  if (v.size() != hosts)
    return Status::Usage("db.conninfo: " + std::to_string(v.size()) + " values of " + key + " for " +
                         std::to_string(hosts) + " hosts");
  return v;
}

const char* Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

Result<std::vector<NodeTarget>> NodeTargets(const std::string& conninfo) {
  HEAT_ASSIGN(auto set, ParseConninfo(conninfo));
  std::string host = set.count("host") ? set["host"] : Env("PGHOST");
  std::string port = set.count("port") ? set["port"] : Env("PGPORT");
  std::string addr = set.count("hostaddr") ? set["hostaddr"] : Env("PGHOSTADDR");
  std::vector<std::string> hosts = SplitCommas(host.empty() ? addr : host);
  HEAT_ASSIGN(auto ports, PerHost("port", port, hosts.size()));
  HEAT_ASSIGN(auto addrs, PerHost("hostaddr", addr, hosts.size()));
  std::string common;
  for (const auto& [k, v] : set)
    if (k != "host" && k != "port" && k != "hostaddr" && k != "target_session_attrs") common += k + "=" + Quote(v) + " ";
  if (!set.count("connect_timeout") && !*Env("PGCONNECT_TIMEOUT")) common += "connect_timeout=2 ";
  std::vector<NodeTarget> out;
  for (size_t i = 0; i < hosts.size(); ++i) {
    NodeTarget t{hosts[i].empty() ? "/var/run/postgresql" : hosts[i], ports[i].empty() ? "5432" : ports[i], common};
    if (!hosts[i].empty()) t.conninfo += "host=" + Quote(hosts[i]) + " ";
    if (!ports[i].empty()) t.conninfo += "port=" + Quote(ports[i]) + " ";
    if (!addrs[i].empty()) t.conninfo += "hostaddr=" + Quote(addrs[i]) + " ";
    t.conninfo += "target_session_attrs=any";
    out.push_back(std::move(t));
  }
  return out;
}

Result<Node> ProbeNode(const NodeTarget& t) {
  Node n{t.Name(), "down", std::nullopt, std::nullopt, ""};
  auto conn = db::Conn::Open(t.conninfo, "heat-monitor");
  if (!conn.ok()) {
    n.detail = conn.status().message();
    n.detail = n.detail.substr(0, n.detail.find('\n'));
    return n;
  }
  auto r = conn->Query("SELECT role, timeline, lag_s, detail FROM heat.system_node()");
  if (!r.ok() && r.status().code() == Code::kPermission)
    return Status::Permission(t.Name() + ": " + r.status().message() +
                              " (heatctl system status needs the role heat_engineer)");
  if (!r.ok() || r->empty()) {  // answered, but not as a node of this schema
    n.role = "unknown";
    n.detail = r.ok() ? "no answer from heat.system_node()" : r.status().message();
    return n;
  }
  n.role = r->get(0, "role");
  if (!r->is_null(0, 1)) n.timeline = r->get_int(0, "timeline");
  if (!r->is_null(0, 2)) n.lag_s = std::strtod(r->get(0, "lag_s").c_str(), nullptr);
  n.detail = r->get(0, "detail");
  return n;
}

}  // namespace heat::monitor
