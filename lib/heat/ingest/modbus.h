// ingest/modbus.h — reading a PLC over Modbus TCP with its register map
// (DEV-4, MON-1, MON-2). Used by `heatctl scan` (read a station now) and,
// next, by heatd-ingest's scan groups.
#pragma once

#include <string>
#include <vector>

#include "heat/core/status.h"
#include "heat/proto/regmap.h"

namespace heat::ingest {

struct ModbusAddress {
  std::string host;
  int port = 502;
  int unit = 1;
};
// "10.1.2.3:502/1", "plc.local/3" (port 502), "127.0.0.1:1502" (unit 1).
Result<ModbusAddress> ParseModbusAddress(const std::string& s);

struct TagValue {
  std::string tag;
  double value;
  std::string unit;
};

// Connects, reads the given tags (all when empty) with as few requests as
// the map allows, and disconnects. timeout_ms bounds each request; a PLC
// that does not answer is a kFailure naming it.
Result<std::vector<TagValue>> ReadTags(const ModbusAddress& addr, const proto::RegisterMap& map,
                                       const std::vector<std::string>& tags, int timeout_ms = 1000);

}  // namespace heat::ingest
