// The forecast's calendar (FC-3): day types with Chinese and German public
// holidays, the Spring Festival table, the heating season's start.
#include <gtest/gtest.h>

#include "heat/forecast/calendar.h"

namespace heat::forecast {
namespace {

TEST(ForecastCalendarTest, WeekdayCountsFromMonday) {
  EXPECT_EQ(Weekday(Date{2026, 12, 7}), 0);  // a Monday
  EXPECT_EQ(Weekday(Date{2026, 12, 6}), 6);
  EXPECT_EQ(Weekday(Date{1970, 1, 1}), 3);
  EXPECT_EQ(Weekday(Date{1969, 12, 29}), 0);
}

TEST(ForecastCalendarTest, SpringFestivalFromTheTable) {
  EXPECT_EQ(SpringFestival(2015), (Date{2015, 2, 19}));
  EXPECT_EQ(SpringFestival(2027), (Date{2027, 2, 6}));
  EXPECT_FALSE(SpringFestival(1999).has_value());
  EXPECT_FALSE(SpringFestival(2041).has_value());
}

TEST(ForecastCalendarTest, SpringFestivalWeekIsAHolidayFromItsEve) {
  // 2026: the festival on 17 February.
  EXPECT_FALSE(IsHoliday(Date{2026, 2, 15}, Holidays::kChina));
  EXPECT_TRUE(IsHoliday(Date{2026, 2, 16}, Holidays::kChina));
  EXPECT_TRUE(IsHoliday(Date{2026, 2, 23}, Holidays::kChina));
  EXPECT_FALSE(IsHoliday(Date{2026, 2, 24}, Holidays::kChina));
  EXPECT_EQ(DayTypeOf(Date{2026, 2, 18}, Holidays::kChina), DayType::kSunday);  // a Wednesday
  EXPECT_EQ(DayTypeOf(Date{2026, 2, 18}, Holidays::kNone), DayType::kWorkday);
}

TEST(ForecastCalendarTest, NationalDayAndNewYear) {
  for (int d = 1; d <= 7; ++d) EXPECT_TRUE(IsHoliday(Date{2026, 10, d}, Holidays::kChina)) << d;
  EXPECT_FALSE(IsHoliday(Date{2026, 10, 8}, Holidays::kChina));
  EXPECT_TRUE(IsHoliday(Date{2027, 1, 1}, Holidays::kChina));
}

TEST(ForecastCalendarTest, GermanHolidaysFollowEaster) {
  // Easter Sunday 2015: 5 April.
  EXPECT_TRUE(IsHoliday(Date{2015, 4, 3}, Holidays::kGermany));   // Good Friday
  EXPECT_TRUE(IsHoliday(Date{2015, 4, 6}, Holidays::kGermany));   // Easter Monday
  EXPECT_TRUE(IsHoliday(Date{2015, 5, 14}, Holidays::kGermany));  // Ascension
  EXPECT_TRUE(IsHoliday(Date{2015, 5, 25}, Holidays::kGermany));  // Whit Monday
  EXPECT_TRUE(IsHoliday(Date{2015, 12, 25}, Holidays::kGermany));
  EXPECT_FALSE(IsHoliday(Date{2015, 4, 7}, Holidays::kGermany));
}

TEST(ForecastCalendarTest, SaturdayIsItsOwnDayType) {
  EXPECT_EQ(DayTypeOf(Date{2026, 12, 5}, Holidays::kNone), DayType::kSaturday);
  EXPECT_EQ(DayTypeOf(Date{2026, 12, 6}, Holidays::kNone), DayType::kSunday);
}

TEST(ForecastCalendarTest, DaysIntoSeasonCountsFromTheLatestStart) {
  auto s = ParseSeasonStart("10-10");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(DaysIntoSeason(Date{2026, 10, 10}, *s), 0);
  EXPECT_EQ(DaysIntoSeason(Date{2026, 10, 13}, *s), 3);
  EXPECT_EQ(DaysIntoSeason(Date{2027, 1, 1}, *s), 83);
  EXPECT_EQ(DaysIntoSeason(Date{2026, 12, 1}, SeasonStart{}), -1);
}

TEST(ForecastCalendarTest, BadNamesAreUsageErrors) {
  EXPECT_EQ(ParseHolidays("us").status().code(), Code::kUsage);
  EXPECT_EQ(ParseSeasonStart("13-01").status().code(), Code::kUsage);
  EXPECT_EQ(ParseSeasonStart("10-10x").status().code(), Code::kUsage);
  EXPECT_EQ(ParseSeasonStart("02-30").status().code(), Code::kUsage);
  EXPECT_FALSE(ParseSeasonStart("").value().set());
}

}  // namespace
}  // namespace heat::forecast
