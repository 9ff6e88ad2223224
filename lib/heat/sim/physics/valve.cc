// sim/physics/valve.cc — control valve, actuator and stroke check.
#include "heat/sim/physics/valve.h"

#include <algorithm>
#include <cmath>

namespace heat::sim::physics {

namespace {

double Clamp100(double v) { return std::clamp(v, 0.0, 100.0); }

constexpr double kSlowFactor = 4;            // a slow actuator takes 4 stroke times
constexpr double kDriftPctPerHour = 2;       // drifting feedback: 2 %/h
constexpr double kCheckTolerance = 1.5;      // stroke-check legs: 1.5 stroke times

}  // namespace

Valve::Valve(const ValveParams& p, double position_pct)
    : p_(p), position_(Clamp100(position_pct)), setpoint_(position_) {}

ValveAck Valve::Command(double setpoint_pct) {
  if (manual_ || check_ == StrokeCheck::kClosing || check_ == StrokeCheck::kOpening ||
      check_ == StrokeCheck::kReturning)
    return {false, setpoint_};
  setpoint_ = Clamp100(setpoint_pct);
  return {true, setpoint_};
}

void Valve::SetForcedManual(bool on, double manual_pct) {
  manual_ = on;
  if (!on) return;
  if (check_ == StrokeCheck::kClosing || check_ == StrokeCheck::kOpening ||
      check_ == StrokeCheck::kReturning)
    check_ = StrokeCheck::kFailed;  // a person took over mid-check
  setpoint_ = Clamp100(manual_pct);
}

bool Valve::StartStrokeCheck() {
  if (manual_) return false;
  check_ = StrokeCheck::kClosing;
  check_s_ = check_leg_s_ = 0;
  check_return_ = setpoint_;
  return true;
}

void Valve::MoveToward(double target, double dt_s) {
  if (fault_ == ValveFault::kStuck) return;
  double speed = 100 / std::max(p_.stroke_time_s, 1e-3);
  if (fault_ == ValveFault::kSlow) speed /= kSlowFactor;
  double step = speed * dt_s;
  position_ = target > position_ ? std::min(target, position_ + step)
                                 : std::max(target, position_ - step);
}

// One leg of the check at a time; a leg that does not reach its end within
// the tolerance fails the check and leaves the valve where it is told.
void Valve::StepStrokeCheck(double dt_s) {
  check_s_ += dt_s;
  check_leg_s_ += dt_s;
  double end = check_ == StrokeCheck::kOpening ? 100 : check_ == StrokeCheck::kClosing ? 0
                                                                                      : check_return_;
  MoveToward(end, dt_s);
  if (std::abs(position_ - end) < 1e-9) {
    check_leg_s_ = 0;
    check_ = check_ == StrokeCheck::kClosing   ? StrokeCheck::kOpening
             : check_ == StrokeCheck::kOpening ? StrokeCheck::kReturning
                                               : StrokeCheck::kPassed;
  } else if (check_leg_s_ > kCheckTolerance * p_.stroke_time_s) {
    check_ = StrokeCheck::kFailed;
  }
  if (check_ == StrokeCheck::kPassed || check_ == StrokeCheck::kFailed) setpoint_ = check_return_;
}

void Valve::Step(double dt_s) {
  if (fault_ == ValveFault::kDriftingFeedback) drift_pct_ += kDriftPctPerHour * dt_s / 3600;
  bool checking = check_ == StrokeCheck::kClosing || check_ == StrokeCheck::kOpening ||
                  check_ == StrokeCheck::kReturning;
  if (checking && !manual_)
    StepStrokeCheck(dt_s);
  else
    MoveToward(setpoint_, dt_s);
}

double Valve::feedback_pct() const { return Clamp100(position_ + drift_pct_); }

double Valve::RelativeKv() const {
  double h = position_ / 100;
  if (h <= 0) return 0;
  if (p_.characteristic == Characteristic::kLinear) return h;
  // Equal percentage, shifted so that a closed valve shuts off:
  // k = (R^(h-1) - 1/R) / (1 - 1/R).
  double r = std::max(p_.rangeability, 1.0001);
  return (std::pow(r, h - 1) - 1 / r) / (1 - 1 / r);
}

double Valve::FlowM3h(double dp_kpa) const {
  double k = RelativeKv();
  if (k <= 0 || dp_kpa <= 0) return 0;
  double a = std::clamp(p_.authority, 1e-3, 1.0);
  double q100 = p_.kvs_m3h * std::sqrt(a * dp_kpa / 100);  // open-valve flow, Δp in bar
  return q100 / std::sqrt((1 - a) + a / (k * k));
}

}  // namespace heat::sim::physics
