// alarmd/store_alarms.cc — raising, folding and clearing alarms, and the
// states that go with them (alarmd/store.h, Writer).
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "heat/alarmd/store.h"

namespace heat::alarmd {

namespace {

db::Param Number(double v) { return std::isfinite(v) ? db::Param(std::to_string(v)) : std::nullopt; }
db::Param Ms(int64_t ms) { return std::to_string(ms); }

// Ids that may have gone since the world was loaded are looked up, not
// trusted: a deleted point must not wedge the round on a foreign key.
constexpr const char* kRaise = R"(
WITH prev AS (SELECT id FROM heat.alarm WHERE rule_code = $1 AND source = $2 ORDER BY id DESC LIMIT 1),
ins AS (
  INSERT INTO heat.alarm (rule_id, rule_code, kind, source, station_id, point_id, device_id, priority,
                          raised_at, value, message, prev_id, chattering)
  VALUES ((SELECT id FROM heat.alarm_rule WHERE id = $3), $1, $4, $2,
          (SELECT id FROM heat.station WHERE id = $5), (SELECT id FROM heat.point WHERE id = $6),
          (SELECT id FROM heat.device WHERE id = $7), $8, to_timestamp($9::double precision / 1000), $10, $11,
          (SELECT id FROM prev), $12)
  ON CONFLICT (rule_code, source) WHERE active DO NOTHING
  RETURNING id)
INSERT INTO heat.alarm_event (alarm_id, what, value, comment)
SELECT id, 'raise', $10, $11 FROM ins
UNION ALL SELECT id, 'chatter', $10, 'three raises within 60 s: further raises are folded into this alarm'
FROM ins WHERE $12
RETURNING alarm_id)";

constexpr const char* kClear = R"(
WITH up AS (UPDATE heat.alarm SET active = false, cleared_at = to_timestamp($3::double precision / 1000)
            WHERE rule_code = $1 AND source = $2 AND active RETURNING id)
INSERT INTO heat.alarm_event (alarm_id, what, value) SELECT id, 'clear', $4 FROM up RETURNING alarm_id)";

constexpr const char* kFold = R"(
WITH up AS (UPDATE heat.alarm SET raises = raises + 1, chattering = true
            WHERE rule_code = $1 AND source = $2 AND active RETURNING id)
INSERT INTO heat.alarm_event (alarm_id, what, value) SELECT id, 'fold', $3 FROM up RETURNING alarm_id)";

}  // namespace

void Writer::SetSuppressed(std::vector<std::pair<int, int64_t>> stations,
                           std::vector<std::pair<int, int64_t>> devices) {
  suppressed_stations_.clear();
  suppressed_devices_.clear();
  for (auto [id, until] : stations) suppressed_stations_[id] = std::max(suppressed_stations_[id], until);
  for (auto [id, until] : devices) suppressed_devices_[id] = std::max(suppressed_devices_[id], until);
}

bool Writer::Suppressed(const alarm::Binding& b, int64_t at_ms) const {
  auto s = suppressed_stations_.find(b.station_id);
  if (b.station_id && s != suppressed_stations_.end() && at_ms < s->second) return true;
  auto d = suppressed_devices_.find(b.device_id);
  return b.device_id && d != suppressed_devices_.end() && at_ms < d->second;
}

