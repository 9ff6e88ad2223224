// network/yaml_alarm_rules.cc — the alarm_rules section of the network
// file (ALM-3): rules travel with the base information they watch.
//
//   alarm_rules:
//     - {code: t2s_high, kind: high, tag: t2s, limit: 92, deadband: 2, on_delay: 2m, priority: 2}
//     - {code: t2s_high, attach: "station:S14", limit: 85}
//
// `attach` is "all" (the default) or LEVEL:WHAT as heatctl alarm rule set
// takes it; a rule is one code at one attachment. Other keys: kind, tag,
// ref_tag, limit, deadband, on_delay and off_delay (seconds, or 30s, 5m,
// 1h), count, priority, message_zh, message_en, notify (a list), enabled.
// Written through heat.alarm_rule_set, which checks the role and scope and
// logs; a rule whose stated keys already hold their values is unchanged.
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <regex>

#include "heat/core/match.h"
#include "heat/network/yaml_io.h"

namespace heat::network {

namespace {

using nlohmann::json;

const std::vector<std::string> kLevels = {"network", "process_type", "device_kind", "station", "point"};

// "30s", "5m", "1h" or plain seconds.
std::optional<int64_t> Seconds(const std::string& v) {
  static const std::regex re(R"(^(\d{1,6})([smh]?)$)");
  std::smatch m;
  if (!BoundedMatch(v, m, re)) return std::nullopt;
  int64_t n = std::stoll(m[1].str());
  return m[2] == "m" ? n * 60 : m[2] == "h" ? n * 3600 : n;
}

// One key of a rule into body (the columns heat.alarm_rule_set takes);
// an error message when the value is wrong.
std::string RuleKey(const std::string& key, const YAML::Node& v, json& body) {
  if (!v.IsScalar() && key != "notify") return "expected a value";
  if (key == "kind" || key == "tag" || key == "ref_tag" || key == "message_zh" || key == "message_en") {
    body[key] = v.Scalar();
  } else if (key == "limit" || key == "deadband") {
    char* end = nullptr;
    double d = std::strtod(v.Scalar().c_str(), &end);
    if (v.Scalar().empty() || *end || !std::isfinite(d)) return "expected a number, got '" + v.Scalar() + "'";
    body[key == "limit" ? "limit_value" : "deadband"] = d;
  } else if (key == "on_delay" || key == "off_delay") {
    auto s = Seconds(v.Scalar());
    if (!s) return "expected seconds or Ns, Nm, Nh, got '" + v.Scalar() + "'";
    body[key + "_s"] = *s;
  } else if (key == "count" || key == "priority") {
    auto s = Seconds(v.Scalar());
    if (!s || v.Scalar().find_first_not_of("0123456789") != std::string::npos)
      return "expected a whole number, got '" + v.Scalar() + "'";
    body[key] = *s;
  } else if (key == "notify") {
    json list = json::array();
    if (v.IsSequence()) {
      for (const auto& x : v) list.push_back(x.Scalar());
    } else if (!v.IsNull()) {
      list.push_back(v.Scalar());
    }
    body[key] = list;
  } else if (key == "enabled") {
    if (v.Scalar() != "true" && v.Scalar() != "false") return "expected true or false";
    body[key] = v.Scalar() == "true";
  } else {
    return "unknown key '" + key + "' (kind, tag, ref_tag, limit, deadband, on_delay, off_delay, count, "
           "priority, message_zh, message_en, notify, enabled)";
  }
  return "";
}

}  // namespace

void ParseAlarmRules(const YAML::Node& list, Document& doc,
                     const std::function<void(int, const std::string&, const std::string&)>& error) {
  doc.alarm_rules_present = true;
  if (list.IsNull()) return;
  if (!list.IsSequence()) return error(list.Mark().line + 1, "alarm_rules", "expected a list of rules");
  for (size_t i = 0; i < list.size(); ++i) {
    const YAML::Node& n = list[i];
    AlarmRuleItem r;
    r.line = n.Mark().line + 1;
    r.where = "alarm_rules[" + std::to_string(i) + "]";
    if (!n.IsMap()) {
      error(r.line, r.where, "expected a mapping");
      continue;
    }
    bool ok = true;
    if (n["code"] && n["code"].IsScalar()) r.code = n["code"].Scalar();
    if (!r.code.empty()) r.where += " (" + r.code + ")";
    for (const auto& kv : n) {
      std::string key = kv.first.Scalar();
      if (key == "code") {
        continue;
      } else if (key == "attach") {
        std::string a = kv.second.Scalar();
        auto colon = a.find(':');
        std::string level = a.substr(0, colon);
        if (a != "all" && (colon == std::string::npos || colon + 1 == a.size() ||
                           std::find(kLevels.begin(), kLevels.end(), level) == kLevels.end())) {
          error(kv.first.Mark().line + 1, r.where, "attach: all or LEVEL:WHAT (station:S01, network:N1, "
                                                   "process_type:plate_hx, device_kind:room_sensor, point:P)");
          ok = false;
          continue;
        }
        r.attach = a == "all" ? "all" : level;
        r.to = a == "all" ? "" : a.substr(colon + 1);
      } else if (std::string msg = RuleKey(key, kv.second, r.body); !msg.empty()) {
        error(kv.first.Mark().line + 1, r.where, key + ": " + msg);
        ok = false;
      }
    }
    if (r.code.empty()) error(r.line, r.where, "code is required"), ok = false;
    if (r.attach != "all") r.where += " @" + r.attach + ":" + r.to;
    if (ok) doc.alarm_rules.push_back(std::move(r));
  }
}

Status ApplyAlarmRules(db::Conn& conn, const Document& doc, ImportReport& report) {
  static const Kind kRuleKind{"alarm-rule", "alarm_rules", "alarm_rule", "alarm rule", {}, {}};
  if (!doc.alarm_rules_present) return Status::Ok();
  report.counts.push_back(KindCounts{&kRuleKind});
  KindCounts& counts = report.counts.back();
  for (const AlarmRuleItem& r : doc.alarm_rules) {
    HEAT_ASSIGN(db::Rows old, conn.Query(
        "SELECT to_jsonb(r) @> $4::jsonb FROM heat.alarm_rule r"
        " WHERE code::text = $1 AND attach = $2 AND attach_to = $3", {r.code, r.attach, r.to, r.body.dump()}));
    if (!old.empty() && old.get(0, 0) == "t") {
      ++counts.unchanged;
      continue;
    }
    auto set = conn.Query("SELECT heat.alarm_rule_set($1, $2, $3, $4::jsonb)", {r.code, r.attach, r.to, r.body.dump()});
    if (!set.ok()) return set.status().With(doc.filename + ":" + std::to_string(r.line) + ": " + r.where);
    ++(old.empty() ? counts.added : counts.changed);
    report.changes.push_back("alarm rule " + r.code + (r.attach == "all" ? "" : " @" + r.attach + ":" + r.to) +
                             (old.empty() ? ": added" : ": changed"));
  }
  return Status::Ok();
}

Status ExportAlarmRules(db::Conn& conn, YAML::Emitter& out) {
  HEAT_ASSIGN(db::Rows r, conn.Query(R"(
    SELECT jsonb_strip_nulls(jsonb_build_object(
             'code', code, 'attach', CASE WHEN attach = 'all' THEN NULL ELSE attach || ':' || attach_to END,
             'kind', kind, 'tag', nullif(tag, ''), 'ref_tag', ref_tag, 'limit', limit_value,
             'deadband', nullif(deadband, 0), 'on_delay', nullif(on_delay_s, 0), 'off_delay', nullif(off_delay_s, 0),
             'count', count, 'priority', priority, 'message_zh', message_zh, 'message_en', message_en,
             'notify', CASE WHEN cardinality(notify) > 0 THEN to_jsonb(notify) END,
             'enabled', CASE WHEN NOT enabled THEN false END))::text
    FROM heat.alarm_rule ORDER BY code, attach <> 'all', attach, attach_to)"));
  if (r.empty()) return Status::Ok();
  out << YAML::Key << "alarm_rules" << YAML::Value << YAML::BeginSeq;
  static const char* kOrder[] = {"code", "attach", "kind", "tag", "ref_tag", "limit", "deadband", "on_delay",
                                 "off_delay", "count", "priority", "message_zh", "message_en", "notify", "enabled"};
  for (int i = 0; i < r.size(); ++i) {
    json j = json::parse(r.get(i, 0));
    out << YAML::Flow << YAML::BeginMap;
    for (const char* k : kOrder) {
      if (!j.contains(k)) continue;
      out << YAML::Key << k << YAML::Value;
      const json& v = j[k];
      if (v.is_array()) {
        out << YAML::Flow << YAML::BeginSeq;
        for (const auto& x : v) out << x.get<std::string>();
        out << YAML::EndSeq;
      } else if (v.is_string()) {
        out << v.get<std::string>();
      } else {
        out << v.dump();  // numbers and booleans as JSON writes them
      }
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
  return Status::Ok();
}

}  // namespace heat::network
