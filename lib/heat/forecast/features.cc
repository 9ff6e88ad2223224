#include "heat/forecast/features.h"

namespace heat::forecast {
namespace {

constexpr std::array<double, 4> kTauH = {6.0, 24.0, 72.0, 240.0};
// Where the slope of load on the 24-hour mean temperature may bend: from
// the heating limit down to the coldest design days of north-west China.
constexpr std::array<double, kHinges> kHingeC = {16, 12, 8, 4, 0, -8, -16, -24};

}  // namespace

void TempState::Step(double temp_c) {
  if (std::isnan(temp_c)) return;
  if (std::isnan(t_)) e_ = {temp_c, temp_c, temp_c, temp_c};
  t_ = temp_c;
  for (size_t i = 0; i < e_.size(); ++i) {
    double a = 1.0 - std::exp(-1.0 / kTauH[i]);
    e_[i] += a * (temp_c - e_[i]);
  }
}

FeatureVec Features(const HourInput& in, const TempState& temp) {
  FeatureVec x{};
  size_t k = 0;
  // The calendar: one level per hour of day and day type (no intercept).
  x[k + static_cast<size_t>(static_cast<int>(in.day) * 24 + in.hour)] = 1.0;
  k += 24 * kDayTypes;
  x[k++] = temp.t();
  x[k++] = temp.e6();
  x[k++] = temp.e24();
  x[k++] = temp.e72();
  x[k++] = temp.e240();
  for (double c : kHingeC) x[k++] = std::max(0.0, c - temp.e24());
  // The daily profile deepens as it gets colder: hour of day x degrees.
  double hdd = std::max(0.0, kBalanceC - temp.e24()) / 10.0;
  x[k + static_cast<size_t>(in.hour)] = hdd;
  k += 24;
  x[k++] = std::isnan(in.w.wind_ms) ? 0.0 : in.w.wind_ms * hdd;
  x[k++] = std::isnan(in.w.solar_wm2) ? 0.0 : in.w.solar_wm2 / 100.0;
  x[k++] = in.season_day >= 0 ? std::exp(-in.season_day / 3.0) : 0.0;
  double ang = 2 * M_PI * in.year_day / 365.25;
  x[k++] = std::sin(ang);
  x[k++] = std::cos(ang);
  x[k++] = std::sin(ang) * hdd;
  x[k++] = std::cos(ang) * hdd;
  x[k + static_cast<size_t>(in.hour)] = std::cos(ang);
  x[k + 24 + static_cast<size_t>(in.hour)] = std::sin(ang);
  k += 48;
  return x;
}

}  // namespace heat::forecast
