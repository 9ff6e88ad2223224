// cli/format.h — how every listing is printed: --format table|csv|json.
//
//  table  columns aligned by display width (Chinese text is two columns a
//         character), a header and a rule, numbers right-aligned, NULL "-"
//  csv    RFC 4180 quoting (fields with , " CR or LF quoted), a header
//         row, lines ending in LF as Unix tools expect
//  json   an array of objects keyed by the column names (snake_case);
//         numbers and booleans unquoted, NULL null, JSON cells embedded
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "heat/core/status.h"

namespace heat::cli {

enum class Format { kTable, kCsv, kJson };
Result<Format> ParseFormat(std::string_view name);

struct Cell {
  enum Kind { kString, kInt, kNumber, kBool, kJson };
  std::optional<std::string> text;  // nullopt is NULL
  Kind kind = kString;
};

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
  void Add(std::vector<Cell> row) { rows.push_back(std::move(row)); }
};

void Print(const Table& table, Format format, std::ostream& out);

// One record, for `show`: table form is aligned "key  value" lines, json one
// object, csv a header and one row.
using Record = std::vector<std::pair<std::string, Cell>>;
void PrintRecord(const Record& record, Format format, std::ostream& out);

}  // namespace heat::cli
