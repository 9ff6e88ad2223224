// Steps and buckets of trends (ANA-8): parsing, the choice from the span,
// and bucket starts on the company clock.
#include "heat/trend/step.h"

#include <gtest/gtest.h>

namespace heat::trend {
namespace {

TimeZone Zone(const char* name) { return *TimeZone::Load(name); }

int64_t At(const char* local, const TimeZone& tz) { return *ParseTime(local, tz, 0); }

TEST(TrendStepTest, StepsParseToSecondsAndPrintBack) {
  EXPECT_EQ(*ParseStep("raw"), kRaw);
  EXPECT_EQ(*ParseStep("30s"), 30);
  EXPECT_EQ(*ParseStep("5m"), 300);
  EXPECT_EQ(*ParseStep("6h"), 6 * kHour);
  EXPECT_EQ(*ParseStep("7d"), 7 * kDay);
  for (const char* s : {"raw", "30s", "5m", "15m", "1h", "3h", "1d", "7d"}) EXPECT_EQ(FormatStep(*ParseStep(s)), s);
}

TEST(TrendStepTest, StepsThatMisalignWithRollupsAreRefusedWithTheReason) {
  EXPECT_EQ(ParseStep("7m").status().message(),
            "--step '7m': a step under an hour must divide the hour (raw, or a number and s, m, h or d: 30s, 5m, "
            "1h, 6h, 1d, 7d)");
  EXPECT_EQ(ParseStep("5h").status().message(),
            "--step '5h': a step under a day must divide the day (raw, or a number and s, m, h or d: 30s, 5m, 1h, "
            "6h, 1d, 7d)");
  EXPECT_EQ(ParseStep("25h").status().message(),
            "--step '25h': a step over a day must be whole days (raw, or a number and s, m, h or d: 30s, 5m, 1h, "
            "6h, 1d, 7d)");
  for (const char* bad : {"", "0m", "-5m", "5", "m", "5x", "5mm", "29d", "1.5h", "99999999999999999999s"})
    EXPECT_EQ(ParseStep(bad).status().code(), Code::kUsage) << bad;
}

TEST(TrendStepTest, ThirtyDaysAreHourlyAndAYearDaily) {
  EXPECT_EQ(ChooseStep(3600), kRaw);
  EXPECT_EQ(ChooseStep(kDay), 60);
  EXPECT_EQ(ChooseStep(2 * kDay), 300);
  EXPECT_EQ(ChooseStep(30 * kDay), kHour);
  EXPECT_EQ(ChooseStep(90 * kDay), 3 * kHour);
  EXPECT_EQ(ChooseStep(365 * kDay), kDay);
}

TEST(TrendStepTest, SixHourBucketsStartAtLocalMidnightNotUtc) {
  TimeZone sh = Zone("Asia/Shanghai");
  auto b = *Buckets(At("2026-12-01 07:30", sh), At("2026-12-02 00:00", sh), 6 * kHour, sh);
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(FormatLocal(b[0], sh), "2026-12-01 06:00:00");  // the bucket holding 07:30
  EXPECT_EQ(FormatLocal(b[2], sh), "2026-12-01 18:00:00");
}

TEST(TrendStepTest, DailyBucketsFollowALocalDayOf23Hours) {
  TimeZone berlin = Zone("Europe/Berlin");  // 2026-03-29 has 23 hours
  auto days = *Buckets(At("2026-03-28 12:00", berlin), At("2026-03-31 00:00", berlin), kDay, berlin);
  ASSERT_EQ(days.size(), 3u);
  EXPECT_EQ(days[2] - days[1], 23 * kHour);
  auto hours = *Buckets(At("2026-03-29 00:00", berlin), At("2026-03-30 00:00", berlin), kHour, berlin);
  EXPECT_EQ(hours.size(), 23u);
}

TEST(TrendStepTest, WeeksBeginOnMonday) {
  TimeZone sh = Zone("Asia/Shanghai");
  auto w = *Buckets(At("2026-12-03", sh), At("2026-12-20", sh), 7 * kDay, sh);  // a Thursday
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(FormatLocal(w[0], sh), "2026-11-30 00:00:00");  // Monday
  EXPECT_EQ(FormatLocal(w[1], sh), "2026-12-07 00:00:00");
}

TEST(TrendStepTest, TooManyBucketsIsAUsageError) {
  TimeZone sh = Zone("Asia/Shanghai");
  auto r = Buckets(0, 400 * kDay, 60, sh);
  EXPECT_EQ(r.status().message(), "more than 100000 buckets of 1m: choose a longer --step");
}

TEST(TrendStepTest, BucketOfFindsTheBucketHoldingAnInstant) {
  std::vector<int64_t> s = {100, 200, 300};
  EXPECT_EQ(BucketOf(s, 99), -1);
  EXPECT_EQ(BucketOf(s, 100), 0);
  EXPECT_EQ(BucketOf(s, 299), 1);
  EXPECT_EQ(BucketOf(s, 5000), 2);
}

}  // namespace
}  // namespace heat::trend
