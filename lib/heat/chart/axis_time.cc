// Time ticks (axis.h): candidate steps from a minute to centuries, each
// placed on local boundaries of the zone.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "heat/chart/axis.h"

namespace heat::chart {
namespace {

enum class Unit { kSecond, kDay, kWeek, kMonth, kYear };
struct Step {
  Unit unit;
  int n;          // seconds for kSecond, else days/weeks/months/years
  double nominal; // seconds
  int chars;      // label length
};

constexpr double kDay = 86400;
constexpr double kMinInstant = -62135596800.0, kMaxInstant = 253402300799.0;

const Step kSteps[] = {
    {Unit::kSecond, 60, 60, 11},         {Unit::kSecond, 120, 120, 11},
    {Unit::kSecond, 300, 300, 11},       {Unit::kSecond, 600, 600, 11},
    {Unit::kSecond, 900, 900, 11},       {Unit::kSecond, 1800, 1800, 11},
    {Unit::kSecond, 3600, 3600, 11},     {Unit::kSecond, 7200, 7200, 11},
    {Unit::kSecond, 10800, 10800, 11},   {Unit::kSecond, 21600, 21600, 11},
    {Unit::kSecond, 43200, 43200, 11},   {Unit::kDay, 1, kDay, 5},
    {Unit::kDay, 2, 2 * kDay, 5},        {Unit::kWeek, 1, 7 * kDay, 5},
    {Unit::kMonth, 1, 30 * kDay, 7},     {Unit::kMonth, 2, 61 * kDay, 7},
    {Unit::kMonth, 3, 91 * kDay, 7},     {Unit::kMonth, 6, 182 * kDay, 7},
};

std::string Label(const LocalTime& lt, Unit unit) {
  char buf[32];
  const Date& d = lt.date;
  switch (unit) {
    case Unit::kSecond:
      std::snprintf(buf, sizeof buf, "%02d-%02d %02d:%02d", d.month, d.day, lt.hour, lt.minute);
      break;
    case Unit::kDay:
    case Unit::kWeek: std::snprintf(buf, sizeof buf, "%02d-%02d", d.month, d.day); break;
    case Unit::kMonth: std::snprintf(buf, sizeof buf, "%04d-%02d", d.year, d.month); break;
    case Unit::kYear: std::snprintf(buf, sizeof buf, "%04d", d.year); break;
  }
  return buf;
}

// Clock steps: instants whose local time of day is a multiple of the step
// (the step divides a day, so local midnight is always a tick).
void ClockTicks(double t0, double t1, int step, const TimeZone& tz, TimeAxis* out) {
  auto t = static_cast<int64_t>(std::ceil(t0));
  int64_t end = static_cast<int64_t>(std::floor(t1));
  while (t <= end && out->ticks.size() < 1000) {
    LocalTime lt = ToLocal(t, tz);
    int64_t local = lt.hour * 3600 + lt.minute * 60 + lt.second;
    int64_t rem = local % step;
    if (rem == 0) {
      out->ticks.push_back({static_cast<double>(t), Label(lt, Unit::kSecond)});
      t += step;
    } else {
      t += step - rem;
    }
  }
}

// Calendar steps: local midnight of the days that start a step.
bool StartsStep(const Date& d, Unit unit, int n) {
  int days = DaysBetween(Date{1970, 1, 1}, d);
  switch (unit) {
    case Unit::kDay: return ((days % n) + n) % n == 0;
    case Unit::kWeek: return (((days + 3) % 7) + 7) % 7 == 0;  // 1970-01-01 was a Thursday
    case Unit::kMonth: return d.day == 1 && (d.year * 12 + d.month - 1) % n == 0;
    default: return d.day == 1 && d.month == 1 && d.year % n == 0;
  }
}

Date NextCandidate(const Date& d, Unit unit, int n) {
  if (unit == Unit::kDay || unit == Unit::kWeek) return AddDays(d, 1);
  if (unit == Unit::kMonth || d.day != 1 || d.month != 1)
    return d.month == 12 ? Date{d.year + 1, 1, 1} : Date{d.year, d.month + 1, 1};
  return Date{d.year + n - ((d.year % n) + n) % n, 1, 1};
}

void CalendarTicks(double t0, double t1, const Step& s, const TimeZone& tz, TimeAxis* out) {
  Date d = LocalDate(static_cast<int64_t>(std::floor(t0)), tz);
  Date last = LocalDate(static_cast<int64_t>(std::floor(t1)), tz);
  for (int guard = 0; d <= last && guard < 20000 && out->ticks.size() < 1000; ++guard) {
    if (StartsStep(d, s.unit, s.n)) {
      auto start = StartOfLocalDay(d, tz);
      if (start.ok() && *start >= t0 && *start <= t1)
        out->ticks.push_back({static_cast<double>(*start), Label(ToLocal(*start, tz), s.unit)});
    }
    d = NextCandidate(d, s.unit, s.n);
  }
}

}  // namespace

TimeAxis ChooseTimeTicks(double t0, double t1, const TimeZone& tz, double width_px, double char_px,
                         int max_ticks) {
  TimeAxis out;
  if (!std::isfinite(t0) || !std::isfinite(t1)) return out;
  if (t0 > t1) std::swap(t0, t1);
  t0 = std::clamp(t0, kMinInstant, kMaxInstant);
  t1 = std::clamp(t1, kMinInstant, kMaxInstant);
  double span = t1 - t0;
  auto fits = [&](double nominal, int chars) {
    double n = span / nominal;
    return n <= std::max(1, max_ticks) && n * (chars + 2) * std::max(char_px, 1.0) <= width_px;
  };
  for (const Step& s : kSteps) {
    if (!fits(s.nominal, s.chars)) continue;
    out.step_s = s.nominal;
    if (s.unit == Unit::kSecond) ClockTicks(t0, t1, s.n, tz, &out);
    else CalendarTicks(t0, t1, s, tz, &out);
    return out;
  }
  // Years: a 1/2/5 × 10^n number of them.
  double year = 365.2425 * kDay;
  int n = static_cast<int>(NiceStep(span / year / std::max(1, max_ticks)));
  while (!fits(n * year, 4) && n < 10000) n = static_cast<int>(NiceStep(n * 1.001));
  out.step_s = n * year;
  CalendarTicks(t0, t1, Step{Unit::kYear, n, n * year, 4}, tz, &out);
  return out;
}

}  // namespace heat::chart
