#include "heat/billing/params.h"

#include <algorithm>

namespace heat::billing {
namespace {

Status SetRatio(int64_t& out, std::string_view v) {
  HEAT_ASSIGN(out, ParseRatio(v, true));
  return Status::Ok();
}

Status SetYuan(Fen& out, std::string_view v) {
  HEAT_ASSIGN(Fen f, ParseYuan(v));
  if (f < 0) return Status::Usage("an amount here must not be negative, got '" + std::string(v) + "'");
  out = f;
  return Status::Ok();
}

Status SetBool(bool& out, std::string_view v) {
  if (v == "true") out = true;
  else if (v == "false") out = false;
  else return Status::Usage("expected true or false, got '" + std::string(v) + "'");
  return Status::Ok();
}

Status SetMonthDay(MonthDay& out, std::string_view v) {
  HEAT_ASSIGN(out, ParseMonthDay(v));
  return Status::Ok();
}

Status SetOptMonthDay(std::optional<MonthDay>& out, std::string_view v) {
  if (v == "none") {
    out.reset();
    return Status::Ok();
  }
  HEAT_ASSIGN(MonthDay md, ParseMonthDay(v));
  out = md;
  return Status::Ok();
}

Status SetCount(int64_t& out, std::string_view v, int64_t lo, int64_t hi) {
  int64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9' || n > 1'000'000) return Status::Usage("expected a whole number, got '" + std::string(v) + "'");
    n = n * 10 + (c - '0');
  }
  if (v.empty() || n < lo || n > hi)
    return Status::Usage("expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                         ", got '" + std::string(v) + "'");
  out = n;
  return Status::Ok();
}

std::string OptMonthDay(const std::optional<MonthDay>& md) { return md ? FormatMonthDay(*md) : "none"; }
std::string Bool(bool b) { return b ? "true" : "false"; }

struct Row {
  ParamSpec spec;
  Status (*set)(Params&, std::string_view);
  std::string (*get)(const Params&);
};

const std::vector<Row>& Rows() {
  static const std::vector<Row> rows = {
      {{"season.start", "month-day", "10-10",
        "first heating day of the season (BIL-29); July to December"},
       [](Params& p, std::string_view v) { return SetMonthDay(p.season_start, v); },
       [](const Params& p) { return FormatMonthDay(p.season_start); }},
      {{"season.end", "month-day", "04-10",
        "first day without heating, next year (not counted); January to June"},
       [](Params& p, std::string_view v) { return SetMonthDay(p.season_end, v); },
       [](const Params& p) { return FormatMonthDay(p.season_end); }},
      {{"suspended.base_ratio", "ratio", "30%",
        "share of the full fee a suspended (报停) house pays for its suspended days (BIL-10)"},
       [](Params& p, std::string_view v) { return SetRatio(p.suspended_base_ratio, v); },
       [](const Params& p) { return FormatPercent(p.suspended_base_ratio); }},
      {{"discount.ratio", "ratio", "0%",
        "early-payment discount: share of the heating fee, when paid in full on or before discount.until"},
       [](Params& p, std::string_view v) { return SetRatio(p.discount_ratio, v); },
       [](const Params& p) { return FormatPercent(p.discount_ratio); }},
      {{"discount.until", "month-day", "none",
        "last day that earns the early-payment discount; none: no discount"},
       [](Params& p, std::string_view v) { return SetOptMonthDay(p.discount_until, v); },
       [](const Params& p) { return OptMonthDay(p.discount_until); }},
      {{"late_fee.daily_rate", "ratio", "0%",
        "late fee (违约金) per day on the unpaid principal, e.g. 0.05%; 0%: no late fee"},
       [](Params& p, std::string_view v) { return SetRatio(p.late_fee_daily_rate, v); },
       [](const Params& p) { return FormatPercent(p.late_fee_daily_rate); }},
      {{"late_fee.due", "month-day", "none",
        "last day to pay without a late fee; the fee runs from the day after"},
       [](Params& p, std::string_view v) { return SetOptMonthDay(p.late_fee_due, v); },
       [](const Params& p) { return OptMonthDay(p.late_fee_due); }},
      {{"late_fee.cap_ratio", "ratio", "none",
        "late fee at most this share of the principal; none: no such cap"},
       [](Params& p, std::string_view v) -> Status {
         if (v == "none") {
           p.late_fee_cap_ratio.reset();
           return Status::Ok();
         }
         HEAT_ASSIGN(int64_t r, ParseRatio(v, true));
         p.late_fee_cap_ratio = r;
         return Status::Ok();
       },
       [](const Params& p) { return p.late_fee_cap_ratio ? FormatPercent(*p.late_fee_cap_ratio) : "none"; }},
      {{"late_fee.cap", "yuan", "none",
        "late fee at most this amount; none: no such cap (with both caps the lower one holds)"},
       [](Params& p, std::string_view v) -> Status {
         if (v == "none") {
           p.late_fee_cap.reset();
           return Status::Ok();
         }
         Fen f = 0;
         HEAT_TRY(SetYuan(f, v));
         p.late_fee_cap = f;
         return Status::Ok();
       },
       [](const Params& p) { return p.late_fee_cap ? FormatYuan(*p.late_fee_cap) : "none"; }},
      {{"price_change.reaches_paid", "bool", "false",
        "a mid-season price change also reaches houses fully paid before the change date (BIL-17)"},
       [](Params& p, std::string_view v) { return SetBool(p.price_change_reaches_paid, v); },
       [](const Params& p) { return Bool(p.price_change_reaches_paid); }},
      {{"reconnection.fee", "yuan", "0.00",
        "surcharge for each reconnection (复网) in the season"},
       [](Params& p, std::string_view v) { return SetYuan(p.reconnection_fee, v); },
       [](const Params& p) { return FormatYuan(p.reconnection_fee); }},
      {{"carry_over.arrears", "bool", "true",
        "annual carry-over (结转) brings unpaid amounts of the old season along (BIL-16)"},
       [](Params& p, std::string_view v) { return SetBool(p.carry_arrears, v); },
       [](const Params& p) { return Bool(p.carry_arrears); }},
      {{"carry_over.heating_status", "enum: carry|reset", "reset",
        "reset: suspended houses start the new season heating; carry: they stay suspended "
        "(disconnected houses stay disconnected either way)"},
       [](Params& p, std::string_view v) -> Status {
         if (v == "carry") p.carry_heating_status = true;
         else if (v == "reset") p.carry_heating_status = false;
         else return Status::Usage("expected carry or reset, got '" + std::string(v) + "'");
         return Status::Ok();
       },
       [](const Params& p) { return std::string(p.carry_heating_status ? "carry" : "reset"); }},
      {{"ledger.allow_prepayment", "bool", "false",
        "keep a payment above the amount owed as a prepayment instead of refusing it"},
       [](Params& p, std::string_view v) { return SetBool(p.allow_prepayment, v); },
       [](const Params& p) { return Bool(p.allow_prepayment); }},
      {{"approval.supervisor_from", "yuan", "50.00",
        "requests of this amount and more need a bill_supervisor; less is applied at once (BIL-13)"},
       [](Params& p, std::string_view v) { return SetYuan(p.approval_supervisor_from, v); },
       [](const Params& p) { return FormatYuan(p.approval_supervisor_from); }},
      {{"approval.joint_above", "yuan", "200.00",
        "requests above this amount need bill_deputy and bill_production; this amount itself: supervisor"},
       [](Params& p, std::string_view v) { return SetYuan(p.approval_joint_above, v); },
       [](const Params& p) { return FormatYuan(p.approval_joint_above); }},
      {{"pay.lookups_per_minute", "count", "20",
        "look-ups the residents' page takes from one address in a minute; more are refused until it is over"},
       [](Params& p, std::string_view v) { return SetCount(p.pay_lookups_per_minute, v, 1, 999999); },
       [](const Params& p) { return std::to_string(p.pay_lookups_per_minute); }},
      {{"pay.session_minutes", "count", "15",
        "minutes a bill looked up on the residents' page stays open"},
       [](Params& p, std::string_view v) { return SetCount(p.pay_session_minutes, v, 1, 1440); },
       [](const Params& p) { return std::to_string(p.pay_session_minutes); }},
  };
  return rows;
}

const Row* FindRow(std::string_view name) {
  for (const auto& r : Rows())
    if (name == r.spec.name) return &r;
  return nullptr;
}

}  // namespace

Result<MonthDay> ParseMonthDay(std::string_view s) {
  auto bad = [&] {
    return Status::Usage("expected a month-day like 10-10 (MM-DD), got '" + std::string(s) + "'");
  };
  if (s.size() != 5 || s[2] != '-') return bad();
  for (size_t i : {0u, 1u, 3u, 4u})
    if (s[i] < '0' || s[i] > '9') return bad();
  int m = (s[0] - '0') * 10 + (s[1] - '0');
  int d = (s[3] - '0') * 10 + (s[4] - '0');
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && d == 29)
    return Status::Usage("02-29 exists only in leap years; use 02-28 or 03-01");
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return bad();
  return MonthDay{m, d};
}

