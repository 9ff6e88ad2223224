#include "heat/trend/trend.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <regex>

#include "heat/trend/step.h"

namespace heat::trend {
namespace {

// The same rule as heat.point's CHECK: a code that cannot exist is refused
// before it reaches the database (codes are joined with commas below).
bool IsPointCode(const std::string& s) {
  static const std::regex re("^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$");
  return std::regex_match(s, re);
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

double Num(const db::Rows& r, int row, int col) { return std::strtod(r.get(row, col).c_str(), nullptr); }

// The visible points a mistyped code might have meant: those of the same
// station or device (the part before the first dot).
Status UnknownPoint(db::Conn& db, const std::string& code) {
  std::string prefix = code.substr(0, code.find('.'));
  auto near = db.Query("SELECT code FROM heat.point WHERE split_part(code, '.', 1) = $1 ORDER BY code LIMIT 40",
                       {prefix});
  std::string msg = "no point '" + code + "' (or it is outside your scope)";
  if (near.ok() && !near->empty()) {
    msg += "; points of " + prefix + ":";
    for (int i = 0; i < near->size(); ++i) msg += " " + near->get(i, 0);
  }
  return Status::NotFound(msg);
}

struct Point {
  int id = 0;
  Curve curve;
};

Result<std::vector<Point>> Resolve(db::Conn& db, const std::vector<std::string>& codes) {
  for (const auto& c : codes)
    if (!IsPointCode(c)) return Status::Usage("'" + c + "' is not a point code (e.g. S01.t2s)");
  HEAT_ASSIGN(auto rows, db.Query("SELECT id, code, coalesce(name, ''), coalesce(unit, ''), range_lo, range_hi "
                                  "FROM heat.point WHERE code = ANY(string_to_array($1, ','))",
                                  {Join(codes)}));
  std::vector<Point> out;
  for (const auto& code : codes) {
    int row = -1;
    for (int i = 0; i < rows.size(); ++i)
      if (rows.get(i, 1) == code) row = i;
    if (row < 0) return UnknownPoint(db, code);
    Point p;
    p.id = static_cast<int>(rows.get_int(row, 0));
    p.curve.point = code;
    p.curve.name = rows.get(row, 2);
    p.curve.unit = rows.get(row, 3);
    if (!rows.is_null(row, 4)) p.curve.range_lo = Num(rows, row, 4);
    if (!rows.is_null(row, 5)) p.curve.range_hi = Num(rows, row, 5);
    out.push_back(std::move(p));
  }
  return out;
}

std::string Ids(const std::vector<Point>& pts) {
  std::string s;
  for (const auto& p : pts) s += (s.empty() ? "" : ",") + std::to_string(p.id);
  return s;
}

// Rows of (point_id, t, n, sum, min, max) added to their curves' buckets:
// by bucket start when `starts` is given, else each row its own bucket.
void AddRows(const db::Rows& rows, std::vector<Point>& pts, const std::vector<int64_t>& starts) {
  std::map<int, Curve*> by_id;
  for (auto& p : pts) by_id[p.id] = &p.curve;
  for (int i = 0; i < rows.size(); ++i) {
    Curve* c = by_id[static_cast<int>(rows.get_int(i, 0))];
    int64_t t = rows.get_int(i, 1);
    if (!starts.empty()) {
      int b = BucketOf(starts, t);
      if (b < 0) continue;
      t = starts[b];
    }
    Bucket add{t, rows.get_int(i, 2), Num(rows, i, 3), Num(rows, i, 4), Num(rows, i, 5)};
    if (!c->buckets.empty() && c->buckets.back().t == t) {
      Bucket& b = c->buckets.back();
      b.n += add.n;
      b.sum += add.sum;
      b.min = std::min(b.min, add.min);
      b.max = std::max(b.max, add.max);
    } else {
      c->buckets.push_back(add);
    }
  }
}

constexpr const char* kRawRows =
    "SELECT point_id, extract(epoch FROM ts)::bigint, 1, value, value, value FROM heat.reading "
    "WHERE point_id = ANY(string_to_array($1, ',')::int[]) AND ts >= to_timestamp($2) AND ts < to_timestamp($3) "
    "ORDER BY point_id, ts";
// Aggregated in the database: a day of 15-second readings is 5,760 rows a
// point, but 288 buckets of five minutes.
constexpr const char* kRawBuckets =
    "SELECT point_id, extract(epoch FROM b)::bigint, count(*), sum(value), min(value), max(value) "
    "FROM (SELECT point_id, value, date_bin(make_interval(secs => $4), ts, to_timestamp($5)) AS b "
    "      FROM heat.reading WHERE point_id = ANY(string_to_array($1, ',')::int[]) "
    "        AND ts >= to_timestamp($2) AND ts < to_timestamp($3)) r "
    "GROUP BY 1, 2 ORDER BY 1, 2";
constexpr const char* kArchive =
    "SELECT point_id, extract(epoch FROM bucket)::bigint, n, sum, min, max FROM heat.reading_archive "
    "WHERE point_id = ANY(string_to_array($1, ',')::int[]) AND bucket >= to_timestamp($2) "
    "  AND bucket < to_timestamp($3) ORDER BY point_id, bucket";
constexpr const char* kHourly =
    "SELECT point_id, extract(epoch FROM hour)::bigint, n, sum, min, max FROM heat.reading_hourly "
    "WHERE point_id = ANY(string_to_array($1, ',')::int[]) AND hour >= to_timestamp($2) "
    "  AND hour < to_timestamp($3) ORDER BY point_id, hour";
// Days are company days: their start is local midnight in zone $4.
constexpr const char* kDaily =
    "SELECT point_id, extract(epoch FROM (day::timestamp AT TIME ZONE $4))::bigint, n, sum, min, max "
    "FROM heat.reading_daily WHERE point_id = ANY(string_to_array($1, ',')::int[]) "
    "  AND day >= (to_timestamp($2) AT TIME ZONE $4)::date AND day < (to_timestamp($3) AT TIME ZONE $4)::date "
    "ORDER BY point_id, day";

struct Horizon {
  int64_t raw_from = INT64_MIN;  // raw readings before this are archived
  int64_t width = 0;             // the coarsest archive interval there (0: none)
};

Result<Horizon> LoadHorizon(db::Conn& db, int64_t from) {
  HEAT_ASSIGN(auto r, db.Query("SELECT extract(epoch FROM max(to_ts))::bigint, "
                               "max(width_s) FILTER (WHERE to_ts > to_timestamp($1)) FROM heat.archive_log",
                               {std::to_string(from)}));
  Horizon h;
  if (!r.is_null(0, 0)) h.raw_from = r.get_int(0, 0);
  if (!r.is_null(0, 1)) h.width = r.get_int(0, 1);
  return h;
}

// Readings (raw or under an hour): raw since the horizon, archive before.
Status FetchFine(db::Conn& db, Trend& t, std::vector<Point>& pts, int64_t from, int64_t to,
                 const TimeZone& tz) {
  HEAT_ASSIGN(Horizon h, LoadHorizon(db, from));
  if (from < h.raw_from && h.width > t.step) {
    t.note = "step " + FormatStep(h.width) + ", not " + FormatStep(t.step) + ": readings before " +
             FormatLocal(h.raw_from, tz) + " are archived at " + FormatStep(h.width);
    t.step = h.width;
  }
  if (t.step != kRaw) {
    HEAT_ASSIGN(t.starts, Buckets(from, to, t.step, tz));
    from = t.starts.front();
  }
  std::string ids = Ids(pts);
  if (from < h.raw_from) {
    HEAT_ASSIGN(auto rows, db.Query(kArchive, {ids, std::to_string(from), std::to_string(std::min(to, h.raw_from))}));
    AddRows(rows, pts, t.starts);
    t.stores.push_back("archive");
  }
  if (to > h.raw_from) {
    std::string lo = std::to_string(std::max(from, h.raw_from)), hi = std::to_string(to);
    auto rows = t.step == kRaw ? db.Query(kRawRows, {ids, lo, hi})
                               : db.Query(kRawBuckets, {ids, lo, hi, std::to_string(t.step), std::to_string(from)});
    if (!rows.ok()) return rows.status();
    AddRows(*rows, pts, t.starts);
    t.stores.push_back("raw");
  }
  return Status::Ok();
}

Status FetchRollups(db::Conn& db, Trend& t, std::vector<Point>& pts, int64_t from, int64_t to,
                    const TimeZone& tz) {
  HEAT_ASSIGN(t.starts, Buckets(from, to, t.step, tz));
  bool daily = t.step >= kDay;
  HEAT_ASSIGN(auto rows, db.Query(daily ? kDaily : kHourly,
                                  daily ? db::Params{Ids(pts), std::to_string(t.starts.front()), std::to_string(to), tz.name()}
                                        : db::Params{Ids(pts), std::to_string(t.starts.front()), std::to_string(to)}));
  AddRows(rows, pts, t.starts);
  t.stores.push_back(daily ? "daily" : "hourly");
  return Status::Ok();
}

}  // namespace

Result<Trend> Fetch(db::Conn& db, const Request& r, const TimeZone& tz) {
  if (r.points.empty()) return Status::Usage("name at least one point (e.g. S01.t2s)");
  if (r.to <= r.from) return Status::Usage("--to must be after --from");
  HEAT_ASSIGN(std::vector<Point> pts, Resolve(db, r.points));
  Trend t;
  t.step = r.step ? *r.step : ChooseStep(r.to - r.from);
  if (t.step < kHour)
    HEAT_TRY(FetchFine(db, t, pts, r.from, r.to, tz));
  else
    HEAT_TRY(FetchRollups(db, t, pts, r.from, r.to, tz));
  for (auto& p : pts) t.curves.push_back(std::move(p.curve));
  return t;
}

Range PercentRange(const Curve& c) {
  if (c.range_lo && c.range_hi && *c.range_hi > *c.range_lo) return {*c.range_lo, *c.range_hi};
  Range r{INFINITY, -INFINITY};
  for (const auto& b : c.buckets) {
    r.lo = std::min(r.lo, b.min);
    r.hi = std::max(r.hi, b.max);
  }
  if (!(r.lo <= r.hi)) return {0, 1};
  return r;
}

double Percent(double v, Range r) {
  if (r.hi <= r.lo) return 50;
  return (v - r.lo) / (r.hi - r.lo) * 100;
}

}  // namespace heat::trend
