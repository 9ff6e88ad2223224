// The report definition parser (ANA-9): a good file read whole, every
// kind of mistake refused with its whole "FILE:LINE: KEY: what" message,
// and every built-in report of etc/reports parsing.
#include <gtest/gtest.h>

#include <filesystem>

#include "heat/report/def.h"
#include "heat/report/run.h"

namespace heat::report {
namespace {

constexpr const char* kGood = R"yaml(name: daily-takings
title: 日收款报表
reqs: BIL-19
params:
  - {name: from, type: date, doc: 起}
  - {name: to, type: date}
  - {name: org, type: org}
sql: |
  SELECT day, method, takings_fen FROM x WHERE day BETWEEN $1 AND $2
columns:
  - {name: day, title: 日期, type: date}
  - {name: method, type: text}
  - {name: takings_fen, title: 实收(元), type: money, total: sum}
  - {name: rate, type: percent, total: "ratio(takings_fen, takings_fen)"}
group_by: day
totals: true
chart: {kind: bar, category: day, series: [takings_fen]}
)yaml";

std::string ErrorOf(const std::string& text, const std::string& file = "daily-takings.yaml") {
  auto d = ParseDef(text, file);
  return d.ok() ? "(parsed)" : d.status().message();
}

// The good file with one line replaced.
std::string With(const std::string& from, const std::string& to) {
  std::string s = kGood;
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

TEST(ReportDefTest, AGoodDefinitionIsReadWhole) {
  auto d = ParseDef(kGood, "/etc/heat/reports/daily-takings.yaml");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->name, "daily-takings");
  EXPECT_EQ(d->title, "日收款报表");
  ASSERT_EQ(d->params.size(), 3u);
  EXPECT_EQ(d->params[0].doc, "起");
  EXPECT_EQ(d->params[2].type, ParamType::kOrg);
  ASSERT_EQ(d->columns.size(), 4u);
  EXPECT_EQ(d->columns[1].title, "method");  // the name when no title is given
  EXPECT_EQ(d->columns[2].type, ColType::kMoney);
  EXPECT_EQ(d->columns[2].total, "sum");
  EXPECT_EQ(d->columns[3].ratio_num, "takings_fen");
  EXPECT_EQ(d->columns[2].line, 13);
  EXPECT_EQ(d->group_by, "day");
  EXPECT_TRUE(d->totals);
  EXPECT_EQ(d->chart.kind, "bar");
  EXPECT_EQ(d->sql.find("$1"), 57u);  // kept as written, parameters not touched
}

TEST(ReportDefTest, EveryMistakeIsRefusedWithFileLineKeyAndWhat) {
  EXPECT_EQ(ErrorOf(With("type: money", "type: mony")),
            "daily-takings.yaml:13: columns[3].type: 'mony' is not one of text|int|money|number|percent|date");
  EXPECT_EQ(ErrorOf(With("totals: true", "totls: true")),
            "daily-takings.yaml:16: totls: unknown key; did you mean 'totals'?");
  EXPECT_EQ(ErrorOf(With("name: daily-takings", "name: takings")),
            "daily-takings.yaml:1: name: 'takings' must be the file's name, 'daily-takings'");
  EXPECT_EQ(ErrorOf(With("{name: to, type: date}", "{name: to, type: day}")),
            "daily-takings.yaml:6: params[2].type: 'day' is not one of date|text|int|money|org");
  EXPECT_EQ(ErrorOf(With("{name: to, type: date}", "{name: from, type: date}")),
            "daily-takings.yaml:6: params[2].name: 'from' is declared twice");
  EXPECT_EQ(ErrorOf(With("{name: method, type: text}", "{name: day, type: text}")),
            "daily-takings.yaml:12: columns[2].name: 'day' is listed twice");
  EXPECT_EQ(ErrorOf(With("{name: method, type: text}", "{name: method, type: text, total: sum}")),
            "daily-takings.yaml:12: columns[2].total: sum needs an int, money or number column, not text");
  EXPECT_EQ(ErrorOf(With("group_by: day", "group_by: dya")),
            "daily-takings.yaml:15: group_by: 'dya' is not one of the columns; did you mean 'day'?");
  EXPECT_EQ(ErrorOf(With("series: [takings_fen]", "series: [method]")),
            "daily-takings.yaml:17: chart.series[1]: 'method' is not a number column");
  EXPECT_EQ(ErrorOf(With("kind: bar", "kind: pie")),
            "daily-takings.yaml:17: chart.kind: 'pie' is not one of bar|share|building_map");
  EXPECT_EQ(ErrorOf(With("ratio(takings_fen, takings_fen)", "ratio(takings_fen, due_fen)")),
            "daily-takings.yaml:14: columns[4].total: 'due_fen' is not one of the columns");
  EXPECT_EQ(ErrorOf(With("total: \"ratio(takings_fen, takings_fen)\"", "total: avg")),
            "daily-takings.yaml:14: columns[4].total: 'avg' is not one of sum, count, ratio(NUM, DEN)");
  EXPECT_EQ(ErrorOf(With("totals: true", "totals: yes please")),
            "daily-takings.yaml:16: totals: 'yes please' is not true or false");
  EXPECT_EQ(ErrorOf(With("title: 日收款报表\n", "")), "daily-takings.yaml:1: title: missing");
  EXPECT_EQ(ErrorOf(With("- {name: day, title: 日期, type: date}", "- {name: Day, type: date}")),
            "daily-takings.yaml:11: columns[1].name: 'Day' is not a SQL column name (a-z, 0-9, _)");
}

TEST(ReportDefTest, BrokenYamlAndWrongShapesNameTheirLine) {
  EXPECT_EQ(ErrorOf("name: x\ntitle: [unclosed\n", "x.yaml"), "x.yaml:3: end of sequence flow not found");
  EXPECT_EQ(ErrorOf("- a\n- b\n", "x.yaml"), "x.yaml:1: (file): expected a map with name, title, sql and columns");
  EXPECT_EQ(ErrorOf("name: x\ntitle: t\nsql: SELECT 1\ncolumns: {a: 1}\n", "x.yaml"),
            "x.yaml:4: columns: expected a list of at least one column");
  EXPECT_EQ(ErrorOf("name: x\ntitle: [t]\n", "x.yaml"), "x.yaml:2: title: expected text, not a list or map");
  EXPECT_EQ(ErrorOf("name: x\ntitle: \"a\\x01b\"\n", "x.yaml"), "x.yaml:2: title: holds a control character");
}

TEST(ReportDefTest, EveryBuiltInReportParses) {
  std::string dir = std::string(HEAT_SOURCE_DIR) + "/etc/reports";
  auto defs = ListDefs({dir});
  EXPECT_GE(defs.size(), 20u);
  for (const auto& [name, path] : defs) {
    auto d = LoadDef(path);
    ASSERT_TRUE(d.ok()) << d.status().message();
    EXPECT_FALSE(d->reqs.empty()) << name << " names no requirement";
  }
}

TEST(ReportDefTest, TheFirstFolderHoldingANameWinsAndUnknownNamesGetASuggestion) {
  namespace fs = std::filesystem;
  fs::path a = fs::temp_directory_path() / ("report-def-a-" + std::to_string(getpid()));
  fs::create_directories(a);
  std::string builtin = std::string(HEAT_SOURCE_DIR) + "/etc/reports";
  fs::copy_file(builtin + "/arrears.yaml", a / "arrears.yaml");
  auto defs = ListDefs({a.string(), builtin});
  EXPECT_EQ(defs["arrears"], (a / "arrears.yaml").string());
  EXPECT_EQ(defs["ledger"], builtin + "/ledger.yaml");
  auto missing = FindDef({a.string(), builtin}, "daily-taking");
  EXPECT_EQ(missing.status().message(), "no report 'daily-taking'; did you mean 'daily-takings'? See 'reportgen list'.");
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  fs::remove_all(a);
}

}  // namespace
}  // namespace heat::report
