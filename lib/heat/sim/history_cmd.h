// sim/history_cmd.h — heatsim history (heatsim(1), HISTORY): the loops
// heatsim run would play, found in the database the same way
// (sim/run_plant.h), simulated over a span of days (sim/history.h), and
// written as CSV for COPY into heat.reading_hourly, keyed by point code;
// optionally the weather after the span as a forecast CSV for heatctl
// weather import.
//
// Points: those of each station's MQTT control box that the box reports
// (Station::Tags() and manual, by tag), and those of its PLCs whose tag
// names a model value (ModelTag, as heatsim run serves them).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "heat/core/status.h"

namespace heat::sim {

struct HistoryOptions {
  int days = 0;
  std::string end;                    // empty: the start of the current hour, UTC
  std::string weather_csv;            // empty: the built-in Urumqi design winter
  std::vector<std::string> stations;  // empty: every station with a box or a PLC
  uint64_t seed = 1;
  int step_s = 60;
  std::string forecast_out;           // empty: no forecast file
  int forecast_hours = 168;
  int threads = 2;
};

struct HistoryReport {
  size_t stations = 0, loops = 0, points = 0, rows = 0;
  int hours = 0;
  double seconds = 0;  // wall clock, from reading the database to the last row
};

// --end as people type it (core/time.h ParseTime, in UTC), rounded down
// to its hour; empty: the start of the hour of now_s.
Result<int64_t> HistoryEnd(const std::string& end, int64_t now_s);

// Writes the CSV (with its header) to out. kUsage for bad options,
// kNotFound for a station that is not there, what libpq says when the
// database is not.
Result<HistoryReport> RunHistory(const HistoryOptions& o, std::ostream& out);

}  // namespace heat::sim
