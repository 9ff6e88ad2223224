#include "heat/analysis/headloss.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace heat::analysis {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kGravityFt = 32.2;  // ft/s², EPANET's value
constexpr double kTiny = 1e-6;

// Darcy–Weisbach zone limits and Swamee–Jain constants, with w = q/s =
// Re·π/4 so that no area is computed per call.
const double kTurbulentW = 1000.0 * kPi;  // Re = 4000
const double kLaminarW = 500.0 * kPi;     // Re = 2000
const double kLog = -2.0 / std::log(10.0);
const double kSjA = 5.74 * std::pow(kPi / 4.0, 0.9);
const double kSj4000 = 5.74 / std::pow(4000.0, 0.9);

double Sign(double x) { return x < 0 ? -1.0 : 1.0; }

Coeff FromGradient(double hloss, double hgrad) { return {1.0 / hgrad, hloss / hgrad}; }

// Dunlop's cubic between Re 2000 and 4000: it meets the laminar 64/Re and
// the Swamee–Jain value with their slopes at the two ends.
double TransitionFactor(double w, double e, double s, double* dfdq) {
  double y2 = e / 3.7 + kSj4000;
  double y3 = kLog * std::log(y2);
  double fa = 1.0 / (y3 * y3);
  double fb = (2.0 + (-1.8 * 2.0 / std::log(10.0)) * kSj4000 / (y2 * y3)) * fa;
  double r = w / kLaminarW;
  double x1 = 7.0 * fa - fb;
  double x2 = 0.128 - 17.0 * fa + 2.5 * fb;
  double x3 = -0.128 + 13.0 * fa - 2.0 * fb;
  double x4 = 0.032 - 3.0 * fa + 0.5 * fb;
  *dfdq = (x2 + r * (2.0 * x3 + r * 3.0 * x4)) / s / kLaminarW;
  return x1 + r * (x2 + r * (x3 + r * x4));
}

// H-W and C-M: h = r·q^n, made linear where its gradient would vanish.
Coeff PowerLawCoeff(const Friction& fr, const PipeParams& pipe, double flow) {
  double q = std::fabs(flow);
  double n = fr.Exponent();
  double hgrad = n * pipe.r * std::pow(q, n - 1.0);
  double hloss;
  if (hgrad < kRQTol) {
    hgrad = kRQTol / n;
    hloss = hgrad * q;
  } else {
    hloss = hgrad * q / n;
  }
  if (pipe.km > 0) {
    hloss += pipe.km * q * q;
    hgrad += 2.0 * pipe.km * q;
  }
  return FromGradient(hloss * Sign(flow), hgrad);
}

Coeff DarcyCoeff(const Friction& fr, const PipeParams& pipe, double flow) {
  double q = std::fabs(flow);
  double s = fr.viscosity * pipe.diameter;
  if (q <= kLaminarW * s) {  // Hagen–Poiseuille: f = 64/Re
    double r = 16.0 * kPi * s * pipe.r;
    return FromGradient(flow * (r + pipe.km * q), r + 2.0 * pipe.km * q);
  }
  double dfdq = 0;
  double f = FrictionFactor(q, pipe.roughness / pipe.diameter, s, &dfdq);
  double r1 = f * pipe.r + pipe.km;
  return FromGradient(r1 * q * flow, 2.0 * r1 * q + dfdq * pipe.r * q * q);
}

Coeff CustomPumpCoeff(const PumpModel& pump, double speed, double flow) {
  double h0 = 0, slope = 0;
  CurveSegment(pump.curve, std::fabs(flow) / speed, &h0, &slope);
  double hgrad = -slope * speed;
  return FromGradient(-h0 * speed * speed + hgrad * flow, hgrad);
}

Coeff ConstPowerCoeff(const PumpModel& pump, double speed, double flow) {
  double r = pump.r * speed * speed * speed;
  double hgrad = -r / (flow * flow);
  if (hgrad > kCBig) return ClosedCoeff(flow);
  if (hgrad < kCSmall) return {1.0 / kCSmall, flow};
  return FromGradient(r / flow, hgrad);
}

