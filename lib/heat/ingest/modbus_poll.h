// ingest/modbus_poll.h — heatd-ingest's Modbus TCP polling (DEV-4, MON-1,
// MON-2): every PLC with a register map is read per scan group, each group
// at its own period, one device after another (sequential patrol). Values
// go to the points <station>.<tag> (a PLC's points are named after its
// station) through the pipeline. A device that does not answer within its
// timeout is retried with a backoff (1 s doubling to 60 s), logged at most
// once a minute, and never holds the others up for longer than one timeout.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "heat/db/conn.h"
#include "heat/ingest/modbus.h"
#include "heat/ingest/pipeline.h"
#include "heat/telemetry/writer.h"

namespace heat::ingest {

struct PolledDevice {
  int32_t device_id = 0;
  std::string code, station;
  ModbusAddress address;
  proto::RegisterMap map;
};

// Every Modbus TCP device with a register map and an address. Devices with
// a bad address or map are skipped with a warning.
Result<std::vector<PolledDevice>> LoadPolledDevices(db::Conn& conn);

struct ModbusStats {
  std::atomic<uint64_t> polls{0}, readings{0}, failures{0};
};

class ModbusPoller {
 public:
  static std::unique_ptr<ModbusPoller> Start(Pipeline& pipeline, std::vector<PolledDevice> devices,
                                             std::unordered_map<std::string, telemetry::PointInfo> points,
                                             int timeout_ms);
  ~ModbusPoller();
  void Stop();
  const ModbusStats& stats() const { return stats_; }

 private:
  ModbusPoller(Pipeline& p) : pipeline_(p) {}
  void Run();
  void PollGroup(const PolledDevice& d, const proto::ScanGroup& g, std::chrono::steady_clock::time_point& next,
                 int& backoff_s);
  Pipeline& pipeline_;
  std::vector<PolledDevice> devices_;
  std::unordered_map<std::string, telemetry::PointInfo> points_;
  int timeout_ms_ = 1000;
  ModbusStats stats_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace heat::ingest
