// 报停/复热/退网/复网 (BIL-10): a heating-status event and the fee
// adjustment the engine computes for it (billing/ops.h).
#include "heat/billing/ops.h"

namespace heat::billing {
namespace {

const char* EventName(EventKind k) {
  switch (k) {
    case EventKind::kSuspend: return "suspend";
    case EventKind::kResume: return "resume";
    case EventKind::kDisconnect: return "disconnect";
    case EventKind::kReconnect: return "reconnect";
  }
  return "?";
}

Fen FeeTotal(const FeeBreakdown& f) { return f.heating_fee + f.surcharges; }

Result<Posted> ChangeStatusOnce(db::Conn& db, const std::string& house, const std::string& season,
                                EventKind kind, const Date& date) {
  HEAT_ASSIGN(auto tx, db::Transaction::Start(db));
  HEAT_ASSIGN(HouseRow h, FindHouse(db, house));
  HEAT_TRY(LockHouse(db, h.id));
  HEAT_ASSIGN(Date today, Today(db));
  HEAT_ASSIGN(SeasonRow s, season.empty() ? DefaultSeason(db, today) : FindSeason(db, season));
  if (s.closed) return Status::Conflict("season " + s.name + " is closed");
  if (date < s.start || date >= s.end)
    return Status::Usage("--date " + FormatDate(date) + " is outside season " + s.name + " (" +
                         FormatDate(s.start) + " .. " + FormatDate(s.end) + ")");
  HEAT_ASSIGN(AccountRow row, OpenAccount(db, h, s));
  HEAT_ASSIGN(Params base, LoadParams(db));
  HEAT_ASSIGN(Params params, ParamsForAccount(db, row, base));
  HEAT_ASSIGN(FeeInput in, BuildFeeInput(db, row, today));
  HEAT_ASSIGN(FeeBreakdown before, ComputeFee(in, params));
  if (!in.events.empty() && date < in.events.back().date)
    return Status::Usage("--date " + FormatDate(date) + " is before the last status change (" +
                         FormatDate(in.events.back().date) + ")");
  in.events.push_back({date, kind});
  HEAT_ASSIGN(FeeBreakdown after, ComputeFee(in, params));
  Fen delta = FeeTotal(after) - FeeTotal(before);
  HEAT_ASSIGN(Account acct, Replay(row, params));
  std::string note = std::string(EventName(kind)) + " from " + FormatDate(date) + ": fee " +
                     FormatYuan(FeeTotal(before)) + " -> " + FormatYuan(FeeTotal(after));
  if (delta != 0) HEAT_TRY(acct.Adjust(date, delta, note).status());
  HEAT_TRY(db.Exec("SELECT bill.change_status($1, $2, $3, $4, $5, $6)",
                   {std::to_string(row.id), std::to_string(row.next_seq()), EventName(kind), FormatDate(date),
                    std::to_string(delta), note}));
  HEAT_ASSIGN(db::Rows r, db.Query("SELECT (bill.account_sums($1)).balance", {std::to_string(row.id)}));
  Posted p{h.code, s.name, delta != 0 ? row.next_seq() : 0, "", delta, r.get_int(0, 0), {note}};
  HEAT_TRY(tx->Commit());
  return p;
}

}  // namespace

Result<Posted> ChangeStatus(db::Conn& db, const std::string& house, const std::string& season,
                            EventKind kind, const Date& date) {
  return Retrying([&] { return ChangeStatusOnce(db, house, season, kind, date); });
}

Result<Posted> ApplyPriceChange(db::Conn& db, const std::string& house, const SeasonRow& season,
                                const Params& base, const Date& today, const Date& from) {
  HEAT_ASSIGN(HouseRow h, FindHouse(db, house));
  HEAT_ASSIGN(AccountRow row, LoadAccount(db, h, season));
  HEAT_ASSIGN(Params params, ParamsForAccount(db, row, base));
  HEAT_ASSIGN(FeeInput with, BuildFeeInput(db, row, today));
  FeeInput without = with;
  std::erase_if(without.price_changes, [&](const PriceChange& c) { return c.from == from; });
  HEAT_ASSIGN(FeeBreakdown after, ComputeFee(with, params));
  HEAT_ASSIGN(FeeBreakdown before, ComputeFee(without, params));
  Fen delta = FeeTotal(after) - FeeTotal(before);
  Posted p{h.code, season.name, 0, "", delta, 0, {}};
  if (delta == 0) return p;
  std::string note = "price change from " + FormatDate(from) + ": fee " + FormatYuan(FeeTotal(before)) +
                     " -> " + FormatYuan(FeeTotal(after));
  HEAT_ASSIGN(Account acct, Replay(row, params));
  HEAT_TRY(acct.Adjust(today, delta, note).status());
  p.seq = row.next_seq();
  HEAT_TRY(db.Exec("SELECT bill.post($1, $2, 'adjustment', $3, $4, NULL, NULL, NULL, $5)",
                   {std::to_string(row.id), std::to_string(p.seq), std::to_string(delta), FormatDate(today), note}));
  return p;
}

}  // namespace heat::billing
