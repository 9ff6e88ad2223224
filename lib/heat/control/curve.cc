// control/curve.cc — heating curve by slope or six points.
#include "heat/control/curve.h"

#include <algorithm>

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

}  // namespace heat::control
