// Hydraulic balance of stations (ANA-3, analysis/balance.h): a small
// network of a source, a trunk and three stations, each a fixed return
// head behind its balancing valve (TCV). A valve left too open is listed
// with the setting that balances it, and that setting, applied and solved
// again, gives every station its design flow; stations the supply cannot
// serve, stations without a valve and contradicting measurements are
// reported with reasons.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "heat/analysis/balance.h"

namespace heat::analysis {
namespace {

int AddNode(Network& n, const std::string& id, Node::Kind kind, double head = 0, double elevation = 0) {
  Node x;
  x.id = id, x.kind = kind, x.head_m = head, x.elevation_m = elevation;
  n.nodes.push_back(x);
  return static_cast<int>(n.nodes.size()) - 1;
}

void AddPipe(Network& n, const std::string& id, int from, int to, double length, double d) {
  Link l;
  l.id = id, l.from = from, l.to = to, l.length_m = length, l.diameter_m = d, l.roughness = 0.1;
  n.links.push_back(l);
}

void AddTcv(Network& n, const std::string& id, int from, int to, double d, double k) {
  Link l;
  l.id = id, l.kind = Link::Kind::kValve, l.valve = ValveType::kTCV, l.from = from, l.to = to;
  l.diameter_m = d, l.setting = k, l.status = InitialStatus::kActive;
  n.links.push_back(l);
}

// R (head 100) -P0- J1 -P1- J2; stations A at J1, B and C at J2, each a
// return head of 60 m behind a DN100 TCV.
struct Fixture {
  Network net;
  std::vector<BalanceStation> stations;
  Fixture(double ka, double kb, double kc) {
    net.formula = HeadlossFormula::kDarcyWeisbach;
    int r = AddNode(net, "R", Node::Kind::kReservoir, 100);
    int j1 = AddNode(net, "J1", Node::Kind::kJunction, 0, 5);
    int j2 = AddNode(net, "J2", Node::Kind::kJunction, 0, 8);
    AddPipe(net, "P0", r, j1, 1000, 0.2);
    AddPipe(net, "P1", j1, j2, 800, 0.15);
    const char* names[] = {"A", "B", "C"};
    int at[] = {j1, j2, j2};
    double k[] = {ka, kb, kc}, design[] = {40, 40, 30};
    for (int i = 0; i < 3; ++i) {
      int s = AddNode(net, names[i], Node::Kind::kReservoir, 60, 5);
      AddTcv(net, std::string(names[i]) + "-V", at[i], s, 0.1, k[i]);
      stations.push_back({names[i], s, design[i], design[i] * 1000});  // 1 l/(h·m²) at design
    }
  }
};

double FlowOf(const Solution& s, const BalanceStation& st) { return s.demand_m3s[st.node] * 3600; }

TEST(BalanceTest, AValveTooOpenIsListedAndItsSettingGivesDesignFlowWithinOnePercent) {
  // Balanced settings first, then A's valve opened well beyond its own.
  Fixture f(10, 10, 10);
  auto first = Balance(f.net, f.stations);
  ASSERT_TRUE(first.ok()) << first.status().message();
  Fixture g(*first->stations[0].balanced_setting / 6, *first->stations[1].balanced_setting,
            *first->stations[2].balanced_setting);
  auto r = Balance(g.net, g.stations);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->converged);
  const StationBalance& a = r->stations[0];
  EXPECT_TRUE(a.unbalanced);
  EXPECT_GT(a.model_dev_pct, 15);
  EXPECT_NE(a.reason.find("throttle its balancing valve A-V"), std::string::npos) << a.reason;
  EXPECT_GT(*a.balanced_setting, *a.setting);
  EXPECT_NEAR(*a.design_lhm2, 1.0, 1e-9);
  // Applied and solved again, the computed settings give design flows.
  auto again = Solve(WithSettings(g.net, *r));
  ASSERT_TRUE(again.ok());
  for (const auto& st : g.stations)
    EXPECT_NEAR(FlowOf(*again, st), st.design_m3h, st.design_m3h * 0.01) << st.code;
  // ... and the stations already near their design flow are not listed.
  EXPECT_FALSE(r->stations[1].unbalanced) << r->stations[1].reason;
}

TEST(BalanceTest, AStationTheSupplyCannotServeSaysHowMuchHeadItLacks) {
  Fixture f(10, 10, 10);
  f.stations[2].design_m3h = 400;  // far beyond what 40 m of head drives through DN100
  auto r = Balance(f.net, f.stations);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const StationBalance& c = r->stations[2];
  EXPECT_TRUE(c.unbalanced);
  EXPECT_NE(c.reason.find("even fully open (K 0.5)"), std::string::npos) << c.reason;
  EXPECT_NE(c.reason.find("m of differential head is left at J2"), std::string::npos) << c.reason;
  EXPECT_GT(c.balanced_m3h, c.model_m3h) << "fully open it gets more than at K 10";
  EXPECT_NEAR(r->stations[0].balanced_m3h, 40, 0.4) << "A still gets its design flow";
  EXPECT_NEAR(*c.balanced_setting, 0.5, 1e-12);
}

TEST(BalanceTest, MeasuredFlowsJudgeTheStationAndContradictionsAreAnomalies) {
  Fixture f(10, 10, 10);
  auto base = Balance(f.net, f.stations);
  ASSERT_TRUE(base.ok());
  // B measured at design (the model disagrees), with no differential
  // pressure, and a supply pressure far from the model's.
  double model_b = base->stations[1].model_m3h;
  f.stations[1].flow_m3h = 40;
  f.stations[1].supply_mpa = 0.30;
  f.stations[1].return_mpa = 0.30;
  auto r = Balance(f.net, f.stations);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->stations[1].unbalanced) << "measured at design flow";
  EXPECT_NEAR(*r->stations[1].measured_dev_pct, 0, 1e-9);
  std::set<std::string> kinds;
  for (const auto& a : r->anomalies)
    if (a.station == "B") kinds.insert(a.kind);
  EXPECT_TRUE(kinds.count("flow_without_dp"));
  EXPECT_TRUE(kinds.count("pressure_vs_model"));
  EXPECT_EQ(kinds.count("model_vs_measured"), std::abs(model_b - 40) / 40 > 0.15 ? 1u : 0u);
}

