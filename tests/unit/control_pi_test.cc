// control/pi.h (CTL-2): PI worked examples, anti-windup, neutral zone,
// rate limit and the bumpless start.
#include <gtest/gtest.h>

#include "heat/control/pi.h"

namespace heat::control {
namespace {

PiTuning Tuning(double kp, double ti) {
  PiTuning t;
  t.kp = kp;
  t.ti_s = ti;
  return t;
}

TEST(ControlPiTest, FirstStepStartsFromTheActuatorAndAddsTheIntegralPart) {
  PiState s;
  // Bumpless: I = 40/2 − 10 = 10; I += 10 × 60/180 -> 13.33; u = 2 × 23.33.
  EXPECT_NEAR(PiStep(Tuning(2, 180), s, 60, 50, 40, 60), 46.6667, 1e-4);
  // Next step, same error: +6.67 again.
  EXPECT_NEAR(PiStep(Tuning(2, 180), s, 60, 50, 40, 60), 53.3333, 1e-4);
}

TEST(ControlPiTest, ProportionalOnlyFollowsTheErrorChange) {
  PiState s;
  double u0 = PiStep(Tuning(2, 0), s, 60, 50, 40, 60);
  EXPECT_NEAR(u0, 40, 1e-9);
  EXPECT_NEAR(PiStep(Tuning(2, 0), s, 60, 55, 40, 60), 30, 1e-9);  // error 10 -> 5
}

TEST(ControlPiTest, AntiWindupLeavesTheLimitAsSoonAsTheErrorTurns) {
  PiState s;
  PiTuning t = Tuning(2, 60);
  for (int i = 0; i < 1000; ++i) EXPECT_LE(PiStep(t, s, 90, 40, 50, 60), 100);
  EXPECT_EQ(s.output, 100);
  // Overshoot by 1 K: the output falls at once instead of after unwinding.
  EXPECT_LT(PiStep(t, s, 60, 61, 50, 60), 100);
}

TEST(ControlPiTest, NeutralZoneHoldsTheOutput) {
  PiState s;
  PiTuning t = Tuning(2, 60);
  t.neutral_zone = 0.5;
  double u = PiStep(t, s, 60, 59.7, 40, 60);
  EXPECT_NEAR(u, 40, 1e-9);
  EXPECT_NEAR(PiStep(t, s, 60, 60.4, 40, 60), 40, 1e-9);
  EXPECT_GT(PiStep(t, s, 60, 59, 40, 60), 40);
}

TEST(ControlPiTest, RateLimitAndRunningTimeCapTheStep) {
  PiState s;
  PiTuning t = Tuning(20, 10);
  t.rate_per_s = 0.1;  // 6 % a minute
  EXPECT_NEAR(PiStep(t, s, 80, 40, 30, 60), 36, 1e-9);
  PiState s2;
  EXPECT_NEAR(PiStep(Tuning(20, 10), s2, 80, 40, 30, 60, 2.5), 32.5, 1e-9);
}

TEST(ControlPiTest, UnknownMeasurementHoldsTheLastOutput) {
  PiState s;
  PiStep(Tuning(2, 180), s, 60, 50, 40, 60);
  double last = s.output;
  EXPECT_EQ(PiStep(Tuning(2, 180), s, 60, kUnknown, 40, 60), last);
  PiState fresh;
  EXPECT_EQ(PiStep(Tuning(2, 180), fresh, kUnknown, 50, 33, 60), 33);
}

}  // namespace
}  // namespace heat::control
