// alarm/rule_fields.cc — a rule's words into heat.alarm_rule_set's columns.
#include "heat/alarm/rule_fields.h"

#include <cmath>
#include <cstdlib>
#include <regex>

#include "heat/alarm/rule.h"
#include "heat/core/match.h"

namespace heat::alarm {

namespace {

using nlohmann::json;

Result<double> Number(const std::string& key, const std::string& v) {
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || !std::isfinite(d))
    return Status::Usage(key + ": expected a number, got '" + v + "'");
  return d;
}

// Up to six digits, with s, m or h for seconds, minutes, hours (units:
// whether a suffix is allowed at all).
Result<int64_t> Whole(const std::string& key, const std::string& v, bool units) {
  static const std::regex re(R"(^(\d{1,6})([smh]?)$)");
  std::smatch m;
  if (!BoundedMatch(v, m, re) || (!units && m[2].length() > 0))
    return Status::Usage(key + (units ? ": expected seconds or Ns, Nm, Nh, got '" : ": expected a whole number, got '") +
                         v + "'");
  int64_t n = std::stoll(m[1].str());
  return m[2] == "m" ? n * 60 : m[2] == "h" ? n * 3600 : n;
}

json List(const std::string& v) {
  json a = json::array();
  for (size_t at = 0; at <= v.size();) {
    size_t comma = v.find(',', at);
    std::string item = v.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    if (!item.empty()) a.push_back(item);
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  return a;
}

}  // namespace

Result<Attachment> ParseAttachment(const std::string& text) {
  if (text.empty() || text == "all") return Attachment{};
  auto colon = text.find(':');
  std::string level = text.substr(0, colon);
  auto parsed = ParseAttach(level);
  if (colon == std::string::npos || colon + 1 == text.size() || !parsed.ok() || *parsed == Attach::kAll)
    return Status::Usage("attach: all or LEVEL:WHAT (station:S01, network:N1, process_type:plate_hx, "
                         "device_kind:room_sensor, point:S01.t2s), got '" + text + "'");
  return Attachment{level, text.substr(colon + 1)};
}

Status AddRuleField(const std::string& key, const std::string& v, json& body) {
  if (key == "kind") {
    HEAT_TRY(ParseKind(v).status().With(key));
    body[key] = v;
  } else if (key == "tag" || key == "ref_tag" || key == "message_zh" || key == "message_en") {
    body[key] = v;
  } else if (key == "limit" || key == "deadband") {
    HEAT_ASSIGN(double d, Number(key, v));
    body[key == "limit" ? "limit_value" : "deadband"] = d;
  } else if (key == "on_delay" || key == "off_delay") {
    HEAT_ASSIGN(int64_t s, Whole(key, v, true));
    body[key + "_s"] = s;
  } else if (key == "count" || key == "priority") {
    HEAT_ASSIGN(int64_t n, Whole(key, v, false));
    body[key] = n;
  } else if (key == "notify") {
    body[key] = List(v);
  } else if (key == "enabled") {
    if (v != "true" && v != "false") return Status::Usage("enabled: expected true or false, got '" + v + "'");
    body[key] = v == "true";
  } else {
    return Status::Usage("unknown rule key '" + key + "' (kind, tag, ref_tag, limit, deadband, on_delay, "
                         "off_delay, count, priority, message_zh, message_en, notify, enabled)");
  }
  return Status::Ok();
}

}  // namespace heat::alarm
