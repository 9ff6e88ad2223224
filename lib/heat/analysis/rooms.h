// analysis/rooms.h — room temperatures of the flats a station heats (ANA-5)
// from the room sensors' hourly means: their distribution per station,
// building and floor, the flats under and over their band, the share of
// flats within the band each day, and the station's room figure.
//
// The room figure is the one heatd-control's room-target strategy (CTL-3)
// corrects the supply by: control::RoomPercentile over the station's
// sensors (its low percentile, 10 % by default, of the plausible ones,
// none when fewer than min_sensors report) — computed here hour by hour
// with the same function and the station's own RoomTarget settings, so an
// engineer reads the figure the controller acted on.
//
// A sensor is a flat. Pure functions, no I/O, safe from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "heat/control/config.h"
#include "heat/control/types.h"
#include "heat/core/time.h"

namespace heat::analysis {

struct Sensor {
  std::string code, station, building;
  std::optional<int> floor;  // unknown unless the device says
};

struct RoomHour {
  size_t sensor = 0;  // index into the sensors
  int64_t hour_s = 0;
  Date day;           // the hour's day in the company time zone
  double temp_c = control::kUnknown;
};

struct RoomBand {
  double low_c = 18, high_c = 24;  // below: under-heated, above: over-heated
};

// The hours of one group of sensors: a station, a building or a floor.
struct RoomGroup {
  std::string station, building;
  std::optional<int> floor;
  int sensors = 0, hours = 0;
  double mean = control::kUnknown, p10 = control::kUnknown, p50 = control::kUnknown, p90 = control::kUnknown;
  double min = control::kUnknown, max = control::kUnknown;
  int hours_below = 0, hours_above = 0;
  double share_in_band = control::kUnknown;  // of the hours, 0..1
};

enum class RoomLevel { kStation, kBuilding, kFloor };

// One row per group at that level, sorted by station, building, floor
// (unknown floors last).
std::vector<RoomGroup> Summarise(const std::vector<Sensor>& sensors, const std::vector<RoomHour>& hours,
                                 const RoomBand& band, RoomLevel level);

// One row per sensor with hours below (under-heated) or above
// (over-heated) the band, most such hours first.
struct FlatOutside {
  size_t sensor = 0;
  int hours = 0, hours_outside = 0;
  double mean = control::kUnknown, extreme = control::kUnknown;  // the lowest or the highest hour
};
std::vector<FlatOutside> Outside(const std::vector<Sensor>& sensors, const std::vector<RoomHour>& hours,
                                 const RoomBand& band, bool below);

// Per station and day: the flats with readings that day and those whose
// day mean lay within the band.
struct DayShare {
  std::string station;
  Date day;
  int flats = 0, in_band = 0;
  double share() const { return flats ? static_cast<double>(in_band) / flats : control::kUnknown; }
};
std::vector<DayShare> DailyInBand(const std::vector<Sensor>& sensors, const std::vector<RoomHour>& hours,
                                  const RoomBand& band);

// Per station and hour: control::RoomPercentile of its sensors' hour,
// with the station's RoomTarget (from `targets`, else the defaults);
// hours where the controller would have had too few sensors are absent.
struct StationRoomHour {
  std::string station;
  int64_t hour_s = 0;
  double figure_c = control::kUnknown;
};
std::vector<StationRoomHour> StationFigures(const std::vector<Sensor>& sensors, const std::vector<RoomHour>& hours,
                                            const std::map<std::string, control::RoomTarget>& targets);

}  // namespace heat::analysis
