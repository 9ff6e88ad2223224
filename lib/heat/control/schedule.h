// control/schedule.h — time schedules (CTL-4, DEV-4): day/night room
// setpoints by weekday, weekend and holiday periods, start-time
// optimisation (heat up earlier when it is colder) and an upward ramp.
// Pure.
#pragma once

#include "heat/control/config.h"
#include "heat/control/types.h"

namespace heat::control {

struct LocalClock {
  Date date;
  int weekday = 0;     // 0 Monday .. 6 Sunday
  int minute = 0;      // of the local day
};
LocalClock ToLocalClock(const Clock& c);

// Whether comfort (day setpoint) applies at c, starting periods early by
// the optimisation lead for outdoor temperature t_out_c (unknown: no lead).
bool InComfort(const Schedule& s, const Clock& c, double t_out_c);

// The room setpoint after this step: the schedule's target, reached from
// `previous` (unknown: at once) by rising at most ramp_c_per_h; falls are
// immediate.
double ScheduledRoom(const Schedule& s, const Clock& c, double t_out_c, double previous,
                     double dt_s);

}  // namespace heat::control
