// The PDF of a report: cairo draws, pango lays out the text (CJK through
// "Noto Sans CJK SC"); charts come from chart/chart.h.
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "heat/chart/chart.h"
#include "heat/report/output.h"

namespace heat::report {
namespace {

constexpr const char* kFont = "Noto Sans CJK SC";

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int len) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), len);
  return CAIRO_STATUS_SUCCESS;
}

using LayoutPtr = std::unique_ptr<PangoLayout, decltype(&g_object_unref)>;

// A one-line (or, with wrap, wrapped) layout of `text` in `size` points.
LayoutPtr Text(cairo_t* cr, const std::string& text, double size, bool bold, double width = -1,
               PangoAlignment align = PANGO_ALIGN_LEFT) {
  LayoutPtr l(pango_cairo_create_layout(cr), &g_object_unref);
  PangoFontDescription* fd = pango_font_description_from_string(kFont);
  pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
  if (bold) pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description(l.get(), fd);
  pango_font_description_free(fd);
  pango_layout_set_text(l.get(), text.c_str(), -1);
  if (width > 0) {
    pango_layout_set_width(l.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_ellipsize(l.get(), PANGO_ELLIPSIZE_END);
  }
  pango_layout_set_alignment(l.get(), align);
  return l;
}

double WidthOf(cairo_t* cr, const std::string& text, double size, bool bold) {
  int w = 0, h = 0;
  pango_layout_get_size(Text(cr, text, size, bold).get(), &w, &h);
  return static_cast<double>(w) / PANGO_SCALE;
}

void Show(cairo_t* cr, const std::string& text, double x, double y, double size, bool bold, double width = -1,
          PangoAlignment align = PANGO_ALIGN_LEFT) {
  LayoutPtr l = Text(cr, text, size, bold, width, align);
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, l.get());
}

bool RightAligned(ColType t) { return t != ColType::kText && t != ColType::kDate; }

constexpr double kCellFont = 8.5;

// Column widths: each column's widest text (the first rows measured),
// scaled down together when they do not fit the page.
std::vector<double> ColumnWidths(cairo_t* cr, const Laid& laid, double avail) {
  std::vector<double> w;
  for (size_t c = 0; c < laid.titles.size(); ++c) {
    double m = WidthOf(cr, laid.titles[c], kCellFont, true);
    for (size_t r = 0; r < laid.rows.size() && r < 400; ++r)
      if (laid.rows[r].cells[c]) m = std::max(m, WidthOf(cr, *laid.rows[r].cells[c], kCellFont, false));
    if (!laid.rows.empty() && laid.rows.back().cells[c])
      m = std::max(m, WidthOf(cr, *laid.rows.back().cells[c], kCellFont, true));
    w.push_back(std::min(m, 220.0) + 8);
  }
  double total = 0;
  for (double x : w) total += x;
  for (double& x : w) x *= total > avail ? avail / total : 1.0;
  return w;
}

struct Table {
  const Laid& laid;
  std::vector<double> widths;
  const PageGeometry& g;
};

