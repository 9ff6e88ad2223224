// Tick choice of the charts' axes (chart/axis.h).
#include <gtest/gtest.h>

#include <cmath>

#include "heat/chart/axis.h"

namespace heat::chart {
namespace {

bool IsRound(double step) {
  double m = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
  return std::abs(m - 1) < 1e-9 || std::abs(m - 2) < 1e-9 || std::abs(m - 5) < 1e-9;
}

TimeZone Shanghai() { return *TimeZone::Load("Asia/Shanghai"); }
int64_t At(const char* local) { return *ParseTime(local, Shanghai(), 0); }

TEST(ChartAxisTest, NiceStepIsOneTwoOrFiveTimesAPowerOfTenAndAtLeastTheRawStep) {
  for (double raw : {0.00037, 0.013, 0.9, 1.0, 1.01, 2.2, 3.0, 4.99, 7.0, 12.0, 260.0, 7.3e8}) {
    double s = NiceStep(raw);
    EXPECT_TRUE(IsRound(s)) << raw << " -> " << s;
    EXPECT_GE(s, raw * (1 - 1e-12));
    EXPECT_LT(s, raw * 2.5 + 1e-12) << raw;
  }
  EXPECT_EQ(NiceStep(3.0), 5.0);
  EXPECT_EQ(NiceStep(1.0), 1.0);
  EXPECT_EQ(NiceStep(0.013), 0.02);
}

TEST(ChartAxisTest, NumberTicksCoverTheDataInRoundSteps) {
  NumberAxis a = ChooseNumberTicks(3.7, 97.2, 5);
  EXPECT_EQ(a.step, 20);
  EXPECT_EQ(a.lo, 0);
  EXPECT_EQ(a.hi, 100);
  std::vector<std::string> labels;
  for (const Tick& t : a.ticks) labels.push_back(t.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"0", "20", "40", "60", "80", "100"}));
  for (auto [lo, hi, n] : {std::tuple{-12.5, 3.1, 4}, {0.0011, 0.0093, 6}, {-8e6, -2e6, 3}, {41.2, 41.9, 8}}) {
    NumberAxis b = ChooseNumberTicks(lo, hi, n);
    EXPECT_TRUE(IsRound(b.step)) << lo << ".." << hi;
    EXPECT_LE(b.lo, lo);
    EXPECT_GE(b.hi, hi);
    EXPECT_LE(static_cast<int>(b.ticks.size()) - 1, n);
  }
  EXPECT_EQ(ChooseNumberTicks(0.25, 0.5, 5).ticks[1].label, "0.30");
}

TEST(ChartAxisTest, DegenerateRangesStillGiveAnAxis) {
  NumberAxis constant = ChooseNumberTicks(55, 55, 5);  // a constant line
  EXPECT_LT(constant.lo, 55);
  EXPECT_GT(constant.hi, 55);
  NumberAxis zero = ChooseNumberTicks(0, 0, 5);
  EXPECT_LT(zero.lo, 0);
  EXPECT_GT(zero.hi, 0);
  NumberAxis nan = ChooseNumberTicks(NAN, 3, 5);
  EXPECT_EQ(nan.lo, 0);
  EXPECT_EQ(nan.hi, 1);
  NumberAxis huge = ChooseNumberTicks(-1e308, 1e308, 4);
  EXPECT_TRUE(std::isfinite(huge.step));
  EXPECT_LE(huge.ticks.size(), 5u);
  EXPECT_EQ(ChooseNumberTicks(0, 3e9, 3).ticks[1].label, "1e9");
}

TEST(ChartAxisTest, AlignedTicksHaveExactlyTheGivenIntervalsAroundTheData) {
  NumberAxis a = AlignedNumberTicks(0.8, 2.9, 5);
  EXPECT_EQ(a.ticks.size(), 6u);
  EXPECT_TRUE(IsRound(a.step));
  EXPECT_LE(a.lo, 0.8);
  EXPECT_GE(a.hi, 2.9);
}

TEST(ChartAxisTest, NumbersReadWithTheDecimalsTheStepNeeds) {
  EXPECT_EQ(FormatNumber(0.25, 0.05), "0.25");
  EXPECT_EQ(FormatNumber(1200, 100), "1200");
  EXPECT_EQ(FormatNumber(-0.0, 1), "0");
  EXPECT_EQ(FormatNumber(-3, 1), "-3");
  EXPECT_EQ(FormatNumber(2.5e9, 5e8), "2.5e9");
}

