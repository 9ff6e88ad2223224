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

#include <optional>

#include "heat/alarm/rule_fields.h"
#include "heat/network/yaml_io.h"

namespace heat::network {

namespace {

using nlohmann::json;

// A YAML value as the text AddRuleField takes: notify's list (or null)
// joined by commas; nullopt for anything else that is not a scalar.
std::optional<std::string> Text(const std::string& key, const YAML::Node& v) {
  if (v.IsScalar()) return v.Scalar();
  if (key != "notify") return std::nullopt;
  if (v.IsNull()) return std::string();
  if (!v.IsSequence()) return std::nullopt;
  std::string joined;
  for (const auto& x : v) joined += (joined.empty() ? "" : ",") + x.Scalar();
  return joined;
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
        auto a = alarm::ParseAttachment(kv.second.Scalar());
        if (a.ok()) r.attach = a->attach, r.to = a->to;
        else error(kv.first.Mark().line + 1, r.where, a.status().message()), ok = false;
      } else if (auto text = Text(key, kv.second); !text) {
        error(kv.first.Mark().line + 1, r.where, key + ": expected a value");
        ok = false;
      } else if (Status st = alarm::AddRuleField(key, *text, r.body); !st.ok()) {
        error(kv.first.Mark().line + 1, r.where, st.message());
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
