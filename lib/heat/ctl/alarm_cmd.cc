// heatctl alarm list|ack|shelve|unshelve|history|suppress (ALM-4, MON-3):
// the operators' side of heatd-alarm. Reads go through row-level security
// (an operator sees the alarms of the stations of its scope); writes
// through heat.alarm_ack / _shelve / _suppress_set (lib/sql 0028), which
// check role and scope and log each transition.
#include "heat/alarm/rule.h"
#include "heat/ctl/commands.h"

namespace heat::ctl {

std::vector<cli::Command> AlarmRuleCommands();
cli::Command AlarmWatchCommand();
cli::Command AlarmStatsCommand();

namespace {

Status List(cli::Context& ctx, bool all, bool shelved, bool children, const std::string& station) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  std::string sql = std::string("SELECT a.id, a.priority, ") + alarm::kAlarmStateSql + R"( AS state,
      to_char(a.raised_at AT TIME ZONE current_setting('TimeZone'), 'YYYY-MM-DD HH24:MI:SS') AS raised,
      s.code AS station, a.source, a.rule_code AS rule, a.message,
      nullif(a.raises, 1) AS raises, CASE WHEN a.chattering THEN 'chattering' END AS chatter,
      nullif((SELECT count(*) FROM heat.alarm c WHERE c.parent_id = a.id), 0) AS children, a.parent_id AS parent,
      CASE WHEN a.shelved_until > now() THEN to_char(a.shelved_until, 'MM-DD HH24:MI') END AS shelved_until
    FROM heat.alarm a LEFT JOIN heat.station s ON s.id = a.station_id
    WHERE ($1 OR a.active OR NOT a.acked)
      AND ($2 OR a.shelved_until IS NULL OR a.shelved_until <= now())
      AND ($3 = '' OR s.code::text = $3)
      AND ($4 OR a.parent_id IS NULL)
    ORDER BY (a.active AND NOT a.acked) DESC, a.priority, a.raised_at DESC, a.id DESC
    LIMIT 1000)";
  HEAT_ASSIGN(db::Rows r, db->Query(sql, {all ? "true" : "false", shelved || all ? "true" : "false", station,
                                          children || all ? "true" : "false"}));
  using K = cli::Cell::Kind;
  cli::Print(RowsTable(r, {{"id", K::kInt}, {"priority", K::kInt}, {"raises", K::kInt}, {"children", K::kInt},
                           {"parent", K::kInt}}),
             ctx.format, ctx.out());
  return Status::Ok();
}

Status Ack(cli::Context& ctx, const std::vector<int64_t>& ids, const std::string& comment) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  for (int64_t id : ids) {
    HEAT_ASSIGN(db::Rows r, db->Query("SELECT heat.alarm_ack($1, $2)", {std::to_string(id), comment}));
    ctx.out() << "alarm " << id << (r.get(0, 0) == "t" ? " acknowledged\n" : " was already acknowledged\n");
  }
  return Status::Ok();
}

Status Shelve(cli::Context& ctx, int64_t id, const std::string& until, const std::string& comment) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  if (until.empty()) {
    HEAT_TRY(db->Exec("SELECT heat.alarm_shelve($1, NULL, $2)", {std::to_string(id), comment}));
    ctx.out() << "alarm " << id << " unshelved\n";
    return Status::Ok();
  }
  HEAT_ASSIGN(std::string u, UntilValue(until));
  HEAT_TRY(db->Exec("SELECT heat.alarm_shelve($1, " + u + ", $2)", {std::to_string(id), comment}));
  ctx.out() << "alarm " << id << " shelved\n";
  return Status::Ok();
}

Status History(cli::Context& ctx, int64_t id) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows found, db->Query("SELECT 1 FROM heat.alarm WHERE id = $1", {std::to_string(id)}));
  if (found.empty()) return Status::NotFound("no alarm " + std::to_string(id) + " in your scope");
  HEAT_ASSIGN(db::Rows r, db->Query(R"(
    SELECT to_char(at AT TIME ZONE current_setting('TimeZone'), 'YYYY-MM-DD HH24:MI:SS.MS') AS at, what, login,
           value, comment
    FROM heat.alarm_event WHERE alarm_id = $1 ORDER BY id)", {std::to_string(id)}));
  cli::Print(RowsTable(r, {{"value", cli::Cell::kNumber}}), ctx.format, ctx.out());
  return Status::Ok();
}

