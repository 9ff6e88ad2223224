// billctl request|requests|approve|reject|withdraw (BIL-13): area changes,
// fee reductions and late-fee reductions, routed by amount; the database
// (bill.request_open, bill.decide) enforces who may decide and applies
// the final approval atomically.
#include "heat/billctl/commands.h"
#include "heat/billing/ops.h"
#include "heat/ctl/commands.h"

namespace heat::billctl {
namespace {

struct RequestArgs {
  std::string house, season, amount, area, reason;
};

struct Target {
  billing::AccountRow row;
  billing::Params params;
  Date today;
};

Result<Target> Load(db::Conn& db, const RequestArgs& a) {
  Target t;
  HEAT_ASSIGN(billing::HouseRow h, billing::FindHouse(db, a.house));
  HEAT_ASSIGN(billing::SeasonRow s, SeasonArg(db, a.season));
  HEAT_ASSIGN(t.row, billing::OpenAccount(db, h, s));
  HEAT_ASSIGN(billing::Params base, billing::LoadParams(db));
  HEAT_ASSIGN(t.params, billing::ParamsForAccount(db, t.row, base));
  HEAT_ASSIGN(t.today, billing::Today(db));
  return t;
}

// The fee effect of a new charged area: the engine's fee at the new area
// minus at the current one.
Result<Fen> AreaEffect(db::Conn& db, const Target& t, int64_t new_area) {
  HEAT_ASSIGN(billing::FeeInput in, billing::BuildFeeInput(db, t.row, t.today));
  HEAT_ASSIGN(billing::FeeBreakdown before, billing::ComputeFee(in, t.params));
  in.area_centi_m2 = new_area;
  HEAT_ASSIGN(billing::FeeBreakdown after, billing::ComputeFee(in, t.params));
  return after.heating_fee - before.heating_fee;
}

// The late fee the engine finds due today but not yet in the ledger is
// entered first: the database measures a late-fee reduction against the
// late fee posted (BIL-13).
Status PostPendingLateFee(db::Conn& db, const Target& t) {
  HEAT_ASSIGN(billing::Standing st, billing::StandingOf(db, t.row, t.params, t.today));
  if (st.pending_late_fee <= 0) return Status::Ok();
  return db.Exec("SELECT bill.post($1, $2, 'late_fee', $3, $4, NULL, NULL, NULL, $5)",
                 {std::to_string(t.row.id), std::to_string(t.row.next_seq()), std::to_string(st.pending_late_fee),
                  FormatDate(t.today), "late fee to " + FormatDate(t.today)});
}

Status Open(cli::Context& ctx, const RequestArgs& a, const char* kind) {
  if (a.reason.empty()) return Status::Usage("a request needs a reason (--reason)");
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(auto tx, db::Transaction::Start(*db));
  HEAT_ASSIGN(Target t, Load(*db, a));
  Fen amount = 0;
  db::Param area;
  if (std::string(kind) == "area") {
    HEAT_ASSIGN(int64_t centi, ParseArea(a.area));
    if (centi <= 0) return Status::Usage("--area must be more than 0");
    HEAT_ASSIGN(amount, AreaEffect(*db, t, centi));
    if (amount == 0) return Status::Usage("the new area changes no fee in season " + t.row.season.name);
    area = FormatArea(centi);
  } else {
    HEAT_ASSIGN(Fen fen, ParseYuan(a.amount));
    if (fen <= 0) return Status::Usage("--amount must be more than 0.00 yuan, got " + a.amount);
    HEAT_ASSIGN(billing::Account acct, billing::Replay(t.row, t.params));
    HEAT_TRY(acct.Reduce(t.today, fen).status().With("house " + t.row.house.code));
    if (std::string(kind) == "late_fee") HEAT_TRY(PostPendingLateFee(*db, t));
    amount = -fen;
  }
  HEAT_ASSIGN(db::Rows r, db->Query("SELECT * FROM bill.request_open($1, $2, $3, $4, $5)",
                                    {kind, std::to_string(t.row.id), std::to_string(amount), area, a.reason}));
  HEAT_TRY(tx->Commit());
  cli::PrintRecord({{"request", IntCell(r.get_int(0, "id"))}, {"house", TextCell(t.row.house.code)},
                    {"kind", TextCell(kind)}, {MoneyName(ctx, "amount"), MoneyCell(ctx, amount)},
                    {"route", TextCell(r.get(0, "route"))}, {"outcome", TextCell(r.get(0, "outcome"))}},
                   ctx.format, ctx.out());
  return Status::Ok();
}

Status List(cli::Context& ctx, bool pending) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  std::string money = ctx.format == cli::Format::kTable
                          ? "to_char(q.amount_fen / 100.0, 'FM999999999990.00') AS amount"
                          : "q.amount_fen";
  HEAT_ASSIGN(db::Rows r, db->Query(
      "SELECT q.id, h.code AS house, s.name AS season, q.kind, " + money + ", q.new_area::text AS new_area,"
      " q.route, q.outcome, q.requester, q.supervisor, q.deputy, q.production, q.ended_by,"
      " to_char(q.created_at, 'YYYY-MM-DD HH24:MI') AS created, q.reason FROM bill.request q"
      " JOIN bill.account a ON a.id = q.account_id JOIN bill.house h ON h.id = a.house_id"
      " JOIN bill.season s ON s.id = a.season_id WHERE NOT $1 OR q.outcome = 'pending' ORDER BY q.id",
      {pending ? "true" : "false"}));
  cli::Print(ctl::RowsTable(r, {{"id", cli::Cell::kInt}, {"amount_fen", cli::Cell::kInt},
                                {"amount", cli::Cell::kNumber}}), ctx.format, ctx.out());
  return Status::Ok();
}

// The role to decide in: --as, else the first open step the user holds.
// When the user holds none, the refusal names the role(s) the request
// still needs, by its amount (BIL-13), instead of a role it does not.
Result<std::string> RoleFor(db::Conn& db, int64_t id, const std::string& as) {
  if (!as.empty()) return as;
  HEAT_ASSIGN(db::Rows r, db.Query(
      "SELECT role, bill.has_role(role) AS mine, q.outcome, q.amount_fen FROM bill.request q,"
      " LATERAL (VALUES (1, 'bill_supervisor', q.route = 'supervisor'),"
      " (2, 'bill_deputy', q.route = 'joint' AND q.deputy IS NULL),"
      " (3, 'bill_production', q.route = 'joint' AND q.production IS NULL)) v(n, role, open)"
      " WHERE q.id = $1 AND open ORDER BY n", {std::to_string(id)}));
  std::string needed;
  for (int i = 0; i < r.size(); ++i) {
    if (r.get_bool(i, "mine")) return r.get(i, "role");
    needed += (needed.empty() ? "" : " and a ") + r.get(i, "role");
  }
  if (r.empty() || r.get(0, "outcome") != "pending") return std::string("bill_supervisor");  // the database says why
  return Status::Permission("request " + std::to_string(id) + " (" + FormatYuan(std::llabs(r.get_int(0, "amount_fen"))) +
                            " yuan) needs a " + needed + "; " + db.user() + " is not one (BIL-13)");
}

Status Decide(cli::Context& ctx, int64_t id, const char* action, const std::string& as) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(std::string role, RoleFor(*db, id, as));
  HEAT_ASSIGN(db::Rows r, db->Query("SELECT bill.decide($1, $2, $3)", {std::to_string(id), action, role}));
  ctx.out() << "request " << id << ": " << r.get(0, 0) << "\n";
  return Status::Ok();
}

