// core/time.h — time-zone aware time helpers. Instants are epoch seconds
// (timestamptz in the database); calendar days and local times are in the
// company time zone (site.timezone, default Asia/Shanghai), because every
// billing date and every daily figure is a day in that zone.
//
// libstdc++ 12 has no std::chrono::tzdb, so conversions go through the C
// library with TZ switched under a mutex (the previous TZ is restored);
// zones come from the system tzdata (/usr/share/zoneinfo).
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "heat/core/status.h"

namespace heat {

class TimeZone {
 public:
  // kUsage "unknown time zone 'X'" unless tzdata has the zone.
  static Result<TimeZone> Load(const std::string& name);
  const std::string& name() const { return name_; }

 private:
  explicit TimeZone(std::string n) : name_(std::move(n)) {}
  std::string name_;
};

struct Date {
  int year = 1970, month = 1, day = 1;
  auto operator<=>(const Date&) const = default;
};

Result<Date> ParseDate(std::string_view s);  // "2025-10-10"; 2025-02-29 is an error
std::string FormatDate(const Date& d);
int DaysBetween(const Date& a, const Date& b);  // b - a
Date AddDays(const Date& d, int days);

struct LocalTime {
  Date date;
  int hour = 0, minute = 0, second = 0;
  int utc_offset_s = 0;
};

LocalTime ToLocal(int64_t epoch_s, const TimeZone& tz);
Date LocalDate(int64_t epoch_s, const TimeZone& tz);
// The instant a local day begins (the first valid local time of it).
Result<int64_t> StartOfLocalDay(const Date& d, const TimeZone& tz);
std::string FormatLocal(int64_t epoch_s, const TimeZone& tz);  // "2025-10-10 08:00:00"
std::string FormatIso(int64_t epoch_s, const TimeZone& tz);    // "2025-10-10T08:00:00+08:00"
// The UTC civil time of an instant without a zone, "2025-10-10T00:00:00",
// by arithmetic alone (no time-zone lock): also the naive local times of a
// file read as if they were UTC.
std::string FormatUtcNaive(int64_t epoch_s);

// FormatLocal for many instants, as listings need: the zone is consulted
// twice per UTC day (its offset at both ends) instead of once per instant,
// and per instant only on a day whose offset changes. Not thread-safe.
class LocalFormatter {
 public:
  explicit LocalFormatter(TimeZone tz) : tz_(std::move(tz)) {}
  std::string Format(int64_t epoch_s);  // "2025-10-10 08:00:00"

 private:
  TimeZone tz_;
  int64_t day_ = INT64_MIN;  // the UTC day of the cached offset
  int offset_s_ = 0;
  bool steady_ = false;      // the offset is the same all that day
};

// Local civil time in the process's own zone (TZ, else /etc/localtime) ->
// epoch seconds; kUsage when out of range. The functions above switch the
// process's TZ for a moment under a lock, so no thread may call mktime or
// localtime itself while another runs them: this takes the same lock.
// (Found by scripts/bench-ingest: heat meters' clocks read by CoAP threads
// while the writer computed company days came out 8 hours off.)
Result<int64_t> FromProcessLocal(const LocalTime& lt);

// A time as people type it: "2025-10-10" (local midnight), "2025-10-10
// 08:00[:30]", ISO 8601 with an offset or Z, "now", or relative to now_s:
// "-15m", "-2h", "-7d" (also "+1d").
Result<int64_t> ParseTime(std::string_view s, const TimeZone& tz, int64_t now_s);

}  // namespace heat
