// controld/plant.h — what heatd-control knows of the stations it may
// command (CTL-1..4, DEV-3, DEV-4), loaded from the database: each
// station's transport (its MQTT control box, or a Modbus PLC with a
// writable valve setpoint), its control configuration and holds, and the
// measurements a strategy step reads (heat.latest and the room sensors).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "heat/control/config.h"
#include "heat/control/types.h"
#include "heat/db/conn.h"
#include "heat/ingest/modbus.h"
#include "heat/proto/regmap.h"

namespace heat::controld {

// The station tags a loop reads and writes. A PLC's second loop (a high
// zone) names its own, e.g. {"t2s": "t2s_h", "valve": "v2"}, in the
// control configuration's "tags" object.
struct LoopTags {
  std::string t1s = "t1s", t1r = "t1r", t2s = "t2s", t2r = "t2r", p2s = "p2s", p2r = "p2r";
  std::string f1 = "f1", pw1 = "pw1", tout = "tout", manual = "manual";
  std::string valve = "v1";     // feedback; the setpoint is valve + "_set"
  std::string pump = "pump1";   // pump + "_hz", pump + "_run"
};

struct Transport {
  enum Kind { kNone, kMqtt, kModbus } kind = kNone;
  ingest::ModbusAddress modbus;
  proto::RegisterMap map;
};

struct Target {
  int32_t id = 0;
  std::string code;
  int32_t org_id = 0;
  Transport transport;
  bool enabled = false;            // closed loop on (heat.control_config)
  int period_s = 60;
  control::StationConfig config;
  std::string config_error;        // non-empty: the stored configuration is invalid
  LoopTags tags;
  std::map<std::string, double> holds;  // valve_pct, pump_hz, pump_run -> value
};

// Every station with a commandable device: a control box over MQTT, or a
// PLC whose register map has a writable valve setpoint.
Result<std::vector<Target>> LoadTargets(db::Conn& conn);

// The measurements of each target (by station id); values older than
// max_age_s are unknown. Room sensors are those of the station's
// buildings (point temp), with their devices' online marks.
Result<std::map<int32_t, control::Measurements>> LoadMeasurements(db::Conn& conn,
                                                                   const std::vector<const Target*>& targets,
                                                                   double max_age_s);

// Applies "tags" of a configuration object (and removes it from there).
Status TakeLoopTags(nlohmann::json& config, LoopTags& tags);

}  // namespace heat::controld
