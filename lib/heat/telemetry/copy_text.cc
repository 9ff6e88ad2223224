#include "heat/telemetry/copy_text.h"

#include <charconv>
#include <cmath>

namespace heat::telemetry {

void AppendInt(std::string& out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void AppendDouble(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "Infinity" : "-Infinity";
  } else {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
  }
}

std::string ReadingsCopyText(const Batch& batch) {
  std::string out;
  out.reserve(batch.size() * 40);
  for (const auto& r : batch) {
    AppendInt(out, r.point_id);
    out += '\t';
    AppendInt(out, r.ts_ms);
    out += '\t';
    AppendDouble(out, r.value);
    out += '\t';
    AppendInt(out, r.quality);
    out += '\n';
  }
  return out;
}

}  // namespace heat::telemetry
