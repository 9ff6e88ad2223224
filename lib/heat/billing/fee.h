// billing/fee.h — the heating fee of one house for one season (BIL-10,
// BIL-17): a pure function from the inputs to a breakdown with an
// explanation in plain words. Money in integer fen, areas in centi-m²,
// ratios in ppm (core/money.h); every amount below is rounded half away
// from zero exactly once, on exact integer arithmetic.
//
// Days. The season is the half-open range [start, end) of calendar days
// (billing/params.h): N = DaysBetween(start, end) days, end not counted.
// A status event dated X takes effect for the whole of day X: a house
// resumed (复热) on R is heated on R and after, so its heated days are
// DaysBetween(R, end) ("remaining days from R inclusive"); a house
// suspended (报停) on S was heated up to S−1, so DaysBetween(start, S).
// Event dates must lie in [start, end); a suspension for the whole season
// is initial_status = kSuspended (or a suspension dated start).
//
// The rules, for a single price:
//   full fee F     = AreaTimesPrice(area, price)          (once per house)
//   base fee B     = ApplyRatio(F, suspended.base_ratio)   (once, on F)
//   heating fee    = (F × heated days + B × suspended days) / N, rounded once
//                    (disconnected days cost nothing)
// so: heated all season -> F; suspended all season -> B; resumed on R ->
// B + (F − B) × DaysBetween(R, end) / N; suspended mid-season on S (paid or
// not) -> F for the days heated plus B for the rest, i.e.
// B + (F − B) × DaysBetween(start, S) / N. What was paid beyond that is a
// credit in the ledger, refunded or carried (billing/ledger.h).
// Disconnected (退网): no heating fee for the days disconnected; each
// reconnection (复网) adds reconnection.fee as a surcharge.
//
// Price change from D (BIL-17): each price k covers n_k of the N days;
// F_k = AreaTimesPrice(area, price_k) and B_k = ApplyRatio(F_k, ratio) are
// the per-house fees at that price, and every sum above becomes
// Σ_k (F_k × heated_k + B_k × suspended_k) / N, rounded once. A change
// does not reach a house that had paid its whole principal (computed
// without that change) by D−1, unless price_change.reaches_paid; it and
// all later changes are then left out for that house.
//
// Early-payment discount: discount.ratio × heating fee (rounded once) when
// the payments dated on or before discount.until cover the whole principal
// with the discount taken off. Never more than the heating fee left after
// reductions.
//
// Reductions (减免): given amounts, either on the heating fee (at most the
// heating fee) or on the late fee (at most the late fee); kUsage beyond.
//
// Principal = heating fee − discount − fee reductions + surcharges.
// Late fee (违约金): for every day d with due < d <= as_of, the unpaid
// principal at the end of day d (principal − payments dated on or before
// d, not below 0) × late_fee.daily_rate; the sum over the days is rounded
// once, then capped (cap_ratio × principal, rounded once, and/or the
// absolute cap; the lower holds). A payment made on day d stops the late
// fee from day d on.
//
// Receivable = heating fee − discount − reductions + late fee + surcharges;
// owed = receivable + carried in − carried out − payments (negative: paid
// more than is owed). With a carry-over the late fee's principal is
// principal + carried in, and a balance carried out counts as paid on its
// day.
//
// kUsage for invalid inputs: negative area or price, a season with end <=
// start, events out of date order or outside [start, end), a transition
// that is not allowed (resume when not suspended, suspend when not heated,
// reconnect when not disconnected, disconnect when disconnected), price
// changes outside (start, end) or not strictly in date order, zero
// payments, payments dated after as_of, negative surcharges, reductions of
// zero or less or beyond what they reduce, invalid parameters.
#pragma once

#include <string>
#include <vector>

#include "heat/billing/params.h"
#include "heat/core/money.h"
#include "heat/core/status.h"
#include "heat/core/time.h"

namespace heat::billing {

enum class HeatingStatus { kHeating, kSuspended, kDisconnected };
const char* HeatingStatusName(HeatingStatus s);  // "heating", "suspended (报停)", ...

// The status a house starts the next season with (BIL-16): disconnected
// stays disconnected; suspended stays suspended only with
// carry_over.heating_status = carry; everything else starts heating.
HeatingStatus CarriedStatus(HeatingStatus end_of_season, const Params& params);

enum class EventKind {
  kSuspend,     // 报停: heating -> suspended
  kResume,      // 复热: suspended -> heating
  kDisconnect,  // 退网: heating or suspended -> disconnected
  kReconnect,   // 复网: disconnected -> heating (+ reconnection.fee)
};

struct StatusEvent {
  Date date;  // effective for the whole of this day
  EventKind kind;
};

struct PriceChange {
  Date from;         // first day at the new price, in (start, end)
  Fen fen_per_m2;
};

struct Payment {
  Date date;
  Fen amount;        // net: a refund is negative; never 0
};

struct Reduction {
  Fen amount;        // > 0
  bool on_late_fee = false;
  std::string reason;
};

struct Surcharge {
  std::string type;  // from the surcharge-type dictionary (BIL-25)
  Fen amount;        // >= 0
};

struct FeeInput {
  Season season;
  int64_t area_centi_m2 = 0;        // charged area
  Fen fen_per_m2 = 0;               // price of the house type at season start
  std::vector<PriceChange> price_changes;
  HeatingStatus initial_status = HeatingStatus::kHeating;
  std::vector<StatusEvent> events;  // in date order
  std::vector<Payment> payments;    // any order, none after as_of
  std::vector<Reduction> reductions;
  // Reductions the ledger already holds (store.h BuildFeeInput): beyond
  // what they reduce (a late-fee reduction above a late fee that has since
  // dropped, a fee reduction above a fee a suspension lowered) they are
  // explained as a credit, not refused, so `show` and `charge` keep
  // working whatever the ledger holds (BIL-13). False: kUsage, as below.
  bool reductions_as_stored = false;
  std::vector<Surcharge> surcharges;
  // Annual carry-over (BIL-16): the balance carried in from the last
  // season (owed from this season's start: the late fee runs on it, with
  // the principal, after this season's due day) and the balances carried
  // out to the next (each stops the late fee here from its day, as a
  // payment of that amount would; a credit carried out is negative).
  Fen carried_in = 0;
  std::vector<Payment> carried_out;  // none after as_of
  Date as_of;
};

struct FeeBreakdown {
  Fen full_fee = 0;      // the fee heated all season (prorated over prices)
  Fen base_fee = 0;      // the fee suspended all season
  Fen heating_fee = 0;   // the fee for this house's timeline
  Fen discount = 0;      // early-payment discount (positive, subtracted)
  Fen late_fee = 0;      // 违约金 (before late-fee reductions)
  Fen reductions = 0;    // fee and late-fee reductions (positive, subtracted)
  Fen surcharges = 0;    // reconnection fees and given surcharges
  Fen receivable = 0;    // heating − discount − reductions + late + surcharges
  Fen paid = 0;          // net payments up to as_of
  Fen carried = 0;       // carried in − carried out (BIL-16)
  Fen owed = 0;          // receivable + carried − paid
  int season_days = 0, heated_days = 0, suspended_days = 0, disconnected_days = 0;
  int price_changes_applied = 0;
  HeatingStatus end_status = HeatingStatus::kHeating;
  std::vector<std::string> explanation;  // "100.00 m² × 22.00 yuan/m² = 2200.00 yuan"
};

Result<FeeBreakdown> ComputeFee(const FeeInput& input, const Params& params);

}  // namespace heat::billing
