// heatctl control|valve|pump (CTL-1..4, DEV-3, DEV-4, SYS-2): people's
// side of heatd-control. Everything goes through the database functions of
// lib/sql 0026, which check the role (operators hold and release,
// engineers change strategies, admins limits) and the scope, and log.
#include <regex>

#include "heat/controld/config_json.h"
#include "heat/controld/plant.h"
#include "heat/core/match.h"
#include "heat/ctl/commands.h"

namespace heat::ctl {
namespace {

using nlohmann::json;

}  // namespace

Result<std::string> UntilValue(const std::string& s) {
  static const std::regex rel(R"(^\+(\d{1,4})([mhd])$)");
  std::smatch m;
  if (BoundedMatch(s, m, rel))
    return "now() + interval '" + m[1].str() + (m[2] == "m" ? " minutes'" : m[2] == "h" ? " hours'" : " days'");
  static const std::regex clock(R"(^([01]?\d|2[0-3]):[0-5]\d$)");
  if (BoundedMatch(s, clock))
    return std::string("(SELECT CASE WHEN t > now() THEN t ELSE t + interval '1 day' END"
                       " FROM (SELECT (current_date + '") + s + "'::time)::timestamptz AS t) x)";
  static const std::regex stamp(R"(^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?$)");
  if (BoundedMatch(s, stamp)) return "'" + s + "'::timestamptz";
  return Status::Usage("--until: expected HH:MM, +N[m|h|d] or YYYY-MM-DD HH:MM, got '" + s + "'");
}

namespace {

// v1, valve, valve_pct -> valve_pct; pump1_hz, pump_hz -> pump_hz; ...
Result<std::string> HoldTarget(const std::string& name) {
  static const std::regex valve(R"(^(v\d?|valve|valve_pct)$)"), hz(R"(^(pump\d?_hz|pump_hz)$)"),
      run(R"(^(pump\d?_run|pump_run)$)");
  if (BoundedMatch(name, valve)) return std::string("valve_pct");
  if (BoundedMatch(name, hz)) return std::string("pump_hz");
  if (BoundedMatch(name, run)) return std::string("pump_run");
  return Status::Usage("cannot hold '" + name + "': valve (v1), pump1_hz or pump1_run");
}

Status Hold(cli::Context& ctx, const std::string& station, const std::string& target, double value,
            const std::string& until) {
  HEAT_ASSIGN(std::string t, HoldTarget(target));
  HEAT_ASSIGN(std::string u, UntilValue(until));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query("SELECT heat.control_hold_set($1, $2, $3::float8, " + u + ")",
                                    {station, t, std::to_string(value)}));
  ctx.out() << station << ": " << t << " held at " << value << ", command c" << r.get(0, 0) << " queued\n";
  return Status::Ok();
}

// "12.5" or "45%" -> 12.5 / 45.
Result<double> Number(const std::string& s) {
  std::string v = !s.empty() && s.back() == '%' ? s.substr(0, s.size() - 1) : s;
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || !std::isfinite(d)) return Status::Usage("not a number: '" + s + "'");
  return d;
}

Status HoldPairs(cli::Context& ctx, const std::string& station, const std::vector<std::string>& pairs,
                 const std::string& until) {
  for (const auto& p : pairs) {
    auto eq = p.find('=');
    if (eq == std::string::npos) return Status::Usage("expected TARGET=VALUE, got '" + p + "'");
    std::string v = p.substr(eq + 1);
    double value = v == "on" || v == "true" ? 1 : 0;
    if (v != "on" && v != "true" && v != "off" && v != "false") {
      HEAT_ASSIGN(value, Number(v));
    }
    HEAT_TRY(Hold(ctx, station, p.substr(0, eq), value, until));
  }
  return Status::Ok();
}

// A station code, or the code of a device at a station (S01-V1).
Result<std::string> StationOf(cli::Context& ctx, const std::string& code) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query("SELECT coalesce((SELECT code::text FROM heat.station WHERE code::text = $1),"
                                    " (SELECT s.code::text FROM heat.device d JOIN heat.station s ON s.id = d.station_id"
                                    "  WHERE d.code::text = $1))", {code}));
  if (r.is_null(0, 0)) return Status::NotFound("no station or station device " + code + " in your scope");
  return r.get(0, 0);
}

}  // namespace

// control show / set / history live in control_show.cc.
std::vector<cli::Command> ControlShowCommands();

