// alarmd/engine.cc — bindings and their states, fed by readings and ticks.
#include "heat/alarmd/engine.h"

#include <algorithm>

namespace heat::alarmd {

void Engine::SetRules(std::vector<alarm::Rule> rules, const std::vector<alarm::PointInfo>& points,
                      const std::vector<alarm::DeviceInfo>& devices,
                      const std::map<StateKey, alarm::CondState>& saved) {
  std::map<StateKey, alarm::CondState> kept;
  for (size_t i = 0; i < bindings_.size(); ++i)
    kept.emplace(StateKey{bindings_[i].rule->id, bindings_[i].source}, states_[i]);
  rules_ = std::move(rules);
  bindings_ = alarm::Bind(rules_, points, devices);
  states_.assign(bindings_.size(), alarm::CondState{});
  dirty_.assign(bindings_.size(), 0);
  by_point_.clear(), by_ref_.clear(), by_device_.clear(), valve_by_station_.clear(), point_device_.clear();
  for (const alarm::PointInfo& p : points) point_device_[p.id] = p.device_id;
  for (size_t i = 0; i < bindings_.size(); ++i) {
    const alarm::Binding& b = bindings_[i];
    StateKey key{b.rule->id, b.source};
    if (auto k = kept.find(key); k != kept.end()) states_[i] = k->second;
    else if (auto s = saved.find(key); s != saved.end()) states_[i] = s->second;
    if (b.point_id) by_point_[b.point_id].push_back(i);
    if (b.ref_point_id) by_ref_[b.ref_point_id].push_back(i);
    if (b.rule->kind == alarm::RuleKind::kNotFollowing) {
      if (b.station_id) valve_by_station_[b.station_id].push_back(i);
    } else if (!b.point_id) {
      by_device_[b.device_id].push_back(i);
    }
  }
}

void Engine::StartCommClocks(const std::unordered_map<int32_t, int64_t>& last_seen_ms, int64_t since_ms) {
  for (auto& [device, list] : by_device_)
    for (size_t i : list) {
      if (states_[i].seen_ms >= 0) continue;
      auto seen = last_seen_ms.find(device);
      // Heard from before we started: its silence counts from then; never
      // heard from: from our start (a device that never spoke is lost too).
      states_[i].seen_ms = seen != last_seen_ms.end() ? seen->second : since_ms;
      dirty_[i] = 1;
    }
}

// Runs step on binding i and marks its state: 2 when the condition or the
// alarm changed (persisted with the alarms), else 1 (a value moved on;
// persisted at the next checkpoint).
template <typename Step>
void Engine::Run(size_t i, int64_t at_ms, std::vector<Change>& out, Step step) {
  alarm::CondState& s = states_[i];
  bool cond = s.cond, raised = s.raised;
  alarm::Outcome o = step(bindings_[i], s);
  char level = o.change != alarm::Change::kNone || cond != s.cond || raised != s.raised ? 2 : 1;
  dirty_[i] = std::max(dirty_[i], level);
  if (o.change != alarm::Change::kNone) out.push_back({i, o, at_ms});
}

std::vector<Change> Engine::OnReadings(std::vector<Reading>& readings, int64_t arrived_ms) {
  // In time order: two batches committed in the reverse order of their
  // readings (heatd-ingest's writers race) are evaluated as they happened.
  std::stable_sort(readings.begin(), readings.end(),
                   [](const Reading& a, const Reading& b) { return a.ts_ms < b.ts_ms; });
  std::vector<Change> out;
  std::unordered_map<int32_t, bool> heard;
  for (const Reading& r : readings) {
    if (auto it = by_point_.find(r.point_id); it != by_point_.end())
      for (size_t i : it->second)
        Run(i, r.ts_ms, out, [&](const alarm::Binding& b, alarm::CondState& s) {
          return alarm::OnReading(b, s, false, r.value, r.quality, r.ts_ms);
        });
    if (auto it = by_ref_.find(r.point_id); it != by_ref_.end())
      for (size_t i : it->second)
        Run(i, r.ts_ms, out, [&](const alarm::Binding& b, alarm::CondState& s) {
          return alarm::OnReading(b, s, true, r.value, r.quality, r.ts_ms);
        });
    if (auto d = point_device_.find(r.point_id); d != point_device_.end()) heard[d->second] = true;
  }
  for (const auto& [device, yes] : heard) {
    auto it = by_device_.find(device);
    if (it == by_device_.end()) continue;
    for (size_t i : it->second)
      Run(i, arrived_ms, out, [&](const alarm::Binding& b, alarm::CondState& s) {
        return alarm::OnSeen(b, s, arrived_ms);
      });
  }
  return out;
}

std::vector<Change> Engine::OnTick(int64_t now_ms) {
  std::vector<Change> out;
  for (size_t i = 0; i < bindings_.size(); ++i) {
    alarm::CondState& s = states_[i];
    if (s.cond_since_ms < 0 && s.seen_ms < 0) continue;  // nothing pending, nothing to lose
    Run(i, now_ms, out, [&](const alarm::Binding& b, alarm::CondState& st) { return alarm::OnTick(b, st, now_ms); });
  }
  return out;
}

std::vector<Change> Engine::OnValve(int station_id, bool not_following, int64_t at_ms) {
  std::vector<Change> out;
  auto it = valve_by_station_.find(station_id);
  if (it == valve_by_station_.end()) return out;
  for (size_t i : it->second)
    Run(i, at_ms, out, [&](const alarm::Binding& b, alarm::CondState& s) {
      return alarm::OnReading(b, s, false, not_following ? 1 : 0, 0, at_ms);
    });
  return out;
}

std::vector<int> Engine::ValveStations() const {
  std::vector<int> out;
  for (const auto& [station, list] : valve_by_station_) out.push_back(station);
  return out;
}

std::vector<size_t> Engine::TakeDirty(size_t touched) {
  std::vector<size_t> out;
  for (size_t i = 0; i < dirty_.size(); ++i)
    if (dirty_[i] == 2) out.push_back(i), dirty_[i] = 0;
  for (size_t n = 0; n < dirty_.size() && touched > 0; ++n) {
    size_t i = (checkpoint_at_ + n) % dirty_.size();
    if (dirty_[i] == 1) out.push_back(i), dirty_[i] = 0, --touched;
    if (touched == 0) checkpoint_at_ = i + 1;
  }
  return out;
}

}  // namespace heat::alarmd
