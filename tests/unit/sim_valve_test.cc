// sim/physics/valve.h (DEV-3): characteristics and authority, the
// actuator's stroke time, forced manual, the stroke check and the faults.
#include <gtest/gtest.h>

#include <cmath>

#include "heat/sim/physics/valve.h"

namespace heat::sim::physics {
namespace {

ValveParams Linear(double authority) {
  ValveParams p;
  p.kvs_m3h = 100;
  p.characteristic = Characteristic::kLinear;
  p.authority = authority;
  p.stroke_time_s = 120;
  return p;
}

void RunFor(Valve& v, double seconds, double dt = 1) {
  for (double t = 0; t < seconds - 1e-9; t += dt) v.Step(dt);
}

TEST(SimValveTest, OpenValveAtFullAuthorityPassesKvsTimesRootOfBar) {
  Valve v(Linear(1.0), 100);
  EXPECT_NEAR(v.FlowM3h(100), 100, 1e-9);     // 1 bar
  EXPECT_NEAR(v.FlowM3h(25), 50, 1e-9);       // 0.25 bar -> half
}

TEST(SimValveTest, LinearAtFullAuthorityIsProportionalToPosition) {
  Valve v(Linear(1.0), 30);
  EXPECT_NEAR(v.FlowM3h(100), 30, 1e-9);
}

TEST(SimValveTest, LowAuthorityRaisesFlowAtHalfStroke_Authority03Gives72Percent) {
  // q/q100 = 1/sqrt((1 − a) + a/k²) = 1/sqrt(0.7 + 0.3/0.25) = 0.7255.
  Valve v(Linear(0.3), 50);
  Valve open(Linear(0.3), 100);
  EXPECT_NEAR(v.FlowM3h(100) / open.FlowM3h(100), 1 / std::sqrt(1.9), 1e-9);
}

TEST(SimValveTest, EqualPercentageAtHalfStrokeIsOneSeventhOfKvs) {
  ValveParams p = Linear(1.0);
  p.characteristic = Characteristic::kEqualPercentage;
  p.rangeability = 50;
  Valve v(p, 50);
  double k = (std::pow(50.0, -0.5) - 0.02) / 0.98;  // 0.12389
  EXPECT_NEAR(v.RelativeKv(), k, 1e-12);
  EXPECT_NEAR(v.FlowM3h(100), 100 * k, 1e-9);
  EXPECT_EQ(Valve(p, 0).FlowM3h(100), 0);  // closed is closed
}

TEST(SimValveTest, ActuatorTakesItsStrokeTimeFromClosedToOpen) {
  Valve v(Linear(1.0), 0);
  ValveAck ack = v.Command(100);
  EXPECT_TRUE(ack.accepted);
  EXPECT_EQ(ack.applied_pct, 100);
  RunFor(v, 60);
  EXPECT_NEAR(v.position_pct(), 50, 1e-9);
  RunFor(v, 60);
  EXPECT_NEAR(v.position_pct(), 100, 1e-9);
  EXPECT_EQ(v.Command(140).applied_pct, 100);  // clamped
}

TEST(SimValveTest, StuckValveAcknowledgesButDoesNotMove) {
  Valve v(Linear(1.0), 40);
  v.SetFault(ValveFault::kStuck);
  ValveAck ack = v.Command(80);
  EXPECT_TRUE(ack.accepted);
  EXPECT_EQ(ack.applied_pct, 80);
  RunFor(v, 600);
  EXPECT_EQ(v.position_pct(), 40);
  EXPECT_EQ(v.feedback_pct(), 40);
}

TEST(SimValveTest, SlowActuatorTakesFourStrokeTimes) {
  Valve v(Linear(1.0), 0);
  v.SetFault(ValveFault::kSlow);
  v.Command(100);
  RunFor(v, 120);
  EXPECT_NEAR(v.position_pct(), 25, 1e-9);
}

TEST(SimValveTest, DriftingFeedbackWandersTwoPercentAnHourFromThePosition) {
  Valve v(Linear(1.0), 50);
  v.SetFault(ValveFault::kDriftingFeedback);
  RunFor(v, 3600, 10);
  EXPECT_EQ(v.position_pct(), 50);
  EXPECT_NEAR(v.feedback_pct(), 52, 1e-6);
}

TEST(SimValveTest, ForcedManualRefusesCommandsAndHoldsTheManualPosition) {
  Valve v(Linear(1.0), 50);
  v.SetForcedManual(true, 20);
  ValveAck ack = v.Command(90);
  EXPECT_FALSE(ack.accepted);
  EXPECT_EQ(ack.applied_pct, 20);
  RunFor(v, 200);
  EXPECT_NEAR(v.position_pct(), 20, 1e-9);
  EXPECT_FALSE(v.StartStrokeCheck());
  v.SetForcedManual(false, 0);
  EXPECT_TRUE(v.Command(90).accepted);
}

TEST(SimValveTest, StrokeCheckRunsBothEndsAndReturns) {
  Valve v(Linear(1.0), 40);
  ASSERT_TRUE(v.StartStrokeCheck());
  EXPECT_FALSE(v.Command(70).accepted);  // busy
  RunFor(v, 400);
  EXPECT_EQ(v.stroke_check(), StrokeCheck::kPassed);
  EXPECT_NEAR(v.position_pct(), 40, 1e-9);
  // 48 s closing (40 %), 120 s opening, 72 s back (60 %).
  EXPECT_NEAR(v.stroke_check_s(), 240, 1.5);
}

TEST(SimValveTest, StrokeCheckFailsOnAStuckValve) {
  Valve v(Linear(1.0), 40);
  v.SetFault(ValveFault::kStuck);
  ASSERT_TRUE(v.StartStrokeCheck());
  RunFor(v, 400);
  EXPECT_EQ(v.stroke_check(), StrokeCheck::kFailed);
}

}  // namespace
}  // namespace heat::sim::physics
