// alarmd/store.h — heatd-alarm's database side: the rules and the places
// they bind to, the evaluation states, the reading feed, and the alarms
// with their transitions (sql 0028_alarm.sql).
//
// One evaluation round is one transaction (Round): take feed rows in id
// order, evaluate them, write what they raised or cleared, save the states
// that changed, delete the rows taken, commit. A crash anywhere before the
// commit leaves the rows in the feed and nothing written, so they are
// evaluated again after a restart; after it, they are gone and their
// alarms written. No reading is evaluated twice into an alarm, none is
// skipped. A raise for a rule and source that already has an active alarm
// writes nothing (the unique index alarm_active).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "heat/alarm/rule.h"
#include "heat/alarmd/engine.h"
#include "heat/db/conn.h"

namespace heat::alarmd {

struct CommPeriods {
  double coap_s = 1800, mqtt_s = 60, modbus_s = 60, other_s = 3600;
};

struct World {
  std::vector<alarm::Rule> rules;
  std::vector<alarm::PointInfo> points;
  std::vector<alarm::DeviceInfo> devices;
  std::unordered_map<int, std::string> station_codes;
};

Result<World> LoadWorld(db::Conn& conn, const CommPeriods& periods);
// A text[] as PostgreSQL prints it ({ops,duty}); the elements are codes
// and recipients, which need no quoting.
std::vector<std::string> TextArray(const std::string& pg);
Result<std::map<StateKey, alarm::CondState>> LoadStates(db::Conn& conn);
// Devices' last_seen (heat.device_status), in ms since the epoch.
Result<std::unordered_map<int32_t, int64_t>> LoadLastSeen(db::Conn& conn);
// Whether each station's latest valve command that was applied or found
// not followed is the latter (heatd-control's not_following), by station id.
Result<std::vector<std::pair<int, bool>>> LoadNotFollowing(db::Conn& conn, const std::vector<int>& station_ids);
// Registers heatd-alarm as the feed's consumer (the trigger feeds from then on).
Status RegisterConsumer(db::Conn& conn, const std::string& name);

// The state's JSON form in heat.alarm_state, and back.
nlohmann::json StateObject(const alarm::CondState& s);
Result<alarm::CondState> StateFromJson(const std::string& json);

struct Feed {
  std::vector<int64_t> row_ids;
  std::vector<Reading> readings;
  int64_t arrived_ms = 0;  // the newest row's commit time
};

// Within an open transaction: up to max_rows feed rows, oldest id first,
// of those written at least hold_ms ago (so that a batch whose commit
// overtook an older one's is taken together with it).
Result<Feed> TakeFeed(db::Conn& conn, int max_rows, int hold_ms);
Status DeleteFeed(db::Conn& conn, const std::vector<int64_t>& row_ids);

struct Written {
  int raised = 0, cleared = 0, folded = 0;
  std::vector<int64_t> raised_ids;  // new alarms, for notifying
};

// Within an open transaction: the changes as alarms and transitions, and
// the states of `dirty` bindings. suppressed(station_id, device_id) says
// whether a raise is dropped (out of service); its binding is then left
// unraised so that it raises when the suppression ends.
class Writer {
 public:
  Writer(db::Conn& conn, const World& world) : conn_(conn), world_(world) {}
  Result<Written> Apply(Engine& engine, const std::vector<Change>& changes);
  Status SaveStates(Engine& engine, const std::vector<size_t>& dirty);
  void SetSuppressed(std::vector<std::pair<int, int64_t>> stations, std::vector<std::pair<int, int64_t>> devices);

 private:
  Status Raise(Engine& engine, const Change& c, Written& w);
  Status Transition(const alarm::Binding& b, const Change& c, Written& w);
  bool Suppressed(const alarm::Binding& b, int64_t at_ms) const;

  db::Conn& conn_;
  const World& world_;
  std::unordered_map<int, int64_t> suppressed_stations_, suppressed_devices_;  // id -> until ms
};

// Suppressions in force: (station or device id, until ms).
Status LoadSuppressed(db::Conn& conn, Writer& writer);
// Shelving that has run out ends by itself, logged as an unshelve.
Result<int> ExpireShelving(db::Conn& conn);

}  // namespace heat::alarmd
