// control/strategy.h closing the loop over sim/physics/station.h through
// sim/closed_loop.h: the default tunings hold a simulated station's supply
// at its setpoint, and the room-temperature target (CTL-3) brings the
// coldest flats to their setpoint where the heating curve alone leaves
// them off.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "heat/control/strategy.h"
#include "heat/sim/closed_loop.h"

namespace heat::control {
namespace {

using sim::ControlledStation;
using sim::physics::Station;
using sim::physics::StationDesign;
using sim::physics::Weather;

// Runs `hours` of one station under its config at 60 s steps, its sensors
// reporting every step; calls watch(hour) once a simulated minute.
template <typename Watch>
void RunLoop(ControlledStation& cs, const Weather& w, double hours, Watch watch) {
  cs.sensor_period_s = 60;
  for (int i = 0; i < hours * 60; ++i) {
    double t = i * 60.0;
    sim::StepClosedLoop(cs, 60, t, w.At(t), Clock{static_cast<int64_t>(t + 60), 8 * 3600});
    watch(t / 3600);
  }
}

ControlledStation Make(const StationConfig& cfg) {
  auto s = Station::Make(StationDesign{});
  EXPECT_TRUE(s.ok());
  return ControlledStation(std::move(s).value(), cfg);
}

TEST(ControlLoopTest, ConstantSupplyHoldsASimulatedStationWithin1C) {
  StationConfig cfg;
  cfg.valve = ValveStrategy::kConstantSupply;
  cfg.supply_c = 60;
  ControlledStation cs = Make(cfg);
  Weather w = Weather::FromHourly({{-10, 0, 0}, {-10, 0, 0}});
  double worst = 0;
  RunLoop(cs, w, 6, [&](double h) {
    if (h >= 1) worst = std::max(worst, std::abs(cs.station.values().t2s - 60));
  });
  EXPECT_LT(worst, 1.0);
}

TEST(ControlLoopTest, ConstantDpHoldsThePumpsDifferentialPressure) {
  StationConfig cfg;
  cfg.pump = PumpStrategy::kConstantDp;
  cfg.dp_kpa = 80;  // design head 150 kPa at 50 Hz: about 36.5 Hz
  ControlledStation cs = Make(cfg);
  Weather w = Weather::FromHourly({{-10, 0, 0}, {-10, 0, 0}});
  RunLoop(cs, w, 2, [](double) {});
  EXPECT_NEAR(cs.station.values().p2s - cs.station.values().p2r, 80, 2);
  EXPECT_NEAR(cs.station.pump().hz(), 50 * std::sqrt(80.0 / 150), 1);
}

TEST(ControlLoopTest, RoomTargetBringsTheColdestFlatsToTheSetpoint) {
  StationConfig cfg;
  cfg.valve = ValveStrategy::kRoomTarget;
  cfg.curve.parallel_c = -8;  // a curve set too low: rooms would sit near 17 °C
  ControlledStation cs = Make(cfg);
  Weather w = Weather::FromHourly(std::vector<sim::physics::WeatherSample>(24 * 6, {-12, 0, 0}));
  RunLoop(cs, w, 5 * 24, [](double) {});
  std::vector<double> rooms;
  for (const auto& b : cs.station.buildings())
    for (const auto& f : b.flats)
      if (f.p.has_sensor && f.flowing()) rooms.push_back(f.t_air_c);
  std::sort(rooms.begin(), rooms.end());
  ASSERT_GE(rooms.size(), 10u);
  double p10 = rooms[rooms.size() / 10];
  EXPECT_NEAR(p10, 20, 0.7);
}

}  // namespace
}  // namespace heat::control