std::string FormatMonthDay(const MonthDay& md) {
  char buf[8];
  buf[0] = static_cast<char>('0' + md.month / 10);
  buf[1] = static_cast<char>('0' + md.month % 10);
  buf[2] = '-';
  buf[3] = static_cast<char>('0' + md.day / 10);
  buf[4] = static_cast<char>('0' + md.day % 10);
  return std::string(buf, 5);
}

Date Resolve(const MonthDay& md, int season_year) {
  return Date{md.month >= 7 ? season_year : season_year + 1, md.month, md.day};
}

std::string FormatPercent(int64_t ppm) {
  std::string whole = std::to_string(ppm / 10'000);
  std::string frac = std::to_string(ppm % 10'000);
  frac.insert(0, 4 - frac.size(), '0');
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return whole + (frac.empty() ? "" : "." + frac) + "%";
}

const std::vector<ParamSpec>& ParamTable() {
  static const std::vector<ParamSpec> table = [] {
    std::vector<ParamSpec> t;
    for (const auto& r : Rows()) t.push_back(r.spec);
    return t;
  }();
  return table;
}

const ParamSpec* FindParam(std::string_view name) {
  const Row* r = FindRow(name);
  return r ? &r->spec : nullptr;
}

Status SetParam(Params& params, std::string_view name, std::string_view value) {
  const Row* r = FindRow(name);
  if (!r) {
    // Suggest parameters of the same group ("late_fee.*" for "late_fee.rate").
    std::string group(name.substr(0, name.find('.')));
    std::string near;
    for (const auto& row : Rows())
      if (std::string_view(row.spec.name).substr(0, group.size() + 1) == group + ".")
        near += std::string(near.empty() ? "" : ", ") + row.spec.name;
    return Status::Usage("unknown billing parameter '" + std::string(name) + "'" +
                         (near.empty() ? "; billctl params lists them" : "; did you mean one of: " + near));
  }
  return r->set(params, value).With(std::string(name));
}

std::string GetParam(const Params& params, std::string_view name) {
  const Row* r = FindRow(name);
  return r ? r->get(params) : std::string();
}

std::map<std::string, std::string> ParamValues(const Params& params) {
  std::map<std::string, std::string> out;
  for (const auto& r : Rows()) out[r.spec.name] = r.get(params);
  return out;
}

Status Validate(const Params& p) {
  if (p.season_start.month < 7)
    return Status::Usage("season.start " + FormatMonthDay(p.season_start) +
                         ": the season must start in July to December");
  if (p.season_end.month > 6)
    return Status::Usage("season.end " + FormatMonthDay(p.season_end) +
                         ": the season must end (next year) in January to June");
  if ((p.discount_ratio > 0) != p.discount_until.has_value())
    return Status::Usage(
        "discount.ratio and discount.until go together: set both for an early-payment discount, or neither");
  if ((p.late_fee_daily_rate > 0) != p.late_fee_due.has_value())
    return Status::Usage(
        "late_fee.daily_rate and late_fee.due go together: set both for a late fee, or neither");
  if (p.late_fee_daily_rate == 0 && (p.late_fee_cap_ratio || p.late_fee_cap))
    return Status::Usage("a late-fee cap is set but there is no late fee (late_fee.daily_rate is 0%)");
  if (p.approval_supervisor_from <= 0)
    return Status::Usage("approval.supervisor_from must be more than 0.00");
  if (p.approval_supervisor_from > p.approval_joint_above)
    return Status::Usage("approval.supervisor_from (" + FormatYuan(p.approval_supervisor_from) +
                         ") must not be more than approval.joint_above (" +
                         FormatYuan(p.approval_joint_above) + ")");
  return Status::Ok();
}

Result<Params> ParseParams(const std::map<std::string, std::string>& values) {
  Params p;
  for (const auto& [name, value] : values) HEAT_TRY(SetParam(p, name, value));
  HEAT_TRY(Validate(p));
  return p;
}

std::string Describe() {
  std::string out;
  for (const auto& r : Rows())
    out += std::string(r.spec.name) + "\t" + r.spec.type + "\t" + r.spec.default_value + "\t" + r.spec.doc + "\n";
  return out;
}

Season SeasonFor(int year, const Params& params) {
  return Season{year, Resolve(params.season_start, year), Resolve(params.season_end, year)};
}

}  // namespace heat::billing
