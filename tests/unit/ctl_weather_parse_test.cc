// Weather forecast files for heatctl weather import (ctl/weather_parse.h,
// FC-2, FC-3): CSV and QWeather's hourly JSON read into rows, and every
// refusal naming the line or entry and the problem, compared whole.
#include <gtest/gtest.h>

#include "heat/ctl/weather_parse.h"

namespace heat::ctl {
namespace {

const TimeZone& Shanghai() {
  static const TimeZone tz = *TimeZone::Load("Asia/Shanghai");
  return tz;
}

constexpr int64_t k0800 = 1793577600;  // 2026-11-02 08:00 +08:00

std::string Refusal(const Result<WeatherFile>& r) {
  EXPECT_FALSE(r.ok());
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), Code::kUsage) << r.status().message();
  return r.status().message();
}

WeatherFile Must(const Result<WeatherFile>& r) {
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : WeatherFile{};
}

TEST(WeatherCsvTest, NaiveTimesAreTheSitesLocalTimeAndOffsetsAreHonoured) {
  auto f = Must(ParseWeatherCsv("issued,valid_time,outdoor_temp_c\n"
                                "2026-11-02 08:00,2026-11-02 09:00,-3.5\n"
                                "2026-11-02T08:00+08:00,2026-11-02T02:00Z,-4\n",
                                Shanghai(), std::nullopt));
  EXPECT_EQ(f.source, "csv");
  ASSERT_EQ(f.rows.size(), 2u);
  EXPECT_EQ(f.rows[0].issued, k0800);
  EXPECT_EQ(f.rows[0].valid_time, k0800 + 3600);
  EXPECT_DOUBLE_EQ(f.rows[0].temp_c, -3.5);
  EXPECT_EQ(f.rows[1].issued, k0800);
  EXPECT_EQ(f.rows[1].valid_time, k0800 + 2 * 3600);
  EXPECT_FALSE(f.rows[0].wind_ms.has_value());
}

TEST(WeatherCsvTest, OptionalColumnsInAnyOrderAndEmptyCellsAreUnknown) {
  auto f = Must(ParseWeatherCsv("humidity_pct,outdoor_temp_c,valid_time,wind_ms,solar_wm2,cloud_pct\n"
                                "40,1,2026-11-02 09:00,3.5,,80\n",
                                Shanghai(), k0800));
  ASSERT_EQ(f.rows.size(), 1u);
  EXPECT_EQ(f.rows[0].issued, k0800);
  EXPECT_EQ(f.rows[0].humidity_pct, 40);
  EXPECT_EQ(f.rows[0].wind_ms, 3.5);
  EXPECT_FALSE(f.rows[0].solar_wm2.has_value());
  EXPECT_EQ(f.rows[0].cloud_pct, 80);
}

TEST(WeatherCsvTest, IssuedOptionOverridesTheIssuedColumn) {
  auto f = Must(ParseWeatherCsv("valid_time,outdoor_temp_c,issued\n2026-11-02 09:00,1,2026-11-01 08:00\n",
                                Shanghai(), k0800));
  EXPECT_EQ(f.rows[0].issued, k0800);
}

TEST(WeatherCsvTest, WithoutIssuedColumnOrOptionTheFileIsRefused) {
  EXPECT_EQ(Refusal(ParseWeatherCsv("valid_time,outdoor_temp_c\n2026-11-02 09:00,1\n", Shanghai(), std::nullopt)),
            "header: no column 'issued' and no --issued: say when the forecast was issued");
}

TEST(WeatherCsvTest, UnknownOrMissingColumnsAreRefused) {
  EXPECT_EQ(Refusal(ParseWeatherCsv("valid_time,outdoor_temp_c,wind_kmh\n", Shanghai(), k0800)),
            "header: unknown column 'wind_kmh' (the columns are valid_time, outdoor_temp_c, wind_ms, solar_wm2, "
            "humidity_pct, cloud_pct, issued)");
  EXPECT_EQ(Refusal(ParseWeatherCsv("valid_time,wind_ms\n", Shanghai(), k0800)),
            "header: no column 'outdoor_temp_c'");
  EXPECT_EQ(Refusal(ParseWeatherCsv("valid_time,outdoor_temp_c\n", Shanghai(), k0800)), "no rows below the header");
}

TEST(WeatherCsvTest, BadTimeNamesLineAndColumn) {
  EXPECT_EQ(Refusal(ParseWeatherCsv("valid_time,outdoor_temp_c\n2026-11-02 09:00,1\ntomorrow,2\n", Shanghai(), k0800)),
            "line 3: valid_time: 'tomorrow' is not a time (ISO 8601 such as 2026-11-02T08:00+08:00, or the site's "
            "local 2026-11-02 08:00)");
}

TEST(WeatherCsvTest, RelativeTimesAreNotTakenFromAFile) {
  EXPECT_FALSE(ParseWeatherCsv("valid_time,outdoor_temp_c\n+2h,1\n", Shanghai(), k0800).ok());
  EXPECT_FALSE(ParseWeatherCsv("valid_time,outdoor_temp_c\nnow,1\n", Shanghai(), k0800).ok());
}

