#include "heat/forecast/calendar.h"

#include <array>
#include <cstdio>

namespace heat::forecast {
namespace {

// Lunar new year's day, 2000..2040, as (month, day).
constexpr std::array<std::array<int, 2>, 41> kSpringFestival = {{
    {2, 5},  {1, 24}, {2, 12}, {2, 1},  {1, 22}, {2, 9},  {1, 29}, {2, 18}, {2, 7},  {1, 26},
    {2, 14}, {2, 3},  {1, 23}, {2, 10}, {1, 31}, {2, 19}, {2, 8},  {1, 28}, {2, 16}, {2, 5},
    {1, 25}, {2, 12}, {2, 1},  {1, 22}, {2, 10}, {1, 29}, {2, 17}, {2, 6},  {1, 26}, {2, 13},
    {2, 3},  {1, 23}, {2, 11}, {1, 31}, {2, 19}, {2, 8},  {1, 28}, {2, 15}, {2, 4},  {1, 24},
    {2, 12},
}};

// Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
Date Easter(int y) {
  int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
  int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
  int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  int month = (h + l - 7 * m + 114) / 31, day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date{y, month, day};
}

bool InRange(const Date& d, int m, int from, int to) { return d.month == m && d.day >= from && d.day <= to; }

bool ChinaHoliday(const Date& d) {
  if (InRange(d, 1, 1, 1) || InRange(d, 4, 4, 6) || InRange(d, 5, 1, 5) || InRange(d, 10, 1, 7)) return true;
  // The festival may start in the previous year's calendar only in theory
  // (its eve is never before 20 January), so the date's own year suffices.
  auto sf = SpringFestival(d.year);
  if (!sf) return false;
  int off = DaysBetween(*sf, d);
  return off >= -1 && off <= 6;
}

bool GermanyHoliday(const Date& d) {
  if (InRange(d, 1, 1, 1) || InRange(d, 5, 1, 1) || InRange(d, 10, 3, 3) || InRange(d, 12, 24, 26) ||
      InRange(d, 12, 31, 31))
    return true;
  int off = DaysBetween(Easter(d.year), d);
  return off == -2 || off == 1 || off == 39 || off == 50;
}

}  // namespace

Result<Holidays> ParseHolidays(const std::string& name) {
  if (name == "cn") return Holidays::kChina;
  if (name == "de") return Holidays::kGermany;
  if (name == "none") return Holidays::kNone;
  return Status::Usage("holidays: expected cn, de or none, got '" + name + "'");
}

const char* HolidaysName(Holidays h) {
  switch (h) {
    case Holidays::kChina: return "cn";
    case Holidays::kGermany: return "de";
    case Holidays::kNone: break;
  }
  return "none";
}

int Weekday(const Date& d) {
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  int n = DaysBetween(Date{1970, 1, 1}, d);
  return ((n % 7) + 7 + 3) % 7;
}

std::optional<Date> SpringFestival(int year) {
  if (year < 2000 || year > 2040) return std::nullopt;
  const auto& md = kSpringFestival[static_cast<size_t>(year - 2000)];
  return Date{year, md[0], md[1]};
}

bool IsHoliday(const Date& d, Holidays h) {
  switch (h) {
    case Holidays::kChina: return ChinaHoliday(d);
    case Holidays::kGermany: return GermanyHoliday(d);
    case Holidays::kNone: break;
  }
  return false;
}

DayType DayTypeOf(const Date& d, Holidays h) {
  int wd = Weekday(d);
  if (wd == 6 || IsHoliday(d, h)) return DayType::kSunday;
  return wd == 5 ? DayType::kSaturday : DayType::kWorkday;
}

Result<SeasonStart> ParseSeasonStart(const std::string& mm_dd) {
  if (mm_dd.empty()) return SeasonStart{};
  int m = 0, d = 0;
  char tail = 0;
  if (std::sscanf(mm_dd.c_str(), "%2d-%2d%c", &m, &d, &tail) != 2 || m < 1 || m > 12 || d < 1 || d > 28)
    return Status::Usage("season start: expected MM-DD with a day of 1..28, got '" + mm_dd + "'");
  return SeasonStart{m, d};
}

int DaysIntoSeason(const Date& d, const SeasonStart& s) {
  if (!s.set()) return -1;
  Date start{d.year, s.month, s.day};
  if (d < start) start.year -= 1;
  return DaysBetween(start, d);
}

}  // namespace heat::forecast
