// Output formats of every listing (cli/format.h).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "heat/cli/format.h"

namespace heat::cli {
namespace {

Table Sample() {
  Table t;
  t.columns = {"code", "name", "area_m2", "ok"};
  t.Add({{"S01", Cell::kString}, {"一分公司", Cell::kString}, {"52000.5", Cell::kNumber}, {"t", Cell::kBool}});
  t.Add({{"S2", Cell::kString}, {"a,\"b\"\nc", Cell::kString}, {std::nullopt, Cell::kNumber}, {"f", Cell::kBool}});
  return t;
}

std::string Out(const Table& t, Format f) {
  std::ostringstream o;
  Print(t, f, o);
  return o.str();
}

TEST(FormatTest, TableAlignsChineseByDisplayWidth) {
  Table t;
  t.columns = {"code", "name", "n"};
  t.Add({{"S01", Cell::kString}, {"一分公司", Cell::kString}, {"5", Cell::kInt}});
  t.Add({{"S02", Cell::kString}, {"abc", Cell::kString}, {"12", Cell::kInt}});
  EXPECT_EQ(Out(t, Format::kTable),
            "code  name       n\n"
            "----  --------  --\n"
            "S01   一分公司   5\n"
            "S02   abc       12\n");
}

// A line feed in a cell is a control character: written as \x0a (SYS-1),
// so every record stays on one line.
TEST(FormatTest, CsvQuotesWhatNeedsQuoting) {
  EXPECT_EQ(Out(Sample(), Format::kCsv),
            "code,name,area_m2,ok\n"
            "S01,一分公司,52000.5,t\n"
            "S2,\"a,\"\"b\"\"\\x0ac\",,f\n");
}

// Regression for item 7 of SYS-1: an escape sequence in a name cleared
// the operator's screen when listed.
TEST(FormatTest, ControlCharactersInNamesAreEscapedInTableAndCsv) {
  Table t{{"code", "name"}, {}};
  t.Add({{"S9", Cell::kString}, {"\x1b[2J站\r", Cell::kString}});
  EXPECT_EQ(Out(t, Format::kTable), "code  name\n----  -------------\nS9    \\x1b[2J站\\x0d\n");
  EXPECT_EQ(Out(t, Format::kCsv), "code,name\nS9,\\x1b[2J站\\x0d\n");
}

TEST(FormatTest, JsonHasTypesAndNulls) {
  auto j = nlohmann::json::parse(Out(Sample(), Format::kJson));
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["name"], "一分公司");
  EXPECT_TRUE(j[0]["area_m2"].is_number());
  EXPECT_EQ(j[0]["area_m2"].get<double>(), 52000.5);
  EXPECT_EQ(j[0]["ok"], true);
  EXPECT_TRUE(j[1]["area_m2"].is_null());
  EXPECT_EQ(j[1]["name"], "a,\"b\"\nc");
}

TEST(FormatTest, JsonKeepsColumnOrderAndEmbedsJsonCells) {
  Table t;
  t.columns = {"z", "a"};
  t.Add({{"1", Cell::kInt}, {R"({"roles":["x"]})", Cell::kJson}});
  std::string s = Out(t, Format::kJson);
  EXPECT_LT(s.find("\"z\""), s.find("\"a\""));
  EXPECT_EQ(nlohmann::json::parse(s)[0]["a"]["roles"][0], "x");
}

TEST(FormatTest, RecordForShow) {
  std::ostringstream o;
  PrintRecord({{"code", {"S01", Cell::kString}}, {"heating_area_m2", {"8000", Cell::kNumber}}},
              Format::kTable, o);
  EXPECT_EQ(o.str(), "code             S01\nheating_area_m2  8000\n");
  std::ostringstream j;
  PrintRecord({{"code", {"S01", Cell::kString}}}, Format::kJson, j);
  EXPECT_EQ(nlohmann::json::parse(j.str())["code"], "S01");
  EXPECT_FALSE(ParseFormat("xml").ok());
}

}  // namespace
}  // namespace heat::cli
