// Time-zone aware helpers (core/time.h).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "heat/core/time.h"

namespace heat {
namespace {

TimeZone Tz(const char* name) {
  auto tz = TimeZone::Load(name);
  EXPECT_TRUE(tz.ok()) << tz.status().message();
  return *tz;
}

TEST(TimeTest, UnknownZoneIsAUsageError) {
  auto tz = TimeZone::Load("Asia/Nowhere");
  ASSERT_FALSE(tz.ok());
  EXPECT_EQ(tz.status().code(), Code::kUsage);
  EXPECT_FALSE(TimeZone::Load("../../etc/passwd").ok());
  // Regression (config_fuzz): a name too long for the file system threw.
  EXPECT_EQ(TimeZone::Load("Asia/" + std::string(5000, 'x')).status().code(), Code::kUsage);
  EXPECT_FALSE(TimeZone::Load("Asia/\xb2\xb2").ok());
  EXPECT_TRUE(TimeZone::Load("Etc/GMT+6").ok());
}

TEST(TimeTest, DatesValidateTheCalendar) {
  EXPECT_TRUE(ParseDate("2024-02-29").ok());
  EXPECT_FALSE(ParseDate("2025-02-29").ok());
  EXPECT_FALSE(ParseDate("2025-13-01").ok());
  EXPECT_FALSE(ParseDate("2025-1-1").ok());
  EXPECT_EQ(DaysBetween(*ParseDate("2025-10-10"), *ParseDate("2026-04-10")), 182);
  EXPECT_EQ(FormatDate(AddDays(*ParseDate("2024-02-28"), 1)), "2024-02-29");
  EXPECT_EQ(FormatDate(AddDays(*ParseDate("2025-12-31"), 1)), "2026-01-01");
}

TEST(TimeTest, LocalDayDependsOnTheZone) {
  // 2025-10-09T18:30:00Z is already the 10th in Shanghai (+8), not in Urumqi (+6).
  int64_t t = 1760034600;
  EXPECT_EQ(FormatDate(LocalDate(t, Tz("Asia/Shanghai"))), "2025-10-10");
  EXPECT_EQ(FormatDate(LocalDate(t, Tz("Asia/Urumqi"))), "2025-10-10");
  EXPECT_EQ(FormatDate(LocalDate(t - 3600, Tz("Asia/Urumqi"))), "2025-10-09");
  EXPECT_EQ(FormatIso(t, Tz("Asia/Shanghai")), "2025-10-10T02:30:00+08:00");
  EXPECT_EQ(FormatLocal(t, Tz("Asia/Urumqi")), "2025-10-10 00:30:00");
}

TEST(TimeTest, StartOfDayAcrossDaylightSaving) {
  auto berlin = Tz("Europe/Berlin");
  int64_t s = *StartOfLocalDay(*ParseDate("2025-03-30"), berlin);  // 23-hour day
  int64_t e = *StartOfLocalDay(*ParseDate("2025-03-31"), berlin);
  EXPECT_EQ(e - s, 23 * 3600);
  EXPECT_EQ(*StartOfLocalDay(*ParseDate("2025-10-10"), Tz("Asia/Shanghai")), 1760025600);
}

TEST(TimeTest, ParseTimeForms) {
  auto sh = Tz("Asia/Shanghai");
  int64_t now = 1760034600;
  EXPECT_EQ(*ParseTime("2025-10-10", sh, now), 1760025600);
  EXPECT_EQ(*ParseTime("2025-10-10 08:00", sh, now), 1760054400);
  EXPECT_EQ(*ParseTime("2025-10-10 08:00:30", sh, now), 1760054430);
  EXPECT_EQ(*ParseTime("2025-10-10T08:00:00+06:00", sh, now), 1760061600);
  EXPECT_EQ(*ParseTime("2025-10-10T00:00:00Z", sh, now), 1760054400);
  EXPECT_EQ(*ParseTime("now", sh, now), now);
  EXPECT_EQ(*ParseTime("-2h", sh, now), now - 7200);
  EXPECT_EQ(*ParseTime("-7d", sh, now), now - 7 * 86400);
  EXPECT_EQ(*ParseTime("+15m", sh, now), now + 900);
  for (const char* bad : {"", "yesterday", "2025-10-10 25:00", "2025-02-30", "-2y", "10/10/2025"})
    EXPECT_EQ(ParseTime(bad, sh, now).status().code(), Code::kUsage) << bad;
}

// Regression (scripts/bench-ingest): heat meters' clocks, read in the
// process's zone by CoAP threads, came out 8 hours off while the writer
// thread switched TZ to the company zone to compute a day.
TEST(TimeTest, ProcessLocalIsNotShiftedByAnotherThreadsZone) {
  const LocalTime lt{Date{2026, 1, 15}, 6, 45, 0};
  auto want = FromProcessLocal(lt);
  ASSERT_TRUE(want.ok());
  // A zone other than the process's own, so a switch would show.
  auto shanghai = ParseTime("2026-01-15 06:45", Tz("Asia/Shanghai"), 0);
  ASSERT_TRUE(shanghai.ok());
  const TimeZone other_zone = Tz(*shanghai == *want ? "America/New_York" : "Asia/Shanghai");
  std::atomic<bool> stop{false};
  std::thread other([&] {
    while (!stop) (void)LocalDate(*want, other_zone);
  });
  int wrong = 0;
  for (int i = 0; i < 2000; ++i) {
    auto got = FromProcessLocal(lt);
    if (!got.ok() || *got != *want) ++wrong;
  }
  stop = true;
  other.join();
  EXPECT_EQ(wrong, 0);
}

}  // namespace
}  // namespace heat


namespace heat {
namespace {

// Trend listings format thousands of instants; the cached offset must give
// what FormatLocal gives, also on the days the clocks change.
TEST(LocalFormatterTest, AgreesWithFormatLocalAcrossDaylightSavingChanges) {
  for (const char* zone : {"Europe/Berlin", "Asia/Shanghai", "America/New_York"}) {
    TimeZone tz = *TimeZone::Load(zone);
    LocalFormatter f(tz);
    int64_t from = *ParseTime("2026-03-27", tz, 0), to = *ParseTime("2026-04-02", tz, 0);
    for (int64_t t = from; t < to; t += 1800) EXPECT_EQ(f.Format(t), FormatLocal(t, tz)) << zone << " " << t;
    from = *ParseTime("2026-10-24", tz, 0), to = *ParseTime("2026-11-03", tz, 0);
    for (int64_t t = from; t < to; t += 1800) EXPECT_EQ(f.Format(t), FormatLocal(t, tz)) << zone << " " << t;
  }
}

}  // namespace
}  // namespace heat
