// libFuzzer target: weather forecast files for heatctl weather import
// (ctl/weather_parse.h), CSV and QWeather's hourly JSON. Whatever the
// input: no crash; a refusal is kUsage or a CSV syntax error naming its
// line; and every accepted row keeps the rules the database relies on
// (temperature -80..70 °C, valid time within a day before and 16 days
// after its issue, one row per issue and valid time).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <set>
#include <string_view>

#include "heat/ctl/weather_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const auto tz = heat::TimeZone::Load("Asia/Shanghai");
  // The first byte picks the form and whether --issued was given.
  const char* names[] = {"w.csv", "w.json", "-"};
  std::optional<int64_t> issued;
  if (data[0] & 4) issued = 1793577600;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto f = heat::ctl::ParseWeather(names[data[0] % 3], text, *tz, issued);
  if (!f.ok()) {
    const std::string& m = f.status().message();
    if (f.status().code() != heat::Code::kUsage && m.rfind("line ", 0) != 0) abort();
    return 0;
  }
  if (f->rows.empty()) abort();
  std::set<std::pair<int64_t, int64_t>> seen;
  for (const auto& r : f->rows) {
    if (!(r.temp_c >= -80 && r.temp_c <= 70)) abort();
    if (r.valid_time > r.issued + heat::ctl::kMaxLeadS || r.valid_time < r.issued - heat::ctl::kMaxBeforeS) abort();
    if (!seen.insert({r.issued, r.valid_time}).second) abort();
    if (issued && r.issued != *issued) abort();
    if (r.wind_ms && !(*r.wind_ms >= 0 && *r.wind_ms <= 100)) abort();
  }
  return 0;
}
