// sim/run_modbus.h — heatsim run's PLCs over Modbus TCP (DEV-4, CTL-1,
// DEV-3; heat-protocols(7)): each PLC serves its register map on its
// address (libmodbus), every register encoded from its loop's model as the
// map says (type, word order, bit, scale, offset), the map's tags naming
// model values by ModelTag (sim/run_plant.h). Registers whose tag the
// model lacks read 0.
//
// Commands are writes (functions 5, 6, 15, 16) of writable registers:
// vN_set, pumpN_hz, pumpN_run. A write that changes a writable register's
// words is applied to the model by the same rules as an MQTT command
// (sim/run_cmd.h), and the registers are filled again from the model at
// once, so every later read shows the value applied: a
// setpoint beyond the limits reads back clamped; in forced manual, or a
// pump command with a converter fault, it reads back unchanged. Writes of
// registers that are not writable are undone the same way.
//
// Not thread-safe: the run loop's thread calls Poll, which also reads the
// models (one thread steps and serves).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "heat/core/status.h"
#include "heat/sim/run_plant.h"

namespace heat::sim {

// host[:port][/unit] (port 502, unit 1 by default); kUsage otherwise.
Status ParseModbusAddress(const std::string& address, std::string* host, int* port);

class PlcServers {
 public:
  PlcServers();
  ~PlcServers();
  // Listens on every PLC's address (its loop lives in plant).
  Status Start(Plant& plant);
  // Serves what arrives within timeout_ms (0: only what is there now).
  void Poll(int timeout_ms);
  size_t writes() const { return writes_; }

 private:
  struct Server;
  void Serve(Server& s, int fd);
  void Fill(Server& s);
  void ApplyWrites(Server& s, const std::vector<uint16_t>& before_regs, const std::vector<uint8_t>& before_bits);

  Plant* plant_ = nullptr;
  std::vector<std::unique_ptr<Server>> servers_;
  size_t writes_ = 0;
};

}  // namespace heat::sim
