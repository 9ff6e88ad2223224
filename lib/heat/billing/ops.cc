#include "heat/billing/ops.h"

#include <chrono>
#include <random>
#include <thread>

#include "heat/billing/charge_key.h"

namespace heat::billing {
namespace {

std::string S(int64_t v) { return std::to_string(v); }

// Everything one operation needs, loaded once.
struct Loaded {
  HouseRow house;
  SeasonRow season;
  AccountRow row;
  Params params;
  Date today;
};

Result<Loaded> Load(db::Conn& db, const std::string& house, const std::string& season) {
  Loaded l;
  HEAT_ASSIGN(l.house, FindHouse(db, house));
  HEAT_TRY(LockHouse(db, l.house.id));
  HEAT_ASSIGN(l.today, Today(db));
  if (season.empty()) {
    HEAT_ASSIGN(l.season, DefaultSeason(db, l.today));
  } else {
    HEAT_ASSIGN(l.season, FindSeason(db, season));
  }
  if (l.season.closed) return Status::Conflict("season " + l.season.name + " is closed");
  HEAT_ASSIGN(l.row, OpenAccount(db, l.house, l.season));
  HEAT_ASSIGN(Params p, LoadParams(db));
  HEAT_ASSIGN(l.params, ParamsForAccount(db, l.row, p));
  return l;
}

// One bill.post; returns the receipt number (empty for entries without).
Result<std::string> Post(db::Conn& db, const AccountRow& row, int64_t seq, const char* kind, Fen amount,
                         const Date& date, const db::Param& reverses, const db::Param& channel,
                         const db::Param& method, const std::string& note) {
  HEAT_ASSIGN(db::Rows r, db.QueryPrepared(
      "SELECT receipt_no FROM bill.post($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      {S(row.id), S(seq), kind, S(amount), FormatDate(date), reverses, channel, method, note}));
  return r.opt(0, "receipt_no").value_or("");
}

// BIL-4: every subsidiary house of this one paid up, in every season.
// A subsidiary without an account this season is opened (assessed) first,
// so the rule sees what it owes, not only the accounts that exist.
Status CheckSubsidiaries(db::Conn& db, const Loaded& l, const Account& main) {
  HEAT_ASSIGN(db::Rows unopened, db.QueryPrepared(
      "SELECT h.code FROM bill.house_relation hr JOIN bill.house h ON h.id = hr.sub_id"
      " WHERE hr.main_id = $1 AND h.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM bill.account a"
      " WHERE a.house_id = h.id AND a.season_id = $2)", {S(l.house.id), S(l.season.id)}));
  for (int i = 0; i < unopened.size(); ++i) {
    HEAT_ASSIGN(HouseRow sub, FindHouse(db, unopened.get(i, 0)));
    HEAT_TRY(OpenAccount(db, sub, l.season).status().With("subsidiary house " + sub.code));
  }
  HEAT_ASSIGN(db::Rows r, db.QueryPrepared(
      "SELECT h.code, s.name, (bill.account_sums(a.id)).balance AS balance"
      " FROM bill.house_relation hr JOIN bill.house h ON h.id = hr.sub_id"
      " JOIN bill.account a ON a.house_id = h.id JOIN bill.season s ON s.id = a.season_id"
      " WHERE hr.main_id = $1 ORDER BY h.code, s.start_date", {S(l.house.id)}));
  std::vector<Account> subs;
  for (int i = 0; i < r.size(); ++i) {
    Account a(r.get(i, "code"), std::stoi(r.get(i, "name").substr(0, 4)), true);
    Fen bal = r.get_int(i, "balance");
    if (bal != 0) (void)a.Adjust(l.today, bal);
    subs.push_back(std::move(a));
  }
  return CanPay(main, subs);
}

Result<Posted> Finish(db::Conn& db, const Loaded& l, int64_t seq, std::string receipt, Fen amount) {
  HEAT_ASSIGN(db::Rows r, db.QueryPrepared("SELECT (bill.account_sums($1)).balance", {S(l.row.id)}));
  Posted p{l.house.code, l.season.name, seq, std::move(receipt), amount, r.get_int(0, 0), {}};
  return p;
}

}  // namespace

Result<Posted> Retrying(const std::function<Result<Posted>()>& attempt) {
  thread_local std::mt19937 rng{std::random_device{}()};
  int cap_ms = 5;
  for (int n = 1;; ++n) {
    Result<Posted> r = attempt();
    if (r.ok() || !r.status().transient() || n == kAttempts) return r;
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, cap_ms)(rng)));
    cap_ms = std::min(cap_ms * 2, 200);
  }
}

