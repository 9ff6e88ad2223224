// ingest/modbus_poll.h — heatd-ingest's Modbus TCP polling (DEV-4, MON-1,
// MON-2): PLCs with a register map are read per scan group, each group at
// its own period (MON-1: the period is the user's, in the map), one device
// after another, over a connection kept open between polls. Scan modes
// (MON-2, ingest.modbus_mode, changed by SIGHUP):
//   patrol  every PLC (sequential patrol);
//   area    only the PLCs of stations under the org unit modbus_area;
//   watch   every PLC as in patrol, and the PLCs of station modbus_watch
//           read whole every modbus_watch_period (fixed-station watch).
// Values go to the points <station>.<tag> through the pipeline. A device
// that does not answer within its timeout is retried with a backoff (1 s
// doubling to 60 s), logged at most once a minute, and never holds the
// others up for longer than one timeout.
#pragma once

#include <atomic>
#include <chrono>
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
  std::vector<std::string> orgs;  // the station's org unit and every unit above it
  ModbusAddress address;
  proto::RegisterMap map;
};

// Every Modbus TCP device with a register map and an address. Devices with
// a bad address or map are skipped with a warning.
Result<std::vector<PolledDevice>> LoadPolledDevices(db::Conn& conn);

struct ScanOptions {
  enum Mode { kPatrol, kArea, kWatch } mode = kPatrol;
  std::string area;      // org unit code (kArea)
  std::string watch;     // station code (kWatch)
  int watch_period_s = 2;
  int timeout_ms = 1000;
};
Result<ScanOptions::Mode> ParseScanMode(const std::string& s);

// One schedule entry: a device's scan group and its period.
struct ScanEntry {
  size_t device = 0;  // index into the device list
  proto::ScanGroup group;
};
// What a mode polls: pure, for tests. kUsage when area/watch name nothing.
Result<std::vector<ScanEntry>> PlanScan(const std::vector<PolledDevice>& devices, const ScanOptions& opt);

struct ModbusStats {
  std::atomic<uint64_t> polls{0}, readings{0}, failures{0}, connects{0};
};

class ModbusPoller {
 public:
  static Result<std::unique_ptr<ModbusPoller>> Start(Pipeline& pipeline, std::vector<PolledDevice> devices,
                                                     std::unordered_map<std::string, telemetry::PointInfo> points,
                                                     const ScanOptions& opt);
  ~ModbusPoller();
  void Stop();
  const ModbusStats& stats() const { return stats_; }

 private:
  using Clock = std::chrono::steady_clock;
  struct Slot {
    ScanEntry entry;
    Clock::time_point next;
    int backoff_s = 1;
  };
  explicit ModbusPoller(Pipeline& p) : pipeline_(p) {}
  void Run();
  void Poll(Slot& slot);
  Pipeline& pipeline_;
  std::vector<PolledDevice> devices_;
  std::vector<std::unique_ptr<ModbusLink>> links_;  // by device
  std::vector<Slot> plan_;
  std::unordered_map<std::string, telemetry::PointInfo> points_;
  ModbusStats stats_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace heat::ingest
