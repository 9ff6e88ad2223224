// controld/config_json.h — a station's control configuration as stored in
// heat.control_config (CTL-2, CTL-4): `config` (the strategies, setpoints,
// curve, schedule, composite outdoor temperature, room target, PI tunings)
// and `limits` (the hard safety limits, which only heat_admin changes),
// both JSON objects whose keys are the fields of control::StationConfig
// (control/config.h) by name, nested as there:
//
//   {"valve": "room_target", "pump": "constant_dp", "dp_kpa": 80,
//    "curve": {"slope": 1.2, "parallel_c": 2, "max_supply_c": 80},
//    "schedule": {"enabled": true, "weekday": ["06:00-22:00"],
//                 "holidays": ["2027-01-01"], "night_room_c": 17},
//    "room": {"percentile": 0.1, "kp": 2}}
//
// A key left out keeps its default; an unknown key, a value of the wrong
// type and a configuration control::Validate refuses are kUsage errors
// naming the key ("curve.slopee: unknown key (did you mean curve.slope?)").
// heatd-control(8) lists every key with its default (ConfigKeys()).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "heat/control/config.h"
#include "heat/core/status.h"

namespace heat::controld {

Result<control::StationConfig> ParseStationConfig(const nlohmann::json& config, const nlohmann::json& limits);

// The whole configuration, every key present (for show and for tests of
// the round trip): {"config": {...}, "limits": {...}}.
nlohmann::json StationConfigJson(const control::StationConfig& c);

// Every key with its default, "curve.slope  1.4" (one per line, sorted).
std::vector<std::string> ConfigKeys();

}  // namespace heat::controld
