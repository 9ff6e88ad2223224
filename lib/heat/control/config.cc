// control/config.cc — Validate: every field a strategy relies on.
#include "heat/control/config.h"

#include <cmath>
#include <cstdio>

namespace heat::control {

namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// "field: V is outside LO..HI" unless lo <= v <= hi (and v is finite).
Status Range(const char* field, double v, double lo, double hi) {
  if (std::isfinite(v) && v >= lo && v <= hi) return Status::Ok();
  return Status::Usage(std::string(field) + ": " + Num(v) + " is outside " + Num(lo) + ".." + Num(hi));
}

Status CheckCurve(const HeatingCurve& c, const SafetyLimits& l) {
  if (c.points.empty()) {
    if (Status s = Range("curve.slope", c.slope, 0.1, 4.0); !s.ok()) return s;
  } else if (c.points.size() != 6) {
    return Status::Usage("curve.points: need 6 points, got " + std::to_string(c.points.size()));
  }
  for (size_t i = 0; i < c.points.size(); ++i) {
    const auto& p = c.points[i];
    if (!std::isfinite(p.first) || !std::isfinite(p.second))
      return Status::Usage("curve.points[" + std::to_string(i) + "]: not a number");
    if (i > 0 && !(p.first > c.points[i - 1].first && p.second <= c.points[i - 1].second))
      return Status::Usage("curve.points[" + std::to_string(i) +
                           "]: outdoor temperatures must rise and supply temperatures not");
  }
  if (Status s = Range("curve.parallel_c", c.parallel_c, -30, 30); !s.ok()) return s;
  if (Status s = Range("curve.max_supply_c", c.max_supply_c, c.min_supply_c, l.max_supply_c); !s.ok())
    return s;
  return Range("curve.min_supply_c", c.min_supply_c, 10, c.max_supply_c);
}

Status CheckLimits(const SafetyLimits& l) {
  if (Status s = Range("limits.max_supply_c", l.max_supply_c, 30, 130); !s.ok()) return s;
  if (Status s = Range("limits.max_dp_kpa", l.max_dp_kpa, 10, 1600); !s.ok()) return s;
  if (Status s = Range("limits.freeze_return_c", l.freeze_return_c, 0, 20); !s.ok()) return s;
  if (Status s = Range("limits.freeze_valve_pct", l.freeze_valve_pct, 0, 100); !s.ok()) return s;
  if (Status s = Range("limits.pump_max_hz", l.pump_max_hz, 10, 60); !s.ok()) return s;
  return Range("limits.pump_min_hz", l.pump_min_hz, 5, l.pump_max_hz);
}

Status CheckPi(const char* name, const PiTuning& t) {
  if (!std::isfinite(t.kp) || t.kp == 0) return Status::Usage(std::string(name) + ".kp: must not be 0");
  if (!(t.ti_s >= 0 && t.neutral_zone >= 0 && t.rate_per_s >= 0))
    return Status::Usage(std::string(name) + ": ti_s, neutral_zone and rate_per_s must not be negative");
  return Status::Ok();
}

Status CheckSchedule(const Schedule& s) {
  for (const auto* periods : {&s.weekday, &s.weekend})
    for (const Period& p : *periods)
      if (!(p.start_min >= 0 && p.start_min < p.end_min && p.end_min <= 1440))
        return Status::Usage("schedule: a period must lie within one day, start before end");
  if (Status st = Range("schedule.day_room_c", s.day_room_c, 5, 30); !st.ok()) return st;
  if (Status st = Range("schedule.night_room_c", s.night_room_c, 5, s.day_room_c); !st.ok()) return st;
  if (Status st = Range("schedule.ramp_c_per_h", s.ramp_c_per_h, 0, 20); !st.ok()) return st;
  return Range("schedule.opt_max_h", s.opt_max_h, 0, 12);
}

Status CheckRoom(const RoomTarget& r) {
  if (Status s = Range("room.percentile", r.percentile, 0, 1); !s.ok()) return s;
  if (Status s = Range("room.min_sensors", r.min_sensors, 1, 1e6); !s.ok()) return s;
  if (Status s = Range("room.max_correction_c", r.max_correction_c, 0, 40); !s.ok()) return s;
  if (Status s = Range("room.forecast_weight", r.forecast_weight, 0, 1); !s.ok()) return s;
  return Range("room.ti_s", r.ti_s, 0, 1e7);
}

Status CheckSetpoints(const StationConfig& c) {
  if (Status s = Range("supply_c", c.supply_c, 10, c.limits.max_supply_c); !s.ok()) return s;
  if (Status s = Range("return_c", c.return_c, 10, c.limits.max_supply_c); !s.ok()) return s;
  if (Status s = Range("flow_m3h", c.flow_m3h, 0.01, 1e5); !s.ok()) return s;
  if (Status s = Range("dp_kpa", c.dp_kpa, 1, c.limits.max_dp_kpa); !s.ok()) return s;
  if (Status s = Range("pump_hz", c.pump_hz, c.limits.pump_min_hz, c.limits.pump_max_hz); !s.ok())
    return s;
  if (Status s = Range("room_c", c.room_c, 5, 30); !s.ok()) return s;
  if (Status s = Range("composite.building_tau_h", c.composite.building_tau_h, 0, 500); !s.ok())
    return s;
  return Range("valve_running_time_s", c.valve_running_time_s, 0, 3600);
}

}  // namespace

Status Validate(const StationConfig& c) {
  for (Status s : {CheckLimits(c.limits), CheckCurve(c.curve, c.limits), CheckSetpoints(c),
                   CheckPi("valve_pi", c.valve_pi), CheckPi("pump_pi", c.pump_pi),
                   CheckSchedule(c.schedule), CheckRoom(c.room)})
    if (!s.ok()) return s;
  return Status::Ok();
}

}  // namespace heat::control
