// analysis/precision.h (ANA-1): quantiles, deviation from the setpoint with
// hours outside the band, actuator spreads, and the setpoint replayed with
// the controller's own step, on hand-made series with known answers.
#include <gtest/gtest.h>

#include <cmath>

#include "heat/analysis/precision.h"
#include "heat/control/curve.h"

namespace heat::analysis {
namespace {

const double kNaN = control::kUnknown;

TEST(PrecisionTest, QuantileIsLinearBetweenRanksLikePercentileCont) {
  // 1..20: p95 lies at rank 0.95 × 19 = 18.05 → 19 + 0.05 × 1 = 19.05.
  std::vector<double> v;
  for (int i = 20; i >= 1; --i) v.push_back(i);
  EXPECT_NEAR(Quantile(v, 0.95), 19.05, 1e-12);
  EXPECT_NEAR(Quantile(v, 0.5), 10.5, 1e-12);
  EXPECT_EQ(Quantile(v, 0), 1);
  EXPECT_EQ(Quantile(v, 1), 20);
  EXPECT_NEAR(Quantile({kNaN, 4, kNaN, 2}, 0.5), 3, 1e-12) << "unknown values are left out";
  EXPECT_TRUE(std::isnan(Quantile({kNaN}, 0.5)));
}

TEST(PrecisionTest, DeviationCountsHoursOutsideTheBandAndSkipsUnknownHours) {
  std::vector<double> sp = {60, 60, 60, 60, 60, 60, 60, 60, 60, 60, kNaN};
  std::vector<double> pv = {61, 59, 60, 63, 57, 60.5, 60, 62, 60, kNaN, 70};
  // Deviations of the 9 known hours: 1 −1 0 3 −3 0.5 0 2 0.
  DeviationStats d = Deviation(pv, sp, 2);
  EXPECT_EQ(d.hours, 9);
  EXPECT_NEAR(d.mean, 2.5 / 9, 1e-12);
  EXPECT_NEAR(d.mean_abs, 10.5 / 9, 1e-12);
  EXPECT_EQ(d.max_abs, 3);
  EXPECT_EQ(d.hours_outside, 2) << "|3| twice; exactly 2 is inside the band";
  // |dev| sorted 0 0 0 0.5 1 1 2 3 3: rank 0.95 × 8 = 7.6 → 3.
  EXPECT_NEAR(d.p95_abs, 3, 1e-12);
}

TEST(PrecisionTest, ValveSpreadCountsHoursAtBothEndsAndFillsTenBuckets) {
  std::vector<double> v = {0, 0.3, 5, 15, 50, 55, 99.6, 100, 100, kNaN};
  Spread s = Distribute(v, 0, 100, 0.5);
  EXPECT_EQ(s.hours, 9);
  EXPECT_EQ(s.at_low, 2);
  EXPECT_EQ(s.at_high, 3);
  EXPECT_EQ(s.buckets[0], 3);  // 0, 0.3, 5
  EXPECT_EQ(s.buckets[1], 1);
  EXPECT_EQ(s.buckets[5], 2);  // 50, 55
  EXPECT_EQ(s.buckets[9], 3);  // 99.6 and 100 twice: the top bucket holds its end
  EXPECT_NEAR(s.p50, 50, 1e-12);
  EXPECT_NEAR(s.mean, (0 + 0.3 + 5 + 15 + 50 + 55 + 99.6 + 200) / 9, 1e-12);
}

TEST(PrecisionTest, PumpSpreadAgainstItsFrequencyLimits) {
  Spread s = Distribute({20, 20.4, 35, 50, 49.8}, 20, 50, 0.5);
  EXPECT_EQ(s.at_low, 2);
  EXPECT_EQ(s.at_high, 2);
  EXPECT_EQ(s.buckets[5], 1);  // 35 Hz is half-way
}

std::vector<Hour> Hours(const std::vector<double>& outdoor) {
  std::vector<Hour> h;
  for (size_t i = 0; i < outdoor.size(); ++i) {
    Hour x;
    x.start_s = 1733011200 + static_cast<int64_t>(i) * 3600;
    x.m.t_out_c = outdoor[i];
    h.push_back(x);
  }
  return h;
}

TEST(PrecisionTest, SetpointOfOutdoorCompensationIsTheCurveAtTheCompositeOutdoor) {
  control::StationConfig c;  // outdoor compensation, slope 1.4, room 20
  c.composite.building_tau_h = 0;  // no filter: the hour's own outdoor temperature
  auto sp = Setpoints(c, Hours({-10, -10, -5, 0}), 8 * 3600);
  ASSERT_EQ(sp.size(), 4u);
  EXPECT_NEAR(sp[0], control::CurveSupply(c.curve, -10, 20), 1e-9);  // 62
  EXPECT_NEAR(sp[2], control::CurveSupply(c.curve, -5, 20), 1e-9);   // 55 (a 7 K step is within 10 K/h)
  EXPECT_NEAR(sp[3], 48, 1e-9);
}

TEST(PrecisionTest, SetpointFollowsTheBuildingTimeConstantLikeTheController) {
  control::StationConfig c;
  c.composite.building_tau_h = 20;
  auto sp = Setpoints(c, Hours({0, -20, -20}), 8 * 3600);
  // The filtered outdoor moves 1 − e^(−1/20) of the way per hour.
  double f1 = -20 * (1 - std::exp(-1.0 / 20));
  EXPECT_NEAR(sp[0], 48, 1e-9);
  EXPECT_NEAR(sp[1], control::CurveSupply(c.curve, f1, 20), 1e-6);
}

TEST(PrecisionTest, ConstantReturnAndConstantFlowCompareWithTheirOwnSetpoint) {
  control::StationConfig c;
  c.valve = control::ValveStrategy::kConstantReturn;
  c.return_c = 42;
  EXPECT_EQ(ControlledBy(c.valve), Controlled::kReturn);
  EXPECT_STREQ(ControlledTag(Controlled::kReturn), "t2r");
  EXPECT_EQ(Setpoints(c, Hours({-5, -5}), 0), (std::vector<double>{42, 42}));
  c.valve = control::ValveStrategy::kConstantFlow;
  c.flow_m3h = 30;
  EXPECT_EQ(Setpoints(c, Hours({-5}), 0), (std::vector<double>{30}));
}

TEST(PrecisionTest, AnHourInLocalManualHasNoSetpoint) {
  control::StationConfig c;
  auto h = Hours({-5, -5});
  h[1].m.local_manual = true;
  auto sp = Setpoints(c, h, 0);
  EXPECT_FALSE(std::isnan(sp[0]));
  EXPECT_TRUE(std::isnan(sp[1]));
}

}  // namespace
}  // namespace heat::analysis
