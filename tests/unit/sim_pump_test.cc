// sim/physics/pump.h (CTL-1): the circulation pump's affinity laws and
// faults; make-up pump, leak and relief valve around the static pressure.
#include <gtest/gtest.h>

#include "heat/sim/physics/pump.h"

namespace heat::sim::physics {
namespace {

PumpParams Design() {
  PumpParams p;
  p.nominal_hz = 50;
  p.design_flow_m3h = 86;
  p.design_head_kpa = 150;
  p.design_power_kw = 6;
  p.min_hz = 20;
  return p;
}

TEST(SimPumpTest, NominalSpeedMeetsTheDesignPoint) {
  Pump p(Design());
  EXPECT_NEAR(p.FlowM3h(), 86, 1e-9);
  EXPECT_NEAR(p.HeadKpa(), 150, 1e-9);
  EXPECT_NEAR(p.PowerKw(), 6, 1e-9);
}

TEST(SimPumpTest, AffinityLawsAt30HzFlowIs06HeadIs036PowerIs0216) {
  Pump p(Design());
  EXPECT_EQ(p.CommandHz(30), 30);
  EXPECT_NEAR(p.FlowM3h(), 86 * 0.6, 1e-9);
  EXPECT_NEAR(p.HeadKpa(), 150 * 0.36, 1e-9);
  EXPECT_NEAR(p.PowerKw(), 6 * 0.216, 1e-9);
  p.Step(3600);
  EXPECT_NEAR(p.energy_kwh(), 6 * 0.216, 1e-9);
}

TEST(SimPumpTest, SpeedIsClampedToTheConverterRange) {
  Pump p(Design());
  EXPECT_EQ(p.CommandHz(5), 20);
  EXPECT_EQ(p.CommandHz(65), 50);
}

TEST(SimPumpTest, HigherSystemResistanceLowersFlowAndRaisesHead) {
  Pump p(Design());
  p.SetSystemFactor(2);
  EXPECT_LT(p.FlowM3h(), 86);
  EXPECT_GT(p.HeadKpa(), 150);
  EXPECT_LT(p.HeadKpa(), 1.25 * 150);  // never above shut-off head
}

TEST(SimPumpTest, TripStopsThePumpUntilReset) {
  Pump p(Design());
  p.SetFault(PumpFault::kTrip);
  EXPECT_FALSE(p.running());
  EXPECT_TRUE(p.faulted());
  EXPECT_EQ(p.FlowM3h(), 0);
  EXPECT_EQ(p.hz(), 0);
  p.Reset();
  EXPECT_TRUE(p.running());
  EXPECT_NEAR(p.FlowM3h(), 86, 1e-9);
}

TEST(SimPumpTest, ConverterFaultStopsThePumpAndIgnoresSpeedCommands) {
  Pump p(Design());
  p.CommandHz(40);
  p.SetFault(PumpFault::kConverterFault);
  EXPECT_EQ(p.CommandHz(25), 40);
  EXPECT_FALSE(p.running());
}

TEST(SimPressureTest, LeakLowersThePressureAndTheMakeupPumpRestoresIt) {
  PressureParams pp;  // 250 kPa, band 20, make-up 2 m³/h
  PressureSystem s(pp);
  s.SetLeak(0.5);
  double lowest = 1e9;
  bool ran = false;
  for (int i = 0; i < 3600; ++i) {
    s.Step(1);
    lowest = std::min(lowest, s.pressure_kpa());
    ran = ran || s.makeup_running();
  }
  EXPECT_TRUE(ran);
  EXPECT_GE(lowest, 250 - 20 - 1);
  // Over an hour the make-up pump replaced the 0.5 m³ the leak lost
  // (within one band's worth of water: 20 kPa × 0.004 m³/kPa).
  EXPECT_NEAR(s.makeup_water_m3(), 0.5, 0.09);
  EXPECT_NEAR(s.level_m(), (10 - s.makeup_water_m3()) / 4, 1e-9);
}

TEST(SimPressureTest, WithAnEmptyTankTheLeakDrainsThePressure) {
  PressureParams pp;
  pp.tank_m3 = 0.01;
  PressureSystem s(pp);
  s.SetLeak(1);
  for (int i = 0; i < 3600; ++i) s.Step(1);
  EXPECT_LT(s.pressure_kpa(), 50);
  EXPECT_FALSE(s.makeup_running());
}

TEST(SimPressureTest, ReliefValveBringsAnOverpressureBackToItsSetting) {
  PressureSystem s(PressureParams{});
  s.AddWater(1.0);  // +250 kPa
  EXPECT_GT(s.pressure_kpa(), 400);
  s.Step(1);
  EXPECT_TRUE(s.relief_open());
  for (int i = 0; i < 600; ++i) s.Step(1);
  EXPECT_LE(s.pressure_kpa(), 400);
  EXPECT_GT(s.pressure_kpa(), 395);
}

}  // namespace
}  // namespace heat::sim::physics
