// control/curve.h (CTL-2): heating curves by slope and by six points,
// parallel displacement, room-setpoint shift and supply limits, worked.
#include <gtest/gtest.h>

#include "heat/control/curve.h"

namespace heat::control {
namespace {

TEST(ControlCurveTest, Slope14AtDesignOutdoorGives7558C) {
  HeatingCurve c;  // slope 1.4, room 20, limits 35..85
  // 20 + 1.4 × (20 − (−19.7)) = 75.58
  EXPECT_NEAR(CurveSupply(c, -19.7, 20), 75.58, 1e-9);
  EXPECT_NEAR(CurveSupply(c, 0, 20), 48, 1e-9);
}

TEST(ControlCurveTest, ParallelDisplacementAddsAndRoomShiftAddsOnePlusSlopePerKelvin) {
  HeatingCurve c;
  c.parallel_c = 3;
  EXPECT_NEAR(CurveSupply(c, 0, 20), 51, 1e-9);
  c.parallel_c = 0;
  // Room setpoint 22 instead of 20: +2 × (1 + 1.4) = +4.8.
  EXPECT_NEAR(CurveSupply(c, 0, 22), 52.8, 1e-9);
  EXPECT_NEAR(CurveSupply(c, 0, 17), 48 - 3 * 2.4, 1e-9);
}

TEST(ControlCurveTest, SupplyIsHeldWithinMinAndMax) {
  HeatingCurve c;
  c.slope = 4.0;
  EXPECT_EQ(CurveSupply(c, -30, 20), 85);
  EXPECT_EQ(CurveSupply(c, 18, 20), 35);
}

TEST(ControlCurveTest, SixPointsInterpolateAndHoldBeyondTheEnds) {
  HeatingCurve c;
  c.points = {{-25, 80}, {-15, 70}, {-5, 58}, {0, 52}, {5, 45}, {15, 35}};
  c.min_supply_c = 30;
  EXPECT_NEAR(CurveSupply(c, -10, 20), 64, 1e-9);
  EXPECT_NEAR(CurveSupply(c, 2.5, 20), 48.5, 1e-9);
  EXPECT_NEAR(CurveSupply(c, -40, 20), 80, 1e-9);
  EXPECT_NEAR(CurveSupply(c, 20, 20), 35, 1e-9);
  // Local slope between −15 and −5 is 12/10 = 1.2: room +1 K gives +2.2.
  EXPECT_NEAR(CurveSlope(c, -10), 1.2, 1e-12);
  EXPECT_NEAR(CurveSupply(c, -10, 21), 66.2, 1e-9);
}

TEST(ControlCurveTest, ValidateNamesTheBadField) {
  StationConfig cfg;
  cfg.curve.slope = 5;
  EXPECT_EQ(Validate(cfg).message(), "curve.slope: 5 is outside 0.1..4");
  cfg.curve.slope = 1;
  cfg.curve.points = {{-20, 80}, {-10, 70}};
  EXPECT_EQ(Validate(cfg).message(), "curve.points: need 6 points, got 2");
  cfg.curve.points = {{-20, 80}, {-10, 70}, {-12, 60}, {0, 50}, {5, 45}, {10, 40}};
  EXPECT_EQ(Validate(cfg).message(),
            "curve.points[2]: outdoor temperatures must rise and supply temperatures not");
  cfg.curve.points.clear();
  cfg.curve.max_supply_c = 120;
  EXPECT_EQ(Validate(cfg).message(), "curve.max_supply_c: 120 is outside 35..95");
  EXPECT_TRUE(Validate(StationConfig{}).ok());
}

TEST(ControlCurveTest, DesignCurvePassesThroughTheRadiatorsDesignPoint) {
  // Radiators for 75/50 °C at −15 °C outdoor and 18 °C indoor.
  HeatingCurve c = DesignCurve(75, 50, -15, 18);
  ASSERT_EQ(c.points.size(), 6u);
  EXPECT_EQ(c.points[1].first, -15);
  EXPECT_NEAR(c.points[1].second, 75, 1e-9);
  EXPECT_EQ(c.room_ref_c, 18);
  StationConfig cfg;
  cfg.curve = c;
  EXPECT_TRUE(Validate(cfg).ok());
}

TEST(ControlCurveTest, DesignCurveFollowsTheRadiatorExponentAtPartLoad) {
  HeatingCurve c = DesignCurve(75, 50, -15, 18);
  // 0 °C: a share 18/33 of the load; 18 + 44.5 × (18/33)^(1/1.3) + 12.5 × 18/33.
  EXPECT_NEAR(c.points[3].second, 52.735, 1e-3);
  EXPECT_NEAR(c.points[0].second, 95.547, 1e-3);  // −30 °C: beyond the design
  EXPECT_NEAR(c.points[5].second, 26.172, 1e-3);  // 15 °C
  EXPECT_EQ(CurveSupply(c, 15, 18), 35);           // held at min_supply_c
  // A room setpoint of 20 instead of 18 raises it by 2 × (1 + local slope).
  double slope = (c.points[3].second - c.points[4].second) / 5;
  EXPECT_NEAR(CurveSupply(c, 2.5, 20) - CurveSupply(c, 2.5, 18), 2 * (1 + slope), 1e-9);
}

TEST(ControlCurveTest, DesignCurveAboveTheIndoorTemperatureGivesTheIndoorTemperature) {
  HeatingCurve c = DesignCurve(75, 50, -15, 16);  // indoor 16: 15 °C is nearly no load
  EXPECT_GT(c.points[5].second, 16);
  c = DesignCurve(75, 50, -15, 14);  // 15 °C above indoor: no load at all
  EXPECT_NEAR(c.points[5].second, 14, 1e-9);
}

}  // namespace
}  // namespace heat::control
