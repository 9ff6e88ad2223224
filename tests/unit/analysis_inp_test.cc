// EPANET .inp files read into the SI network model and written back
// (ANA-3): units, demands at time 0, statuses, and errors naming the line.
#include <gtest/gtest.h>

#include <string>

#include "heat/analysis/hydraulics.h"
#include "heat/analysis/inp.h"

namespace heat::analysis {
namespace {

constexpr const char* kSi = R"([TITLE]
Small SI network

[JUNCTIONS]
;ID  Elev  Demand  Pattern
 J1  10    2.5            ; base demand in L/s
 J2  12    4       DAY
 J3  8     0

[RESERVOIRS]
 R1  60

[TANKS]
 T1  30  5  1  8  12

[PIPES]
 P1  R1  J1  1000  300  120  0  Open
 P2  J1  J2  500   200  110  0.5
 P3  J2  J3  400   150  100  CV
 P4  J1  J3  600   150  100  0  Closed
 P5  J3  T1  300   200  120

[PUMPS]
 PU1 J3  J2  HEAD C1  SPEED 0.9

[VALVES]
 V1  J1  J2  150  PRV  25  0.2
 V2  J2  J3  100  FCV  3

[STATUS]
 V2  CLOSED

[CURVES]
 C1  20  40

[PATTERNS]
 1    1.5 1.0
 DAY  0.5 2.0
 DAY  1.0

[OPTIONS]
 Units            LPS
 Headloss         H-W
 Demand Multiplier 2
 Accuracy         0.0001
 Trials           50

[CONTROLS]
 this line is not read at all

[COORDINATES]
 J1  100.5  200
[VERTICES]
 P1  1  2
 P1  3  4

[END]
this is after the end
)";

InpFile ReadOk(const std::string& text) {
  auto r = ReadInp(text);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : InpFile{};
}

std::string ErrorOf(const std::string& text) {
  auto r = ReadInp(text);
  return r.ok() ? "(no error)" : r.status().message();
}

TEST(InpTest, SiFileGivesNodesInMetresAndDemandsAtTimeZero) {
  InpFile f = ReadOk(kSi);
  const Network& net = f.network;
  EXPECT_EQ(net.title, "Small SI network");
  ASSERT_EQ(net.nodes.size(), 5u);
  const Node& j1 = net.nodes[net.FindNode("J1")];
  EXPECT_DOUBLE_EQ(j1.elevation_m, 10);
  // 2.5 L/s × default pattern "1" (1.5) × DEMAND MULTIPLIER 2
  EXPECT_NEAR(j1.demand_m3s, 2.5e-3 * 1.5 * 2, 1e-15);
  EXPECT_NEAR(net.nodes[net.FindNode("J2")].demand_m3s, 4e-3 * 0.5 * 2, 1e-15);
  EXPECT_TRUE(j1.has_xy);
  EXPECT_DOUBLE_EQ(j1.x, 100.5);
  const Node& r1 = net.nodes[net.FindNode("R1")];
  EXPECT_EQ(r1.kind, Node::Kind::kReservoir);
  EXPECT_DOUBLE_EQ(r1.head_m, 60);
  const Node& t1 = net.nodes[net.FindNode("T1")];
  EXPECT_EQ(t1.kind, Node::Kind::kTank);
  EXPECT_DOUBLE_EQ(t1.head_m, 35);
  EXPECT_DOUBLE_EQ(t1.max_level_m, 8);
  EXPECT_DOUBLE_EQ(t1.tank_diameter_m, 12);
  EXPECT_DOUBLE_EQ(f.options.accuracy, 1e-4);
  EXPECT_EQ(f.options.max_trials, 50);
}

TEST(InpTest, SiFileGivesLinksWithDiametersInMetresAndTheirStatus) {
  const Network net = ReadOk(kSi).network;
  ASSERT_EQ(net.links.size(), 8u);
  const Link& p1 = net.links[net.FindLink("P1")];
  EXPECT_DOUBLE_EQ(p1.length_m, 1000);
  EXPECT_DOUBLE_EQ(p1.diameter_m, 0.3);
  EXPECT_DOUBLE_EQ(p1.roughness, 120);
  ASSERT_EQ(p1.vertices.size(), 2u);
  EXPECT_DOUBLE_EQ(net.links[net.FindLink("P2")].minor_loss, 0.5);
  EXPECT_TRUE(net.links[net.FindLink("P3")].check_valve);
  EXPECT_EQ(net.links[net.FindLink("P4")].status, InitialStatus::kClosed);
  const Link& pump = net.links[net.FindLink("PU1")];
  EXPECT_EQ(pump.kind, Link::Kind::kPump);
  EXPECT_EQ(net.curves[pump.curve].id, "C1");
  EXPECT_NEAR(net.curves[0].points[0].first, 0.02, 1e-15);
  EXPECT_DOUBLE_EQ(pump.speed, 0.9);
  const Link& v1 = net.links[net.FindLink("V1")];
  EXPECT_EQ(v1.valve, ValveType::kPRV);
  EXPECT_EQ(v1.status, InitialStatus::kActive);
  EXPECT_DOUBLE_EQ(v1.setting, 25);  // metres of head in SI
  EXPECT_DOUBLE_EQ(v1.diameter_m, 0.15);
  const Link& v2 = net.links[net.FindLink("V2")];
  EXPECT_EQ(v2.status, InitialStatus::kClosed);
  EXPECT_NEAR(v2.setting, 0.003, 1e-15);
}

TEST(InpTest, UsUnitsAreConvertedToSi) {
  auto f = ReadOk(R"([OPTIONS]
UNITS GPM
HEADLOSS D-W
[JUNCTIONS]
J 100 448.831
[RESERVOIRS]
R 200
[PIPES]
P R J 1000 12 0.5
[VALVES]
V J R 6 PRV 43.33
)");
  const Network& net = f.network;
  EXPECT_EQ(net.formula, HeadlossFormula::kDarcyWeisbach);
  EXPECT_NEAR(net.nodes[0].elevation_m, 30.48, 1e-12);
  EXPECT_NEAR(net.nodes[0].demand_m3s, 0.028317, 1e-12);  // 1 cfs as EPANET counts it
  EXPECT_NEAR(net.nodes[1].head_m, 60.96, 1e-12);
  EXPECT_NEAR(net.links[0].length_m, 304.8, 1e-9);
  EXPECT_NEAR(net.links[0].diameter_m, 0.3048, 1e-12);
  EXPECT_NEAR(net.links[0].roughness, 0.1524, 1e-12);  // 0.5 millifeet in mm
  EXPECT_NEAR(net.links[1].setting, 100 * 0.3048, 1e-9);  // 43.33 psi = 100 ft of water
}

TEST(InpTest, DemandsSectionReplacesTheJunctionDemandThenAddsCategories) {
  auto f = ReadOk(R"([JUNCTIONS]
J 0 7
[RESERVOIRS]
R 10
[PIPES]
P R J
[DEMANDS]
J 1 PAT
J 2
[PATTERNS]
PAT 3
[OPTIONS]
UNITS CMH
)");
  EXPECT_NEAR(f.network.nodes[0].demand_m3s, (1 * 3 + 2) * 0.028317 / 101.94, 1e-15);
  EXPECT_DOUBLE_EQ(f.network.links[0].diameter_m, 0.254);  // EPANET's default
}

TEST(InpTest, BadNumberNamesTheLineTheSectionTheLinkAndTheToken) {
  std::string text = "[JUNCTIONS]\nJ1 0\nJ2 0\n[RESERVOIRS]\nR 10\n\n[PIPES]\n; comment\n";
  text += "P0 R J1 100 200 100\n\n\n P1 J1 J2 100 x 100\n";
  EXPECT_EQ(ErrorOf(text), "line 12: [PIPES] P1: diameter 'x' is not a number");
}

TEST(InpTest, ErrorsNameTheLine) {
  EXPECT_EQ(ErrorOf("[JUNCTIONS]\nJ1 0\n[PIPES]\nP J1 NOPE\n"),
            "line 4: [PIPES] P: node 'NOPE' is not defined");
  EXPECT_EQ(ErrorOf("[JUNCTIONS]\nJ1 0\nJ1 2\n"), "line 3: [JUNCTIONS] node J1 is defined twice");
  EXPECT_EQ(ErrorOf("[JUNKTIONS]\n"), "line 1: unknown section [JUNKTIONS]");
  EXPECT_EQ(ErrorOf("J1 0\n"), "line 1: data before the first [SECTION]");
  EXPECT_EQ(ErrorOf("[OPTIONS]\nUNITS FURLONGS\n"),
            "line 2: [OPTIONS] UNITS 'FURLONGS' is not CFS GPM MGD IMGD AFD LPS LPM MLD CMH CMD or CMS");
  EXPECT_EQ(ErrorOf("[JUNCTIONS]\nA 0\nB 0\n[PIPES]\nP A B -3\n"),
            "line 5: [PIPES] P: length is not positive");
  EXPECT_EQ(ErrorOf("[JUNCTIONS]\nA 0\nB 0\n[VALVES]\nV A B 100 XYZ 1\n"),
            "line 5: [VALVES] V: type 'XYZ' is not PRV, PSV, PBV, FCV, TCV or GPV");
  EXPECT_EQ(ErrorOf("[JUNCTIONS]\nA 0 1 NOPAT\n"),
            "line 2: [JUNCTIONS] A: pattern 'NOPAT' is not defined");
  EXPECT_EQ(ErrorOf("[OPTIONS]\nTRIALS 1e12\n"),
            "line 2: [OPTIONS] TRIALS must be between 1 and 1000000");
}

TEST(InpTest, HostileBytesGiveAnErrorNotACrash) {
  std::string nul = std::string("[JUNCTIONS]\nJ") + '\0' + " 1e999 nan\n";
  EXPECT_EQ(ErrorOf(nul), "line 2: [JUNCTIONS] J\\x00: elevation '1e999' is not a number");
  EXPECT_EQ(ErrorOf("[PIPES]\n\xff\xfe A B\n"), "line 2: [PIPES] \\xff\\xfe: node 'A' is not defined");
  EXPECT_TRUE(ReadInp("").ok());
  EXPECT_TRUE(ReadInp("[").status().message().starts_with("line 1: unknown section"));
}

TEST(InpTest, WrittenFileReadsBackToTheSameNetwork) {
  InpFile f = ReadOk(kSi);
  std::string text = WriteInp(f.network, f.options);
  EXPECT_NE(text.find("UNITS\tLPS"), std::string::npos);
  InpFile g = ReadOk(text);
  ASSERT_EQ(g.network.nodes.size(), f.network.nodes.size());
  ASSERT_EQ(g.network.links.size(), f.network.links.size());
  for (size_t i = 0; i < f.network.nodes.size(); ++i) {
    const Node &a = f.network.nodes[i], &b = g.network.nodes[i];
    EXPECT_EQ(a.id, b.id);
    EXPECT_NEAR(a.head_m, b.head_m, 1e-9) << a.id;
    EXPECT_NEAR(a.demand_m3s, b.demand_m3s, 1e-12) << a.id;
  }
  for (size_t k = 0; k < f.network.links.size(); ++k) {
    const Link &a = f.network.links[k], &b = g.network.links[k];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.status, b.status) << a.id;
    EXPECT_EQ(a.check_valve, b.check_valve) << a.id;
    EXPECT_NEAR(a.diameter_m, b.diameter_m, 1e-12) << a.id;
    EXPECT_NEAR(a.setting, b.setting, 1e-12) << a.id;
    EXPECT_NEAR(a.speed, b.speed, 1e-12) << a.id;
  }
  EXPECT_EQ(g.options.max_trials, 50);
  EXPECT_NEAR(g.network.viscosity_m2s, f.network.viscosity_m2s, 1e-18);
}

TEST(InpTest, ReadFileSolvesToTheSameHeadsAsTheWrittenOne) {
  auto f = ReadOk(R"([JUNCTIONS]
J1 10 5
J2 5 10
[RESERVOIRS]
R 70
[PIPES]
P1 R J1 800 250 120
P2 J1 J2 600 200 120
P3 R J2 900 200 110
[OPTIONS]
UNITS LPS
)");
  auto a = Solve(f.network);
  auto b = Solve(ReadOk(WriteInp(f.network)).network);
  ASSERT_TRUE(a.ok() && b.ok());
  for (size_t i = 0; i < a->head_m.size(); ++i) EXPECT_NEAR(a->head_m[i], b->head_m[i], 1e-9);
}

}  // namespace
}  // namespace heat::analysis
