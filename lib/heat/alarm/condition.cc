// alarm/condition.cc — deadbands, delays and chattering of one binding.
#include "heat/alarm/condition.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "heat/telemetry/quality.h"

namespace heat::alarm {

namespace {

bool Known(double v) { return std::isfinite(v); }

// Above `limit` raises; once raised, only below limit − deadband clears.
bool Above(double x, double limit, double deadband, bool raised) {
  return raised ? x > limit - deadband : x > limit;
}
bool Below(double x, double limit, double deadband, bool raised) {
  return raised ? x < limit + deadband : x < limit;
}

// The raw condition after a reading of the point or its reference; nullopt
// when the reading decides nothing (a reference not known yet, the first
// reading of a rate).
std::optional<bool> Condition(const Rule& r, const CondState& s, double rate_per_min, int quality) {
  bool was = s.cond;
  switch (r.kind) {
    case RuleKind::kHigh: return Above(s.value, r.limit, r.deadband, was);
    case RuleKind::kLow: return Below(s.value, r.limit, r.deadband, was);
    case RuleKind::kDeviation:
      if (!Known(s.ref)) return std::nullopt;
      return Above(std::fabs(s.value - s.ref), r.limit, r.deadband, was);
    case RuleKind::kDifference:
      if (!Known(s.ref)) return std::nullopt;
      return Below(s.value - s.ref, r.limit, r.deadband, was);
    case RuleKind::kRate:
      if (!Known(rate_per_min)) return std::nullopt;
      return Above(std::fabs(rate_per_min), r.limit, r.deadband, was);
    case RuleKind::kState:
      return (static_cast<int64_t>(std::llround(s.value)) & static_cast<int64_t>(std::llround(r.limit))) != 0;
    case RuleKind::kNotFollowing: return s.value != 0;
    case RuleKind::kFrozen: return s.equal >= std::max(1, r.count);
    case RuleKind::kOutOfRange: return (quality & telemetry::kOutOfRange) != 0;
    case RuleKind::kCommLoss: return std::nullopt;
  }
  return std::nullopt;
}

int64_t OffDelayMs(const Rule& r, const CondState& s) {
  int64_t off = int64_t{r.off_delay_s} * 1000;
  return s.chattering ? std::max(off, kChatterWindowMs) : off;
}

// Raises or clears once the condition has held past its delay at t_ms.
Outcome Settle(const Binding& b, CondState& s, int64_t t_ms) {
  Outcome o;
  o.value = b.rule->kind == RuleKind::kCommLoss ? static_cast<double>(t_ms - s.seen_ms) / 1000 : s.value;
  if (!s.raised && s.cond && t_ms - s.cond_since_ms >= int64_t{b.rule->on_delay_s} * 1000) {
    std::rotate(s.raises.rbegin(), s.raises.rbegin() + 1, s.raises.rend());
    s.raises[0] = t_ms;
    s.raised = true;
    s.chattering = s.raises.back() >= 0 && t_ms - s.raises.back() <= kChatterWindowMs;
    o.change = Change::kRaise;
    o.chattering = s.chattering;
  } else if (s.raised && !s.cond && t_ms - s.cond_since_ms >= OffDelayMs(*b.rule, s)) {
    s.raised = false;
    s.chattering = false;
    o.change = Change::kClear;
  }
  return o;
}

// A new raw condition at t_ms: remembered with its time, then settled. A
// condition that comes back while a chattering alarm is held is folded.
Outcome Decide(const Binding& b, CondState& s, bool cond, int64_t t_ms) {
  bool returned = cond && !s.cond;
  if (cond != s.cond) {
    s.cond = cond;
    s.cond_since_ms = t_ms;
  }
  if (returned && s.raised && s.chattering) {
    Outcome o;
    o.change = Change::kFold;
    o.chattering = true;
    o.value = s.value;
    return o;
  }
  return Settle(b, s, t_ms);
}

}  // namespace

Outcome OnReading(const Binding& b, CondState& s, bool is_ref, double value, int quality, int64_t ts_ms) {
  const Rule& r = *b.rule;
  if (r.kind == RuleKind::kCommLoss || !Known(value)) return {};
  if (is_ref) {
    if (ts_ms <= s.ref_ms || (quality & telemetry::kOutOfRange)) return {};
    s.ref = value, s.ref_ms = ts_ms;
    if (!Known(s.value)) return {};
  } else {
    if (ts_ms <= s.value_ms) return {};  // older than what was evaluated, or the same reading again
    bool bad = (quality & telemetry::kOutOfRange) && r.kind != RuleKind::kOutOfRange;
    if (bad) return {};  // a transmitter fault is not a process value
    double rate = Known(s.value) && s.value_ms >= 0
                      ? (value - s.value) / (static_cast<double>(ts_ms - s.value_ms) / 60000)
                      : std::nan("");
    s.equal = Known(s.value) && value == s.value ? s.equal + 1 : 1;
    s.value = value, s.value_ms = ts_ms;
    std::optional<bool> c = Condition(r, s, rate, quality);
    return c ? Decide(b, s, *c, ts_ms) : Outcome{};
  }
  std::optional<bool> c = Condition(r, s, std::nan(""), 0);
  return c ? Decide(b, s, *c, ts_ms) : Outcome{};
}

Outcome OnSeen(const Binding& b, CondState& s, int64_t ts_ms) {
  if (b.rule->kind != RuleKind::kCommLoss || ts_ms <= s.seen_ms) return {};
  s.seen_ms = ts_ms;
  return Decide(b, s, false, ts_ms);
}

int64_t CommLossTimeoutMs(const Binding& b) {
  int k = b.rule->count > 0 ? b.rule->count : 3;
  return static_cast<int64_t>(k * std::max(1.0, b.period_s) * 1000);
}

Outcome OnTick(const Binding& b, CondState& s, int64_t now_ms) {
  if (b.rule->kind == RuleKind::kCommLoss && s.seen_ms >= 0 && !s.cond) {
    int64_t lost_at = s.seen_ms + CommLossTimeoutMs(b);
    if (now_ms >= lost_at) {
      s.cond = true;
      s.cond_since_ms = lost_at;
    }
  }
  if (s.cond_since_ms < 0) return {};
  return Settle(b, s, now_ms);
}

}  // namespace heat::alarm
