// control/pi.cc — PI with anti-windup, neutral zone, rate limit.
#include "heat/control/pi.h"

#include <algorithm>

namespace heat::control {

namespace {

double Clamp(double v, const PiTuning& t) { return std::clamp(v, t.out_min, t.out_max); }

double LimitStep(double from, double to, const PiTuning& t, double dt_s, double max_step) {
  double step = t.rate_per_s > 0 ? t.rate_per_s * dt_s : kUnknown;
  if (max_step > 0) step = Known(step) ? std::min(step, max_step) : max_step;
  if (!Known(step)) return to;
  return std::clamp(to, from - step, from + step);
}

}  // namespace

double PiStep(const PiTuning& t, PiState& s, double setpoint, double measured,
              double current, double dt_s, double max_step) {
  double last = Known(s.output) ? s.output : Clamp(Known(current) ? current : t.out_min, t);
  if (!Known(setpoint) || !Known(measured) || t.kp == 0) {
    s.output = last;
    return last;
  }
  double e = setpoint - measured;
  if (std::abs(e) <= t.neutral_zone) e = 0;
  if (!Known(s.output)) s.integral = last / t.kp - e;  // bumpless
  double integral = s.integral;
  if (t.ti_s > 0) integral += e * dt_s / t.ti_s;
  double u = t.kp * (e + integral);
  // Integrate up to the limit the output reaches, never past it; an
  // integral already beyond the limit is not pushed further.
  if (u > t.out_max || u < t.out_min) {
    double edge = (u > t.out_max ? t.out_max : t.out_min) / t.kp - e;
    bool toward = (edge - s.integral) * (integral - s.integral) > 0;
    integral = toward ? edge : s.integral;
  }
  if (Known(integral)) s.integral = integral;
  u = t.kp * (e + s.integral);
  u = LimitStep(last, Clamp(Known(u) ? u : last, t), t, dt_s, max_step);
  s.output = u;
  return u;
}

}  // namespace heat::control
