// ctl/analyse_operation.h — what heatctl analyse precision|rooms|energy|
// curve share (ANA-1, ANA-4, ANA-5, ANA-7; heatctl(1) ANALYSIS): the span
// of a command, each station's control configuration, and the hourly
// history read through lib/sql 0041 (api.analysis_*), as the person
// running heatctl, so row-level security keeps out what is not theirs.
// The statistics are computed in lib/heat/analysis/.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "heat/analysis/rooms.h"
#include "heat/cli/command.h"
#include "heat/control/config.h"
#include "heat/controld/plant.h"
#include "heat/core/time.h"

namespace heat::ctl {

// [from, to) in epoch seconds from --from/--to as heatctl trend reads
// them (2026-12-01, '2026-12-01 08:00', -30d), whole hours.
struct Span {
  int64_t from = 0, to = 0;
};
Result<Span> ParseSpan(const std::string& from, const std::string& to, const TimeZone& tz);

// A station in the person's scope with its stored control configuration
// (`configured` false: none stored, the defaults; `error` a configuration
// heatd-control refuses, the defaults used).
struct StationSetup {
  std::string code, strategy;
  bool configured = false;
  std::string error;
  control::StationConfig cfg;
  controld::LoopTags tags;
};

// Every station of the scope, or the one named (kNotFound when it is not
// in the scope), by code.
Result<std::vector<StationSetup>> LoadSetups(db::Conn& db, const std::string& station);

// Hourly means: station -> hour start -> tag -> mean.
using StationHours = std::map<std::string, std::map<int64_t, std::map<std::string, double>>>;
Result<StationHours> LoadStationHours(db::Conn& db, const Span& span, const std::vector<std::string>& tags);

// The room sensors' hourly means, with their days in tz; `station` ""
// for every station.
struct RoomData {
  std::vector<analysis::Sensor> sensors;
  std::vector<analysis::RoomHour> hours;
};
Result<RoomData> LoadRooms(db::Conn& db, const Span& span, const std::string& station, const TimeZone& tz);

// The tags a station's loop reads (controld::LoopTags), for LoadStationHours.
std::vector<std::string> LoopTagList(const std::vector<StationSetup>& setups);

// The controller's measurements of one hour from the hour's means (and
// its room sensors' means), as heatd-control would have read them.
control::Measurements HourMeasurements(const controld::LoopTags& t, const std::map<std::string, double>& v,
                                       const std::vector<control::RoomReading>& rooms);

// A number with `decimals` digits as a cell; NULL when unknown.
cli::Cell Num(double v, int decimals);
cli::Cell Int(long v);

cli::Command EnergyCommand();
cli::Command CurveCommand();

}  // namespace heat::ctl
