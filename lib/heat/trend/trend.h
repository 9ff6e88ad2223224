// trend/trend.h — the history of a few points over a span, as min/avg/max
// per bucket, read from whichever store holds it (ANA-2, ANA-8, ANA-9).
//
// History lives in four stores: raw readings (monthly partitions, until
// archived), the archive (buckets of archive.interval for archived months),
// hourly rollups and daily rollups (company days), both kept for ever.
// Fetch picks by step, and joins stores where one ends:
//   step raw or under 1 h  raw readings since the last archived month, the
//                          archive before it (the step is raised to the
//                          archive's interval when it is finer);
//   1 h up to under 1 d    hourly rollups;
//   1 d or more            daily rollups.
// Buckets are whole: the first begins at or before `from`. Min and max are
// those of the readings in the bucket, so a peak shorter than the bucket is
// not averaged away. Points are read as the person connected, so row-level
// security keeps out points outside their scope (as if they did not exist).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "heat/core/status.h"
#include "heat/core/time.h"
#include "heat/db/conn.h"

namespace heat::trend {

struct Bucket {
  int64_t t = 0;    // start, epoch seconds
  int64_t n = 0;    // readings in it
  double sum = 0, min = 0, max = 0;
  double avg() const { return n ? sum / static_cast<double>(n) : 0; }
};

struct Curve {
  std::string point, name, unit;
  std::optional<double> range_lo, range_hi;  // the point's configured range
  std::vector<Bucket> buckets;               // ascending; buckets without readings absent
};

struct Request {
  std::vector<std::string> points;  // point codes, e.g. S01.t2s
  int64_t from = 0, to = 0;         // [from, to), epoch seconds
  std::optional<int64_t> step;      // seconds or kRaw; unset: ChooseStep(to - from)
};

struct Trend {
  int64_t step = 0;                 // the step used (kRaw for readings as they came)
  std::vector<int64_t> starts;      // every bucket start (empty for raw)
  std::vector<std::string> stores;  // the stores read, e.g. {"raw", "archive"}
  std::string note;                 // why the step differs from the one asked, or ""
  std::vector<Curve> curves;        // in the order of Request::points
};

// kUsage for an empty or reversed span or no points; kNotFound naming the
// first point that is unknown or outside the person's scope, with the
// points of its station or device that are visible.
Result<Trend> Fetch(db::Conn& db, const Request& r, const TimeZone& tz);

// The bucket's value as a percentage of the curve's range: the point's
// configured range when it has one, else the min..max of the curve itself
// (a flat curve is 50 %).
struct Range { double lo = 0, hi = 0; };
Range PercentRange(const Curve& c);
double Percent(double v, Range r);

}  // namespace heat::trend
