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

// A TCP connection to one PLC, kept open between polls (heatd-ingest) or
// used once (heatctl scan). Not thread-safe.
class ModbusLink {
 public:
  ModbusLink(ModbusAddress addr, int timeout_ms) : addr_(std::move(addr)), timeout_ms_(timeout_ms) {}
  ~ModbusLink() { Close(); }
  ModbusLink(const ModbusLink&) = delete;
  ModbusLink& operator=(const ModbusLink&) = delete;

  // Reads the given tags (all when empty) with as few requests as the map
  // allows, connecting first when not connected. On any failure the
  // connection is closed, so the next call reconnects. timeout_ms bounds
  // each request; a PLC that does not answer is a kFailure naming it.
  Result<std::vector<TagValue>> Read(const proto::RegisterMap& map, const std::vector<std::string>& tags);
  // Writes one writable register or coil (a command, CTL-1) and reads it
  // back; the value read is what the PLC applied. kUsage for a tag that is
  // not in the map, not writable, or a value the register cannot hold.
  Result<double> Write(const proto::RegisterMap& map, const std::string& tag, double value);
  bool connected() const { return ctx_ != nullptr; }
  std::string Who() const;
  void Close();

 private:
  Status Connect();
  ModbusAddress addr_;
  int timeout_ms_;
  void* ctx_ = nullptr;  // modbus_t*
};

// Connects, reads, disconnects (one ModbusLink, used once).
Result<std::vector<TagValue>> ReadTags(const ModbusAddress& addr, const proto::RegisterMap& map,
                                       const std::vector<std::string>& tags, int timeout_ms = 1000);

}  // namespace heat::ingest
