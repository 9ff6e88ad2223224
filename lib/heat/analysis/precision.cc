// analysis/precision.cc — deviation statistics, actuator spreads, the
// controller's setpoints replayed hour by hour.
#include "heat/analysis/precision.h"

#include <algorithm>
#include <cmath>

#include "heat/control/outdoor.h"
#include "heat/control/strategy.h"

namespace heat::analysis {

using control::Known;

double Quantile(std::vector<double> v, double q) {
  std::erase_if(v, [](double x) { return !Known(x); });
  if (v.empty()) return control::kUnknown;
  std::sort(v.begin(), v.end());
  return control::QuantileOfSorted(v, q);
}

DeviationStats Deviation(const std::vector<double>& measured, const std::vector<double>& setpoint, double band) {
  DeviationStats d;
  std::vector<double> abs;
  double sum = 0;
  for (size_t i = 0; i < measured.size() && i < setpoint.size(); ++i) {
    double e = measured[i] - setpoint[i];
    if (!Known(e)) continue;
    sum += e;
    abs.push_back(std::fabs(e));
    if (std::fabs(e) > band) ++d.hours_outside;
  }
  d.hours = static_cast<int>(abs.size());
  if (abs.empty()) return d;
  double n = static_cast<double>(abs.size());
  d.mean = sum / n;
  double abs_sum = 0;
  for (double a : abs) abs_sum += a;
  d.mean_abs = abs_sum / n;
  d.max_abs = *std::max_element(abs.begin(), abs.end());
  d.p95_abs = Quantile(std::move(abs), 0.95);
  return d;
}

Spread Distribute(const std::vector<double>& v, double lo, double hi, double tol) {
  Spread s;
  double sum = 0;
  for (double x : v) {
    if (!Known(x)) continue;
    ++s.hours;
    sum += x;
    if (x <= lo + tol) ++s.at_low;
    if (x >= hi - tol) ++s.at_high;
    double f = hi > lo ? (x - lo) / (hi - lo) : 0;
    ++s.buckets[static_cast<size_t>(std::clamp(static_cast<int>(std::floor(f * 10)), 0, 9))];
  }
  if (s.hours == 0) return s;
  s.mean = sum / s.hours;
  s.p05 = Quantile(v, 0.05);
  s.p50 = Quantile(v, 0.5);
  s.p95 = Quantile(v, 0.95);
  return s;
}

Controlled ControlledBy(control::ValveStrategy v) {
  if (v == control::ValveStrategy::kConstantReturn) return Controlled::kReturn;
  if (v == control::ValveStrategy::kConstantFlow) return Controlled::kFlow;
  return Controlled::kSupply;
}

const char* ControlledTag(Controlled c) {
  switch (c) {
    case Controlled::kReturn: return "t2r";
    case Controlled::kFlow: return "f1";
    default: return "t2s";
  }
}

std::vector<double> Setpoints(const control::StationConfig& cfg, const std::vector<Hour>& hours,
                              int utc_offset_s) {
  std::vector<double> out;
  out.reserve(hours.size());
  Controlled what = ControlledBy(cfg.valve);
  control::ControlState state;
  for (const Hour& h : hours) {
    control::Output o = control::Step(cfg, h.m, state, control::Clock{h.start_s, utc_offset_s});
    state = o.state;
    if (h.m.local_manual) out.push_back(control::kUnknown);  // the box's hand: nothing aimed at
    else if (what == Controlled::kReturn) out.push_back(cfg.return_c);
    else if (what == Controlled::kFlow) out.push_back(cfg.flow_m3h);
    else out.push_back(o.commands.supply_setpoint_c);
  }
  return out;
}

}  // namespace heat::analysis
