// billctl charge|refund|reverse (BIL-9, BIL-11, BIL-12): money in and out
// of a house's yearly account, through billing/ops.h; receipts on paper
// are print_cmd.cc's.
#include "heat/billctl/commands.h"
#include "heat/billing/charge_key.h"
#include "heat/billing/ops.h"
#include "heat/ctl/commands.h"

namespace heat::billctl {
namespace {

struct MoneyArgs {
  std::string house, season, amount, method, channel = "counter", note;
  std::string key;  // charge: the request key (charge_key.h); "" makes one
  PaperArgs paper;  // charge: the receipt on paper (BIL-21)
};

void PrintPosted(cli::Context& ctx, const billing::Posted& p, const char* what) {
  cli::Record rec{{"house", TextCell(p.house)}, {"season", TextCell(p.season)},
                  {"seq", IntCell(p.seq)}, {"receipt_no", TextCell(p.receipt_no)},
                  {MoneyName(ctx, what), MoneyCell(ctx, p.amount)},
                  {MoneyName(ctx, "balance"), MoneyCell(ctx, p.balance)}};
  if (p.receipt_no.empty()) rec.erase(rec.begin() + 3);
  if (p.request != 0) {  // a reversal that is a request (BIL-13): no entry yet, perhaps
    rec.erase(rec.begin() + 2);
    rec.insert(rec.begin() + 2, {{"request", IntCell(p.request)}, {"route", TextCell(p.route)},
                                 {"outcome", TextCell(p.outcome)}});
  }
  std::string also;
  for (const auto& a : p.also) also += (also.empty() ? "" : "; ") + a;
  if (!also.empty()) rec.emplace_back("also", TextCell(also));
  cli::PrintRecord(rec, ctx.format, ctx.out());
}

Result<billing::PaymentRequest> Request(const MoneyArgs& a) {
  billing::PaymentRequest r{a.house, a.season, 0, a.method, a.channel, a.note};
  auto fen = ParseYuan(a.amount);
  if (!fen.ok()) return fen.status().With("--amount");
  r.amount = *fen;
  if (r.amount <= 0) return Status::Usage("--amount must be more than 0.00 yuan, got " + a.amount);
  return r;
}

// A lost connection around the COMMIT is survived by the request key
// (billing::ChargeSurely): the receipt is printed once, whichever way.
Status ChargeCmd(cli::Context& ctx, const MoneyArgs& a) {
  HEAT_ASSIGN(billing::PaymentRequest req, Request(a));
  if (a.key.empty()) {
    HEAT_ASSIGN(req.request_key, billing::NewRequestKey());
  } else {
    HEAT_TRY(billing::CheckRequestKey(a.key));
    req.request_key = a.key;
  }
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(billing::Posted p, billing::ChargeSurely(*db, req));
  if (p.replayed)
    ctx.err() << ctx.program() << ": request key " << req.request_key << " was charged before (receipt "
              << p.receipt_no << "); nothing charged again\n";
  PrintPosted(ctx, p, "amount");
  if (a.paper.wanted()) return IssueReceipt(ctx, p.receipt_no, a.paper);  // after the commit
  return Status::Ok();
}

Status RefundCmd(cli::Context& ctx, const MoneyArgs& a) {
  if (a.note.empty()) return Status::Usage("a refund needs a reason (--reason)");
  HEAT_ASSIGN(billing::PaymentRequest req, Request(a));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(billing::Posted p, billing::Refund(*db, req));
  PrintPosted(ctx, p, "amount");
  return Status::Ok();
}

struct ReverseArgs {
  std::string receipt, house, season, reason;
  int64_t seq = 0;
};

Status ReverseCmd(cli::Context& ctx, const ReverseArgs& a) {
  if (a.reason.empty()) return Status::Usage("a reversal needs a reason (--reason)");
  if (a.receipt.empty() == (a.seq == 0))
    return Status::Usage("name a RECEIPT, or --house and --entry for an entry without a receipt");
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  auto p = a.receipt.empty() ? billing::ReverseEntry(*db, a.house, a.season, a.seq, a.reason)
                             : billing::ReverseReceipt(*db, a.receipt, a.reason);
  if (!p.ok()) return p.status();
  PrintPosted(ctx, *p, "amount");
  return Status::Ok();
}

void MoneyOptions(CLI::App& app, MoneyArgs& a, bool refund) {
  app.add_option("house", a.house, "house code or card number")->required();
  app.add_option("--amount", a.amount, "yuan, e.g. 2200.00")->required();
  app.add_option("--method", a.method, "cash, card, wechat, alipay, transfer")->required();
  app.add_option("--channel", a.channel, "counter (default), mobile, bank");
  app.add_option("--season", a.season, "the season (default: the current one)");
  app.add_option(refund ? "--reason" : "--note", a.note, refund ? "why the money goes back" : "a note");
}

}  // namespace

std::vector<cli::Command> MoneyCommands() {
  return {
      {"charge", "take a payment for a house; prints the receipt number", "BIL-11 BIL-12 BIL-4 BIL-21",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<MoneyArgs>();
         MoneyOptions(app, *a, false);
         app.add_option("--key", a->key, "request key: the same key again never charges twice (default: a new one)");
         PaperOptions(app, a->paper);
         return [a](cli::Context& ctx) { return ChargeCmd(ctx, *a); };
       }},
      {"refund", "give back money paid beyond the charges", "BIL-11",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<MoneyArgs>();
         MoneyOptions(app, *a, true);
         return [a](cli::Context& ctx) { return RefundCmd(ctx, *a); };
       }},
      {"reverse", "红冲: reverse a receipt's entry (its receipt is voided) or --entry N", "BIL-9 BIL-12",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<ReverseArgs>();
         app.add_option("receipt", a->receipt, "the receipt number");
         app.add_option("--house", a->house, "with --entry: the house");
         app.add_option("--season", a->season, "with --entry: the season (default: the current one)");
         app.add_option("--entry", a->seq, "entry number in the account (billctl show)")->check(CLI::PositiveNumber);
         app.add_option("--reason", a->reason, "why")->required();
         return [a](cli::Context& ctx) { return ReverseCmd(ctx, *a); };
       }},
  };
}

}  // namespace heat::billctl