std::vector<cli::Command> ControlCommands() {
  std::vector<cli::Command> rows = ControlShowCommands();
  rows.push_back({"control hold", "hold setpoints by hand until a time, over the strategy (operators)",
                  "CTL-1 DEV-4 SYS-2", [](CLI::App& app) -> cli::Runner {
                    auto a = std::make_shared<std::pair<std::string, std::vector<std::string>>>();
                    auto until = std::make_shared<std::string>("+1h");
                    app.add_option("station", a->first, "station code")->required();
                    app.add_option("values", a->second, "TARGET=VALUE: v1=40, pump1_hz=38, pump1_run=off")->required();
                    app.add_option("--until", *until, "HH:MM, +N[m|h|d] or YYYY-MM-DD HH:MM (default +1h)");
                    return [a, until](cli::Context& ctx) { return HoldPairs(ctx, a->first, a->second, *until); };
                  }, false});
  rows.push_back({"control release", "end holds (all, or one target): back to the strategy", "CTL-1 SYS-2",
                  [](CLI::App& app) -> cli::Runner {
                    auto a = std::make_shared<std::pair<std::string, std::string>>();
                    app.add_option("station", a->first, "station code")->required();
                    app.add_option("target", a->second, "valve, pump1_hz or pump1_run (default all)");
                    return [a](cli::Context& ctx) -> Status {
                      std::optional<std::string> t;
                      if (!a->second.empty()) {
                        HEAT_ASSIGN(t, HoldTarget(a->second));
                      }
                      HEAT_ASSIGN(db::Conn* db, ctx.Db());
                      HEAT_ASSIGN(db::Rows r, db->Query("SELECT heat.control_release($1, $2)", {a->first, t}));
                      ctx.out() << a->first << ": " << r.get(0, 0) << " hold(s) released\n";
                      return Status::Ok();
                    };
                  }, false});
  rows.push_back({"valve", "set a control valve (a hold, default one hour) or run its stroke check", "DEV-3 CTL-1",
                  [](CLI::App& app) -> cli::Runner {
                    auto a = std::make_shared<std::pair<std::string, std::string>>();
                    auto until = std::make_shared<std::string>("+1h");
                    app.add_option("valve", a->first, "the station or its valve device (S01, S01-V1)")->required();
                    app.add_option("what", a->second, "PCT% or stroke-check")->required();
                    app.add_option("--until", *until, "HH:MM, +N[m|h|d] or YYYY-MM-DD HH:MM (default +1h)");
                    return [a, until](cli::Context& ctx) -> Status {
                      HEAT_ASSIGN(std::string st, StationOf(ctx, a->first));
                      if (a->second != "stroke-check") {
                        HEAT_ASSIGN(double pct, Number(a->second));
                        return Hold(ctx, st, "valve", pct, *until);
                      }
                      HEAT_ASSIGN(db::Conn* db, ctx.Db());
                      HEAT_ASSIGN(db::Rows r, db->Query("SELECT heat.control_stroke_check($1)", {st}));
                      ctx.out() << st << ": stroke check queued as c" << r.get(0, 0) << "\n";
                      return Status::Ok();
                    };
                  }, false});
  rows.push_back({"pump", "set the circulation pump: frequency, start or stop (a hold, default one hour)",
                  "CTL-1 DEV-4", [](CLI::App& app) -> cli::Runner {
                    auto a = std::make_shared<std::pair<std::string, std::string>>();
                    auto until = std::make_shared<std::string>("+1h");
                    app.add_option("station", a->first, "station code")->required();
                    app.add_option("what", a->second, "HZ (e.g. 38 or 38Hz), start or stop")->required();
                    app.add_option("--until", *until, "HH:MM, +N[m|h|d] or YYYY-MM-DD HH:MM (default +1h)");
                    return [a, until](cli::Context& ctx) -> Status {
                      HEAT_ASSIGN(std::string st, StationOf(ctx, a->first));
                      if (a->second == "start" || a->second == "stop")
                        return Hold(ctx, st, "pump_run", a->second == "start" ? 1 : 0, *until);
                      std::string hz = a->second;
                      if (hz.size() > 2 && hz.substr(hz.size() - 2) == "Hz") hz.resize(hz.size() - 2);
                      HEAT_ASSIGN(double v, Number(hz));
                      return Hold(ctx, st, "pump_hz", v, *until);
                    };
                  }, false});
  return rows;
}

}  // namespace heat::ctl
