// CSV and XLSX of a laid-out report, and writing a file whole.
#include "heat/report/output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <filesystem>

#include "heat/core/file.h"
#include "heat/core/sheet.h"

namespace heat::report {
namespace {

bool IsNumeric(ColType t) { return t == ColType::kInt || t == ColType::kMoney || t == ColType::kNumber || t == ColType::kPercent; }

struct Formats {
  lxw_format *bold, *money, *money_bold, *pct, *pct_bold, *num, *num_bold;
};

Formats MakeFormats(lxw_workbook* wb) {
  auto f = [&](const char* num, bool bold) {
    lxw_format* x = workbook_add_format(wb);
    if (num) format_set_num_format(x, num);
    if (bold) format_set_bold(x);
    return x;
  };
  return {f(nullptr, true), f("0.00", false), f("0.00", true), f("0.00%", false), f("0.00%", true),
          nullptr, f(nullptr, true)};
}

// One cell: numbers as numbers (money already in yuan), text as text.
lxw_error WriteCell(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, ColType t, const std::string& text, bool bold,
                    const Formats& f) {
  if (IsNumeric(t) && !text.empty() && text.find(' ') == std::string::npos) {
    bool pct = t == ColType::kPercent;
    double v = std::strtod(text.c_str(), nullptr) / (pct ? 100.0 : 1.0);
    lxw_format* fmt = t == ColType::kMoney ? (bold ? f.money_bold : f.money)
                      : pct               ? (bold ? f.pct_bold : f.pct)
                                          : (bold ? f.num_bold : f.num);
    return worksheet_write_number(ws, r, c, v, fmt);
  }
  return worksheet_write_string(ws, r, c, text.c_str(), bold ? f.bold : nullptr);
}

Status WriteRows(lxw_workbook* wb, const Laid& laid, const Meta& meta) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
  Formats f = MakeFormats(wb);
  worksheet_write_string(ws, 0, 0, meta.title.c_str(), f.bold);
  worksheet_write_string(ws, 1, 0, (meta.params + "  生成时间 " + meta.generated).c_str(), nullptr);
  const lxw_row_t head = 3;
  for (size_t c = 0; c < laid.titles.size(); ++c) {
    worksheet_write_string(ws, head, static_cast<lxw_col_t>(c), laid.titles[c].c_str(), f.bold);
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), IsNumeric(laid.types[c]) ? 14 : 18, nullptr);
  }
  worksheet_freeze_panes(ws, head + 1, 0);
  if (laid.rows.size() + head + 1 >= LXW_ROW_MAX)
    return Status::Failure(std::to_string(laid.rows.size()) + " rows are more than an .xlsx sheet holds; use csv");
  for (size_t r = 0; r < laid.rows.size(); ++r) {
    const Row& row = laid.rows[r];
    bool bold = row.kind != RowKind::kData;
    for (size_t c = 0; c < row.cells.size(); ++c) {
      if (!row.cells[c] || row.cells[c]->empty()) continue;
      lxw_error e = WriteCell(ws, static_cast<lxw_row_t>(head + 1 + r), static_cast<lxw_col_t>(c), laid.types[c],
                              *row.cells[c], bold, f);
      if (e != LXW_NO_ERROR) return Status::Failure("row " + std::to_string(r + 1) + ": " + lxw_strerror(e));
    }
  }
  return Status::Ok();
}

}  // namespace

std::string RenderCsv(const Laid& laid) {
  Sheet s;
  s.header = laid.titles;
  for (const Row& row : laid.rows) {
    std::vector<std::string> cells;
    for (const Cell& c : row.cells) cells.push_back(c.value_or(""));
    s.rows.push_back(std::move(cells));
  }
  return FormatCsv(s);
}

Result<std::string> RenderXlsx(const Laid& laid, const Meta& meta) {
  char tmp[] = "/tmp/reportgen-XXXXXX.xlsx";
  int fd = ::mkstemps(tmp, 5);
  if (fd < 0) return ErrnoStatus("a temporary file in /tmp", errno);
  ::close(fd);
  lxw_workbook* wb = workbook_new(tmp);
  if (wb == nullptr) {
    ::unlink(tmp);
    return Status::Failure("cannot start a workbook in " + std::string(tmp));
  }
  Status st = WriteRows(wb, laid, meta);
  lxw_error e = workbook_close(wb);
  if (st.ok() && e != LXW_NO_ERROR) st = Status::Failure(std::string("writing the workbook: ") + lxw_strerror(e));
  Result<std::string> bytes = st.ok() ? ReadRegularFile(tmp, 1u << 30, "") : Result<std::string>(st);
  ::unlink(tmp);
  return bytes;
}

}  // namespace heat::report
