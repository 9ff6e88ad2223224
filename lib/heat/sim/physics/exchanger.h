// sim/physics/exchanger.h — a counterflow plate heat exchanger by the
// effectiveness-NTU method, and the UA that reproduces a design point.
//
// Units throughout sim/physics: °C, m³/h, kW, kPa, seconds. A water flow
// of F m³/h carries F × 1.163 kW per kelvin (kWaterKwPerM3hK).
// Energy balance is exact by construction: the heat the hot side gives is
// the heat the cold side takes, q_kw, for any inputs. UA is constant (no
// flow dependence of the film coefficients); heatsim(1) MODEL says so.
#pragma once

#include "heat/core/status.h"

namespace heat::sim::physics {

inline constexpr double kWaterKwPerM3hK = 1.163;  // ρ·c_p of water, kWh/(m³·K)

struct ExchangeResult {
  double q_kw = 0;           // heat from hot to cold side, >= 0
  double hot_out_c = 0;
  double cold_out_c = 0;
  double effectiveness = 0;  // q / q_max, in [0, 1]
};

// Counterflow exchange. Flows <= 0 on either side exchange nothing (the
// outlets equal the inlets); a cold inlet above the hot inlet gives q = 0.
ExchangeResult Counterflow(double ua_kw_k, double hot_in_c, double hot_flow_m3h,
                           double cold_in_c, double cold_flow_m3h);

// The UA (kW/K) of a counterflow exchanger that meets the design point
// hot_in -> hot_out, cold_in -> cold_out at q_kw, from the log-mean
// temperature difference. kUsage unless hot_in > hot_out > cold_in,
// cold_out > cold_in, hot_in > cold_out, q_kw > 0.
Result<double> DesignUa(double hot_in_c, double hot_out_c, double cold_in_c,
                        double cold_out_c, double q_kw);

}  // namespace heat::sim::physics
