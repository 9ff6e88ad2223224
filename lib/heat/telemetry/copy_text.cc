#include "heat/telemetry/copy_text.h"

#include <charconv>
#include <chrono>
#include <cmath>

namespace heat::telemetry {
namespace {

void Append2(std::string& out, unsigned v) {
  out += static_cast<char>('0' + v / 10);
  out += static_cast<char>('0' + v % 10);
}

}  // namespace

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

void AppendUtc(std::string& out, int64_t ms) {
  int64_t days = ms / 86400000 - (ms % 86400000 < 0 ? 1 : 0);
  auto in_day = static_cast<unsigned>(ms - days * 86400000);
  std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  AppendInt(out, static_cast<int>(ymd.year()));
  out += '-';
  Append2(out, static_cast<unsigned>(ymd.month()));
  out += '-';
  Append2(out, static_cast<unsigned>(ymd.day()));
  out += ' ';
  Append2(out, in_day / 3600000);
  out += ':';
  Append2(out, in_day / 60000 % 60);
  out += ':';
  Append2(out, in_day / 1000 % 60);
  out += '.';
  unsigned milli = in_day % 1000;
  out += static_cast<char>('0' + milli / 100);
  Append2(out, milli % 100);
  out += "+00";
}

std::string ReadingsCopyText(const Batch& batch, bool utc_ts) {
  std::string out;
  out.reserve(batch.size() * (utc_ts ? 56 : 40));
  for (const auto& r : batch) {
    AppendInt(out, r.point_id);
    out += '\t';
    if (utc_ts) AppendUtc(out, r.ts_ms);
    else AppendInt(out, r.ts_ms);
    out += '\t';
    AppendDouble(out, r.value);
    out += '\t';
    AppendInt(out, r.quality);
    out += '\n';
  }
  return out;
}

}  // namespace heat::telemetry
