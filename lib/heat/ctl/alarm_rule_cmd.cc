// heatctl alarm rule set|list|rm (ALM-3): engineers define alarm rules.
// Everything goes through heat.alarm_rule_set / _rm (lib/sql 0028), which
// check the role and the scope and log old and new.
#include <nlohmann/json.hpp>

#include "heat/alarm/rule_fields.h"
#include "heat/ctl/commands.h"

namespace heat::ctl {
namespace {

using nlohmann::json;

// KEY=VALUE words into the JSON body heat.alarm_rule_set takes.
Result<json> Body(const std::vector<std::string>& pairs) {
  json body = json::object();
  for (const std::string& p : pairs) {
    auto eq = p.find('=');
    if (eq == std::string::npos) return Status::Usage("expected KEY=VALUE, got '" + p + "'");
    HEAT_TRY(alarm::AddRuleField(p.substr(0, eq), p.substr(eq + 1), body));
  }
  return body;
}

Status Set(cli::Context& ctx, const std::string& code, const std::string& attach, const std::vector<std::string>& kv) {
  HEAT_ASSIGN(alarm::Attachment t, alarm::ParseAttachment(attach));
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
              HEAT_ASSIGN(alarm::Attachment t, alarm::ParseAttachment(*attach));
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
