// sim/plc.h — heatsim plc: a Modbus TCP server (libmodbus) that plays a
// station PLC described by a register map from the database, for demos
// and tests of `heatctl scan` and polling. Values follow slow sine waves
// per tag unless fixed with --set TAG=VALUE; they are encoded exactly as
// the map says (types, word orders, bits, scale and offset).
#pragma once

#include <map>
#include <string>

#include "heat/core/status.h"

namespace heat::sim {

struct PlcOptions {
  std::string bind = "127.0.0.1";
  int port = 1502;
  std::string map_code;                 // heat.register_map code
  std::map<std::string, double> fixed;  // tag -> value
};

// Serves until SIGTERM/SIGINT.
Status RunPlc(const PlcOptions& opt);

}  // namespace heat::sim
