#include "heat/ingest/meter.h"

#include <cmath>

#include "heat/core/time.h"
#include "heat/ingest/meter_map.h"
#include "heat/proto/cjt188.h"
#include "heat/proto/mbus.h"

namespace heat::ingest {
namespace {

// Epoch seconds of a meter's local clock, read in the server's zone (meters
// are set to local time); nullopt when unusable.
std::optional<int64_t> ClockEpoch(int y, int mo, int d, int h, int mi, int s, int64_t now_s) {
  if (y < 2000 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return std::nullopt;
  auto t = FromProcessLocal(LocalTime{Date{y, mo, d}, h, mi, s});
  if (!t.ok() || *t < now_s - 86400 || *t > now_s + 300) return std::nullopt;  // ingest/plausible.h
  return *t;
}

void Put(MeterPayload& out, const MeterInfo& m, const MeterValue& v, int64_t ts_s) {
  auto p = m.points.find(v.tag);
  if (p == m.points.end() || !std::isfinite(v.value)) return;
  out.readings.push_back({p->second, ts_s * 1000, v.value, v.quality});
}

void FromCjt(const proto::Cjt188Reading& r, const MeterInfo& m, int64_t now_s, MeterPayload& out) {
  const auto& c = r.clock;
  int64_t ts = c.valid ? ClockEpoch(c.year, c.month, c.day, c.hour, c.minute, c.second, now_s).value_or(now_s)
                       : now_s;
  for (const MeterValue& v : MapCjt188(r, m.units)) Put(out, m, v, ts);
}

void FromMbus(const proto::MbusFrame& f, const MeterInfo& m, int64_t now_s, MeterPayload& out) {
  using Q = proto::MbusQuantity;
  int64_t ts = now_s;
  for (const auto& r : f.records)
    if (r.quantity == Q::kDateTime && r.valid && r.storage == 0)
      ts = ClockEpoch(r.time.year, r.time.month, r.time.day, r.time.hour, r.time.minute, 0, now_s).value_or(now_s);
  for (const MeterValue& v : MapMbusFrame(f, m.units)) Put(out, m, v, ts);
}

template <typename F>
void Route(const std::string& address, const MeterIndex& meters, MeterPayload& out, F&& take) {
  out.frames++;
  out.addresses.push_back(address);
  auto it = meters.find(address);
  if (it == meters.end()) {
    out.unknown.push_back(address);
    return;
  }
  take(it->second);
  out.devices.push_back(it->second.device_id);
}

}  // namespace

Result<MeterIndex> LoadMeterIndex(db::Conn& conn) {
  HEAT_ASSIGN(db::Rows r, conn.Query(
      "SELECT d.address, d.id AS device_id, p.tag, p.id AS point_id, coalesce(p.unit, '') AS unit"
      " FROM heat.device d"
      " JOIN heat.point p ON p.device_id = d.id WHERE d.kind = 'heat_meter' AND d.address IS NOT NULL"));
  MeterIndex out;
  for (int i = 0; i < r.size(); ++i) {
    auto& m = out[r.get(i, "address")];
    m.device_id = static_cast<int32_t>(r.get_int(i, "device_id"));
    m.points[r.get(i, "tag")] = static_cast<int32_t>(r.get_int(i, "point_id"));
    m.units[r.get(i, "tag")] = r.get(i, "unit");
  }
  return out;
}

Result<MeterFrames> DecodeMeterFrames(std::span<const uint8_t> body) {
  MeterFrames out;
  if (proto::LooksLikeMbus(body)) {
    HEAT_ASSIGN(out.mbus, proto::DecodeMbus(body));
    return out;
  }
  if (proto::LooksLikeCjt188(body)) {
    HEAT_ASSIGN(out.cjt188, proto::DecodeCjt188(body));
    return out;
  }
  // A damaged M-Bus frame does not sniff as one; its decoder says what is wrong.
  size_t i = 0;
  while (i < body.size() && (body[i] == 0xFE || body[i] == 0xE5)) ++i;
  if (body.size() - i < 4 || body[i] != 0x68 || body[i + 3] != 0x68)
    return Status::Usage("neither a CJ/T 188 nor an M-Bus frame");
  HEAT_ASSIGN(out.mbus, proto::DecodeMbus(body));
  return out;
}

Result<MeterPayload> DecodeMeterPayload(std::span<const uint8_t> body, const MeterIndex& meters,
                                        int64_t now_s) {
  MeterPayload out;
  HEAT_ASSIGN(MeterFrames frames, DecodeMeterFrames(body));
  for (const auto& f : frames.mbus)
    if (!f.has_identity) return Status::Usage("mbus: frame without a secondary address (CI 0x72/0x76)");
  for (const auto& f : frames.mbus)
    Route(f.id, meters, out, [&](const MeterInfo& m) { FromMbus(f, m, now_s, out); });
  for (const auto& r : frames.cjt188)
    Route(r.address, meters, out, [&](const MeterInfo& m) { FromCjt(r, m, now_s, out); });
  return out;
}

}  // namespace heat::ingest
