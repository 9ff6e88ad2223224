// sim/physics/pump.cc — circulation pump (affinity laws), make-up pump,
// relief valve.
#include "heat/sim/physics/pump.h"

#include <algorithm>
#include <cmath>

namespace heat::sim::physics {

namespace {
constexpr double kShutoffFactor = 1.25;  // H0 = 1.25 × design head
}

double Pump::CommandHz(double hz) {
  if (fault_ == PumpFault::kConverterFault) return hz_;
  hz_ = std::clamp(hz, p_.min_hz, p_.nominal_hz);
  return hz_;
}

// Intersection of H0·s² − k·Q² with R·Q²: Q = s·sqrt(H0 / (R + k)).
double Pump::FlowM3h() const {
  if (!running()) return 0;
  double qd = p_.design_flow_m3h, hd = p_.design_head_kpa;
  double h0 = kShutoffFactor * hd;
  double k = (h0 - hd) / (qd * qd);
  double r = system_factor_ * hd / (qd * qd);
  double s = hz_ / p_.nominal_hz;
  return s * std::sqrt(h0 / (r + k));
}

double Pump::HeadKpa() const {
  double q = FlowM3h();
  return system_factor_ * p_.design_head_kpa * q * q /
         (p_.design_flow_m3h * p_.design_flow_m3h);
}

// Hydraulic power ∝ Q·H ∝ f³ on a quadratic system curve; the electric
// power scales with it from the design point.
double Pump::PowerKw() const {
  if (!running()) return 0;
  double hyd = FlowM3h() * HeadKpa();
  return p_.design_power_kw * hyd / (p_.design_flow_m3h * p_.design_head_kpa);
}

void Pump::Step(double dt_s) { kwh_ += PowerKw() * dt_s / 3600; }

void PressureSystem::Step(double dt_s) {
  if (pressure_ < p_.static_set_kpa - p_.band_kpa && tank_ > 0) makeup_ = true;
  if (pressure_ >= p_.static_set_kpa || tank_ <= 0) makeup_ = false;
  relief_ = pressure_ > p_.relief_kpa;
  double h = dt_s / 3600;
  double in = makeup_ ? std::min(p_.makeup_m3h * h, tank_) : 0;
  double out = leak_m3h_ * h + (relief_ ? p_.relief_m3h * h : 0);
  tank_ -= in;
  makeup_m3_ += in;
  pressure_ = std::max(0.0, pressure_ + (in - out) / p_.compliance_m3_per_kpa);
}

}  // namespace heat::sim::physics
