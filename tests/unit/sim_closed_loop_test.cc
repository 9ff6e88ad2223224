// sim/closed_loop.h: what a strategy sees of a simulated station (values,
// the heated flats' sensors, their age between reports) and that its
// commands reach the valve and pump, except in local manual.
#include <gtest/gtest.h>

#include "heat/sim/closed_loop.h"

namespace heat::sim {
namespace {

using physics::Station;
using physics::StationDesign;
using physics::WeatherSample;

Station Make(double suspended_fraction) {
  StationDesign d;
  d.suspended_fraction = suspended_fraction;
  d.sensor_fraction = 1;
  auto s = Station::Make(d);
  EXPECT_TRUE(s.ok());
  return std::move(s).value();
}

control::Clock At(double t_s) { return control::Clock{static_cast<int64_t>(t_s), 8 * 3600}; }

TEST(SimClosedLoopTest, SensorsOfSuspendedFlatsAreLeftOut) {
  Station s = Make(0.5);
  size_t heated = 0, suspended = 0;
  for (const auto& b : s.buildings())
    for (const auto& f : b.flats) (f.p.suspended ? suspended : heated)++;
  ASSERT_GT(suspended, 0u);
  std::vector<control::RoomReading> rooms = ReadHeatedRooms(s);
  EXPECT_EQ(rooms.size(), heated);
  for (const auto& r : rooms) EXPECT_NEAR(r.temp_c, 20, 0.31);  // 20 °C ± noise and rounding
}

TEST(SimClosedLoopTest, SensorsReportEveryPeriodAndAgeInBetween) {
  ControlledStation cs(Make(0), control::StationConfig{});
  cs.sensor_period_s = 600;
  WeatherSample w{-10, 0, 0};
  for (int i = 0; i < 10; ++i) StepClosedLoop(cs, 60, i * 60.0, w, At((i + 1) * 60.0));
  EXPECT_EQ(cs.last_report_s, 60);  // the first step reported, the next nine did not
  StepClosedLoop(cs, 60, 600, w, At(660));
  EXPECT_EQ(cs.last_report_s, 660);
  EXPECT_EQ(cs.rooms.size(), 36u);
}

TEST(SimClosedLoopTest, CommandsReachTheValveAndPumpUnlessInLocalManual) {
  control::StationConfig cfg;
  cfg.pump_hz = 30;
  ControlledStation cs(Make(0), cfg);
  WeatherSample w{-10, 0, 0};
  control::Commands c = StepClosedLoop(cs, 60, 0, w, At(60));
  EXPECT_TRUE(c.send);
  EXPECT_EQ(cs.station.pump().hz_setpoint(), 30);
  EXPECT_DOUBLE_EQ(cs.station.valve().setpoint_pct(), c.valve_pct);
  cs.station.valve().SetForcedManual(true, 35);
  cs.config.pump_hz = 40;
  c = StepClosedLoop(cs, 60, 60, w, At(120));
  EXPECT_FALSE(c.send);
  EXPECT_EQ(cs.station.pump().hz_setpoint(), 30);
}

TEST(SimClosedLoopTest, MeasurementsAreTheStationsValuesAndTheWeathers) {
  Station s = Make(0);
  WeatherSample w{-12, 3, 150};
  s.Step(60, 0, w);
  control::Measurements m = MeasureStation(s, w);
  EXPECT_EQ(m.t_out_c, -12);
  EXPECT_EQ(m.wind_ms, 3);
  EXPECT_EQ(m.solar_wm2, 150);
  EXPECT_EQ(m.t2s, s.values().t2s);
  EXPECT_DOUBLE_EQ(m.dp2_kpa, s.values().p2s - s.values().p2r);
  EXPECT_EQ(m.valve_pct, s.valve().feedback_pct());
  EXPECT_TRUE(m.rooms.empty());
}

}  // namespace
}  // namespace heat::sim
