// sim/physics/building.cc — 2R2C flats, radiators, sensors, meters.
#include "heat/sim/physics/building.h"

#include <algorithm>
#include <cmath>

#include "heat/sim/physics/exchanger.h"

namespace heat::sim::physics {

void HeatMeter::Add(double flow_m3h, double supply_c, double return_c, double dt_s) {
  if (flow_m3h <= 0) return;
  double h = dt_s / 3600;
  volume_m3 += flow_m3h * h;
  energy_kwh += flow_m3h * kWaterKwPerM3hK * (supply_c - return_c) * h;
}

// Solves Q = Q_d·((t_s − Q/(2C) − t_air)/ΔT_d)^n for Q by Newton:
// g(Q) = Q − emit(Q) rises and is concave, so from the left the iterates
// climb to the root without passing it. The return never falls below the room.
RadiatorOut Radiator(const FlatParams& p, double t_s_c, double flow_m3h, double t_air_c,
                     double guess_kw) {
  if (flow_m3h <= 0 || t_s_c <= t_air_c) return {0, t_air_c};
  double c = flow_m3h * kWaterKwPerM3hK;
  double hi = c * (t_s_c - t_air_c);
  double k = p.rad_design_kw / std::pow(p.rad_design_excess_k, p.rad_exponent);
  // From a guess right of the root the first step lands left of it (the
  // tangent of a concave function lies above it); from there it climbs.
  double q = std::clamp(guess_kw, 0.0, hi);
  for (int i = 0; i < 12; ++i) {
    double x = t_s_c - q / (2 * c) - t_air_c;
    if (x <= 0) {
      q *= 0.5;
      continue;
    }
    double xn1 = std::pow(x, p.rad_exponent - 1);
    double emit = k * x * xn1;
    double next = q + (emit - q) / (1 + k * p.rad_exponent * xn1 / (2 * c));
    bool done = std::abs(next - q) < 1e-7 * (1 + q);
    q = next;
    if (done) break;
  }
  q = std::min(q, hi);
  return {q, t_s_c - q / c};
}

// Crank–Nicolson on C·dT/dt = A·T + b: (C/dt − A/2)·T' = (C/dt + A/2)·T + b.
double Flat::Opening() const {
  if (!flowing()) return 0;
  if (!p.has_trv || p.stealing) return 1;  // a stealing flat's valve was forced open
  return std::clamp((p.trv_close_c - t_air_c) / p.trv_band_k, 0.0, 1.0);
}

void StepFlat(Flat& f, double q_kw, double gains_w, double t_out_c, double dt_s) {
  const FlatParams& p = f.p;
  double h_mo = 1 / (1 / p.ua_w_k - 1 / p.h_am_w_k);
  double ca = p.c_air_kj_k * 1000 / dt_s, cm = p.c_mass_kj_k * 1000 / dt_s;
  double qa = q_kw * 1000 + gains_w, ta = f.t_air_c, tm = f.t_mass_c;
  // Right side, explicit half.
  double ra = ca * ta + 0.5 * p.h_am_w_k * (tm - ta) + qa;
  double rm = cm * tm + 0.5 * (p.h_am_w_k * (ta - tm) + h_mo * (t_out_c - tm)) + h_mo * 0.5 * t_out_c;
  // Left side, implicit half: [[ca + h/2, −h/2], [−h/2, cm + (h + h_mo)/2]].
  double a11 = ca + 0.5 * p.h_am_w_k, a12 = -0.5 * p.h_am_w_k;
  double a22 = cm + 0.5 * (p.h_am_w_k + h_mo);
  double det = a11 * a22 - a12 * a12;
  f.t_air_c = (ra * a22 - a12 * rm) / det;
  f.t_mass_c = (a11 * rm - a12 * ra) / det;
}

TimeConstants FlatTimeConstants(const FlatParams& p) {
  double h_mo = 1 / (1 / p.ua_w_k - 1 / p.h_am_w_k);
  double ca = p.c_air_kj_k * 1000, cm = p.c_mass_kj_k * 1000;
  // Eigenvalues of [[−h/ca, h/ca], [h/cm, −(h + h_mo)/cm]].
  double a = -p.h_am_w_k / ca, b = p.h_am_w_k / ca;
  double c = p.h_am_w_k / cm, d = -(p.h_am_w_k + h_mo) / cm;
  double tr = a + d, det = a * d - b * c;
  double disc = std::sqrt(tr * tr / 4 - det);
  double l1 = tr / 2 + disc, l2 = tr / 2 - disc;  // l2 < l1 < 0
  return {-1 / l1, -1 / l2};
}

double SensorReading(double t_air_c, double noise_unit, double noise_c, double resolution_c) {
  double v = t_air_c + noise_c * (2 * noise_unit - 1);
  return std::round(v / resolution_c) * resolution_c;
}

}  // namespace heat::sim::physics
