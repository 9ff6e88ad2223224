// sim/comfort.h — how warm the flats of a simulated station were, in the
// terms a heating company is judged by (CTL-3, CTL-4): the share of
// occupied flat-hours within the comfort band, the flat-hours too cold,
// the warmest and coldest room.
//
// Only flats whose heating is on count: a suspended flat is cold by the
// company's decision, and a stealing one is not owed comfort. Each call of
// Tally samples every counted flat's air temperature once and weighs it
// with the step's length, so flat-hours are Σ dt over flats and steps.
// Occupied hours are [occupied_from_min, occupied_to_min) of the local
// day, every day of the week; underheating and the warmest room count at
// every hour, occupied or not.
#pragma once

#include <limits>

#include "heat/sim/physics/station.h"

namespace heat::sim {

struct ComfortBand {
  double low_c = 19.5;         // in band: low_c <= t <= high_c
  double high_c = 22.0;
  double underheated_c = 18;   // below this: underheated
  int occupied_from_min = 6 * 60;
  int occupied_to_min = 23 * 60;
  bool Occupied(int minute_of_day) const {
    return minute_of_day >= occupied_from_min && minute_of_day < occupied_to_min;
  }
};

struct ComfortFigures {
  double flat_h = 0;             // every hour
  double occupied_flat_h = 0;
  double in_band_flat_h = 0;     // occupied and within the band
  double underheated_flat_h = 0; // any hour, below underheated_c
  double room_c_flat_h = 0;      // Σ t·dt, for the mean
  double hours = 0;              // samples' Σ dt
  double spread_c_h = 0;         // Σ (warmest − coldest flat at that moment)·dt
  double warmest_c = -std::numeric_limits<double>::infinity();          // any hour
  double coldest_occupied_c = std::numeric_limits<double>::infinity();  // occupied hours

  double in_band_pct() const { return occupied_flat_h > 0 ? 100 * in_band_flat_h / occupied_flat_h : 0; }
  double mean_room_c() const { return flat_h > 0 ? room_c_flat_h / flat_h : 0; }
  // The mean gap between the warmest and coldest counted flat of a station
  // at one moment: what no strategy acting on the whole station can close.
  double mean_spread_c() const { return hours > 0 ? spread_c_h / hours : 0; }
  // How far the warmest room rose above the band; 0 when it never did.
  double overshoot_c(const ComfortBand& b) const { return warmest_c > b.high_c ? warmest_c - b.high_c : 0; }
  void Merge(const ComfortFigures& o);
};

// Samples the heated flats of s once for a step of dt_s that lies in the
// local minute_of_day (a caller sampling at a step's end passes the
// minute of its middle, so that a step ending at 06:00 is still night).
void Tally(const ComfortBand& band, const physics::Station& s, int minute_of_day, double dt_s,
           ComfortFigures& f);

}  // namespace heat::sim
