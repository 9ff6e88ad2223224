// The system status as rows and as alarm checks (monitor/system.h, OPS-1):
// what heatctl system status prints and what heatd-alarm hands to
// heat.system_alarms(), judged against alarm.disk_max_pct / lag_max_s.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "heat/monitor/system.h"

namespace heat::monitor {
namespace {

Snapshot Example() {
  Snapshot s;
  s.nodes = {{"10.0.0.1:5432", "primary", std::nullopt, 3, "node2 streaming sync"},
             {"10.0.0.2:5432", "standby", 12.5, 3, "streaming from 10.0.0.1:5432"},
             {"10.0.0.3:5432", "down", std::nullopt, std::nullopt, "connection refused"}};
  Machine m;
  m.host = "node1";
  m.source = "local";
  m.disks = {{"/", "/", 42.04, 100e9, 58e9, ""}, {"/var/lib/postgresql", "/var/lib/postgresql", 91.0, 200e9, 18e9, ""},
             {"/srv", "", std::nullopt, 0, 0, "/srv: No such file or directory"}};
  m.load1 = 0.5, m.load5 = 0.4, m.load15 = 0.3, m.cpus = 2;
  m.mem_used_pct = 61.26, m.mem_total_bytes = 8e9;
  Machine gone;
  gone.host = "node2";
  gone.source = "http://node2:9100/metrics";
  gone.error = "http://node2:9100/metrics: Connection refused";
  s.machines = {m, gone};
  s.daemons = {{"heatd-ingest", "127.0.0.1:9561", "ready", "0.1.0", ""},
               {"heatd-control", "127.0.0.1:9562", "unreachable", "", "Connection refused"},
               {"heatd-forecast", "10.0.0.2:9564", "not ready", "0.1.0", ""}};
  return s;
}

// A row as "kind|host|name|state|value|unit|timeline|detail".
std::string Line(const Row& r) {
  std::ostringstream o;
  o << r.kind << '|' << r.host << '|' << r.name << '|' << r.state << '|';
  if (r.value) o << *r.value;
  o << '|' << r.unit << '|';
  if (r.timeline) o << *r.timeline;
  o << '|' << r.detail;
  return o.str();
}

TEST(MonitorRowsTest, OneRowPerNodeResourceAndDaemonWithStatesAgainstTheLimits) {
  std::vector<std::string> lines;
  for (const Row& r : StatusRows(Example(), {80, 10})) lines.push_back(Line(r));
  std::vector<std::string> want = {
      "node|10.0.0.1:5432|postgresql|primary|||3|node2 streaming sync",
      "node|10.0.0.2:5432|postgresql|standby|12.5|s|3|lag above 10 s; streaming from 10.0.0.1:5432",
      "node|10.0.0.3:5432|postgresql|down||||connection refused",
      "disk|node1|/|ok|42|%||of 100.0 GB on /, 58.0 GB free",
      "disk|node1|/var/lib/postgresql|high|91|%||of 200.0 GB on /var/lib/postgresql, 18.0 GB free",
      "disk|node1|/srv|unknown||%||/srv: No such file or directory",
      "cpu|node1|load|ok|0.5|||1/5/15 min 0.50 0.40 0.30, 2 CPUs",
      "memory|node1|memory|ok|61.3|%||of 8.0 GB",
      "machine|node2|http://node2:9100/metrics|unreachable||||http://node2:9100/metrics: Connection refused",
      "daemon|127.0.0.1:9561|heatd-ingest|ready||||version 0.1.0",
      "daemon|127.0.0.1:9562|heatd-control|unreachable||||Connection refused",
      "daemon|10.0.0.2:9564|heatd-forecast|not ready||||version 0.1.0"};
  EXPECT_EQ(lines, want);
}

const Check* Find(const std::vector<Check>& cs, const std::string& rule, const std::string& source) {
  for (const Check& c : cs)
    if (c.rule == rule && c.source == source) return &c;
  return nullptr;
}

TEST(MonitorChecksTest, EachWatchIsBadGoodOrUnknownUnderItsOwnSource) {
  std::vector<Check> cs = Checks(Example(), {80, 10}, "node1");
  const Check* c = Find(cs, "disk", "node1:/var/lib/postgresql");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->bad, true);
  EXPECT_EQ(c->message, "node1: the filesystem of /var/lib/postgresql (/var/lib/postgresql) is 91.0 % full, above "
                        "alarm.disk_max_pct 80 %; 18.0 GB free");
  EXPECT_EQ(Find(cs, "disk", "node1:/")->bad, false);
  EXPECT_EQ(Find(cs, "disk", "node1:/srv")->bad, std::nullopt);  // not measured: its alarm stays as it is
  EXPECT_EQ(Find(cs, "lag", "10.0.0.2:5432")->bad, true);
  EXPECT_EQ(Find(cs, "lag", "10.0.0.1:5432")->bad, false);
  EXPECT_EQ(Find(cs, "lag", "10.0.0.3:5432")->bad, std::nullopt);
  EXPECT_EQ(Find(cs, "node", "10.0.0.3:5432")->bad, true);
  EXPECT_EQ(Find(cs, "node", "10.0.0.1:5432")->bad, false);
  EXPECT_EQ(Find(cs, "daemon", "http://node2:9100/metrics")->bad, true);
  // A loopback address is this machine's daemon: named by the machine.
  EXPECT_EQ(Find(cs, "daemon", "heatd-ingest@node1:9561")->bad, false);
  EXPECT_EQ(Find(cs, "daemon", "heatd-control@node1:9562")->message,
            "heatd-control does not answer at 127.0.0.1:9562 (Connection refused)");
  EXPECT_EQ(Find(cs, "daemon", "heatd-forecast@10.0.0.2:9564")->bad, true);
}

TEST(MonitorChecksTest, TheJsonIsWhatTheDatabaseFunctionReads) {
  std::vector<Check> cs = {{"disk", "n:/", true, "full", 91.5}, {"lag", "h:5432", std::nullopt, "", std::nullopt}};
  auto j = nlohmann::json::parse(ChecksJson(cs));
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["rule"], "disk");
  EXPECT_EQ(j[0]["bad"], true);
  EXPECT_EQ(j[0]["value"], 91.5);
  EXPECT_TRUE(j[1]["bad"].is_null());
  EXPECT_TRUE(j[1]["value"].is_null());
}

