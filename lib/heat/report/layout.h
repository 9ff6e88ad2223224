// report/layout.h — what a report shows: the SQL's rows laid out by the
// definition's columns, with group subtotals and a totals row, as text
// ready for every format (CSV, XLSX, PDF), and the pages of a PDF table.
//
// Contract (BIL-19):
// - Money is integer fen from the SQL and is shown in yuan with two
//   decimals ("2200.00", "-0.05"); totals of money, int and number columns
//   are summed exactly as integers (numbers scaled by their decimals), never
//   in floating point, so a total equals the SQL's own sum to the fen.
// - A percent column holds a fraction (0.875) and is shown as "87.50%";
//   its total is ratio(NUM, DEN): the sums of two columns divided once,
//   rounded half away from zero, "" when DEN sums to 0.
// - NULL is shown as "" (CSV, XLSX) and "-" in PDF tables.
// - A value the type does not fit (text in a money column) is an error
//   naming the report, the column and the row.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "heat/core/status.h"
#include "heat/report/def.h"

namespace heat::report {

using Cell = std::optional<std::string>;  // nullopt: SQL NULL

// The rows the SQL returned, by column name.
struct Data {
  std::vector<std::string> names;
  std::vector<std::vector<Cell>> rows;
  int Col(const std::string& name) const;  // -1 when absent
};

enum class RowKind { kData, kSubtotal, kTotal };
struct Row {
  RowKind kind = RowKind::kData;
  std::vector<Cell> cells;  // display text, one per Def::columns
};
struct Laid {
  std::vector<std::string> titles;  // one per Def::columns
  std::vector<ColType> types;
  std::vector<Row> rows;            // data, subtotals and the totals row
  size_t data_rows = 0;
};

// One cell's display text; kUsage when the value does not fit the type.
Result<std::string> FormatValue(const Column& c, const std::string& raw);
// The definition's columns over the data: every column must be in it.
Result<Laid> Lay(const Def& def, const Data& data);

// Pages of a table: `first` rows fit on the first page (below the title
// and chart), `per_page` on each further one; returns [begin, end) of each
// page, at least one page (an empty table still has its header).
std::vector<std::pair<size_t, size_t>> Paginate(size_t rows, size_t first, size_t per_page);

}  // namespace heat::report
