// sim/history.h (FC-3, FC-4): hourly history of a simulated station under
// its heating curve — each hour's figures are those of the samples in it,
// colder hours take more heat, the same seed gives the same history, and
// the hours and the weather sit where the wall clock says.
#include <gtest/gtest.h>

#include <map>

#include "heat/sim/history.h"

namespace heat::sim {
namespace {

constexpr int64_t kEnd = 1737331200;  // 2025-01-20T00:00:00Z

HistoryLoop Loop(uint64_t seed, std::vector<std::string> tags = {"pw1", "tout", "t2s"}) {
  physics::StationDesign d;
  d.area_m2 = 20000;
  d.buildings = 2;
  d.seed = seed;
  auto st = physics::Station::Make(d);
  EXPECT_TRUE(st.ok());
  std::vector<HistoryPoint> points;
  for (const auto& t : tags) points.push_back({"S01." + t, t, t == "pw1" ? 1 : 2});
  auto l = MakeHistoryLoop(ControlledStation(std::move(st).value(), DefaultHistoryConfig(d)), points);
  EXPECT_TRUE(l.ok()) << l.status().message();
  return std::move(l).value();
}

TEST(SimHistoryTest, EachHourHoldsTheMeanMinMaxAndLastOfItsSteps) {
  HistorySpan span{kEnd, 1, 300};
  WallWeather w = DesignWinterOnClock(span, 0);
  HistoryLoop l = Loop(1);
  std::map<std::pair<size_t, int64_t>, std::vector<std::pair<int64_t, double>>> steps;
  LoopHistory h = SimulateLoop(l, span, w, [&](size_t p, int64_t ts, double v) {
    steps[{p, (ts - span.start_s()) / 3600}].push_back({ts, v});
  });
  ASSERT_EQ(h.hours.size(), 3u);
  for (size_t p = 0; p < 3; ++p)
    for (int hour = 0; hour < 24; ++hour) {
      const auto& s = steps[{p, hour}];
      const HourAgg& a = h.hours[p][static_cast<size_t>(hour)];
      ASSERT_EQ(a.n, 12);
      ASSERT_EQ(s.size(), 12u);
      double sum = 0, lo = 1e300, hi = -1e300;
      for (const auto& [ts, v] : s) sum += v, lo = std::min(lo, v), hi = std::max(hi, v);
      EXPECT_NEAR(a.sum / a.n, sum / 12, 1e-9);
      EXPECT_EQ(a.min, lo);
      EXPECT_EQ(a.max, hi);
      EXPECT_EQ(a.last, s.back().second);
      EXPECT_EQ(a.last_ts, s.back().first);
    }
}

TEST(SimHistoryTest, HoursEndAtTheEndAndStepsFallInTheHourTheyAreTakenIn) {
  HistorySpan span{kEnd, 2, 60};
  EXPECT_TRUE(CheckSpan(span).ok());
  HistoryLoop l = Loop(1, {"tout"});
  LoopHistory h = SimulateLoop(l, span, DesignWinterOnClock(span, 0));
  ASSERT_EQ(h.hours[0].size(), 48u);
  for (size_t i = 0; i < 48; ++i) {
    int64_t hour = kEnd - 2 * 86400 + static_cast<int64_t>(i) * 3600;
    EXPECT_EQ(h.hours[0][i].n, 60);
    EXPECT_EQ(h.hours[0][i].last_ts, hour + 3600 - 60);  // date_trunc('hour', last_ts) is the hour
  }
  EXPECT_EQ(HourlyCsvRow("S01.tout", kEnd - 3600, h.hours[0][47], 2).substr(0, 32),
            "S01.tout,2025-01-19T23:00:00Z,60");
  EXPECT_EQ(CheckSpan({kEnd + 60, 1, 60}).code(), Code::kUsage);
  EXPECT_EQ(CheckSpan({kEnd, 1, 7}).code(), Code::kUsage);
  EXPECT_EQ(CheckSpan({kEnd, 1, 3600}).code(), Code::kUsage);  // too coarse for the valve loop
  EXPECT_TRUE(CheckSpan({kEnd, 1, 600}).ok());
  EXPECT_EQ(CheckSpan({kEnd, 0, 60}).code(), Code::kUsage);
}

TEST(SimHistoryTest, TheDesignWinterKeepsItsLocalHoursAndIsTheSameInEveryRun) {
  HistorySpan a{kEnd, 3, 60}, b{kEnd + 5 * 86400 + 7 * 3600, 9, 60};
  WallWeather wa = DesignWinterOnClock(a, 0), wb = DesignWinterOnClock(b, 168);
  EXPECT_EQ(LocalMidnight(wa.origin_s), wa.origin_s);
  for (int64_t t = kEnd - 3 * 86400; t < kEnd; t += 3600) {
    EXPECT_EQ(wa.At(t).t_out_c, wb.At(t).t_out_c);
    EXPECT_EQ(wa.At(t).wind_ms, wb.At(t).wind_ms);
  }
  // Coldest at 07:00 and warmest at 16:00 local time (+08:00), every day.
  int64_t midnight = LocalMidnight(kEnd - 86400);
  for (int h = 0; h < 24; ++h) {
    if (h == 7 || h == 16) continue;
    EXPECT_LT(wa.At(midnight + 7 * 3600).t_out_c, wa.At(midnight + h * 3600).t_out_c) << h;
    EXPECT_GT(wa.At(midnight + 16 * 3600).t_out_c, wa.At(midnight + h * 3600).t_out_c) << h;
  }
}

TEST(SimHistoryTest, ColderHoursTakeMoreHeat) {
  HistorySpan span{kEnd, 28, 60};  // a whole cycle of the design winter: mild days and a cold snap
  HistoryLoop l = Loop(3, {"pw1", "tout"});
  LoopHistory h = SimulateLoop(l, span, DesignWinterOnClock(span, 0));
  double cold = 0, warm = 0;
  int n_cold = 0, n_warm = 0;
  for (size_t i = 0; i < h.hours[0].size(); ++i) {
    double pw1 = h.hours[0][i].sum / h.hours[0][i].n, tout = h.hours[1][i].sum / h.hours[1][i].n;
    EXPECT_GT(pw1, 0) << i;
    if (tout < -16) cold += pw1, ++n_cold;
    if (tout > -6) warm += pw1, ++n_warm;
  }
  ASSERT_GT(n_cold, 24);
  ASSERT_GT(n_warm, 24);
  EXPECT_GT(cold / n_cold, 1.3 * (warm / n_warm));
}

TEST(SimHistoryTest, TheSameSeedGivesTheSameHistoryOnAnyNumberOfThreads) {
  HistorySpan span{kEnd, 1, 60};
  WallWeather w = DesignWinterOnClock(span, 0);
  std::vector<HistoryLoop> one, two;
  for (uint64_t seed : {5, 6, 5}) one.push_back(Loop(seed)), two.push_back(Loop(seed));
  std::vector<LoopHistory> a = SimulateLoops(one, span, w, 1), b = SimulateLoops(two, span, w, 2);
  for (size_t l = 0; l < 3; ++l)
    for (size_t p = 0; p < 3; ++p)
      for (size_t i = 0; i < 24; ++i) {
        EXPECT_EQ(a[l].hours[p][i].sum, b[l].hours[p][i].sum);
        EXPECT_EQ(a[l].hours[p][i].last, b[l].hours[p][i].last);
      }
  EXPECT_EQ(a[0].hours[0][12].sum, a[2].hours[0][12].sum);  // seed 5 twice
  EXPECT_NE(a[0].hours[0][12].sum, a[1].hours[0][12].sum);  // seeds 5 and 6
}

TEST(SimHistoryTest, TheForecastContinuesTheWeatherFromTheEnd) {
  HistorySpan span{kEnd, 1, 60};
  WallWeather w = DesignWinterOnClock(span, 3);
  std::string csv = ForecastCsv(w, kEnd, 3);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "issued,valid_time,outdoor_temp_c,wind_ms,solar_wm2");
  EXPECT_NE(csv.find("\n2025-01-20T00:00:00Z,2025-01-20T00:00:00Z,"), std::string::npos);
  EXPECT_NE(csv.find("\n2025-01-20T00:00:00Z,2025-01-20T02:00:00Z,"), std::string::npos);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4);
  EXPECT_EQ(FormatUtc(0), "1970-01-01T00:00:00Z");
}

TEST(SimHistoryTest, ATagTheModelLacksIsRefused) {
  physics::StationDesign d;
  auto st = physics::Station::Make(d);
  ASSERT_TRUE(st.ok());
  auto l = MakeHistoryLoop(ControlledStation(std::move(st).value(), DefaultHistoryConfig(d)),
                           {{"S01.alarm", "alarm", 2}});
  EXPECT_EQ(l.status().code(), Code::kUsage);
}

}  // namespace
}  // namespace heat::sim
