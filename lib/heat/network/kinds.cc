#include "heat/network/kinds.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "heat/core/match.h"
#include "heat/core/escape.h"
#include "heat/core/text.h"

namespace heat::network {
namespace {

using T = FieldType;

std::vector<Kind> BuildKinds() {
  const std::vector<const char*> kDeviceKinds = {"control_box", "plc", "room_sensor", "heat_meter",
                                                 "valve", "pump", "electricity_meter", "water_meter"};
  return {
      {"org", "org_units", "org_unit", "org unit",
       {{"name", "name", T::kText, true},
        {"parent", "parent_id", T::kRef, false, "org_unit", {}, nullptr, "the unit above"}},
       {"code", "name", "parent"}},
      {"source", "heat_sources", "heat_source", "heat source",
       {{"name", "name", T::kText, true},
        {"kind", "kind", T::kEnum, false, nullptr, {"chp", "boiler", "heat_pump", "industrial", "other"}, "boiler"},
        {"org", "org_id", T::kRef, true, "org_unit"},
        {"capacity_mw", "capacity_mw", T::kDecimal},
        {"location", "location", T::kLocation},
        {"address", "address", T::kText}},
       {"code", "name", "kind", "org", "capacity_mw"}},
      {"network", "networks", "network", "network",
       {{"name", "name", T::kText, true},
        {"kind", "kind", T::kEnum, true, nullptr, {"primary", "secondary"}},
        {"org", "org_id", T::kRef, true, "org_unit"},
        {"source", "source_id", T::kRef, false, "heat_source"},
        {"headloss", "headloss_formula", T::kEnum, false, nullptr,
         {"darcy_weisbach", "hazen_williams", "chezy_manning"}, "darcy_weisbach",
         "pipe friction of its hydraulic model (pipe_links' roughness: mm, C or n)"}},
       {"code", "name", "kind", "org", "source"}},
      {"station", "stations", "station", "station",
       {{"name", "name", T::kText, true},
        {"org", "org_id", T::kRef, true, "org_unit"},
        {"network", "network_id", T::kRef, false, "network"},
        {"process_type", "process_type", T::kEnum, false, nullptr,
         {"plate_hx", "mixing", "direct", "unit_hx", "boiler"}, "plate_hx"},
        {"heating_area_m2", "heating_area_m2", T::kDecimal, false, nullptr, {}, "0"},
        {"design_supply_c", "design_supply_c", T::kDecimal, false, nullptr, {}, nullptr, "", 1},
        {"design_return_c", "design_return_c", T::kDecimal, false, nullptr, {}, nullptr, "", 1},
        {"design_flow_m3h", "design_flow_m3h", T::kDecimal},
        {"location", "location", T::kLocation},
        {"address", "address", T::kText}},
       {"code", "name", "org", "network", "process_type", "heating_area_m2"}},
      {"building", "buildings", "building", "building",
       {{"name", "name", T::kText, true},
        {"station", "station_id", T::kRef, true, "station"},
        {"area_m2", "area_m2", T::kDecimal, false, nullptr, {}, "0"},
        {"floors", "floors", T::kInt},
        {"year_built", "year_built", T::kInt},
        {"location", "location", T::kLocation},
        {"address", "address", T::kText}},
       {"code", "name", "station", "area_m2", "floors"}},
      {"register-map", "register_maps", "register_map", "register map",
       {{"name", "name", T::kText, true},
        {"vendor", "vendor", T::kText},
        {"model", "model", T::kText},
        {"body", "body", T::kJson, false, nullptr, {}, "{}"}},
       {"code", "name", "vendor", "model"}},
      {"device", "devices", "device", "device",
       {{"name", "name", T::kText, true},
        {"kind", "kind", T::kEnum, true, nullptr, kDeviceKinds},
        {"protocol", "protocol", T::kEnum, true, nullptr,
         {"coap", "mqtt", "modbus_tcp", "mbus", "cjt188", "manual"}},
        {"address", "address", T::kText},
        {"station", "station_id", T::kRef, false, "station"},
        {"building", "building_id", T::kRef, false, "building"},
        {"register_map", "register_map_id", T::kRef, false, "register_map"},
        {"vendor", "vendor", T::kText},
        {"model", "model", T::kText},
        {"settings", "settings", T::kJson, false, nullptr, {}, "{}", "", 2, "heat.device_settings(t.id)::text"}},
       {"code", "name", "kind", "protocol", "station", "building"}},
      {"point", "points", "point", "point",
       {{"device", "device_id", T::kRef, true, "device"},
        {"tag", "tag", T::kCode, true},
        {"name", "name", T::kText},
        {"unit", "unit", T::kText},
        {"kind", "kind", T::kEnum, false, nullptr, {"analog", "digital", "counter", "setpoint", "status"}, "analog"},
        {"range_lo", "range_lo", T::kDouble},
        {"range_hi", "range_hi", T::kDouble},
        {"scale", "scale", T::kDouble, false, nullptr, {}, "1"},
        {"offset", "value_offset", T::kDouble, false, nullptr, {}, "0"}},
       {"code", "device", "tag", "unit", "kind", "name"}},
  };
}

// Decimal text -> canonical: no leading '+', no trailing zeros, no "-0".
// More decimal places than the column keeps are refused rather than
// silently rounded by the database.
Result<std::string> CanonDecimal(const std::string& s, int decimals) {
  static const std::regex re(R"(^-?\d{1,15}(\.\d+)?$)");
  if (!BoundedMatch(s, re)) return Status::Usage("expected a number, got '" + s + "'");
  auto dot = s.find('.');
  if (dot != std::string::npos) {
    size_t last = s.find_last_not_of('0');
    if (static_cast<int>(last - dot) > decimals)
      return Status::Usage("at most " + std::to_string(decimals) + " decimal places, got '" + s + "'");
  }
  std::string out = s;
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  size_t neg = out[0] == '-' ? 1 : 0;
  while (out.size() > neg + 1 && out[neg] == '0' && out[neg + 1] != '.') out.erase(neg, 1);
  if (out == "-0") out = "0";
  return out;
}

Result<std::string> CanonDouble(const std::string& s) {
  const char* b = s.data();
  double d = 0;
  auto [p, ec] = std::from_chars(b, b + s.size(), d);
  if (ec != std::errc() || p != b + s.size() || !std::isfinite(d))
    return Status::Usage("expected a number, got '" + s + "'");
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d == 0 ? 0.0 : d);
  return std::string(buf, r.ptr);
}

Result<std::string> CanonLocation(const std::string& s) {
  auto comma = s.find(',');
  if (comma == std::string::npos)
    return Status::Usage("expected lon,lat (e.g. 87.6168,43.8256), got '" + s + "'");
  auto lon = CanonDouble(s.substr(0, comma));
  auto lat = CanonDouble(s.substr(comma + 1));
  if (!lon.ok() || !lat.ok() || std::abs(std::stod(*lon)) > 180 || std::abs(std::stod(*lat)) > 90)
    return Status::Usage("expected lon,lat in degrees (lon -180..180, lat -90..90), got '" + s + "'");
  return *lon + "," + *lat;
}

Result<std::string> CanonJson(const std::string& s) {
  auto j = nlohmann::json::parse(s, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::Usage("expected a JSON object, got '" + s + "'");
  return j.dump();
}

Result<std::string> CanonInt(const std::string& s) {
  static const std::regex re(R"(^-?\d{1,9}$)");
  if (!BoundedMatch(s, re)) return Status::Usage("expected a whole number, got '" + s + "'");
  return std::to_string(std::stol(s));
}

Result<std::string> CanonCode(const std::string& s) {
  static const std::regex re(R"(^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$)");
  if (!BoundedMatch(s, re))
    return Status::Usage("'" + s + "' is not a valid code (letters, digits, _ . -; up to 96)");
  return s;
}

}  // namespace

const std::vector<Kind>& Kinds() {
  static const std::vector<Kind> kinds = BuildKinds();
  return kinds;
}

const Kind* FindKind(std::string_view name) {
  for (const auto& k : Kinds())
    if (name == k.name || name == k.plural || name == k.table) return &k;
  return nullptr;
}

const Field* FindField(const Kind& kind, std::string_view key) {
  for (const auto& f : kind.fields)
    if (key == f.key) return &f;
  return nullptr;
}

Result<Value> Canonical(const Field& field, const Value& raw) {
  if (!raw || raw->empty()) {
    if (field.required) return Status::Usage(std::string(field.key) + ": a value is required");
    return Value(field.default_value ? Value(field.default_value) : std::nullopt);
  }
  const std::string& s = *raw;
  if (!IsValidUtf8(s)) return Status::Usage(std::string(field.key) + ": not valid UTF-8");
  if (field.type != T::kJson && FirstControl(s) != std::string::npos)
    return Status::Usage(std::string(field.key) + ": control characters are not allowed");
  Result<std::string> out = s;
  switch (field.type) {
    case T::kText: case T::kRef: break;
    case T::kCode: out = CanonCode(s); break;
    case T::kInt: out = CanonInt(s); break;
    case T::kDecimal: out = CanonDecimal(s, field.decimals); break;
    case T::kDouble: out = CanonDouble(s); break;
    case T::kLocation: out = CanonLocation(s); break;
    case T::kJson: out = CanonJson(s); break;
    case T::kEnum: {
      bool ok = false;
      std::string all;
      for (const char* c : field.choices) {
        ok = ok || s == c;
        all += (all.empty() ? "" : ", ") + std::string(c);
      }
      if (!ok) out = Status::Usage("expected one of " + all + ", got '" + s + "'");
      break;
    }
  }
  if (!out.ok()) return out.status().With(field.key);
  return Value(*out);
}

std::string ListSql(const Kind& kind) {
  std::string sql = "SELECT t.code";
  for (const auto& f : kind.fields) {
    std::string col = std::string("t.") + f.column;
    std::string expr;
    switch (f.type) {
      case T::kRef: {
        const Kind* ref = FindKind(f.ref_kind);
        expr = std::string("(SELECT r.code FROM heat.") + ref->table + " r WHERE r.id = " + col + ")";
        break;
      }
      case T::kDecimal: expr = "trim_scale(" + col + ")::text"; break;
      case T::kLocation:
        expr = "CASE WHEN " + col + " IS NOT NULL THEN ST_X(" + col + ")::text || ',' || ST_Y(" + col + ")::text END";
        break;
      default: expr = col + "::text";
    }
    if (f.read_sql) expr = f.read_sql;
    sql += ", " + expr + " AS " + f.key;
  }
  return sql + " FROM heat." + kind.table + " t";
}

}  // namespace heat::network
