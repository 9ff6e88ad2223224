// The forecast model (FC-1, FC-3, FC-4) on synthetic series with a known
// answer: a load exactly linear in heating degrees is recovered; the error
// correction learns a persistent offset; gaps, frozen values and spikes do
// not poison the fit.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "heat/forecast/model.h"

namespace heat::forecast {
namespace {

// A smooth outdoor temperature: a daily swing around a slow seasonal wave.
double Temp(int t) { return -5 + 8 * std::sin(2 * M_PI * t / (24.0 * 40)) + 4 * std::sin(2 * M_PI * (t % 24) / 24.0); }

HourInput In(int t) {
  HourInput in;
  in.hour = t % 24;
  in.day = DayType::kWorkday;
  in.year_day = (t / 24) % 365;
  in.w.temp_c = Temp(t);
  return in;
}

// Load linear in the degree-hours of the 24-hour mean temperature.
double LinearLoad(const TempState& s) { return 1000 + 80 * (kBalanceC - s.e24()); }

std::vector<HourInput> Coming(int from, int n) {
  std::vector<HourInput> v;
  for (int k = 0; k < n; ++k) v.push_back(In(from + k));
  return v;
}

// Observes n hours of load(t, state) and returns the model.
template <typename F>
Model Train(int n, F load, ModelOptions o = {}) {
  Model m(o);
  TempState s;
  for (int t = 0; t < n; ++t) {
    s.Step(Temp(t));
    Observation ob;
    ob.in = In(t);
    ob.load = load(t, s);
    m.Observe(ob);
  }
  return m;
}

// The load the coming hours will really have, continuing the state.
template <typename F>
std::vector<double> Truth(int from, int n, F load) {
  TempState s;
  std::vector<double> out;
  for (int t = 0; t < from + n; ++t) {
    s.Step(Temp(t));
    if (t >= from) out.push_back(load(t, s));
  }
  return out;
}

TEST(ForecastModelTest, LoadLinearInDegreeHoursIsRecovered) {
  auto load = [](int, const TempState& s) { return LinearLoad(s); };
  Model m = Train(24 * 60, load);
  auto f = m.Predict(Coming(24 * 60, 168));
  ASSERT_TRUE(f.ok()) << f.status().message();
  auto truth = Truth(24 * 60, 168, load);
  for (size_t k = 0; k < truth.size(); ++k) EXPECT_NEAR(f->load[k].value, truth[k], 0.01 * truth[k]) << k;
}

TEST(ForecastModelTest, TooLittleHistoryIsNotFound) {
  Model m = Train(100, [](int, const TempState& s) { return LinearLoad(s); });
  EXPECT_EQ(m.Predict(Coming(100, 24)).status().code(), Code::kNotFound);
}

TEST(ForecastModelTest, ComingHourWithoutTemperatureIsRefused) {
  Model m = Train(24 * 30, [](int, const TempState& s) { return LinearLoad(s); });
  auto coming = Coming(24 * 30, 24);
  coming[5].w.temp_c = kNaN;
  EXPECT_EQ(m.Predict(coming).status().code(), Code::kUsage);
}

TEST(ForecastModelTest, CorrectionFollowsAPersistentOffsetAtShortLeads) {
  // After 40 days the site uses 300 kW more than the weather says (a new
  // building): the first hours after the origin must know it already.
  int n = 24 * 50;
  auto load = [](int t, const TempState& s) { return LinearLoad(s) + (t >= 24 * 40 ? 300.0 : 0.0); };
  Model m = Train(n, load);
  auto f = m.Predict(Coming(n, 24));
  ASSERT_TRUE(f.ok());
  auto truth = Truth(n, 24, load);
  EXPECT_NEAR(f->load[0].value, truth[0], 60);
  EXPECT_NEAR(f->load[5].value, truth[5], 90);
}

TEST(ForecastModelTest, GapsFrozenValuesAndSpikesDoNotPoisonTheFit) {
  auto clean = [](int, const TempState& s) { return LinearLoad(s); };
  auto dirty = [&](int t, const TempState& s) {
    if (t % 97 == 0) return kNaN;                        // gaps
    if (t > 300 && t < 330) return 1234.0;               // a frozen meter
    if (t % 211 == 5) return LinearLoad(s) * 25;         // spikes
    if (t % 389 == 7) return -LinearLoad(s);             // a sign error
    return LinearLoad(s);
  };
  int n = 24 * 60;
  Model m = Train(n, dirty);
  auto f = m.Predict(Coming(n, 168));
  ASSERT_TRUE(f.ok());
  auto truth = Truth(n, 168, clean);
  for (size_t k = 0; k < truth.size(); ++k) EXPECT_NEAR(f->load[k].value, truth[k], 0.03 * truth[k]) << k;
}

TEST(ForecastModelTest, BandWidensWithNoiseAndHoldsTheTruthMostly) {
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(0, 50);
  std::vector<double> e(24 * 200);
  for (auto& x : e) x = noise(rng);
  auto load = [&](int t, const TempState& s) { return LinearLoad(s) + e[static_cast<size_t>(t)]; };
  int n = 24 * 150;
  Model m = Train(n, load);
  auto f = m.Predict(Coming(n, 168));
  ASSERT_TRUE(f.ok());
  auto truth = Truth(n, 168, load);
  int inside = 0;
  for (size_t k = 0; k < truth.size(); ++k) {
    EXPECT_LT(f->load[k].lo, f->load[k].value);
    EXPECT_GT(f->load[k].hi, f->load[k].value);
    inside += truth[k] >= f->load[k].lo && truth[k] <= f->load[k].hi;
  }
  // An 80 % band: most hours inside, not all (it is not absurdly wide).
  EXPECT_GT(inside, 168 * 0.6);
  EXPECT_LT(f->load[0].hi - f->load[0].lo, 4 * 1.28 * 50);
  EXPECT_NEAR(m.load().ExpectedRmse(24), 50, 20);
}

TEST(ForecastModelTest, SupplyIsLearntWhenMeasured) {
  Model m(ModelOptions{});
  TempState s;
  for (int t = 0; t < 24 * 30; ++t) {
    s.Step(Temp(t));
    Observation ob;
    ob.in = In(t);
    ob.load = LinearLoad(s);
    ob.supply = 40 - 0.8 * Temp(t);
    m.Observe(ob);
  }
  auto f = m.Predict(Coming(24 * 30, 24));
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(f->supply.size(), 24u);
  for (int k = 0; k < 24; ++k) EXPECT_NEAR(f->supply[k].value, 40 - 0.8 * Temp(24 * 30 + k), 0.5) << k;
}

}  // namespace
}  // namespace heat::forecast
