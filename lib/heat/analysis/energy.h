// analysis/energy.h — energy figures of heat sources and stations (ANA-7)
// from station days (api.analysis_station_day): heat per m² per day and
// over the span, heat per m² and heating degree-day, primary flow per
// 10 000 m², make-up water per 10 000 m², electricity per m²; the same for
// a span of last season, and the plan.
//
// Heating degree-days (HDD) of a day: max(0, base − the day's mean outdoor
// temperature), base 18 °C by default; a day without an outdoor
// temperature adds none and is counted in `days_without_outdoor`. A group
// (a source: its stations) is normalised as Σ heat / Σ (area × HDD) over
// its stations, so a station of twice the area weighs twice.
//
// A station without any heat figure in the span (no heat meter, or none
// of its counters stored) is left out of its group's figures, area
// included, and counted in `stations_without_heat`: its area would
// otherwise dilute the per-m² figures of the others.
//
// Units: heat GJ in, MJ out (1 GJ = 1000 MJ); areas m²; flows m³/h;
// water m³; electricity kWh. A counter's unknown day (NULL) adds nothing;
// `heat_days` says how many station days had a heat figure. Pure
// functions, safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "heat/control/types.h"
#include "heat/core/time.h"

namespace heat::analysis {

struct StationDay {
  Date day;
  std::string source, station;
  double area_m2 = 0;
  double heat_gj = control::kUnknown, water_m3 = control::kUnknown, power_kwh = control::kUnknown;
  double plan_heat_gj = control::kUnknown, f1_m3h = control::kUnknown, outdoor_c = control::kUnknown;
};

// max(0, base − outdoor) for a known outdoor temperature, else 0.
double DegreeDays(double outdoor_c, double base_c);

struct EnergyFigures {
  std::string group;       // a source or a station
  int stations = 0, days = 0, heat_days = 0, days_without_outdoor = 0;  // stations: those with heat
  int stations_without_heat = 0;
  double area_m2 = 0;      // the stations' heating area, each counted once
  double heat_gj = 0, water_m3 = 0, power_kwh = 0, plan_heat_gj = 0;
  double degree_days = 0;  // area-weighted mean over the stations
  double heat_mj_m2_day = control::kUnknown;
  double heat_mj_m2 = control::kUnknown;          // over the span (cumulative)
  double heat_kj_m2_dd = control::kUnknown;       // per m² and degree-day
  double f1_m3h_10k_m2 = control::kUnknown;       // mean primary flow per 10 000 m²
  double water_m3_10k_m2 = control::kUnknown;     // over the span
  double power_kwh_m2 = control::kUnknown;        // over the span
  double plan_share = control::kUnknown;          // heat / plan, when a plan is entered
};

// The figures of one group of station days (all of them one group).
EnergyFigures Figures(const std::string& group, const std::vector<StationDay>& days, double base_c);

// Groups by source (by_source) or by station, sorted by name; a station
// without a source is in group "-".
std::vector<EnergyFigures> FiguresBy(bool by_source, const std::vector<StationDay>& days, double base_c);

// This span against another (last season's): the change of heat per m²
// and degree-day in % (weather-normalised), NaN when either is unknown.
double NormalisedChangePct(const EnergyFigures& now, const EnergyFigures& before);

}  // namespace heat::analysis
