// The health check (ANA-6, ANA-10; analysis/health.h) on recorded anomaly
// patterns, with the shipped rule file: a frozen transmitter, a bypass
// (small ΔT), an oscillating valve and a leak each give their finding with
// the evidence; a healthy station gives none.
#include <gtest/gtest.h>

#include <cmath>

#include "heat/analysis/health.h"

namespace heat::analysis {
namespace {

constexpr int64_t kT0 = 1737331200;  // 2025-01-20T00:00:00Z
constexpr int kHours = 24;

RuleBase Shipped() {
  auto base = LoadRules(std::string(HEAT_SOURCE_DIR) + "/etc/analysis/health-rules.yaml");
  EXPECT_TRUE(base.ok()) << base.status().message();
  return base.ok() ? *base : RuleBase{};
}

// A point whose hour h has value f(h), with a little spread inside the hour.
PointSeries Hourly(const std::string& tag, double (*f)(int), double spread = 0.2) {
  PointSeries p{"S1." + tag, tag, "control_box", {}, {}};
  for (int h = 0; h < kHours; ++h) {
    double v = f(h);
    p.hours.push_back({kT0 + h * 3600, 60, v - spread, v + spread, v, v});
  }
  return p;
}

// Valve position every minute: a slow daily move, or (oscillating) a
// square wave of ±5 % with a 10-minute period from hour 12 on.
PointSeries Valve(bool oscillating) {
  PointSeries p = Hourly("v1", [](int h) { return 40.0 + h; }, 1);
  for (int m = 0; m < kHours * 60; ++m) {
    double v = 40 + m / 60.0;
    if (oscillating && m >= 12 * 60) v += (m / 5) % 2 ? 5 : -5;
    p.raw.push_back({kT0 + m * 60, v});
  }
  return p;
}

// A healthy station: supply follows the day, ΔT ~20 K, make-up slow.
HealthObject Healthy() {
  HealthObject o{"station", "S1", 1, {}};
  o.points.push_back(Hourly("t2s", [](int h) { return 55 + 3 * std::sin(h / 4.0); }));
  o.points.push_back(Hourly("t2r", [](int h) { return 35 + 2 * std::sin(h / 4.0); }));
  o.points.push_back(Hourly("f2", [](int) { return 80.0; }));
  o.points.push_back(Hourly("t1r", [](int h) { return 50 + std::sin(h / 3.0); }));
  o.points.push_back(Hourly("p2s", [](int h) { return 0.45 + 0.01 * std::sin(h / 2.0); }, 0.002));
  o.points.push_back(Hourly("pump1_hz", [](int h) { return 42 + std::sin(h / 5.0); }));
  o.points.push_back(Hourly("mw_m3", [](int h) { return 100 + 0.05 * h; }, 0.01));
  o.points.push_back(Valve(false));
  return o;
}

PointSeries* Point(HealthObject& o, const std::string& tag) {
  for (auto& p : o.points)
    if (p.tag == tag) return &p;
  return nullptr;
}

std::vector<Finding> Of(const std::vector<Finding>& fs, const std::string& rule) {
  std::vector<Finding> out;
  for (const auto& f : fs)
    if (f.rule == rule) out.push_back(f);
  return out;
}

TEST(HealthTest, HealthyStationGivesNoFinding) {
  auto fs = Evaluate(Shipped(), {Healthy()});
  for (const auto& f : fs) ADD_FAILURE() << f.rule << " on " << f.point << ": " << f.evidence.dump();
}

TEST(HealthTest, FrozenTransmitterIsFoundWithItsHoursAndValue) {
  HealthObject o = Healthy();
  PointSeries& p = *Point(o, "t2r");
  for (int h = 10; h < kHours; ++h) p.hours[h] = {kT0 + h * 3600, 60, 36.4, 36.4, 36.4, 36.4};
  auto fs = Of(Evaluate(Shipped(), {o}), "frozen-temperature");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].point, "S1.t2r");
  EXPECT_EQ(fs[0].object_code, "S1");
  EXPECT_EQ(fs[0].from_s, kT0 + 10 * 3600);
  EXPECT_EQ(fs[0].to_s, kT0 + 24 * 3600);
  EXPECT_EQ(fs[0].evidence["hours"], 14);
  EXPECT_DOUBLE_EQ(fs[0].evidence["value"].get<double>(), 36.4);
  EXPECT_EQ(fs[0].evidence["values"][0][0], "2025-01-20T10:00:00Z");
  EXPECT_NE(fs[0].fault.find("transmitter"), std::string::npos);
  EXPECT_EQ(fs[0].severity, 3);
}

TEST(HealthTest, BypassShowsAsSmallDeltaTWhileWaterFlows) {
  HealthObject o = Healthy();
  PointSeries& r = *Point(o, "t2r");
  for (int h = 6; h < 18; ++h) r.hours[h].avg = o.points[0].hours[h].avg - 1.5;
  auto fs = Of(Evaluate(Shipped(), {o}), "bypass-small-dt");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].point, "S1.t2s");
  EXPECT_EQ(fs[0].evidence["hours"], 12);
  EXPECT_DOUBLE_EQ(fs[0].evidence["mean"].get<double>(), 1.5);
  EXPECT_EQ(fs[0].evidence["ref_point"], "S1.t2r");
  EXPECT_EQ(fs[0].evidence["flow_point"], "S1.f2");
  // No flow: a stopped loop cools evenly, no bypass.
  for (auto& h : Point(o, "f2")->hours) h.avg = 0;
  EXPECT_TRUE(Of(Evaluate(Shipped(), {o}), "bypass-small-dt").empty());
}

TEST(HealthTest, OscillatingValveCountsReversalsPerHour) {
  HealthObject o = Healthy();
  *Point(o, "v1") = Valve(true);
  auto fs = Of(Evaluate(Shipped(), {o}), "valve-oscillating");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].from_s, kT0 + 12 * 3600);
  EXPECT_EQ(fs[0].evidence["hours"], 12);
  EXPECT_GE(fs[0].evidence["max_per_hour"].get<double>(), 11);  // a reversal every 5 minutes
}

TEST(HealthTest, LeakShowsAsMakeUpWaterRate) {
  HealthObject o = Healthy();
  *Point(o, "mw_m3") = Hourly("mw_m3", [](int h) { return 100 + 1.2 * h; }, 0.3);
  auto fs = Of(Evaluate(Shipped(), {o}), "makeup-leak");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_DOUBLE_EQ(fs[0].evidence["rate_per_hour"].get<double>(), 1.2);
  EXPECT_EQ(fs[0].severity, 2);
  // A counter that went back (replaced) says nothing about a leak.
  Point(o, "mw_m3")->hours[5].last = 0;
  EXPECT_TRUE(Of(Evaluate(Shipped(), {o}), "makeup-leak").empty());
}

TEST(HealthTest, ReversalsIgnoreMovesInsideTheDeadband) {
  std::vector<RawValue> raw;
  for (int i = 0; i < 60; ++i) raw.push_back({kT0 + i * 60, 50.0 + (i % 2 ? 0.3 : -0.3)});
  auto per = ReversalsPerHour(raw, 1.0);
  ASSERT_EQ(per.size(), 1u);
  EXPECT_EQ(per[0].second, 0);
  per = ReversalsPerHour(raw, 0.5);
  EXPECT_EQ(per[0].second, 58);
}

}  // namespace
}  // namespace heat::analysis
