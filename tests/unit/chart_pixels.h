// Reading back the charts' PNGs for the chart_*_test.cc tests: decode with
// cairo, then find pixels of a colour.
#pragma once

#include <cairo.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "heat/chart/chart.h"

namespace heat::chart::testing {

struct Pixels {
  int w = 0, h = 0;
  std::vector<uint32_t> argb;  // row-major, premultiplied ARGB32
  Rgb At(int x, int y) const {
    uint32_t p = argb[static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)];
    return {((p >> 16) & 255) / 255.0, ((p >> 8) & 255) / 255.0, (p & 255) / 255.0};
  }
  bool Is(int x, int y, Rgb c, double tol = 0.04) const {
    Rgb p = At(x, y);
    return std::abs(p.r - c.r) <= tol && std::abs(p.g - c.g) <= tol && std::abs(p.b - c.b) <= tol;
  }
  bool White(int x, int y) const { return Is(x, y, {1, 1, 1}, 0.02); }
};

inline Pixels DecodePng(const std::string& png) {
  struct Reader {
    const std::string* s;
    size_t at = 0;
  } reader{&png};
  auto read = [](void* closure, unsigned char* data, unsigned int length) {
    auto* r = static_cast<Reader*>(closure);
    if (r->s->size() - r->at < length) return CAIRO_STATUS_READ_ERROR;
    std::memcpy(data, r->s->data() + r->at, length);
    r->at += length;
    return CAIRO_STATUS_SUCCESS;
  };
  cairo_surface_t* s = cairo_image_surface_create_from_png_stream(read, &reader);
  Pixels px;
  EXPECT_EQ(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
  if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
    cairo_surface_t* img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, cairo_image_surface_get_width(s),
                                                      cairo_image_surface_get_height(s));
    cairo_t* cr = cairo_create(img);  // normalises whatever format the PNG decoded to
    cairo_set_source_surface(cr, s, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_flush(img);
    px.w = cairo_image_surface_get_width(img);
    px.h = cairo_image_surface_get_height(img);
    int stride = cairo_image_surface_get_stride(img);
    const unsigned char* data = cairo_image_surface_get_data(img);
    for (int y = 0; y < px.h; ++y) {
      const auto* row = reinterpret_cast<const uint32_t*>(data + static_cast<ptrdiff_t>(y) * stride);
      px.argb.insert(px.argb.end(), row, row + px.w);
    }
    cairo_surface_destroy(img);
  }
  cairo_surface_destroy(s);
  return px;
}

// The pixels inside x0..x1, y0..y1 (inclusive, clamped) that `match`.
struct Found {
  int count = 0, min_x = 1 << 30, max_x = -1, min_y = 1 << 30, max_y = -1;
  double mean_x = 0, mean_y = 0;
};
template <typename Match>
Found FindIf(const Pixels& px, int x0, int y0, int x1, int y1, Match match) {
  Found f;
  for (int y = std::max(y0, 0); y <= std::min(y1, px.h - 1); ++y)
    for (int x = std::max(x0, 0); x <= std::min(x1, px.w - 1); ++x) {
      if (!match(x, y)) continue;
      ++f.count;
      f.min_x = std::min(f.min_x, x), f.max_x = std::max(f.max_x, x);
      f.min_y = std::min(f.min_y, y), f.max_y = std::max(f.max_y, y);
      f.mean_x += x, f.mean_y += y;
    }
  if (f.count > 0) f.mean_x /= f.count, f.mean_y /= f.count;
  return f;
}

// The pixels of colour c.
inline Found Find(const Pixels& px, Rgb c, int x0 = 0, int y0 = 0, int x1 = 1 << 30, int y1 = 1 << 30,
                  double tol = 0.04) {
  return FindIf(px, x0, y0, x1, y1, [&](int x, int y) { return px.Is(x, y, c, tol); });
}

// Like Find, but a pixel counts only inside a solid (2r+1)² block of the
// colour: cells and bars, not the anti-aliased edges of text.
inline Found FindSolid(const Pixels& px, Rgb c, int x0, int y0, int x1, int y1, int r = 2) {
  return FindIf(px, x0, y0, x1, y1, [&](int x, int y) {
    for (int dy = -r; dy <= r; ++dy)
      for (int dx = -r; dx <= r; ++dx) {
        int xx = x + dx, yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= px.w || yy >= px.h || !px.Is(xx, yy, c)) return false;
      }
    return true;
  });
}

// The first row from the top with at least `share` of x0..x1 in colour c.
inline int FirstRow(const Pixels& px, Rgb c, int x0, int x1, double share, double tol = 0.01) {
  for (int y = 0; y < px.h; ++y) {
    int n = 0;
    for (int x = x0; x <= x1; ++x) n += px.Is(x, y, c, tol);
    if (n >= share * (x1 - x0 + 1)) return y;
  }
  return -1;
}

template <typename Chart>
Pixels RenderPixels(const Chart& c, int w = 800, int h = 400) {
  auto png = Render(c, ImageFormat::kPng, w, h);
  EXPECT_TRUE(png.ok()) << png.status().message();
  return png.ok() ? DecodePng(*png) : Pixels{};
}

}  // namespace heat::chart::testing
