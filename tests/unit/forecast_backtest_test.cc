// heatd-forecast backtest (FC-1..4): the file is read into consecutive
// hours; a forecast never reads a row at or after its origin except the
// outdoor temperature it is told to use (poisoned future loads change
// nothing); the scores beat persistence on a series that follows the
// weather.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "heat/forecast/backtest.h"

namespace heat::forecast {
namespace {

class BacktestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/forecast_bt_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }

  // n hours from 1970-01-01 of a load that follows the weather and a
  // daily profile; poison_from >= 0 multiplies the loads from that hour on.
  // Kept to a few months and origins: the suite also runs unoptimised
  // under the sanitizers.
  std::string Write(const std::string& name, int n, int poison_from = -1) {
    std::string path = dir_ + "/" + name;
    std::ofstream out(path);
    out << "time,heat_load_mw,outdoor_temp_c,supply_temp_c\n";
    for (int t = 0; t < n; ++t) {
      double temp = 5 - 10 * std::cos(2 * M_PI * (t / 24.0 - 15) / 365) + 3 * std::sin(2 * M_PI * t / 24.0) +
                    4 * std::sin(t / 53.0);
      double load = 60 + 6 * std::max(0.0, 16 - temp) + 8 * std::sin(2 * M_PI * (t % 24 - 6) / 24.0);
      if (poison_from >= 0 && t >= poison_from) load *= 7;
      out << FormatNaiveTime(t * 3600LL) << "," << load << "," << temp << "," << 70 + 0.8 * (16 - temp) << "\n";
    }
    return path;
  }
  std::string Slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::string dir_;
};

TEST_F(BacktestTest, MissingHoursBecomeUnknownRows) {
  std::string path = dir_ + "/gaps.csv";
  std::ofstream(path) << "time,outdoor_temp_c,heat_load_mw\n2015-01-01T00:00:00,1,10\n2015-01-01T03:00:00,2,\n"
                         "2015-01-01T03:00:00,9,99\n";
  auto rows = ReadSeriesCsv(path);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_TRUE(std::isnan((*rows)[1].load));
  EXPECT_TRUE(std::isnan((*rows)[3].load));  // empty cell; the repeated hour is dropped
  EXPECT_EQ((*rows)[3].temp, 2);
  EXPECT_EQ((*rows)[3].hour, 3);
}

TEST_F(BacktestTest, BadTimeNamesTheLine) {
  std::string path = dir_ + "/bad.csv";
  std::ofstream(path) << "time,outdoor_temp_c,heat_load_mw\n2015-01-01T00:00:00,1,10\nyesterday,2,3\n";
  auto rows = ReadSeriesCsv(path);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), Code::kUsage);
  EXPECT_NE(rows.status().message().find("line 3"), std::string::npos) << rows.status().message();
}

TEST_F(BacktestTest, MissingColumnIsRefused) {
  std::string path = dir_ + "/cols.csv";
  std::ofstream(path) << "time,heat_load_mw\n2015-01-01T00:00:00,1\n";
  EXPECT_EQ(ReadSeriesCsv(path).status().code(), Code::kUsage);
}

TEST_F(BacktestTest, PoisonedFutureLoadsChangeNoForecast) {
  int n = 24 * 60, origin = 24 * 50;
  auto clean = ReadSeriesCsv(Write("clean.csv", n));
  auto poisoned = ReadSeriesCsv(Write("poisoned.csv", n, origin));
  ASSERT_TRUE(clean.ok() && poisoned.ok());
  BacktestOptions o;
  o.train_until = 24 * 40 * 3600LL;
  o.from = origin * 3600LL;
  o.to = o.from + 3600;  // one origin
  o.forecasts_csv = dir_ + "/a.csv";
  ASSERT_TRUE(Backtest(*clean, o).ok());
  o.forecasts_csv = dir_ + "/b.csv";
  ASSERT_TRUE(Backtest(*poisoned, o).ok());
  std::string a = Slurp(dir_ + "/a.csv"), b = Slurp(dir_ + "/b.csv");
  EXPECT_GT(std::count(a.begin(), a.end(), '\n'), 168);
  EXPECT_EQ(a, b);
  // ... while a poisoned hour before the origin does change it.
  auto early = ReadSeriesCsv(Write("early.csv", n, origin - 1));
  o.forecasts_csv = dir_ + "/c.csv";
  ASSERT_TRUE(Backtest(*early, o).ok());
  EXPECT_NE(a, Slurp(dir_ + "/c.csv"));
}

TEST_F(BacktestTest, BeatsPersistenceOnAWeatherDrivenLoad) {
  // Fitted on January and February, judged from ten days of origins in
  // March (a heating month).
  auto rows = ReadSeriesCsv(Write("winter.csv", 24 * 90));
  ASSERT_TRUE(rows.ok());
  BacktestOptions o;
  o.train_until = 24 * 59 * 3600LL;
  o.to = 24 * 69 * 3600LL;
  auto r = Backtest(*rows, o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->scores.size(), 6u);
  for (const auto& s : r->scores) {
    EXPECT_GT(s.points, 0) << s.h;
    EXPECT_LT(s.mape, s.persistence_mape) << s.h;
    EXPECT_LT(s.mape, 2.0) << s.h;  // the series is exactly the features' kind
    EXPECT_LT(s.supply_mae, 1.0) << s.h;
  }
}

TEST_F(BacktestTest, CommandPrintsTheSummaryLine) {
  std::string path = Write("cmd.csv", 24 * 75);
  testing::internal::CaptureStdout();
  int rc = BacktestMain({path, "--train-until", "1970-02-28", "--to", "1970-03-03", "--horizon", "48"});
  std::string text = testing::internal::GetCapturedStdout();
  EXPECT_EQ(rc, 0);
  EXPECT_NE(text.find("forecast mape_6h="), std::string::npos) << text;
  EXPECT_NE(text.find(" persistence_24h="), std::string::npos);
  EXPECT_EQ(BacktestMain({path, "--weather-noise", "-1"}), 2);
  EXPECT_EQ(BacktestMain({dir_ + "/none.csv"}), 3);
}

}  // namespace
}  // namespace heat::forecast
