// sim/run_plant.h and the box telemetry of sim/run_mqtt.h (CTL-1, DEV-4):
// designs from the base information, buildings dealt to loops, PLC tags
// onto model values, and telemetry whose numbers balance.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cmath>

#include "heat/sim/run_mqtt.h"
#include "heat/sim/run_plant.h"

namespace heat::sim {
namespace {

TEST(SimRunPlantTest, PlcTagsNameTheLoopsOwnValues) {
  EXPECT_EQ(ModelTag("t2s_h"), "t2s");
  EXPECT_EQ(ModelTag("p2r_h"), "p2r");
  EXPECT_EQ(ModelTag("v2"), "v1");
  EXPECT_EQ(ModelTag("v2_set"), "v1_set");
  EXPECT_EQ(ModelTag("pump2_hz"), "pump1_hz");
  EXPECT_EQ(ModelTag("pump2_fault"), "pump1_fault");
  EXPECT_EQ(ModelTag("kwh_h"), "kwh");
  EXPECT_EQ(ModelTag("t2s"), "t2s");
  EXPECT_EQ(ModelTag("fault_pt"), "fault_pt");
}

TEST(SimRunPlantTest, TheDesignFollowsTheStationAndItsShare) {
  StationRow s{"S01", 86000, 110, 60, 73.9};
  auto d = DesignFor(s, "S01", 0.5, 3, 1);
  EXPECT_DOUBLE_EQ(d.area_m2, 43000);
  EXPECT_NEAR(d.load_w_m2, 73.9 * 1.163 * 50 * 1000 / 86000, 1e-9);  // ~50 W/m²
  EXPECT_EQ(d.buildings, 3);
  auto plain = DesignFor(StationRow{"X", 0, {}, {}, {}}, "X", 1, 0, 1);
  EXPECT_DOUBLE_EQ(plain.area_m2, kDefaultAreaM2);
  EXPECT_DOUBLE_EQ(plain.load_w_m2, 50);
  EXPECT_EQ(plain.buildings, physics::StationDesign{}.buildings);
  EXPECT_EQ(DesignFor(s, "S01", 1, 0, 1).seed, DesignFor(s, "S01", 1, 0, 1).seed);
  EXPECT_NE(DesignFor(s, "S01", 1, 0, 1).seed, DesignFor(s, "S01", 1, 0, 2).seed);
  EXPECT_NE(DesignFor(s, "S01", 1, 0, 1).seed, DesignFor(s, "S02", 1, 0, 1).seed);
}

TEST(SimRunPlantTest, BuildingsAreDealtInRunsBoxFirst) {
  std::vector<BuildingRow> b{{"S14-B1", 1}, {"S14-B2", 1}, {"S14-B3", 1}};
  auto d = DealBuildings(b, 2);
  ASSERT_EQ(d.size(), 2u);
  ASSERT_EQ(d[0].size(), 2u);
  EXPECT_EQ(d[0][0].code, "S14-B1");
  EXPECT_EQ(d[1][0].code, "S14-B3");
  EXPECT_TRUE(DealBuildings({}, 2)[1].empty());
}

TEST(SimRunPlantTest, LoopsPlayTheirBuildingsAndSetpointsReadBackApplied) {
  StationRow s{"S14", 108000, 110, 60, 92.9};
  auto loop = MakeLoop(s, "S14-PLC", false, 0.5, {{"S14-B2", 25090}, {"S14-B3", 23410}}, 1);
  ASSERT_TRUE(loop.ok());
  EXPECT_EQ(loop->model.buildings().size(), 2u);
  EXPECT_DOUBLE_EQ(*LoopTagValue(loop->model, "v1_set", true), kValveStartPct);
  loop->model.pump().SetFault(physics::PumpFault::kTrip);
  EXPECT_EQ(*LoopTagValue(loop->model, "pump1_run", true), 1);   // what was commanded
  EXPECT_EQ(*LoopTagValue(loop->model, "pump1_run", false), 0);  // what runs
  EXPECT_EQ(*LoopTagValue(loop->model, "pump1_fault", false), 1);
  EXPECT_EQ(*LoopTagValue(loop->model, "manual", false), 0);
  EXPECT_FALSE(LoopTagValue(loop->model, "fault_pt", false));
  EXPECT_FALSE(ApplyFault(loop->model, "gremlins").ok());
}

TEST(SimRunPlantTest, SensorsGoToFlatsWithSensorsRoundAndRound) {
  physics::Building b;
  b.flats.resize(4);
  b.flats[1].p.has_sensor = b.flats[3].p.has_sensor = true;
  std::vector<Sensor> s(3);
  std::vector<Sensor*> ps{&s[0], &s[1], &s[2]};
  PlaceSensors(b, 7, ps);
  EXPECT_EQ(s[0].flat, 1u);
  EXPECT_EQ(s[1].flat, 3u);
  EXPECT_EQ(s[2].flat, 1u);
  EXPECT_EQ(s[2].building, 7u);
}

// The numbers a box sends balance: pw1 against 1.163·f2·(t2s − t2r) and
// 1.163·f1·(t1s − t1r), after its rounding, in steady operation.
TEST(SimRunPlantTest, TelemetryBalancesAcrossTheExchanger) {
  auto loop = MakeLoop(StationRow{"S01", 86000, 110, 60, 73.9}, "S01", true, 1, {}, 1);
  ASSERT_TRUE(loop.ok());
  auto w = physics::Weather::UrumqiDesignWinter(3);
  for (double t = 60; t <= 86400; t += 60) loop->model.Step(60, t, w.At(t));
  auto v = nlohmann::json::parse(BoxTelemetryJson(loop->model, 1764547200000, 3))["v"];
  double pw1 = v["pw1"].get<double>();
  double sec = 1.163 * v["f2"].get<double>() * (v["t2s"].get<double>() - v["t2r"].get<double>());
  double prim = 1.163 * v["f1"].get<double>() * (v["t1s"].get<double>() - v["t1r"].get<double>());
  EXPECT_GT(pw1, 1000);
  EXPECT_NEAR(sec / pw1, 1, 0.02);
  EXPECT_NEAR(prim / pw1, 1, 0.001);
  EXPECT_DOUBLE_EQ(pw1, std::round(pw1 * 10) / 10);  // 0.1 kW, as a box resolves it
  EXPECT_EQ(v["manual"], 0);
  EXPECT_EQ(v["v1_set"], kValveStartPct);
}

}  // namespace
}  // namespace heat::sim
