// sim/comfort.cc — comfort figures of simulated flats.
#include "heat/sim/comfort.h"

#include <algorithm>

namespace heat::sim {

void ComfortFigures::Merge(const ComfortFigures& o) {
  flat_h += o.flat_h;
  occupied_flat_h += o.occupied_flat_h;
  in_band_flat_h += o.in_band_flat_h;
  underheated_flat_h += o.underheated_flat_h;
  room_c_flat_h += o.room_c_flat_h;
  hours += o.hours;
  spread_c_h += o.spread_c_h;
  warmest_c = std::max(warmest_c, o.warmest_c);
  coldest_occupied_c = std::min(coldest_occupied_c, o.coldest_occupied_c);
}

void Tally(const ComfortBand& band, const physics::Station& s, int minute_of_day, double dt_s,
           ComfortFigures& f) {
  double h = dt_s / 3600;
  bool occupied = band.Occupied(minute_of_day);
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const physics::Building& b : s.buildings())
    for (const physics::Flat& flat : b.flats) {
      if (flat.p.suspended) continue;
      double t = flat.t_air_c;
      f.flat_h += h;
      f.room_c_flat_h += t * h;
      f.warmest_c = std::max(f.warmest_c, t);
      lo = std::min(lo, t), hi = std::max(hi, t);
      if (t < band.underheated_c) f.underheated_flat_h += h;
      if (!occupied) continue;
      f.occupied_flat_h += h;
      f.coldest_occupied_c = std::min(f.coldest_occupied_c, t);
      if (t >= band.low_c && t <= band.high_c) f.in_band_flat_h += h;
    }
  if (hi < lo) return;  // no flat counted
  f.hours += h;
  f.spread_c_h += (hi - lo) * h;
}

}  // namespace heat::sim
