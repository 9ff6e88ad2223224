#include "heat/ingest/modbus_poll.h"

#include <chrono>

#include "heat/core/log.h"

namespace heat::ingest {

using Clock = std::chrono::steady_clock;

Result<std::vector<PolledDevice>> LoadPolledDevices(db::Conn& conn) {
  HEAT_ASSIGN(db::Rows r, conn.Query(
      "SELECT d.id, d.code, d.address, m.code AS map, m.body::text AS body, s.code AS station"
      " FROM heat.device d JOIN heat.register_map m ON m.id = d.register_map_id"
      " LEFT JOIN heat.building b ON b.id = d.building_id"
      " JOIN heat.station s ON s.id = coalesce(d.station_id, b.station_id)"
      " WHERE d.protocol = 'modbus_tcp' AND d.address IS NOT NULL ORDER BY d.code"));
  std::vector<PolledDevice> out;
  for (int i = 0; i < r.size(); ++i) {
    auto addr = ParseModbusAddress(r.get(i, "address"));
    auto map = proto::ParseRegisterMap(nlohmann::json::parse(r.get(i, "body"), nullptr, false), r.get(i, "map"));
    if (!addr.ok() || !map.ok()) {
      log::Warning("modbus: skipping " + r.get(i, "code") + ": " +
                   (addr.ok() ? map.status().message() : addr.status().message()));
      continue;
    }
    out.push_back({static_cast<int32_t>(r.get_int(i, "id")), r.get(i, "code"), r.get(i, "station"),
                   *addr, std::move(map).value()});
  }
  return out;
}

std::unique_ptr<ModbusPoller> ModbusPoller::Start(Pipeline& pipeline, std::vector<PolledDevice> devices,
                                                  std::unordered_map<std::string, telemetry::PointInfo> points,
                                                  int timeout_ms) {
  std::unique_ptr<ModbusPoller> p(new ModbusPoller(pipeline));
  p->devices_ = std::move(devices);
  p->points_ = std::move(points);
  p->timeout_ms_ = timeout_ms;
  p->thread_ = std::thread([raw = p.get()] { raw->Run(); });
  return p;
}

ModbusPoller::~ModbusPoller() { Stop(); }

void ModbusPoller::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void ModbusPoller::PollGroup(const PolledDevice& d, const proto::ScanGroup& g, Clock::time_point& next,
                             int& backoff_s) {
  stats_.polls++;
  auto vals = ReadTags(d.address, d.map, g.tags, timeout_ms_);
  if (!vals.ok()) {
    stats_.failures++;
    log::Limited(log::Level::kWarning, "modbus-" + d.code, "modbus " + d.code + ": " + vals.status().message());
    next = Clock::now() + std::chrono::seconds(backoff_s);
    backoff_s = std::min(backoff_s * 2, 60);
    return;
  }
  backoff_s = 1;
  next += std::chrono::seconds(g.period_s);
  if (next < Clock::now()) next = Clock::now() + std::chrono::seconds(g.period_s);
  int64_t ts = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch()).count();
  telemetry::Batch b;
  for (const auto& v : *vals) {
    auto it = points_.find(d.station + "." + v.tag);
    if (it == points_.end()) {
      pipeline_.NoteUnknown("modbus", d.station + "." + v.tag);
      continue;
    }
    b.push_back({it->second.id, ts, v.value, 0});
  }
  stats_.readings += b.size();
  pipeline_.NoteSeen(d.device_id);
  (void)pipeline_.Submit(std::move(b));
}

void ModbusPoller::Run() {
  // One schedule entry per (device, scan group); a map without groups is
  // read whole every 10 s.
  struct Entry {
    const PolledDevice* dev;
    proto::ScanGroup group;
    Clock::time_point next;
    int backoff_s = 1;
  };
  std::vector<Entry> plan;
  for (const auto& d : devices_) {
    if (d.map.groups.empty()) {
      proto::ScanGroup all{"all", 10, {}};
      for (const auto& r : d.map.registers) all.tags.push_back(r.tag);
      plan.push_back({&d, all, Clock::now()});
    }
    for (const auto& g : d.map.groups) plan.push_back({&d, g, Clock::now()});
  }
  while (!stop_) {
    bool any = false;
    for (auto& e : plan) {
      if (stop_) return;
      if (Clock::now() < e.next) continue;
      PollGroup(*e.dev, e.group, e.next, e.backoff_s);
      any = true;
    }
    if (!any) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace heat::ingest
