// libFuzzer target: a placement file of a pre-printed form (BIL-21,
// BIL-26), a YAML file a company edits for its stationery. Whatever the
// bytes, the parser returns a placement or a "file:line: key: what"
// error; it never throws or crashes, and every field it accepts lies on
// the page, as the drawing relies on.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "heat/forms/placement.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto p = heat::forms::ParsePlacement(text, "f.yaml");
  if (!p.ok()) {
    if (p.status().message().rfind("f.yaml:", 0) != 0) std::abort();
    return 0;
  }
  for (const auto& f : p->fields)
    if (f.x < 0 || f.x > p->width_mm || f.y < 0 || f.y > p->height_mm || f.x + f.width > p->width_mm + 1e-9)
      std::abort();
  if (p->qr_size > 0 && (p->qr_x + p->qr_size > p->width_mm + 1e-9 || p->qr_y + p->qr_size > p->height_mm + 1e-9))
    std::abort();
  return 0;
}
