// .xlsx cells: the text of a cell as read (xlsx.cc parses the XML around
// it), and writing a Sheet with libxlsxwriter.
#include <xlsxwriter.h>

#include <cctype>
#include <charconv>

#include "heat/core/sheet.h"
#include "heat/core/text.h"

namespace heat {
namespace {

// A number as written, unless it carries binary noise past the 15
// significant digits Excel works with: Excel stores 0.58 as
// "0.57999999999999996" but shows 0.58, and money parsing needs "0.58".
// Integers are left alone (long codes typed as numbers keep their digits).
std::string NumberText(std::string_view raw) {
  size_t exp = raw.find_first_of("eE");
  if (exp == std::string_view::npos && raw.find('.') == std::string_view::npos) return std::string(raw);
  int digits = 0;
  bool leading = true;
  for (char c : raw.substr(0, exp)) {
    if (c >= '1' && c <= '9') leading = false;
    if (c >= '0' && c <= '9' && !leading) ++digits;
  }
  double v = 0;
  auto parsed = std::from_chars(raw.data(), raw.data() + raw.size(), v);
  if (digits <= 15 || parsed.ec != std::errc() || parsed.ptr != raw.data() + raw.size()) return std::string(raw);
  char buf[64];
  auto printed = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 15);
  std::string out(buf, static_cast<size_t>(printed.ptr - buf));
  // Never trade a plain decimal for exponent notation the file did not use.
  return out.find('e') != std::string::npos && exp == std::string_view::npos ? std::string(raw) : out;
}


bool IsEscapeAt(std::string_view s, size_t i) {
  if (i + 7 > s.size() || s.substr(i, 2) != "_x" || s[i + 6] != '_') return false;
  for (size_t k = i + 2; k < i + 6; ++k) {
    if (!std::isxdigit(static_cast<unsigned char>(s[k]))) return false;
  }
  return true;
}

// Text that happens to look like an _xHHHH_ escape gets its '_' escaped as
// _x005F_ (as Excel does), or every reader would decode it. libxlsxwriter
// escapes control characters itself but not this.
std::string ProtectEscapes(const std::string& text) {
  if (text.find("_x") == std::string::npos) return text;
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsEscapeAt(text, i)) out += "_x005F";
    out.push_back(text[i]);
  }
  return out;
}

std::string Where(size_t row, size_t col) {
  return "row " + std::to_string(row + 1) + ", column " + sheet_internal::XlsxColumnName(static_cast<int>(col)) + ": ";
}

// One sheet row (0-based `row`); empty cells stay blank, not "" strings.
Status WriteRow(lxw_worksheet* ws, size_t row, const std::vector<std::string>& cells, lxw_format* format) {
  if (row >= LXW_ROW_MAX) {
    return Status::Failure("more than " + std::to_string(LXW_ROW_MAX) +
                           " rows, the most an .xlsx sheet holds; use .csv");
  }
  if (cells.size() > LXW_COL_MAX) {
    return Status::Failure("row " + std::to_string(row + 1) + ": more than " + std::to_string(LXW_COL_MAX) +
                           " columns, the most an .xlsx sheet holds; use .csv");
  }
  for (size_t col = 0; col < cells.size(); ++col) {
    const std::string& text = cells[col];
    if (text.empty()) continue;
    // A C string would silently end at the NUL; XML cannot hold one anyway.
    if (text.find('\0') != std::string::npos) return Status::Failure(Where(row, col) + "holds a NUL byte");
    const std::string safe = ProtectEscapes(text);
    lxw_error e =
        worksheet_write_string(ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col), safe.c_str(), format);
    if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED) {
      return Status::Failure(Where(row, col) + "longer than 32767 characters, the most an Excel cell holds; use .csv");
    }
    if (e != LXW_NO_ERROR) return Status::Failure(Where(row, col) + lxw_strerror(e));
  }
  return Status::Ok();
}

Status WriteCells(lxw_workbook* wb, const Sheet& sheet) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
  lxw_format* bold = workbook_add_format(wb);
  if (ws == nullptr || bold == nullptr) return Status::Failure("out of memory");
  format_set_bold(bold);
  HEAT_TRY(WriteRow(ws, 0, sheet.header, bold));
  for (size_t i = 0; i < sheet.rows.size(); ++i) HEAT_TRY(WriteRow(ws, i + 1, sheet.rows[i], nullptr));
  return Status::Ok();
}

}  // namespace

namespace sheet_internal {

bool XlsxRowNumber(std::string_view s, int* row) {
  int n = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), n);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || n < 1 || n > kXlsxMaxRows) return false;
  *row = n;
  return true;
}

bool XlsxCellColumn(std::string_view ref, int* col) {
  size_t i = 0;
  int c = 0;
  for (; i < ref.size() && i < 3 && ((ref[i] >= 'A' && ref[i] <= 'Z') || (ref[i] >= 'a' && ref[i] <= 'z')); ++i) {
    c = c * 26 + (ref[i] & 0x1F);
  }
  int row = 0;
  if (i == 0 || c > kXlsxMaxColumns || !XlsxRowNumber(ref.substr(i), &row)) return false;
  *col = c - 1;
  return true;
}

std::string XlsxColumnName(int col) {
  std::string name;
  for (int c = col + 1; c > 0; c = (c - 1) / 26) name.insert(name.begin(), static_cast<char>('A' + (c - 1) % 26));
  return name;
}

// Excel escapes characters XML cannot hold (and CR) as _xHHHH_; so does
// libxlsxwriter. "_x005F_" is a literal underscore.
std::string XlsxDecodeEscapes(std::string_view s) {
  if (s.find("_x") == std::string_view::npos) return std::string(s);
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned cp = 0;
    if (IsEscapeAt(s, i)) std::from_chars(s.data() + i + 2, s.data() + i + 6, cp, 16);
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {  // not an escape, or nothing UTF-8 can say alone
      out.push_back(s[i]);
      continue;
    }
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out += {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
    } else {
      out += {static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
              static_cast<char>(0x80 | (cp & 0x3F))};
    }
    i += 6;
  }
  return out;
}

Result<std::string> XlsxCellText(std::string_view type, const std::string& raw,
                                 const std::vector<std::string>& strings) {
  if (raw.empty()) return std::string();
  if (type == "s") {
    size_t i = 0;
    auto r = std::from_chars(raw.data(), raw.data() + raw.size(), i);
    if (r.ec != std::errc() || r.ptr != raw.data() + raw.size() || i >= strings.size()) {
      return Status::Failure("not a readable .xlsx file (shared string '" + raw + "' does not exist)");
    }
    return strings[i];
  }
  if (type == "inlineStr" || type == "str") return XlsxDecodeEscapes(raw);
  if (type == "b") return std::string(raw == "1" ? "TRUE" : raw == "0" ? "FALSE" : raw);
  if (type == "n") return NumberText(Trim(raw));
  return raw;  // "e" (an error such as #N/A), "d" (an ISO date)
}

// Strings only, never numbers: see WriteSheet in sheet.h.
Status WriteXlsxFile(const std::string& path, const Sheet& sheet) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (wb == nullptr) return Status::Failure("could not start an .xlsx workbook");
  Status s = WriteCells(wb, sheet);
  if (!s.ok()) {
    lxw_workbook_free(wb);  // nothing is written before workbook_close
    return s;
  }
  lxw_error e = workbook_close(wb);
  if (e != LXW_NO_ERROR) return Status::Failure(std::string("writing .xlsx: ") + lxw_strerror(e));
  return Status::Ok();
}

}  // namespace sheet_internal
}  // namespace heat
