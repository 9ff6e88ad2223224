// control/strategy.h closing the loop over sim/physics/station.h: the
// default tunings hold a simulated station's supply at its setpoint, and
// the room-temperature target (CTL-3) brings the coldest flats to their
// setpoint where the heating curve alone leaves them off.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "heat/control/strategy.h"
#include "heat/sim/physics/station.h"

namespace heat::control {
namespace {

using sim::physics::Station;
using sim::physics::StationDesign;
using sim::physics::Weather;

Measurements Measure(Station& s) {
  const auto& v = s.values();
  Measurements m;
  m.t_out_c = v.t_out_c;
  m.t1s = v.t1s, m.t1r = v.t1r, m.t2s = v.t2s, m.t2r = v.t2r;
  m.dp2_kpa = v.p2s - v.p2r, m.f1_m3h = v.f1, m.pw1_kw = v.pw1;
  m.valve_pct = s.valve().feedback_pct();
  m.pump_hz = s.pump().hz();
  for (const auto& r : s.ReadSensors()) m.rooms.push_back({r.temp_c, 0, true});
  return m;
}

// Runs `hours` of one station under cfg at 60 s steps; calls watch(hour)
// once a simulated minute.
template <typename Watch>
void RunLoop(Station& s, const StationConfig& cfg, const Weather& w, double hours, Watch watch) {
  ControlState state;
  for (int i = 0; i < hours * 60; ++i) {
    double t = i * 60.0;
    s.Step(60, t, w.At(t));
    Output o = Step(cfg, Measure(s), state, Clock{static_cast<int64_t>(t), 8 * 3600});
    state = o.state;
    if (o.commands.send) {
      s.valve().Command(o.commands.valve_pct);
      s.pump().CommandHz(o.commands.pump_hz);
    }
    watch(t / 3600);
  }
}

Station Make() {
  auto s = Station::Make(StationDesign{});
  EXPECT_TRUE(s.ok());
  return std::move(s).value();
}

TEST(ControlLoopTest, ConstantSupplyHoldsASimulatedStationWithin1C) {
  Station s = Make();
  StationConfig cfg;
  cfg.valve = ValveStrategy::kConstantSupply;
  cfg.supply_c = 60;
  Weather w = Weather::FromHourly({{-10, 0, 0}, {-10, 0, 0}});
  double worst = 0;
  RunLoop(s, cfg, w, 6, [&](double h) {
    if (h >= 1) worst = std::max(worst, std::abs(s.values().t2s - 60));
  });
  EXPECT_LT(worst, 1.0);
}

TEST(ControlLoopTest, ConstantDpHoldsThePumpsDifferentialPressure) {
  Station s = Make();
  StationConfig cfg;
  cfg.pump = PumpStrategy::kConstantDp;
  cfg.dp_kpa = 80;  // design head 150 kPa at 50 Hz: about 36.5 Hz
  Weather w = Weather::FromHourly({{-10, 0, 0}, {-10, 0, 0}});
  RunLoop(s, cfg, w, 2, [](double) {});
  EXPECT_NEAR(s.values().p2s - s.values().p2r, 80, 2);
  EXPECT_NEAR(s.pump().hz(), 50 * std::sqrt(80.0 / 150), 1);
}

TEST(ControlLoopTest, RoomTargetBringsTheColdestFlatsToTheSetpoint) {
  Station s = Make();
  StationConfig cfg;
  cfg.valve = ValveStrategy::kRoomTarget;
  cfg.curve.parallel_c = -8;  // a curve set too low: rooms would sit near 17 °C
  Weather w = Weather::FromHourly(std::vector<sim::physics::WeatherSample>(24 * 6, {-12, 0, 0}));
  RunLoop(s, cfg, w, 5 * 24, [](double) {});
  std::vector<double> rooms;
  for (const auto& b : s.buildings())
    for (const auto& f : b.flats)
      if (f.p.has_sensor && f.flowing()) rooms.push_back(f.t_air_c);
  std::sort(rooms.begin(), rooms.end());
  ASSERT_GE(rooms.size(), 10u);
  double p10 = rooms[rooms.size() / 10];
  EXPECT_NEAR(p10, 20, 0.7);
}

}  // namespace
}  // namespace heat::control
