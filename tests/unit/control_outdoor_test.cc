// control/outdoor.h: the composite outdoor temperature (CTL-4) and the
// room sensors' low percentile (CTL-3).
#include <gtest/gtest.h>

#include <cmath>

#include "heat/control/outdoor.h"

namespace heat::control {
namespace {

TEST(ControlOutdoorTest, FilterReaches632PercentOfAStepAfterOneBuildingTimeConstant) {
  Composite c;
  c.building_tau_h = 20;
  double f = FilterOutdoor(c, kUnknown, 0, 60);
  EXPECT_EQ(f, 0);
  for (int i = 0; i < 20 * 60; ++i) f = FilterOutdoor(c, f, -10, 60);
  EXPECT_NEAR(f, -10 * (1 - std::exp(-1.0)), 1e-6);
  EXPECT_EQ(FilterOutdoor(c, f, kUnknown, 60), f);  // unknown holds
}

TEST(ControlOutdoorTest, WindCoolsAndSunWarmsTheComposite) {
  Composite c;  // 0.3 K per m/s above 2 m/s, 0.01 K per W/m²
  Measurements m;
  m.wind_ms = 7;
  m.solar_wm2 = 300;
  EXPECT_NEAR(CompositeOutdoor(c, -10, m), -10 - 1.5 + 3, 1e-9);
  EXPECT_EQ(CompositeOutdoor(c, -10, Measurements{}), -10);  // not measured
}

TEST(ControlOutdoorTest, LowPercentileLeavesOutOfflineOldAndImplausibleSensors) {
  RoomTarget r;  // 10th percentile, at least 3, 2 h, 5..35 °C
  std::vector<RoomReading> rooms = {
      {21.0, 60, true}, {19.0, 60, true}, {22.0, 60, true}, {20.0, 60, true},
      {23.0, 60, true}, {21.5, 60, true}, {20.5, 60, true}, {22.5, 60, true},
      {21.2, 60, true}, {19.8, 60, true},
      {12.0, 60, false},    // offline
      {14.0, 9000, true},   // too old
      {-3.0, 60, true},     // implausible
      {85.0, 60, true},     // implausible
      {kUnknown, 60, true}};
  // Ten valid: sorted 19.0 19.8 20.0 ..; p10 at rank 0.9 -> 19.72.
  auto p = RoomPercentile(r, rooms);
  ASSERT_TRUE(p.has_value());
  EXPECT_NEAR(*p, 19.72, 1e-9);
  double mean = 21.05;
  EXPECT_LT(*p, mean);  // the coldest flats, not the mean
}

TEST(ControlOutdoorTest, TooFewSensorsGiveNoPercentile) {
  RoomTarget r;
  EXPECT_FALSE(RoomPercentile(r, {{20, 0, true}, {21, 0, true}}).has_value());
  EXPECT_FALSE(RoomPercentile(r, {}).has_value());
}

}  // namespace
}  // namespace heat::control
