// sim/physics/weather.h — outdoor temperature, wind and solar irradiance
// over simulated time: hourly rows from a CSV, or a built-in Urumqi design
// winter.
//
// CSV: a header row naming the columns; `time` (YYYY-MM-DDTHH:MM:SS, local,
// as in the Flensburg data set) and `outdoor_temp_c` are required,
// `wind_ms` and `solar_wm2` are read when present, other columns (such as
// heat_load_mw, supply_temp_c) are ignored. Rows must be one hour apart.
// Simulated time t_s counts from the first row; At() interpolates
// linearly and holds the first/last row outside the data.
#pragma once

#include <string>
#include <vector>

#include "heat/core/status.h"

namespace heat::sim::physics {

struct WeatherSample {
  double t_out_c = 0;
  double wind_ms = 0;
  double solar_wm2 = 0;  // global horizontal irradiance
};

class Weather {
 public:
  // kUsage naming path:line for a missing column, a number that does not
  // parse, or rows that are not one hour apart; kNotFound for no file.
  static Result<Weather> LoadCsv(const std::string& path);
  // `days` days of a design winter for Urumqi: daily means around −8 °C
  // (±2 °C over a week), a cold snap in every 28 days from day 6, deepest
  // on day 10 at about −24 °C, over by day 14; a daily swing
  // of ±4 °C (coldest at 07:00, warmest at 16:00 Beijing time), wind of 1
  // to 4 m/s and clear-sky sun up to 350 W/m² around 14:00.
  static Weather UrumqiDesignWinter(int days);
  // From hourly samples (tests).
  static Weather FromHourly(std::vector<WeatherSample> hourly);

  WeatherSample At(double t_s) const;  // a non-finite t_s reads the first row
  double duration_s() const;
  size_t hours() const { return rows_.size(); }
  // Every temperature moved by delta_c (a milder year made colder).
  void ShiftTemperature(double delta_c);

 private:
  std::vector<WeatherSample> rows_;
};

}  // namespace heat::sim::physics
