// control/safety.cc — hard limits over every strategy.
#include "heat/control/safety.h"

#include <algorithm>

namespace heat::control {

namespace {

void Note(Commands& c, const char* limit) { c.limited.emplace_back(limit); }

double Finite(double v, double fallback) { return Known(v) ? v : fallback; }

}  // namespace

void ApplySafety(const SafetyLimits& l, const Measurements& m, double close_step_pct,
                 Commands& c) {
  double hz_max = std::max(l.pump_min_hz, l.pump_max_hz);
  c.valve_pct = std::clamp(Finite(c.valve_pct, Finite(m.valve_pct, 0)), 0.0, 100.0);
  c.pump_hz = std::clamp(Finite(c.pump_hz, hz_max), l.pump_min_hz, hz_max);
  bool too_hot = Known(m.t2s) && m.t2s > l.max_supply_c;
  if (too_hot) {
    double now = std::clamp(Finite(m.valve_pct, 0), 0.0, 100.0);
    double cap = std::max(0.0, now - std::max(close_step_pct, 0.0));
    if (c.valve_pct > cap) {
      c.valve_pct = cap;
      Note(c, "max_supply");
    }
  }
  if (Known(m.dp2_kpa) && m.dp2_kpa > l.max_dp_kpa) {
    double cap = std::clamp(Finite(m.pump_hz, l.pump_min_hz), l.pump_min_hz, hz_max);
    if (c.pump_hz > cap) {
      c.pump_hz = cap;
      Note(c, "max_dp");
    }
  }
  bool freezing = (Known(m.t1r) && m.t1r < l.freeze_return_c) ||
                  (Known(m.t2r) && m.t2r < l.freeze_return_c);
  if (freezing) {
    if (!c.pump_run) Note(c, "freeze_pump");
    c.pump_run = true;
    double floor = std::clamp(l.freeze_valve_pct, 0.0, 100.0);
    if (!too_hot && c.valve_pct < floor) {
      c.valve_pct = floor;
      Note(c, "freeze_valve");
    }
  }
}

}  // namespace heat::control
