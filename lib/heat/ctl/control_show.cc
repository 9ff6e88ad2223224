// heatctl control show|set|history (CTL-2, CTL-4, SYS-2): a station's
// control configuration, changing it, and its commands.
#include "heat/controld/config_json.h"
#include "heat/controld/plant.h"
#include "heat/core/file.h"
#include "heat/ctl/commands.h"

namespace heat::ctl {
namespace {

using nlohmann::json;

Status ShowAll(cli::Context& ctx) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query(
      "SELECT s.code AS station, coalesce(c.enabled, false) AS enabled, coalesce(c.period_s, 60) AS period_s,"
      " coalesce(c.config->>'valve', 'outdoor_compensation') AS valve, coalesce(c.config->>'pump', 'fixed_hz') AS pump,"
      " (SELECT string_agg(h.target || '=' || h.value || ' until ' || to_char(h.until, 'MM-DD HH24:MI'), ', ')"
      "  FROM heat.control_hold h WHERE h.station_id = s.id AND h.until > now()) AS holds,"
      " (SELECT m.op || ' ' || m.state FROM heat.command m WHERE m.station_id = s.id ORDER BY m.id DESC LIMIT 1)"
      "  AS last_command"
      " FROM heat.station s LEFT JOIN heat.control_config c ON c.station_id = s.id ORDER BY s.code"));
  cli::Print(RowsTable(r, {{"period_s", cli::Cell::kInt}}), ctx.format, ctx.out());
  return Status::Ok();
}

// One station: every key of its configuration (defaults filled in), its
// transport's loop tags, holds; or why the stored configuration is invalid.
Status ShowOne(cli::Context& ctx, const std::string& station) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query(
      "SELECT coalesce(c.enabled, false), coalesce(c.period_s, 60), coalesce(c.config, '{}'), coalesce(c.limits, '{}'),"
      " c.updated_by, to_char(c.updated_at, 'YYYY-MM-DD HH24:MI:SS')"
      " FROM heat.station s LEFT JOIN heat.control_config c ON c.station_id = s.id WHERE s.code::text = $1", {station}));
  if (r.empty()) return Status::NotFound("no station " + station + " in your scope");
  json config = json::parse(r.get(0, 2)), limits = json::parse(r.get(0, 3));
  controld::LoopTags tags;
  HEAT_TRY(controld::TakeLoopTags(config, tags));
  auto parsed = controld::ParseStationConfig(config, limits);
  if (!parsed.ok()) return parsed.status().With("stored configuration of " + station);
  json out = controld::StationConfigJson(*parsed);
  out["station"] = station;
  out["enabled"] = r.get(0, 0) == "t";
  out["period_s"] = r.get_int(0, 1);
  out["tags"] = {{"valve", tags.valve}, {"pump", tags.pump}, {"t2s", tags.t2s}, {"tout", tags.tout}};
  out["updated_by"] = r.get(0, 4);
  out["updated_at"] = r.get(0, 5);
  HEAT_ASSIGN(db::Rows h, db->Query("SELECT h.target, h.value, to_char(h.until, 'YYYY-MM-DD HH24:MI'), h.login"
                                    " FROM heat.control_hold h JOIN heat.station s ON s.id = h.station_id"
                                    " WHERE s.code::text = $1 AND h.until > now() ORDER BY 1", {station}));
  out["holds"] = json::array();
  for (int i = 0; i < h.size(); ++i)
    out["holds"].push_back({{"target", h.get(i, 0)}, {"value", std::stod(h.get(i, 1))}, {"until", h.get(i, 2)},
                            {"by", h.get(i, 3)}});
  ctx.out() << out.dump(2) << "\n";
  return Status::Ok();
}

// KEY=VALUE: the value as JSON when it parses (numbers, true, arrays),
// else as a string (room_target).
json ValueOf(const std::string& v) {
  json j = json::parse(v, nullptr, false);
  return j.is_discarded() ? json(v) : j;
}

struct SetArgs {
  std::string station;
  std::vector<std::string> pairs;
  bool enable = false, disable = false;
  int period_s = 0;
  std::string file;
};