Status LockHouse(db::Conn& db, int house_id) {
  // Key space 0x42494c4c ("BILL") keeps these apart from other advisory locks.
  return db.QueryPrepared("SELECT pg_advisory_xact_lock(1112099916, $1)", {std::to_string(house_id)}).status();
}

Result<Standing> StandingOf(db::Conn& db, const AccountRow& row, const Params& params, const Date& day) {
  Standing s;
  HEAT_ASSIGN(FeeInput in, BuildFeeInput(db, row, day));
  HEAT_ASSIGN(s.fee, ComputeFee(in, params));
  HEAT_ASSIGN(Account a, Replay(row, params));
  s.charges = a.Charges();
  s.paid = a.Paid();
  s.pending_late_fee = std::max<Fen>(0, s.fee.late_fee - NetOf(row, {EntryKind::kLateFee}));
  return s;
}

namespace {

Result<Posted> ChargeOnce(db::Conn& db, const PaymentRequest& req) {
  if (req.amount <= 0) return Status::Usage("the amount must be more than 0.00 yuan");
  if (!req.request_key.empty()) HEAT_TRY(CheckRequestKey(req.request_key));
  HEAT_ASSIGN(auto tx, db::Transaction::Start(db));
  HEAT_ASSIGN(Loaded l, Load(db, req.house, req.season));
  if (!req.request_key.empty()) {  // under the house's lock: a charge with this key is committed or absent
    HEAT_ASSIGN(auto prior, FindKeyed(db, req.request_key));
    if (prior) {
      HEAT_TRY(SameCharge(*prior, l.row.id, req));
      HEAT_ASSIGN(Posted p, Finish(db, l, prior->seq, prior->receipt_no, prior->amount));
      p.replayed = true;
      return p;  // rolled back: nothing written
    }
  }
  HEAT_ASSIGN(Account acct, Replay(l.row, l.params));
  HEAT_TRY(CheckSubsidiaries(db, l, acct));
  // The engine's view with this payment included: late fee up to today,
  // and the early-payment discount it earns.
  HEAT_ASSIGN(FeeInput in, BuildFeeInput(db, l.row, l.today));
  in.payments.push_back({l.today, req.amount});
  HEAT_ASSIGN(FeeBreakdown fee, ComputeFee(in, l.params));
  Posted extra;
  Fen late = std::max<Fen>(0, fee.late_fee - NetOf(l.row, {EntryKind::kLateFee}));
  if (late > 0) {
    HEAT_TRY(acct.LateFee(l.today, late).status());
    extra.also.push_back("late fee " + FormatYuan(late));
  }
  Fen discount = std::max<Fen>(0, fee.discount + NetOf(l.row, {EntryKind::kDiscount}));
  if (discount > 0) {
    HEAT_TRY(acct.Discount(l.today, discount).status());
    extra.also.push_back("discount " + FormatYuan(discount));
  }
  HEAT_TRY(acct.Pay(l.today, req.amount).status());
  // One call: the database checks the discount against its own rules and
  // the payment (BIL-13: a client's amount never skips an approval).
  HEAT_ASSIGN(db::Rows r, db.QueryPrepared(
      "SELECT seq, receipt_no FROM bill.charge($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {S(l.row.id), S(l.row.next_seq()), S(req.amount), FormatDate(l.today), req.channel, req.method, req.note,
       S(late), S(discount), req.request_key.empty() ? db::Param() : db::Param(req.request_key)}));
  HEAT_ASSIGN(Posted p, Finish(db, l, r.get_int(0, "seq"), r.get(0, "receipt_no"), req.amount));
  p.also = extra.also;
  HEAT_TRY(tx->Commit());
  return p;
}

Result<Posted> RefundOnce(db::Conn& db, const PaymentRequest& req) {
  if (req.amount <= 0) return Status::Usage("the amount must be more than 0.00 yuan");
  HEAT_ASSIGN(auto tx, db::Transaction::Start(db));
  HEAT_ASSIGN(Loaded l, Load(db, req.house, req.season));
  HEAT_ASSIGN(Account acct, Replay(l.row, l.params));
  HEAT_TRY(acct.Refund(l.today, req.amount).status());
  int64_t seq = l.row.next_seq();
  HEAT_ASSIGN(std::string receipt, Post(db, l.row, seq, "refund", req.amount, l.today, {}, req.channel,
                                        req.method, req.note));
  HEAT_ASSIGN(Posted p, Finish(db, l, seq, receipt, req.amount));
  HEAT_TRY(tx->Commit());
  return p;
}