TEST(WeatherCsvTest, BadNumberAndTemperatureOutsideMinus80To70AreRefused) {
  EXPECT_EQ(Refusal(ParseWeatherCsv("valid_time,outdoor_temp_c\n2026-11-02 09:00,warm\n", Shanghai(), k0800)),
            "line 2: outdoor_temp_c: 'warm' is not a number");
  EXPECT_EQ(Refusal(ParseWeatherCsv("valid_time,outdoor_temp_c\n2026-11-02 09:00,70.5\n", Shanghai(), k0800)),
            "line 2: outdoor_temp_c: 70.5 is outside -80..70 °C");
  EXPECT_EQ(Refusal(ParseWeatherCsv("valid_time,outdoor_temp_c\n2026-11-02 09:00,\n", Shanghai(), k0800)),
            "line 2: outdoor_temp_c: empty");
  EXPECT_EQ(Refusal(ParseWeatherCsv("valid_time,outdoor_temp_c,humidity_pct\n2026-11-02 09:00,1,101\n", Shanghai(),
                                    k0800)),
            "line 2: humidity_pct: 101 is outside 0..100 %");
  EXPECT_EQ(Refusal(ParseWeatherCsv("valid_time,outdoor_temp_c\n2026-11-02 09:00,nan\n", Shanghai(), k0800)),
            "line 2: outdoor_temp_c: 'nan' is not a number");
}

TEST(WeatherCsvTest, FileTextInMessagesHasControlCharactersEscapedAndIsCut) {
  EXPECT_EQ(Refusal(ParseWeatherCsv("valid_time,outdoor_temp_c\n2026-11-02 09:00,\x1b[2J\n", Shanghai(), k0800)),
            "line 2: outdoor_temp_c: '\\x1b[2J' is not a number");
  EXPECT_EQ(Refusal(ParseWeatherCsv("valid_time,outdoor_temp_c\n" + std::string(100, '9') + ",1\n", Shanghai(), k0800)),
            "line 2: valid_time: '" + std::string(40, '9') +
                "...' is not a time (ISO 8601 such as 2026-11-02T08:00+08:00, or the site's local 2026-11-02 08:00)");
}

TEST(WeatherCsvTest, DuplicateValidTimeNamesBothLines) {
  EXPECT_EQ(Refusal(ParseWeatherCsv("valid_time,outdoor_temp_c\n2026-11-02 09:00,1\n\n2026-11-02T01:00Z,2\n",
                                    Shanghai(), k0800)),
            "line 4: duplicate valid time 2026-11-02 09:00:00, already on line 2");
}

TEST(WeatherCsvTest, ValidTimeMoreThan16DaysAfterTheIssueIsRefused) {
  auto ok = ParseWeatherCsv("valid_time,outdoor_temp_c\n2026-11-18 08:00,1\n", Shanghai(), k0800);
  EXPECT_TRUE(ok.ok()) << ok.status().message();  // exactly 16 days
  EXPECT_EQ(Refusal(ParseWeatherCsv("valid_time,outdoor_temp_c\n2026-11-18 09:00,1\n", Shanghai(), k0800)),
            "line 2: valid time more than 16 days after the issue (valid 2026-11-18 09:00:00, issued 2026-11-02 "
            "08:00:00)");
}

TEST(WeatherCsvTest, MoreCellsThanColumnsIsRefused) {
  EXPECT_EQ(Refusal(ParseWeatherCsv("valid_time,outdoor_temp_c\n2026-11-02 09:00,1,5\n", Shanghai(), k0800)),
            "line 2: 3 cells, but the header names 2 columns");
}

constexpr const char* kQWeather = R"({"code":"200","updateTime":"2026-11-02T08:00+08:00","fxLink":"x",
  "hourly":[{"fxTime":"2026-11-02T09:00+08:00","temp":"-2","icon":"100","text":"晴","wind360":"335",
             "windDir":"西北风","windScale":"3","windSpeed":"18","humidity":"41","pop":"0","precip":"0.0",
             "pressure":"1025","cloud":"10","dew":"-25"},
            {"fxTime":"2026-11-02T10:00+08:00","temp":"-1","windSpeed":"","humidity":"40","cloud":""}],
  "refer":{"sources":["QWeather"]}})";

TEST(QWeatherTest, StringNumbersWindInKmhStoredAsMsAndIssuedFromUpdateTime) {
  auto f = Must(ParseQWeather(kQWeather, Shanghai(), std::nullopt));
  EXPECT_EQ(f.source, "qweather");
  ASSERT_EQ(f.rows.size(), 2u);
  EXPECT_EQ(f.rows[0].issued, k0800);
  EXPECT_EQ(f.rows[0].valid_time, k0800 + 3600);
  EXPECT_DOUBLE_EQ(f.rows[0].temp_c, -2);
  EXPECT_DOUBLE_EQ(*f.rows[0].wind_ms, 5);  // 18 km/h
  EXPECT_EQ(f.rows[0].humidity_pct, 41);
  EXPECT_EQ(f.rows[0].cloud_pct, 10);
  EXPECT_FALSE(f.rows[1].wind_ms.has_value());
  EXPECT_FALSE(f.rows[1].cloud_pct.has_value());
}

