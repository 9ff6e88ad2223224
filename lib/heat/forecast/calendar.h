// forecast/calendar.h — the calendar a heat-load forecast needs: the day
// type of a local date (workday, Saturday, Sunday or public holiday) and the
// days since the heating season began (FC-3). Pure.
//
// Holidays follow a named calendar. "cn": New Year's Day, the Spring
// Festival (its eve and the six days after; lunar new-year dates are
// tabulated for 2000–2040, outside that span the festival is not known),
// Qingming (4–6 April), Labour Day (1–5 May) and National Day (1–7
// October). "de": the German nationwide holidays with Easter computed
// (Good Friday, Easter Monday, Ascension, Whit Monday), 1 May, 3 October
// and 24–26 and 31 December. "none": Saturdays and Sundays only.
#pragma once

#include <optional>
#include <string>

#include "heat/core/status.h"
#include "heat/core/time.h"

namespace heat::forecast {

enum class Holidays { kNone, kChina, kGermany };

Result<Holidays> ParseHolidays(const std::string& name);  // "cn", "de", "none"
const char* HolidaysName(Holidays h);

int Weekday(const Date& d);  // 0 Monday .. 6 Sunday
std::optional<Date> SpringFestival(int year);  // lunar new year's day, 2000–2040
bool IsHoliday(const Date& d, Holidays h);

enum class DayType { kWorkday = 0, kSaturday = 1, kSunday = 2 };  // kSunday includes holidays
constexpr int kDayTypes = 3;
DayType DayTypeOf(const Date& d, Holidays h);

// The heating season starting every year on month-day (e.g. 10-10 in
// Urumqi); days since its latest start at or before d, or -1 when none is set.
struct SeasonStart {
  int month = 0, day = 0;  // 0: not set
  bool set() const { return month > 0; }
};
Result<SeasonStart> ParseSeasonStart(const std::string& mm_dd);  // "10-10"; "" = not set
int DaysIntoSeason(const Date& d, const SeasonStart& s);

}  // namespace heat::forecast
