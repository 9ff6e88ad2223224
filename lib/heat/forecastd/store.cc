#include "heat/forecastd/store.h"

#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "heat/controld/config_json.h"
#include "heat/core/log.h"

namespace heat::forecastd {
namespace {

using json = nlohmann::json;

// Sources feeding a network with stations, and stations; a station's
// configuration when its loop is on.
constexpr const char* kSitesSql = R"(
SELECT 'source' AS kind, h.id, h.code, h.org_id, NULL::jsonb AS config, NULL::jsonb AS limits
FROM heat.heat_source h
WHERE EXISTS (SELECT 1 FROM heat.network n JOIN heat.station s ON s.network_id = n.id WHERE n.source_id = h.id)
UNION ALL
SELECT 'station', s.id, s.code, s.org_id, c.config, c.limits
FROM heat.station s LEFT JOIN heat.control_config c ON c.station_id = s.id AND c.enabled
ORDER BY 1, 3)";

std::string Num(double v) {
  if (std::isnan(v)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

double Cell(const db::Rows& r, int row, int col) {
  return r.is_null(row, col) ? forecast::kNaN : std::strtod(r.get(row, col).c_str(), nullptr);
}

// A Postgres array literal of numbers, NULL for NaN.
std::string ArrayOf(const std::vector<double>& v) {
  std::string s = "{";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += ',';
    s += std::isnan(v[i]) ? "NULL" : Num(v[i]);
  }
  return s + "}";
}

// Only a curve-following valve makes the supply a known function of the
// outdoor temperature.
bool FollowsCurve(const control::StationConfig& c) {
  return c.valve == control::ValveStrategy::kOutdoorCompensation ||
         c.valve == control::ValveStrategy::kRoomTarget;
}

}  // namespace

Result<std::vector<Site>> LoadSites(db::Conn& db) {
  HEAT_ASSIGN(db::Rows r, db.Query(kSitesSql));
  std::vector<Site> out;
  for (int i = 0; i < r.size(); ++i) {
    Site s{r.get(i, 0), static_cast<int>(r.get_int(i, 1)), r.get(i, 2), static_cast<int>(r.get_int(i, 3)), {}};
    if (!r.is_null(i, 4)) {
      auto cfg = controld::ParseStationConfig(json::parse(r.get(i, 4), nullptr, false),
                                              json::parse(r.get(i, 5), nullptr, false));
      if (!cfg.ok())
        log::Warning("forecast: " + s.code + ": control configuration ignored: " + cfg.status().message());
      else if (FollowsCurve(*cfg))
        s.control = *cfg;
    }
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<forecast::HistoryHour>> LoadHistory(db::Conn& db, const Site& s, int64_t from, int64_t to) {
  HEAT_ASSIGN(db::Rows r, db.Query("SELECT extract(epoch FROM hour)::bigint, load_kw, supply_c, outdoor_c "
                                   "FROM heat.forecast_history($1, $2::int, to_timestamp($3), to_timestamp($4))",
                                   {s.kind, std::to_string(s.id), std::to_string(from), std::to_string(to)}));
  std::vector<forecast::HistoryHour> out;
  out.reserve(static_cast<size_t>(r.size()));
  for (int i = 0; i < r.size(); ++i) out.push_back({r.get_int(i, 0), Cell(r, i, 1), Cell(r, i, 2), Cell(r, i, 3)});
  return out;
}

Result<std::vector<forecast::WeatherHour>> LoadWeather(db::Conn& db, const std::string& site, int64_t from,
                                                       int64_t to, int64_t now) {
  if (site.empty()) return std::vector<forecast::WeatherHour>{};
  HEAT_ASSIGN(db::Rows r,
              db.Query("SELECT DISTINCT ON (valid_time) extract(epoch FROM valid_time)::bigint, temp_c, wind_ms, "
                       "solar_wm2 FROM heat.weather_forecast WHERE site = $1 AND valid_time >= to_timestamp($2) "
                       "AND valid_time < to_timestamp($3) AND issued <= to_timestamp($4) "
                       "AND extract(epoch FROM valid_time)::bigint % 3600 = 0 "
                       "ORDER BY valid_time, issued DESC",
                       {site, std::to_string(from), std::to_string(to), std::to_string(now)}));
  std::vector<forecast::WeatherHour> out;
  for (int i = 0; i < r.size(); ++i)
    out.push_back({r.get_int(i, 0), forecast::Weather{Cell(r, i, 1), Cell(r, i, 2), Cell(r, i, 3)}});
  return out;
}

Status SaveIssue(db::Conn& db, const Site& s, const forecast::Issue& is, int64_t issued_at) {
  json model = {{"expected_rmse_kw", json::object()}};
  for (const auto& [lead, rmse] : is.expected_rmse)
    if (!std::isnan(rmse)) model["expected_rmse_kw"][std::to_string(lead)] = std::round(rmse * 10) / 10;
  std::string hours = "{";
  std::vector<double> load, lo, hi, supply, outdoor;
  for (const auto& h : is.hours) {
    hours += (hours.size() > 1 ? "," : "") + std::to_string(h.hour);
    load.push_back(h.load.value), lo.push_back(h.load.lo), hi.push_back(h.load.hi);
    supply.push_back(h.supply.value), outdoor.push_back(h.outdoor_c);
  }
  HEAT_ASSIGN(auto tx, db::Transaction::Start(db));
  HEAT_TRY(db.Exec("DELETE FROM heat.forecast_issue WHERE kind = $1 AND object_id = $2::int "
                   "AND origin = to_timestamp($3)",
                   {s.kind, std::to_string(s.id), std::to_string(is.origin)}));
  HEAT_ASSIGN(db::Rows id,
              db.Query("INSERT INTO heat.forecast_issue (kind, object_id, code, org_id, origin, horizon_h, weather, "
                       "supply_from, history_h, model, issued_at) VALUES ($1, $2::int, $3, $4::int, to_timestamp($5), "
                       "$6::int, $7, $8, $9::int, $10::jsonb, to_timestamp($11)) RETURNING id",
                       {s.kind, std::to_string(s.id), s.code, std::to_string(s.org_id), std::to_string(is.origin),
                        std::to_string(is.hours.size()), is.weather, is.supply_from, std::to_string(is.history_h),
                        model.dump(), std::to_string(issued_at)}));
  HEAT_TRY(db.Exec("INSERT INTO heat.forecast_value (issue_id, valid_time, load_kw, load_lo, load_hi, supply_c, "
                   "outdoor_c) SELECT $1::bigint, to_timestamp(t), l, lo, hi, s, o FROM unnest($2::bigint[], "
                   "$3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[]) AS u(t, l, lo, hi, s, o)",
                   {id.get(0, 0), hours + "}", ArrayOf(load), ArrayOf(lo), ArrayOf(hi), ArrayOf(supply),
                    ArrayOf(outdoor)}));
  return tx->Commit();
}

Result<int64_t> ThinIssues(db::Conn& db, int keep_all_days, int keep_weather_days) {
  HEAT_ASSIGN(db::Rows r,
              db.Query("DELETE FROM heat.forecast_issue i WHERE origin < now() - make_interval(days => $1::int) "
                       "AND EXISTS (SELECT 1 FROM heat.forecast_issue e WHERE e.kind = i.kind "
                       "AND e.object_id = i.object_id AND date_trunc('day', e.origin, 'UTC') = "
                       "date_trunc('day', i.origin, 'UTC') AND e.origin < i.origin)",
                       {std::to_string(keep_all_days)}));
  HEAT_TRY(db.Exec("DELETE FROM heat.weather_forecast WHERE valid_time < now() - make_interval(days => $1::int)",
                   {std::to_string(keep_weather_days)}));
  return r.affected();
}

}  // namespace heat::forecastd
