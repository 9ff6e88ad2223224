// control/curve.cc — heating curve by slope or six points.
#include "heat/control/curve.h"

#include <algorithm>
#include <cmath>

namespace heat::control {

double CurveSlope(const HeatingCurve& c, double t_out_c) {
  if (c.points.empty()) return c.slope;
  const auto& p = c.points;
  for (size_t i = 0; i + 1 < p.size(); ++i)
    if (t_out_c >= p[i].first && t_out_c <= p[i + 1].first)
      return (p[i].second - p[i + 1].second) / (p[i + 1].first - p[i].first);
  return 0;
}

namespace {

// Linear between the points, held beyond the first and last.
double PointSupply(const std::vector<std::pair<double, double>>& p, double t_out_c) {
  if (t_out_c <= p.front().first) return p.front().second;
  if (t_out_c >= p.back().first) return p.back().second;
  for (size_t i = 0; i + 1 < p.size(); ++i) {
    if (t_out_c > p[i + 1].first) continue;
    double f = (t_out_c - p[i].first) / (p[i + 1].first - p[i].first);
    return p[i].second + f * (p[i + 1].second - p[i].second);
  }
  return p.back().second;
}

}  // namespace

double CurveSupply(const HeatingCurve& c, double t_out_c, double room_c) {
  double base = c.points.empty() ? c.room_ref_c + c.slope * (c.room_ref_c - t_out_c)
                                 : PointSupply(c.points, t_out_c);
  double shift = (room_c - c.room_ref_c) * (1 + CurveSlope(c, t_out_c));
  return std::clamp(base + c.parallel_c + shift, c.min_supply_c, c.max_supply_c);
}

HeatingCurve DesignCurve(double supply_c, double return_c, double outdoor_c, double indoor_c,
                         double exponent) {
  HeatingCurve c;
  c.room_ref_c = indoor_c;
  double mean_excess = (supply_c + return_c) / 2 - indoor_c;
  for (double t_out : {-30.0, -15.0, -5.0, 0.0, 5.0, 15.0}) {
    double phi = std::max(0.0, (indoor_c - t_out) / (indoor_c - outdoor_c));
    double supply = indoor_c + mean_excess * std::pow(phi, 1 / exponent) +
                    (supply_c - return_c) / 2 * phi;
    c.points.emplace_back(t_out, supply);
  }
  return c;
}

}  // namespace heat::control
