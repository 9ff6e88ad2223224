// Render (chart.h): a chart alone on a PNG or SVG surface, written to a
// string through cairo's stream callbacks.
#include <cairo-svg.h>

#include <string>

#include "heat/chart/chart.h"
#include "heat/core/time.h"

namespace heat::chart {
namespace {

constexpr int kMinSide = 16, kMaxSide = 8000;

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

Status CheckSize(int width, int height) {
  if (width < kMinSide || height < kMinSide || width > kMaxSide || height > kMaxSide)
    return Status::Usage("chart size " + std::to_string(width) + "x" + std::to_string(height) +
                         " is not within " + std::to_string(kMinSide) + ".." + std::to_string(kMaxSide) +
                         " on each side");
  return Status::Ok();
}

Status CheckStatus(cairo_status_t s, const char* what) {
  if (s == CAIRO_STATUS_SUCCESS) return Status::Ok();
  return Status::Failure(std::string("chart: ") + what + ": " + cairo_status_to_string(s));
}

template <typename Chart>
Result<std::string> RenderAny(const Chart& c, ImageFormat f, int width, int height) {
  HEAT_TRY(CheckSize(width, height));
  std::string out;
  cairo_surface_t* surface =
      f == ImageFormat::kSvg ? cairo_svg_surface_create_for_stream(Append, &out, width, height)
                             : cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
  if (f == ImageFormat::kSvg) cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PT);
  cairo_t* cr = cairo_create(surface);
  Draw(cr, c, Rect{0, 0, static_cast<double>(width), static_cast<double>(height)});
  Status st = CheckStatus(cairo_status(cr), "drawing");
  cairo_destroy(cr);
  if (st.ok() && f == ImageFormat::kPng)
    st = CheckStatus(cairo_surface_write_to_png_stream(surface, Append, &out), "writing PNG");
  cairo_surface_finish(surface);  // an SVG is written out here
  if (st.ok()) st = CheckStatus(cairo_surface_status(surface), "writing the image");
  cairo_surface_destroy(surface);
  if (!st.ok()) return st;
  return out;
}

}  // namespace

Result<std::string> Render(const LineChart& c, ImageFormat f, int width, int height) {
  // Draw shows an unknown zone as UTC; a standalone image reports it.
  auto tz = TimeZone::Load(c.tz);
  if (!tz.ok()) return tz.status().With("chart '" + c.title + "'");
  return RenderAny(c, f, width, height);
}
Result<std::string> Render(const BarChart& c, ImageFormat f, int width, int height) {
  return RenderAny(c, f, width, height);
}
Result<std::string> Render(const ShareChart& c, ImageFormat f, int width, int height) {
  return RenderAny(c, f, width, height);
}
Result<std::string> Render(const BuildingMap& c, ImageFormat f, int width, int height) {
  return RenderAny(c, f, width, height);
}

}  // namespace heat::chart