Status Writer::Raise(Engine& engine, const Change& c, Written& w) {
  const alarm::Binding& b = engine.bindings()[c.binding];
  if (Suppressed(b, c.at_ms)) {  // undone, so it is raised once the station is back in service
    alarm::CondState& s = engine.state(c.binding);
    s.raised = s.chattering = false;
    std::rotate(s.raises.begin(), s.raises.begin() + 1, s.raises.end());
    s.raises.back() = -1;
    return Status::Ok();
  }
  const alarm::Rule& r = *b.rule;
  auto st = world_.station_codes.find(b.station_id);
  std::string station = st == world_.station_codes.end() ? "" : st->second;
  std::string message = alarm::RenderMessage(r, b.source, station, c.outcome.value, true);
  HEAT_ASSIGN(db::Rows rows, conn_.Query(kRaise, {r.code, b.source, std::to_string(r.id), alarm::KindName(r.kind),
                                                  std::to_string(b.station_id), std::to_string(b.point_id),
                                                  std::to_string(b.device_id), std::to_string(r.priority),
                                                  Ms(c.at_ms), Number(c.outcome.value), message,
                                                  c.outcome.chattering ? "true" : "false"}));
  if (rows.empty()) return Status::Ok();  // already active: nothing new
  ++w.raised;
  w.raised_ids.push_back(rows.get_int(0, 0));
  return conn_.Exec("SELECT heat.alarm_family($1)", {rows.get(0, 0)});
}

Status Writer::Transition(const alarm::Binding& b, const Change& c, Written& w) {
  bool clear = c.outcome.change == alarm::Change::kClear;
  auto rows = clear ? conn_.Query(kClear, {b.rule->code, b.source, Ms(c.at_ms), Number(c.outcome.value)})
                    : conn_.Query(kFold, {b.rule->code, b.source, Number(c.outcome.value)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Status::Ok();  // no active alarm (it was never written: suppressed)
  (clear ? w.cleared : w.folded)++;
  return clear ? conn_.Exec("SELECT heat.alarm_family_clear($1)", {rows->get(0, 0)}) : Status::Ok();
}

Result<Written> Writer::Apply(Engine& engine, const std::vector<Change>& changes) {
  Written w;
  for (const Change& c : changes) {
    Status st = c.outcome.change == alarm::Change::kRaise
                    ? Raise(engine, c, w)
                    : Transition(engine.bindings()[c.binding], c, w);
    if (!st.ok()) return st;
  }
  return w;
}

Status Writer::SaveStates(Engine& engine, const std::vector<size_t>& dirty) {
  if (dirty.empty()) return Status::Ok();
  nlohmann::json rows = nlohmann::json::array();
  for (size_t i : dirty) {
    const alarm::Binding& b = engine.bindings()[i];
    rows.push_back({{"rule", b.rule->id}, {"source", b.source}, {"state", StateObject(engine.state(i))}});
  }
  return conn_.Exec(R"(
    INSERT INTO heat.alarm_state (rule_id, source, state)
    SELECT (e->>'rule')::int, e->>'source', e->'state' FROM jsonb_array_elements($1::jsonb) e
    WHERE EXISTS (SELECT 1 FROM heat.alarm_rule r WHERE r.id = (e->>'rule')::int)
    ON CONFLICT (rule_id, source) DO UPDATE SET state = excluded.state)", {rows.dump()});
}

Status LoadSuppressed(db::Conn& conn, Writer& writer) {
  HEAT_ASSIGN(db::Rows r, conn.Query("SELECT coalesce(station_id, 0), coalesce(device_id, 0),"
                                     " (extract(epoch FROM until) * 1000)::bigint"
                                     " FROM heat.alarm_suppress WHERE until > now()"));
  std::vector<std::pair<int, int64_t>> stations, devices;
  for (int i = 0; i < r.size(); ++i) {
    if (r.get_int(i, 0)) stations.push_back({static_cast<int>(r.get_int(i, 0)), r.get_int(i, 2)});
    else devices.push_back({static_cast<int>(r.get_int(i, 1)), r.get_int(i, 2)});
  }
  writer.SetSuppressed(std::move(stations), std::move(devices));
  return Status::Ok();
}

Result<int> ExpireShelving(db::Conn& conn) {
  HEAT_ASSIGN(db::Rows r, conn.Query(R"(
    WITH up AS (UPDATE heat.alarm SET shelved_until = NULL, shelved_by = NULL
                WHERE shelved_until <= now() RETURNING id)
    INSERT INTO heat.alarm_event (alarm_id, what, comment)
    SELECT id, 'unshelve', 'shelving ran out' FROM up RETURNING alarm_id)"));
  return r.size();
}

}  // namespace heat::alarmd
