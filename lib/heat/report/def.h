// report/def.h — a report as a file (ANA-9, BIL-19, BIL-20, BIL-22): SQL
// over the api views plus its layout, in YAML (etc/reports/NAME.yaml;
// reportgen(1) documents the format).
//
// Contract:
// - ParseDef is strict: unknown keys (with a "did you mean"), missing keys,
//   wrong types, bad names, duplicate columns and references to columns
//   that do not exist are errors, each one Status (kUsage) whose message is
//   "FILE:LINE: KEY: what is wrong", KEY the path of the key, e.g.
//   "daily-takings.yaml:12: columns[2].type: 'mony' is not one of
//   text|int|money|number|percent|date". Never throws; never crashes on any
//   input (tests/fuzz/report_def_fuzz.cc).
// - The SQL is kept as written; parameters are referred to as $1..$N in
//   the order of `params` and bound at run time, never spliced.
// - `name` must equal the file's base name (without .yaml), so the name
//   people type finds the file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "heat/core/status.h"

namespace heat::report {

enum class ColType { kText, kInt, kMoney, kNumber, kPercent, kDate };
const char* ColTypeName(ColType t);

// A parameter a report's SQL takes ($1 is the first). Types: date
// (YYYY-MM-DD; default today), text, int, money (given in yuan, bound in
// fen), org (an org unit code; empty means the person's whole scope).
enum class ParamType { kDate, kText, kInt, kMoney, kOrg };
struct Param {
  std::string name;           // from, to, org, building, season, min_arrears, ...
  ParamType type = ParamType::kText;
  std::string default_value;  // as typed on the command line; "" none
  bool required = false;
  std::string doc;
  int line = 0;
};

struct Column {
  std::string name;   // the SQL result column
  std::string title;  // the heading shown
  ColType type = ColType::kText;
  int decimals = 2;   // number: digits after the point
  // Totals and subtotals: "sum" (int, money, number), "count" (rows), or
  // "ratio" of two summed columns (percent: sum(num) / sum(den)); "" none.
  std::string total;
  std::string ratio_num, ratio_den;
  int line = 0;
};

// A chart drawn above the table on the PDF's first page (chart/chart.h).
//   bar: categories from `category`, one series per column of `series`
//   share: labels from `category`, sizes from the first of `series`
//   building_map: the SQL gives floor, unit, room and state
//                 (paid|part|unpaid|suspended|disconnected)
struct Chart {
  std::string kind;  // "" (none), bar, share, building_map
  std::string title, category;
  std::vector<std::string> series;
  bool stacked = false;
};

struct Def {
  std::string name, title, description, reqs;
  std::string file;  // where it was read from
  std::vector<Param> params;
  std::string sql;
  std::vector<Column> columns;
  std::string group_by;  // a subtotal row after each run of equal values
  bool totals = false;   // a totals row (合计) at the end
  bool landscape = false;
  Chart chart;
  // A notice report (BIL-22): one page per row from this mustache
  // template (a path relative to the definition's folder).
  std::string notice_template;
};

// Parses the text of a definition; `file` is its path (for messages and
// the name check).
Result<Def> ParseDef(std::string_view yaml_text, const std::string& file);
// Reads and parses a file (at most 1 MiB).
Result<Def> LoadDef(const std::string& path);

// Names of the column types and parameter types, as the file writes them.
Result<ColType> ParseColType(std::string_view s);
Result<ParamType> ParseParamType(std::string_view s);
const char* ParamTypeName(ParamType t);

}  // namespace heat::report
