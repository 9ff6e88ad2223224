// The rules of heatd-control's commands (controld/book.h; CTL-1, DEV-3).
#include <gtest/gtest.h>

#include "heat/controld/book.h"

namespace heat::controld {
namespace {

control::Commands Out(double valve, double hz, bool run = true) {
  control::Commands c;
  c.valve_pct = valve;
  c.pump_hz = hz;
  c.pump_run = run;
  return c;
}

TEST(CommandBookTest, FirstStepSendsValveAndPump) {
  auto cmds = Decide(Out(42.34, 40), {}, LastSent{}, Deadbands{}, "v1", "pump1");
  ASSERT_EQ(cmds.size(), 2u);
  EXPECT_EQ(cmds[0].op, "set_valve");
  EXPECT_EQ(cmds[0].args.dump(), R"({"v1":42.3})");
  EXPECT_EQ(cmds[1].op, "set_pump");
  EXPECT_EQ(cmds[1].args.dump(), R"({"pump1_hz":40.0,"pump1_run":true})");
}

TEST(CommandBookTest, ChangesWithinTheDeadbandAreNotSent) {
  LastSent last{42.0, 40.0, 1};
  EXPECT_TRUE(Decide(Out(42.4, 40.3), {}, last, Deadbands{}, "v1", "pump1").empty());
  auto cmds = Decide(Out(42.5, 40.3), {}, last, Deadbands{}, "v1", "pump1");
  ASSERT_EQ(cmds.size(), 1u);
  EXPECT_EQ(cmds[0].args.dump(), R"({"v1":42.5})");
}

TEST(CommandBookTest, HoldsOverrideTheStrategy) {
  LastSent last{42.0, 40.0, 1};
  auto cmds = Decide(Out(42.0, 40.0), {{"valve_pct", 60}, {"pump_run", 0}}, last, Deadbands{}, "v2", "pump2");
  ASSERT_EQ(cmds.size(), 2u);
  EXPECT_EQ(cmds[0].args.dump(), R"({"v2":60.0})");
  EXPECT_EQ(cmds[1].args.dump(), R"({"pump2_run":false})");
}

TEST(CommandBookTest, LocalManualSendsNothingEvenWithAHold) {
  control::Commands c = Out(10, 30);
  c.send = false;
  EXPECT_TRUE(Decide(c, {{"valve_pct", 60}}, LastSent{}, Deadbands{}, "v1", "pump1").empty());
}

TEST(CommandBookTest, SilenceWaitsDoublesThenGivesUp) {
  // ack_timeout 10 s, 3 retries: sent at 0, resent after 10, 20, 40 s; given up 80 s after the 4th.
  EXPECT_EQ(AfterSilence(1, 9.9, 10, 3), Silence::kWait);
  EXPECT_EQ(AfterSilence(1, 10, 10, 3), Silence::kResend);
  EXPECT_EQ(AfterSilence(2, 19, 10, 3), Silence::kWait);
  EXPECT_EQ(AfterSilence(3, 40, 10, 3), Silence::kResend);
  EXPECT_EQ(AfterSilence(4, 79, 10, 3), Silence::kWait);
  EXPECT_EQ(AfterSilence(4, 80, 10, 3), Silence::kGiveUp);
  EXPECT_EQ(AfterSilence(1, 10, 10, 0), Silence::kGiveUp);
}

TEST(CommandBookTest, StuckValveIsNotFollowingOnceItHadTimeEnough) {
  // 20 -> 60 % with a 120 s actuator: 48 s for the distance + 30 s margin.
  EXPECT_FALSE(NotFollowing(20, 60, 20, 77, 120, 5, 30));
  EXPECT_TRUE(NotFollowing(20, 60, 20, 79, 120, 5, 30));
  EXPECT_FALSE(NotFollowing(20, 60, 57, 500, 120, 5, 30));  // within the tolerance
  EXPECT_FALSE(NotFollowing(20, 60, control::kUnknown, 500, 120, 5, 30));
  // Where it started is unknown: the whole stroke.
  EXPECT_FALSE(NotFollowing(control::kUnknown, 60, 20, 149, 120, 5, 30));
  EXPECT_TRUE(NotFollowing(control::kUnknown, 60, 20, 151, 120, 5, 30));
}

}  // namespace
}  // namespace heat::controld
