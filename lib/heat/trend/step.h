// trend/step.h — the bucket width of a trend and where buckets begin.
//
// A trend shows min/avg/max per bucket. The width ("step") is chosen from
// the span so a chart has a few hundred to about 1,500 buckets per curve,
// or given by the person. Steps are whole seconds: "raw" (0, every reading
// as it came), "30s", "5m", "1h", "6h", "1d", "7d". Steps under an hour
// divide the hour and steps under a day divide the day, so buckets line up
// with the hourly and daily rollups they are read from; buckets of a day or
// longer begin at local midnight (weeks on Monday) in the company zone,
// shorter ones at local clock multiples of the step (6h: 00, 06, 12, 18).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "heat/core/status.h"
#include "heat/core/time.h"

namespace heat::trend {

constexpr int64_t kRaw = 0;
constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 86400;

// "raw", "15s", "5m", "1h", "1d", "7d" -> seconds; kUsage (naming the
// allowed forms) for anything else, for a step that does not divide the
// hour or the day, or for one longer than 28 days.
Result<int64_t> ParseStep(std::string_view s);
std::string FormatStep(int64_t step);  // 0 -> "raw", 300 -> "5m", 86400 -> "1d"

// The step for a span of `span_s` seconds: raw up to 2 h, then 1m, 5m,
// 15m, 1h (up to 60 days), 3h, then 1d beyond 180 days.
int64_t ChooseStep(int64_t span_s);

// The starts of the buckets of width `step` (> 0) covering [from, to), in
// zone tz (see the top of this file): the first holds `from`. Local days
// of 23 or 25 hours keep their buckets on the local clock (the bucket
// before the next midnight is shorter or longer). kUsage when there would
// be more than 100,000.
Result<std::vector<int64_t>> Buckets(int64_t from, int64_t to, int64_t step, const TimeZone& tz);

// The index of the bucket holding t in `starts` (ascending), or -1 when t
// is before the first.
int BucketOf(const std::vector<int64_t>& starts, int64_t t);

}  // namespace heat::trend
