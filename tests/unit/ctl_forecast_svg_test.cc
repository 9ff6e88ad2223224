// The SVG chart of heatctl forecast show (ctl/forecast_svg.h, FC-1): band,
// forecast and actual drawn, the actual broken where it is unknown, text
// escaped, ticks round.
#include <gtest/gtest.h>

#include <cmath>

#include "heat/ctl/forecast_svg.h"

namespace heat::ctl {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

Chart Sample() {
  Chart c;
  c.title = "S1 <test> & \"co\"";
  c.x_axis = "hour (Asia/Shanghai)";
  for (int h = 0; h < 24; ++h)
    c.hours.push_back({"11-02", std::to_string(h) + ":00", 100.0 + h, 90.0 + h, 110.0 + h, h < 6 ? 101.0 + h : NAN});
  return c;
}

TEST(ForecastSvgTest, DrawsTheBandAsPolygonAndForecastAndActualAsPolylines) {
  std::string svg = ForecastSvg(Sample());
  EXPECT_TRUE(svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_TRUE(svg.ends_with("</svg>\n"));
  EXPECT_EQ(Count(svg, "<polygon class=\"band\""), 1u);
  EXPECT_EQ(Count(svg, "<polyline class=\"forecast\""), 1u);
  EXPECT_EQ(Count(svg, "<polyline class=\"actual\""), 1u);
  EXPECT_NE(svg.find(">kW</text>"), std::string::npos);
  EXPECT_NE(svg.find(">actual kW</text>"), std::string::npos);
}

TEST(ForecastSvgTest, BandPolygonHasEveryHourTwice) {
  std::string svg = ForecastSvg(Sample());
  size_t at = svg.find("<polygon class=\"band\"");
  std::string poly = svg.substr(at, svg.find("/>", at) - at);
  EXPECT_EQ(Count(poly, ","), 48u);
}

TEST(ForecastSvgTest, ActualIsBrokenWhereUnknown) {
  Chart c = Sample();
  c.hours[2].actual = NAN;
  EXPECT_EQ(Count(ForecastSvg(c), "<polyline class=\"actual\""), 2u);
  for (auto& h : c.hours) h.actual = NAN;
  EXPECT_EQ(Count(ForecastSvg(c), "<polyline class=\"actual\""), 0u);
}

TEST(ForecastSvgTest, TitleIsEscaped) {
  std::string svg = ForecastSvg(Sample());
  EXPECT_NE(svg.find("<title>S1 &lt;test&gt; &amp; &quot;co&quot;</title>"), std::string::npos);
  EXPECT_EQ(svg.find("<test>"), std::string::npos);
}

TEST(ForecastSvgTest, OneHourAndNoHoursStillMakeADocument) {
  Chart c = Sample();
  c.hours.resize(1);
  EXPECT_TRUE(ForecastSvg(c).ends_with("</svg>\n"));
  c.hours.clear();
  std::string empty = ForecastSvg(c);
  EXPECT_TRUE(empty.ends_with("</svg>\n"));
  EXPECT_EQ(empty.find("nan"), std::string::npos);
}

TEST(ForecastSvgTest, HoursAreLabelledWithTheDayOnlyOnTheFirstTickAndWhereItChanges) {
  Chart c = Sample();
  for (int h = 0; h < 24; ++h) {
    c.hours[h].day = h < 4 ? "11-02" : "11-03";
    c.hours[h].time = std::to_string((20 + h) % 24) + ":00";
  }
  std::string svg = ForecastSvg(c);
  EXPECT_EQ(Count(svg, ">11-02</text>"), 1u);
  EXPECT_EQ(Count(svg, ">11-03</text>"), 1u);
  EXPECT_EQ(Count(svg, ":00</text>"), 12u);  // every second hour of 24
}

TEST(ForecastSvgTest, TicksAreRoundAndCoverTheRange) {
  EXPECT_EQ(NiceTicks(90, 133, 6), (std::vector<double>{90, 100, 110, 120, 130, 140}));
  std::vector<double> fifths = NiceTicks(0, 1, 5);
  ASSERT_EQ(fifths.size(), 6u);
  for (size_t i = 0; i < fifths.size(); ++i) EXPECT_NEAR(fifths[i], 0.2 * static_cast<double>(i), 1e-12);
  std::vector<double> t = NiceTicks(-7.3, 2512, 6);
  EXPECT_LE(t.front(), -7.3);
  EXPECT_GE(t.back(), 2512);
  EXPECT_EQ(t[1] - t[0], 500);
}

}  // namespace
}  // namespace heat::ctl