Coeff PowerPumpCoeff(const PumpModel& pump, double speed, double flow) {
  double h0 = speed * speed * pump.h0;
  double n = std::fabs(pump.n - 1.0) < kTiny ? 1.0 : pump.n;
  double r = pump.r * std::pow(speed, 2.0 - n);
  if (n == 1.0) return FromGradient(h0 + r * flow, r);
  double hgrad = n * r * std::pow(std::fabs(flow), n - 1.0);
  if (hgrad < kRQTol) return FromGradient(h0 + kRQTol * flow, kRQTol);
  return FromGradient(h0 + hgrad * flow / n, hgrad);
}

// H = a - b·q^c through (0, h0), (q1, h1), (q2, h2); false when the points
// do not make a falling power curve.
bool FitPowerCurve(double h0, double h1, double h2, double q1, double q2, PumpModel* pump) {
  if (h0 < kTiny || h0 - h1 < kTiny || h1 - h2 < kTiny || q1 < kTiny || q2 - q1 < kTiny) {
    return false;
  }
  double c = std::log((h0 - h2) / (h0 - h1)) / std::log(q2 / q1);
  if (!(c > 0.0 && c <= 20.0)) return false;
  double b = (h0 - h1) / std::pow(q1, c);
  if (!(b > 0.0) || !std::isfinite(b)) return false;
  pump->type = PumpModel::Type::kPowerFunc;
  pump->h0 = -h0;
  pump->r = b;
  pump->n = c;
  pump->q0 = q1;
  pump->hmax = h0;
  return true;
}

Result<PumpModel> FitCustom(const std::vector<std::pair<double, double>>& pts) {
  for (size_t i = 1; i < pts.size(); ++i) {
    if (!(pts[i].second < pts[i - 1].second)) {
      return Status::Usage("its head does not fall with the flow");
    }
  }
  PumpModel pump;
  pump.type = PumpModel::Type::kCustom;
  pump.curve = pts;
  pump.q0 = (pts.front().first + pts.back().first) / 2.0;
  pump.hmax = pts.front().second;
  return pump;
}

}  // namespace

double PipeResistance(HeadlossFormula f, double length_ft, double diameter_ft, double roughness) {
  double d = diameter_ft;
  switch (f) {
    case HeadlossFormula::kHazenWilliams:
      return 4.727 * length_ft / std::pow(roughness, 1.852) / std::pow(d, 4.871);
    case HeadlossFormula::kDarcyWeisbach: {
      double area = kPi * d * d / 4.0;
      return length_ft / 2.0 / kGravityFt / d / (area * area);
    }
    case HeadlossFormula::kChezyManning: {
      double k = 4.0 * roughness / (1.49 * kPi * d * d);
      return k * k * std::pow(d / 4.0, -1.333) * length_ft;
    }
  }
  return 0;
}

double MinorLossCoeff(double k, double diameter_ft) {
  double d2 = diameter_ft * diameter_ft;
  return 0.02517 * k / (d2 * d2);
}

Coeff ClosedCoeff(double flow) { return {1.0 / kCBig, flow}; }

Coeff PipeCoeff(const Friction& fr, const PipeParams& pipe, double flow) {
  if (fr.formula == HeadlossFormula::kDarcyWeisbach) return DarcyCoeff(fr, pipe, flow);
  return PowerLawCoeff(fr, pipe, flow);
}

double FrictionFactor(double q, double e, double s, double* dfdq) {
  double w = q / s;
  if (w < kTurbulentW) return TransitionFactor(w, e, s, dfdq);
  double y1 = kSjA / std::pow(w, 0.9);
  double y2 = e / 3.7 + y1;
  double y3 = kLog * std::log(y2);
  double f = 1.0 / (y3 * y3);
  *dfdq = 1.8 * f * y1 * kLog / y2 / y3 / q;
  return f;
}

