// analysis/energy.cc — per-area and per-degree-day energy figures.
#include "heat/analysis/energy.h"

#include <algorithm>
#include <map>
#include <set>

namespace heat::analysis {

using control::Known;

double DegreeDays(double outdoor_c, double base_c) {
  return Known(outdoor_c) ? std::max(0.0, base_c - outdoor_c) : 0;
}

namespace {

struct StationSums {
  double area = 0, f1_sum = 0;
  int f1_days = 0;
};

// Per m² of `area` (0 or less: unknown).
double Per(double v, double area, double scale) { return area > 0 ? v * scale / area : control::kUnknown; }

}  // namespace

EnergyFigures Figures(const std::string& group, const std::vector<StationDay>& days, double base_c) {
  EnergyFigures f;
  f.group = group;
  std::set<std::string> metered, all;
  for (const StationDay& d : days) {
    all.insert(d.station);
    if (Known(d.heat_gj)) metered.insert(d.station);
  }
  f.stations_without_heat = static_cast<int>(all.size() - metered.size());
  std::map<std::string, StationSums> stations;
  std::set<Date> dates;
  double area_dd = 0, heat_for_dd = 0;
  for (const StationDay& d : days) {
    dates.insert(d.day);
    if (!metered.count(d.station)) continue;
    StationSums& s = stations[d.station];
    s.area = d.area_m2;
    if (Known(d.f1_m3h)) s.f1_sum += d.f1_m3h, ++s.f1_days;
    if (Known(d.water_m3)) f.water_m3 += d.water_m3;
    if (Known(d.power_kwh)) f.power_kwh += d.power_kwh;
    if (Known(d.plan_heat_gj)) f.plan_heat_gj += d.plan_heat_gj;
    if (!Known(d.outdoor_c)) ++f.days_without_outdoor;
    if (!Known(d.heat_gj)) continue;
    ++f.heat_days;
    f.heat_gj += d.heat_gj;
    heat_for_dd += d.heat_gj;
    area_dd += d.area_m2 * DegreeDays(d.outdoor_c, base_c);
  }
  f.stations = static_cast<int>(stations.size());
  f.days = static_cast<int>(dates.size());
  double flow = 0, flow_area = 0, dd_area = 0;
  for (const auto& [code, s] : stations) {
    f.area_m2 += s.area;
    if (s.f1_days) flow += s.f1_sum / s.f1_days, flow_area += s.area;
  }
  for (const StationDay& d : days)
    if (metered.count(d.station)) dd_area += d.area_m2 * DegreeDays(d.outdoor_c, base_c);
  f.degree_days = f.area_m2 > 0 ? dd_area / f.area_m2 : control::kUnknown;
  f.heat_mj_m2 = Per(f.heat_gj, f.area_m2, 1000);
  f.heat_mj_m2_day = f.days ? f.heat_mj_m2 / f.days : control::kUnknown;
  f.heat_kj_m2_dd = area_dd > 0 ? heat_for_dd * 1e6 / area_dd : control::kUnknown;
  f.f1_m3h_10k_m2 = Per(flow, flow_area, 10000);
  f.water_m3_10k_m2 = Per(f.water_m3, f.area_m2, 10000);
  f.power_kwh_m2 = Per(f.power_kwh, f.area_m2, 1);
  f.plan_share = f.plan_heat_gj > 0 ? f.heat_gj / f.plan_heat_gj : control::kUnknown;
  return f;
}

std::vector<EnergyFigures> FiguresBy(bool by_source, const std::vector<StationDay>& days, double base_c) {
  std::map<std::string, std::vector<StationDay>> groups;
  for (const StationDay& d : days) groups[by_source ? (d.source.empty() ? "-" : d.source) : d.station].push_back(d);
  std::vector<EnergyFigures> out;
  for (const auto& [name, g] : groups) out.push_back(Figures(name, g, base_c));
  return out;
}

double NormalisedChangePct(const EnergyFigures& now, const EnergyFigures& before) {
  if (!Known(now.heat_kj_m2_dd) || !Known(before.heat_kj_m2_dd) || before.heat_kj_m2_dd <= 0)
    return control::kUnknown;
  return (now.heat_kj_m2_dd / before.heat_kj_m2_dd - 1) * 100;
}

}  // namespace heat::analysis
