// sim/network_design.h: one model station per station of a network file,
// its area, design temperatures and buildings from the file, its seed from
// its code; every station of the demo network can be built.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "heat/sim/network_design.h"

namespace heat::sim {
namespace {

constexpr const char* kNet = R"(stations:
  - {code: S01, name: 一站, org: HQ, heating_area_m2: 86000}
  - {code: S02, name: 二站, org: HQ, heating_area_m2: 31000, design_supply_c: 95, design_return_c: 55}
buildings:
  - {code: S01-B1, name: 一号楼, station: S01, area_m2: 20000}
  - {code: S01-B2, name: 二号楼, station: S01, area_m2: 20000}
)";

std::vector<physics::StationDesign> Designs(const std::string& text) {
  auto doc = network::ParseNetworkYaml(text, "net.yaml");
  EXPECT_TRUE(doc.ok()) << doc.status().message();
  if (!doc.ok()) return {};
  auto d = NetworkDesigns(*doc);
  EXPECT_TRUE(d.ok()) << d.status().message();
  return d.ok() ? *d : std::vector<physics::StationDesign>{};
}

TEST(SimNetworkDesignTest, AreaTemperaturesAndBuildingsComeFromTheFile) {
  auto d = Designs(kNet);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].code, "S01");
  EXPECT_EQ(d[0].area_m2, 86000);
  EXPECT_EQ(d[0].buildings, 2);
  EXPECT_EQ(d[0].primary_supply_c, 110);  // not stated: the model's default
  EXPECT_EQ(d[1].buildings, 6);           // no building names S02: the default
  EXPECT_EQ(d[1].primary_supply_c, 95);
  EXPECT_EQ(d[1].primary_return_c, 55);
  EXPECT_EQ(d[0].seed, SeedOf("S01"));
  EXPECT_NE(d[0].seed, d[1].seed);
}

TEST(SimNetworkDesignTest, SeedIsFnv1aOfTheCode) {
  EXPECT_EQ(SeedOf(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(SeedOf("a"), 0xaf63dc4c8601ec8cULL);
}

TEST(SimNetworkDesignTest, AStationWithoutAreaIsRefusedByName) {
  auto doc = network::ParseNetworkYaml("stations:\n  - {code: S09, name: 九站, org: HQ}\n", "net.yaml");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  auto d = NetworkDesigns(*doc);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Code::kUsage);
  EXPECT_EQ(d.status().message(), "net.yaml:2: stations[0] (S09): heating_area_m2 must be given and positive");
}

TEST(SimNetworkDesignTest, EveryStationOfTheDemoNetworkBuilds) {
  std::ifstream in(std::string(HEAT_SOURCE_DIR) + "/etc/examples/demo-network.yaml");
  std::stringstream text;
  text << in.rdbuf();
  auto designs = Designs(text.str());
  ASSERT_EQ(designs.size(), 14u);
  for (const auto& d : designs) EXPECT_TRUE(physics::Station::Make(d).ok()) << d.code;
  EXPECT_EQ(designs[0].area_m2, 86000);  // S01
  EXPECT_EQ(designs[0].buildings, 3);
}

}  // namespace
}  // namespace heat::sim
