#include "heat/ingest/modbus_poll.h"

#include <algorithm>

#include "heat/core/log.h"

namespace heat::ingest {
namespace {

std::vector<std::string> PgArray(const std::string& text) {
  std::string inner = text.size() >= 2 ? text.substr(1, text.size() - 2) : "";
  std::vector<std::string> out;
  size_t start = 0;
  while (!inner.empty() && start <= inner.size()) {
    size_t comma = inner.find(',', start);
    out.push_back(inner.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// A map without groups is read whole every 10 s.
std::vector<proto::ScanGroup> GroupsOf(const PolledDevice& d) {
  if (!d.map.groups.empty()) return d.map.groups;
  proto::ScanGroup all{"all", 10, {}};
  for (const auto& r : d.map.registers) all.tags.push_back(r.tag);
  return {all};
}

}  // namespace

Result<std::vector<PolledDevice>> LoadPolledDevices(db::Conn& conn) {
  HEAT_ASSIGN(db::Rows r, conn.Query(
      "SELECT d.id, d.code, d.address, m.code AS map, m.body::text AS body, s.code AS station,"
      " (WITH RECURSIVE up(id, code, parent_id) AS (SELECT o.id, o.code, o.parent_id FROM heat.org_unit o"
      "   WHERE o.id = s.org_id UNION ALL SELECT o.id, o.code, o.parent_id FROM heat.org_unit o"
      "   JOIN up ON o.id = up.parent_id) SELECT array_agg(code) FROM up)::text AS orgs"
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
                   PgArray(r.get(i, "orgs")), *addr, std::move(map).value()});
  }
  return out;
}

Result<ScanOptions::Mode> ParseScanMode(const std::string& s) {
  if (s == "patrol") return ScanOptions::kPatrol;
  if (s == "area") return ScanOptions::kArea;
  if (s == "watch") return ScanOptions::kWatch;
  return Status::Usage("ingest.modbus_mode: expected patrol, area or watch, got '" + s + "'");
}

Result<std::vector<ScanEntry>> PlanScan(const std::vector<PolledDevice>& devices, const ScanOptions& opt) {
  std::vector<ScanEntry> plan;
  bool matched = false;
  for (size_t i = 0; i < devices.size(); ++i) {
    const auto& d = devices[i];
    if (opt.mode == ScanOptions::kArea) {
      if (std::find(d.orgs.begin(), d.orgs.end(), opt.area) == d.orgs.end()) continue;
      matched = true;
    }
    for (const auto& g : GroupsOf(d)) plan.push_back({i, g});
    if (opt.mode == ScanOptions::kWatch && d.station == opt.watch) {
      matched = true;
      proto::ScanGroup all{"watch", opt.watch_period_s, {}};  // every register, fast
      plan.push_back({i, all});
    }
  }
  if (opt.mode == ScanOptions::kArea && !matched)
    return Status::Usage("ingest.modbus_area '" + opt.area + "': no Modbus PLC under this org unit");
  if (opt.mode == ScanOptions::kWatch && !matched)
    return Status::Usage("ingest.modbus_watch '" + opt.watch + "': no Modbus PLC at this station");
  return plan;
}

Result<std::unique_ptr<ModbusPoller>> ModbusPoller::Start(
    Pipeline& pipeline, std::vector<PolledDevice> devices,
    std::unordered_map<std::string, telemetry::PointInfo> points, const ScanOptions& opt) {
  HEAT_ASSIGN(auto plan, PlanScan(devices, opt));
  std::unique_ptr<ModbusPoller> p(new ModbusPoller(pipeline));
  for (const auto& d : devices) p->links_.push_back(std::make_unique<ModbusLink>(d.address, opt.timeout_ms));
  for (auto& e : plan) p->plan_.push_back({std::move(e), Clock::now()});
  p->devices_ = std::move(devices);
  p->points_ = std::move(points);
  p->thread_ = std::thread([raw = p.get()] { raw->Run(); });
  return p;
}

ModbusPoller::~ModbusPoller() { Stop(); }

void ModbusPoller::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void ModbusPoller::Poll(Slot& slot) {
  const PolledDevice& d = devices_[slot.entry.device];
  ModbusLink& link = *links_[slot.entry.device];
  stats_.polls++;
  if (!link.connected()) stats_.connects++;
  auto vals = link.Read(d.map, slot.entry.group.tags);
  if (!vals.ok()) {
    stats_.failures++;
    log::Limited(log::Level::kWarning, "modbus-" + d.code, "modbus " + d.code + ": " + vals.status().message());
    slot.next = Clock::now() + std::chrono::seconds(slot.backoff_s);
    slot.backoff_s = std::min(slot.backoff_s * 2, 60);
    return;
  }
  slot.backoff_s = 1;
  slot.next += std::chrono::seconds(slot.entry.group.period_s);
  if (slot.next < Clock::now()) slot.next = Clock::now() + std::chrono::seconds(slot.entry.group.period_s);
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
  while (!stop_) {
    bool any = false;
    for (auto& slot : plan_) {
      if (stop_) return;
      if (Clock::now() < slot.next) continue;
      Poll(slot);
      any = true;
    }
    if (!any) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace heat::ingest
