// analysis/headloss.h — the head loss of pipes, valves and pumps and its
// derivative with respect to flow, linearised for the Global Gradient
// Algorithm (ANA-3).
//
// EPANET states its empirical constants (Hazen–Williams 4.727, the minor
// loss 0.02517, the tolerances) in feet and cubic feet per second, so
// these functions work in those "working units": ft, cfs, ft²/s. The
// solver converts at its edge; PipeHeadlossM() is the SI view for callers.
// Every function is pure and thread-safe.
#pragma once

#include <utility>
#include <vector>

#include "heat/analysis/hydraulics.h"
#include "heat/core/status.h"

namespace heat::analysis {

inline constexpr double kMPerFt = 0.3048;
inline constexpr double kM3sPerCfs = 0.028317;  // EPANET's 28.317 L/s per cfs

// Resistances in ft/cfs that stand for "no loss" (an open valve without a
// loss coefficient) and "no flow" (a closed link): the matrix keeps every
// link, so a closed one still conducts a trickle of 1/kCBig.
inline constexpr double kCSmall = 1e-6;
inline constexpr double kCBig = 1e8;
inline constexpr double kRQTol = 1e-7;  // smallest pipe head-loss gradient

// A link linearised at its flow q: P = 1 / (dh/dq) and Y = h(q) / (dh/dq),
// so that the flow correction is Y - P·(h1 - h2).
struct Coeff {
  double p = 0, y = 0;
};

struct Friction {
  HeadlossFormula formula = HeadlossFormula::kHazenWilliams;
  double viscosity = 1.1e-5;  // ft²/s
  double Exponent() const { return formula == HeadlossFormula::kHazenWilliams ? 1.852 : 2.0; }
};

// A pipe in working units. r: h = r·q^n (H-W, C-M) or h = f·r·q² (D-W);
// km: minor loss h = km·q²; roughness: D-W absolute roughness in ft.
struct PipeParams {
  double r = 0, km = 0, diameter = 0, roughness = 0;
};

// r of a pipe; `roughness` is C (H-W), n (C-M) or unused (D-W).
double PipeResistance(HeadlossFormula f, double length_ft, double diameter_ft, double roughness);
// A minor-loss coefficient K on v²/2g turned into km on q² (cfs).
double MinorLossCoeff(double k, double diameter_ft);

Coeff ClosedCoeff(double flow);
Coeff PipeCoeff(const Friction& fr, const PipeParams& pipe, double flow);
// Darcy–Weisbach friction factor at |flow| q for relative roughness e and
// s = viscosity × diameter: Swamee–Jain above Re 4000, Dunlop's cubic
// between 2000 and 4000. *dfdq gets its derivative.
double FrictionFactor(double q, double e, double s, double* dfdq);
// An open valve: its minor loss, or a small linear resistance without one.
Coeff OpenValveCoeff(double km, double flow);

// A straight piece of a curve around x: y = h0 + slope·x.
void CurveSegment(const std::vector<std::pair<double, double>>& pts, double x, double* h0,
                  double* slope);

// A pump's head curve in working units: head gain = -(h0 + r·q^n) at full
// speed for a power function (h0 < 0), a piecewise-linear curve, or a
// constant power (h = -r/q).
struct PumpModel {
  enum class Type { kPowerFunc, kCustom, kConstPower };
  Type type = Type::kPowerFunc;
  double h0 = 0, r = 0, n = 1;
  double q0 = 0;    // initial flow
  double hmax = 0;  // shutoff head: more head closes the pump (XHEAD)
  std::vector<std::pair<double, double>> curve;  // kCustom, working units
};

// From a head curve in SI (one point: design point with 1.33334 × h as
// shutoff and 2 q as maximum flow; three points from zero flow: fitted
// power function; otherwise piecewise linear with falling head) or a power.
Result<PumpModel> FitPump(const Curve* curve, double power_kw);
Coeff PumpCoeff(const PumpModel& pump, double speed, double flow);
// A general-purpose valve on its head-loss curve (working units).
Coeff GpvCoeff(const std::vector<std::pair<double, double>>& curve, double flow);

// SI view: the head loss in m of the open pipe `link` at flow q (m3/s),
// friction plus minor loss, signed like q.
double PipeHeadlossM(const Network& net, const Link& link, double q_m3s);

}  // namespace heat::analysis