void DrawRow(cairo_t* cr, const Table& t, const std::vector<Cell>& cells, double y, bool bold, double shade) {
  double x = t.g.margin, total = 0;
  for (double w : t.widths) total += w;
  if (shade < 1) {
    cairo_set_source_rgb(cr, shade, shade, shade);
    cairo_rectangle(cr, t.g.margin, y, total, t.g.row_h);
    cairo_fill(cr);
  }
  cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
  cairo_set_line_width(cr, 0.4);
  cairo_move_to(cr, t.g.margin, y + t.g.row_h);
  cairo_line_to(cr, t.g.margin + total, y + t.g.row_h);
  cairo_stroke(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (size_t c = 0; c < cells.size(); ++c) {
    std::string text = cells[c].value_or("-");
    bool right = RightAligned(t.laid.types[c]);
    Show(cr, text, x + 4, y + 2, kCellFont, bold, t.widths[c] - 8, right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
    x += t.widths[c];
  }
}

void DrawRows(cairo_t* cr, const Table& t, size_t begin, size_t end, double y) {
  std::vector<Cell> head(t.laid.titles.begin(), t.laid.titles.end());
  DrawRow(cr, t, head, y, true, 0.86);
  for (size_t r = begin; r < end; ++r) {
    const Row& row = t.laid.rows[r];
    y += t.g.row_h;
    bool sum = row.kind != RowKind::kData;
    DrawRow(cr, t, row.cells, y, sum, sum ? 0.94 : 1.0);
    if (sum) {
      cairo_set_source_rgb(cr, 0, 0, 0);
      cairo_set_line_width(cr, 0.8);
      cairo_move_to(cr, t.g.margin, y);
      double total = 0;
      for (double w : t.widths) total += w;
      cairo_line_to(cr, t.g.margin + total, y);
      cairo_stroke(cr);
    }
  }
}

double Num(const Data& d, size_t r, int c, ColType t) {
  if (c < 0 || !d.rows[r][c]) return NAN;
  double v = std::strtod(d.rows[r][c]->c_str(), nullptr);
  return t == ColType::kMoney ? v / 100.0 : t == ColType::kPercent ? v * 100.0 : v;
}

const Column* ColumnOf(const Def& def, const std::string& name) {
  for (const auto& c : def.columns)
    if (c.name == name) return &c;
  return nullptr;
}

chart::RoomState StateOf(const std::string& s) {
  using S = chart::RoomState;
  if (s == "paid") return S::kPaid;
  if (s == "part") return S::kPart;
  if (s == "unpaid") return S::kUnpaid;
  if (s == "suspended") return S::kSuspended;
  if (s == "disconnected") return S::kDisconnected;
  return S::kNone;
}

std::string ChartTitle(const Def& def, const Meta& meta) {
  if (!def.chart.title.empty()) return def.chart.title;
  return meta.subject.empty() ? meta.title : meta.subject;
}

chart::BuildingMap MapOf(const Def& def, const Data& d, const Meta& meta) {
  chart::BuildingMap m{ChartTitle(def, meta), {}};
  int f = d.Col("floor"), u = d.Col("unit"), r = d.Col("room"), s = d.Col("state");
  for (const auto& row : d.rows) {
    chart::Room room;
    room.floor = f >= 0 && row[f] ? std::atoi(row[f]->c_str()) : 0;
    room.unit = u >= 0 ? row[u].value_or("") : "";
    room.label = r >= 0 ? row[r].value_or("") : "";
    room.state = s >= 0 ? StateOf(row[s].value_or("")) : chart::RoomState::kNone;
    m.rooms.push_back(room);
  }
  return m;
}

// The chart's height on the first page (0: none), and drawing it.
double ChartHeight(const Def& def, const Data& d, const PageGeometry& g) {
  if (def.chart.kind.empty()) return 0;
  double avail = g.width - 2 * g.margin, max_h = (g.height - 2 * g.margin - g.title_h - g.footer_h) * 0.62;
  if (def.chart.kind != "building_map") return std::min(250.0, max_h);
  auto [w, h] = chart::NaturalSize(MapOf(def, d, Meta{}));
  return std::min(max_h, h * std::min(1.0, avail / std::max(1, w)));
}

void DrawChart(cairo_t* cr, const Def& def, const Data& d, const Meta& meta, chart::Rect r) {
  std::string title = ChartTitle(def, meta);
  if (def.chart.kind == "building_map") return chart::Draw(cr, MapOf(def, d, meta), r);
  int cat = d.Col(def.chart.category);
  if (def.chart.kind == "share") {
    chart::ShareChart s{title, {}};
    const Column* c = ColumnOf(def, def.chart.series[0]);
    for (size_t i = 0; i < d.rows.size(); ++i)
      s.parts.push_back({d.rows[i][cat].value_or("-"), Num(d, i, d.Col(c->name), c->type)});
    return chart::Draw(cr, s, r);
  }
  chart::BarChart b{title, "", {}, {}, def.chart.stacked};
  for (const auto& row : d.rows) b.categories.push_back(row[cat].value_or("-"));
  for (const auto& name : def.chart.series) {
    const Column* c = ColumnOf(def, name);
    if (b.unit.empty() && c->type == ColType::kMoney) b.unit = "元";
    chart::BarSeries s{c->title, {}};
    for (size_t i = 0; i < d.rows.size(); ++i) s.values.push_back(Num(d, i, d.Col(c->name), c->type));
    b.series.push_back(std::move(s));
  }
  chart::Draw(cr, b, r);
}

void DrawHead(cairo_t* cr, const Meta& meta, const PageGeometry& g) {
  double w = g.width - 2 * g.margin;
  Show(cr, meta.title, g.margin, g.margin, 16, true, w, PANGO_ALIGN_CENTER);
  std::string line = (meta.company.empty() ? "" : meta.company + "    ") + meta.params;
  Show(cr, line, g.margin, g.margin + 28, 9, false, w);
  Show(cr, "生成时间 " + meta.generated, g.margin, g.margin + 42, 9, false, w);
}

void DrawFoot(cairo_t* cr, const PageGeometry& g, size_t n, size_t total) {
  std::string text = "第 " + std::to_string(n) + " / " + std::to_string(total) + " 页";
  Show(cr, text, g.margin, g.height - g.margin, 8.5, false, g.width - 2 * g.margin, PANGO_ALIGN_CENTER);
}

}  // namespace

size_t PageGeometry::RowsPerPage() const {
  double room = height - 2 * margin - footer_h - row_h;  // less the header row
  return room <= 0 ? 1 : std::max<size_t>(1, static_cast<size_t>(room / row_h));
}

size_t PageGeometry::RowsOnFirst(double chart_h) const {
  double room = height - 2 * margin - footer_h - title_h - (chart_h > 0 ? chart_h + 12 : 0) - row_h;
  return room <= 0 ? 0 : static_cast<size_t>(room / row_h);
}

PageGeometry GeometryFor(const Def& def) {
  PageGeometry g;
  if (def.landscape) std::swap(g.width, g.height);
  return g;
}

PdfDoc::PdfDoc(double width, double height, const std::string& title)
    : surface_(cairo_pdf_surface_create_for_stream(Append, &bytes_, width, height)), cr_(cairo_create(surface_)) {
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_TITLE, title.c_str());
}

