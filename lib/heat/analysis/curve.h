// analysis/curve.h — the heating curve a station's history says would
// have held its rooms at a target (ANA-4): a recommendation, never applied.
//
// From hourly samples (outdoor temperature as the controller's curve sees
// it — composite, filtered by the building's time constant —, secondary
// supply t2s, the station's room figure) the room temperature is fitted
// by least squares (Eigen) as
//
//   room = c0 + c_excess·x + c_excess2·x² + c_outdoor·outdoor,
//   x = supply − outdoor,
//
// the steady state of a building whose radiators give heat rising with the
// supply's excess over outdoor — the square term takes the curvature of
// a radiator's output, Q ∝ ΔT^1.3 — and which loses heat to outdoor (c0
// takes the internal and solar gains). Solved for the supply giving
// `target` at each of ECL's six outdoor temperatures (−30, −15, −5, 0, 5,
// 15 °C; control/curve.h), each held within the station's curve limits
// [min_supply_c, max_supply_c] and never rising with the outdoor
// temperature, the result is a six-point curve with
// room_ref_c = target and no parallel displacement, in the form
// heat.control_config's curves take (controld/config_json.h).
//
// Pure: no I/O; safe from any thread.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "heat/control/config.h"
#include "heat/core/status.h"

namespace heat::analysis {

struct CurveSample {
  double outdoor_c = 0, supply_c = 0, room_c = 0;
};

struct CurveFit {
  double c0 = 0, c_excess = 0, c_excess2 = 0, c_outdoor = 0;
  int samples = 0;
  double rmse_c = 0;            // of the fitted room temperature against the samples
  double outdoor_lo = 0, outdoor_hi = 0;  // the outdoor temperatures the samples span
  control::HeatingCurve curve;  // six points, room_ref_c = target
};

inline constexpr int kMinCurveSamples = 48;

// kUsage for fewer than kMinCurveSamples samples with all three values
// known; kFailure when the room temperature does not rise with the supply
// in the samples (d room / d supply under 0.01 at the samples' mean
// excess: the supply never varied apart from
// the outdoor temperature, or the rooms are not heated by this station),
// since no curve can then be solved for.
Result<CurveFit> FitCurve(const std::vector<CurveSample>& samples, double target_c,
                          const control::HeatingCurve& limits);

// The fitted room temperature for a supply at an outdoor temperature.
double FittedRoom(const CurveFit& f, double outdoor_c, double supply_c);

// The supply giving target_c at outdoor_c by the fit (not held in limits;
// where no supply reaches the target, the one giving the warmest room).
double FittedSupply(const CurveFit& f, double outdoor_c, double target_c);

// "[[-30,78.4],[-15,66.1],...]": the curve's points as `heatctl control
// set` takes them (one decimal).
std::string PointsJson(const control::HeatingCurve& c);

}  // namespace heat::analysis
