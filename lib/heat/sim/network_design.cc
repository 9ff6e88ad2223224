// sim/network_design.cc — station designs from a network file.
#include "heat/sim/network_design.h"

#include <cmath>
#include <map>

namespace heat::sim {

namespace {

const network::Section* SectionOf(const network::Document& doc, const char* plural) {
  for (const auto& s : doc.sections)
    if (std::string(s.kind->plural) == plural) return &s;
  return nullptr;
}

// The stated number for key, or nullopt when absent or null.
Result<std::optional<double>> Number(const network::Values& v, const char* key) {
  auto it = v.find(key);
  if (it == v.end() || !it->second) return std::optional<double>();
  char* end = nullptr;
  double x = std::strtod(it->second->c_str(), &end);
  if (end == it->second->c_str() || *end != '\0' || !std::isfinite(x))
    return Status::Usage(std::string(key) + ": '" + *it->second + "' is not a number");
  return std::optional<double>(x);
}

std::string Text(const network::Values& v, const char* key) {
  auto it = v.find(key);
  return it == v.end() || !it->second ? std::string() : *it->second;
}

std::map<std::string, int> BuildingsPerStation(const network::Document& doc) {
  std::map<std::string, int> n;
  if (const network::Section* s = SectionOf(doc, "buildings"))
    for (const auto& item : s->items) ++n[Text(item.values, "station")];
  return n;
}

Result<physics::StationDesign> DesignOf(const network::Item& item, int buildings) {
  physics::StationDesign d;
  d.code = Text(item.values, "code");
  d.seed = SeedOf(d.code);
  if (buildings > 0) d.buildings = buildings;
  HEAT_ASSIGN(auto area, Number(item.values, "heating_area_m2"));
  if (!area || !(*area > 0)) return Status::Usage("heating_area_m2 must be given and positive");
  d.area_m2 = *area;
  HEAT_ASSIGN(auto supply, Number(item.values, "design_supply_c"));
  HEAT_ASSIGN(auto ret, Number(item.values, "design_return_c"));
  if (supply) d.primary_supply_c = *supply;
  if (ret) d.primary_return_c = *ret;
  return d;
}

}  // namespace

uint64_t SeedOf(const std::string& code) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : code) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

Result<std::vector<physics::StationDesign>> NetworkDesigns(const network::Document& doc) {
  std::vector<physics::StationDesign> out;
  const network::Section* stations = SectionOf(doc, "stations");
  if (!stations) return out;
  std::map<std::string, int> buildings = BuildingsPerStation(doc);
  for (const auto& item : stations->items) {
    auto d = DesignOf(item, buildings[Text(item.values, "code")]);
    if (!d.ok()) return d.status().With(doc.Where(item));
    out.push_back(std::move(d).value());
  }
  return out;
}

}  // namespace heat::sim