Coeff OpenValveCoeff(double km, double flow) {
  if (km <= 0) return {1.0 / kCSmall, flow};
  double hgrad = 2.0 * km * std::fabs(flow);
  if (hgrad < kRQTol) {
    hgrad = kRQTol / 2.0;
    return FromGradient(flow * hgrad, hgrad);
  }
  return FromGradient(flow * hgrad / 2.0, hgrad);
}

void CurveSegment(const std::vector<std::pair<double, double>>& pts, double x, double* h0,
                  double* slope) {
  if (pts.size() < 2) {  // a single point is a constant
    *slope = 0;
    *h0 = pts.empty() ? 0 : pts[0].second;
    return;
  }
  size_t k2 = 0;
  while (k2 < pts.size() && pts[k2].first < x) ++k2;
  k2 = std::clamp<size_t>(k2, 1, pts.size() - 1);
  const auto& [x1, y1] = pts[k2 - 1];
  const auto& [x2, y2] = pts[k2];
  *slope = (y2 - y1) / (x2 - x1);
  *h0 = y1 - *slope * x1;
}

Result<PumpModel> FitPump(const Curve* curve, double power_kw) {
  if (curve == nullptr) {
    if (!(power_kw > 0)) return Status::Usage("has neither a head curve nor a power");
    PumpModel pump;
    pump.type = PumpModel::Type::kConstPower;
    pump.r = -8.814 * power_kw / 0.7457;  // hp; h = 8.814·hp/q in ft and cfs
    pump.n = -1.0;
    pump.hmax = 1e10;
    pump.q0 = 1.0;
    return pump;
  }
  std::vector<std::pair<double, double>> pts;
  for (const auto& [q, h] : curve->points) pts.emplace_back(q / kM3sPerCfs, h / kMPerFt);
  if (pts.empty()) return Status::Usage("curve " + curve->id + " has no points");
  PumpModel pump;
  bool fitted = false;
  if (pts.size() == 1) {
    auto [q1, h1] = pts[0];
    fitted = FitPowerCurve(1.33334 * h1, h1, 0.0, q1, 2.0 * q1, &pump);
  } else if (pts.size() == 3 && pts[0].first == 0.0) {
    fitted = FitPowerCurve(pts[0].second, pts[1].second, pts[2].second, pts[1].first,
                           pts[2].first, &pump);
  } else {
    auto custom = FitCustom(pts);
    if (!custom.ok()) return custom.status().With("curve " + curve->id);
    return custom;
  }
  if (!fitted) return Status::Usage("curve " + curve->id + " is not a falling pump curve");
  return pump;
}

Coeff PumpCoeff(const PumpModel& pump, double speed, double flow) {
  switch (pump.type) {
    case PumpModel::Type::kCustom:
      return CustomPumpCoeff(pump, speed, flow);
    case PumpModel::Type::kConstPower:
      return ConstPowerCoeff(pump, speed, flow);
    case PumpModel::Type::kPowerFunc:
      break;
  }
  return PowerPumpCoeff(pump, speed, flow);
}

Coeff GpvCoeff(const std::vector<std::pair<double, double>>& curve, double flow) {
  double q = std::max(std::fabs(flow), kTiny);
  double h0 = 0, slope = 0;
  CurveSegment(curve, q, &h0, &slope);
  slope = std::max(slope, kTiny);
  return {1.0 / slope, (h0 / slope + q) * Sign(flow)};
}

double PipeHeadlossM(const Network& net, const Link& link, double q_m3s) {
  Friction fr{net.formula, net.viscosity_m2s / (kMPerFt * kMPerFt)};
  double d = link.diameter_m / kMPerFt;
  PipeParams pipe{PipeResistance(net.formula, link.length_m / kMPerFt, d, link.roughness),
                  MinorLossCoeff(link.minor_loss, d), d, link.roughness / 1000.0 / kMPerFt};
  Coeff c = PipeCoeff(fr, pipe, q_m3s / kM3sPerCfs);
  return c.y / c.p * kMPerFt;
}

}  // namespace heat::analysis
