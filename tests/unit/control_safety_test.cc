// control/safety.h (CTL-2 "automatic safety protection"): worked examples
// of each hard limit, and a property test: whatever the strategy, tuning,
// state or inputs (NaN included), no command passes a safety limit.
#include <gtest/gtest.h>

#include <cmath>

#include "heat/control/safety.h"
#include "heat/control/strategy.h"
#include "heat/sim/physics/rng.h"

namespace heat::control {
namespace {

using sim::physics::Rng;

Measurements Normal() {
  Measurements m;
  m.t_out_c = -10;
  m.t1s = 100, m.t1r = 50, m.t2s = 60, m.t2r = 45;
  m.dp2_kpa = 100, m.f1_m3h = 40, m.pw1_kw = 2000;
  m.valve_pct = 50, m.pump_hz = 40;
  return m;
}

TEST(ControlSafetyTest, TooHotSupplyOnlyClosesTheValve) {
  SafetyLimits l;  // 95 °C
  Measurements m = Normal();
  m.t2s = 97;
  Commands c;
  c.valve_pct = 80;
  ApplySafety(l, m, 5, c);
  EXPECT_EQ(c.valve_pct, 45);
  ASSERT_EQ(c.limited.size(), 1u);
  EXPECT_EQ(c.limited[0], "max_supply");
}

TEST(ControlSafetyTest, TooHighDpOnlySlowsThePump) {
  SafetyLimits l;  // 300 kPa
  Measurements m = Normal();
  m.dp2_kpa = 320;
  Commands c;
  c.pump_hz = 48;
  ApplySafety(l, m, 5, c);
  EXPECT_EQ(c.pump_hz, 40);
  EXPECT_EQ(c.limited, std::vector<std::string>{"max_dp"});
}

TEST(ControlSafetyTest, FreezingReturnRunsThePumpAndOpensTheValve) {
  SafetyLimits l;  // 5 °C, 20 %
  Measurements m = Normal();
  m.t2r = 3;
  Commands c;
  c.valve_pct = 0;
  c.pump_run = false;
  c.pump_hz = 30;
  ApplySafety(l, m, 5, c);
  EXPECT_TRUE(c.pump_run);
  EXPECT_EQ(c.valve_pct, 20);
  EXPECT_EQ(c.limited, (std::vector<std::string>{"freeze_pump", "freeze_valve"}));
}

TEST(ControlSafetyTest, PumpNeverBelowItsMinimumFrequency) {
  SafetyLimits l;
  Commands c;
  c.pump_hz = 3;
  ApplySafety(l, Normal(), 5, c);
  EXPECT_EQ(c.pump_hz, 20);
}

TEST(ControlSafetyTest, StrategyCannotPassTheLimitEvenWhenItsCurveAsksForMore) {
  StationConfig cfg;
  cfg.curve.max_supply_c = 95;
  cfg.curve.slope = 4;
  cfg.valve_pi.kp = 100;
  Measurements m = Normal();
  m.t_out_c = -30;
  m.t2s = 96;
  Output o = Step(cfg, m, ControlState{}, Clock{});
  EXPECT_LE(o.commands.supply_setpoint_c, 95);
  EXPECT_LT(o.commands.valve_pct, 50);
}

// ---- property test ----

double Maybe(Rng& r, double lo, double hi) {
  double u = r.Uniform();
  if (u < 0.05) return kUnknown;
  if (u < 0.08) return r.Uniform() < 0.5 ? -1e6 : 1e6;  // hostile
  return r.Uniform(lo, hi);
}

StationConfig RandomConfig(Rng& r) {
  StationConfig c;
  c.valve = static_cast<ValveStrategy>(r.Next() % 5);
  c.pump = static_cast<PumpStrategy>(r.Next() % 2);
  c.limits.max_supply_c = r.Uniform(60, 120);
  c.limits.max_dp_kpa = r.Uniform(50, 400);
  c.limits.freeze_return_c = r.Uniform(2, 10);
  c.limits.freeze_valve_pct = r.Uniform(0, 50);
  c.limits.pump_max_hz = r.Uniform(35, 50);
  c.limits.pump_min_hz = r.Uniform(10, c.limits.pump_max_hz);
  c.curve.slope = r.Uniform(0.1, 4.0);
  c.curve.parallel_c = r.Uniform(-10, 10);
  c.curve.min_supply_c = r.Uniform(20, 40);
  c.curve.max_supply_c = r.Uniform(c.curve.min_supply_c, c.limits.max_supply_c);
  c.supply_c = r.Uniform(30, c.limits.max_supply_c);
  c.return_c = r.Uniform(25, 60);
  c.flow_m3h = r.Uniform(1, 200);
  c.dp_kpa = r.Uniform(10, c.limits.max_dp_kpa);
  c.pump_hz = r.Uniform(c.limits.pump_min_hz, c.limits.pump_max_hz);
  c.valve_pi.kp = r.Uniform(0.1, 100);
  c.valve_pi.ti_s = r.Uniform(0, 1000);
  c.pump_pi.kp = r.Uniform(0.01, 5);
  c.schedule.enabled = r.Uniform() < 0.5;
  c.limitation.return_limit_c = r.Uniform() < 0.5 ? r.Uniform(30, 60) : 0;
  c.limitation.flow_limit_m3h = r.Uniform() < 0.5 ? r.Uniform(10, 100) : 0;
  c.room.kp = r.Uniform(0, 10);
  c.room.min_sensors = 1;
  c.valve_running_time_s = r.Uniform(0, 300);
  return c;
}

Measurements RandomMeasurements(Rng& r) {
  Measurements m;
  m.t_out_c = Maybe(r, -40, 15);
  m.wind_ms = Maybe(r, 0, 20);
  m.solar_wm2 = Maybe(r, 0, 800);
  m.t1s = Maybe(r, 0, 130), m.t1r = Maybe(r, -5, 90);
  m.t2s = Maybe(r, 0, 130), m.t2r = Maybe(r, -5, 90);
  m.dp2_kpa = Maybe(r, 0, 500), m.f1_m3h = Maybe(r, 0, 300), m.pw1_kw = Maybe(r, 0, 5000);
  m.valve_pct = Maybe(r, -10, 110), m.pump_hz = Maybe(r, 0, 60);
  m.local_manual = r.Uniform() < 0.05;
  for (int i = 0; i < static_cast<int>(r.Next() % 8); ++i)
    m.rooms.push_back({Maybe(r, -10, 40), r.Uniform(0, 10000), r.Uniform() < 0.9});
  if (r.Uniform() < 0.3) m.forecast_t_out_c = Maybe(r, -40, 15);
  return m;
}

double KnownOr(double v, double other) { return std::isfinite(v) ? v : other; }

void ExpectWithinLimits(const StationConfig& c, const Measurements& m, const Commands& k) {
  const SafetyLimits& l = c.limits;
  ASSERT_TRUE(std::isfinite(k.valve_pct) && std::isfinite(k.pump_hz));
  EXPECT_GE(k.valve_pct, 0);
  EXPECT_LE(k.valve_pct, 100);
  EXPECT_GE(k.pump_hz, l.pump_min_hz);
  EXPECT_LE(k.pump_hz, l.pump_max_hz);
  if (!k.send) return;  // local manual: nothing goes out
  if (std::isfinite(k.supply_setpoint_c)) {
    EXPECT_LE(k.supply_setpoint_c, l.max_supply_c);
  }
  bool too_hot = std::isfinite(m.t2s) && m.t2s > l.max_supply_c;
  if (too_hot) {
    EXPECT_LE(k.valve_pct, std::clamp(KnownOr(m.valve_pct, 0), 0.0, 100.0));
  }
  if (std::isfinite(m.dp2_kpa) && m.dp2_kpa > l.max_dp_kpa) {
    EXPECT_LE(k.pump_hz, std::max(l.pump_min_hz, KnownOr(m.pump_hz, l.pump_min_hz)));
  }
  bool freezing = (std::isfinite(m.t1r) && m.t1r < l.freeze_return_c) ||
                  (std::isfinite(m.t2r) && m.t2r < l.freeze_return_c);
  if (freezing) {
    EXPECT_TRUE(k.pump_run);
    if (!too_hot) {
      EXPECT_GE(k.valve_pct, l.freeze_valve_pct);
    }
  }
}

TEST(ControlSafetyTest, PropertyNoStrategyEverCommandsPastASafetyLimit) {
  Rng r(20261207);
  int steps = 0;
  for (int run = 0; run < 400; ++run) {
    StationConfig c = RandomConfig(r);
    ASSERT_TRUE(Validate(c).ok()) << Validate(c).message();
    ControlState s;
    int64_t t = 1796601600 + static_cast<int64_t>(r.Next() % (14 * 86400));
    for (int i = 0; i < 50; ++i, ++steps) {
      Measurements m = RandomMeasurements(r);
      t += static_cast<int64_t>(r.Next() % 600);
      Output o = Step(c, m, s, Clock{t, 8 * 3600});
      ExpectWithinLimits(c, m, o.commands);
      if (HasFailure()) {
        ADD_FAILURE() << "run " << run << " step " << i << " strategy "
                      << static_cast<int>(c.valve);
        return;
      }
      s = o.state;
    }
  }
  EXPECT_EQ(steps, 20000);
}

}  // namespace
}  // namespace heat::control