Status Set(cli::Context& ctx, const SetArgs& a) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query("SELECT coalesce(c.config, '{}'), coalesce(c.limits, '{}') FROM heat.station s"
                                    " LEFT JOIN heat.control_config c ON c.station_id = s.id WHERE s.code::text = $1",
                                    {a.station}));
  if (r.empty()) return Status::NotFound("no station " + a.station + " in your scope");
  json config = json::parse(r.get(0, 0)), limits = json::parse(r.get(0, 1));
  if (!a.file.empty()) {
    HEAT_ASSIGN(std::string text, ReadRegularFile(a.file, 64 * 1024, "a control configuration is a JSON object"));
    config = json::parse(text, nullptr, false);
    if (config.is_discarded() || !config.is_object()) return Status::Usage(a.file + ": not a JSON object");
  }
  for (const auto& p : a.pairs) {
    auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) return Status::Usage("expected KEY=VALUE, got '" + p + "'");
    std::string key = p.substr(0, eq);
    json& root = key.rfind("limits.", 0) == 0 ? limits : config;
    if (key.rfind("limits.", 0) == 0) key = key.substr(7);
    std::string ptr = "/" + key;
    std::replace(ptr.begin(), ptr.end(), '.', '/');
    root[json::json_pointer(ptr)] = ValueOf(p.substr(eq + 1));
  }
  // Checked here for a clear answer; heatd-control checks again.
  json checked = config;
  controld::LoopTags tags;
  HEAT_TRY(controld::TakeLoopTags(checked, tags));
  HEAT_TRY(controld::ParseStationConfig(checked, limits).status());
  std::optional<std::string> enabled;
  if (a.enable || a.disable) enabled = a.enable ? "true" : "false";
  std::optional<std::string> period;
  if (a.period_s > 0) period = std::to_string(a.period_s);
  HEAT_TRY(db->Exec("SELECT heat.control_set($1, $2::boolean, $3::int, $4::jsonb, $5::jsonb)",
                    {a.station, enabled, period, config.dump(), limits.dump()}));
  ctx.out() << a.station << ": control configuration saved\n";
  return Status::Ok();
}

Status History(cli::Context& ctx, const std::string& station, int limit) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query(
      "SELECT 'c' || c.id AS id, to_char(c.created_at, 'YYYY-MM-DD HH24:MI:SS') AS at, c.origin, c.login,"
      " c.op, c.args::text AS args, c.old::text AS old, c.state, c.attempts, c.applied::text AS applied,"
      " coalesce(c.msg, '') AS msg"
      " FROM heat.command c JOIN heat.station s ON s.id = c.station_id WHERE s.code::text = $1"
      " ORDER BY c.id DESC LIMIT $2", {station, std::to_string(limit)}));
  cli::Print(RowsTable(r, {{"attempts", cli::Cell::kInt}}), ctx.format, ctx.out());
  return Status::Ok();
}

}  // namespace

std::vector<cli::Command> ControlShowCommands() {
  return {
      {"control show", "stations' closed loops, or one station's whole configuration", "CTL-2 CTL-4",
       [](CLI::App& app) -> cli::Runner {
         auto st = std::make_shared<std::string>();
         app.add_option("station", *st, "station code (default: every station, a line each)");
         return [st](cli::Context& ctx) { return st->empty() ? ShowAll(ctx) : ShowOne(ctx, *st); };
       }},
      {"control set", "change a station's strategy, curve, schedule, period, limits (engineers; limits: admins)",
       "CTL-2 CTL-3 CTL-4", [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<SetArgs>();
         app.add_option("station", a->station, "station code")->required();
         app.add_option("settings", a->pairs, "KEY=VALUE: valve=room_target curve.slope=1.2 limits.max_supply_c=90");
         app.add_flag("--enable", a->enable, "heatd-control commands this station");
         app.add_flag("--disable", a->disable, "heatd-control leaves this station alone (people's holds still go)");
         app.add_option("--period", a->period_s, "seconds between control steps")->check(CLI::Range(5, 3600));
         app.add_option("--file", a->file, "the whole configuration as a JSON object (KEY=VALUE apply over it)");
         return [a](cli::Context& ctx) { return Set(ctx, *a); };
       }, false},
      {"control history", "a station's commands, newest first: origin, who, old and new, answer", "SYS-2 CTL-1",
       [](CLI::App& app) -> cli::Runner {
         auto st = std::make_shared<std::string>();
         auto limit = std::make_shared<int>(20);
         app.add_option("station", *st, "station code")->required();
         app.add_option("--limit", *limit, "at most this many (default 20)")->check(CLI::Range(1, 100000));
         return [st, limit](cli::Context& ctx) { return History(ctx, *st, *limit); };
       }},
  };
}

}  // namespace heat::ctl
