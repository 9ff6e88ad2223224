// Notices (BIL-22): one A4 page per row of the SQL, from a mustache
// template whose output is Pango markup. Values are escaped for markup
// (g_markup_escape_text), so a name with "<" or "&" prints as written.
#include <mstch/mstch.hpp>
#include <pango/pangocairo.h>

#include "heat/report/output.h"

namespace heat::report {
namespace {

constexpr double kW = 595.28, kH = 841.89, kMargin = 64;

std::string MarkupEscape(const std::string& s) {
  gchar* e = g_markup_escape_text(s.c_str(), static_cast<gssize>(s.size()));
  std::string out(e);
  g_free(e);
  return out;
}

// Every column of the row; those the definition types are formatted
// (money in yuan), the rest as the SQL gave them.
mstch::map Context(const Def& def, const Data& data, size_t r, const Meta& meta) {
  mstch::map m{{"company", meta.company}, {"today", meta.generated.substr(0, 10)}, {"params", meta.params}};
  for (size_t c = 0; c < data.names.size(); ++c) m[data.names[c]] = data.rows[r][c].value_or("");
  for (const auto& col : def.columns) {
    int c = data.Col(col.name);
    if (c < 0 || !data.rows[r][c]) continue;
    auto v = FormatValue(col, *data.rows[r][c]);
    if (v.ok()) m[col.name] = *v;
  }
  return m;
}

// Checks the markup before cairo sees it: a broken custom template is an
// error naming the notice, not a blank page.
Status CheckMarkup(const std::string& text, size_t r) {
  GError* err = nullptr;
  if (pango_parse_markup(text.c_str(), -1, 0, nullptr, nullptr, nullptr, &err)) return Status::Ok();
  std::string msg = err ? err->message : "invalid markup";
  if (err) g_error_free(err);
  return Status::Usage("notice " + std::to_string(r + 1) + ": the template's output is not valid Pango markup: " + msg);
}

void DrawNotice(cairo_t* cr, const std::string& markup) {
  size_t nl = markup.find('\n');
  std::string head = markup.substr(0, nl), body = nl == std::string::npos ? "" : markup.substr(nl + 1);
  auto layout = [&](const std::string& text, double size, PangoAlignment align) {
    PangoLayout* l = pango_cairo_create_layout(cr);
    PangoFontDescription* fd = pango_font_description_from_string("Noto Sans CJK SC");
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, static_cast<int>((kW - 2 * kMargin) * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, align);
    pango_layout_set_spacing(l, static_cast<int>(size * 0.6 * PANGO_SCALE));
    pango_layout_set_markup(l, text.c_str(), -1);
    return l;
  };
  PangoLayout* h = layout("<b>" + head + "</b>", 20, PANGO_ALIGN_CENTER);
  cairo_move_to(cr, kMargin, kMargin);
  pango_cairo_show_layout(cr, h);
  int hw = 0, hh = 0;
  pango_layout_get_size(h, &hw, &hh);
  g_object_unref(h);
  PangoLayout* b = layout(body, 12, PANGO_ALIGN_LEFT);
  cairo_move_to(cr, kMargin, kMargin + static_cast<double>(hh) / PANGO_SCALE + 24);
  pango_cairo_show_layout(cr, b);
  g_object_unref(b);
}

}  // namespace

Result<std::string> RenderNotices(const Def& def, const Data& data, const std::string& tmpl, const Meta& meta) {
  auto old_escape = mstch::config::escape;
  mstch::config::escape = MarkupEscape;
  std::vector<std::string> pages;
  Status st;
  try {
    for (size_t r = 0; r < data.rows.size() && st.ok(); ++r) {
      pages.push_back(mstch::render(tmpl, Context(def, data, r, meta)));
      st = CheckMarkup(pages.back(), r);
    }
  } catch (const std::exception& e) {
    st = Status::Usage(std::string("the notice template: ") + e.what());
  }
  mstch::config::escape = old_escape;
  HEAT_TRY(st);
  PdfDoc doc(kW, kH, meta.title);
  for (const auto& page : pages) {
    DrawNotice(doc.cr(), page);
    cairo_show_page(doc.cr());
  }
  return doc.Finish();
}

}  // namespace heat::report