TEST(QWeatherTest, IssuedOptionOverridesUpdateTime) {
  auto f = Must(ParseQWeather(kQWeather, Shanghai(), k0800 - 3600));
  EXPECT_EQ(f.rows[1].issued, k0800 - 3600);
}

TEST(QWeatherTest, WithIssuedOptionUpdateTimeMayBeMissing) {
  auto f = Must(ParseQWeather(R"({"code":"200","hourly":[{"fxTime":"2026-11-02T09:00+08:00","temp":1.5}]})",
                              Shanghai(), k0800));
  ASSERT_EQ(f.rows.size(), 1u);
  EXPECT_DOUBLE_EQ(f.rows[0].temp_c, 1.5);  // a plain JSON number is taken too
  EXPECT_EQ(Refusal(ParseQWeather(R"({"code":"200","hourly":[{"fxTime":"2026-11-02T09:00+08:00","temp":1}]})",
                                  Shanghai(), std::nullopt)),
            "updateTime: '' is not a time (ISO 8601 such as 2026-11-02T08:00+08:00, or the site's local 2026-11-02 "
            "08:00)");
}

TEST(QWeatherTest, CodeOtherThan200IsRefusedWithItsMeaning) {
  EXPECT_EQ(Refusal(ParseQWeather(R"({"code":"402"})", Shanghai(), std::nullopt)),
            "QWeather answered code '402' (over the quota or out of balance), not 200: there is no forecast in "
            "this file");
  EXPECT_EQ(Refusal(ParseQWeather(R"({"code":"999"})", Shanghai(), std::nullopt)),
            "QWeather answered code '999', not 200: there is no forecast in this file");
}

TEST(QWeatherTest, BadEntryIsNamedByItsNumber) {
  std::string bad = kQWeather;
  bad.replace(bad.find("\"-1\""), 4, "\"x1\"");
  EXPECT_EQ(Refusal(ParseQWeather(bad, Shanghai(), std::nullopt)), "hourly entry 2: temp: 'x1' is not a number");
  EXPECT_EQ(Refusal(ParseQWeather(R"({"code":"200","updateTime":"2026-11-02T08:00+08:00","hourly":[
              {"fxTime":"2026-11-02T09:00+08:00","temp":"1"},{"fxTime":"2026-11-02T09:00+08:00","temp":"2"}]})",
                                  Shanghai(), std::nullopt)),
            "hourly entry 2: duplicate valid time 2026-11-02 09:00:00, already on hourly entry 1");
  EXPECT_EQ(Refusal(ParseQWeather(R"({"code":"200","updateTime":"2026-11-02T08:00+08:00","hourly":[
              {"fxTime":"2026-11-02T09:00+08:00","temp":true}]})", Shanghai(), std::nullopt)),
            "hourly entry 1: temp: neither a string nor a number");
}

TEST(QWeatherTest, NotJsonOrNoHourlyIsRefused) {
  EXPECT_EQ(Refusal(ParseQWeather("{\"code\":", Shanghai(), std::nullopt)),
            "not a JSON object (QWeather's hourly forecast)");
  EXPECT_EQ(Refusal(ParseQWeather(R"({"code":"200","updateTime":"2026-11-02T08:00+08:00"})", Shanghai(),
                                  std::nullopt)),
            "no \"hourly\" entries: not an answer of QWeather's hourly forecast");
}

TEST(WeatherFileTest, FormByExtensionElseByContent) {
  std::string csv = "valid_time,outdoor_temp_c\n2026-11-02 09:00,1\n";
  EXPECT_EQ(Must(ParseWeather("w.CSV", csv, Shanghai(), k0800)).source, "csv");
  EXPECT_EQ(Must(ParseWeather("168h.json", kQWeather, Shanghai(), std::nullopt)).source, "qweather");
  EXPECT_EQ(Must(ParseWeather("/tmp/tmp.x1", std::string("\xEF\xBB\xBF  ") + kQWeather, Shanghai(), std::nullopt))
                .source,
            "qweather");
  EXPECT_EQ(Must(ParseWeather("-", csv, Shanghai(), k0800)).source, "csv");
}

TEST(WeatherFileTest, DecimalsAreStrict) {
  EXPECT_EQ(*ParseDecimal(" -3.25 "), -3.25);
  EXPECT_FALSE(ParseDecimal("3,5").ok());
  EXPECT_FALSE(ParseDecimal("inf").ok());
  EXPECT_FALSE(ParseDecimal("").ok());
  EXPECT_FALSE(ParseDecimal("1e999").ok());
}

}  // namespace
}  // namespace heat::ctl
