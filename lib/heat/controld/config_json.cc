#include "heat/controld/config_json.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "heat/core/text.h"

namespace heat::controld {
namespace {

using control::StationConfig;
using nlohmann::json;

// "curve.slope" -> "/curve/slope"
json::json_pointer Pointer(const std::string& key) {
  std::string p = "/" + key;
  std::replace(p.begin(), p.end(), '.', '/');
  return json::json_pointer(p);
}

// The numeric keys of `config` and their fields: one table serves the
// parser, the writer and the list of keys.
std::vector<std::pair<std::string, double*>> ConfigNumbers(StationConfig& c) {
  return {
      {"supply_c", &c.supply_c}, {"return_c", &c.return_c}, {"flow_m3h", &c.flow_m3h},
      {"pump_hz", &c.pump_hz}, {"dp_kpa", &c.dp_kpa}, {"room_c", &c.room_c},
      {"setpoint_rate_c_per_h", &c.setpoint_rate_c_per_h}, {"valve_running_time_s", &c.valve_running_time_s},
      {"curve.slope", &c.curve.slope}, {"curve.parallel_c", &c.curve.parallel_c},
      {"curve.room_ref_c", &c.curve.room_ref_c}, {"curve.min_supply_c", &c.curve.min_supply_c},
      {"curve.max_supply_c", &c.curve.max_supply_c},
      {"limitation.return_limit_c", &c.limitation.return_limit_c}, {"limitation.return_gain", &c.limitation.return_gain},
      {"limitation.flow_limit_m3h", &c.limitation.flow_limit_m3h},
      {"limitation.power_limit_kw", &c.limitation.power_limit_kw},
      {"limitation.excess_gain", &c.limitation.excess_gain}, {"limitation.adapt_time_s", &c.limitation.adapt_time_s},
      {"schedule.day_room_c", &c.schedule.day_room_c}, {"schedule.night_room_c", &c.schedule.night_room_c},
      {"schedule.ramp_c_per_h", &c.schedule.ramp_c_per_h}, {"schedule.opt_min_per_k", &c.schedule.opt_min_per_k},
      {"schedule.opt_max_h", &c.schedule.opt_max_h},
      {"composite.building_tau_h", &c.composite.building_tau_h}, {"composite.wind_c_per_ms", &c.composite.wind_c_per_ms},
      {"composite.wind_ref_ms", &c.composite.wind_ref_ms}, {"composite.solar_c_per_wm2", &c.composite.solar_c_per_wm2},
      {"room.percentile", &c.room.percentile}, {"room.max_age_s", &c.room.max_age_s},
      {"room.plausible_min_c", &c.room.plausible_min_c}, {"room.plausible_max_c", &c.room.plausible_max_c},
      {"room.kp", &c.room.kp}, {"room.ti_s", &c.room.ti_s}, {"room.max_correction_c", &c.room.max_correction_c},
      {"room.forecast_weight", &c.room.forecast_weight},
      {"valve_pi.kp", &c.valve_pi.kp}, {"valve_pi.ti_s", &c.valve_pi.ti_s},
      {"valve_pi.neutral_zone", &c.valve_pi.neutral_zone}, {"valve_pi.rate_per_s", &c.valve_pi.rate_per_s},
      {"pump_pi.kp", &c.pump_pi.kp}, {"pump_pi.ti_s", &c.pump_pi.ti_s},
      {"pump_pi.neutral_zone", &c.pump_pi.neutral_zone}, {"pump_pi.rate_per_s", &c.pump_pi.rate_per_s},
  };
}

std::vector<std::pair<std::string, double*>> LimitNumbers(StationConfig& c) {
  auto& l = c.limits;
  return {{"max_supply_c", &l.max_supply_c}, {"max_dp_kpa", &l.max_dp_kpa},
          {"freeze_return_c", &l.freeze_return_c}, {"freeze_valve_pct", &l.freeze_valve_pct},
          {"pump_min_hz", &l.pump_min_hz}, {"pump_max_hz", &l.pump_max_hz}};
}

const std::vector<std::pair<const char*, control::ValveStrategy>> kValve = {
    {"constant_supply", control::ValveStrategy::kConstantSupply},
    {"constant_return", control::ValveStrategy::kConstantReturn},
    {"constant_flow", control::ValveStrategy::kConstantFlow},
    {"outdoor_compensation", control::ValveStrategy::kOutdoorCompensation},
    {"room_target", control::ValveStrategy::kRoomTarget}};
const std::vector<std::pair<const char*, control::PumpStrategy>> kPump = {
    {"fixed_hz", control::PumpStrategy::kFixedHz}, {"constant_dp", control::PumpStrategy::kConstantDp}};

// The keys that are not plain numbers.
const std::vector<std::string> kOtherKeys = {"valve", "pump", "curve.points", "schedule.enabled",
                                             "schedule.weekday", "schedule.weekend", "schedule.holidays",
                                             "schedule.optimise_start", "room.min_sensors"};

template <typename E>
Result<E> Choice(const json& v, const std::string& key, const std::vector<std::pair<const char*, E>>& table) {
  std::string names;
  for (const auto& [name, e] : table) {
    if (v.is_string() && v.get<std::string>() == name) return e;
    names += (names.empty() ? "" : ", ") + std::string(name);
  }
  return Status::Usage(key + ": expected one of " + names + ", got " + v.dump());
}

template <typename E>
std::string NameOf(E e, const std::vector<std::pair<const char*, E>>& table) {
  for (const auto& [name, x] : table)
    if (x == e) return name;
  return "";
}

// "06:00-22:00" -> a period in minutes after midnight.
Result<control::Period> ParsePeriod(const json& v, const std::string& key) {
  int h1, m1, h2, m2;
  char tail;
  if (!v.is_string() || std::sscanf(v.get<std::string>().c_str(), "%2d:%2d-%2d:%2d%c", &h1, &m1, &h2, &m2, &tail) != 4 ||
      h1 > 24 || h2 > 24 || m1 > 59 || m2 > 59)
    return Status::Usage(key + ": expected periods like \"06:00-22:00\", got " + v.dump());
  return control::Period{h1 * 60 + m1, h2 * 60 + m2};
}

std::string FormatPeriod(const control::Period& p) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%02d:%02d-%02d:%02d", p.start_min / 60, p.start_min % 60, p.end_min / 60,
                p.end_min % 60);
  return buf;
}

