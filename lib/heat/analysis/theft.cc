// analysis/theft.cc — scoring houses billed as unheated by what their
// rooms, meters and buildings report.
#include "heat/analysis/theft.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "heat/core/match.h"

namespace heat::analysis {
namespace {

constexpr double kDesignIndoorC = 20;
// A room scoring above this is taken to be heated when the building's
// unmetered heat is shared out: closer to its heated neighbours than to
// the unheated expectation.
constexpr double kRoomHeated = 0.5;

double Round2(double v) { return std::round(v * 100) / 100; }
bool Unheated(const TheftHouse& h) { return h.status == "suspended" || h.status == "disconnected"; }

bool Neighbours(const TheftHouse& a, const TheftHouse& b) {
  if (a.unit != b.unit || a.code == b.code) return false;
  auto [fa, xa] = RoomPosition(a.room);
  auto [fb, xb] = RoomPosition(b.room);
  if (fa == 0 || fb == 0) return true;  // no position: the unit is the neighbourhood
  return (xa == xb && std::abs(fa - fb) == 1) || (fa == fb && std::abs(xa - xb) == 1);
}

// The heated rooms around h: its neighbours', else its building's, else none.
std::vector<const TheftHouse*> HeatedAround(const TheftInput& in, const TheftHouse& h) {
  std::vector<const TheftHouse*> near, building;
  for (const auto& o : in.houses) {
    if (Unheated(o) || !o.room_c) continue;
    if (Neighbours(h, o)) near.push_back(&o);
    else if (!h.building.empty() && o.building == h.building) building.push_back(&o);
  }
  return near.empty() ? building : near;
}

struct Score {
  double value = 0;
  nlohmann::json evidence = nlohmann::json::object();
};

Score RoomScore(const TheftInput& in, const TheftHouse& h, const TheftParams& p) {
  Score s;
  if (!h.room_c) return s;
  auto around = HeatedAround(in, h);
  double warm = kDesignIndoorC;
  nlohmann::json codes = nlohmann::json::array();
  if (!around.empty()) {
    warm = 0;
    for (const auto* o : around) warm += *o->room_c, codes.push_back(o->code);
    warm /= static_cast<double>(around.size());
  }
  double expect = in.outdoor_c + p.unheated_share * (warm - in.outdoor_c);
  double excess = *h.room_c - expect;
  if (excess >= p.min_excess_c) s.value = std::clamp(excess / std::max(warm - expect, 1.0), 0.0, 1.0);
  s.evidence = {{"room_c", Round2(*h.room_c)},     {"outdoor_c", Round2(in.outdoor_c)},
                {"heated_around_c", Round2(warm)}, {"expected_unheated_c", Round2(expect)},
                {"heated_around", codes}};
  return s;
}

Score MeterScore(const TheftInput& in, const TheftHouse& h, const TheftParams& p) {
  Score s;
  if (!h.meter_kwh || h.area_m2 <= 0 || in.days <= 0) return s;
  double per = *h.meter_kwh / h.area_m2 / in.days;
  if (per > p.meter_kwh_m2_day) s.value = 1;
  s.evidence = {{"meter_kwh", Round2(*h.meter_kwh)}, {"kwh_m2_day", Round2(per)}};
  return s;
}

// The building's heat that no household meter counted, shared among its
// unheated houses that have no room sensor to speak for them.
void BuildingScores(const TheftInput& in, const TheftParams& p, const std::map<std::string, double>& room_scores,
                    std::map<std::string, Score>& out) {
  for (const TheftBuilding& b : in.buildings) {
    double metered = 0, heated_kwh = 0, heated_m2 = 0, suspected_m2 = 0, open_m2 = 0;
    std::vector<const TheftHouse*> open;
    bool all_metered = true;
    for (const auto& h : in.houses) {
      if (h.building != b.code) continue;
      if (!h.meter_kwh) all_metered = false;
      metered += h.meter_kwh.value_or(0);
      if (!Unheated(h)) heated_kwh += h.meter_kwh.value_or(0), heated_m2 += h.area_m2;
      else if (h.room_c) suspected_m2 += room_scores.at(h.code) > kRoomHeated ? h.area_m2 : 0;
      else open.push_back(&h), open_m2 += h.area_m2;
    }
    double unmetered = b.meter_kwh - metered;
    if (!all_metered || open.empty() || heated_m2 <= 0 || unmetered <= p.unmetered_share * b.meter_kwh) continue;
    double per_m2 = heated_kwh / heated_m2;
    double rest = unmetered - suspected_m2 * per_m2;
    if (per_m2 <= 0 || rest <= 0) continue;
    for (const auto* h : open) {
      Score s;
      s.value = std::clamp(rest / (open_m2 * per_m2), 0.0, 1.0);
      s.evidence = {{"building", b.code},
                    {"building_kwh", Round2(b.meter_kwh)},
                    {"households_kwh", Round2(metered)},
                    {"unmetered_kwh", Round2(unmetered)},
                    {"explained_by_warm_rooms_kwh", Round2(suspected_m2 * per_m2)},
                    {"heated_kwh_m2", Round2(per_m2)},
                    {"unheated_without_sensor", static_cast<int>(open.size())}};
      out[h->code] = s;
    }
  }
}

}  // namespace

std::pair<int, int> RoomPosition(const std::string& room) {
  if (room.size() < 3 || room.size() > 4 || !IsAsciiDigits(room)) return {0, 0};
  int n = std::stoi(room);
  return n / 100 > 0 && n % 100 > 0 ? std::pair{n / 100, n % 100} : std::pair{0, 0};
}

std::vector<Suspect> ScoreTheft(const TheftInput& in, const TheftParams& p) {
  std::map<std::string, double> room_scores;
  std::map<std::string, Score> rooms, meters, buildings;
  for (const auto& h : in.houses) {
    if (!Unheated(h)) continue;
    rooms[h.code] = RoomScore(in, h, p);
    meters[h.code] = MeterScore(in, h, p);
    room_scores[h.code] = rooms[h.code].value;
  }
  BuildingScores(in, p, room_scores, buildings);
  std::vector<Suspect> out;
  for (const auto& h : in.houses) {
    if (!Unheated(h)) continue;
    Suspect s{h.code, h.status, 0, "", nlohmann::json::object()};
    for (auto [kind, scores] : {std::pair{"room", &rooms}, {"meter", &meters}, {"building", &buildings}}) {
      auto it = scores->find(h.code);
      if (it == scores->end()) continue;
      if (!it->second.evidence.empty()) s.evidence[kind] = it->second.evidence;
      if (it->second.value > s.score) s.score = Round2(it->second.value), s.evidence_kind = kind;
    }
    if (s.score >= p.min_score && s.score > 0) out.push_back(std::move(s));
  }
  std::ranges::sort(out, [](const Suspect& a, const Suspect& b) {
    return a.score != b.score ? a.score > b.score : a.house < b.house;
  });
  return out;
}

}  // namespace heat::analysis
