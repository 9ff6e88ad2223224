// analysis/energy.h (ANA-7): heat per m² per day and over the span,
// normalised by heating degree-days (base 18 °C), primary flow, make-up
// water and electricity per area, per source and station, the plan share
// and the weather-normalised change against last season, worked by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "heat/analysis/energy.h"

namespace heat::analysis {
namespace {

StationDay Day(int d, const std::string& station, double area, double heat, double outdoor) {
  StationDay x;
  x.day = Date{2026, 12, d};
  x.source = "CHP1";
  x.station = station;
  x.area_m2 = area;
  x.heat_gj = heat;
  x.outdoor_c = outdoor;
  return x;
}

TEST(EnergyTest, DegreeDaysAreTheKelvinsBelowTheBaseAndNoneWhenWarmerOrUnknown) {
  EXPECT_EQ(DegreeDays(-12, 18), 30);
  EXPECT_EQ(DegreeDays(18, 18), 0);
  EXPECT_EQ(DegreeDays(21, 18), 0);
  EXPECT_EQ(DegreeDays(control::kUnknown, 18), 0);
  EXPECT_EQ(DegreeDays(5, 15), 10);
}

TEST(EnergyTest, OneStationPerAreaAndPerDegreeDay) {
  // 10 000 m², two days: 100 GJ at −12 °C (30 K·d) and 80 GJ at −2 °C (20 K·d).
  std::vector<StationDay> d = {Day(1, "S01", 10000, 100, -12), Day(2, "S01", 10000, 80, -2)};
  d[0].f1_m3h = 40, d[1].f1_m3h = 30;
  d[0].water_m3 = 2, d[1].water_m3 = 3;
  d[0].power_kwh = 500, d[1].power_kwh = 700;
  d[0].plan_heat_gj = 90, d[1].plan_heat_gj = 90;
  EnergyFigures f = Figures("S01", d, 18);
  EXPECT_EQ(f.days, 2);
  EXPECT_EQ(f.heat_days, 2);
  EXPECT_NEAR(f.heat_gj, 180, 1e-9);
  EXPECT_NEAR(f.heat_mj_m2, 18, 1e-9);        // 180 000 MJ / 10 000 m²
  EXPECT_NEAR(f.heat_mj_m2_day, 9, 1e-9);
  EXPECT_NEAR(f.degree_days, 50, 1e-9);
  EXPECT_NEAR(f.heat_kj_m2_dd, 180e6 / (10000 * 50.0), 1e-9);  // 360 kJ/(m²·K·d)
  EXPECT_NEAR(f.f1_m3h_10k_m2, 35, 1e-9);     // mean 35 m³/h on 10 000 m²
  EXPECT_NEAR(f.water_m3_10k_m2, 5, 1e-9);
  EXPECT_NEAR(f.power_kwh_m2, 0.12, 1e-12);
  EXPECT_NEAR(f.plan_share, 1.0, 1e-12);
}

TEST(EnergyTest, ASourceWeighsItsStationsByAreaAndCountsEachAreaOnce) {
  // S01 10 000 m² at −12 °C (30 K·d), S02 30 000 m² at −2 °C (20 K·d), one day.
  std::vector<StationDay> d = {Day(1, "S01", 10000, 100, -12), Day(1, "S02", 30000, 210, -2)};
  auto by = FiguresBy(true, d, 18);
  ASSERT_EQ(by.size(), 1u);
  EXPECT_EQ(by[0].group, "CHP1");
  EXPECT_EQ(by[0].stations, 2);
  EXPECT_NEAR(by[0].area_m2, 40000, 1e-9);
  EXPECT_NEAR(by[0].degree_days, (10000 * 30 + 30000 * 20) / 40000.0, 1e-9);  // 22.5
  EXPECT_NEAR(by[0].heat_kj_m2_dd, 310e6 / (10000 * 30 + 30000 * 20.0), 1e-9);
  auto st = FiguresBy(false, d, 18);
  ASSERT_EQ(st.size(), 2u);
  EXPECT_EQ(st[1].group, "S02");
  EXPECT_NEAR(st[1].heat_mj_m2_day, 7, 1e-9);
}

TEST(EnergyTest, AnUnknownCounterDayAddsNothingAndIsCounted) {
  std::vector<StationDay> d = {Day(1, "S01", 10000, 100, -12), Day(2, "S01", 10000, control::kUnknown, -12),
                               Day(3, "S01", 10000, 50, control::kUnknown)};
  EnergyFigures f = Figures("S01", d, 18);
  EXPECT_EQ(f.days, 3);
  EXPECT_EQ(f.heat_days, 2);
  EXPECT_EQ(f.days_without_outdoor, 1);
  EXPECT_NEAR(f.heat_gj, 150, 1e-9);
  EXPECT_TRUE(std::isnan(f.plan_share)) << "no plan entered";
}

TEST(EnergyTest, AStationWithoutAnyHeatFigureIsLeftOutOfItsSourcesArea) {
  std::vector<StationDay> d = {Day(1, "S01", 10000, 100, -12), Day(1, "S02", 30000, control::kUnknown, -12),
                               Day(2, "S02", 30000, control::kUnknown, -12)};
  EnergyFigures f = FiguresBy(true, d, 18)[0];
  EXPECT_EQ(f.stations, 1);
  EXPECT_EQ(f.stations_without_heat, 1);
  EXPECT_NEAR(f.area_m2, 10000, 1e-9);
  EXPECT_NEAR(f.heat_mj_m2, 10, 1e-9);
  EXPECT_NEAR(f.degree_days, 30, 1e-9);
}

TEST(EnergyTest, LastSeasonIsComparedPerDegreeDay) {
  // This season 100 GJ over 30 K·d, last 120 GJ over 40 K·d: 1 − (100/30)/(120/40) = −11.1 %.
  auto now = Figures("S01", {Day(1, "S01", 10000, 100, -12)}, 18);
  auto before = Figures("S01", {Day(1, "S01", 10000, 120, -22)}, 18);
  EXPECT_NEAR(NormalisedChangePct(now, before), (100.0 / 30 / (120.0 / 40) - 1) * 100, 1e-9);
  EXPECT_TRUE(std::isnan(NormalisedChangePct(now, EnergyFigures{})));
}

}  // namespace
}  // namespace heat::analysis
