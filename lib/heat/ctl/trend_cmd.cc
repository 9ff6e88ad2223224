// heatctl trend: points over time as min/avg/max per bucket, as a table,
// CSV, JSON, or a chart (SVG, PNG) — ANA-2, ANA-8, ANA-9 (trend/trend.h).
#include <algorithm>
#include <cmath>
#include <ctime>
#include <sstream>

#include "heat/core/file.h"
#include "heat/chart/chart.h"
#include "heat/ctl/commands.h"
#include "heat/report/output.h"
#include "heat/trend/step.h"
#include "heat/trend/trend.h"

namespace heat::ctl {
namespace {

struct TrendArgs {
  std::vector<std::string> points;
  std::string from = "-1d", to, step, unit = "eng", output;
  int width = 1200, height = 600;
};

std::string Fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  std::string s = buf;  // 3 decimals, trailing zeros dropped: 61.25, 60, -0.5
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

cli::Table TrendTable(const trend::Trend& t, bool percent, const TimeZone& tz) {
  using K = cli::Cell::Kind;
  cli::Table table;
  table.columns = {"time", "point", "unit", "min", "avg", "max", "n"};
  LocalFormatter local(tz);
  for (const auto& c : t.curves) {
    trend::Range r = trend::PercentRange(c);
    auto v = [&](double x) { return cli::Cell{Fixed(percent ? trend::Percent(x, r) : x), K::kNumber}; };
    for (const auto& b : c.buckets)
      table.Add({cli::Cell{local.Format(b.t), K::kString}, cli::Cell{c.point, K::kString},
                 cli::Cell{percent ? "%" : c.unit, K::kString}, v(b.min), v(b.avg()), v(b.max),
                 cli::Cell{std::to_string(b.n), K::kInt}});
  }
  return table;
}

// Readings as they came have no grid: a pause longer than three times the
// usual interval of the curve is a gap.
void AddRawGaps(chart::Line& l) {
  if (l.t.size() < 3) return;
  std::vector<double> d;
  for (size_t i = 1; i < l.t.size(); ++i) d.push_back(l.t[i] - l.t[i - 1]);
  std::nth_element(d.begin(), d.begin() + d.size() / 2, d.end());
  double limit = 3 * std::max(d[d.size() / 2], 1.0);
  chart::Line out{l.name, l.unit, {}, {}, {}, {}};
  for (size_t i = 0; i < l.t.size(); ++i) {
    if (i && l.t[i] - l.t[i - 1] > limit) {
      out.t.push_back(l.t[i - 1] + 1);
      for (auto* v : {&out.avg, &out.min, &out.max}) v->push_back(NAN);
    }
    out.t.push_back(l.t[i]);
    out.avg.push_back(l.avg[i]), out.min.push_back(l.min[i]), out.max.push_back(l.max[i]);
  }
  l = std::move(out);
}

// Every bucket of the span is on the chart; one without readings is NaN,
// so the line breaks there instead of bridging the gap.
chart::Line ChartLine(const trend::Trend& t, const trend::Curve& c, bool percent) {
  trend::Range r = trend::PercentRange(c);
  auto v = [&](double x) { return percent ? trend::Percent(x, r) : x; };
  chart::Line l{c.point + (c.name.empty() ? "" : " " + c.name), percent ? "%" : c.unit, {}, {}, {}, {}};
  if (t.starts.empty()) {
    for (const auto& b : c.buckets)
      l.t.push_back(b.t), l.avg.push_back(v(b.avg())), l.min.push_back(v(b.min)), l.max.push_back(v(b.max));
    AddRawGaps(l);
    return l;
  }
  size_t k = 0;
  for (int64_t s : t.starts) {
    while (k < c.buckets.size() && c.buckets[k].t < s) ++k;
    bool has = k < c.buckets.size() && c.buckets[k].t == s;
    l.t.push_back(static_cast<double>(s));
    l.avg.push_back(has ? v(c.buckets[k].avg()) : NAN);
    l.min.push_back(has ? v(c.buckets[k].min) : NAN);
    l.max.push_back(has ? v(c.buckets[k].max) : NAN);
  }
  return l;
}

Result<std::string> Chart(const trend::Trend& t, const TrendArgs& a, const std::string& tz,
                          const std::string& span, chart::ImageFormat f) {
  chart::LineChart c;
  c.title = "趋势 trend " + span + " (" + trend::FormatStep(t.step) + ", min/avg/max)";
  c.tz = tz;
  for (const auto& curve : t.curves) c.lines.push_back(ChartLine(t, curve, a.unit == "%"));
  return chart::Render(c, f, a.width, a.height);
}

std::string Stores(const trend::Trend& t) {
  std::string s;
  for (const auto& x : t.stores) s += (s.empty() ? "" : " and ") + x;
  return s;
}

Status Write(cli::Context& ctx, const std::string& output, const std::string& bytes) {
  if (output.empty() || output == "-") {
    ctx.out() << bytes;
    return Status::Ok();
  }
  return WriteFileAtomically(output, bytes);
}

Status Trend(cli::Context& ctx, const TrendArgs& a) {
  if (a.unit != "eng" && a.unit != "%") return Status::Usage("--unit: eng or %, not '" + a.unit + "'");
  HEAT_ASSIGN(TimeZone tz, TimeZone::Load(ctx.config().str("site.timezone")));
  int64_t now = std::time(nullptr);
  trend::Request r;
  r.points = a.points;
  auto from = ParseTime(a.from, tz, now);
  if (!from.ok()) return from.status().With("--from");
  r.from = *from;
  r.to = now;
  if (!a.to.empty()) {
    auto to = ParseTime(a.to, tz, now);
    if (!to.ok()) return to.status().With("--to");
    r.to = *to;
  }
  if (!a.step.empty()) {
    HEAT_ASSIGN(r.step, trend::ParseStep(a.step));
  }
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(trend::Trend t, trend::Fetch(*db, r, tz));
  if (!t.note.empty()) ctx.err() << ctx.program() << ": " << t.note << "\n";
  std::string span = FormatLocal(r.from, tz).substr(0, 16) + " – " + FormatLocal(r.to, tz).substr(0, 16);
  if (ctx.other_format == "svg" || ctx.other_format == "png") {
    auto f = ctx.other_format == "svg" ? chart::ImageFormat::kSvg : chart::ImageFormat::kPng;
    HEAT_ASSIGN(std::string bytes, Chart(t, a, tz.name(), span, f));
    return Write(ctx, a.output, bytes);
  }
  std::ostringstream out;
  if (ctx.format == cli::Format::kTable) {
    out << "trend " << span << ", step " << trend::FormatStep(t.step) << " from " << Stores(t)
        << (a.unit == "%" ? ", % of range" : "") << "\n";
  }
  cli::Print(TrendTable(t, a.unit == "%", tz), ctx.format, out);
  return Write(ctx, a.output, out.str());
}

}  // namespace

std::vector<cli::Command> TrendCommands() {
  cli::Command c{
      "trend", "points over time: min/avg/max per bucket from raw, archived and rolled-up history",
      "ANA-2 ANA-8 ANA-9", [](CLI::App& app) -> cli::Runner {
        auto a = std::make_shared<TrendArgs>();
        app.add_option("points", a->points, "point codes, e.g. S01.t2s S01.t2r S01.v1")->required();
        app.add_option("--from", a->from, "from this time (2026-12-01, '2026-12-01 08:00', -30d; default -1d)");
        app.add_option("--to", a->to, "until this time (default now)");
        app.add_option("--step", a->step, "bucket width: raw, 1m, 5m, 15m, 1h, 6h, 1d, 7d, ... (default from the span)");
        app.add_option("--unit", a->unit, "eng: the points' own units (default); %: each point in % of its range");
        app.add_option("-o,--output", a->output, "write to this file instead of standard output");
        app.add_option("--width", a->width, "chart width in pixels (svg: points), 16 to 8000; default 1200");
        app.add_option("--height", a->height, "chart height, 16 to 8000; default 600");
        return [a](cli::Context& ctx) { return Trend(ctx, *a); };
      }};
  c.more_formats = {"svg", "png"};
  return {c};
}

}  // namespace heat::ctl