Status ParsePeriods(const json& v, const std::string& key, std::vector<control::Period>& out) {
  if (!v.is_array()) return Status::Usage(key + ": expected a list of periods");
  out.clear();
  for (const auto& p : v) {
    HEAT_ASSIGN(control::Period period, ParsePeriod(p, key));
    out.push_back(period);
  }
  return Status::Ok();
}

Status ParsePoints(const json& v, std::vector<std::pair<double, double>>& out) {
  if (!v.is_array()) return Status::Usage("curve.points: expected [[outdoor, supply], ...]");
  out.clear();
  for (const auto& p : v) {
    if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number())
      return Status::Usage("curve.points: expected [[outdoor, supply], ...], got " + p.dump());
    out.emplace_back(p[0].get<double>(), p[1].get<double>());
  }
  return Status::Ok();
}

Status ParseBool(const json& v, const std::string& key, bool& out) {
  if (!v.is_boolean()) return Status::Usage(key + ": expected true or false, got " + v.dump());
  out = v.get<bool>();
  return Status::Ok();
}

Status ParseOther(const std::string& key, const json& v, StationConfig& c) {
  if (key == "valve") {
    HEAT_ASSIGN(c.valve, Choice(v, key, kValve));
    return Status::Ok();
  }
  if (key == "pump") {
    HEAT_ASSIGN(c.pump, Choice(v, key, kPump));
    return Status::Ok();
  }
  if (key == "curve.points") return ParsePoints(v, c.curve.points);
  if (key == "schedule.enabled") return ParseBool(v, key, c.schedule.enabled);
  if (key == "schedule.optimise_start") return ParseBool(v, key, c.schedule.optimise_start);
  if (key == "schedule.weekday") return ParsePeriods(v, key, c.schedule.weekday);
  if (key == "schedule.weekend") return ParsePeriods(v, key, c.schedule.weekend);
  if (key == "room.min_sensors") {
    if (!v.is_number_integer()) return Status::Usage(key + ": expected a whole number, got " + v.dump());
    c.room.min_sensors = v.get<int>();
    return Status::Ok();
  }
  // schedule.holidays
  if (!v.is_array()) return Status::Usage(key + ": expected a list of dates");
  c.schedule.holidays.clear();
  for (const auto& d : v) {
    auto date = d.is_string() ? ParseDate(d.get<std::string>()) : Status::Usage("not a string");
    if (!date.ok()) return Status::Usage(key + ": expected dates like \"2027-01-01\", got " + d.dump());
    c.schedule.holidays.push_back(*date);
  }
  return Status::Ok();
}