Result<Posted> ReverseEntryOnce(db::Conn& db, const std::string& house, const std::string& season, int64_t seq,
                                const std::string& reason) {
  if (reason.empty()) return Status::Usage("a reversal needs a reason (--reason)");
  HEAT_ASSIGN(auto tx, db::Transaction::Start(db));
  HEAT_ASSIGN(Loaded l, Load(db, house, season));
  HEAT_ASSIGN(Account acct, Replay(l.row, l.params));
  HEAT_TRY(acct.Reverse(l.today, seq, reason).status());
  const Entry* target = acct.Find(seq);
  HEAT_ASSIGN(db::Rows id, db.Query(
      "SELECT id, kind = 'payment' AND by_login = session_user"
      " AND (at AT TIME ZONE current_setting('TimeZone'))::date = bill.today() AS direct"
      " FROM bill.entry WHERE account_id = $1 AND seq = $2", {S(l.row.id), S(seq)}));
  if (!id.get_bool(0, "direct")) {
    HEAT_ASSIGN(db::Rows q, db.Query("SELECT * FROM bill.request_open('reversal', $1, $2, NULL, $3, $4)",
                                     {S(l.row.id), S(-target->amount), reason, id.get(0, "id")}));
    HEAT_ASSIGN(Posted p, Finish(db, l, 0, "", -target->amount));
    p.request = q.get_int(0, "id");
    p.route = q.get(0, "route");
    p.outcome = q.get(0, "outcome");
    HEAT_TRY(tx->Commit());
    return p;
  }
  int64_t next = l.row.next_seq();
  HEAT_TRY(Post(db, l.row, next, "reversal", -target->amount, l.today, id.get(0, "id"), {}, {}, reason).status());
  HEAT_ASSIGN(Posted p, Finish(db, l, next, "", -target->amount));
  HEAT_TRY(tx->Commit());
  return p;
}

Result<Posted> AccrueLateFeeOnce(db::Conn& db, const std::string& house, const std::string& season,
                                 const Date& day) {
  HEAT_ASSIGN(auto tx, db::Transaction::Start(db));
  HEAT_ASSIGN(Loaded l, Load(db, house, season));
  if (day > l.today) return Status::Usage("--date " + FormatDate(day) + " is in the future");
  HEAT_ASSIGN(FeeInput in, BuildFeeInput(db, l.row, day));
  HEAT_ASSIGN(FeeBreakdown fee, ComputeFee(in, l.params));
  Fen late = fee.late_fee - NetOf(l.row, {EntryKind::kLateFee});
  if (late <= 0) return Posted{l.house.code, l.season.name, 0, "", 0, 0, {}};
  HEAT_ASSIGN(Account acct, Replay(l.row, l.params));
  HEAT_TRY(acct.LateFee(day, late).status());
  int64_t seq = l.row.next_seq();
  HEAT_TRY(Post(db, l.row, seq, "late_fee", late, day, {}, {}, {}, "late fee to " + FormatDate(day)).status());
  HEAT_ASSIGN(Posted p, Finish(db, l, seq, "", late));
  HEAT_TRY(tx->Commit());
  return p;
}

}  // namespace

Result<Posted> AccrueLateFee(db::Conn& db, const std::string& house, const std::string& season, const Date& day) {
  return Retrying([&] { return AccrueLateFeeOnce(db, house, season, day); });
}

Result<Posted> Charge(db::Conn& db, const PaymentRequest& req) {
  return Retrying([&] { return ChargeOnce(db, req); });
}

Result<Posted> Refund(db::Conn& db, const PaymentRequest& req) {
  return Retrying([&] { return RefundOnce(db, req); });
}

Result<Posted> ReverseEntry(db::Conn& db, const std::string& house, const std::string& season, int64_t seq,
                            const std::string& reason) {
  return Retrying([&] { return ReverseEntryOnce(db, house, season, seq, reason); });
}

Result<Posted> ReverseReceipt(db::Conn& db, const std::string& receipt_no, const std::string& reason) {
  HEAT_ASSIGN(db::Rows r, db.Query(
      "SELECT h.code, s.name, e.seq FROM bill.receipt rc JOIN bill.entry e ON e.id = rc.entry_id"
      " JOIN bill.account a ON a.id = e.account_id JOIN bill.house h ON h.id = a.house_id"
      " JOIN bill.season s ON s.id = a.season_id WHERE rc.receipt_no = $1", {receipt_no}));
  if (r.empty()) return Status::NotFound("no receipt " + receipt_no);
  return ReverseEntry(db, r.get(0, "code"), r.get(0, "name"), r.get_int(0, "seq"), reason);
}

}  // namespace heat::billing
