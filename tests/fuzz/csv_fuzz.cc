// libFuzzer target: CSV imports (a house list saved by any spreadsheet
// program must parse or give a line-numbered error, never crash), and
// whatever parses must come back unchanged through FormatCsv.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "heat/core/sheet.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto sheet = heat::ParseCsv(text);
  if (!sheet.ok()) {
    if (sheet.status().message().rfind("line ", 0) != 0) abort();  // every error names its line
    return 0;
  }
  if (sheet->line.size() != sheet->rows.size()) abort();
  for (size_t i = 1; i < sheet->line.size(); ++i) {
    if (sheet->line[i] <= sheet->line[i - 1]) abort();
  }
  auto again = heat::ParseCsv(heat::FormatCsv(*sheet));
  if (!again.ok() || again->header != sheet->header || again->rows != sheet->rows) abort();
  return 0;
}
