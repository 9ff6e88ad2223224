// heatctl log: the operation log (SYS-2), newest last, filtered by time,
// login and object. What a person sees is scoped by row-level security.
#include <ctime>

#include "heat/core/time.h"
#include "heat/ctl/commands.h"

namespace heat::ctl {
namespace {

struct LogArgs {
  std::string since, until, user, object;
  int limit = 1000;
};

// "station:S01" -> ("station", "S01"); kinds are heatctl's words or "user".
Result<std::pair<std::string, std::string>> ParseObject(const std::string& s) {
  auto colon = s.find(':');
  std::string kind = s.substr(0, colon);
  std::string code = colon == std::string::npos ? "" : s.substr(colon + 1);
  if (const auto* k = network::FindKind(kind)) return std::make_pair(std::string(k->table), code);
  if (kind == "user" || kind == "op_log" || kind == "command" || kind == "event")
    return std::make_pair(kind, code);
  return Status::Usage("--object: unknown kind '" + kind + "'; use e.g. station or station:S01");
}

// Builds the WHERE clause and its parameters from the filters.
Result<std::pair<std::string, db::Params>> Filters(cli::Context& ctx, const LogArgs& a) {
  HEAT_ASSIGN(TimeZone tz, TimeZone::Load(ctx.config().str("site.timezone")));
  std::string where = "true";
  db::Params p;
  auto add = [&](const std::string& cond, std::string value, const char* close = "") {
    p.push_back(std::move(value));
    where += " AND " + cond + "$" + std::to_string(p.size()) + close;
  };
  int64_t now = std::time(nullptr);
  if (!a.since.empty()) {
    HEAT_ASSIGN(int64_t t, ParseTime(a.since, tz, now));
    add("ts >= to_timestamp(", std::to_string(t), ")");
  }
  if (!a.until.empty()) {
    HEAT_ASSIGN(int64_t t, ParseTime(a.until, tz, now));
    add("ts < to_timestamp(", std::to_string(t), ")");
  }
  if (!a.user.empty()) add("login = ", a.user);
  if (!a.object.empty()) {
    HEAT_ASSIGN(auto obj, ParseObject(a.object));
    add("object_kind = ", obj.first);
    if (!obj.second.empty()) add("object_code = ", obj.second);
  }
  return std::make_pair(where, p);
}

Status ShowLog(cli::Context& ctx, const LogArgs& a) {
  HEAT_ASSIGN(auto f, Filters(ctx, a));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  std::string sql =
      "SELECT * FROM (SELECT id, to_char(ts, 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM') AS ts, login,"
      " coalesce(host(client_addr), 'local') AS client, origin, action, object_kind,"
      " object_code, old::text AS old, new::text AS new, message FROM heat.op_log WHERE " +
      f.first + " ORDER BY id DESC LIMIT " + std::to_string(a.limit) + ") q ORDER BY id";
  HEAT_ASSIGN(db::Rows r, db->Query(sql, f.second));
  auto t = RowsTable(r, {{"id", cli::Cell::kInt}, {"old", cli::Cell::kJson}, {"new", cli::Cell::kJson}});
  cli::Print(t, ctx.format, ctx.out());
  return Status::Ok();
}

}  // namespace

std::vector<cli::Command> LogCommands() {
  return {{"log", "the operation log: who changed what, when, from where", "SYS-2 BIL-24",
           [](CLI::App& app) -> cli::Runner {
             auto a = std::make_shared<LogArgs>();
             app.add_option("--since", a->since, "from this time (2025-10-10, '2025-10-10 08:00', -2h, -7d)");
             app.add_option("--until", a->until, "before this time");
             app.add_option("--user", a->user, "only this login");
             app.add_option("--object", a->object, "only this kind of object, or one object: station:S01");
             app.add_option("--limit", a->limit, "at most this many entries, the newest")
                 ->check(CLI::Range(1, 1000000));
             return [a](cli::Context& ctx) { return ShowLog(ctx, *a); };
           }}};
}

}  // namespace heat::ctl
