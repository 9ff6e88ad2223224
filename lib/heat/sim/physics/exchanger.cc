// sim/physics/exchanger.cc — effectiveness-NTU for a counterflow exchanger.
#include "heat/sim/physics/exchanger.h"

#include <algorithm>
#include <cmath>

namespace heat::sim::physics {

namespace {

// ε(NTU, Cr) of a counterflow exchanger; the Cr -> 1 limit is NTU/(1+NTU).
double CounterflowEffectiveness(double ntu, double cr) {
  if (std::abs(1 - cr) < 1e-9) return ntu / (1 + ntu);
  double e = std::exp(-ntu * (1 - cr));
  return (1 - e) / (1 - cr * e);
}

}  // namespace

ExchangeResult Counterflow(double ua_kw_k, double hot_in_c, double hot_flow_m3h,
                           double cold_in_c, double cold_flow_m3h) {
  ExchangeResult r{0, hot_in_c, cold_in_c, 0};
  if (hot_flow_m3h <= 0 || cold_flow_m3h <= 0 || ua_kw_k <= 0 || hot_in_c <= cold_in_c)
    return r;
  double ch = hot_flow_m3h * kWaterKwPerM3hK, cc = cold_flow_m3h * kWaterKwPerM3hK;
  double cmin = std::min(ch, cc), cmax = std::max(ch, cc);
  r.effectiveness = CounterflowEffectiveness(ua_kw_k / cmin, cmin / cmax);
  r.q_kw = r.effectiveness * cmin * (hot_in_c - cold_in_c);
  r.hot_out_c = hot_in_c - r.q_kw / ch;
  r.cold_out_c = cold_in_c + r.q_kw / cc;
  return r;
}

Result<double> DesignUa(double hot_in_c, double hot_out_c, double cold_in_c,
                        double cold_out_c, double q_kw) {
  if (!(hot_in_c > hot_out_c && hot_out_c > cold_in_c && cold_out_c > cold_in_c &&
        hot_in_c > cold_out_c && q_kw > 0))
    return Status::Usage("exchanger design: need hot_in > hot_out > cold_in, "
                         "cold_out > cold_in, hot_in > cold_out and a positive load");
  double d1 = hot_in_c - cold_out_c, d2 = hot_out_c - cold_in_c;
  double lmtd = std::abs(d1 - d2) < 1e-9 ? d1 : (d1 - d2) / std::log(d1 / d2);
  return q_kw / lmtd;
}

}  // namespace heat::sim::physics
