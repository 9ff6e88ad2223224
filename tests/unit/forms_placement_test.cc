// Placement files of pre-printed forms (BIL-21, BIL-26): millimetres to
// points, the shipped receipt layout, errors naming file:line and key, and
// a rendered page whose text holds the values (labels left out on
// pre-printed stationery).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "heat/forms/placement.h"

namespace heat::forms {
namespace {

TEST(FormsPlacementTest, MillimetresAreSeventyTwoPointsPerInch) {
  EXPECT_DOUBLE_EQ(MmToPt(25.4), 72.0);
  EXPECT_NEAR(MmToPt(241), 683.15, 0.01);
  EXPECT_NEAR(MmToPt(93), 263.62, 0.01);
  EXPECT_DOUBLE_EQ(MmToPt(0), 0.0);
}

TEST(FormsPlacementTest, ShippedReceiptIsA241By93mmFormWithAQrCode) {
  auto p = LoadPlacement(std::string(HEAT_SOURCE_DIR) + "/etc/templates/receipt.yaml");
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->width_mm, 241);
  EXPECT_EQ(p->height_mm, 93);
  EXPECT_EQ(p->media, "Custom.241x93mm");
  EXPECT_GT(p->qr_size, 20);
  EXPECT_LE(p->qr_x + p->qr_size, p->width_mm);
  bool capitals = false;
  for (const auto& f : p->fields) capitals = capitals || f.text.find("{{capitals}}") != std::string::npos;
  EXPECT_TRUE(capitals);
}

std::string Err(const std::string& yaml) {
  auto p = ParsePlacement(yaml, "r.yaml");
  return p.ok() ? "ok" : p.status().message();
}

TEST(FormsPlacementTest, MistakesNameFileLineAndKey) {
  const std::string page = "page: {width_mm: 100, height_mm: 50}\n";
  EXPECT_EQ(Err("name: r\nfields: []\n"), "r.yaml:1: page: missing (width_mm, height_mm)");
  EXPECT_EQ(Err(page + "fields:\n  - {text: a, x: 120, y: 1}\n"), "r.yaml:3: fields[1].x: '120' is not a number from 0 to 100");
  EXPECT_EQ(Err(page + "fields:\n  - {text: a, x: 1, y: 1, sise: 3}\n"),
            "r.yaml:3: fields[1].sise: unknown key; did you mean 'size'?");
  EXPECT_EQ(Err(page + "fields:\n  - {text: a, x: 1, y: 1, align: middle}\n"),
            "r.yaml:3: fields[1].align: 'middle' is not left, center or right");
  EXPECT_EQ(Err(page + "fields:\n  - {text: a, x: 1, y: 1, color: red}\n"),
            "r.yaml:3: fields[1].color: 'red' is not a colour #RRGGBB");
  EXPECT_EQ(Err(page + "fields:\n  - {x: 1, y: 1}\n"), "r.yaml:3: fields[1].text: missing");
  EXPECT_EQ(Err(page + "qr: {x: 90, y: 1, size: 20}\nfields: []\n"), "r.yaml:2: qr.x: '90' is not a number from 0 to 80");
  EXPECT_EQ(Err(page + "fields: [\n"), "r.yaml:3: end of sequence flow not found");
  EXPECT_EQ(Err(page + "fields:\n  - {text: a, x: 1, y: 1, size: 12}\n"), "ok");
}

std::string PdfText(const std::string& pdf) {
  std::string dir = testing::TempDir();
  std::string path = dir + "/forms_placement_test.pdf";
  std::ofstream(path, std::ios::binary) << pdf;
  std::string out;
  FILE* f = popen(("pdftotext -layout " + path + " - 2>/dev/null").c_str(), "r");
  if (!f) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  pclose(f);
  return out;
}

TEST(FormsPlacementTest, RenderedPageHoldsTheValuesAndLeavesLabelsOffPreprintedPaper) {
  auto p = ParsePlacement(
      "page: {width_mm: 120, height_mm: 60}\n"
      "fields:\n"
      "  - {text: 户主, x: 5, y: 5, label: true}\n"
      "  - {text: '{{customer}} <b>&', x: 20, y: 5, width: 60}\n"
      "  - {text: '{{#copy}}COPY {{copy}}{{/copy}}', x: 5, y: 20}\n"
      "qr: {x: 85, y: 20, size: 30}\n",
      "t.yaml");
  ASSERT_TRUE(p.ok()) << p.status().message();
  auto plain = RenderPlacement(*p, {{"customer", "张三"}, {"copy", ""}}, "HEATRCPT1;x", false);
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  EXPECT_EQ(plain->substr(0, 5), "%PDF-");
  std::string text = PdfText(*plain);
  EXPECT_NE(text.find("户主"), std::string::npos) << text;
  EXPECT_NE(text.find("张三 <b>&"), std::string::npos) << text;  // plain text, not markup
  EXPECT_EQ(text.find("COPY"), std::string::npos) << text;     // "" is false in a section
  auto pre = RenderPlacement(*p, {{"customer", "张三"}, {"copy", "2"}}, "", true);
  ASSERT_TRUE(pre.ok());
  text = PdfText(*pre);
  EXPECT_EQ(text.find("户主"), std::string::npos) << text;
  EXPECT_NE(text.find("COPY 2"), std::string::npos) << text;
}

}  // namespace
}  // namespace heat::forms
