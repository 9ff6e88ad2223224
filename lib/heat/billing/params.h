// billing/params.h — every billing rule is a parameter with a written
// default (BIL-29), described by ONE table {name, type, default, doc}
// (ParamTable(); billctl(1) prints Describe()). Adding a rule is adding a
// row. Values are text as an operator types them; SetParam checks each
// value against its type, Validate checks the rules between values.
//
// Types:
//   ratio      "30%", "0.05%" or "0.3" -> parts per million (0..100 %)
//   yuan       "50.00" -> fen (never negative here)
//   month-day  "10-10" (MM-DD; 02-29 refused), or "none" where optional
//   bool       "true" / "false"
//   enum       one of the listed words
//
// Heating year (how a month-day becomes a date): the season named by year
// Y is the heating year from Y-07-01 to (Y+1)-06-30. A month-day in July to
// December means that day in Y; in January to June, that day in Y+1. So for
// the default season 2025, season.start 10-10 is 2025-10-10, season.end
// 04-10 is 2026-04-10, and a discount.until of 09-30 is 2025-09-30. The
// season start must therefore fall in July–December and its end in
// January–June.
//
// Season days: the season is the half-open range [start, end) of calendar
// days in the company time zone; season.end is the first day WITHOUT
// heating. Urumqi's 10-10 .. 04-10 is 182 days, 183 when the February in
// it has 29 days.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "heat/core/money.h"
#include "heat/core/status.h"
#include "heat/core/time.h"

namespace heat::billing {

struct MonthDay {
  int month = 1, day = 1;
  auto operator<=>(const MonthDay&) const = default;
};

// "10-10" -> {10, 10}; kUsage for anything else and for 02-29.
Result<MonthDay> ParseMonthDay(std::string_view s);
std::string FormatMonthDay(const MonthDay& md);  // {4, 1} -> "04-01"
// A ratio as a percentage: 300000 ppm -> "30%", 500 -> "0.05%".
std::string FormatPercent(int64_t ppm);
// The date of a month-day in the heating year `season_year` (see above).
Date Resolve(const MonthDay& md, int season_year);

struct Params {
  // Season (BIL-29).
  MonthDay season_start{10, 10};           // first heating day
  MonthDay season_end{4, 10};              // first day without heating
  // Suspended (报停) houses pay this share of the full fee (BIL-10).
  int64_t suspended_base_ratio = 300'000;  // ppm: 30 %
  // Early-payment discount: this share of the heating fee when the
  // house has paid in full on or before discount_until. Default: none.
  int64_t discount_ratio = 0;              // ppm
  std::optional<MonthDay> discount_until;
  // Late fee (违约金): daily_rate × unpaid principal for every day after
  // late_fee_due up to the as-of date, capped. Default: none.
  int64_t late_fee_daily_rate = 0;         // ppm per day
  std::optional<MonthDay> late_fee_due;    // the last day without a late fee
  std::optional<int64_t> late_fee_cap_ratio;  // ppm of the principal
  std::optional<Fen> late_fee_cap;            // absolute fen
  // Mid-season price change (BIL-17): whether it reaches houses that had
  // paid in full before the change date.
  bool price_change_reaches_paid = false;
  // Reconnection (复网) surcharge, added once per reconnection.
  Fen reconnection_fee = 0;
  // Annual carry-over (结转, BIL-16).
  bool carry_arrears = true;
  bool carry_heating_status = false;       // "reset" (see CarriedStatus)
  // Ledger: whether a payment above the amount owed is kept as a
  // prepayment (credit) instead of being refused (billing/ledger.h).
  bool allow_prepayment = false;
  // Approval routing (BIL-13, billing/approval.h): below supervisor_from
  // at once; supervisor_from..joint_above (both inclusive) one
  // bill_supervisor; above joint_above bill_deputy and bill_production.
  Fen approval_supervisor_from = 5'000;    // 50.00 yuan
  Fen approval_joint_above = 20'000;       // 200.00 yuan
  // The residents' page (heatpay.cgi): look-ups per address and minute,
  // and how long a looked-up bill stays open (lib/sql/0036).
  int64_t pay_lookups_per_minute = 20;
  int64_t pay_session_minutes = 15;
};

// One row of the table.
struct ParamSpec {
  const char* name;           // "suspended.base_ratio"
  const char* type;           // "ratio", "yuan", "month-day", "bool", "enum: carry|reset"
  const char* default_value;  // as an operator would type it
  const char* doc;
};

const std::vector<ParamSpec>& ParamTable();
const ParamSpec* FindParam(std::string_view name);

// Sets one parameter from its text. kUsage for an unknown name (with the
// names that exist nearby) or a value that does not fit the type.
Status SetParam(Params& params, std::string_view name, std::string_view value);
// The canonical text of one parameter ("30%", "50.00", "none", "10-10");
// empty for an unknown name.
std::string GetParam(const Params& params, std::string_view name);
// Every parameter as name -> canonical text (what a database row stores).
std::map<std::string, std::string> ParamValues(const Params& params);

// The rules between parameters (kUsage, naming the parameters):
// season.start in July..December and season.end in January..June;
// discount.ratio > 0 exactly when discount.until is set; late_fee.daily_rate
// > 0 exactly when late_fee.due is set; a late-fee cap only with a late
// fee; 0 < approval.supervisor_from <= approval.joint_above.
Status Validate(const Params& params);

// Defaults, then every value in `values`, then Validate.
Result<Params> ParseParams(const std::map<std::string, std::string>& values);

// The table for the man page: one line per parameter,
// "name<TAB>type<TAB>default<TAB>doc".
std::string Describe();

// The season of heating year `year` under these parameters.
struct Season {
  int year = 0;
  Date start, end;  // [start, end)
  int days() const { return DaysBetween(start, end); }
};
Season SeasonFor(int year, const Params& params);

}  // namespace heat::billing
