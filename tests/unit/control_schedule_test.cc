// control/schedule.h (CTL-4, DEV-4): day/night by weekday, weekend and
// holiday, start-time optimisation and the upward ramp.
#include <gtest/gtest.h>

#include "heat/control/schedule.h"

namespace heat::control {
namespace {

// 2026-12-07 is a Monday; local (UTC+8) midnight is 16:00 UTC the day before.
constexpr int64_t kMondayMidnight = 1796601600 - 8 * 3600;

Clock At(int day, int hour, int minute = 0) {
  return Clock{kMondayMidnight + day * 86400 + hour * 3600 + minute * 60, 8 * 3600};
}

Schedule NoOptimiser() {
  Schedule s;
  s.enabled = true;
  s.optimise_start = false;
  return s;
}

TEST(ControlScheduleTest, LocalClockOfMonday0630) {
  LocalClock lc = ToLocalClock(At(0, 6, 30));
  EXPECT_EQ(lc.date, (Date{2026, 12, 7}));
  EXPECT_EQ(lc.weekday, 0);
  EXPECT_EQ(lc.minute, 390);
  EXPECT_EQ(ToLocalClock(At(6, 23, 59)).weekday, 6);
}

TEST(ControlScheduleTest, WeekdayComfortFrom06To22_WeekendFrom07To23) {
  Schedule s = NoOptimiser();
  EXPECT_FALSE(InComfort(s, At(0, 5, 59), 0));
  EXPECT_TRUE(InComfort(s, At(0, 6, 0), 0));
  EXPECT_FALSE(InComfort(s, At(0, 22, 0), 0));
  EXPECT_FALSE(InComfort(s, At(5, 6, 30), 0));  // Saturday
  EXPECT_TRUE(InComfort(s, At(5, 22, 30), 0));
}

TEST(ControlScheduleTest, AHolidayUsesTheWeekendPeriods) {
  Schedule s = NoOptimiser();
  s.holidays = {Date{2026, 12, 9}};  // a Wednesday
  EXPECT_FALSE(InComfort(s, At(2, 6, 30), 0));
  EXPECT_TRUE(InComfort(s, At(3, 6, 30), 0));
}

TEST(ControlScheduleTest, ColderWeatherStartsComfortEarlier) {
  Schedule s = NoOptimiser();
  s.optimise_start = true;  // 3 min per K below 20 °C, at most 3 h
  // At −10 °C: lead 90 min, comfort from 04:30.
  EXPECT_TRUE(InComfort(s, At(0, 4, 30), -10));
  EXPECT_FALSE(InComfort(s, At(0, 4, 29), -10));
  // At 10 °C: lead 30 min, so 04:30 is still night.
  EXPECT_FALSE(InComfort(s, At(0, 4, 30), 10));
  // At −40 °C the lead is capped at 3 h.
  EXPECT_TRUE(InComfort(s, At(0, 3, 0), -40));
  EXPECT_FALSE(InComfort(s, At(0, 2, 59), -40));
}

TEST(ControlScheduleTest, RoomSetpointRampsUpAtOneKelvinPerHourAndDropsAtOnce) {
  Schedule s = NoOptimiser();
  double room = ScheduledRoom(s, At(0, 5, 0), 0, kUnknown, 60);
  EXPECT_EQ(room, 17);
  room = ScheduledRoom(s, At(0, 6, 0), 0, room, 1800);
  EXPECT_NEAR(room, 17.5, 1e-9);
  for (int i = 0; i < 10; ++i) room = ScheduledRoom(s, At(0, 7, 0), 0, room, 1800);
  EXPECT_EQ(room, 20);
  EXPECT_EQ(ScheduledRoom(s, At(0, 22, 0), 0, room, 60), 17);
}

}  // namespace
}  // namespace heat::control
