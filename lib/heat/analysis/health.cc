// analysis/health.cc — the rules evaluated on hourly (and raw) series.
#include "heat/analysis/health.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "heat/core/time.h"

namespace heat::analysis {
namespace {

constexpr int64_t kHour = 3600;
constexpr size_t kEvidenceValues = 24;  // values shown per finding at most

std::string Iso(int64_t s) { return FormatUtcNaive(s) + "Z"; }
double Round3(double v) { return std::round(v * 1000) / 1000; }

// One hour of a condition: whether it held, and the value that shows it.
struct HourTest {
  int64_t hour_s;
  bool holds;
  double value;
};

struct Run {
  size_t begin = 0, end = 0;  // [begin, end) into the tests
  size_t size() const { return end - begin; }
};

// The longest run of hours in a row (no hour missing) where it held.
Run LongestRun(const std::vector<HourTest>& t) {
  Run best, cur;
  for (size_t i = 0; i < t.size(); ++i) {
    bool joins = cur.size() > 0 && cur.end == i && t[i].hour_s == t[i - 1].hour_s + kHour;
    if (!t[i].holds) continue;
    if (!joins) cur.begin = i;
    cur.end = i + 1;
    if (cur.size() > best.size()) best = cur;
  }
  return best;
}

// At most kEvidenceValues [time, value] pairs spread over the run.
nlohmann::json Values(const std::vector<HourTest>& t, Run r) {
  nlohmann::json out = nlohmann::json::array();
  size_t step = std::max<size_t>(1, (r.size() + kEvidenceValues - 1) / kEvidenceValues);
  for (size_t i = r.begin; i < r.end; i += step) out.push_back({Iso(t[i].hour_s), Round3(t[i].value)});
  if ((r.size() - 1) % step != 0) out.push_back({Iso(t[r.end - 1].hour_s), Round3(t[r.end - 1].value)});
  return out;
}

nlohmann::json ConditionJson(const Condition& c) {
  nlohmann::json j = {{"kind", CondKindName(c.kind)}, {"hours", c.hours}};
  if (c.kind != CondKind::kFrozen && c.kind != CondKind::kFlowWithoutHeat) j["limit"] = c.limit;
  if (c.kind == CondKind::kFrozen) j["tolerance"] = c.tolerance;
  if (c.kind == CondKind::kFlowWithoutHeat || c.kind == CondKind::kDtLow) j["min_flow"] = c.min_flow;
  if (c.kind == CondKind::kFlowWithoutHeat) j["max_power"] = c.max_power;
  if (c.kind == CondKind::kAtLimit) j["share"] = c.share;
  if (c.kind == CondKind::kReversals) j["deadband"] = c.deadband;
  return j;
}

class RuleRun {
 public:
  RuleRun(const HealthRule& r, const HealthObject& o, std::vector<Finding>& out) : r_(r), o_(o), out_(out) {}
  void Apply();

 private:
  const PointSeries* Find(const std::string& tag) const;
  void OnPoint(const PointSeries& p);
  void FromRun(const PointSeries& p, const std::vector<HourTest>& t, Run run, nlohmann::json extra);
  Finding Make(const PointSeries& p, int64_t from_s, int64_t to_s, nlohmann::json evidence) const;
  void Frozen(const PointSeries& p);
  void Paired(const PointSeries& p);
  void AtLimit(const PointSeries& p);
  void CounterRate(const PointSeries& p);
  void Reversals(const PointSeries& p);

