// heatctl alarm rule set|list|rm (ALM-3): engineers define alarm rules.
// Everything goes through heat.alarm_rule_set / _rm (lib/sql 0028), which
// check the role and the scope and log old and new.
#include <nlohmann/json.hpp>
#include <regex>

#include "heat/alarm/rule.h"
#include "heat/core/match.h"
#include "heat/ctl/commands.h"

namespace heat::ctl {
namespace {

using nlohmann::json;

struct Target {
  std::string attach = "all", to;
};

// "station:S01", "network:N1", "point:S01.t2s", "all" -> (attach, to).
Result<Target> ParseTarget(const std::string& s) {
  if (s.empty() || s == "all") return Target{};
  auto colon = s.find(':');
  if (colon == std::string::npos || colon + 1 == s.size())
    return Status::Usage("--attach: expected all or LEVEL:WHAT (station:S01, network:N1, process_type:plate_hx, "
                         "device_kind:room_sensor, point:S01.t2s), got '" + s + "'");
  HEAT_TRY(alarm::ParseAttach(s.substr(0, colon)).status());
  return Target{s.substr(0, colon), s.substr(colon + 1)};
}

// "30s", "5m", "2h" or plain seconds.
Result<int64_t> Seconds(const std::string& key, const std::string& v) {
  static const std::regex re(R"(^(\d{1,6})([smh]?)$)");
  std::smatch m;
  if (!BoundedMatch(v, m, re)) return Status::Usage(key + ": expected seconds or Ns, Nm, Nh, got '" + v + "'");
  int64_t n = std::stoll(m[1].str());
  return m[2] == "m" ? n * 60 : m[2] == "h" ? n * 3600 : n;
}

Result<double> Real(const std::string& key, const std::string& v) {
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || !std::isfinite(d)) return Status::Usage(key + ": not a number: '" + v + "'");
  return d;
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

// KEY=VALUE words into the JSON body heat.alarm_rule_set takes.
Result<json> Body(const std::vector<std::string>& pairs) {
  json body = json::object();
  for (const std::string& p : pairs) {
    auto eq = p.find('=');
    if (eq == std::string::npos) return Status::Usage("expected KEY=VALUE, got '" + p + "'");
    std::string k = p.substr(0, eq), v = p.substr(eq + 1);
    if (k == "kind") {
      HEAT_TRY(alarm::ParseKind(v).status());
      body[k] = v;
    } else if (k == "tag" || k == "ref_tag" || k == "message_zh" || k == "message_en") {
      body[k] = v;
    } else if (k == "limit" || k == "limit_value" || k == "deadband") {
      HEAT_ASSIGN(double d, Real(k, v));
      body[k == "deadband" ? "deadband" : "limit_value"] = d;
    } else if (k == "on_delay" || k == "off_delay") {
      HEAT_ASSIGN(int64_t s, Seconds(k, v));
      body[k + "_s"] = s;
    } else if (k == "count" || k == "priority") {
      HEAT_ASSIGN(double d, Real(k, v));
      body[k] = static_cast<int64_t>(d);
    } else if (k == "notify") {
      body[k] = List(v);
    } else if (k == "enabled") {
      if (v != "true" && v != "false") return Status::Usage("enabled: true or false, got '" + v + "'");
      body[k] = v == "true";
    } else {
      return Status::Usage("unknown rule key '" + k + "': kind, tag, ref_tag, limit, deadband, on_delay, "
                           "off_delay, count, priority, message_zh, message_en, notify, enabled");
    }
  }
  return body;
}

Status Set(cli::Context& ctx, const std::string& code, const std::string& attach, const std::vector<std::string>& kv) {
  HEAT_ASSIGN(Target t, ParseTarget(attach));
  HEAT_ASSIGN(json body, Body(kv));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query("SELECT heat.alarm_rule_set($1, $2, $3, $4::jsonb)",
                                    {code, t.attach, t.to, body.dump()}));
  ctx.out() << "alarm rule " << code << (t.attach == "all" ? "" : " @" + t.attach + ":" + t.to) << " set (id "
            << r.get(0, 0) << ")\n";
  return Status::Ok();
}

cli::Command SetRow() {
  return {"alarm rule set", "add or change an alarm rule: what it watches, where, limits, delays, priority",
          "ALM-1 ALM-2 ALM-3", [](CLI::App& app) -> cli::Runner {
            auto code = std::make_shared<std::string>();
            auto attach = std::make_shared<std::string>("all");
            auto kv = std::make_shared<std::vector<std::string>>();
            app.add_option("code", *code, "the rule's name, e.g. t2s_high")->required();
            app.add_option("settings", *kv, "KEY=VALUE: kind=high tag=t2s limit=90 deadband=2 on_delay=30s ...");
            app.add_option("--attach", *attach, "all (default), network:N, process_type:T, device_kind:K, "
                                                "station:S or point:P");
            return [code, attach, kv](cli::Context& ctx) { return Set(ctx, *code, *attach, *kv); };
          }, false};
}

cli::Command ListRow() {
  return {"alarm rule list", "the alarm rules, where each is attached", "ALM-3", [](CLI::App&) -> cli::Runner {
            return [](cli::Context& ctx) -> Status {
              HEAT_ASSIGN(db::Conn* db, ctx.Db());
              HEAT_ASSIGN(db::Rows r, db->Query(R"(
                SELECT code, CASE WHEN attach = 'all' THEN 'all' ELSE attach || ':' || attach_to END AS attach,
                       kind, nullif(tag, '') AS tag, ref_tag, limit_value AS "limit", deadband,
                       on_delay_s, off_delay_s, count, priority, enabled, array_to_string(notify, ',') AS notify
                FROM heat.alarm_rule ORDER BY code, attach <> 'all', attach, attach_to)"));
              using K = cli::Cell::Kind;
              cli::Print(RowsTable(r, {{"limit", K::kNumber}, {"deadband", K::kNumber},
                                       {"on_delay_s", K::kInt}, {"off_delay_s", K::kInt},
                                       {"count", K::kInt}, {"priority", K::kInt}}), ctx.format, ctx.out());
              return Status::Ok();
            };
          }};
}

cli::Command RmRow() {
  return {"alarm rule rm", "remove an alarm rule (at one attachment)", "ALM-3", [](CLI::App& app) -> cli::Runner {
            auto code = std::make_shared<std::string>();
            auto attach = std::make_shared<std::string>("all");
            app.add_option("code", *code, "the rule's name")->required();
            app.add_option("--attach", *attach, "where it is attached (default all)");
            return [code, attach](cli::Context& ctx) -> Status {
              HEAT_ASSIGN(Target t, ParseTarget(*attach));
              HEAT_ASSIGN(db::Conn* db, ctx.Db());
              HEAT_TRY(db->Exec("SELECT heat.alarm_rule_rm($1, $2, $3)", {*code, t.attach, t.to}));
              ctx.out() << "alarm rule " << *code << " removed\n";
              return Status::Ok();
            };
          }, false};
}

}  // namespace

std::vector<cli::Command> AlarmRuleCommands() { return {SetRow(), ListRow(), RmRow()}; }

}  // namespace heat::ctl