TEST(ChartAxisTest, HourTicksFallOnShanghaiClockHoursNotUtcOnes) {
  // A day from 00:17 local; 800 px of 7-px digits fit 3-hourly labels.
  TimeAxis a = ChooseTimeTicks(At("2025-12-06 00:17"), At("2025-12-07 00:17"), Shanghai(), 800, 7);
  ASSERT_FALSE(a.ticks.empty());
  EXPECT_EQ(a.step_s, 3 * 3600);
  EXPECT_EQ(a.ticks[0].value, At("2025-12-06 03:00"));  // 19:00 UTC, not a UTC multiple of 3 h
  EXPECT_EQ(a.ticks[0].label, "12-06 03:00");
  EXPECT_EQ(a.ticks.back().label, "12-07 00:00");
  for (const Tick& t : a.ticks) {
    LocalTime lt = ToLocal(static_cast<int64_t>(t.value), Shanghai());
    EXPECT_EQ(lt.minute, 0);
    EXPECT_EQ(lt.hour % 3, 0) << t.label;
  }
  TimeAxis utc = ChooseTimeTicks(At("2025-12-06 00:17"), At("2025-12-07 00:17"), *TimeZone::Load("UTC"), 800, 7);
  EXPECT_EQ(utc.ticks[0].label, "12-05 18:00");
}

TEST(ChartAxisTest, MinuteTicksForAnHour) {
  TimeAxis a = ChooseTimeTicks(At("2025-12-06 08:03"), At("2025-12-06 09:03"), Shanghai(), 800, 7);
  ASSERT_FALSE(a.ticks.empty());
  EXPECT_EQ(a.step_s, 10 * 60);  // 5 minutes would be 12 labels of 13 digits' width: too many
  EXPECT_EQ(a.ticks[0].label, "12-06 08:10");
  EXPECT_EQ(a.ticks[0].value, At("2025-12-06 08:10"));
}

TEST(ChartAxisTest, DayTicksAtShanghaiMidnight) {
  TimeAxis a = ChooseTimeTicks(At("2025-12-06 10:00"), At("2025-12-14 10:00"), Shanghai(), 800, 7);
  EXPECT_EQ(a.step_s, 86400);
  ASSERT_EQ(a.ticks.size(), 8u);
  EXPECT_EQ(a.ticks[0].label, "12-07");
  for (const Tick& t : a.ticks)
    EXPECT_EQ(FormatLocal(static_cast<int64_t>(t.value), Shanghai()).substr(11), "00:00:00") << t.label;
}

TEST(ChartAxisTest, MonthTicksOnTheFirstAndYearTicksOnNewYear) {
  TimeAxis m = ChooseTimeTicks(At("2025-11-15"), At("2026-09-15"), Shanghai(), 800, 7);
  ASSERT_FALSE(m.ticks.empty());
  EXPECT_EQ(m.ticks[0].label, "2025-12");
  EXPECT_EQ(m.ticks[0].value, At("2025-12-01"));
  EXPECT_EQ(m.ticks[1].label, "2026-01");
  EXPECT_EQ(m.ticks[1].value, At("2026-01-01"));  // 2025-12-31T16:00Z
  TimeAxis two = ChooseTimeTicks(At("2025-11-15"), At("2026-11-15"), Shanghai(), 800, 7);
  EXPECT_EQ(two.ticks[0].label, "2026-01");  // two-monthly: odd months
  EXPECT_EQ(two.ticks[1].label, "2026-03");
  TimeAxis y = ChooseTimeTicks(At("2001-06-01"), At("2031-06-01"), Shanghai(), 800, 7);
  ASSERT_FALSE(y.ticks.empty());
  EXPECT_EQ(y.ticks[0].label, "2005");
  EXPECT_EQ(y.ticks[0].value, At("2005-01-01"));
}

TEST(ChartAxisTest, NarrowAxesGetFewerLabels) {
  TimeAxis wide = ChooseTimeTicks(At("2025-12-06"), At("2025-12-07"), Shanghai(), 1200, 7);
  TimeAxis narrow = ChooseTimeTicks(At("2025-12-06"), At("2025-12-07"), Shanghai(), 200, 7);
  EXPECT_LT(narrow.ticks.size(), wide.ticks.size());
  EXPECT_LE(static_cast<double>(narrow.ticks.size()) * 13 * 7, 200 + 13 * 7);
}

}  // namespace
}  // namespace heat::chart
