// alarm/rule.cc — rule names, and resolving rules into bindings.
#include "heat/alarm/rule.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace heat::alarm {

namespace {

struct KindRow {
  RuleKind kind;
  const char* name;
};
constexpr KindRow kKinds[] = {
    {RuleKind::kHigh, "high"},         {RuleKind::kLow, "low"},
    {RuleKind::kDeviation, "deviation"}, {RuleKind::kRate, "rate"},
    {RuleKind::kDifference, "difference"}, {RuleKind::kState, "state"},
    {RuleKind::kFrozen, "frozen"},     {RuleKind::kOutOfRange, "out_of_range"},
    {RuleKind::kNotFollowing, "not_following"}, {RuleKind::kCommLoss, "comm_loss"},
};

constexpr const char* kAttachNames[] = {"all", "network", "process_type", "device_kind", "station", "point"};

// Whether rule r's attachment covers a source at place p (point code, or
// device code for device rules), and how specifically (higher wins).
int Specificity(const Rule& r, const Place& p, const std::string& point_code) {
  switch (r.attach) {
    case Attach::kAll: return 1;
    case Attach::kNetwork: return p.network_code == r.attach_to ? 2 : 0;
    case Attach::kProcessType: return p.station_id && p.process_type == r.attach_to ? 3 : 0;
    case Attach::kDeviceKind: return p.device_kind == r.attach_to ? 4 : 0;
    case Attach::kStation: return p.station_id && p.station_code == r.attach_to ? 5 : 0;
    case Attach::kPoint: return !point_code.empty() && point_code == r.attach_to ? 6 : 0;
  }
  return 0;
}

// The most specific rule of `same_code` at place p, or nullptr.
const Rule* Winner(const std::vector<const Rule*>& same_code, const Place& p, const std::string& point_code) {
  const Rule* best = nullptr;
  int best_s = 0;
  for (const Rule* r : same_code) {
    int s = Specificity(*r, p, point_code);
    if (s > best_s) best = r, best_s = s;
  }
  return best;
}

std::string Fixed(double v) {
  if (!std::isfinite(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

void Replace(std::string& s, std::string_view key, const std::string& value) {
  for (size_t at = s.find(key); at != std::string::npos; at = s.find(key, at + value.size()))
    s.replace(at, key.size(), value);
}

}  // namespace

const char* KindName(RuleKind k) {
  for (const auto& row : kKinds)
    if (row.kind == k) return row.name;
  return "?";
}

Result<RuleKind> ParseKind(std::string_view name) {
  for (const auto& row : kKinds)
    if (name == row.name) return row.kind;
  return Status::Usage("unknown alarm kind '" + std::string(name) +
                       "': high, low, deviation, rate, difference, state, frozen, out_of_range, "
                       "not_following or comm_loss");
}

bool WatchesDevice(RuleKind k) { return k == RuleKind::kCommLoss || k == RuleKind::kNotFollowing; }

const char* AttachName(Attach a) { return kAttachNames[static_cast<int>(a)]; }

Result<Attach> ParseAttach(std::string_view name) {
  for (int i = 0; i < 6; ++i)
    if (name == kAttachNames[i]) return static_cast<Attach>(i);
  return Status::Usage("unknown attachment '" + std::string(name) +
                       "': all, network, process_type, device_kind, station or point");
}

std::vector<Binding> Bind(const std::vector<Rule>& rules, const std::vector<PointInfo>& points,
                          const std::vector<DeviceInfo>& devices) {
  std::map<std::string, std::vector<const Rule*>> by_code;
  std::map<std::string, std::set<std::string>> codes_by_tag;  // "" for device rules
  for (const Rule& r : rules) {
    by_code[r.code].push_back(&r);
    codes_by_tag[WatchesDevice(r.kind) ? "" : r.tag].insert(r.code);
  }
  // Reference points: by (station, tag), or (device, tag) when unplaced.
  std::map<std::pair<int, std::string>, int> at_station, at_device;
  for (const PointInfo& p : points) {
    if (p.place.station_id) at_station.emplace(std::pair{p.place.station_id, p.tag}, p.id);
    at_device.emplace(std::pair{p.device_id, p.tag}, p.id);
  }
  std::vector<Binding> out;
  for (const PointInfo& p : points) {
    auto codes = codes_by_tag.find(p.tag);
    if (codes == codes_by_tag.end()) continue;
    for (const std::string& code : codes->second) {
      const Rule* r = Winner(by_code[code], p.place, p.code);
      if (!r || !r->enabled || r->tag != p.tag || WatchesDevice(r->kind)) continue;
      Binding b{r, p.code, p.place.station_id, p.id, 0, p.device_id, 0};
      if (r->kind == RuleKind::kDeviation || r->kind == RuleKind::kDifference) {
        auto& index = p.place.station_id ? at_station : at_device;
        auto ref = index.find({p.place.station_id ? p.place.station_id : p.device_id, r->ref_tag});
        if (ref == index.end()) continue;
        b.ref_point_id = ref->second;
      }
      out.push_back(b);
    }
  }
  auto device_codes = codes_by_tag.find("");
  if (device_codes == codes_by_tag.end()) return out;
  for (const DeviceInfo& d : devices)
    for (const std::string& code : device_codes->second) {
      const Rule* r = Winner(by_code[code], d.place, "");
      if (!r || !r->enabled || !WatchesDevice(r->kind)) continue;
      // The valve is commanded through the station's box or PLC: one alarm a station.
      if (r->kind == RuleKind::kNotFollowing && d.place.device_kind != "control_box" && d.place.device_kind != "plc")
        continue;
      out.push_back(Binding{r, d.code, d.place.station_id, 0, 0, d.id, d.period_s});
    }
  return out;
}

std::string RenderMessage(const Rule& r, const std::string& source, const std::string& station, double value,
                          bool chinese) {
  std::string m = chinese ? r.message_zh : r.message_en;
  if (m.empty())
    m = chinese ? std::string("{source} ") + KindName(r.kind) + " 报警: {value} (限值 {limit})"
                : std::string("{source} ") + KindName(r.kind) + ": {value} (limit {limit})";
  Replace(m, "{source}", source);
  Replace(m, "{station}", station);
  Replace(m, "{value}", Fixed(value));
  Replace(m, "{limit}", Fixed(r.limit));
  return m;
}

}  // namespace heat::alarm