PdfDoc::~PdfDoc() {
  if (cr_) cairo_destroy(cr_);
  if (surface_) cairo_surface_destroy(surface_);
}

Result<std::string> PdfDoc::Finish() {
  cairo_destroy(cr_);
  cr_ = nullptr;
  cairo_surface_finish(surface_);
  cairo_status_t st = cairo_surface_status(surface_);
  cairo_surface_destroy(surface_);
  surface_ = nullptr;
  if (st != CAIRO_STATUS_SUCCESS) return Status::Failure(std::string("drawing the PDF: ") + cairo_status_to_string(st));
  return std::move(bytes_);
}

Result<std::string> RenderPdf(const Def& def, const Laid& laid, const Data& data, const Meta& meta) {
  PageGeometry g = GeometryFor(def);
  PdfDoc doc(g.width, g.height, meta.title);
  cairo_t* cr = doc.cr();
  double chart_h = ChartHeight(def, data, g);
  Table t{laid, ColumnWidths(cr, laid, g.width - 2 * g.margin), g};
  auto pages = Paginate(laid.rows.size(), g.RowsOnFirst(chart_h), g.RowsPerPage());
  for (size_t p = 0; p < pages.size(); ++p) {
    double y = g.margin;
    if (p == 0) {
      DrawHead(cr, meta, g);
      y += g.title_h;
      if (chart_h > 0) {
        DrawChart(cr, def, data, meta, {g.margin, y, g.width - 2 * g.margin, chart_h});
        y += chart_h + 12;
      }
    }
    if (pages[p].second > pages[p].first || pages.size() == 1) DrawRows(cr, t, pages[p].first, pages[p].second, y);
    DrawFoot(cr, g, p + 1, pages.size());
    cairo_show_page(cr);
  }
  return doc.Finish();
}

namespace {

// Where each part of a sectioned document goes: rows [begin, end) of a
// section at y on a page; the closing lines on the last page at closing_y.
struct Piece {
  size_t section, begin, end;
  double y;
};
constexpr double kHeadingH = 16, kGap = 10, kClosingH = 28;

std::vector<std::vector<Piece>> PlanSections(const std::vector<PdfSection>& sections, const PageGeometry& g,
                                             size_t closing, double& closing_y) {
  std::vector<std::vector<Piece>> pages(1);
  double y = g.margin + g.title_h, bottom = g.height - g.margin - g.footer_h;
  for (size_t s = 0; s < sections.size(); ++s) {
    size_t r = 0, n = sections[s].table.rows.size();
    do {
      double room = bottom - y - kHeadingH - g.row_h;
      size_t fit = room > 0 ? static_cast<size_t>(room / g.row_h) : 0;
      if (fit == 0 && (n > r || room < 0)) {
        pages.emplace_back();
        y = g.margin;
        continue;
      }
      size_t end = std::min(n, r + fit);
      pages.back().push_back({s, r, end, y});
      y += kHeadingH + g.row_h * static_cast<double>(1 + end - r) + kGap;
      r = end;
    } while (r < n);
  }
  if (y + kClosingH * static_cast<double>(closing) > bottom) {
    pages.emplace_back();
    y = g.margin;
  }
  closing_y = y + kGap;
  return pages;
}

}  // namespace

Result<std::string> RenderPdfSections(const Meta& meta, const std::vector<PdfSection>& sections,
                                      const std::vector<std::string>& closing) {
  PageGeometry g;
  PdfDoc doc(g.width, g.height, meta.title);
  cairo_t* cr = doc.cr();
  double closing_y = 0;
  auto pages = PlanSections(sections, g, closing.size(), closing_y);
  for (size_t p = 0; p < pages.size(); ++p) {
    if (p == 0) DrawHead(cr, meta, g);
    for (const Piece& piece : pages[p]) {
      const PdfSection& s = sections[piece.section];
      Show(cr, s.heading + (piece.begin > 0 ? " (续)" : ""), g.margin, piece.y, 10, true, g.width - 2 * g.margin);
      Table t{s.table, ColumnWidths(cr, s.table, g.width - 2 * g.margin), g};
      DrawRows(cr, t, piece.begin, piece.end, piece.y + kHeadingH);
    }
    if (p + 1 == pages.size())
      for (size_t i = 0; i < closing.size(); ++i)
        Show(cr, closing[i], g.margin, closing_y + kClosingH * static_cast<double>(i), 11, false, g.width - 2 * g.margin);
    DrawFoot(cr, g, p + 1, pages.size());
    cairo_show_page(cr);
  }
  return doc.Finish();
}

}  // namespace heat::report
