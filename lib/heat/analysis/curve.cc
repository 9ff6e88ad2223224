// analysis/curve.cc — least-squares room model, solved for a curve.
#include "heat/analysis/curve.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <Eigen/Dense>

namespace heat::analysis {
namespace {

constexpr double kOutdoorPoints[] = {-30, -15, -5, 0, 5, 15};  // ECL's, as control::DesignCurve
constexpr double kMinExcessGain = 0.01;

std::vector<CurveSample> Known(const std::vector<CurveSample>& in) {
  std::vector<CurveSample> out;
  for (const auto& s : in)
    if (std::isfinite(s.outdoor_c) && std::isfinite(s.supply_c) && std::isfinite(s.room_c)) out.push_back(s);
  return out;
}

}  // namespace

double FittedRoom(const CurveFit& f, double outdoor_c, double supply_c) {
  double x = supply_c - outdoor_c;
  return f.c0 + f.c_excess * x + f.c_excess2 * x * x + f.c_outdoor * outdoor_c;
}

// The rising root of c_excess2·x² + c_excess·x + k = 0, written so that it
// stays exact as c_excess2 goes to 0 (then −k / c_excess); without a root
// the target is out of reach and the excess of the warmest room is taken.
double FittedSupply(const CurveFit& f, double outdoor_c, double target_c) {
  double k = f.c0 + f.c_outdoor * outdoor_c - target_c;
  double d = f.c_excess * f.c_excess - 4 * f.c_excess2 * k;
  if (d < 0) return outdoor_c - f.c_excess / (2 * f.c_excess2);
  return outdoor_c - 2 * k / (f.c_excess + std::sqrt(d));
}

Result<CurveFit> FitCurve(const std::vector<CurveSample>& samples, double target_c,
                          const control::HeatingCurve& limits) {
  std::vector<CurveSample> s = Known(samples);
  if (static_cast<int>(s.size()) < kMinCurveSamples)
    return Status::Usage("a curve needs at least " + std::to_string(kMinCurveSamples) +
                         " hours with outdoor, supply and room temperatures; the span has " +
                         std::to_string(s.size()));
  Eigen::MatrixXd a(s.size(), 4);
  Eigen::VectorXd y(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    Eigen::Index r = static_cast<Eigen::Index>(i);
    double x = s[i].supply_c - s[i].outdoor_c;
    a.row(r) << 1.0, x, s[i].outdoor_c, x * x;
    y(r) = s[i].room_c;
  }
  Eigen::Vector4d c = a.colPivHouseholderQr().solve(y);
  CurveFit f;
  f.c0 = c(0), f.c_excess = c(1), f.c_outdoor = c(2), f.c_excess2 = c(3);
  f.samples = static_cast<int>(s.size());
  f.rmse_c = std::sqrt((a * c - y).squaredNorm() / static_cast<double>(s.size()));
  auto [lo, hi] = std::minmax_element(s.begin(), s.end(),
                                      [](const auto& x, const auto& z) { return x.outdoor_c < z.outdoor_c; });
  f.outdoor_lo = lo->outdoor_c, f.outdoor_hi = hi->outdoor_c;
  double mean_x = a.col(1).mean(), gain = f.c_excess + 2 * f.c_excess2 * mean_x;
  if (!(gain >= kMinExcessGain))
    return Status::Failure("the room temperature does not rise with the supply in this span (fitted gain " +
                           std::to_string(gain) + " °C per °C): no curve can be solved for");
  f.curve = limits;
  f.curve.points.clear();
  f.curve.room_ref_c = target_c;
  f.curve.parallel_c = 0;
  for (double t : kOutdoorPoints) {
    double v = std::clamp(FittedSupply(f, t, target_c), limits.min_supply_c,
                          std::max(limits.min_supply_c, limits.max_supply_c));
    // A curve's supply never rises with the outdoor temperature (control::Validate).
    if (!f.curve.points.empty()) v = std::min(v, f.curve.points.back().second);
    f.curve.points.emplace_back(t, v);
  }
  return f;
}

std::string PointsJson(const control::HeatingCurve& c) {
  std::string out = "[";
  char buf[64];
  for (const auto& [t, s] : c.points) {
    std::snprintf(buf, sizeof buf, "%s[%g,%.1f]", out.size() > 1 ? "," : "", t, s);
    out += buf;
  }
  return out + "]";
}

}  // namespace heat::analysis
