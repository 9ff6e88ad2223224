// Chinese text in the charts (chart/text.cc), and the sample images.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "chart_pixels.h"
#include "heat/chart/chart.h"
#include "heat/chart/text.h"

namespace heat::chart {
namespace {

using testing::Find;
using testing::Found;
using testing::RenderPixels;

struct Scratch {  // a context to lay text out on
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 10, 10);
  cairo_t* cr = cairo_create(s);
  ~Scratch() { cairo_destroy(cr), cairo_surface_destroy(s); }
};

TEST(ChartTextTest, TheFontHasEveryGlyphOfChineseLabels) {
  Scratch x;
  for (const char* text : {"一号站", "已缴费", "部分缴费", "未缴费", "报停", "退网", "无记录", "12层", "3单元",
                           "供水温度 °C", "流量 m³/h", "其他 other", "无数据 no data"})
    EXPECT_EQ(UnknownGlyphs(x.cr, text, {10}), 0) << text;
  EXPECT_EQ(StateName(RoomState::kPaid), std::string("已缴费"));
}

TEST(ChartTextTest, AChineseTitleRendersInTheTitleArea) {
  BarChart c{"一号站供热量", "GJ", {"十二月"}, {{"", {3}}}};
  auto px = RenderPixels(c, 600, 400);
  Found title = Find(px, {0.1, 0.1, 0.1}, 0, 0, 600, 30, 0.1);
  EXPECT_GT(title.count, 40);
  EXPECT_NEAR((title.min_x + title.max_x) / 2.0, 300, 10);  // centred
  c.title.clear();
  EXPECT_EQ(Find(RenderPixels(c, 600, 400), {0.1, 0.1, 0.1}, 0, 0, 600, 30, 0.1).count, 0);
}

TEST(ChartTextTest, ALongTitleIsElidedWithinTheMargins) {
  std::string title;
  for (int i = 0; i < 60; ++i) title += "二号站";
  auto px = RenderPixels(ShareChart{title, {{"a", 1}}}, 300, 200);
  Found t = Find(px, {0.1, 0.1, 0.1}, 0, 0, 300, 20, 0.2);
  ASSERT_GT(t.count, 20);
  EXPECT_GE(t.min_x, 5);
  EXPECT_LE(t.max_x, 295);
}

TEST(ChartTextTest, InvalidUtf8IsShownNotRejected) {
  Scratch x;
  EXPECT_GT(MeasureText(x.cr, "站\xff\xfe名", {10}).w, MeasureText(x.cr, "站名", {10}).w);
}

// The images of chart-line.png and chart-building-map.png: written when
// HEAT_CHART_SAMPLES names a folder, so a person can look at them.
// The sample images people look at: into HEAT_CHART_SAMPLES when set, else
// a temporary folder (they are rendered and written either way).
TEST(ChartSamples, SampleImagesRenderAsPngFiles) {
  std::string dir_s = std::getenv("HEAT_CHART_SAMPLES") ? std::getenv("HEAT_CHART_SAMPLES")
                                                        : (std::filesystem::temp_directory_path() / "heat-chart-samples").string();
  const char* dir = dir_s.c_str();
  std::filesystem::create_directories(dir);
  LineChart line{"一号站 供回水温度与流量", {}, false, "Asia/Shanghai"};
  Line supply{"供水温度", "°C", {}, {}, {}, {}}, ret{"回水温度", "°C", {}, {}, {}, {}}, flow{"流量", "m³/h", {}, {}, {}, {}};
  for (int i = 0; i < 7 * 24; ++i) {
    double t = 1764950400 + 3600.0 * i, day = std::sin(i * 2 * M_PI / 24);
    bool gap = i >= 60 && i < 72;
    supply.t.push_back(t), ret.t.push_back(t), flow.t.push_back(t);
    supply.avg.push_back(gap ? NAN : 62 + 4 * day), ret.avg.push_back(gap ? NAN : 44 + 3 * day);
    supply.min.push_back(gap ? NAN : 60 + 4 * day), supply.max.push_back(gap ? NAN : 63.5 + 4 * day + (i == 100) * 6);
    flow.avg.push_back(320 + 40 * std::cos(i * 2 * M_PI / 24) + (i > 120) * 30);
  }
  line.lines = {supply, ret, flow};
  auto png = Render(line, ImageFormat::kPng, 900, 420);
  ASSERT_TRUE(png.ok());
  std::ofstream(std::string(dir) + "/chart-line.png", std::ios::binary) << *png;

  BuildingMap map{"幸福小区 3号楼 缴费情况", {}};
  const RoomState states[] = {RoomState::kPaid, RoomState::kPaid, RoomState::kPaid, RoomState::kUnpaid,
                              RoomState::kPart, RoomState::kPaid, RoomState::kSuspended, RoomState::kDisconnected};
  for (int f = 1; f <= 11; ++f)
    for (int u = 1; u <= 3; ++u)
      for (int r = 1; r <= (u == 3 ? 3 : 2); ++r)
        map.rooms.push_back({f, std::to_string(u) + "单元", std::to_string(f * 100 + r),
                             f == 11 && u == 1 ? RoomState::kNone : states[(f * 7 + u * 3 + r) % 8]});
  auto [w, h] = NaturalSize(map);
  png = Render(map, ImageFormat::kPng, w, h);
  ASSERT_TRUE(png.ok());
  std::ofstream(std::string(dir) + "/chart-building-map.png", std::ios::binary) << *png;
  for (const char* name : {"/chart-line.png", "/chart-building-map.png"}) {
    std::ifstream f(std::string(dir) + name, std::ios::binary);
    std::string magic(8, '\0');
    f.read(magic.data(), 8);
    EXPECT_EQ(magic, std::string("\x89PNG\r\n\x1a\n", 8)) << name;
  }
}

}  // namespace
}  // namespace heat::chart
