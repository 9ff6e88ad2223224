// analysis/theft.h — suspected heat theft (ANA-10): houses that billing
// says are not heated (suspended 报停, disconnected 退网) while what their
// sensors and meters report says heat reaches them, ranked by a score in
// [0, 1] with the evidence for it.
//
// Three kinds of evidence, the strongest wins:
//  - room: the house's own room sensor reads warmer than an unheated flat
//    would be. Without heat a flat sits between outdoors and its heated
//    neighbours (same unit, the floors above and below and the flats beside
//    it), at outdoor + unheated_share × (neighbours − outdoor); the score is
//    how far the room is from that towards the neighbours (0 there, 1 at
//    the neighbours' temperature), counted once the room is min_excess_c
//    above it. Without heated neighbours with sensors the building's heated
//    sensors stand in, and without those 20 °C.
//  - meter: the house's own heat meter counted more than meter_kwh_m2_day
//    per m² and day: heat used while billed as unheated (score 1).
//  - building: the building's entry meter counted more than its houses'
//    meters together (more than unmetered_share of it): heat went past the
//    household meters. What the houses whose rooms score above 0.5 would
//    have used (the heated houses' kWh per m²) is taken off; the rest
//    is shared among the building's unheated houses without a room sensor,
//    each scoring rest / (their area × the heated kWh per m²), at most 1.
//    Needs the entry meter and a meter in every house of the building.
// The detector is given what billing, sensors and meters say, never
// whether a flat steals. Pure, deterministic.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "heat/analysis/rules.h"

namespace heat::analysis {

struct TheftHouse {
  std::string code;
  std::string status;    // heating, suspended, disconnected
  std::string unit;      // billing unit key: neighbours share it
  std::string room;      // "301": floor 3, flat 1; other forms: the unit is the neighbourhood
  std::string building;  // the building whose entry meter sees it; "" unknown
  double area_m2 = 0;
  std::optional<double> room_c;     // mean of its room sensor over the window
  std::optional<double> meter_kwh;  // its heat meter's count over the window
};

struct TheftBuilding {
  std::string code;
  double meter_kwh = 0;  // the entry meter's count over the window
};

struct TheftInput {
  std::vector<TheftHouse> houses;
  std::vector<TheftBuilding> buildings;
  double outdoor_c = 0;  // mean over the window
  double days = 1;
};

struct Suspect {
  std::string house, status;
  double score = 0;
  std::string evidence_kind;  // room, meter or building: the one that scored highest
  nlohmann::json evidence;
};

// Suspects scoring at least p.min_score, highest first (ties by code).
std::vector<Suspect> ScoreTheft(const TheftInput& in, const TheftParams& p);

// Floor and flat of a room number ("1502": 15, 2); {0, 0} when not one.
std::pair<int, int> RoomPosition(const std::string& room);

}  // namespace heat::analysis
