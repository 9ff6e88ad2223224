// sim/physics/building.h: a 2R2C flat cools as its analytic solution says,
// settles at Q/UA above outdoors, radiators meet their design point, and
// room sensors (DEV-1) are ±0.2 °C at 0.1 °C resolution.
#include <gtest/gtest.h>

#include <cmath>

#include "heat/sim/physics/building.h"

namespace heat::sim::physics {
namespace {

FlatParams Flat80() { return FlatParams{}; }  // 80 m², UA 106 W/K, τ ≈ 60 h

// The exact free response of the 2×2 system from T_air = T_mass = t0 at
// outdoor 0 °C, by its eigenvalues and eigenvectors.
double AnalyticAir(const FlatParams& p, double t0, double t_s) {
  double h_mo = 1 / (1 / p.ua_w_k - 1 / p.h_am_w_k);
  double ca = p.c_air_kj_k * 1000, cm = p.c_mass_kj_k * 1000;
  double a = -p.h_am_w_k / ca, b = p.h_am_w_k / ca;
  double c = p.h_am_w_k / cm, d = -(p.h_am_w_k + h_mo) / cm;
  double tr = a + d, det = a * d - b * c, disc = std::sqrt(tr * tr / 4 - det);
  double l1 = tr / 2 + disc, l2 = tr / 2 - disc;
  // Eigenvectors (b, λ − a); x0 = (t0, t0) = c1 v1 + c2 v2.
  double v1y = l1 - a, v2y = l2 - a;
  double c1 = (t0 * v2y - t0 * b) / (b * v2y - b * v1y);
  double c2 = (t0 - c1 * b) / b;
  return c1 * b * std::exp(l1 * t_s) + c2 * b * std::exp(l2 * t_s);
}

TEST(SimBuildingTest, FlatCoolsAlongItsAnalyticCurveFor7Days) {
  FlatParams p = Flat80();
  Flat f;
  f.p = p;
  const double dt = 300;
  for (int i = 1; i <= 7 * 288; ++i) {
    StepFlat(f, 0, 0, 0, dt);
    if (i % 288 == 0) {
      EXPECT_NEAR(f.t_air_c, AnalyticAir(p, 20, i * dt), 0.01) << "day " << i / 288;
    }
  }
}

TEST(SimBuildingTest, SlowTimeConstantGovernsTheCoolingAfterTheFastTransient) {
  FlatParams p = Flat80();
  TimeConstants tc = FlatTimeConstants(p);
  // 59.36 h by the eigenvalues; one node, (C_a + C_m) / UA, would say 63 h.
  EXPECT_NEAR(tc.slow_s / 3600, 59.36, 0.01);
  EXPECT_LT(tc.fast_s, 1800);
  Flat f;
  f.p = p;
  for (int i = 0; i < 24 * 60; ++i) StepFlat(f, 0, 0, 0, 60);  // one day
  double day1 = f.t_air_c;
  for (int i = 0; i < 48 * 60; ++i) StepFlat(f, 0, 0, 0, 60);  // two more
  EXPECT_NEAR(f.t_air_c / day1, std::exp(-48 * 3600 / tc.slow_s), 0.002);
}

TEST(SimBuildingTest, ConstantHeatSettlesAtQOverUaAboveOutdoors) {
  Flat f;
  f.p = Flat80();
  // Design load 4 kW at −19.7 °C: 4000 / 106.1 = 37.7 K -> 18 °C.
  f.p.ua_w_k = 80 * 50 / 37.7;
  for (int i = 0; i < 6 * 24 * 40; ++i) StepFlat(f, 4.0, 0, -19.7, 600);  // 40 days
  EXPECT_NEAR(f.t_air_c, 18, 0.01);
  EXPECT_LT(f.t_mass_c, f.t_air_c);
}

TEST(SimBuildingTest, RadiatorAtDesignTemperaturesGivesDesignOutputAnd50CReturn) {
  FlatParams p = Flat80();
  p.design_flow_m3h = 4.0 / (1.163 * 25);
  RadiatorOut r = Radiator(p, 75, p.design_flow_m3h, 18);
  EXPECT_NEAR(r.q_kw, 4.0, 0.001);
  EXPECT_NEAR(r.return_c, 50, 0.01);
}

TEST(SimBuildingTest, RadiatorOutputFallsWithFlowAndNeverCoolsBelowTheRoom) {
  FlatParams p = Flat80();
  RadiatorOut full = Radiator(p, 75, 0.138, 20), half = Radiator(p, 75, 0.069, 20);
  EXPECT_LT(half.q_kw, full.q_kw);
  EXPECT_LT(half.return_c, full.return_c);
  RadiatorOut trickle = Radiator(p, 75, 0.001, 20);
  EXPECT_GE(trickle.return_c, 20 - 1e-9);
  EXPECT_EQ(Radiator(p, 19, 0.1, 20).q_kw, 0);
}

TEST(SimBuildingTest, ThermostaticValveIsOpenBelowItsBandShutAtItsSettingProportionalBetween) {
  Flat f;
  f.p.has_trv = true;  // closes at 22 °C, band 2 K
  f.t_air_c = 19.0;
  EXPECT_EQ(f.Opening(), 1.0);
  f.t_air_c = 21.0;
  EXPECT_DOUBLE_EQ(f.Opening(), 0.5);
  f.t_air_c = 22.5;
  EXPECT_EQ(f.Opening(), 0.0);
  f.p.has_trv = false;  // no valve: the radiator takes its whole share
  EXPECT_EQ(f.Opening(), 1.0);
  f.p.suspended = true;  // the company shut it
  EXPECT_EQ(f.Opening(), 0.0);
  f.p.has_trv = true;
  f.p.stealing = true;  // reopened by hand: a stolen radiator is not throttled
  EXPECT_EQ(f.Opening(), 1.0);
}

TEST(SimBuildingTest, SensorReadsWithin02CAtTenthResolution) {
  for (int i = 0; i <= 100; ++i) {
    double v = SensorReading(20.04, i / 100.0);
    EXPECT_LE(std::abs(v - 20.04), 0.25 + 1e-9);
    EXPECT_NEAR(v * 10, std::round(v * 10), 1e-6);
  }
  EXPECT_NEAR(SensorReading(20.04, 0), 19.8, 1e-9);
  EXPECT_NEAR(SensorReading(20.04, 1), 20.2, 1e-9);
}

TEST(SimBuildingTest, HeatMeterIntegratesEnergyAndVolume) {
  HeatMeter m;
  m.Add(2, 70, 45, 1800);  // half an hour of 2 m³/h at 25 K
  EXPECT_NEAR(m.volume_m3, 1, 1e-12);
  EXPECT_NEAR(m.energy_kwh, 1.163 * 25, 1e-9);
}

}  // namespace
}  // namespace heat::sim::physics
