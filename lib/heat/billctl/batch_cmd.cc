// billctl batch station|house-type|reduction|stop|disconnect (BIL-15):
// one operation over every house a --where selects. Without --yes it only
// lists what it would touch. Each house is done in its own transaction;
// houses that cannot be done are listed with the reason and the exit
// status is 1.
#include <functional>
#include <map>

#include "heat/billctl/commands.h"
#include "heat/billing/ops.h"
#include "heat/core/text.h"

namespace heat::billctl {
namespace {

// --where KEY=VALUE: the keys and the condition each adds.
const std::map<std::string, std::string>& WhereKeys() {
  static const std::map<std::string, std::string> keys = {
      {"community", "c.name = $"}, {"building", "b.name = $"}, {"unit", "u.name = $"},
      {"house-type", "h.house_type = $"}, {"heating", "h.heating_status = $"},
      // starts_with, not LIKE: a code holding % or _ is a prefix, not a pattern.
      {"code-prefix", "starts_with(h.code, $)"},
      {"station", "coalesce(h.station_id, b.station_id) = bill.station_id($)"},
  };
  return keys;
}

Result<std::pair<std::string, db::Params>> Where(const std::vector<std::string>& where) {
  if (where.empty()) return Status::Usage("--where is required (e.g. --where community=幸福小区)");
  std::string sql = "h.deleted_at IS NULL";
  db::Params params;
  for (const auto& w : where) {
    auto eq = w.find('=');
    std::string key = w.substr(0, eq);
    auto k = WhereKeys().find(key);
    if (eq == std::string::npos || k == WhereKeys().end()) {
      std::vector<std::string> names;
      for (const auto& [n, _] : WhereKeys()) names.push_back(n);
      auto hint = Suggest(key, names);
      return Status::Usage("--where " + w + ": use KEY=VALUE with KEY one of community, building, unit, "
                           "house-type, heating, code-prefix, station" +
                           (hint.empty() ? "" : " (did you mean " + hint[0] + "?)"));
    }
    params.push_back(w.substr(eq + 1));
    std::string cond = k->second;
    cond.replace(cond.find('$'), 1, "$" + std::to_string(params.size()));
    sql += " AND " + cond;
  }
  return std::make_pair(sql, params);
}

struct BatchArgs {
  std::vector<std::string> where;
  std::string to, amount, reason, date, season;
  bool yes = false;
};

Result<std::vector<std::string>> Select(db::Conn& db, const BatchArgs& a) {
  HEAT_ASSIGN(auto w, Where(a.where));
  HEAT_ASSIGN(db::Rows r, db.Query(
      "SELECT h.code FROM bill.house h JOIN bill.unit u ON u.id = h.unit_id JOIN bill.building b"
      " ON b.id = u.building_id JOIN bill.community c ON c.id = b.community_id WHERE " + w.first +
      " ORDER BY h.code", w.second));
  std::vector<std::string> codes;
  for (int i = 0; i < r.size(); ++i) codes.push_back(r.get(i, 0));
  return codes;
}

// One house, one operation.
using Action = std::function<Status(db::Conn&, const std::string& house)>;

Result<Action> ActionFor(const std::string& op, const BatchArgs& a) {
  if (op == "station" || op == "house-type") {
    if (a.to.empty()) return Status::Usage("batch " + op + " needs --to");
    std::string sql = op == "station" ? "UPDATE bill.house SET station_id = bill.station_id($2) WHERE code = $1"
                                      : "UPDATE bill.house SET house_type = $2 WHERE code = $1";
    return Action([sql, to = a.to](db::Conn& db, const std::string& h) { return db.Exec(sql, {h, to}); });
  }
  if (op == "reduction") {
    if (a.reason.empty()) return Status::Usage("batch reduction needs --reason");
    HEAT_ASSIGN(Fen fen, ParseYuan(a.amount));
    if (fen <= 0) return Status::Usage("--amount must be more than 0.00 yuan");
    return Action([fen, a](db::Conn& db, const std::string& h) -> Status {
      HEAT_ASSIGN(billing::HouseRow house, billing::FindHouse(db, h));
      HEAT_ASSIGN(billing::SeasonRow s, SeasonArg(db, a.season));
      HEAT_ASSIGN(billing::AccountRow row, billing::OpenAccount(db, house, s));
      return db.Exec("SELECT bill.request_open('reduction', $1, $2, NULL, $3)",
                     {std::to_string(row.id), std::to_string(-fen), a.reason});
    });
  }
  if (op == "stop" || op == "disconnect") {
    auto kind = op == "stop" ? billing::EventKind::kSuspend : billing::EventKind::kDisconnect;
    return Action([kind, a](db::Conn& db, const std::string& h) -> Status {
      HEAT_ASSIGN(Date d, a.date.empty() ? billing::Today(db) : ParseDate(a.date));
      return billing::ChangeStatus(db, h, a.season, kind, d).status();
    });
  }
  return Status::Usage("unknown batch operation " + op);
}

Status Batch(cli::Context& ctx, const std::string& op, const BatchArgs& a) {
  HEAT_ASSIGN(Action act, ActionFor(op, a));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(std::vector<std::string> houses, Select(*db, a));
  cli::Table t{{"house", "result"}, {}};
  int failed = 0;
  for (const auto& h : houses) {
    Status st = a.yes ? act(*db, h) : Status::Ok();
    if (!st.ok()) ++failed;
    t.Add({TextCell(h), TextCell(!a.yes ? "would " + op : st.ok() ? "done" : st.message())});
  }
  cli::Print(t, ctx.format, ctx.out());
  if (!a.yes) ctx.err() << houses.size() << " houses selected; nothing done (add --yes)\n";
  if (failed) return Status::Failure(std::to_string(failed) + " of " + std::to_string(houses.size()) + " houses failed");
  return Status::Ok();
}

cli::Command Row(const char* op, const char* summary) {
  return {std::string("batch ") + op, summary, "BIL-15", [op = std::string(op)](CLI::App& app) -> cli::Runner {
            auto a = std::make_shared<BatchArgs>();
            app.add_option("--where", a->where, "KEY=VALUE (repeatable): community, building, unit, house-type, "
                                                "heating, code-prefix, station")->required();
            if (op == "station" || op == "house-type") app.add_option("--to", a->to, "the new value")->required();
            if (op == "reduction") {
              app.add_option("--amount", a->amount, "yuan per house")->required();
              app.add_option("--reason", a->reason, "why")->required();
            }
            if (op == "stop" || op == "disconnect") app.add_option("--date", a->date, "from this day (default today)");
            if (op == "reduction" || op == "stop" || op == "disconnect")
              app.add_option("--season", a->season, "the season (default: the current one)");
            app.add_flag("--yes", a->yes, "do it (without: list the houses only)");
            return [a, op](cli::Context& ctx) { return Batch(ctx, op, *a); };
          }};
}

}  // namespace

std::vector<cli::Command> BatchCommands() {
  return {Row("station", "move the selected houses to another substation (--to CODE)"),
          Row("house-type", "change the house type of the selected houses (--to TYPE; next season's fee)"),
          Row("reduction", "request the same reduction for every selected house (approvals apply)"),
          Row("stop", "报停 every selected house from --date"),
          Row("disconnect", "退网 every selected house from --date")};
}

}  // namespace heat::billctl