cli::Command OpenRow(const char* path, const char* summary, const char* kind) {
  return {path, summary, "BIL-13", [kind](CLI::App& app) -> cli::Runner {
            auto a = std::make_shared<RequestArgs>();
            app.add_option("house", a->house, "house code or card number")->required();
            if (std::string(kind) == "area") app.add_option("--area", a->area, "new charged area, m2")->required();
            else app.add_option("--amount", a->amount, "yuan to take off")->required();
            app.add_option("--reason", a->reason, "why")->required();
            app.add_option("--season", a->season, "the season (default: the current one)");
            return [a, kind](cli::Context& ctx) { return Open(ctx, *a, kind); };
          }};
}

cli::Command DecideRow(const char* path, const char* summary, const char* action) {
  return {path, summary, "BIL-13", [action](CLI::App& app) -> cli::Runner {
            auto id = std::make_shared<int64_t>(0);
            auto as = std::make_shared<std::string>();
            app.add_option("request", *id, "request number (billctl requests)")->required();
            if (std::string(action) != "withdraw")
              app.add_option("--as", *as, "the role to act in: bill_supervisor, bill_deputy, bill_production");
            return [id, as, action](cli::Context& ctx) { return Decide(ctx, *id, action, *as); };
          }, false};
}

}  // namespace

std::vector<cli::Command> RequestCommands() {
  return {
      OpenRow("request area", "ask to change a house's charged area", "area"),
      OpenRow("request reduction", "ask to reduce a house's heating fee", "reduction"),
      OpenRow("request late-fee", "ask to reduce a house's late fee", "late_fee"),
      {"requests", "approval requests (--pending: only those waiting)", "BIL-13",
       [](CLI::App& app) -> cli::Runner {
         auto p = std::make_shared<bool>(false);
         app.add_flag("--pending", *p, "only requests still waiting");
         return [p](cli::Context& ctx) { return List(ctx, *p); };
       }},
      DecideRow("approve", "approve a request (the final approval applies it)", "approve"),
      DecideRow("reject", "reject a request", "reject"),
      DecideRow("withdraw", "withdraw one's own pending request", "withdraw"),
  };
}

}  // namespace heat::billctl
