// alarm/condition.h: every kind raises, holds through its deadband,
// respects its on- and off-delays and clears (ALM-1, ALM-2); chattering is
// folded (ISA-18.2); a property test over random readings: an alarm is
// raised only once the condition held for its on-delay, and cleared only
// once it was gone for the off-delay.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "heat/alarm/condition.h"

namespace heat::alarm {
namespace {

constexpr int64_t kT0 = 1'780'000'000'000;  // ms

Rule Make(RuleKind k, double limit, double deadband = 0, int on_s = 0, int off_s = 0) {
  Rule r;
  r.code = "r";
  r.kind = k;
  r.tag = "t2s";
  r.limit = limit;
  r.deadband = deadband;
  r.on_delay_s = on_s;
  r.off_delay_s = off_s;
  return r;
}

int64_t Ms(double seconds) { return kT0 + static_cast<int64_t>(std::llround(seconds * 1000)); }

struct Feed {
  Rule rule;
  Binding b;
  CondState s;
  explicit Feed(Rule r) : rule(std::move(r)) {
    b.rule = &rule;
    b.source = "S1.t2s";
    b.period_s = 60;
  }
  Change At(double seconds, double v, int quality = 0) { return OnReading(b, s, false, v, quality, Ms(seconds)).change; }
  Change Ref(double seconds, double v) { return OnReading(b, s, true, v, 0, Ms(seconds)).change; }
  Change Tick(double seconds) { return OnTick(b, s, Ms(seconds)).change; }
};

TEST(AlarmConditionTest, HighRaisesAboveTheLimitAndHoldsThroughTheDeadband) {
  Feed f(Make(RuleKind::kHigh, 90, 2));  // t2s > 90 °C, clears below 88
  EXPECT_EQ(f.At(0, 89.9), Change::kNone);
  EXPECT_EQ(f.At(10, 90.1), Change::kRaise);
  EXPECT_EQ(f.At(20, 89.0), Change::kNone);  // inside the deadband: still raised
  EXPECT_EQ(f.At(30, 91.0), Change::kNone);  // already raised: no second alarm
  EXPECT_EQ(f.At(40, 87.9), Change::kClear);
  EXPECT_EQ(f.At(50, 90.5), Change::kRaise);  // back: a new alarm
}

TEST(AlarmConditionTest, LowClearsOnlyAboveLimitPlusDeadband) {
  Feed f(Make(RuleKind::kLow, 0.2, 0.02));  // p2r < 0.2 MPa
  EXPECT_EQ(f.At(0, 0.19), Change::kRaise);
  EXPECT_EQ(f.At(10, 0.21), Change::kNone);
  EXPECT_EQ(f.At(20, 0.221), Change::kClear);
}

TEST(AlarmConditionTest, OnDelayNeedsTheConditionToHoldThatLong) {
  Feed f(Make(RuleKind::kHigh, 90, 0, 30));
  EXPECT_EQ(f.At(0, 95), Change::kNone);
  EXPECT_EQ(f.At(20, 95), Change::kNone);
  EXPECT_EQ(f.At(25, 85), Change::kNone);   // gone before 30 s: never raised
  EXPECT_EQ(f.At(40, 95), Change::kNone);
  EXPECT_EQ(f.Tick(69), Change::kNone);
  EXPECT_EQ(f.Tick(70), Change::kRaise);    // held 30 s, no reading needed to raise it
}

TEST(AlarmConditionTest, OffDelayNeedsTheConditionGoneThatLong) {
  Feed f(Make(RuleKind::kHigh, 90, 0, 0, 60));
  EXPECT_EQ(f.At(0, 95), Change::kRaise);
  EXPECT_EQ(f.At(10, 85), Change::kNone);
  EXPECT_EQ(f.At(50, 95), Change::kNone);   // back within the off-delay: the same alarm
  EXPECT_EQ(f.At(60, 85), Change::kNone);
  EXPECT_EQ(f.Tick(119), Change::kNone);
  EXPECT_EQ(f.Tick(120), Change::kClear);
}

TEST(AlarmConditionTest, DeviationFromTheSetpointTag) {
  Rule r = Make(RuleKind::kDeviation, 5, 1);
  r.ref_tag = "t2s_set";
  Feed f(r);
  EXPECT_EQ(f.At(0, 60), Change::kNone);    // no setpoint known yet
  EXPECT_EQ(f.Ref(1, 66), Change::kRaise);  // |60 − 66| > 5
  EXPECT_EQ(f.At(10, 61.5), Change::kNone); // 4.5 > 5 − 1: held
  EXPECT_EQ(f.At(20, 62), Change::kClear);
}

TEST(AlarmConditionTest, DifferenceLowIsPrimaryDpLow) {
  Rule r = Make(RuleKind::kDifference, 0.05, 0.01);  // p1s − p1r < 0.05 MPa
  r.tag = "p1s";
  r.ref_tag = "p1r";
  Feed f(r);
  f.Ref(0, 0.50);
  EXPECT_EQ(f.At(1, 0.60), Change::kNone);
  EXPECT_EQ(f.At(2, 0.54), Change::kRaise);
  EXPECT_EQ(f.At(3, 0.555), Change::kNone);
  EXPECT_EQ(f.At(4, 0.561), Change::kClear);
}

TEST(AlarmConditionTest, RateOfChangePerMinute) {
  Feed f(Make(RuleKind::kRate, 3));  // more than 3 K a minute
  EXPECT_EQ(f.At(0, 60), Change::kNone);
  EXPECT_EQ(f.At(30, 61), Change::kNone);    // 2 K/min
  EXPECT_EQ(f.At(60, 63.1), Change::kRaise); // 4.2 K/min
  EXPECT_EQ(f.At(120, 64), Change::kClear);  // 0.9 K/min
}

TEST(AlarmConditionTest, StateBitIsAPumpFault) {
  Rule r = Make(RuleKind::kState, 1);
  r.tag = "pump1_fault";
  Feed f(r);
  EXPECT_EQ(f.At(0, 0), Change::kNone);
  EXPECT_EQ(f.At(1, 1), Change::kRaise);
  EXPECT_EQ(f.At(2, 0), Change::kClear);
  r.limit = 4;  // a status word: bit 2 only
  Feed g(r);
  EXPECT_EQ(g.At(0, 3), Change::kNone);
  EXPECT_EQ(g.At(1, 7), Change::kRaise);
}

TEST(AlarmConditionTest, FrozenAfterCountEqualReadings) {
  Rule r = Make(RuleKind::kFrozen, 0);
  r.count = 5;
  Feed f(r);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(f.At(i, 20.1), Change::kNone);
  EXPECT_EQ(f.At(4, 20.1), Change::kRaise);  // the fifth equal reading
  EXPECT_EQ(f.At(5, 20.2), Change::kClear);
}

TEST(AlarmConditionTest, OutOfRangeTransmitterAndLimitsIgnoreItsValues) {
  Feed range(Make(RuleKind::kOutOfRange, 0));
  EXPECT_EQ(range.At(0, 25, 0), Change::kNone);
  EXPECT_EQ(range.At(1, 3276.7, 1), Change::kRaise);
  EXPECT_EQ(range.At(2, 25, 0), Change::kClear);
  Feed high(Make(RuleKind::kHigh, 90));
  EXPECT_EQ(high.At(0, 3276.7, 1), Change::kNone);  // a broken transmitter is not a hot supply
}

TEST(AlarmConditionTest, OlderOrRepeatedReadingsChangeNothing) {
  Feed f(Make(RuleKind::kHigh, 90));
  EXPECT_EQ(f.At(10, 95), Change::kRaise);
  EXPECT_EQ(f.At(5, 80), Change::kNone);   // a late batch from before
  EXPECT_EQ(f.At(10, 80), Change::kNone);  // the same instant again (a replay)
  EXPECT_TRUE(f.s.raised);
}

TEST(AlarmConditionTest, CommLossAfterCountPeriodsWithoutAReadingAndBackWhenHeard) {
  Rule r = Make(RuleKind::kCommLoss, 0);
  r.tag = "";
  r.count = 3;
  Feed f(r);  // period 60 s: lost after 180 s
  EXPECT_EQ(OnSeen(f.b, f.s, Ms(0)).change, Change::kNone);
  EXPECT_EQ(f.Tick(179), Change::kNone);
  Outcome o = OnTick(f.b, f.s, Ms(180.5));
  EXPECT_EQ(o.change, Change::kRaise);
  EXPECT_NEAR(o.value, 180.5, 1e-9);  // seconds since last heard
  EXPECT_EQ(OnSeen(f.b, f.s, Ms(200)).change, Change::kClear);
}

TEST(AlarmConditionTest, ThreeRaisesInAMinuteChatterAndAreFoldedIntoOneAlarm) {
  Feed f(Make(RuleKind::kHigh, 90));
  EXPECT_EQ(f.At(0, 95), Change::kRaise);
  EXPECT_EQ(f.At(5, 85), Change::kClear);
  EXPECT_EQ(f.At(10, 95), Change::kRaise);
  EXPECT_EQ(f.At(15, 85), Change::kClear);
  Outcome third = OnReading(f.b, f.s, false, 95, 0, Ms(20));
  EXPECT_EQ(third.change, Change::kRaise);
  EXPECT_TRUE(third.chattering);
  EXPECT_EQ(f.At(25, 85), Change::kNone);  // held: a chattering alarm clears after 60 s away
  EXPECT_EQ(f.At(30, 95), Change::kFold);
  EXPECT_EQ(f.At(35, 85), Change::kNone);
  EXPECT_EQ(f.Tick(94), Change::kNone);
  EXPECT_EQ(f.Tick(95), Change::kClear);
  EXPECT_FALSE(f.s.chattering);
}

// Property: whatever the readings, a raise comes only after the condition
// (value above the limit) held for the on-delay without a break, and a
// clear only after the value stayed at or below limit − deadband for the
// off-delay; raises and clears alternate.
TEST(AlarmConditionTest, RandomReadingsRaiseAndClearOnlyAsTheDelaysAllow) {
  std::mt19937_64 rng(12);
  for (int run = 0; run < 200; ++run) {
    int on = static_cast<int>(rng() % 4) * 10, off = static_cast<int>(rng() % 4) * 10;
    Feed f(Make(RuleKind::kHigh, 90, 2, on, off));
    std::vector<std::pair<double, double>> seen;  // (t, value)
    bool raised = false;
    double t = 0;
    for (int i = 0; i < 300; ++i) {
      t += 1 + static_cast<double>(rng() % 10);
      double v = 85 + static_cast<double>(rng() % 100) / 10;  // 85 .. 94.9
      seen.push_back({t, v});
      bool chattering = f.s.chattering;
      Change c = f.At(t, v);
      if (c == Change::kNone) continue;
      if (c == Change::kFold) {  // the condition came back while a chattering alarm is held
        ASSERT_TRUE(raised && chattering);
        continue;
      }
      if (c == Change::kRaise) {
        ASSERT_FALSE(raised);
        // Every reading of the last `on` seconds, and the one that began it, above 90.
        for (auto it = seen.rbegin(); it != seen.rend() && t - it->first <= on; ++it) ASSERT_GT(it->second, 88);
        ASSERT_GT(v, 88);
      } else {
        ASSERT_TRUE(raised);
        double away = chattering ? std::max(off, 60) : off;
        for (auto it = seen.rbegin(); it != seen.rend() && t - it->first <= away; ++it)
          ASSERT_LE(it->second, 90);
      }
      raised = c == Change::kRaise;
      ASSERT_EQ(raised, f.s.raised);
    }
  }
}

}  // namespace
}  // namespace heat::alarm
