// core/sheet.h — spreadsheets in and out: .csv and .xlsx as one table of
// text cells. `billctl import houses` reads them and writes its rejects in
// the same format; reports export them.
//
// Every cell is text, as the file holds it: no type guessing, so a house
// code "0012" stays "0012" and an amount "100.5" stays "100.5" (for .xlsx
// numbers see ParseXlsx). Money and areas are parsed later by core/money.h,
// which refuses what it cannot read exactly.
//
// Both readers apply the same two rules:
//   * rows in which every cell is empty are dropped (blank lines in a CSV,
//     empty or style-only rows in a sheet); `line` keeps the real positions,
//     so messages still point at the right line;
//   * the first row that is kept is the header.
// Rows are kept as they are (ragged): a row may be shorter or longer than
// the header. In .xlsx, empty cells at the end of a row are not cells.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "heat/core/status.h"

namespace heat {

struct Sheet {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  // 1-based line (CSV: where the record starts) or sheet row number of
  // each entry of `rows`, for messages such as "houses.csv: line 12: ...".
  std::vector<int> line;
};

enum class SheetFormat { kCsv, kXlsx };

// What a CSV reader does with bytes that are not UTF-8.
enum class BadUtf8 {
  kRefuseFile,  // the whole file is refused, naming the line (the default)
  kKeepCells,   // the header must be UTF-8 (and the file not UTF-16); other
                // cells keep their bytes, for the caller to judge row by row
                // (billctl import houses rejects such rows, BIL-6)
};

// Refused with a clear message (kFailure) rather than read in part.
inline constexpr size_t kMaxSheetBytes = 200u << 20;   // a CSV file, or all .xlsx parts unpacked
inline constexpr size_t kMaxSheetCells = 10'000'000;  // header and rows together

// By extension, .csv or .xlsx in any case; anything else is kUsage
// (".xls" gets a hint to save as .xlsx).
Result<SheetFormat> SheetFormatFor(const std::string& path);

// A .csv or the first visible worksheet of an .xlsx, read whole (a file
// over kMaxSheetBytes is refused). Messages start with the path. A missing
// file is kNotFound, an unreadable one kPermission.
Result<Sheet> ReadSheet(const std::string& path, BadUtf8 bad = BadUtf8::kRefuseFile);

// RFC 4180: fields separated by ',', quoted with '"', a doubled quote inside
// quotes is one quote, quoted fields may hold ',' and line breaks. Records
// end in LF, CRLF or a lone CR (old Mac Excel). A UTF-8 byte-order mark is
// skipped. Lenient where nothing is lost: a quote inside an unquoted field
// is kept as text. Refused (kFailure, "line N: ..."): invalid UTF-8 (a
// GBK/UTF-16 file: save as "CSV UTF-8"), a quote never closed, text after
// a closing quote, more than kMaxSheetCells cells.
Result<Sheet> ParseCsv(std::string_view text, BadUtf8 bad = BadUtf8::kRefuseFile);

// Quotes a field only when it holds ',', '"', CR or LF (or starts with a
// byte-order mark); records end in LF; no BOM. ParseCsv(FormatCsv(s)) gives
// back s.header and s.rows whenever s came from a reader (valid UTF-8, no
// all-empty rows); `line` is renumbered.
std::string FormatCsv(const Sheet& sheet);

// Writes .csv or .xlsx by extension, through a temporary file in the same
// directory that is synced and renamed over `path`: readers see the old
// file or the whole new one, never half of one.
//   .csv:  a UTF-8 BOM, then FormatCsv — without the BOM Excel on a
//          Chinese Windows reads the file as GBK and shows 幸福小区 garbled.
//          Cells go out as they are: Excel takes a cell starting with '='
//          as a formula; export .xlsx where that matters.
//   .xlsx: one sheet "Sheet1", header row bold, every cell a string (never
//          a number: codes such as "0012" keep their zeros, and nothing a
//          cell holds is run as a formula). Excel may flag number-like
//          cells with "number stored as text"; that is expected. Refused:
//          a cell over 32767 characters or a sheet beyond 1048576 rows or
//          16384 columns (Excel's limits; use .csv).
// Cells must be valid UTF-8. Messages start with the path.
Status WriteSheet(const std::string& path, const Sheet& sheet);

// An .xlsx from memory (what ReadSheet does after opening the file); never
// crashes on corrupt input. Numbers come as written in the file, except
// that binary noise beyond Excel's 15 significant digits is rounded away
// ("0.57999999999999996" -> "0.58", what Excel shows); booleans are
// "TRUE"/"FALSE"; dates come as Excel serial numbers; formulas give their
// cached value.
Result<Sheet> ParseXlsx(std::string_view bytes);

namespace sheet_internal {  // shared by sheet.cc, xlsx.cc, xlsx_cell.cc; not for callers

// Adds a row by the rules above: all-empty rows dropped, the first kept
// row becomes the header. `cells` counts against kMaxSheetCells.
Status AddRow(Sheet* sheet, std::vector<std::string>&& row, int line, size_t* cells);

// .xlsx cells (xlsx_cell.cc). The text of a cell from its type (the t
// attribute) and the raw text of its <v> or <is>; `shared` are the shared
// strings. Numbers as described at ParseXlsx.
Result<std::string> XlsxCellText(std::string_view type, const std::string& raw,
                                 const std::vector<std::string>& shared);
std::string XlsxDecodeEscapes(std::string_view s);  // "a_x000D_b" -> "a\rb"
bool XlsxCellColumn(std::string_view ref, int* col);  // "B3" -> 1
bool XlsxRowNumber(std::string_view s, int* row);     // "3" -> 3; 1..1048576
std::string XlsxColumnName(int col);                  // 1 -> "B"
inline constexpr int kXlsxMaxColumns = 16384;         // A..XFD
inline constexpr int kXlsxMaxRows = 1048576;

Status WriteXlsxFile(const std::string& path, const Sheet& sheet);  // not atomic

}  // namespace sheet_internal
}  // namespace heat
