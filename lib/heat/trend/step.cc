#include "heat/trend/step.h"

#include <algorithm>
#include <charconv>

namespace heat::trend {
namespace {

constexpr int64_t kMaxBuckets = 100000;

Status BadStep(std::string_view s, const std::string& why) {
  return Status::Usage("--step '" + std::string(s) + "': " + why +
                       " (raw, or a number and s, m, h or d: 30s, 5m, 1h, 6h, 1d, 7d)");
}

// Days since 1970-01-01 of a civil date (proleptic Gregorian).
int64_t DaysFromCivil(const Date& d) {
  int64_t y = d.year - (d.month <= 2);
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Whether a bucket of `step` (a whole number of days) starts on local day d:
// weeks start on Monday, other multi-day steps count days from 1970-01-01.
bool DayStartsBucket(const Date& d, int64_t step) {
  int64_t days = step / kDay, n = DaysFromCivil(d);
  if (days == 1) return true;
  if (days == 7) return ((n + 3) % 7 + 7) % 7 == 0;  // 1970-01-01 was a Thursday
  return (n % days + days) % days == 0;
}

}  // namespace

Result<int64_t> ParseStep(std::string_view s) {
  if (s == "raw") return kRaw;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || n <= 0 || end + 1 != s.data() + s.size())
    return BadStep(s, "not a step");
  int64_t unit = *end == 's' ? 1 : *end == 'm' ? 60 : *end == 'h' ? kHour : *end == 'd' ? kDay : 0;
  if (unit == 0) return BadStep(s, "unknown unit");
  if (n > 28 * kDay / unit) return BadStep(s, "longer than 28 days");
  int64_t step = n * unit;
  if (step < kHour && kHour % step != 0) return BadStep(s, "a step under an hour must divide the hour");
  if (step < kDay && kDay % step != 0) return BadStep(s, "a step under a day must divide the day");
  if (step > kDay && step % kDay != 0) return BadStep(s, "a step over a day must be whole days");
  return step;
}

std::string FormatStep(int64_t step) {
  if (step == kRaw) return "raw";
  if (step % kDay == 0) return std::to_string(step / kDay) + "d";
  if (step % kHour == 0) return std::to_string(step / kHour) + "h";
  if (step % 60 == 0) return std::to_string(step / 60) + "m";
  return std::to_string(step) + "s";
}

int64_t ChooseStep(int64_t span_s) {
  if (span_s <= 2 * kHour) return kRaw;
  if (span_s <= kDay) return 60;
  if (span_s <= 5 * kDay) return 300;
  if (span_s <= 15 * kDay) return 900;
  if (span_s <= 60 * kDay) return kHour;
  if (span_s <= 180 * kDay) return 3 * kHour;
  return kDay;
}

Result<std::vector<int64_t>> Buckets(int64_t from, int64_t to, int64_t step, const TimeZone& tz) {
  if (step <= 0) return Status::Usage("a bucket step must be positive");
  if ((to - from) / step > kMaxBuckets)
    return Status::Usage("more than 100000 buckets of " + FormatStep(step) + ": choose a longer --step");
  // Walk local days from the one before `from` (a bucket may start there)
  // and place the buckets of each day from its midnight.
  std::vector<int64_t> starts;
  Date day = AddDays(LocalDate(from, tz), step >= kDay ? -static_cast<int>(step / kDay) : -1);
  HEAT_ASSIGN(int64_t midnight, StartOfLocalDay(day, tz));
  while (midnight < to) {
    Date next_day = AddDays(day, 1);
    HEAT_ASSIGN(int64_t next, StartOfLocalDay(next_day, tz));
    if (step >= kDay) {
      if (DayStartsBucket(day, step)) starts.push_back(midnight);
    } else {
      for (int64_t t = midnight; t < next; t += step) starts.push_back(t);
    }
    day = next_day;
    midnight = next;
  }
  // Keep the bucket holding `from` and those after it.
  int first = BucketOf(starts, from);
  starts.erase(starts.begin(), starts.begin() + std::max(first, 0));
  return starts;
}

int BucketOf(const std::vector<int64_t>& starts, int64_t t) {
  auto it = std::upper_bound(starts.begin(), starts.end(), t);
  return static_cast<int>(it - starts.begin()) - 1;
}

}  // namespace heat::trend
