// control/strategy.h (CTL-2..4): each strategy with a worked example, the
// switches between them, limitations, schedules, the room target with its
// forecast feed-forward, and local manual.
#include <gtest/gtest.h>

#include "heat/control/strategy.h"

namespace heat::control {
namespace {

constexpr int64_t kT0 = 1796601600;  // 2026-12-07 08:00 local, a Monday

Measurements Station(double t_out = -10) {
  Measurements m;
  m.t_out_c = t_out;
  m.t1s = 100, m.t1r = 50, m.t2s = 50, m.t2r = 40;
  m.dp2_kpa = 100, m.f1_m3h = 40, m.pw1_kw = 2000;
  m.valve_pct = 40, m.pump_hz = 40;
  return m;
}

Output Once(const StationConfig& cfg, const Measurements& m, int64_t t = kT0) {
  return Step(cfg, m, ControlState{}, Clock{t, 8 * 3600});
}

TEST(ControlStrategyTest, ConstantSupply_60CWith50CMeasuredOpensTheValveTo4267) {
  StationConfig cfg;
  cfg.valve = ValveStrategy::kConstantSupply;
  cfg.supply_c = 60;
  Output o = Once(cfg, Station());
  EXPECT_TRUE(o.commands.send);
  EXPECT_EQ(o.commands.supply_setpoint_c, 60);
  EXPECT_NEAR(o.commands.valve_pct, 42.6667, 1e-4);  // 40 + 0.8 × 10 × 60/180
  EXPECT_EQ(o.commands.pump_hz, 45);                  // fixed pump
  EXPECT_TRUE(o.commands.limited.empty());
}

TEST(ControlStrategyTest, ConstantReturn_45CWith40CMeasuredOpensTheValve) {
  StationConfig cfg;
  cfg.valve = ValveStrategy::kConstantReturn;
  cfg.return_c = 45;
  Output o = Once(cfg, Station());
  EXPECT_NEAR(o.commands.valve_pct, 40 + 0.8 * 5 * 60 / 180.0, 1e-9);
  EXPECT_TRUE(std::isnan(o.commands.supply_setpoint_c));
}

TEST(ControlStrategyTest, ConstantFlow_50With60MeasuredClosesTheValveBy20PercentOfError) {
  StationConfig cfg;
  cfg.valve = ValveStrategy::kConstantFlow;
  cfg.flow_m3h = 50;
  Measurements m = Station();
  m.f1_m3h = 60;
  // Error −20 % of the setpoint: 40 + 0.8 × (−20) × 60/180 = 34.67.
  EXPECT_NEAR(Once(cfg, m).commands.valve_pct, 34.6667, 1e-4);
}

TEST(ControlStrategyTest, ConstantDp_100kPaWith80MeasuredSpeedsThePumpTo41Hz) {
  StationConfig cfg;
  cfg.pump = PumpStrategy::kConstantDp;
  Measurements m = Station();
  m.dp2_kpa = 80;
  // 40 Hz + 0.05 × 20 × 60/60 = 41 Hz.
  EXPECT_NEAR(Once(cfg, m).commands.pump_hz, 41, 1e-9);
}

TEST(ControlStrategyTest, OutdoorCompensationAtMinus10GivesTheCurvesSupply62C) {
  StationConfig cfg;  // slope 1.4, room 20, composite filter 20 h
  Output o = Once(cfg, Station(-10));
  EXPECT_NEAR(o.commands.supply_setpoint_c, 62, 1e-9);
  EXPECT_NEAR(o.commands.composite_c, -10, 1e-9);
  // An hour later it is −20 °C outside: the composite has moved only
  // 1 − e^(−1/20) of the way, and the setpoint by slope × that.
  ControlState s = o.state;
  Measurements m = Station(-20);
  for (int i = 1; i <= 60; ++i) s = Step(cfg, m, s, Clock{kT0 + 60 * i, 8 * 3600}).state;
  double composite = -10 - 10 * (1 - std::exp(-1.0 / 20));
  EXPECT_NEAR(s.composite_c, composite, 1e-6);
  EXPECT_NEAR(s.supply_setpoint_c, 20 + 1.4 * (20 - composite), 1e-6);
}

TEST(ControlStrategyTest, SupplySetpointRisesNoFasterThanItsRateLimit) {
  StationConfig cfg;
  cfg.composite.building_tau_h = 0;
  Output o = Once(cfg, Station(0));  // 48 °C
  Output next = Step(cfg, Station(-20), o.state, Clock{kT0 + 60, 8 * 3600});
  EXPECT_NEAR(next.commands.supply_setpoint_c, 48 + 10.0 / 60, 1e-9);  // 10 K/h
}

TEST(ControlStrategyTest, ReturnLimitationLowersTheSupplyWhileThePrimaryReturnIsTooHot) {
  StationConfig cfg;
  cfg.composite.building_tau_h = 0;
  cfg.setpoint_rate_c_per_h = 0;
  cfg.limitation.return_limit_c = 45;  // t1r is 50: 5 K over, 2 K/K, 600 s
  Output o = Once(cfg, Station(-10));
  EXPECT_NEAR(o.state.limitation_c, 10 * 60 / 600.0, 1e-9);
  EXPECT_NEAR(o.commands.supply_setpoint_c, 62 - 1, 1e-9);
  Measurements ok = Station(-10);
  ok.t1r = 40;
  Output relax = Step(cfg, ok, o.state, Clock{kT0 + 60, 8 * 3600});
  EXPECT_NEAR(relax.state.limitation_c, 0.9, 1e-9);
}

TEST(ControlStrategyTest, FlowLimitationLowersTheSupplyByItsExcess) {
  StationConfig cfg;
  cfg.composite.building_tau_h = 0;
  cfg.limitation.flow_limit_m3h = 32;  // f1 = 40: 25 % over, 0.5 K/% -> 12.5
  Output o = Once(cfg, Station(-10));
  EXPECT_NEAR(o.state.limitation_c, 12.5 * 0.1, 1e-9);
}

TEST(ControlStrategyTest, NightScheduleLowersTheCurveByTheRoomShift) {
  StationConfig cfg;
  cfg.composite.building_tau_h = 0;
  cfg.schedule.enabled = true;
  cfg.schedule.optimise_start = false;
  // 02:00 local: night, room 17: 62 − 3 × 2.4 = 54.8.
  Output night = Once(cfg, Station(-10), kT0 - 6 * 3600);
  EXPECT_EQ(night.commands.room_setpoint_c, 17);
  EXPECT_NEAR(night.commands.supply_setpoint_c, 54.8, 1e-9);
  Output day = Once(cfg, Station(-10), kT0);
  EXPECT_EQ(day.commands.room_setpoint_c, 20);
}

std::vector<RoomReading> Rooms(double base) {
  std::vector<RoomReading> r;
  for (int i = 0; i < 10; ++i) r.push_back({base + 0.2 * i, 60, true});
  return r;
}

TEST(ControlStrategyTest, RoomTargetRaisesTheSupplyWhenTheColdestFlatsAreCold) {
  StationConfig cfg;
  cfg.valve = ValveStrategy::kRoomTarget;
  cfg.composite.building_tau_h = 0;
  Measurements m = Station(-10);
  m.rooms = Rooms(18.5);  // p10 = 18.68: 1.32 K below 20
  Output o = Once(cfg, m);
  double integral = 2 * 1.32 * 60 / (4 * 3600.0);
  EXPECT_NEAR(o.state.room_integral_c, integral, 1e-9);
  EXPECT_NEAR(o.commands.supply_setpoint_c, 62 + 2 * 1.32 + integral, 1e-9);
  m.rooms = Rooms(21);    // warm: the correction goes negative
  EXPECT_LT(Once(cfg, m).commands.supply_setpoint_c, 62);
}

TEST(ControlStrategyTest, RoomTargetIntegralHoldsDuringTheNightSetback) {
  StationConfig cfg;
  cfg.valve = ValveStrategy::kRoomTarget;
  cfg.composite.building_tau_h = 0;
  cfg.schedule.enabled = true;
  cfg.schedule.optimise_start = false;
  Measurements m = Station(-10);
  m.rooms = Rooms(19.5);  // p10 = 19.68: 2.68 K above the night's 17 °C
  ControlState s;
  s.room_integral_c = 1.5;
  // 02:00, night: the proportional part lowers the supply, the integral
  // keeps what the day taught it.
  Output night = Step(cfg, m, s, Clock{kT0 - 6 * 3600, 8 * 3600});
  EXPECT_EQ(night.state.room_integral_c, 1.5);
  EXPECT_NEAR(night.commands.supply_setpoint_c, 54.8 + 2 * (17 - 19.68) + 1.5, 1e-9);
  // 08:00, comfort (ramp done at once from an unknown previous): it learns again.
  Output day = Step(cfg, m, s, Clock{kT0, 8 * 3600});
  EXPECT_GT(day.state.room_integral_c, 1.5);
}

TEST(ControlStrategyTest, RoomTargetWithoutEnoughSensorsKeepsTheCurve) {
  StationConfig cfg;
  cfg.valve = ValveStrategy::kRoomTarget;
  cfg.composite.building_tau_h = 0;
  Measurements m = Station(-10);
  m.rooms = {{15, 60, true}, {15, 60, false}, {15, 99999, true}};
  EXPECT_NEAR(Once(cfg, m).commands.supply_setpoint_c, 62, 1e-9);
}

TEST(ControlStrategyTest, ForecastFeedForwardBlendsAColderForecastIn) {
  StationConfig cfg;
  cfg.valve = ValveStrategy::kRoomTarget;
  cfg.composite.building_tau_h = 0;
  Measurements m = Station(-10);
  m.forecast_t_out_c = -20;  // weight 0.5: the curve sees −15 °C
  EXPECT_NEAR(Once(cfg, m).commands.supply_setpoint_c, 20 + 1.4 * 35, 1e-9);
}

TEST(ControlStrategyTest, LocalManualCommandsNothingAndResumesBumpless) {
  StationConfig cfg;
  cfg.valve = ValveStrategy::kConstantSupply;
  Measurements m = Station();
  m.local_manual = true;
  m.valve_pct = 70;
  Output o = Once(cfg, m);
  EXPECT_FALSE(o.commands.send);
  m.local_manual = false;
  m.t2s = 60;  // at setpoint: the valve stays where the person left it
  Output back = Step(cfg, m, o.state, Clock{kT0 + 60, 8 * 3600});
  EXPECT_TRUE(back.commands.send);
  EXPECT_NEAR(back.commands.valve_pct, 70, 1e-9);
}

TEST(ControlStrategyTest, SwitchingStrategiesAtRunTimeStartsFromThePresentPosition) {
  StationConfig a;
  a.valve = ValveStrategy::kConstantFlow;
  a.flow_m3h = 40;  // at setpoint
  Output o = Once(a, Station());
  StationConfig b = a;
  b.pump = PumpStrategy::kConstantDp;  // dp2 is at its setpoint, 100 kPa
  Output p = Step(b, Station(), o.state, Clock{kT0 + 60, 8 * 3600});
  EXPECT_NEAR(p.commands.pump_hz, 40, 1e-9);  // from the pump's 40 Hz, not 45
  EXPECT_NEAR(p.commands.valve_pct, 40, 1e-9);
}

TEST(ControlStrategyTest, ValveMovesNoFasterThanTheActuatorRunningTime) {
  StationConfig cfg;
  cfg.valve = ValveStrategy::kConstantSupply;
  cfg.valve_pi.kp = 50;
  cfg.valve_running_time_s = 600;  // 10 % a minute
  EXPECT_NEAR(Once(cfg, Station()).commands.valve_pct, 50, 1e-9);
}

}  // namespace
}  // namespace heat::control
