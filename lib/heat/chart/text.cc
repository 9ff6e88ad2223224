#include "heat/chart/text.h"

#include <pango/pangocairo.h>

#include <memory>

#include "heat/core/text.h"

namespace heat::chart {
namespace {

struct LayoutFree {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, LayoutFree>;

// Pango requires valid UTF-8; labels come from the database and files.
std::string ValidUtf8(std::string_view s) {
  if (IsValidUtf8(s)) return std::string(s);
  std::string out;
  for (size_t i = 0; i < s.size();) {
    char32_t c = NextCodePoint(s, &i);
    gunichar u = static_cast<gunichar>(c);
    char buf[8];
    out.append(buf, static_cast<size_t>(g_unichar_to_utf8(u, buf)));
  }
  return out;
}

LayoutPtr MakeLayout(cairo_t* cr, std::string_view text, const TextStyle& style) {
  LayoutPtr layout(pango_cairo_create_layout(cr));
  // Unhinted metrics: the same widths on PNG, SVG and PDF surfaces.
  cairo_font_options_t* opts = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(opts, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options(pango_layout_get_context(layout.get()), opts);
  cairo_font_options_destroy(opts);
  pango_layout_context_changed(layout.get());

  PangoFontDescription* fd = pango_font_description_from_string(kFontFamily);
  pango_font_description_set_absolute_size(fd, style.size * PANGO_SCALE);
  pango_font_description_set_weight(fd, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(layout.get(), fd);
  pango_font_description_free(fd);
  pango_layout_set_single_paragraph_mode(layout.get(), TRUE);
  std::string valid = ValidUtf8(text);
  pango_layout_set_text(layout.get(), valid.c_str(), static_cast<int>(valid.size()));
  return layout;
}

Size LogicalSize(PangoLayout* layout) {
  PangoRectangle logical;
  pango_layout_get_extents(layout, nullptr, &logical);
  return {static_cast<double>(logical.width) / PANGO_SCALE,
          static_cast<double>(logical.height) / PANGO_SCALE};
}

}  // namespace

Size MeasureText(cairo_t* cr, std::string_view text, const TextStyle& style) {
  return LogicalSize(MakeLayout(cr, text, style).get());
}

Size DrawText(cairo_t* cr, std::string_view text, double x, double y, Align align,
              const TextStyle& style, double max_w) {
  LayoutPtr layout = MakeLayout(cr, text, style);
  Size size = LogicalSize(layout.get());
  if (max_w > 0 && size.w > max_w + 0.5) {  // slack: widths that were added and subtracted
    pango_layout_set_width(layout.get(), static_cast<int>(max_w * PANGO_SCALE));
    pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
    size = LogicalSize(layout.get());
  }
  double left = align == Align::kLeft ? x : align == Align::kCenter ? x - size.w / 2 : x - size.w;
  cairo_save(cr);
  cairo_set_source_rgb(cr, style.colour.r, style.colour.g, style.colour.b);
  cairo_move_to(cr, left, y);
  pango_cairo_show_layout(cr, layout.get());
  cairo_restore(cr);
  return size;
}

int UnknownGlyphs(cairo_t* cr, std::string_view text, const TextStyle& style) {
  return pango_layout_get_unknown_glyphs_count(MakeLayout(cr, text, style).get());
}

}  // namespace heat::chart
