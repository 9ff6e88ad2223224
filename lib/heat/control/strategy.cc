// control/strategy.cc — one step: setpoints, loops, safety.
#include "heat/control/strategy.h"

#include <algorithm>

#include "heat/control/curve.h"
#include "heat/control/outdoor.h"
#include "heat/control/pi.h"
#include "heat/control/safety.h"
#include "heat/control/schedule.h"

namespace heat::control {

namespace {

constexpr double kFirstStepS = 60;      // no previous step: assume one period
constexpr double kLongestStepS = 3600;  // a gap longer than this integrates as this
constexpr double kMaxLimitationC = 60;

bool SupplyStrategy(ValveStrategy v) {
  return v == ValveStrategy::kConstantSupply || v == ValveStrategy::kOutdoorCompensation ||
         v == ValveStrategy::kRoomTarget;
}

double StepSeconds(const ControlState& s, const Clock& clock) {
  if (!s.started) return kFirstStepS;
  return std::clamp(static_cast<double>(clock.epoch_s - s.last_s), 0.0, kLongestStepS);
}

// The outdoor temperature the curve uses: composite, blended with the
// forecast for the room-target strategy when one exists.
double CurveOutdoor(const StationConfig& cfg, const Measurements& m, ControlState& s, double dt) {
  s.composite_c = FilterOutdoor(cfg.composite, s.composite_c, m.t_out_c, dt);
  double outdoor = CompositeOutdoor(cfg.composite, s.composite_c, m);
  if (cfg.valve == ValveStrategy::kRoomTarget && m.forecast_t_out_c && Known(*m.forecast_t_out_c)) {
    double w = std::clamp(cfg.room.forecast_weight, 0.0, 1.0);
    outdoor = Known(outdoor) ? (1 - w) * outdoor + w * *m.forecast_t_out_c : *m.forecast_t_out_c;
  }
  return outdoor;
}

// The supply setpoint of a supply strategy, limited and rate-limited.
double SupplySetpoint(const StationConfig& cfg, const Measurements& m, ControlState& s,
                      double outdoor, double dt) {
  double sp = cfg.supply_c, lo = 0, hi = cfg.limits.max_supply_c;
  if (cfg.valve != ValveStrategy::kConstantSupply) {
    sp = Known(outdoor) ? CurveSupply(cfg.curve, outdoor, s.room_setpoint_c) : s.supply_setpoint_c;
    lo = cfg.curve.min_supply_c;
    hi = std::min(hi, cfg.curve.max_supply_c);
  }
  if (cfg.valve == ValveStrategy::kRoomTarget) {
    // The integral learns at comfort only (config.h, RoomTarget).
    bool learn = !cfg.schedule.enabled || s.room_setpoint_c >= cfg.schedule.day_room_c;
    sp += RoomCorrection(cfg.room, m.rooms, s.room_setpoint_c, s.room_integral_c, learn ? dt : 0);
  }
  s.limitation_c = UpdateLimitation(cfg.limitation, m, s.limitation_c, dt);
  sp = std::clamp(sp - s.limitation_c, lo, std::max(lo, hi));
  if (!Known(sp)) return s.supply_setpoint_c;
  double prev = s.supply_setpoint_c, rate = cfg.setpoint_rate_c_per_h * dt / 3600;
  if (Known(prev) && cfg.setpoint_rate_c_per_h > 0) sp = std::clamp(sp, prev - rate, prev + rate);
  return std::min(sp, cfg.limits.max_supply_c);  // a lowered limit applies at once
}

// Setpoint and measurement of the valve loop; flow is taken in % of its
// setpoint so one tuning serves temperatures and flows.
void ValveLoopInputs(const StationConfig& cfg, const Measurements& m, double supply_sp,
                     double& sp, double& pv) {
  switch (cfg.valve) {
    case ValveStrategy::kConstantReturn:
      sp = cfg.return_c, pv = m.t2r;
      return;
    case ValveStrategy::kConstantFlow:
      sp = 100, pv = cfg.flow_m3h > 0 ? 100 * m.f1_m3h / cfg.flow_m3h : kUnknown;
      return;
    default:
      sp = supply_sp, pv = m.t2s;
  }
}

double PumpCommand(const StationConfig& cfg, const Measurements& m, ControlState& s, double dt) {
  if (cfg.pump == PumpStrategy::kFixedHz) {
    s.pump_pi.output = kUnknown;  // a later switch to ΔP starts from the pump's speed
    return cfg.pump_hz;
  }
  PiTuning t = cfg.pump_pi;
  t.out_min = cfg.limits.pump_min_hz;
  t.out_max = std::max(cfg.limits.pump_min_hz, cfg.limits.pump_max_hz);
  return PiStep(t, s.pump_pi, cfg.dp_kpa, m.dp2_kpa, m.pump_hz, dt);
}

Output LocalManual(const StationConfig& cfg, const Measurements& m, ControlState s) {
  Commands c;
  c.send = false;
  c.valve_pct = Known(m.valve_pct) ? m.valve_pct : s.valve_pi.output;
  c.pump_hz = Known(m.pump_hz) ? m.pump_hz : s.pump_pi.output;
  ApplySafety(cfg.limits, m, 0, c);  // finite, in range: what a display may show
  c.limited.clear();
  s.valve_pi.output = kUnknown;  // bumpless from the manual position
  s.pump_pi.output = kUnknown;
  return {c, s};
}

}  // namespace

double RoomCorrection(const RoomTarget& r, const std::vector<RoomReading>& rooms,
                      double room_setpoint_c, double& integral, double dt_s) {
  double cap = std::max(0.0, r.max_correction_c);
  integral = std::clamp(Known(integral) ? integral : 0.0, -cap, cap);
  auto low = RoomPercentile(r, rooms);
  if (!low || !Known(room_setpoint_c)) return integral;
  double e = room_setpoint_c - *low;
  if (r.ti_s > 0) integral = std::clamp(integral + r.kp * e * dt_s / r.ti_s, -cap, cap);
  return std::clamp(r.kp * e + integral, -cap, cap);
}

double UpdateLimitation(const Limitation& l, const Measurements& m, double previous, double dt_s) {
  double excess = 0;
  if (l.return_limit_c > 0 && Known(m.t1r))
    excess = std::max(excess, l.return_gain * (m.t1r - l.return_limit_c));
  if (l.flow_limit_m3h > 0 && Known(m.f1_m3h))
    excess = std::max(excess, l.excess_gain * 100 * (m.f1_m3h - l.flow_limit_m3h) / l.flow_limit_m3h);
  if (l.power_limit_kw > 0 && Known(m.pw1_kw))
    excess = std::max(excess, l.excess_gain * 100 * (m.pw1_kw - l.power_limit_kw) / l.power_limit_kw);
  double prev = Known(previous) ? previous : 0;
  double a = l.adapt_time_s > 0 ? std::min(1.0, dt_s / l.adapt_time_s) : 1;
  double next = excess > 0 ? prev + a * excess : prev * (1 - a);
  return std::clamp(next, 0.0, kMaxLimitationC);
}

Output Step(const StationConfig& cfg, const Measurements& m, const ControlState& state,
            const Clock& clock) {
  ControlState s = state;
  double dt = StepSeconds(s, clock);
  s.started = true;
  s.last_s = clock.epoch_s;
  if (m.local_manual) return LocalManual(cfg, m, s);
  Commands c;
  double outdoor = CurveOutdoor(cfg, m, s, dt);
  c.composite_c = outdoor;
  s.room_setpoint_c = cfg.schedule.enabled
                          ? ScheduledRoom(cfg.schedule, clock, outdoor, s.room_setpoint_c, dt)
                          : cfg.room_c;
  c.room_setpoint_c = s.room_setpoint_c;
  if (SupplyStrategy(cfg.valve)) s.supply_setpoint_c = SupplySetpoint(cfg, m, s, outdoor, dt);
  c.supply_setpoint_c = SupplyStrategy(cfg.valve) ? s.supply_setpoint_c : kUnknown;
  double sp = kUnknown, pv = kUnknown;
  ValveLoopInputs(cfg, m, s.supply_setpoint_c, sp, pv);
  double max_step = cfg.valve_running_time_s > 0 ? 100 * dt / cfg.valve_running_time_s : 0;
  c.valve_pct = PiStep(cfg.valve_pi, s.valve_pi, sp, pv, m.valve_pct, dt, max_step);
  c.pump_hz = PumpCommand(cfg, m, s, dt);
  ApplySafety(cfg.limits, m, max_step, c);
  s.valve_pi.output = c.valve_pct;  // the loops continue from what was sent
  if (cfg.pump == PumpStrategy::kConstantDp) s.pump_pi.output = c.pump_hz;
  return {c, s};
}

}  // namespace heat::control