TEST(MonitorNodesTest, AMultiHostConninfoIsOneTargetPerHost) {
  auto t = NodeTargets("host=10.0.0.1,10.0.0.2 port=5432,5433 dbname=heat target_session_attrs=read-write");
  ASSERT_TRUE(t.ok()) << t.status().message();
  ASSERT_EQ(t->size(), 2u);
  EXPECT_EQ((*t)[1].Name(), "10.0.0.2:5433");
  EXPECT_EQ((*t)[1].conninfo, "dbname='heat' connect_timeout=2 host='10.0.0.2' port='5433' target_session_attrs=any");
  auto shared = NodeTargets("host=a,b port=6000 connect_timeout=5");
  ASSERT_TRUE(shared.ok());
  EXPECT_EQ((*shared)[0].conninfo, "connect_timeout='5' host='a' port='6000' target_session_attrs=any");
  EXPECT_EQ(NodeTargets("host=a,b,c port=1,2").status().message(), "db.conninfo: 2 values of port for 3 hosts");
  EXPECT_EQ(NodeTargets("host='unclosed").status().code(), Code::kUsage);
}

TEST(MonitorChecksTest, AFailureRaisesOnlyWhenTheNextProbeFindsItToo) {
  std::set<std::string> failing;
  auto probe = [&](std::optional<bool> daemon_bad, std::optional<bool> disk_bad) {
    std::vector<Check> c{{"daemon", "heatd-ingest@vm:9561", daemon_bad, "", {}}, {"disk", "vm:/", disk_bad, "", {}}};
    HoldBackFirstFailures(c, failing);
    return std::make_pair(c[0].bad, c[1].bad);
  };
  auto first = probe(true, false);  // heatd-ingest not up yet when heatd-alarm started
  EXPECT_FALSE(first.first.has_value()) << "a first failure is held back as not measured";
  EXPECT_EQ(first.second, false);
  EXPECT_EQ(probe(false, false).first, false) << "up by the next probe: never an alarm";
  EXPECT_FALSE(probe(true, true).first.has_value());
  auto twice = probe(true, true);
  EXPECT_EQ(twice.first, true) << "two probes in a row: raised";
  EXPECT_EQ(twice.second, true);
  EXPECT_FALSE(probe(std::nullopt, true).first.has_value()) << "not measured stays not measured";
  EXPECT_FALSE(probe(true, true).first.has_value()) << "an unknown probe breaks the run";
}

}  // namespace
}  // namespace heat::monitor
