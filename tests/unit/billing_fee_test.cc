// The heating fee of one house for one season (billing/fee.h; BIL-10,
// BIL-17) and the billing parameters (billing/params.h; BIL-29). Worked
// examples in fen. The default season 2025 is 2025-10-10 to 2026-04-10,
// end not counted: 22 + 30 + 31 + 31 + 28 + 31 + 9 = 182 days.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "heat/billing/fee.h"
#include "heat/billing/params.h"

namespace heat::billing {
namespace {

Date D(const char* s) { return *ParseDate(s); }

// 100.00 m² at 22.00 yuan/m², season 2025, as of the season's last day.
FeeInput House(int64_t area = 10000, Fen price = 2200) {
  FeeInput in;
  in.season = SeasonFor(2025, Params{});
  in.area_centi_m2 = area;
  in.fen_per_m2 = price;
  in.as_of = D("2026-04-09");
  return in;
}

FeeBreakdown Fee(const FeeInput& in, const Params& p = Params{}) {
  auto r = ComputeFee(in, p);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : FeeBreakdown{};
}

Code FeeError(const FeeInput& in, const Params& p = Params{}) { return ComputeFee(in, p).status().code(); }

bool Explains(const FeeBreakdown& b, const std::string& text) {
  for (const auto& line : b.explanation)
    if (line.find(text) != std::string::npos) return true;
  return false;
}

// --- parameters (BIL-29) ---

TEST(FeeParamsTest, WrittenDefaultsAreTheDefaults) {
  Params p;
  for (const auto& spec : ParamTable()) EXPECT_EQ(GetParam(p, spec.name), spec.default_value) << spec.name;
  auto parsed = ParseParams({});
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(ParamValues(*parsed), ParamValues(p));
  EXPECT_TRUE(Validate(p).ok());
  EXPECT_EQ(p.suspended_base_ratio, 300000);
  EXPECT_EQ(p.approval_supervisor_from, 5000);
  EXPECT_EQ(p.approval_joint_above, 20000);
  EXPECT_FALSE(p.price_change_reaches_paid);
  EXPECT_TRUE(p.carry_arrears);
  EXPECT_FALSE(p.allow_prepayment);
}

TEST(FeeParamsTest, ParsesEveryTypeAndRoundTrips) {
  auto p = ParseParams({{"suspended.base_ratio", "0.25"},
                        {"discount.ratio", "5%"},
                        {"discount.until", "09-30"},
                        {"late_fee.daily_rate", "0.05%"},
                        {"late_fee.due", "12-31"},
                        {"late_fee.cap", "100.00"},
                        {"late_fee.cap_ratio", "10%"},
                        {"price_change.reaches_paid", "true"},
                        {"carry_over.heating_status", "carry"},
                        {"reconnection.fee", "50"},
                        {"approval.supervisor_from", "40.00"}});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->suspended_base_ratio, 250000);
  EXPECT_EQ(p->discount_ratio, 50000);
  EXPECT_EQ(p->late_fee_daily_rate, 500);
  EXPECT_EQ(*p->late_fee_cap, 10000);
  EXPECT_EQ(*p->late_fee_cap_ratio, 100000);
  EXPECT_EQ(p->reconnection_fee, 5000);
  EXPECT_EQ(p->approval_supervisor_from, 4000);
  EXPECT_TRUE(p->carry_heating_status);
  EXPECT_EQ(GetParam(*p, "late_fee.daily_rate"), "0.05%");
  EXPECT_EQ(GetParam(*p, "discount.until"), "09-30");
  auto again = ParseParams(ParamValues(*p));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(ParamValues(*again), ParamValues(*p));
}

TEST(FeeParamsTest, RefusesUnknownNamesBadValuesAndInconsistentRules) {
  Params p;
  Status s = SetParam(p, "late_fee.rate", "0.05%");
  EXPECT_EQ(s.code(), Code::kUsage);
  EXPECT_NE(s.message().find("late_fee.daily_rate"), std::string::npos) << s.message();
  EXPECT_EQ(SetParam(p, "suspended.base_ratio", "120%").code(), Code::kUsage);
  EXPECT_EQ(SetParam(p, "reconnection.fee", "-5").code(), Code::kUsage);
  EXPECT_EQ(SetParam(p, "ledger.allow_prepayment", "yes").code(), Code::kUsage);
  EXPECT_EQ(SetParam(p, "discount.until", "02-29").code(), Code::kUsage);
  EXPECT_EQ(SetParam(p, "season.start", "10-32").code(), Code::kUsage);
  EXPECT_EQ(ParseParams({{"discount.ratio", "5%"}}).status().code(), Code::kUsage);  // no until
  EXPECT_EQ(ParseParams({{"late_fee.due", "12-31"}}).status().code(), Code::kUsage);  // no rate
  EXPECT_EQ(ParseParams({{"late_fee.cap", "10"}}).status().code(), Code::kUsage);     // cap, no fee
  EXPECT_EQ(ParseParams({{"season.start", "03-01"}}).status().code(), Code::kUsage);
  EXPECT_EQ(ParseParams({{"season.end", "10-01"}}).status().code(), Code::kUsage);
  EXPECT_EQ(ParseParams({{"approval.supervisor_from", "300.00"}}).status().code(), Code::kUsage);
  EXPECT_EQ(ParseParams({{"approval.supervisor_from", "0"}}).status().code(), Code::kUsage);
}

TEST(FeeParamsTest, DescribeListsEveryParameterOnce) {
  std::string d = Describe();
  for (const auto& spec : ParamTable()) {
    EXPECT_NE(d.find(std::string(spec.name) + "\t"), std::string::npos) << spec.name;
    EXPECT_NE(FindParam(spec.name), nullptr);
  }
  EXPECT_EQ(static_cast<size_t>(std::count(d.begin(), d.end(), '\n')), ParamTable().size());
}

TEST(FeeParamsTest, MonthDaysResolveInTheHeatingYearJulyToJune) {
  EXPECT_EQ(Resolve({10, 10}, 2025), D("2025-10-10"));
  EXPECT_EQ(Resolve({4, 10}, 2025), D("2026-04-10"));
  EXPECT_EQ(Resolve({9, 30}, 2025), D("2025-09-30"));
  EXPECT_EQ(Resolve({7, 1}, 2025), D("2025-07-01"));
  EXPECT_EQ(Resolve({6, 30}, 2025), D("2026-06-30"));
  EXPECT_EQ(SeasonFor(2025, Params{}).days(), 182);
  EXPECT_EQ(SeasonFor(2027, Params{}).days(), 183);  // February 2028 has 29 days
  EXPECT_EQ(FormatMonthDay({4, 1}), "04-01");
}

// --- the fee (BIL-10) ---

TEST(FeeTest, FullFee100m2At22YuanIs220000Fen) {
  FeeBreakdown b = Fee(House());
  EXPECT_EQ(b.full_fee, 220000);
  EXPECT_EQ(b.heating_fee, 220000);
  EXPECT_EQ(b.receivable, 220000);
  EXPECT_EQ(b.owed, 220000);
  EXPECT_EQ(b.season_days, 182);
  EXPECT_EQ(b.heated_days, 182);
  EXPECT_TRUE(Explains(b, "100.00 m² × 22.00 yuan/m² = 2200.00 yuan")) << b.explanation[0];
  EXPECT_TRUE(Explains(b, "receivable: 2200.00 = 2200.00 yuan"));
}

TEST(FeeTest, SuspendedHousePaysBaseRatio) {
  // 100.00 m² at 22.00 = 220000 fen; suspended all season: 30 % = 66000 fen.
  FeeInput in = House();
  in.initial_status = HeatingStatus::kSuspended;
  FeeBreakdown b = Fee(in);
  EXPECT_EQ(b.base_fee, 66000);
  EXPECT_EQ(b.heating_fee, 66000);
  EXPECT_TRUE(Explains(b, "base fee: 30% × 2200.00 yuan = 660.00 yuan"));
  // A suspension dated the first day is the same.
  in.initial_status = HeatingStatus::kHeating;
  in.events = {{D("2025-10-10"), EventKind::kSuspend}};
  EXPECT_EQ(Fee(in).heating_fee, 66000);
}

TEST(FeeTest, RoundsOncePerHouse_87_53m2At22_35Is195630Fen_Suspended58689) {
  // 87.53 × 22.35 = 1956.2955 yuan -> 195630 fen; 30 % = 58689 fen.
  FeeInput in = House(8753, 2235);
  EXPECT_EQ(Fee(in).heating_fee, 195630);
  in.initial_status = HeatingStatus::kSuspended;
  EXPECT_EQ(Fee(in).heating_fee, 58689);
}

TEST(FeeTest, OneFenRoundingHalfUp) {
  EXPECT_EQ(Fee(House(1, 50)).heating_fee, 1);  // 0.01 m² × 0.50 = 0.5 fen -> 1
  EXPECT_EQ(Fee(House(1, 49)).heating_fee, 0);  // 0.49 fen -> 0
  FeeInput in = House(10, 50);                  // 0.10 m² × 0.50 = 5 fen
  in.initial_status = HeatingStatus::kSuspended;
  EXPECT_EQ(Fee(in).heating_fee, 2);            // 30 % of 5 = 1.5 fen -> 2
}

TEST(FeeTest, ResumedOn2026_01_01Pays149769Fen) {
  // 99 days from 2026-01-01 (inclusive) to 2026-04-10: 31 + 28 + 31 + 9.
  // 66000 + (220000 − 66000) × 99 / 182 = 66000 + 83769.23 -> 149769 fen.
  FeeInput in = House();
  in.initial_status = HeatingStatus::kSuspended;
  in.events = {{D("2026-01-01"), EventKind::kResume}};
  FeeBreakdown b = Fee(in);
  EXPECT_EQ(b.heated_days, 99);
  EXPECT_EQ(b.suspended_days, 83);
  EXPECT_EQ(b.heating_fee, 149769);
  EXPECT_TRUE(Explains(b, "(2200.00 × 99 heated days + 660.00 × 83 suspended days) / 182 days = 1497.69 yuan"));
}

TEST(FeeTest, ResumedOnFirstDayPaysFull220000_OnLastDay66846) {
  FeeInput in = House();
  in.initial_status = HeatingStatus::kSuspended;
  in.events = {{D("2025-10-10"), EventKind::kResume}};
  EXPECT_EQ(Fee(in).heating_fee, 220000);
  // Last day 2026-04-09: one heated day: (220000 + 66000 × 181) / 182 = 66846.15 -> 66846.
  in.events = {{D("2026-04-09"), EventKind::kResume}};
  EXPECT_EQ(Fee(in).heating_fee, 66846);
  // The day after the last one (the season end) is outside the season.
  in.events = {{D("2026-04-10"), EventKind::kResume}};
  EXPECT_EQ(FeeError(in), Code::kUsage);
}

TEST(FeeTest, ResumedIn2028LeapSeasonCounts183Days_150153Fen) {
  // Season 2027: 2027-10-10 to 2028-04-10 = 183 days; from 2028-01-01:
  // 31 + 29 + 31 + 9 = 100 days. (220000 × 100 + 66000 × 83) / 183 = 150153.005 -> 150153.
  FeeInput in = House();
  in.season = SeasonFor(2027, Params{});
  in.as_of = D("2028-04-09");
  in.initial_status = HeatingStatus::kSuspended;
  in.events = {{D("2028-01-01"), EventKind::kResume}};
  FeeBreakdown b = Fee(in);
  EXPECT_EQ(b.season_days, 183);
  EXPECT_EQ(b.heated_days, 100);
  EXPECT_EQ(b.heating_fee, 150153);
  in.events = {{D("2028-02-29"), EventKind::kResume}};  // 1 + 31 + 9 = 41 days
  EXPECT_EQ(Fee(in).heated_days, 41);
}

TEST(FeeTest, ResumeMatchesFormulaForEveryDayOfTheSeason) {
  // Property: B + Prorate(F − B, DaysBetween(R, end), N) for every R, on a few odd areas.
  for (int64_t area : {10000, 8753, 1, 12345}) {
    FeeInput in = House(area, 2235);
    in.initial_status = HeatingStatus::kSuspended;
    Fen f = AreaTimesPrice(area, 2235), base = ApplyRatio(f, 300000);
    Fen last = -1;
    for (Date r = in.season.start; r < in.season.end; r = AddDays(r, 1)) {
      in.events = {{r, EventKind::kResume}};
      Fen fee = Fee(in).heating_fee;
      ASSERT_EQ(fee, base + Prorate(f - base, DaysBetween(r, in.season.end), 182)) << FormatDate(r);
      ASSERT_LE(fee, f);
      ASSERT_GE(fee, base);
      if (last >= 0) {
        ASSERT_LE(fee, last);  // a later resumption never costs more
      }
      last = fee;
    }
  }
}

TEST(FeeTest, SuspendedMidSeasonAfterPaying_136231FenAndCredit83769) {
  // Paid 220000 on 2025-10-01, suspended from 2026-01-01: heated 83 days.
  // (220000 × 83 + 66000 × 99) / 182 = 136230.77 -> 136231; 83769 paid beyond it.
  FeeInput in = House();
  in.payments = {{D("2025-10-01"), 220000}};
  in.events = {{D("2026-01-01"), EventKind::kSuspend}};
  FeeBreakdown b = Fee(in);
  EXPECT_EQ(b.heating_fee, 136231);
  EXPECT_EQ(b.paid, 220000);
  EXPECT_EQ(b.owed, -83769);
  EXPECT_EQ(b.end_status, HeatingStatus::kSuspended);
  EXPECT_TRUE(Explains(b, "paid beyond the receivable 837.69 yuan"));
}

TEST(FeeTest, DisconnectedPaysNothing_ReconnectionAddsSurcharge) {
  FeeInput in = House();
  in.initial_status = HeatingStatus::kDisconnected;
  EXPECT_EQ(Fee(in).receivable, 0);
  // Disconnected from 2026-01-01: 83 heated days: 220000 × 83 / 182 = 100329.67 -> 100330.
  in.initial_status = HeatingStatus::kHeating;
  in.events = {{D("2026-01-01"), EventKind::kDisconnect}};
  EXPECT_EQ(Fee(in).heating_fee, 100330);
  // Reconnected 2026-02-01 (31 days off, 151 heated): 33220000 / 182 = 182527.47 -> 182527,
  // plus reconnection.fee 50.00.
  Params p;
  p.reconnection_fee = 5000;
  in.events.push_back({D("2026-02-01"), EventKind::kReconnect});
  FeeBreakdown b = Fee(in, p);
  EXPECT_EQ(b.heated_days, 151);
  EXPECT_EQ(b.disconnected_days, 31);
  EXPECT_EQ(b.heating_fee, 182527);
  EXPECT_EQ(b.surcharges, 5000);
  EXPECT_EQ(b.receivable, 187527);
  // A suspended house can be disconnected too; its disconnected days are free.
  in.initial_status = HeatingStatus::kSuspended;
  in.events = {{D("2026-01-01"), EventKind::kDisconnect}};
  EXPECT_EQ(Fee(in).heating_fee, 30099);  // 66000 × 83 / 182 = 30098.90
}

TEST(FeeTest, EarlyPaymentDiscount5PercentIs11000Fen) {
  Params p = *ParseParams({{"discount.ratio", "5%"}, {"discount.until", "09-30"}});
  FeeInput in = House();
  in.payments = {{D("2025-09-20"), 209000}};  // 220000 − 11000
  FeeBreakdown b = Fee(in, p);
  EXPECT_EQ(b.discount, 11000);
  EXPECT_EQ(b.receivable, 209000);
  EXPECT_EQ(b.owed, 0);
  EXPECT_TRUE(Explains(b, "early-payment discount: 5% × 2200.00 yuan = 110.00 yuan"));
  in.payments = {{D("2025-09-30"), 208999}};  // one fen short: no discount
  EXPECT_EQ(Fee(in, p).discount, 0);
  in.payments = {{D("2025-10-01"), 209000}};  // a day late: no discount, 11000 owed
  b = Fee(in, p);
  EXPECT_EQ(b.discount, 0);
  EXPECT_EQ(b.owed, 11000);
  EXPECT_TRUE(Explains(b, "no early-payment discount"));
}

TEST(FeeTest, LateFee0_05PercentDailyFor31DaysOn220000FenIs3410Fen) {
  Params p = *ParseParams({{"late_fee.daily_rate", "0.05%"}, {"late_fee.due", "12-31"}});
  FeeInput in = House();
  in.as_of = D("2026-01-31");
  FeeBreakdown b = Fee(in, p);
  EXPECT_EQ(b.late_fee, 3410);  // 220000 × 31 × 0.0005
  EXPECT_EQ(b.receivable, 223410);
  // 100000 paid on 2026-01-11: 10 days on 220000 + 21 days on 120000 = 4720000 fen·days -> 2360.
  in.payments = {{D("2026-01-11"), 100000}};
  EXPECT_EQ(Fee(in, p).late_fee, 2360);
  // Paid in full on the due date, or the day after: no late fee for that day on.
  in.payments = {{D("2025-12-31"), 220000}};
  EXPECT_EQ(Fee(in, p).late_fee, 0);
  in.payments = {{D("2026-01-01"), 220000}};
  EXPECT_EQ(Fee(in, p).late_fee, 0);
  in.payments = {{D("2026-01-02"), 220000}};
  EXPECT_EQ(Fee(in, p).late_fee, 110);  // one day
  // Before the due date: none.
  in.payments.clear();
  in.as_of = D("2025-12-31");
  EXPECT_EQ(Fee(in, p).late_fee, 0);
}

TEST(FeeTest, LateFeeRoundsOnceNotDaily_3333FenFor3DaysIs5Fen) {
  // 3333 × 3 × 0.0005 = 4.9995 fen -> 5 (rounding each day would give 2 + 2 + 2 = 6).
  Params p = *ParseParams({{"late_fee.daily_rate", "0.05%"}, {"late_fee.due", "12-31"}});
  FeeInput in = House(100, 3333);
  in.as_of = D("2026-01-03");
  EXPECT_EQ(Fee(in, p).late_fee, 5);
}

TEST(FeeTest, LateFeeCapsByRatio2200AndByAmount1000) {
  FeeInput in = House();
  in.as_of = D("2026-01-31");  // 3410 uncapped
  Params p = *ParseParams({{"late_fee.daily_rate", "0.05%"}, {"late_fee.due", "12-31"}, {"late_fee.cap_ratio", "1%"}});
  FeeBreakdown b = Fee(in, p);
  EXPECT_EQ(b.late_fee, 2200);
  EXPECT_TRUE(Explains(b, "late fee capped at 22.00 yuan"));
  p.late_fee_cap = 1000;  // both caps: the lower holds
  EXPECT_EQ(Fee(in, p).late_fee, 1000);
}

TEST(FeeTest, ReductionsOnFeeAndLateFee) {
  Params p = *ParseParams({{"late_fee.daily_rate", "0.05%"}, {"late_fee.due", "12-31"}});
  FeeInput in = House();
  in.as_of = D("2026-01-31");
  in.reductions = {{10000, false, "low-income household"}};
  // Principal 210000: late fee 210000 × 31 × 0.0005 = 3255.
  FeeBreakdown b = Fee(in, p);
  EXPECT_EQ(b.late_fee, 3255);
  EXPECT_EQ(b.reductions, 10000);
  EXPECT_EQ(b.receivable, 213255);
  in.reductions.push_back({3255, true, "late fee waived"});
  EXPECT_EQ(Fee(in, p).receivable, 210000);
  in.reductions.push_back({1, true, "too much"});
  EXPECT_EQ(FeeError(in, p), Code::kUsage);
  in.reductions = {{220001, false, "more than the fee"}};
  EXPECT_EQ(FeeError(in, p), Code::kUsage);
  in.reductions = {{0, false, "nothing"}};
  EXPECT_EQ(FeeError(in, p), Code::kUsage);
}

TEST(FeeTest, PriceChangeFrom2026_01_01To24YuanProratesTo230879Fen) {
  // (220000 × 83 + 240000 × 99) / 182 = 230879.12 -> 230879.
  FeeInput in = House();
  in.price_changes = {{D("2026-01-01"), 2400}};
  FeeBreakdown b = Fee(in);
  EXPECT_EQ(b.full_fee, 230879);
  EXPECT_EQ(b.heating_fee, 230879);
  EXPECT_EQ(b.price_changes_applied, 1);
  EXPECT_TRUE(Explains(b, "full fee: (2200.00 × 83 days + 2400.00 × 99 days) / 182 days = 2308.79 yuan"));
  // Suspended all season: (66000 × 83 + 72000 × 99) / 182 = 69263.74 -> 69264.
  in.initial_status = HeatingStatus::kSuspended;
  EXPECT_EQ(Fee(in).heating_fee, 69264);
}

TEST(FeeTest, PriceChangeDoesNotReachHousesPaidBeforeIt_BIL17) {
  FeeInput in = House();
  in.price_changes = {{D("2026-01-01"), 2400}};
  in.as_of = D("2026-02-01");
  in.payments = {{D("2025-12-31"), 220000}};  // paid in full the day before
  FeeBreakdown b = Fee(in);
  EXPECT_EQ(b.heating_fee, 220000);
  EXPECT_EQ(b.price_changes_applied, 0);
  EXPECT_EQ(b.owed, 0);
  EXPECT_TRUE(Explains(b, "not applied"));
  // Unless the parameter says so: 10879 more.
  Params reaches;
  reaches.price_change_reaches_paid = true;
  EXPECT_EQ(Fee(in, reaches).owed, 10879);
  // Paid on the change date itself, or only in part: it reaches.
  in.payments = {{D("2026-01-01"), 220000}};
  EXPECT_EQ(Fee(in).heating_fee, 230879);
  in.payments = {{D("2025-12-01"), 100000}};
  EXPECT_EQ(Fee(in).heating_fee, 230879);
}

TEST(FeeTest, ExplanationNamesEveryStep) {
  Params p = *ParseParams({{"late_fee.daily_rate", "0.05%"}, {"late_fee.due", "12-31"}});
  FeeInput in = House();
  in.initial_status = HeatingStatus::kSuspended;
  in.events = {{D("2026-01-01"), EventKind::kResume}};
  in.as_of = D("2026-01-31");
  in.surcharges = {{"meter replacement", 3000}};
  FeeBreakdown b = Fee(in, p);
  EXPECT_TRUE(Explains(b, "season 2025: 2025-10-10 to 2026-04-10 (end not counted) = 182 days"));
  EXPECT_TRUE(Explains(b, "2025-10-10 to 2025-12-31: suspended (报停), 83 days"));
  EXPECT_TRUE(Explains(b, "surcharge meter replacement: 30.00 yuan"));
  EXPECT_TRUE(Explains(b, "late fee (违约金): 0.05% a day"));
  // Principal 149769 + 3000 = 152769; × 31 × 0.0005 = 2367.92 -> 2368.
  EXPECT_EQ(b.late_fee, 2368);
  EXPECT_EQ(b.receivable, 149769 + 3000 + 2368);
  EXPECT_TRUE(Explains(b, "receivable: 1497.69 + 23.68 late fee + 30.00 surcharges = 1551.37 yuan"));
}

TEST(FeeTest, RefusesInvalidInputs) {
  FeeInput in = House();
  in.events = {{D("2026-01-01"), EventKind::kResume}};  // resume while heating
  EXPECT_EQ(FeeError(in), Code::kUsage);
  in.initial_status = HeatingStatus::kSuspended;
  in.events = {{D("2026-01-01"), EventKind::kSuspend}};  // suspend while suspended
  EXPECT_EQ(FeeError(in), Code::kUsage);
  in.events = {{D("2025-10-09"), EventKind::kResume}};  // before the season
  EXPECT_EQ(FeeError(in), Code::kUsage);
  in.events = {{D("2026-02-01"), EventKind::kResume}, {D("2026-01-01"), EventKind::kSuspend}};  // out of order
  EXPECT_EQ(FeeError(in), Code::kUsage);
  in = House();
  in.events = {{D("2026-01-01"), EventKind::kReconnect}};  // not disconnected
  EXPECT_EQ(FeeError(in), Code::kUsage);
  in = House(-1);
  EXPECT_EQ(FeeError(in), Code::kUsage);
  in = House(10000, -1);
  EXPECT_EQ(FeeError(in), Code::kUsage);
  in = House(kMaxFen, kMaxFen);  // the fee would not fit
  EXPECT_EQ(FeeError(in), Code::kUsage);
  in = House();
  in.price_changes = {{D("2025-10-10"), 2400}};  // on the first day: that is the price, not a change
  EXPECT_EQ(FeeError(in), Code::kUsage);
  in.price_changes = {{D("2026-02-01"), 2400}, {D("2026-01-01"), 2500}};
  EXPECT_EQ(FeeError(in), Code::kUsage);
  in = House();
  in.payments = {{D("2026-04-10"), 100}};  // after as_of
  EXPECT_EQ(FeeError(in), Code::kUsage);
  in.payments = {{D("2026-01-10"), 0}};
  EXPECT_EQ(FeeError(in), Code::kUsage);
  in = House();
  in.surcharges = {{"x", -1}};
  EXPECT_EQ(FeeError(in), Code::kUsage);
  in = House();
  in.season.end = in.season.start;
  EXPECT_EQ(FeeError(in), Code::kUsage);
  in = House();
  Params bad;
  bad.discount_ratio = 50000;  // without discount.until
  EXPECT_EQ(FeeError(in, bad), Code::kUsage);
}

TEST(FeeTest, RandomTimelinesStayBetweenNothingAndFullFee) {
  // Property (seed 20251010): for random valid timelines at one price the
  // heating fee is (F × heated + B × suspended) / N rounded once, between
  // 0 and F, and the receivable adds up from its parts.
  std::mt19937 rng(20251010);
  for (int round = 0; round < 300; ++round) {
    FeeInput in = House(static_cast<int64_t>(rng() % 50000), static_cast<Fen>(rng() % 5000));
    in.initial_status = static_cast<HeatingStatus>(rng() % 3);
    HeatingStatus st = in.initial_status;
    Date d = in.season.start;
    int events = static_cast<int>(rng() % 6);
    for (int i = 0; i < events; ++i) {
      d = AddDays(d, static_cast<int>(rng() % 40));
      if (!(d < in.season.end)) break;
      EventKind k;
      if (st == HeatingStatus::kHeating) k = rng() % 2 ? EventKind::kSuspend : EventKind::kDisconnect;
      else if (st == HeatingStatus::kSuspended) k = rng() % 2 ? EventKind::kResume : EventKind::kDisconnect;
      else k = EventKind::kReconnect;
      in.events.push_back({d, k});
      st = k == EventKind::kSuspend ? HeatingStatus::kSuspended
           : k == EventKind::kDisconnect ? HeatingStatus::kDisconnected
                                         : HeatingStatus::kHeating;
    }
    auto r = ComputeFee(in, Params{});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    Fen f = AreaTimesPrice(in.area_centi_m2, in.fen_per_m2), base = ApplyRatio(f, 300000);
    EXPECT_EQ(r->heated_days + r->suspended_days + r->disconnected_days, 182);
    EXPECT_EQ(r->heating_fee,
              RoundHalfUp(static_cast<__int128>(f) * r->heated_days + static_cast<__int128>(base) * r->suspended_days,
                          182));
    EXPECT_GE(r->heating_fee, 0);
    EXPECT_LE(r->heating_fee, f);
    EXPECT_EQ(r->end_status, st);
    EXPECT_EQ(r->receivable, r->heating_fee - r->discount - r->reductions + r->late_fee + r->surcharges);
  }
}

TEST(FeeTest, CarryOverStatus_BIL16) {
  Params p;
  EXPECT_EQ(CarriedStatus(HeatingStatus::kSuspended, p), HeatingStatus::kHeating);
  EXPECT_EQ(CarriedStatus(HeatingStatus::kDisconnected, p), HeatingStatus::kDisconnected);
  EXPECT_EQ(CarriedStatus(HeatingStatus::kHeating, p), HeatingStatus::kHeating);
  p.carry_heating_status = true;
  EXPECT_EQ(CarriedStatus(HeatingStatus::kSuspended, p), HeatingStatus::kSuspended);
}

// BIL-16: a balance carried out on a day counts as paid that day for the
// late fee (it stopped accruing here); one carried in is owed from the
// season's start and accrues with the fee after this season's due day.
TEST(FeeTest, CarriedOutBalanceStopsLateFee_CarriedInAccruesWithTheFee) {
  Params p = *ParseParams({{"late_fee.daily_rate", "0.05%"}, {"late_fee.due", "12-31"}});
  FeeInput old = House();
  old.as_of = D("2026-10-20");
  old.carried_out = {{D("2026-01-11"), 220000}};  // moved after 10 days unpaid
  FeeBreakdown b = Fee(old, p);
  EXPECT_EQ(b.late_fee, 1100);  // 220000 × 10 × 0.0005, nothing after the move
  EXPECT_EQ(b.owed, 1100);      // the late fee of those days, not the moved fee
  EXPECT_TRUE(Explains(b, "carried to the next season (结转) on 2026-01-11: 2200.00 yuan"));
  FeeInput next = House(10000, 2400);  // 2400.00 in the new season
  next.as_of = D("2026-01-10");
  next.carried_in = 50000;
  b = Fee(next, p);
  EXPECT_EQ(b.late_fee, 1450);  // (240000 + 50000) × 10 × 0.0005: the man page's example
  EXPECT_EQ(b.owed, 240000 + 1450 + 50000);
  EXPECT_TRUE(Explains(b, "carried from the last season (结转): 500.00 yuan"));
  next.carried_out = {{D("2026-04-01"), 1}};
  EXPECT_EQ(FeeError(next, p), Code::kUsage) << "a move after the as-of date";
}

}  // namespace
}  // namespace heat::billing
