// A report's rows laid out (BIL-19): money in yuan, totals summed exactly
// as integers, ratios divided once, subtotals per group, parameters bound
// by type, and tables broken into pages with the header on each.
#include <gtest/gtest.h>

#include "heat/report/layout.h"
#include "heat/report/output.h"
#include "heat/report/run.h"

namespace heat::report {
namespace {

Def TakingsDef() {
  auto d = ParseDef(R"yaml(name: t
title: T
sql: SELECT 1
columns:
  - {name: day, type: date}
  - {name: n, type: int, total: sum}
  - {name: fen, type: money, total: sum}
  - {name: due, type: money, total: sum}
  - {name: area, type: number, total: sum}
  - {name: rate, type: percent, total: "ratio(fen, due)"}
group_by: day
totals: true
)yaml", "t.yaml");
  EXPECT_TRUE(d.ok()) << d.status().message();
  return *d;
}

Column Col(ColType t, int decimals = 2) {
  Column c;
  c.type = t;
  c.decimals = decimals;
  return c;
}

Data Rows(std::vector<std::vector<Cell>> rows) {
  return Data{{"day", "n", "fen", "due", "area", "rate"}, std::move(rows)};
}

std::vector<std::string> Texts(const Row& r) {
  std::vector<std::string> out;
  for (const auto& c : r.cells) out.push_back(c.value_or("NULL"));
  return out;
}

TEST(ReportLayoutTest, MoneyIsShownInYuanWithTwoDecimals) {
  Column money = Col(ColType::kMoney);
  EXPECT_EQ(*FormatValue(money, "220000"), "2200.00");
  EXPECT_EQ(*FormatValue(money, "-5"), "-0.05");
  EXPECT_EQ(*FormatValue(money, "0"), "0.00");
  EXPECT_EQ(FormatValue(money, "12.5").status().message(), "'12.5' is not whole fen");
  EXPECT_EQ(FormatValue(money, "abc").status().message(), "'abc' is not a number");
  Column pct = Col(ColType::kPercent);
  EXPECT_EQ(*FormatValue(pct, "0.875"), "87.50%");
  EXPECT_EQ(*FormatValue(pct, "0.33335"), "33.34%");  // half away from zero
  EXPECT_EQ(*FormatValue(pct, "-0.33335"), "-33.34%");
  Column num = Col(ColType::kNumber, 1);
  EXPECT_EQ(*FormatValue(num, "87.55"), "87.6");
  EXPECT_EQ(*FormatValue(num, "1.5e-05"), "0.0");
}

TEST(ReportLayoutTest, TotalsAreExactIntegerSumsAndTheRatioOfTheSums) {
  // 0.1 + 0.2 in floating point is not 0.3; in fen it is.
  Data data = Rows({{"2026-12-01", "1", "10", "30", "0.1", "0.333"},
                    {"2026-12-01", "2", "20", "30", "0.2", "0.666"},
                    {"2026-12-02", "3", "999999999999999", "1000000000000000", "87.53", "0.99"}});
  auto laid = Lay(TakingsDef(), data);
  ASSERT_TRUE(laid.ok()) << laid.status().message();
  ASSERT_EQ(laid->rows.size(), 6u);  // 2 rows, subtotal, 1 row, subtotal, total
  EXPECT_EQ(Texts(laid->rows[2]), (std::vector<std::string>{"2026-12-01 小计", "3", "0.30", "0.60", "0.30", "50.00%"}));
  EXPECT_EQ(laid->rows[2].kind, RowKind::kSubtotal);
  EXPECT_EQ(Texts(laid->rows[5]),
            (std::vector<std::string>{"合计", "6", "10000000000000.29", "10000000000000.60", "87.83", "100.00%"}));
  EXPECT_EQ(laid->rows[5].kind, RowKind::kTotal);
  EXPECT_EQ(laid->data_rows, 3u);
}

TEST(ReportLayoutTest, NullsStayEmptyAndARatioOverNothingIsEmpty) {
  auto laid = Lay(TakingsDef(), Rows({{"2026-12-01", std::nullopt, "0", "0", std::nullopt, std::nullopt}}));
  ASSERT_TRUE(laid.ok());
  EXPECT_EQ(Texts(laid->rows[0]), (std::vector<std::string>{"2026-12-01", "NULL", "0.00", "0.00", "NULL", "NULL"}));
  EXPECT_EQ(Texts(laid->rows.back()), (std::vector<std::string>{"合计", "0", "0.00", "0.00", "0.00", "NULL"}));
}

TEST(ReportLayoutTest, AColumnMissingFromTheSqlOrABadValueIsNamed) {
  Data data{{"day", "n"}, {}};
  EXPECT_EQ(Lay(TakingsDef(), data).status().message(), "t.yaml:7: column 'fen' is not in the SQL's result");
  auto bad = Lay(TakingsDef(), Rows({{"2026-12-01", "1", "ten", "1", "1", "1"}}));
  EXPECT_EQ(bad.status().message(), "t: row 1: column fen: 'ten' is not a number");
}

TEST(ReportLayoutTest, CsvHasTheTitlesAndTheTotalsInYuan) {
  auto laid = Lay(TakingsDef(), Rows({{"2026-12-01", "1", "12345", "20000", "1", "0.5"}}));
  ASSERT_TRUE(laid.ok());
  EXPECT_EQ(RenderCsv(*laid),
            "day,n,fen,due,area,rate\n"
            "2026-12-01,1,123.45,200.00,1.00,50.00%\n"
            "2026-12-01 小计,1,123.45,200.00,1.00,61.73%\n"
            "合计,1,123.45,200.00,1.00,61.73%\n");
}

TEST(ReportLayoutTest, TablesBreakIntoPagesOfFixedRowsWithAShorterFirstPage) {
  using P = std::vector<std::pair<size_t, size_t>>;
  EXPECT_EQ(Paginate(0, 30, 45), (P{{0, 0}}));
  EXPECT_EQ(Paginate(30, 30, 45), (P{{0, 30}}));
  EXPECT_EQ(Paginate(31, 30, 45), (P{{0, 30}, {30, 31}}));
  EXPECT_EQ(Paginate(120, 30, 45), (P{{0, 30}, {30, 75}, {75, 120}}));
  EXPECT_EQ(Paginate(5, 0, 45), (P{{0, 0}, {0, 5}}));  // a chart filling the first page
  PageGeometry g;
  // A4 portrait: 841.89 - 2*36 - 24 footer - 16 header row = 729.89 -> 45 rows of 16 pt.
  EXPECT_EQ(g.RowsPerPage(), 45u);
  EXPECT_EQ(g.RowsOnFirst(0), 41u);         // less the title block of 70 pt
  EXPECT_EQ(g.RowsOnFirst(250), 24u);       // and a chart of 250 pt plus 12 pt of space
}

TEST(ReportLayoutTest, ParametersAreCheckedByTypeAndBoundInOrder) {
  auto d = ParseDef(R"yaml(name: p
title: P
params:
  - {name: from, type: date}
  - {name: min_arrears, type: money, default: "0.01"}
  - {name: org, type: org}
  - {name: building, type: text, required: true}
sql: SELECT 1
columns: [{name: a, type: int}]
)yaml", "p.yaml");
  ASSERT_TRUE(d.ok()) << d.status().message();
  Date today{2026, 12, 7};
  auto b = BindParams(*d, {{"building", "幸福小区/1号楼"}, {"from", "yesterday"}}, today);
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(*b, (db::Params{"2026-12-06", "1", "", "幸福小区/1号楼"}));
  EXPECT_EQ(BindParams(*d, {{"building", "x"}, {"min_arrears", "100.00"}}, today)->at(1), "10000");
  EXPECT_EQ(BindParams(*d, {}, today).status().message(), "report p needs the parameter 'building'");
  EXPECT_EQ(BindParams(*d, {{"building", "x"}, {"from", "2026-02-30"}}, today).status().message(),
            "from: no such day: 2026-02-30");
  EXPECT_EQ(BindParams(*d, {{"building", "x"}, {"season", "2026-2027"}}, today).status().message(),
            "report p takes no parameter 'season' (it takes: from, min_arrears, org, building)");
  EXPECT_EQ(BindParams(*d, {{"building", "x"}, {"min_arrears", "1,000"}}, today).status().code(), Code::kUsage);
}

}  // namespace
}  // namespace heat::report
