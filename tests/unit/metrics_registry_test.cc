// The metrics registry (OPS-1): Prometheus text format 0.0.4 as a scraper
// parses it — HELP and TYPE once per family, before its samples; label
// values and help escaped; counters whole numbers; read series called at
// scrape time and gone with their handle; counting from many threads loses
// nothing.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <thread>
#include <vector>

#include "heat/metrics/registry.h"

namespace heat::metrics {
namespace {

TEST(MetricsRegistryTest, RendersHelpTypeAndSamplesOfEachFamilyTogether) {
  Registry r;
  r.AddCounter("heat_x_total", "Things.", {{"kind", "a"}}).Add(3);
  r.AddGauge("heat_y", "A level.").Set(2.5);
  r.AddCounter("heat_x_total", "Things.", {{"kind", "b"}}).Add();
  EXPECT_EQ(r.Render(),
            "# HELP heat_x_total Things.\n"
            "# TYPE heat_x_total counter\n"
            "heat_x_total{kind=\"a\"} 3\n"
            "heat_x_total{kind=\"b\"} 1\n"
            "# HELP heat_y A level.\n"
            "# TYPE heat_y gauge\n"
            "heat_y 2.5\n");
}

TEST(MetricsRegistryTest, LabelValuesAndHelpAreEscaped) {
  Registry r;
  r.AddGauge("heat_z", "Back\\slash\nnew line \"quoted\".", {{"path", "C:\\x \"y\"\nz"}, {"b", "站"}}).Set(1);
  EXPECT_EQ(r.Render(),
            "# HELP heat_z Back\\\\slash\\nnew line \"quoted\".\n"
            "# TYPE heat_z gauge\n"
            "heat_z{path=\"C:\\\\x \\\"y\\\"\\nz\",b=\"站\"} 1\n");
}

TEST(MetricsRegistryTest, ValuesAreWholeNumbersNanAndInfinitiesAsPrometheusWritesThem) {
  EXPECT_EQ(FormatValue(0), "0");
  EXPECT_EQ(FormatValue(1700000000), "1700000000");
  EXPECT_EQ(FormatValue(-3), "-3");
  EXPECT_EQ(FormatValue(0.25), "0.25");
  EXPECT_EQ(FormatValue(1e300), "1e+300");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatValue(-std::numeric_limits<double>::infinity()), "-Inf");
}

TEST(MetricsRegistryTest, ACounterAbove2To53KeepsEveryDigit) {
  Registry r;
  r.AddCounter("heat_big_total", "Big.").Add(18446744073709551615ull);
  EXPECT_NE(r.Render().find("heat_big_total 18446744073709551615\n"), std::string::npos);
}

TEST(MetricsRegistryTest, ReadSeriesAreCalledAtScrapeTimeAfterTheHooks) {
  Registry r;
  uint64_t source = 7, snapshot = 0;
  Handle hook = r.OnScrape([&] { snapshot = source; });
  Handle h = r.ReadCounter("heat_read_total", "Read.", {}, [&] { return snapshot; });
  EXPECT_NE(r.Render().find("heat_read_total 7\n"), std::string::npos);
  source = 9;
  EXPECT_NE(r.Render().find("heat_read_total 9\n"), std::string::npos);
}

TEST(MetricsRegistryTest, ASeriesGoesWithItsHandleAndAnEmptyFamilyIsNotRendered) {
  Registry r;
  {
    Handle h = r.ReadGauge("heat_gone", "Gone.", {}, [] { return 1.0; });
    EXPECT_NE(r.Render().find("heat_gone 1\n"), std::string::npos);
  }
  EXPECT_EQ(r.Render(), "");
  Handle again = r.ReadGauge("heat_gone", "Gone.", {}, [] { return 2.0; });  // may come back
  EXPECT_NE(r.Render().find("heat_gone 2\n"), std::string::npos);
}

TEST(MetricsRegistryTest, NamesFollowTheDataModel) {
  EXPECT_TRUE(ValidMetricName("heat_ingest_readings_total"));
  EXPECT_TRUE(ValidMetricName("a:b_c9"));
  EXPECT_FALSE(ValidMetricName("9lives"));
  EXPECT_FALSE(ValidMetricName("heat-x"));
  EXPECT_FALSE(ValidMetricName(""));
  EXPECT_TRUE(ValidLabelName("protocol"));
  EXPECT_FALSE(ValidLabelName("a:b"));
  EXPECT_FALSE(ValidLabelName("__name__"));
}

TEST(MetricsRegistryDeathTest, ACounterNotEndingInTotalIsRefused) {
  Registry r;
  EXPECT_DEATH(r.AddCounter("heat_readings", "No suffix."), "ends in _total");
}

TEST(MetricsRegistryDeathTest, TheSameSeriesTwiceIsRefused) {
  Registry r;
  r.AddGauge("heat_g", "G.", {{"a", "1"}});
  EXPECT_DEATH(r.AddGauge("heat_g", "G.", {{"a", "1"}}), "twice");
  EXPECT_DEATH(r.AddCounter("heat_g", "G."), "_total");
}

TEST(MetricsRegistryTest, CountingFromManyThreadsWhileScrapingLosesNothing) {
  Registry r;
  Counter& c = r.AddCounter("heat_hits_total", "Hits.");
  std::atomic<bool> done{false};
  std::thread scraper([&] {
    while (!done) (void)r.Render();
  });
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&] {
      for (int i = 0; i < 100000; ++i) c.Add();
    });
  for (auto& t : ts) t.join();
  done = true;
  scraper.join();
  EXPECT_EQ(c.value(), 400000u);
  EXPECT_NE(r.Render().find("heat_hits_total 400000\n"), std::string::npos);
}

}  // namespace
}  // namespace heat::metrics
