// control/outdoor.cc — composite outdoor temperature, room percentile.
#include "heat/control/outdoor.h"

#include <algorithm>
#include <cmath>

namespace heat::control {

double FilterOutdoor(const Composite& c, double previous, double t_out_c, double dt_s) {
  if (!Known(t_out_c)) return previous;
  if (!Known(previous) || c.building_tau_h <= 0) return t_out_c;
  double a = 1 - std::exp(-dt_s / (c.building_tau_h * 3600));
  return previous + a * (t_out_c - previous);
}

double CompositeOutdoor(const Composite& c, double filtered, const Measurements& m) {
  double v = filtered;
  if (Known(m.wind_ms)) v -= c.wind_c_per_ms * std::max(0.0, m.wind_ms - c.wind_ref_ms);
  if (Known(m.solar_wm2)) v += c.solar_c_per_wm2 * std::max(0.0, m.solar_wm2);
  return v;
}

std::optional<double> RoomPercentile(const RoomTarget& r, const std::vector<RoomReading>& rooms) {
  std::vector<double> v;
  for (const RoomReading& x : rooms)
    if (x.online && Known(x.temp_c) && x.age_s <= r.max_age_s && x.temp_c >= r.plausible_min_c &&
        x.temp_c <= r.plausible_max_c)
      v.push_back(x.temp_c);
  if (v.empty() || static_cast<int>(v.size()) < r.min_sensors) return std::nullopt;
  std::sort(v.begin(), v.end());
  return QuantileOfSorted(v, r.percentile);
}

double QuantileOfSorted(const std::vector<double>& sorted, double q) {
  double pos = std::clamp(q, 0.0, 1.0) * static_cast<double>(sorted.size() - 1);
  size_t i = static_cast<size_t>(pos);
  if (i + 1 >= sorted.size()) return sorted.back();
  return sorted[i] + (pos - static_cast<double>(i)) * (sorted[i + 1] - sorted[i]);
}

}  // namespace heat::control
