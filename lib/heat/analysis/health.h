// analysis/health.h — the health check (ANA-6, ANA-10): the rules of the
// rule base (analysis/rules.h) evaluated on a window of readings, giving
// findings with the likely fault, the evidence (values and times) and the
// advice.
//
// An object is what a finding is about: a station (the points of its
// control box, PLC and station heat meter together, so a rule may compare
// a box's tag with the meter's) or a device placed in a building (a room
// sensor, a building's heat meter). A rule applies to every object that
// has its points: for a glob tag, to each matching point apart; a point is
// matched by tag and, when the rule names one, its device's kind. Where an
// object holds a tag twice, the first point (in the order given) is taken.
//
// Conditions run on hourly values (heat.reading_hourly: min, max,
// average, last); a missing hour breaks a run of hours. reversals counts
// on the raw readings. One finding per rule and point at most: the longest
// run (the one the evidence shows).
//
// Pure: no I/O, no clock; deterministic.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "heat/analysis/rules.h"

namespace heat::analysis {

struct HourValue {
  int64_t hour_s = 0;  // the hour's start, epoch seconds
  int n = 0;
  double min = 0, max = 0, avg = 0, last = 0;
};

struct RawValue {
  int64_t ts_s = 0;
  double value = 0;
};

struct PointSeries {
  std::string code, tag, device_kind;
  std::vector<HourValue> hours;  // ascending
  std::vector<RawValue> raw;     // ascending; only needed for reversals
};

struct HealthObject {
  std::string kind;  // "station" or "device"
  std::string code;
  int station_id = 0;
  std::vector<PointSeries> points;
};

struct Finding {
  std::string rule, object_kind, object_code, point;
  int station_id = 0;
  int64_t from_s = 0, to_s = 0;  // the hours the condition held (to: the end of the last)
  int severity = 3;
  std::string title, fault, advice;
  nlohmann::json evidence;  // {"condition": ..., "values": [[time, value], ...], ...}
};

std::vector<Finding> Evaluate(const RuleBase& base, const std::vector<HealthObject>& objects);

// Changes of direction per clock hour of raw readings, moves of at most
// deadband ignored: (hour start, reversals) for every hour with readings.
std::vector<std::pair<int64_t, int>> ReversalsPerHour(const std::vector<RawValue>& raw, double deadband);

}  // namespace heat::analysis
