// Drawing a placement (placement.h) as one PDF page: cairo draws, pango
// lays out the text, libqrencode makes the QR code; the PDF itself is
// report::PdfDoc, the same as every report and notice.
#include <mstch/mstch.hpp>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include <functional>
#include <memory>
#include <numbers>

#include "heat/forms/placement.h"
#include "heat/report/output.h"

namespace heat::forms {
namespace {

// Values are plain text for pango_layout_set_text: mustache's HTML
// escaping is off while a form renders.
class PlainMustache {
 public:
  PlainMustache() : old_(mstch::config::escape) {
    mstch::config::escape = [](const std::string& s) { return s; };
  }
  ~PlainMustache() { mstch::config::escape = old_; }

 private:
  std::function<std::string(const std::string&)> old_;
};

void DrawText(cairo_t* cr, const Placement& p, const Field& f, const std::string& text) {
  std::unique_ptr<PangoLayout, decltype(&g_object_unref)> l(pango_cairo_create_layout(cr), &g_object_unref);
  PangoFontDescription* fd = pango_font_description_from_string(p.font.c_str());
  pango_font_description_set_absolute_size(fd, f.size * PANGO_SCALE);
  if (f.bold) pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description(l.get(), fd);
  pango_font_description_free(fd);
  pango_layout_set_text(l.get(), text.c_str(), -1);
  if (f.width > 0) {
    pango_layout_set_width(l.get(), static_cast<int>(MmToPt(f.width) * PANGO_SCALE));
    pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l.get(), f.align == "center"  ? PANGO_ALIGN_CENTER
                                        : f.align == "right" ? PANGO_ALIGN_RIGHT
                                                             : PANGO_ALIGN_LEFT);
  }
  cairo_save(cr);
  cairo_set_source_rgb(cr, ((f.color >> 16) & 0xff) / 255.0, ((f.color >> 8) & 0xff) / 255.0, (f.color & 0xff) / 255.0);
  cairo_translate(cr, MmToPt(f.x), MmToPt(f.y));
  cairo_rotate(cr, f.rotate * std::numbers::pi / 180.0);
  cairo_move_to(cr, 0, 0);
  pango_cairo_show_layout(cr, l.get());
  cairo_restore(cr);
}

// The QR code fills a square of qr_size mm, its quiet zone of two modules
// inside the square (the form around it is blank paper).
Status DrawQr(cairo_t* cr, const Placement& p, const std::string& text) {
  std::unique_ptr<QRcode, decltype(&QRcode_free)> q(QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1),
                                                    &QRcode_free);
  if (!q) return Status::Failure("the QR code of '" + text + "' could not be made");
  double module = MmToPt(p.qr_size) / (q->width + 4);
  double x0 = MmToPt(p.qr_x) + 2 * module, y0 = MmToPt(p.qr_y) + 2 * module;
  cairo_save(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int y = 0; y < q->width; ++y)
    for (int x = 0; x < q->width; ++x)
      if (q->data[y * q->width + x] & 1) cairo_rectangle(cr, x0 + x * module, y0 + y * module, module, module);
  cairo_fill(cr);
  cairo_restore(cr);
  return Status::Ok();
}

Result<std::vector<std::string>> Texts(const Placement& p, const Values& values) {
  mstch::map ctx;
  for (const auto& [k, v] : values) {
    if (v.empty()) ctx[k] = false;  // "" is false in a section
    else ctx[k] = v;
  }
  PlainMustache plain;
  std::vector<std::string> out;
  try {
    for (const auto& f : p.fields) out.push_back(mstch::render(f.text, ctx));
  } catch (const std::exception& e) {
    return Status::Usage(p.file + ":" + std::to_string(p.fields[out.size()].line) + ": text: " + e.what());
  }
  return out;
}

}  // namespace

Result<std::string> RenderPlacement(const Placement& p, const Values& values, const std::string& qr_text,
                                    bool preprinted) {
  HEAT_ASSIGN(std::vector<std::string> texts, Texts(p, values));
  report::PdfDoc doc(MmToPt(p.width_mm), MmToPt(p.height_mm), p.name);
  for (size_t i = 0; i < p.fields.size(); ++i)
    if (!(preprinted && p.fields[i].label) && !texts[i].empty()) DrawText(doc.cr(), p, p.fields[i], texts[i]);
  if (p.qr_size > 0 && !qr_text.empty()) HEAT_TRY(DrawQr(doc.cr(), p, qr_text));
  cairo_show_page(doc.cr());
  return doc.Finish();
}

}  // namespace heat::forms
