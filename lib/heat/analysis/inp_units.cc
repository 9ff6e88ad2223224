#include "heat/analysis/inp_units.h"

#include <array>
#include <utility>


namespace heat::analysis::inp {
namespace {

// Flow units per cfs, as EPANET defines them.
constexpr std::array<std::pair<std::string_view, double>, 11> kFlow = {{
    {"CFS", 1.0}, {"GPM", 448.831}, {"MGD", 0.64632}, {"IMGD", 0.5382}, {"AFD", 1.9837},
    {"LPS", 28.317}, {"LPM", 1699.0}, {"MLD", 2.4466}, {"CMH", 101.94}, {"CMD", 2446.6},
    {"CMS", 0.028317},
}};

constexpr std::array<std::string_view, 6> kPressure = {"", "PSI", "KPA", "METERS", "BAR", "FEET"};
constexpr double kPsiPerFt = 0.4333;

std::string Upper(std::string_view s) {
  std::string u(s);
  for (char& c : u) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return u;
}

}  // namespace

double Units::Flow() const { return kM3sPerCfs / kFlow[static_cast<size_t>(flow)].second; }

double Units::Pressure() const {
  PressureUnits p = pressure;
  if (p == PressureUnits::kDefault) p = Si() ? PressureUnits::kMeters : PressureUnits::kPsi;
  double per_ft = 1.0;  // pressure units per ft of head
  switch (p) {
    case PressureUnits::kMeters: return 1.0;
    case PressureUnits::kFeet: return kMPerFt;
    case PressureUnits::kPsi: per_ft = kPsiPerFt * specific_gravity; break;
    case PressureUnits::kKpa: per_ft = 6.895 * kPsiPerFt * specific_gravity; break;
    case PressureUnits::kBar: per_ft = 0.068948 * kPsiPerFt * specific_gravity; break;
    case PressureUnits::kDefault: break;
  }
  return kMPerFt / per_ft;
}

bool ParseFlowUnits(std::string_view word, FlowUnits* out) {
  std::string u = Upper(word);
  for (size_t i = 0; i < kFlow.size(); ++i) {
    if (u == kFlow[i].first) return *out = static_cast<FlowUnits>(i), true;
  }
  return false;
}

bool ParsePressureUnits(std::string_view word, PressureUnits* out) {
  std::string u = Upper(word);
  for (size_t i = 1; i < kPressure.size(); ++i) {
    if (u == kPressure[i]) return *out = static_cast<PressureUnits>(i), true;
  }
  return false;
}

}  // namespace heat::analysis::inp
