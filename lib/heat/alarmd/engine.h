// alarmd/engine.h — heatd-alarm's evaluation, without I/O: the bindings
// of the rules (alarm/rule.h), each with its condition state
// (alarm/condition.h), indexed by the points and devices that feed them.
// Readings and clock ticks go in; changes (raise, fold, clear) come out,
// with the binding they belong to. States that changed are marked dirty,
// so the store can persist them with the alarms they produced.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "heat/alarm/condition.h"
#include "heat/alarm/rule.h"

namespace heat::alarmd {

struct Reading {
  int32_t point_id;
  int64_t ts_ms;
  double value;
  int16_t quality;
};

struct Change {
  size_t binding;  // index into bindings()
  alarm::Outcome outcome;
  int64_t at_ms;   // when it was decided (reading time, or the tick's clock)
};

// A binding's persisted state key: (rule id, source).
struct StateKey {
  int rule_id;
  std::string source;
  bool operator<(const StateKey& o) const { return rule_id != o.rule_id ? rule_id < o.rule_id : source < o.source; }
};

class Engine {
 public:
  // Replaces rules and bindings; states of bindings that remain (same rule
  // id and source) are kept, `saved` (from the database) fills the others.
  // point_device: the device of every point, so that any reading of a
  // device counts as hearing from it (comm_loss).
  void SetRules(std::vector<alarm::Rule> rules, const std::vector<alarm::PointInfo>& points,
                const std::vector<alarm::DeviceInfo>& devices, const std::map<StateKey, alarm::CondState>& saved);

  // Readings that arrived (were committed) by arrived_ms, evaluated in
  // the order of their times (the vector is sorted so, in place); a
  // reading older than the last one evaluated for its point changes nothing.
  std::vector<Change> OnReadings(std::vector<Reading>& readings, int64_t arrived_ms);
  // Device rules (comm_loss) not yet heard from start counting at since_ms.
  void StartCommClocks(const std::unordered_map<int32_t, int64_t>& last_seen_ms, int64_t since_ms);
  std::vector<Change> OnTick(int64_t now_ms);
  // A station's valve follows its command (false) or not (true), as of
  // at_ms: fed to the station's not_following bindings.
  std::vector<Change> OnValve(int station_id, bool not_following, int64_t at_ms);
  // The stations that have a not_following binding.
  std::vector<int> ValveStations() const;

  const std::vector<alarm::Binding>& bindings() const { return bindings_; }
  const std::vector<alarm::Rule>& rules() const { return rules_; }
  alarm::CondState& state(size_t binding) { return states_[binding]; }
  // Indexes of bindings whose condition or alarm changed since they were
  // last taken, and up to `touched` of those whose values merely moved on
  // (a checkpoint spread over rounds, so that no round writes every
  // state at once). After a crash a frozen count or a rate resumes from
  // its last save: a frozen sensor may be raised a few readings late.
  std::vector<size_t> TakeDirty(size_t touched);

 private:
  template <typename Step>
  void Run(size_t i, int64_t at_ms, std::vector<Change>& out, Step step);

  std::vector<alarm::Rule> rules_;
  std::vector<alarm::Binding> bindings_;
  std::vector<alarm::CondState> states_;
  std::vector<char> dirty_;
  size_t checkpoint_at_ = 0;  // where the next TakeDirty looks for touched states
  std::unordered_map<int32_t, std::vector<size_t>> by_point_, by_ref_, by_device_, valve_by_station_;
  std::unordered_map<int32_t, int32_t> point_device_;
};

}  // namespace heat::alarmd
