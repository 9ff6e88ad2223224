#include "heat/ctl/weather_parse.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "heat/core/escape.h"
#include "heat/core/sheet.h"
#include "heat/core/text.h"

namespace heat::ctl {
namespace {

using nlohmann::json;

// What the database accepts (lib/sql 0030), in the unit of the file.
struct Bounds {
  double lo, hi;
  const char* unit;
};
constexpr Bounds kTemp{-80, 70, "°C"}, kWindMs{0, 100, "m/s"}, kWindKmh{0, 360, "km/h"},
    kSolarWm2{0, 1500, "W/m²"}, kPercent{0, 100, "%"};

// Text from the file in a message: quoted, control characters escaped
// (SYS-1), cut after 40 bytes.
std::string Quoted(std::string_view text) {
  std::string s = EscapeControl(text.substr(0, 40));
  return "'" + s + (text.size() > 40 ? "...'" : "'");
}

std::string Shown(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// A cell's value: empty is unknown (an error when required), else a number
// within bounds.
Result<std::optional<double>> Value(std::string_view name, std::string_view text, const Bounds& b, bool required) {
  std::string t = Trim(text);
  if (t.empty()) {
    if (required) return Status::Usage(std::string(name) + ": empty");
    return std::optional<double>();
  }
  auto v = ParseDecimal(t);
  if (!v.ok()) return Status::Usage(std::string(name) + ": " + Quoted(t) + " is not a number");
  if (*v < b.lo || *v > b.hi)
    return Status::Usage(std::string(name) + ": " + Shown(*v) + " is outside " + Shown(b.lo) + ".." + Shown(b.hi) +
                         " " + b.unit);
  return std::optional<double>(*v);
}

// The rules over rows: issue and valid time close together, each valid
// time once per issue. Messages start with where the row came from.
class Checker {
 public:
  explicit Checker(const TimeZone& tz) : tz_(tz) {}
  Status Add(const WeatherRow& r, const std::string& where) {
    auto times = [&] {
      return " (valid " + FormatLocal(r.valid_time, tz_) + ", issued " + FormatLocal(r.issued, tz_) + ")";
    };
    if (r.valid_time > r.issued + kMaxLeadS)
      return Status::Usage(where + ": valid time more than 16 days after the issue" + times());
    if (r.valid_time < r.issued - kMaxBeforeS)
      return Status::Usage(where + ": valid time more than a day before the issue" + times());
    auto [it, fresh] = seen_.emplace(std::pair(r.issued, r.valid_time), where);
    if (!fresh)
      return Status::Usage(where + ": duplicate valid time " + FormatLocal(r.valid_time, tz_) + ", already on " +
                           it->second);
    return Status::Ok();
  }

 private:
  const TimeZone& tz_;
  std::map<std::pair<int64_t, int64_t>, std::string> seen_;
};

// ---- CSV ----

enum Col : size_t { kValid, kTemperature, kWind, kSolar, kHumidity, kCloud, kIssued };
constexpr const char* kCsvColumns[] = {"valid_time", "outdoor_temp_c", "wind_ms", "solar_wm2",
                                       "humidity_pct", "cloud_pct", "issued"};  // by Col
constexpr size_t kColumnCount = std::size(kCsvColumns);
constexpr size_t kAbsent = static_cast<size_t>(-1);

using Columns = std::array<size_t, kColumnCount>;  // index of each kCsvColumns name in the header

Result<Columns> CsvColumns(const std::vector<std::string>& header, bool issued_given) {
  Columns at;
  at.fill(kAbsent);
  for (size_t i = 0; i < header.size(); ++i) {
    std::string name = ToLower(Trim(header[i]));
    size_t k = std::find(std::begin(kCsvColumns), std::end(kCsvColumns), name) - std::begin(kCsvColumns);
    if (k == kColumnCount)
      return Status::Usage("header: unknown column " + Quoted(header[i]) +
                           " (the columns are valid_time, outdoor_temp_c, wind_ms, solar_wm2, humidity_pct, "
                           "cloud_pct, issued)");
    if (at[k] != kAbsent) return Status::Usage("header: column " + Quoted(name) + " twice");
    at[k] = i;
  }
  for (Col k : {kValid, kTemperature})
    if (at[k] == kAbsent) return Status::Usage(std::string("header: no column '") + kCsvColumns[k] + "'");
  if (at[kIssued] == kAbsent && !issued_given)
    return Status::Usage("header: no column 'issued' and no --issued: say when the forecast was issued");
  return at;
}

Result<WeatherRow> CsvRow(const std::vector<std::string>& cells, const Columns& at, size_t header_size,
                          const TimeZone& tz, std::optional<int64_t> issued) {
  if (cells.size() > header_size)
    return Status::Usage(std::to_string(cells.size()) + " cells, but the header names " +
                         std::to_string(header_size) + " columns");
  auto cell = [&](size_t k) { return at[k] < cells.size() ? std::string_view(cells[at[k]]) : std::string_view(); };
  WeatherRow r;
  auto valid = ParseFileTime(cell(kValid), tz);
  if (!valid.ok()) return valid.status().With("valid_time");
  r.valid_time = *valid;
  if (issued) {
    r.issued = *issued;
  } else {
    auto t = ParseFileTime(cell(kIssued), tz);
    if (!t.ok()) return t.status().With("issued");
    r.issued = *t;
  }
  HEAT_ASSIGN(auto temp, Value("outdoor_temp_c", cell(kTemperature), kTemp, true));
  r.temp_c = *temp;
  HEAT_ASSIGN(r.wind_ms, Value("wind_ms", cell(kWind), kWindMs, false));
  HEAT_ASSIGN(r.solar_wm2, Value("solar_wm2", cell(kSolar), kSolarWm2, false));
  HEAT_ASSIGN(r.humidity_pct, Value("humidity_pct", cell(kHumidity), kPercent, false));
  HEAT_ASSIGN(r.cloud_pct, Value("cloud_pct", cell(kCloud), kPercent, false));
  return r;
}

// ---- QWeather ----

// What QWeather's status codes mean (dev.qweather.com, status codes).
std::string QWeatherCode(const std::string& code) {
  static const std::map<std::string, std::string> kMeaning = {
      {"204", "no data for this location"},  {"400", "a wrong request or parameter"},
      {"401", "authentication failed (the key)"}, {"402", "over the quota or out of balance"},
      {"403", "no access (the key's product or allowed addresses)"}, {"404", "no such data or location"},
      {"429", "too many requests"},          {"500", "no answer or a time-out at QWeather"}};
  auto it = kMeaning.find(code);
  return "QWeather answered code " + Quoted(code) + (it == kMeaning.end() ? "" : " (" + it->second + ")") +
         ", not 200: there is no forecast in this file";
}

// A QWeather field as text: strings as they are, numbers written out;
// absent or null is empty.
Result<std::string> Text(const json& entry, const char* key) {
  auto it = entry.find(key);
  if (it == entry.end() || it->is_null()) return std::string();
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number()) return it->dump();
  return Status::Usage(std::string(key) + ": neither a string nor a number");
}

Result<WeatherRow> QWeatherRow(const json& e, const TimeZone& tz, int64_t issued) {
  if (!e.is_object()) return Status::Usage("not an object");
  WeatherRow r;
  r.issued = issued;
  HEAT_ASSIGN(std::string fx, Text(e, "fxTime"));
  auto t = ParseFileTime(fx, tz);
  if (!t.ok()) return t.status().With("fxTime");
  r.valid_time = *t;
  HEAT_ASSIGN(std::string temp, Text(e, "temp"));
  HEAT_ASSIGN(auto temp_c, Value("temp", temp, kTemp, true));
  r.temp_c = *temp_c;
  HEAT_ASSIGN(std::string wind, Text(e, "windSpeed"));
  HEAT_ASSIGN(auto wind_kmh, Value("windSpeed", wind, kWindKmh, false));
  if (wind_kmh) r.wind_ms = *wind_kmh / 3.6;
  HEAT_ASSIGN(std::string hum, Text(e, "humidity"));
  HEAT_ASSIGN(r.humidity_pct, Value("humidity", hum, kPercent, false));
  HEAT_ASSIGN(std::string cloud, Text(e, "cloud"));
  HEAT_ASSIGN(r.cloud_pct, Value("cloud", cloud, kPercent, false));
  return r;
}

// The issue time: the caller's, else updateTime; once the code says the
// answer holds a forecast.
Result<int64_t> QWeatherIssued(const json& j, const TimeZone& tz, std::optional<int64_t> issued) {
  HEAT_ASSIGN(std::string code, Text(j, "code"));
  if (code.empty()) return Status::Usage("no \"code\": not an answer of QWeather's hourly forecast");
  if (code != "200") return Status::Usage(QWeatherCode(code));
  if (issued) return *issued;
  HEAT_ASSIGN(std::string update, Text(j, "updateTime"));
  auto t = ParseFileTime(update, tz);
  if (!t.ok()) return t.status().With("updateTime");
  return *t;
}

}  // namespace

Result<double> ParseDecimal(std::string_view s) {
  std::string t = Trim(s);
  double v = 0;
  const char* end = t.data() + t.size();
  auto [p, ec] = std::from_chars(t.data(), end, v);
  if (t.empty() || ec != std::errc() || p != end || !std::isfinite(v))
    return Status::Usage("'" + t + "' is not a number");
  return v;
}

Result<int64_t> ParseFileTime(std::string_view s, const TimeZone& tz) {
  std::string t = Trim(s);
  auto parsed = t.empty() || t[0] < '0' || t[0] > '9' ? Result<int64_t>(Status::Usage("")) : ParseTime(t, tz, 0);
  if (!parsed.ok())
    return Status::Usage(Quoted(t) + " is not a time (ISO 8601 such as 2026-11-02T08:00+08:00, "
                         "or the site's local 2026-11-02 08:00)");
  return parsed;
}

Result<WeatherFile> ParseWeatherCsv(std::string_view text, const TimeZone& tz, std::optional<int64_t> issued) {
  HEAT_ASSIGN(Sheet sheet, ParseCsv(text));
  if (sheet.header.empty()) return Status::Usage("empty: no header and no rows");
  HEAT_ASSIGN(Columns at, CsvColumns(sheet.header, issued.has_value()));
  WeatherFile out{"csv", {}};
  Checker check(tz);
  for (size_t i = 0; i < sheet.rows.size(); ++i) {
    std::string where = "line " + std::to_string(sheet.line[i]);
    auto row = CsvRow(sheet.rows[i], at, sheet.header.size(), tz, issued);
    if (!row.ok()) return row.status().With(where);
    HEAT_TRY(check.Add(*row, where));
    out.rows.push_back(*row);
  }
  if (out.rows.empty()) return Status::Usage("no rows below the header");
  return out;
}

Result<WeatherFile> ParseQWeather(std::string_view text, const TimeZone& tz, std::optional<int64_t> issued) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::Usage("not a JSON object (QWeather's hourly forecast)");
  HEAT_ASSIGN(int64_t issue, QWeatherIssued(j, tz, issued));
  auto hourly = j.find("hourly");
  if (hourly == j.end() || !hourly->is_array() || hourly->empty())
    return Status::Usage("no \"hourly\" entries: not an answer of QWeather's hourly forecast");
  WeatherFile out{"qweather", {}};
  Checker check(tz);
  for (size_t k = 0; k < hourly->size(); ++k) {
    std::string where = "hourly entry " + std::to_string(k + 1);
    auto row = QWeatherRow((*hourly)[k], tz, issue);
    if (!row.ok()) return row.status().With(where);
    HEAT_TRY(check.Add(*row, where));
    out.rows.push_back(*row);
  }
  return out;
}

Result<WeatherFile> ParseWeather(const std::string& name, std::string_view text, const TimeZone& tz,
                                 std::optional<int64_t> issued) {
  std::string lower = ToLower(name);
  auto ends = [&](std::string_view ext) { return lower.size() >= ext.size() && lower.ends_with(ext); };
  if (ends(".csv")) return ParseWeatherCsv(text, tz, issued);
  if (ends(".json")) return ParseQWeather(text, tz, issued);
  std::string_view rest = text.starts_with("\xEF\xBB\xBF") ? text.substr(3) : text;
  size_t first = rest.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && rest[first] == '{') return ParseQWeather(rest, tz, issued);
  return ParseWeatherCsv(text, tz, issued);
}

}  // namespace heat::ctl
