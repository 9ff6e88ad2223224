#include "heat/chart/axis.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace heat::chart {
namespace {

constexpr int kMaxTicks = 1000;

// A degenerate or unusable range made into one an axis can show.
void Widen(double* lo, double* hi) {
  if (!std::isfinite(*lo) || !std::isfinite(*hi)) *lo = 0, *hi = 1;
  if (*lo > *hi) std::swap(*lo, *hi);
  constexpr double kBig = 1e300;  // keeps hi - lo finite
  *lo = std::clamp(*lo, -kBig, kBig);
  *hi = std::clamp(*hi, -kBig, kBig);
  if (*hi - *lo <= std::abs(*hi) * 1e-12) {
    double pad = *lo == 0 ? 1 : std::abs(*lo) * 0.1;
    *lo -= pad;
    *hi += pad;
  }
}

NumberAxis MakeAxis(double k0, int n, double step) {
  NumberAxis a;
  a.step = step;
  a.lo = k0 * step;
  a.hi = (k0 + n) * step;
  for (int i = 0; i <= n; ++i) {
    double v = (k0 + i) * step;
    if (std::abs(v) < step * 1e-9) v = 0;  // no "-0"
    a.ticks.push_back({v, FormatNumber(v, step)});
  }
  return a;
}

}  // namespace

double NiceStep(double raw) {
  if (!(raw > 0) || !std::isfinite(raw)) return 1;
  double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= raw * (1 - 1e-12)) return m * p;
  return 10 * p;
}

NumberAxis ChooseNumberTicks(double lo, double hi, int max_ticks) {
  Widen(&lo, &hi);
  max_ticks = std::clamp(max_ticks, 1, kMaxTicks);
  double step = NiceStep((hi - lo) / max_ticks);
  for (;;) {
    double k0 = std::floor(lo / step + 1e-9), k1 = std::ceil(hi / step - 1e-9);
    if (k1 - k0 <= max_ticks) return MakeAxis(k0, static_cast<int>(std::max(1.0, k1 - k0)), step);
    step = NiceStep(step * 1.001);
  }
}

NumberAxis AlignedNumberTicks(double lo, double hi, int intervals) {
  Widen(&lo, &hi);
  intervals = std::clamp(intervals, 1, kMaxTicks);
  double step = NiceStep((hi - lo) / intervals);
  for (;;) {
    double k0 = std::floor(lo / step + 1e-9);
    // Centre the data when the intervals leave room on both sides.
    double spare = intervals - (std::ceil(hi / step - 1e-9) - k0);
    if (spare >= 0) return MakeAxis(k0 - std::floor(spare / 2), intervals, step);
    step = NiceStep(step * 1.001);
  }
}

std::string FormatNumber(double v, double step) {
  char buf[64];
  if (std::abs(v) >= 1e7 || (step >= 1e7 && v != 0)) {
    int digits = static_cast<int>(std::floor(std::log10(std::abs(v))) - std::floor(std::log10(step)));
    std::snprintf(buf, sizeof buf, "%.*e", std::clamp(digits, 0, 6), v);
    std::string s = buf;  // "2.50e+09" -> "2.50e9"
    size_t e = s.find('e');
    std::string mant = s.substr(0, e), ex = s.substr(e + 1);
    if (ex[0] == '+') ex.erase(0, 1);
    bool neg = ex[0] == '-';
    if (neg) ex.erase(0, 1);
    ex.erase(0, std::min(ex.find_first_not_of('0'), ex.size() - 1));
    return mant + "e" + (neg ? "-" : "") + ex;
  }
  int decimals = step > 0 ? static_cast<int>(std::max(0.0, -std::floor(std::log10(step) + 1e-9))) : 0;
  std::snprintf(buf, sizeof buf, "%.*f", std::min(decimals, 12), v);
  std::string s = buf;
  if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s.erase(0, 1);
  return s;
}

}  // namespace heat::chart
