// analysis/curve.h (ANA-4): the curve fitted from history recovers, within
// 0.5 °C, the curve that holds a known building at the target — flats of
// heatsim's physics (radiators Q = Q_d·(ΔT/ΔT_d)^1.3, heat loss UA) in
// their steady state, under supplies scattered around a curve — and the
// recommendation is one heatctl control set would take.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "heat/analysis/curve.h"
#include "heat/control/curve.h"
#include "heat/sim/physics/building.h"

namespace heat::analysis {
namespace {

// The steady room temperature of a flat at outdoor t_out and supply t_s:
// radiator output + gains = UA·(room − outdoor), found by bisection.
double SteadyRoom(const sim::physics::FlatParams& p, double t_out, double t_s) {
  double lo = t_out, hi = t_s;
  for (int i = 0; i < 60; ++i) {
    double room = (lo + hi) / 2;
    double q_w = sim::physics::Radiator(p, t_s, p.design_flow_m3h, room).q_kw * 1000 + p.internal_gain_w;
    (q_w > p.ua_w_k * (room - t_out) ? lo : hi) = room;
  }
  return (lo + hi) / 2;
}

// The supply that holds the flat at `target`, by bisection (the truth).
double TrueSupply(const sim::physics::FlatParams& p, double t_out, double target) {
  double lo = target, hi = 120;
  for (int i = 0; i < 60; ++i) {
    double s = (lo + hi) / 2;
    (SteadyRoom(p, t_out, s) < target ? lo : hi) = s;
  }
  return (lo + hi) / 2;
}

// A winter of hours: outdoor −25..+5 °C, the supply a design curve ± 6 °C
// (room corrections, hand holds), the room measured to 0.1 °C.
std::vector<CurveSample> Winter(const sim::physics::FlatParams& p) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> out(-25, 5), shift(-6, 6);
  control::HeatingCurve design = control::DesignCurve(75, 50, -19.7, 18);
  std::vector<CurveSample> s;
  for (int i = 0; i < 1000; ++i) {
    double t = out(rng), sup = control::CurveSupply(design, t, 20) + shift(rng);
    s.push_back({t, sup, std::round(SteadyRoom(p, t, sup) * 10) / 10});
  }
  return s;
}

TEST(CurveFitTest, RecoversTheCurveThatHoldsAKnownBuildingAt20CWithinHalfADegree) {
  sim::physics::FlatParams p;  // heatsim's default flat: 50 W/m² at −19.7 °C
  control::HeatingCurve limits;
  limits.min_supply_c = 20, limits.max_supply_c = 95;
  auto fit = FitCurve(Winter(p), 20, limits);
  ASSERT_TRUE(fit.ok()) << fit.status().message();
  EXPECT_EQ(fit->samples, 1000);
  EXPECT_LT(fit->rmse_c, 0.5);
  ASSERT_EQ(fit->curve.points.size(), 6u);
  for (const auto& [t_out, supply] : fit->curve.points) {
    if (t_out < -25 || t_out > 5) continue;  // outside the history: extrapolated
    EXPECT_NEAR(supply, TrueSupply(p, t_out, 20), 0.5) << "at " << t_out << " °C outdoor";
    EXPECT_NEAR(SteadyRoom(p, t_out, supply), 20, 0.5) << "the building under the fitted curve, " << t_out << " °C";
  }
  EXPECT_EQ(fit->curve.room_ref_c, 20);
  EXPECT_EQ(fit->curve.parallel_c, 0);
}

TEST(CurveFitTest, ExactLinearBuildingGivesExactCoefficients) {
  // room = 2 + 0.3·(supply − outdoor) + 1.0·outdoor, no noise.
  std::vector<CurveSample> s;
  for (int i = 0; i < 60; ++i) {
    double t = -20 + i * 0.5, sup = 40 + (i % 7) * 3;
    s.push_back({t, sup, 2 + 0.3 * (sup - t) + t});
  }
  auto fit = FitCurve(s, 20, control::HeatingCurve{});
  ASSERT_TRUE(fit.ok());
  EXPECT_NEAR(fit->c0, 2, 1e-9);
  EXPECT_NEAR(fit->c_excess, 0.3, 1e-9);
  EXPECT_NEAR(fit->c_outdoor, 1, 1e-9);
  EXPECT_NEAR(fit->rmse_c, 0, 1e-9);
  // supply at −15: −15 + (20 − 2 + 15)/0.3 = 95 → held at max_supply_c 85.
  EXPECT_NEAR(FittedSupply(*fit, -15, 20), 95, 1e-9);
  EXPECT_EQ(fit->curve.points[1].second, 85);
  EXPECT_NEAR(fit->curve.points[3].second, (20 - 2) / 0.3, 1e-9);  // at 0 °C: 60
  EXPECT_EQ(PointsJson(fit->curve), "[[-30,85.0],[-15,85.0],[-5,71.7],[0,60.0],[5,48.3],[15,35.0]]");
}

TEST(CurveFitTest, TooFewHoursOrRoomsThatIgnoreTheSupplyAreRefused) {
  std::vector<CurveSample> few(47, CurveSample{-5, 50, 20});
  auto a = FitCurve(few, 20, {});
  EXPECT_EQ(a.status().message(),
            "a curve needs at least 48 hours with outdoor, supply and room temperatures; the span has 47");
  std::vector<CurveSample> flat;
  for (int i = 0; i < 100; ++i) flat.push_back({-10.0 + i * 0.1, 40.0 + i % 9, 20});
  auto b = FitCurve(flat, 20, {});
  EXPECT_EQ(b.status().code(), Code::kFailure);
}

}  // namespace
}  // namespace heat::analysis
