// control/outdoor.h — the outdoor temperature a strategy uses: the
// "outdoor composite temperature" (CTL-4) and the room sensors' low
// percentile (CTL-3). Pure.
#pragma once

#include <optional>
#include <vector>

#include "heat/control/config.h"
#include "heat/control/types.h"

namespace heat::control {

// The outdoor temperature filtered by the building's time constant: a
// first-order lag from `previous` (unknown: starts at t_out_c) over dt_s.
// An unknown t_out_c holds the previous value.
double FilterOutdoor(const Composite& c, double previous, double t_out_c, double dt_s);

// The filtered value with wind and solar corrections where measured.
double CompositeOutdoor(const Composite& c, double filtered, const Measurements& m);

// The q-quantile (q clamped to 0..1) of values sorted ascending, linear
// between ranks (PostgreSQL's percentile_cont); `sorted` is not empty.
double QuantileOfSorted(const std::vector<double>& sorted, double q);

// The low percentile (linear between ranks) of the plausible, online,
// recent room readings; nullopt when fewer than min_sensors remain.
std::optional<double> RoomPercentile(const RoomTarget& r, const std::vector<RoomReading>& rooms);

}  // namespace heat::control