cli::Command ListRow() {
  return {"alarm list", "open alarms (active or not acknowledged), most urgent first", "ALM-4 MON-3",
          [](CLI::App& app) -> cli::Runner {
            auto all = std::make_shared<bool>(false), shelved = std::make_shared<bool>(false);
            auto children = std::make_shared<bool>(false);
            auto station = std::make_shared<std::string>();
            app.add_flag("--all", *all, "closed ones too (the latest 1000)");
            app.add_flag("--shelved", *shelved, "shelved ones too");
            app.add_flag("--children", *children, "the alarms of a flood too, not only its parent");
            app.add_option("--station", *station, "one station's");
            return [all, shelved, children, station](cli::Context& ctx) {
              return List(ctx, *all, *shelved, *children, *station);
            };
          }};
}

cli::Command AckRow() {
  return {"alarm ack", "acknowledge alarms, with a comment (operators)", "ALM-4 SYS-2",
          [](CLI::App& app) -> cli::Runner {
            auto ids = std::make_shared<std::vector<int64_t>>();
            auto comment = std::make_shared<std::string>();
            app.add_option("id", *ids, "alarm ids")->required();
            app.add_option("--comment", *comment, "what was found or done");
            return [ids, comment](cli::Context& ctx) { return Ack(ctx, *ids, *comment); };
          }, false};
}

cli::Command ShelveRow(bool shelve) {
  return {shelve ? "alarm shelve" : "alarm unshelve",
          shelve ? "take an alarm out of the operators' view until a time (at most 7 days), with a reason"
                 : "bring a shelved alarm back into view",
          "ALM-4 SYS-2", [shelve](CLI::App& app) -> cli::Runner {
            auto id = std::make_shared<int64_t>(0);
            auto until = std::make_shared<std::string>(shelve ? "+8h" : "");
            auto comment = std::make_shared<std::string>();
            app.add_option("id", *id, "alarm id")->required();
            if (shelve) {
              app.add_option("--until", *until, "HH:MM, +N[m|h|d] or YYYY-MM-DD HH:MM (default +8h)");
              app.add_option("--comment", *comment, "why (required)")->required();
            }
            return [id, until, comment](cli::Context& ctx) { return Shelve(ctx, *id, *until, *comment); };
          }, false};
}

cli::Command HistoryRow() {
  return {"alarm history", "every transition of an alarm: who and when", "ALM-4 SYS-2",
          [](CLI::App& app) -> cli::Runner {
            auto id = std::make_shared<int64_t>(0);
            app.add_option("id", *id, "alarm id")->required();
            return [id](cli::Context& ctx) { return History(ctx, *id); };
          }};
}

cli::Command SuppressRow() {
  return {"alarm suppress", "a station out of service raises no alarms until a time (at most 90 days)",
          "ALM-3 SYS-2", [](CLI::App& app) -> cli::Runner {
            auto station = std::make_shared<std::string>();
            auto until = std::make_shared<std::string>();
            auto reason = std::make_shared<std::string>();
            app.add_option("station", *station, "station code")->required();
            app.add_option("--until", *until, "HH:MM, +N[m|h|d] or YYYY-MM-DD HH:MM")->required();
            app.add_option("--reason", *reason, "why it is out of service")->required();
            return [station, until, reason](cli::Context& ctx) -> Status {
              HEAT_ASSIGN(std::string u, UntilValue(*until));
              HEAT_ASSIGN(db::Conn* db, ctx.Db());
              HEAT_TRY(db->Exec("SELECT heat.alarm_suppress_set($1, " + u + ", $2)", {*station, *reason}));
              ctx.out() << *station << ": out of service, no alarms until " << *until << "\n";
              return Status::Ok();
            };
          }, false};
}

}  // namespace

std::vector<cli::Command> AlarmCommands() {
  std::vector<cli::Command> rows = {ListRow(), AlarmWatchCommand(), AckRow(), ShelveRow(true), ShelveRow(false),
                                    HistoryRow(), SuppressRow(), AlarmStatsCommand()};
  for (cli::Command& c : AlarmRuleCommands()) rows.push_back(std::move(c));
  return rows;
}

}  // namespace heat::ctl
