// billing/day_close.h — the daily cash-up (日结, BIL-19): a cashier's day
// (login and company calendar day) submitted by the cashier, closed by a
// bill_supervisor, its sheet kept as it was closed (lib/sql/0035_day_close.sql
// holds the rules; the database computes every total and refuses entries
// into a closed day). Here: reading sheets, the three steps, and the
// overview of a day by cashier, hall, channel or method with the
// reconciliation of the sheets against the ledger.
//
// Contract:
// - Money is integer fen; a sheet's figures are exactly the stored JSON's
//   (ParseDaySheet never recomputes them); an open day's are the ledger's
//   now (bill.day_totals).
// - The overview's reconciliation compares the sum of the sheets (stored
//   for submitted and closed days, live for open ones) with a plain sum of
//   the day's takings entries of the same cashiers; any difference is
//   reported per cashier.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "heat/core/money.h"
#include "heat/core/status.h"
#include "heat/core/time.h"
#include "heat/db/conn.h"

namespace heat::billing {

// One line of a sheet: takings of one hall (receipt prefix), channel,
// method and kind (payment, refund, reversal).
struct DayLine {
  std::string hall, channel, method, kind;
  int64_t count = 0;
  Fen takings = 0;
};

// A receipt, refund or reversal listed on a sheet. For a reversal,
// receipt_no and day are those of the receipt it reverses.
struct DayListed {
  std::string receipt_no, house, reason, who, day;
  Fen amount = 0;
};

struct DaySheet {
  std::string cashier, day;
  std::string state = "open";  // open, submitted, closed, reopened
  int64_t payments = 0, refunds = 0, reversals = 0, receipts = 0;
  std::string receipt_first, receipt_last;
  Fen takings = 0, cash = 0;
  std::optional<Fen> cash_counted, cash_diff;
  std::vector<DayLine> lines;
  std::vector<DayListed> voided, refund_list, reversal_list;
  std::string submitted_at, closed_by, closed_at;
  std::string totals_json;  // the totals as the database gave them
  std::vector<std::string> Halls() const;
};

// The sheet in bill.day_totals' JSON; kFailure when a key is missing.
Result<DaySheet> ParseDaySheet(const std::string& totals_json);

// The steps (bill.day_submit, bill.day_close, bill.day_reopen); `day`
// nullopt is today. Errors are the database's (42501 → kPermission,
// 55000 → kConflict, ...).
Result<DaySheet> SubmitDay(db::Conn& db, std::optional<Date> day, std::optional<Fen> cash_counted);
Result<DaySheet> CloseDay(db::Conn& db, const std::string& cashier, std::optional<Date> day);
Result<DaySheet> ReopenDay(db::Conn& db, const std::string& cashier, const Date& day, const std::string& reason);
// The sheet of one cashier's day as it stands: the current sheet if
// submitted or closed, else the ledger's totals now (state "open").
Result<DaySheet> SheetOf(db::Conn& db, const std::string& cashier, std::optional<Date> day);

// A day seen by the caller: each cashier's sheet and the ledger's sum.
struct DayCashier {
  DaySheet sheet;   // stored (submitted, closed) or live (open)
  Fen live = 0;     // the ledger's totals now (bill.day_totals)
  Fen ledger = 0;   // a plain sum of the takings entries
};
Result<std::vector<DayCashier>> DayOverview(db::Conn& db, std::optional<Date> day);

// Totals of one group of the overview (a cashier, hall, channel or method).
struct DayGroup {
  std::string key;
  std::string state;  // the least advanced of its sheets: open < submitted < closed
  int64_t cashiers = 0, payments = 0, refunds = 0, reversals = 0;
  Fen takings = 0;
};
enum class DayBy { kCashier, kHall, kChannel, kMethod };
Result<DayBy> ParseDayBy(const std::string& s);
// Groups the lines of the sheets, keeping those of `cashier` and `hall`
// when not empty; ordered by key.
std::vector<DayGroup> GroupDay(const std::vector<DayCashier>& days, DayBy by, const std::string& cashier,
                               const std::string& hall);

// The sheets against the ledger, over the cashiers kept by the filters.
struct DayReconciliation {
  Fen sheets = 0, ledger = 0;
  int open = 0, submitted = 0, closed = 0;
  std::vector<std::string> differences;  // "c1: submitted sheet 10.00 yuan, ledger 12.00 yuan"
};
DayReconciliation Reconcile(const std::vector<DayCashier>& days, const std::string& cashier, const std::string& hall);

}  // namespace heat::billing
