// billctl dict|channel (BIL-25, BIL-27): the dictionaries behind every
// code a cashier picks, and the payment channels and methods, closable
// wholly or in part. Changes need bill_admin.
#include "heat/billctl/commands.h"
#include "heat/ctl/commands.h"

namespace heat::billctl {
namespace {

Status DictList(cli::Context& ctx, const std::string& kind) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query(
      "SELECT kind, code, label, active FROM bill.dict WHERE $1 = '' OR kind = $1 ORDER BY kind, code", {kind}));
  cli::Print(ctl::RowsTable(r, {{"active", cli::Cell::kBool}}), ctx.format, ctx.out());
  return Status::Ok();
}

struct DictArgs {
  std::string kind, code, label;
};

Status DictAdd(cli::Context& ctx, const DictArgs& a) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_TRY(db->Exec("INSERT INTO bill.dict (kind, code, label) VALUES ($1, $2, $3) ON CONFLICT (kind, code)"
                    " DO UPDATE SET label = EXCLUDED.label, active = true", {a.kind, a.code, a.label})
               .With("dictionary " + a.kind));
  ctx.out() << a.kind << " " << a.code << ": " << a.label << "\n";
  return Status::Ok();
}

// Entries are deactivated, never deleted: old records keep their meaning.
Status DictDisable(cli::Context& ctx, const DictArgs& a) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query("UPDATE bill.dict SET active = false WHERE kind = $1 AND code = $2 RETURNING code",
                                    {a.kind, a.code}));
  if (r.empty()) return Status::NotFound("no " + a.kind + " '" + a.code + "' (billctl dict list)");
  ctx.out() << a.kind << " " << a.code << " disabled\n";
  return Status::Ok();
}

Status ChannelList(cli::Context& ctx) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query(
      "SELECT code, kind, label, open, (SELECT string_agg(concat_ws('/', coalesce(channel, '*'),"
      " coalesce(method, '*'), coalesce(customer_type, '*')), ', ') FROM bill.payment_closure pc"
      " WHERE pc.channel = c.code OR pc.method = c.code) AS closed_for FROM bill.channel c ORDER BY kind, code"));
  cli::Print(ctl::RowsTable(r, {{"open", cli::Cell::kBool}}), ctx.format, ctx.out());
  return Status::Ok();
}

struct ClosureArgs {
  std::string code, method, customer_type;
};

// Without --method/--customer-type: the channel or method wholly;
// otherwise a closure row for just that part.
Status SetOpen(cli::Context& ctx, const ClosureArgs& a, bool open) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  auto opt = [](const std::string& s) { return s.empty() ? db::Param() : db::Param(s); };
  if (a.method.empty() && a.customer_type.empty()) {
    HEAT_ASSIGN(db::Rows r, db->Query("UPDATE bill.channel SET open = $2 WHERE code = $1 RETURNING kind",
                                      {a.code, open ? "true" : "false"}));
    if (r.empty()) return Status::NotFound("no channel or method '" + a.code + "' (billctl channel list)");
  } else {
    HEAT_ASSIGN(db::Rows k, db->Query("SELECT kind FROM bill.channel WHERE code = $1", {a.code}));
    if (k.empty()) return Status::NotFound("no channel or method '" + a.code + "'");
    bool is_method = k.get(0, 0) == "method";
    db::Params row = {is_method ? db::Param() : db::Param(a.code), is_method ? db::Param(a.code) : opt(a.method),
                      opt(a.customer_type)};
    HEAT_TRY(db->Exec(open ? "DELETE FROM bill.payment_closure WHERE channel IS NOT DISTINCT FROM $1"
                             " AND method IS NOT DISTINCT FROM $2 AND customer_type IS NOT DISTINCT FROM $3"
                           : "INSERT INTO bill.payment_closure (channel, method, customer_type)"
                             " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                      row));
  }
  ctx.out() << a.code << (a.method.empty() ? "" : " / " + a.method)
            << (a.customer_type.empty() ? "" : " for " + a.customer_type) << (open ? " open" : " closed") << "\n";
  return Status::Ok();
}

cli::Command ClosureRow(const char* path, const char* summary, bool open) {
  return {path, summary, "BIL-27", [open](CLI::App& app) -> cli::Runner {
            auto a = std::make_shared<ClosureArgs>();
            app.add_option("code", a->code, "channel or method code")->required();
            app.add_option("--method", a->method, "only this method inside the channel");
            app.add_option("--customer-type", a->customer_type, "only for this customer type");
            return [a, open](cli::Context& ctx) { return SetOpen(ctx, *a, open); };
          }, false};
}

}  // namespace

std::vector<cli::Command> DictCommands() {
  return {
      {"dict list", "dictionary entries (house types, reasons, kinds ...)", "BIL-25",
       [](CLI::App& app) -> cli::Runner {
         auto k = std::make_shared<std::string>();
         app.add_option("kind", *k, "only this dictionary");
         return [k](cli::Context& ctx) { return DictList(ctx, *k); };
       }},
      {"dict add", "add or relabel a dictionary entry: KIND CODE LABEL", "BIL-25",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<DictArgs>();
         app.add_option("kind", a->kind, "dictionary")->required();
         app.add_option("code", a->code, "code (lower case, digits, _ -)")->required();
         app.add_option("label", a->label, "what people read")->required();
         return [a](cli::Context& ctx) { return DictAdd(ctx, *a); };
       }, false},
      {"dict disable", "stop offering a dictionary entry: KIND CODE", "BIL-25",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<DictArgs>();
         app.add_option("kind", a->kind, "dictionary")->required();
         app.add_option("code", a->code, "code")->required();
         return [a](cli::Context& ctx) { return DictDisable(ctx, *a); };
       }, false},
      {"channel list", "payment channels and methods, open or closed and for whom", "BIL-27",
       [](CLI::App&) -> cli::Runner { return ChannelList; }},
      ClosureRow("channel close", "close a channel or method, wholly or in part", false),
      ClosureRow("channel open", "open again what channel close closed", true),
  };
}

}  // namespace heat::billctl
