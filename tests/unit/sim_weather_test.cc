// sim/physics/weather.h: the Flensburg CSV format, wind and solar columns,
// clear errors for bad files, and the built-in Urumqi design winter.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "heat/sim/physics/weather.h"

namespace heat::sim::physics {
namespace {

std::string WriteTemp(const std::string& name, const std::string& text) {
  std::string path = testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

TEST(SimWeatherTest, ReadsTheFlensburgFormatAndInterpolatesBetweenHours) {
  auto w = Weather::LoadCsv(std::string(HEAT_SOURCE_DIR) + "/tests/data/weather-flensburg-6h.csv");
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->hours(), 6u);
  EXPECT_NEAR(w->At(0).t_out_c, 3.6, 1e-12);
  EXPECT_NEAR(w->At(1800).t_out_c, 3.5, 1e-12);   // halfway from 3.6 to 3.4
  EXPECT_NEAR(w->At(3 * 3600).t_out_c, 3.0, 1e-12);
  EXPECT_NEAR(w->At(99 * 3600).t_out_c, 3.3, 1e-12);  // held after the end
  EXPECT_EQ(w->At(0).wind_ms, 0);
  w->ShiftTemperature(-20);
  EXPECT_NEAR(w->At(0).t_out_c, -16.4, 1e-12);
}

TEST(SimWeatherTest, ReadsWindAndSolarWhenTheColumnsAreThere) {
  auto path = WriteTemp("w-wind.csv",
                        "time,outdoor_temp_c,wind_ms,solar_wm2\n"
                        "2026-01-10T12:00:00,-20.5,3.0,300\n"
                        "2026-01-10T13:00:00,-19.5,5.0,200\n");
  auto w = Weather::LoadCsv(path);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  WeatherSample s = w->At(1800);
  EXPECT_NEAR(s.t_out_c, -20, 1e-12);
  EXPECT_NEAR(s.wind_ms, 4, 1e-12);
  EXPECT_NEAR(s.solar_wm2, 250, 1e-12);
}

TEST(SimWeatherTest, BadFilesGiveTheFileLineAndWhatIsWrong) {
  auto no_col = WriteTemp("w1.csv", "time,temp\n2026-01-10T12:00:00,1\n");
  EXPECT_EQ(Weather::LoadCsv(no_col).status().message(),
            no_col + ":1: the header needs the columns time and outdoor_temp_c");
  auto bad_num = WriteTemp("w2.csv", "time,outdoor_temp_c\n2026-01-10T12:00:00,cold\n");
  EXPECT_EQ(Weather::LoadCsv(bad_num).status().message(),
            bad_num + ":2: outdoor_temp_c: 'cold' is not a number");
  auto gap = WriteTemp("w3.csv",
                       "time,outdoor_temp_c\n2026-01-10T12:00:00,1\n2026-01-10T14:00:00,1\n");
  EXPECT_EQ(Weather::LoadCsv(gap).status().message(), gap + ":3: rows must be one hour apart");
  auto bad_time = WriteTemp("w4.csv", "time,outdoor_temp_c\n2026-01-10 12:00,1\n");
  EXPECT_EQ(Weather::LoadCsv(bad_time).status().message(),
            bad_time + ":2: time '2026-01-10 12:00' is not YYYY-MM-DDTHH:MM:SS");
  EXPECT_EQ(Weather::LoadCsv(testing::TempDir() + "nope.csv").status().code(), Code::kNotFound);
}

TEST(SimWeatherTest, UrumqiDesignWinterHasAColdSnapDailySwingAndDaylightOnly) {
  Weather w = Weather::UrumqiDesignWinter(28);
  EXPECT_EQ(w.hours(), 28u * 24);
  double lo = 1e9, hi = -1e9;
  for (int h = 0; h < 28 * 24; ++h) {
    WeatherSample s = w.At(h * 3600.0);
    lo = std::min(lo, s.t_out_c);
    hi = std::max(hi, s.t_out_c);
    int hour = h % 24;
    if (hour < 9 || hour > 19) {
      EXPECT_EQ(s.solar_wm2, 0) << "hour " << hour;
    }
  }
  EXPECT_LT(lo, -26);   // the snap reaches below the −19.7 °C design point
  EXPECT_GT(hi, -6);
  // Coldest at 07:00, warmer at 16:00 on an ordinary day.
  EXPECT_LT(w.At(7 * 3600).t_out_c, w.At(16 * 3600).t_out_c - 7);
}

}  // namespace
}  // namespace heat::sim::physics
