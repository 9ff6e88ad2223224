#include "heat/billing/fee.h"

#include <algorithm>

namespace heat::billing {
namespace {

struct Span {  // [from, to) in one status
  Date from, to;
  HeatingStatus status;
};

struct PriceSpan {  // [from, to) at one price
  Date from, to;
  Fen fen_per_m2;
  Fen full = 0, base = 0;  // F_k, B_k
  int heated = 0, suspended = 0;
};

// The fee for the first `applied` price changes.
struct Core {
  std::vector<PriceSpan> prices;
  Fen full_fee = 0, base_fee = 0, heating_fee = 0;
};

const char* EventName(EventKind k) {
  switch (k) {
    case EventKind::kSuspend: return "suspension (报停)";
    case EventKind::kResume: return "resumption (复热)";
    case EventKind::kDisconnect: return "disconnection (退网)";
    case EventKind::kReconnect: return "reconnection (复网)";
  }
  return "?";
}

std::string Yuan(Fen f) { return FormatYuan(f) + " yuan"; }

int Overlap(const Date& a0, const Date& a1, const Date& b0, const Date& b1) {
  Date lo = std::max(a0, b0), hi = std::min(a1, b1);
  return lo < hi ? DaysBetween(lo, hi) : 0;
}

Core Assess(const FeeInput& in, const Params& p, const std::vector<Span>& spans, size_t applied) {
  Core c;
  Date from = in.season.start;
  Fen price = in.fen_per_m2;
  for (size_t k = 0; k <= applied; ++k) {
    Date to = k < applied ? in.price_changes[k].from : in.season.end;
    c.prices.push_back(PriceSpan{from, to, price});
    if (k < applied) {
      from = in.price_changes[k].from;
      price = in.price_changes[k].fen_per_m2;
    }
  }
  const int n = in.season.days();
  __int128 full = 0, base = 0, heating = 0;
  for (auto& ps : c.prices) {
    ps.full = AreaTimesPrice(in.area_centi_m2, ps.fen_per_m2);
    ps.base = ApplyRatio(ps.full, p.suspended_base_ratio);
    int days = DaysBetween(ps.from, ps.to);
    for (const auto& s : spans) {
      int d = Overlap(ps.from, ps.to, s.from, s.to);
      if (s.status == HeatingStatus::kHeating) ps.heated += d;
      if (s.status == HeatingStatus::kSuspended) ps.suspended += d;
    }
    full += static_cast<__int128>(ps.full) * days;
    base += static_cast<__int128>(ps.base) * days;
    heating += static_cast<__int128>(ps.full) * ps.heated + static_cast<__int128>(ps.base) * ps.suspended;
  }
  c.full_fee = RoundHalfUp(full, n);
  c.base_fee = RoundHalfUp(base, n);
  c.heating_fee = RoundHalfUp(heating, n);
  return c;
}

Fen PaidThrough(const std::vector<Payment>& ps, const Date& last_day) {
  Fen sum = 0;
  for (const auto& p : ps)
    if (p.date <= last_day) sum += p.amount;
  return sum;
}

struct Discounted {
  Fen discount = 0, principal = 0;
  bool eligible = false;
  Fen paid_by = 0;
};

// Discount and principal for a given heating fee.
Discounted Discount(const FeeInput& in, const Params& p, Fen heating_fee, Fen fee_reductions, Fen surcharges) {
  Discounted d;
  Fen left = std::max<Fen>(0, heating_fee - fee_reductions);
  if (p.discount_ratio > 0 && p.discount_until && heating_fee > 0) {
    Fen candidate = std::min(ApplyRatio(heating_fee, p.discount_ratio), left);
    d.paid_by = PaidThrough(in.payments, Resolve(*p.discount_until, in.season.year));
    if (d.paid_by >= left - candidate + surcharges) {
      d.eligible = true;
      d.discount = candidate;
    }
  }
  d.principal = left - d.discount + surcharges;
  return d;
}

Status Check(bool ok, const std::string& what) { return ok ? Status::Ok() : Status::Usage(what); }

}  // namespace

const char* HeatingStatusName(HeatingStatus s) {
  switch (s) {
    case HeatingStatus::kHeating: return "heating";
    case HeatingStatus::kSuspended: return "suspended (报停)";
    case HeatingStatus::kDisconnected: return "disconnected (退网)";
  }
  return "?";
}

HeatingStatus CarriedStatus(HeatingStatus end_of_season, const Params& params) {
  if (end_of_season == HeatingStatus::kDisconnected) return HeatingStatus::kDisconnected;
  if (end_of_season == HeatingStatus::kSuspended && params.carry_heating_status) return HeatingStatus::kSuspended;
  return HeatingStatus::kHeating;
}

Result<FeeBreakdown> ComputeFee(const FeeInput& in, const Params& p) {
  HEAT_TRY(Validate(p));
  const Season& season = in.season;
  HEAT_TRY(Check(season.start < season.end, "season " + FormatDate(season.start) + " to " +
                                                FormatDate(season.end) + ": the end must be after the start"));
  HEAT_TRY(Check(in.area_centi_m2 >= 0 && in.area_centi_m2 <= kMaxFen,
                 "charged area " + FormatArea(in.area_centi_m2) + " m²: must be 0 or more"));
  HEAT_TRY(Check(in.fen_per_m2 >= 0 && in.fen_per_m2 <= kMaxFen,
                 "price " + FormatYuan(in.fen_per_m2) + " yuan/m²: must be 0 or more"));
  auto fee_fits = [&](Fen price) {
    return static_cast<__int128>(in.area_centi_m2) * price <= static_cast<__int128>(kMaxFen) * 100;
  };
  HEAT_TRY(Check(fee_fits(in.fen_per_m2), "the full fee would be more than " + Yuan(kMaxFen)));
  auto in_season = [&](const Date& d) { return season.start <= d && d < season.end; };
  auto season_text = "the season " + FormatDate(season.start) + " to " + FormatDate(season.end) +
                     " (end not counted)";

  // Price changes: strictly increasing, inside (start, end).
  for (size_t k = 0; k < in.price_changes.size(); ++k) {
    const auto& pc = in.price_changes[k];
    std::string where = "price change from " + FormatDate(pc.from);
    HEAT_TRY(Check(season.start < pc.from && pc.from < season.end, where + ": must be inside " + season_text +
                                                                       " and after its first day"));
    HEAT_TRY(Check(pc.fen_per_m2 >= 0 && pc.fen_per_m2 <= kMaxFen, where + ": the price must be 0 or more"));
    HEAT_TRY(Check(fee_fits(pc.fen_per_m2), where + ": the full fee would be more than " + Yuan(kMaxFen)));
    HEAT_TRY(Check(k == 0 || in.price_changes[k - 1].from < pc.from,
                   where + ": price changes must be in date order, one per day"));
  }

  // Timeline.
  std::vector<Span> spans;
  HeatingStatus st = in.initial_status;
  Date from = season.start;
  int reconnects = 0;
  for (const auto& e : in.events) {
    std::string where = std::string(EventName(e.kind)) + " on " + FormatDate(e.date);
    HEAT_TRY(Check(in_season(e.date), where + ": outside " + season_text));
    HEAT_TRY(Check(from <= e.date, where + ": events must be in date order (the one before is on " +
                                       FormatDate(from) + ")"));
    HeatingStatus next = st;
    bool ok = false;
    switch (e.kind) {
      case EventKind::kSuspend: ok = st == HeatingStatus::kHeating; next = HeatingStatus::kSuspended; break;
      case EventKind::kResume: ok = st == HeatingStatus::kSuspended; next = HeatingStatus::kHeating; break;
      case EventKind::kDisconnect: ok = st != HeatingStatus::kDisconnected; next = HeatingStatus::kDisconnected; break;
      case EventKind::kReconnect: ok = st == HeatingStatus::kDisconnected; next = HeatingStatus::kHeating; break;
    }
    HEAT_TRY(Check(ok, where + ": not possible while the house is " + HeatingStatusName(st)));
    if (from < e.date) spans.push_back(Span{from, e.date, st});
    from = e.date;
    st = next;
    if (e.kind == EventKind::kReconnect) ++reconnects;
  }
  spans.push_back(Span{from, season.end, st});

  // Payments, surcharges, reductions.
  Fen total_paid = 0;
  for (const auto& pay : in.payments) {
    std::string where = "payment of " + Yuan(pay.amount) + " on " + FormatDate(pay.date);
    HEAT_TRY(Check(pay.amount != 0 && pay.amount >= -kMaxFen && pay.amount <= kMaxFen,
                   where + ": an amount must not be 0"));
    HEAT_TRY(Check(pay.date <= in.as_of, where + ": after the as-of date " + FormatDate(in.as_of)));
    total_paid += pay.amount;
    HEAT_TRY(Check(total_paid >= -kMaxFen && total_paid <= kMaxFen, "payments add up to more than " + Yuan(kMaxFen)));
  }
  HEAT_TRY(Check(in.carried_in >= -kMaxFen && in.carried_in <= kMaxFen, "the balance carried in is too large"));
  for (const auto& c : in.carried_out)
    HEAT_TRY(Check(c.amount != 0 && c.amount >= -kMaxFen && c.amount <= kMaxFen && c.date <= in.as_of,
                   "balance carried out on " + FormatDate(c.date) + ": not 0, at most " + Yuan(kMaxFen) +
                       ", not after the as-of date"));
  Fen surcharges = 0;
  for (const auto& s : in.surcharges) {
    HEAT_TRY(Check(s.amount >= 0 && s.amount <= kMaxFen,
                   "surcharge " + s.type + " of " + Yuan(s.amount) + ": must be 0 or more"));
    surcharges += s.amount;
    HEAT_TRY(Check(surcharges <= kMaxFen, "surcharges add up to more than " + Yuan(kMaxFen)));
  }
  __int128 with_reconnection = static_cast<__int128>(p.reconnection_fee) * reconnects + surcharges;
  HEAT_TRY(Check(with_reconnection <= kMaxFen, "surcharges add up to more than " + Yuan(kMaxFen)));
  surcharges = static_cast<Fen>(with_reconnection);
  Fen fee_reductions = 0, late_reductions = 0;
  for (const auto& r : in.reductions) {
    HEAT_TRY(Check(r.amount > 0 && r.amount <= kMaxFen,
                   "reduction of " + Yuan(r.amount) + " (" + r.reason + "): must be more than 0.00"));
    (r.on_late_fee ? late_reductions : fee_reductions) += r.amount;
    HEAT_TRY(Check(fee_reductions <= kMaxFen && late_reductions <= kMaxFen,
                   "reductions add up to more than " + Yuan(kMaxFen)));
  }

  // BIL-17: leave out price changes that come after the house paid in full.
  size_t applied = in.price_changes.size();
  std::string not_reached;
  if (!p.price_change_reaches_paid) {
    for (size_t k = 0; k < in.price_changes.size(); ++k) {
      Core before = Assess(in, p, spans, k);
      Fen principal = Discount(in, p, before.heating_fee, fee_reductions, surcharges).principal;
      const Date& d = in.price_changes[k].from;
      Fen paid_before = PaidThrough(in.payments, AddDays(d, -1));
      if (paid_before > 0 && paid_before >= principal) {
        applied = k;
        not_reached = "price change from " + FormatDate(d) + " to " + FormatYuan(in.price_changes[k].fen_per_m2) +
                      " yuan/m²" + (k + 1 < in.price_changes.size() ? " and later ones" : "") +
                      " not applied: " + Yuan(paid_before) + " paid before it covers the principal " +
                      Yuan(principal) + " (price_change.reaches_paid is false, BIL-17)";
        break;
      }
    }
  }
  Core c = Assess(in, p, spans, applied);

  FeeBreakdown b;
  b.season_days = season.days();
  b.price_changes_applied = static_cast<int>(applied);
  b.end_status = st;
  b.full_fee = c.full_fee;
  b.base_fee = c.base_fee;
  b.heating_fee = c.heating_fee;
  for (const auto& s : spans) {
    int d = DaysBetween(s.from, s.to);
    if (s.status == HeatingStatus::kHeating) b.heated_days += d;
    if (s.status == HeatingStatus::kSuspended) b.suspended_days += d;
    if (s.status == HeatingStatus::kDisconnected) b.disconnected_days += d;
  }
  HEAT_TRY(Check(in.reductions_as_stored || fee_reductions <= c.heating_fee,
                 "reductions of " + Yuan(fee_reductions) + " are more than the heating fee " + Yuan(c.heating_fee)));
  Discounted disc = Discount(in, p, c.heating_fee, fee_reductions, surcharges);
  b.discount = disc.discount;
  b.surcharges = surcharges;
  const Fen principal = disc.principal;
  const Fen late_principal = principal + in.carried_in;  // BIL-16: arrears carried in accrue here

  // Late fee.
  __int128 fen_days = 0;
  int late_days = 0;
  Date due;
  if (p.late_fee_daily_rate > 0 && p.late_fee_due) {
    due = Resolve(*p.late_fee_due, season.year);
    std::vector<Payment> ps = in.payments;
    ps.insert(ps.end(), in.carried_out.begin(), in.carried_out.end());  // moved away: no late fee here
    std::stable_sort(ps.begin(), ps.end(), [](const Payment& a, const Payment& x) { return a.date < x.date; });
    Date stop = AddDays(in.as_of, 1);
    Date cur = AddDays(due, 1);
    size_t i = 0;
    Fen paid = 0;
    while (cur < stop) {
      while (i < ps.size() && ps[i].date <= cur) paid += ps[i++].amount;
      Date next = i < ps.size() ? std::min(ps[i].date, stop) : stop;
      int days = DaysBetween(cur, next);
      Fen unpaid = std::max<Fen>(0, late_principal - paid);
      fen_days += static_cast<__int128>(unpaid) * days;
      if (unpaid > 0) late_days += days;
      cur = next;
    }
    HEAT_TRY(Check(fen_days * p.late_fee_daily_rate <= static_cast<__int128>(kMaxFen) * 1'000'000,
                   "the late fee up to " + FormatDate(in.as_of) + " would be more than " + Yuan(kMaxFen)));
    Fen raw = RoundHalfUp(fen_days * p.late_fee_daily_rate, 1'000'000);
    b.late_fee = raw;
    if (p.late_fee_cap_ratio) b.late_fee = std::min(b.late_fee, ApplyRatio(late_principal, *p.late_fee_cap_ratio));
    if (p.late_fee_cap) b.late_fee = std::min(b.late_fee, *p.late_fee_cap);
  }
  HEAT_TRY(Check(in.reductions_as_stored || late_reductions <= b.late_fee,
                 "late-fee reductions of " + Yuan(late_reductions) + " are more than the late fee " +
                     Yuan(b.late_fee)));
  b.reductions = fee_reductions + late_reductions;
  b.receivable = b.heating_fee - b.discount - b.reductions + b.late_fee + b.surcharges;
  b.paid = total_paid;
  b.carried = in.carried_in;
  for (const auto& c : in.carried_out) b.carried -= c.amount;
  b.owed = b.receivable + b.carried - b.paid;

  // Explanation.
  auto& x = b.explanation;
  x.push_back("season " + std::to_string(season.year) + ": " + FormatDate(season.start) + " to " +
              FormatDate(season.end) + " (end not counted) = " + std::to_string(b.season_days) + " days");
  for (const auto& s : spans)
    x.push_back(FormatDate(s.from) + " to " + FormatDate(AddDays(s.to, -1)) + ": " + HeatingStatusName(s.status) +
                ", " + std::to_string(DaysBetween(s.from, s.to)) + " days");
  for (const auto& ps : c.prices)
    x.push_back(FormatArea(in.area_centi_m2) + " m² × " + FormatYuan(ps.fen_per_m2) + " yuan/m² = " + Yuan(ps.full) +
                (c.prices.size() > 1 ? " (full fee at this price, from " + FormatDate(ps.from) + ", " +
                                           std::to_string(DaysBetween(ps.from, ps.to)) + " days)"
                                     : ""));
  if (!not_reached.empty()) x.push_back(not_reached);
  if (c.prices.size() > 1) {
    std::string terms;
    for (const auto& ps : c.prices)
      terms += (terms.empty() ? "" : " + ") + FormatYuan(ps.full) + " × " +
               std::to_string(DaysBetween(ps.from, ps.to)) + " days";
    x.push_back("full fee: (" + terms + ") / " + std::to_string(b.season_days) + " days = " + Yuan(b.full_fee));
  } else {
    x.push_back("full fee: " + Yuan(b.full_fee));
  }
  if (b.suspended_days > 0)
    for (const auto& ps : c.prices)
      x.push_back("base fee: " + FormatPercent(p.suspended_base_ratio) + " × " + Yuan(ps.full) + " = " +
                  Yuan(ps.base) + (c.prices.size() > 1 ? " (from " + FormatDate(ps.from) + ")" : ""));
  if (b.heated_days == b.season_days) {
    x.push_back("heating fee: heated all " + std::to_string(b.season_days) + " days = full fee " +
                Yuan(b.heating_fee));
  } else if (b.suspended_days == b.season_days && c.prices.size() == 1) {
    x.push_back("heating fee: suspended all " + std::to_string(b.season_days) + " days = base fee " +
                Yuan(b.heating_fee));
  } else if (b.heated_days == 0 && b.suspended_days == 0) {
    x.push_back("heating fee: disconnected all " + std::to_string(b.season_days) + " days = " + Yuan(0));
  } else {
    std::string terms;
    for (const auto& ps : c.prices) {
      if (ps.heated > 0)
        terms += (terms.empty() ? "" : " + ") + FormatYuan(ps.full) + " × " + std::to_string(ps.heated) +
                 " heated days";
      if (ps.suspended > 0)
        terms += (terms.empty() ? "" : " + ") + FormatYuan(ps.base) + " × " + std::to_string(ps.suspended) +
                 " suspended days";
    }
    x.push_back("heating fee: (" + terms + ") / " + std::to_string(b.season_days) + " days = " +
                Yuan(b.heating_fee) +
                (b.disconnected_days > 0 ? " (" + std::to_string(b.disconnected_days) + " disconnected days free)"
                                         : ""));
  }
  if (reconnects > 0)
    x.push_back("surcharge reconnection (复网): " + std::to_string(reconnects) + " × " + Yuan(p.reconnection_fee) +
                " = " + Yuan(p.reconnection_fee * reconnects));
  for (const auto& s : in.surcharges) x.push_back("surcharge " + s.type + ": " + Yuan(s.amount));
  if (p.discount_ratio > 0 && p.discount_until && b.heating_fee > 0) {
    std::string until = FormatDate(Resolve(*p.discount_until, season.year));
    if (disc.eligible)
      x.push_back("early-payment discount: " + FormatPercent(p.discount_ratio) + " × " + Yuan(b.heating_fee) +
                  " = " + Yuan(b.discount) + " (paid " + Yuan(disc.paid_by) + " in full by " + until + ")");
    else
      x.push_back("no early-payment discount: " + Yuan(disc.paid_by) + " paid by " + until + ", less than the " +
                  Yuan(std::max<Fen>(0, b.heating_fee - fee_reductions) -
                       std::min(ApplyRatio(b.heating_fee, p.discount_ratio),
                                std::max<Fen>(0, b.heating_fee - fee_reductions)) +
                       surcharges) +
                  " due with the discount");
  }
  for (const auto& r : in.reductions)
    x.push_back(std::string(r.on_late_fee ? "late-fee reduction" : "reduction") + " (减免): " + Yuan(r.amount) +
                (r.reason.empty() ? "" : " (" + r.reason + ")"));
  if (fee_reductions > c.heating_fee)
    x.push_back("reductions exceed the heating fee " + Yuan(c.heating_fee) + " by " +
                Yuan(fee_reductions - c.heating_fee) + ": a credit (reverse a reduction, or refund)");
  if (late_reductions > b.late_fee)
    x.push_back("late-fee reductions exceed the late fee " + Yuan(b.late_fee) + " by " +
                Yuan(late_reductions - b.late_fee) + ": a credit (reverse the reduction, or refund)");
  if (p.late_fee_daily_rate > 0 && p.late_fee_due) {
    if (late_days == 0) {
      x.push_back("no late fee: nothing unpaid after " + FormatDate(due) + " up to " + FormatDate(in.as_of));
    } else {
      Fen raw = RoundHalfUp(fen_days * p.late_fee_daily_rate, 1'000'000);
      x.push_back("late fee (违约金): " + FormatPercent(p.late_fee_daily_rate) + " a day on the unpaid principal (" +
                  Yuan(late_principal) + " less payments) for " + std::to_string(late_days) + " days after " +
                  FormatDate(due) + " up to " + FormatDate(in.as_of) + " = " + Yuan(raw));
      if (b.late_fee < raw) x.push_back("late fee capped at " + Yuan(b.late_fee));
    }
  }
  std::string r = "receivable: " + FormatYuan(b.heating_fee);
  if (b.discount) r += " − " + FormatYuan(b.discount) + " discount";
  if (b.reductions) r += " − " + FormatYuan(b.reductions) + " reductions";
  if (b.late_fee) r += " + " + FormatYuan(b.late_fee) + " late fee";
  if (b.surcharges) r += " + " + FormatYuan(b.surcharges) + " surcharges";
  x.push_back(r + " = " + Yuan(b.receivable));
  if (in.carried_in != 0)
    x.push_back("carried from the last season (结转): " + Yuan(in.carried_in) +
                " owed from the season's start (the late fee runs on it after the due day)");
  for (const auto& c : in.carried_out)
    x.push_back("carried to the next season (结转) on " + FormatDate(c.date) + ": " + Yuan(c.amount) +
                " (no late fee here from that day)");
  x.push_back("paid " + Yuan(b.paid) + " up to " + FormatDate(in.as_of) + "; " +
              (b.owed >= 0 ? "owed " + Yuan(b.owed) : "paid beyond the receivable " + Yuan(-b.owed)));
  return b;
}

}  // namespace heat::billing
