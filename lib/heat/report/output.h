// report/output.h — a laid-out report as bytes of a file: CSV, XLSX, PDF,
// and notices (BIL-19, BIL-20, BIL-22). reportgen(1) describes each.
//
//  csv   RFC 4180 (core/sheet.h FormatCsv), a header row of the column
//        titles, money in yuan with two decimals, subtotal and totals rows
//        as rows; no byte-order mark (a file written with -o gets one, see
//        WriteSheet, so Excel reads it as UTF-8)
//  xlsx  one sheet: the title in A1, the parameters in A2, the header in
//        row 4 (bold, frozen with the rows above), numbers as numbers,
//        money as yuan with the format 0.00, percent as 0.00%, totals bold
//  pdf   A4 (landscape when the definition says so), "Noto Sans CJK SC":
//        title, parameters and generation time on the first page, the
//        chart (if any), then the table, split across pages with the
//        header row repeated on each, numbers right-aligned, "第 n / N 页"
//        at the foot of every page
//  notices  one A4 page per row from a mustache template (Pango markup;
//        values are escaped)
// Rendering never changes the data; every function returns the whole
// file, so a failure leaves nothing half-written.
#pragma once

#include <cairo.h>

#include <string>
#include <vector>

#include "heat/core/status.h"
#include "heat/report/def.h"
#include "heat/report/layout.h"

namespace heat::report {

struct Meta {
  std::string title;
  std::string params;     // "日期 2026-12-06, 组织 BR1"
  std::string generated;  // "2026-12-07 02:00:00"
  std::string company;    // site.company
  std::string subject;    // the chart's title when the definition gives none (e.g. the building)
};

std::string RenderCsv(const Laid& laid);
Result<std::string> RenderXlsx(const Laid& laid, const Meta& meta);

// PDF page geometry in points; exposed for tests of the page breaks.
struct PageGeometry {
  double width = 595.28, height = 841.89, margin = 36, row_h = 16, title_h = 70, footer_h = 24;
  size_t RowsPerPage() const;                  // table rows under the header on a plain page
  size_t RowsOnFirst(double chart_h) const;    // the same below the title and chart
};
PageGeometry GeometryFor(const Def& def);

Result<std::string> RenderPdf(const Def& def, const Laid& laid, const Data& data, const Meta& meta);

// A document of titled tables (billctl's cash-up sheet, BIL-19): the
// head as a report's, then each section's heading and its table (the
// header row repeated where a table flows onto a new page), then the
// closing lines (signatures), "第 n / N 页" at the foot of every page.
struct PdfSection {
  std::string heading;
  Laid table;
};
Result<std::string> RenderPdfSections(const Meta& meta, const std::vector<PdfSection>& sections,
                                      const std::vector<std::string>& closing);

// One notice per data row: `tmpl` (mustache) rendered with every SQL
// column (money columns of the definition formatted in yuan), company and
// today; the result is Pango markup, its first line the centred heading.
Result<std::string> RenderNotices(const Def& def, const Data& data, const std::string& tmpl, const Meta& meta);

// A PDF drawn into memory (pdf.cc): draw each page on cr() and end it
// with cairo_show_page; Finish() gives the bytes or cairo's error.
class PdfDoc {
 public:
  PdfDoc(double width, double height, const std::string& title);
  ~PdfDoc();
  PdfDoc(const PdfDoc&) = delete;
  PdfDoc& operator=(const PdfDoc&) = delete;
  cairo_t* cr() { return cr_; }
  Result<std::string> Finish();

 private:
  std::string bytes_;
  cairo_surface_t* surface_;
  cairo_t* cr_;
};


}  // namespace heat::report
