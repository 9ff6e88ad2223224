// analysis/rooms.cc — room-temperature groups, flats outside the band,
// daily shares, the station's room figure.
#include "heat/analysis/rooms.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "heat/analysis/precision.h"
#include "heat/control/outdoor.h"

namespace heat::analysis {
namespace {

using GroupKey = std::tuple<std::string, std::string, int>;  // station, building, floor (INT_MAX unknown)
constexpr int kUnknownFloor = 1 << 30;

GroupKey KeyOf(const Sensor& s, RoomLevel level) {
  if (level == RoomLevel::kStation) return {s.station, "", 0};
  if (level == RoomLevel::kBuilding) return {s.station, s.building, 0};
  return {s.station, s.building, s.floor.value_or(kUnknownFloor)};
}

RoomGroup Group(const GroupKey& k, RoomLevel level, const std::set<size_t>& sensors,
                const std::vector<double>& temps, const RoomBand& band) {
  RoomGroup g;
  g.station = std::get<0>(k);
  g.building = std::get<1>(k);
  if (level == RoomLevel::kFloor && std::get<2>(k) != kUnknownFloor) g.floor = std::get<2>(k);
  g.sensors = static_cast<int>(sensors.size());
  g.hours = static_cast<int>(temps.size());
  if (temps.empty()) return g;
  double sum = 0;
  for (double t : temps) {
    sum += t;
    g.hours_below += t < band.low_c;
    g.hours_above += t > band.high_c;
  }
  g.mean = sum / g.hours;
  g.min = *std::min_element(temps.begin(), temps.end());
  g.max = *std::max_element(temps.begin(), temps.end());
  g.p10 = Quantile(temps, 0.1);
  g.p50 = Quantile(temps, 0.5);
  g.p90 = Quantile(temps, 0.9);
  g.share_in_band = static_cast<double>(g.hours - g.hours_below - g.hours_above) / g.hours;
  return g;
}

}  // namespace

std::vector<RoomGroup> Summarise(const std::vector<Sensor>& sensors, const std::vector<RoomHour>& hours,
                                 const RoomBand& band, RoomLevel level) {
  std::map<GroupKey, std::pair<std::set<size_t>, std::vector<double>>> groups;
  for (const RoomHour& h : hours) {
    if (!control::Known(h.temp_c) || h.sensor >= sensors.size()) continue;
    auto& g = groups[KeyOf(sensors[h.sensor], level)];
    g.first.insert(h.sensor);
    g.second.push_back(h.temp_c);
  }
  std::vector<RoomGroup> out;
  for (const auto& [k, g] : groups) out.push_back(Group(k, level, g.first, g.second, band));
  return out;
}

std::vector<FlatOutside> Outside(const std::vector<Sensor>& sensors, const std::vector<RoomHour>& hours,
                                 const RoomBand& band, bool below) {
  std::vector<FlatOutside> per(sensors.size());
  std::vector<double> sum(sensors.size(), 0);
  for (const RoomHour& h : hours) {
    if (!control::Known(h.temp_c) || h.sensor >= sensors.size()) continue;
    FlatOutside& f = per[h.sensor];
    f.sensor = h.sensor;
    ++f.hours;
    sum[h.sensor] += h.temp_c;
    bool out = below ? h.temp_c < band.low_c : h.temp_c > band.high_c;
    f.hours_outside += out;
    if (!control::Known(f.extreme) || (below ? h.temp_c < f.extreme : h.temp_c > f.extreme)) f.extreme = h.temp_c;
  }
  std::vector<FlatOutside> out;
  for (size_t i = 0; i < per.size(); ++i) {
    if (per[i].hours_outside == 0) continue;
    per[i].mean = sum[i] / per[i].hours;
    out.push_back(per[i]);
  }
  std::stable_sort(out.begin(), out.end(), [&](const FlatOutside& a, const FlatOutside& b) {
    return a.hours_outside != b.hours_outside ? a.hours_outside > b.hours_outside
                                              : sensors[a.sensor].code < sensors[b.sensor].code;
  });
  return out;
}

std::vector<DayShare> DailyInBand(const std::vector<Sensor>& sensors, const std::vector<RoomHour>& hours,
                                  const RoomBand& band) {
  // (station, day) -> sensor -> (sum, n)
  std::map<std::pair<std::string, Date>, std::map<size_t, std::pair<double, int>>> days;
  for (const RoomHour& h : hours) {
    if (!control::Known(h.temp_c) || h.sensor >= sensors.size()) continue;
    auto& s = days[{sensors[h.sensor].station, h.day}][h.sensor];
    s.first += h.temp_c;
    ++s.second;
  }
  std::vector<DayShare> out;
  for (const auto& [key, flats] : days) {
    DayShare d{key.first, key.second, 0, 0};
    for (const auto& [sensor, s] : flats) {
      double mean = s.first / s.second;
      ++d.flats;
      d.in_band += mean >= band.low_c && mean <= band.high_c;
    }
    out.push_back(d);
  }
  return out;
}

std::vector<StationRoomHour> StationFigures(const std::vector<Sensor>& sensors, const std::vector<RoomHour>& hours,
                                            const std::map<std::string, control::RoomTarget>& targets) {
  std::map<std::pair<std::string, int64_t>, std::vector<control::RoomReading>> by_hour;
  for (const RoomHour& h : hours)
    if (h.sensor < sensors.size()) by_hour[{sensors[h.sensor].station, h.hour_s}].push_back({h.temp_c, 0, true});
  std::vector<StationRoomHour> out;
  const control::RoomTarget defaults;
  for (const auto& [key, rooms] : by_hour) {
    auto t = targets.find(key.first);
    auto low = control::RoomPercentile(t == targets.end() ? defaults : t->second, rooms);
    if (low) out.push_back({key.first, key.second, *low});
  }
  return out;
}

}  // namespace heat::analysis