  const HealthRule& r_;
  const HealthObject& o_;
  std::vector<Finding>& out_;
};

bool KindOk(const PointSel& s, const PointSeries& p) { return s.device_kind.empty() || s.device_kind == p.device_kind; }

const PointSeries* RuleRun::Find(const std::string& tag) const {
  for (const auto& p : o_.points)
    if (p.tag == tag && KindOk(r_.points, p)) return &p;
  return nullptr;
}

void RuleRun::Apply() {
  const PointSel& s = r_.points;
  if (!s.tag.empty()) {
    for (const auto& p : o_.points)
      if (KindOk(s, p) && TagMatches(s.tag, p.tag)) OnPoint(p);
    return;
  }
  const PointSeries* first = Find(r_.cond.kind == CondKind::kDtLow ? s.supply : s.flow);
  if (first) OnPoint(*first);
}

void RuleRun::OnPoint(const PointSeries& p) {
  switch (r_.cond.kind) {
    case CondKind::kFrozen: return Frozen(p);
    case CondKind::kAtLimit: return AtLimit(p);
    case CondKind::kCounterRate: return CounterRate(p);
    case CondKind::kReversals: return Reversals(p);
    default: return Paired(p);
  }
}

Finding RuleRun::Make(const PointSeries& p, int64_t from_s, int64_t to_s, nlohmann::json evidence) const {
  evidence["condition"] = ConditionJson(r_.cond);
  evidence["point"] = p.code;
  return {r_.id, o_.kind, o_.code, p.code, o_.station_id, from_s, to_s, r_.severity, r_.title, r_.fault, r_.advice,
          std::move(evidence)};
}

void RuleRun::FromRun(const PointSeries& p, const std::vector<HourTest>& t, Run run, nlohmann::json extra) {
  if (run.size() == 0 || static_cast<double>(run.size()) < r_.cond.hours) return;
  double sum = 0;
  for (size_t i = run.begin; i < run.end; ++i) sum += t[i].value;
  extra["hours"] = run.size();
  extra["mean"] = Round3(sum / static_cast<double>(run.size()));
  extra["values"] = Values(t, run);
  out_.push_back(Make(p, t[run.begin].hour_s, t[run.end - 1].hour_s + kHour, std::move(extra)));
}

// No change: the longest stretch of hours in a row whose values all lie
// within `tolerance` of each other.
void RuleRun::Frozen(const PointSeries& p) {
  const auto& h = p.hours;
  Run best;
  for (size_t i = 0; i < h.size(); ++i) {
    double lo = h[i].min, hi = h[i].max;
    size_t j = i;
    while (j < h.size() && (j == i || h[j].hour_s == h[j - 1].hour_s + kHour)) {
      lo = std::min(lo, h[j].min), hi = std::max(hi, h[j].max);
      if (hi - lo > r_.cond.tolerance) break;
      ++j;
    }
    if (j - i > best.size()) best = {i, j};
    if (j == h.size()) break;  // no later start can run longer
  }
  std::vector<HourTest> t;
  for (const auto& v : h) t.push_back({v.hour_s, true, v.avg});
  FromRun(p, t, best, {{"value", best.size() ? Round3(h[best.begin].avg) : 0.0}});
}

// Conditions on one or two series joined by hour.
void RuleRun::Paired(const PointSeries& p) {
  const Condition& c = r_.cond;
  const PointSel& s = r_.points;
  const PointSeries* other = nullptr;
  if (c.kind == CondKind::kDrift) other = Find(s.ref);
  if (c.kind == CondKind::kFlowWithoutHeat) other = Find(s.power);
  if (c.kind == CondKind::kDtLow) other = Find(s.ret);
  const PointSeries* flow = c.kind == CondKind::kDtLow && !s.flow.empty() ? Find(s.flow) : nullptr;
  bool two = c.kind == CondKind::kDrift || c.kind == CondKind::kFlowWithoutHeat || c.kind == CondKind::kDtLow;
  if ((two && !other) || (c.kind == CondKind::kDtLow && !s.flow.empty() && !flow)) return;
  std::map<int64_t, double> o, f;
  if (other) for (const auto& v : other->hours) o[v.hour_s] = v.avg;
  if (flow) for (const auto& v : flow->hours) f[v.hour_s] = v.avg;
  std::vector<HourTest> t;
  for (const auto& v : p.hours) {
    auto oi = o.find(v.hour_s);
    auto fi = f.find(v.hour_s);
    if ((other && oi == o.end()) || (flow && fi == f.end())) continue;
    double x = v.avg, y = other ? oi->second : 0;
    switch (c.kind) {
      case CondKind::kDrift: t.push_back({v.hour_s, std::abs(x - y) > c.limit, x - y}); break;
      case CondKind::kFlowWithoutHeat: t.push_back({v.hour_s, x > c.min_flow && y < c.max_power, y}); break;
      case CondKind::kDtLow:
        t.push_back({v.hour_s, x - y < c.limit && (!flow || fi->second > c.min_flow), x - y});
        break;
      case CondKind::kHigh: t.push_back({v.hour_s, x > c.limit, x}); break;
      default: t.push_back({v.hour_s, x < c.limit, x}); break;  // kLow
    }
  }
  nlohmann::json extra = nlohmann::json::object();
  if (other) extra["ref_point"] = other->code;
  if (flow) extra["flow_point"] = flow->code;
  FromRun(p, t, LongestRun(t), std::move(extra));
}

void RuleRun::AtLimit(const PointSeries& p) {
  std::vector<HourTest> t;
  size_t at = 0;
  for (const auto& v : p.hours) {
    bool holds = v.avg >= r_.cond.limit;
    at += holds;
    t.push_back({v.hour_s, holds, v.avg});
  }
  if (t.empty() || at == 0 || static_cast<double>(at) < r_.cond.share * static_cast<double>(t.size())) return;
  auto first = std::ranges::find_if(t, [](const HourTest& x) { return x.holds; });
  auto last = std::ranges::find_if(t.rbegin(), t.rend(), [](const HourTest& x) { return x.holds; });
  Run all{0, t.size()};
  nlohmann::json e = {{"hours_at_limit", at}, {"hours", t.size()},
                      {"share", Round3(static_cast<double>(at) / static_cast<double>(t.size()))},
                      {"values", Values(t, all)}};
  out_.push_back(Make(p, first->hour_s, last->hour_s + kHour, std::move(e)));
}

// Increase per hour from the first hour's last reading to the last one's;
// a counter that went back (replaced, reset) over the window says nothing.
void RuleRun::CounterRate(const PointSeries& p) {
  const auto& h = p.hours;
  if (h.size() < 2) return;
  for (size_t i = 1; i < h.size(); ++i)
    if (h[i].last < h[i - 1].last) return;
  double span_h = static_cast<double>(h.back().hour_s - h.front().hour_s) / kHour;
  if (span_h < r_.cond.hours) return;
  double rate = (h.back().last - h.front().last) / span_h;
  if (rate <= r_.cond.limit) return;
  std::vector<HourTest> t;
  for (const auto& v : h) t.push_back({v.hour_s, true, v.last});
  nlohmann::json e = {{"rate_per_hour", Round3(rate)}, {"hours", span_h}, {"increase", Round3(h.back().last - h.front().last)},
                      {"values", Values(t, {0, t.size()})}};
  out_.push_back(Make(p, h.front().hour_s, h.back().hour_s + kHour, std::move(e)));
}

void RuleRun::Reversals(const PointSeries& p) {
  std::vector<HourTest> t;
  for (auto [hour, n] : ReversalsPerHour(p.raw, r_.cond.deadband))
    t.push_back({hour, n > r_.cond.limit, static_cast<double>(n)});
  Run run = LongestRun(t);
  if (run.size() == 0) return;
  double worst = 0;
  for (size_t i = run.begin; i < run.end; ++i) worst = std::max(worst, t[i].value);
  FromRun(p, t, run, {{"max_per_hour", worst}});
}

}  // namespace

std::vector<std::pair<int64_t, int>> ReversalsPerHour(const std::vector<RawValue>& raw, double deadband) {
  std::vector<std::pair<int64_t, int>> out;
  int dir = 0;  // direction of the last move beyond the deadband
  double anchor = raw.empty() ? 0 : raw[0].value;
  for (const RawValue& r : raw) {
    int64_t hour = r.ts_s - ((r.ts_s % kHour) + kHour) % kHour;
    if (out.empty() || out.back().first != hour) out.push_back({hour, 0});
    double d = r.value - anchor;
    if (std::abs(d) <= deadband) continue;
    int now = d > 0 ? 1 : -1;
    if (dir != 0 && now != dir) out.back().second++;
    dir = now;
    anchor = r.value;
  }
  return out;
}

std::vector<Finding> Evaluate(const RuleBase& base, const std::vector<HealthObject>& objects) {
  std::vector<Finding> out;
  for (const HealthObject& o : objects)
    for (const HealthRule& r : base.rules) RuleRun(r, o, out).Apply();
  return out;
}

}  // namespace heat::analysis