TEST(BalanceTest, PartLoadIsJudgedAgainstTheNetworksShareNotTheDesignFlow) {
  Fixture f(10, 10, 10);
  // Mild weather: every station draws about 60 % of its design flow, C
  // only 30 %: C is short, the others are balanced.
  f.stations[0].flow_m3h = 40 * 0.62;
  f.stations[1].flow_m3h = 40 * 0.60;
  f.stations[2].flow_m3h = 30 * 0.30;
  auto r = Balance(f.net, f.stations);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_NEAR(r->load, 0.60, 1e-12) << "the median share";
  EXPECT_FALSE(r->stations[0].unbalanced) << r->stations[0].reason;
  EXPECT_FALSE(r->stations[1].unbalanced) << r->stations[1].reason;
  EXPECT_NEAR(*r->stations[0].measured_dev_pct, (0.62 / 0.60 - 1) * 100, 1e-9);
  ASSERT_TRUE(r->stations[2].unbalanced);
  EXPECT_NEAR(*r->stations[2].measured_dev_pct, -50, 1e-9);
  EXPECT_NE(r->stations[2].reason.find("-50 % against its design 30.0 m³/h at the network's load (the measured "
                                       "stations draw 60 % of design)"),
            std::string::npos)
      << r->stations[2].reason;
}

TEST(BalanceTest, AStationWithoutValveOrWithAFixedDemandIsExplained) {
  Fixture f(10, 10, 10);
  f.net.links.erase(f.net.links.begin() + 2);  // A-V, replaced by a plain pipe
  AddPipe(f.net, "A-P", 1, f.stations[0].node, 10, 0.1);
  auto r = Balance(f.net, f.stations);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->stations[0].valve, -1);
  EXPECT_TRUE(r->stations[0].unbalanced);  // 10 m of DN100 under ~35 m of head
  EXPECT_NE(r->stations[0].reason.find("no balancing valve (TCV) at its node A"), std::string::npos)
      << r->stations[0].reason;
  EXPECT_FALSE(r->stations[0].balanced_setting);

  Fixture g(10, 10, 10);
  g.net.nodes[g.stations[2].node].kind = Node::Kind::kJunction;
  g.net.nodes[g.stations[2].node].demand_m3s = 30.0 / 3600;
  auto j = Balance(g.net, g.stations);
  ASSERT_TRUE(j.ok()) << j.status().message();
  EXPECT_FALSE(j->stations[2].unbalanced);
  EXPECT_NE(j->stations[2].reason.find("junction with a fixed demand"), std::string::npos);
}

TEST(BalanceTest, AStationNamingNoNodeIsAUsageError) {
  Fixture f(10, 10, 10);
  f.stations[0].node = 99;
  auto r = Balance(f.net, f.stations);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUsage);
}

}  // namespace
}  // namespace heat::analysis
