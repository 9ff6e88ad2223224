// control/schedule.cc — day/night periods, holidays, optimised start, ramp.
#include "heat/control/schedule.h"

#include <algorithm>
#include <cmath>

namespace heat::control {

LocalClock ToLocalClock(const Clock& c) {
  int64_t local = c.epoch_s + c.utc_offset_s;
  int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  LocalClock lc;
  lc.date = AddDays(Date{}, static_cast<int>(days));
  lc.weekday = static_cast<int>(((days % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
  lc.minute = static_cast<int>((local - days * 86400) / 60);
  return lc;
}

namespace {

const std::vector<Period>& PeriodsOf(const Schedule& s, const LocalClock& lc) {
  bool holiday = std::find(s.holidays.begin(), s.holidays.end(), lc.date) != s.holidays.end();
  return holiday || lc.weekday >= 5 ? s.weekend : s.weekday;
}

double LeadMinutes(const Schedule& s, double t_out_c) {
  if (!s.optimise_start || !Known(t_out_c)) return 0;
  double lead = s.opt_min_per_k * std::max(0.0, s.day_room_c - t_out_c);
  return std::clamp(lead, 0.0, s.opt_max_h * 60);
}

}  // namespace

bool InComfort(const Schedule& s, const Clock& c, double t_out_c) {
  LocalClock lc = ToLocalClock(c);
  double lead = LeadMinutes(s, t_out_c);
  for (const Period& p : PeriodsOf(s, lc))
    if (lc.minute >= p.start_min - lead && lc.minute < p.end_min) return true;
  return false;
}

double ScheduledRoom(const Schedule& s, const Clock& c, double t_out_c, double previous,
                     double dt_s) {
  double target = InComfort(s, c, t_out_c) ? s.day_room_c : s.night_room_c;
  if (!Known(previous) || target <= previous || s.ramp_c_per_h <= 0) return target;
  return std::min(target, previous + s.ramp_c_per_h * dt_s / 3600);
}

}  // namespace heat::control