// Walks one JSON object, flattening nested objects into "a.b" keys.
Status Walk(const json& j, const std::string& prefix, std::map<std::string, const json*>& out) {
  if (!j.is_object()) return Status::Usage((prefix.empty() ? "configuration" : prefix) + ": expected an object");
  for (const auto& [k, v] : j.items()) {
    std::string key = prefix.empty() ? k : prefix + "." + k;
    bool nested = v.is_object() && prefix.empty() && k != "valve" && k != "pump";
    if (nested) HEAT_TRY(Walk(v, key, out));
    else out[key] = &v;
  }
  return Status::Ok();
}

Status Apply(const json& j, std::vector<std::pair<std::string, double*>> numbers,
             const std::vector<std::string>& others, const std::string& what, StationConfig& c) {
  std::map<std::string, const json*> flat;
  HEAT_TRY(Walk(j, "", flat).With(what));
  std::vector<std::string> known = others;
  for (const auto& n : numbers) known.push_back(n.first);
  for (const auto& [name, v] : flat) {
    const std::string& key = name;  // clang 14 cannot capture a structured binding in a lambda
    auto it = std::find_if(numbers.begin(), numbers.end(), [&](const auto& n) { return n.first == key; });
    if (it != numbers.end()) {
      if (!v->is_number()) return Status::Usage(what + ": " + key + ": expected a number, got " + v->dump());
      *it->second = v->get<double>();
    } else if (std::find(others.begin(), others.end(), key) != others.end()) {
      HEAT_TRY(ParseOther(key, *v, c).With(what));
    } else {
      auto s = Suggest(key, known);
      return Status::Usage(what + ": " + key + ": unknown key" + (s.empty() ? "" : " (did you mean " + s[0] + "?)"));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<StationConfig> ParseStationConfig(const json& config, const json& limits) {
  StationConfig c;
  HEAT_TRY(Apply(config, ConfigNumbers(c), kOtherKeys, "control config", c));
  HEAT_TRY(Apply(limits, LimitNumbers(c), {}, "control limits", c));
  HEAT_TRY(control::Validate(c));
  return c;
}

json StationConfigJson(const StationConfig& in) {
  StationConfig c = in;
  json config = json::object(), limits = json::object();
  for (const auto& [key, v] : ConfigNumbers(c)) config[Pointer(key)] = *v;
  for (const auto& [key, v] : LimitNumbers(c)) limits[key] = *v;
  config["valve"] = NameOf(c.valve, kValve);
  config["pump"] = NameOf(c.pump, kPump);
  config["curve"]["points"] = c.curve.points;
  config["schedule"]["enabled"] = c.schedule.enabled;
  config["schedule"]["optimise_start"] = c.schedule.optimise_start;
  for (const char* day : {"weekday", "weekend"}) {
    auto& periods = std::string(day) == "weekday" ? c.schedule.weekday : c.schedule.weekend;
    config["schedule"][day] = json::array();
    for (const auto& p : periods) config["schedule"][day].push_back(FormatPeriod(p));
  }
  config["schedule"]["holidays"] = json::array();
  for (const auto& d : c.schedule.holidays) config["schedule"]["holidays"].push_back(FormatDate(d));
  config["room"]["min_sensors"] = c.room.min_sensors;
  return {{"config", config}, {"limits", limits}};
}

std::vector<std::string> ConfigKeys() {
  StationConfig c;
  json all = StationConfigJson(c);
  std::vector<std::string> out;
  for (const auto& [key, v] : ConfigNumbers(c)) out.push_back("config." + key + "  " + all["config"][Pointer(key)].dump());
  for (const auto& key : kOtherKeys) out.push_back("config." + key + "  " + all["config"][Pointer(key)].dump());
  for (const auto& [key, v] : LimitNumbers(c)) out.push_back("limits." + key + "  " + all["limits"][key].dump());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace heat::controld
