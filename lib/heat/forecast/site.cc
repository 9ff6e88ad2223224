#include "heat/forecast/site.h"

#include <cmath>
#include <map>

namespace heat::forecast {
namespace {

constexpr int64_t kHour = 3600;
constexpr int kLeadsReported[] = {1, 6, 12, 24, 72, 168};

// The fallback of a coming hour without a forecast: the last measured
// temperature, blending with a time constant of a day into the mean of
// the same hour of the day over the last week of history.
double Fallback(const std::vector<HistoryHour>& h, int64_t hour, int64_t origin) {
  double last = kNaN, sum = 0;
  int n = 0;
  for (auto it = h.rbegin(); it != h.rend() && it->hour >= origin - 7 * 24 * kHour; ++it) {
    if (std::isnan(it->outdoor_c)) continue;
    if (std::isnan(last)) last = it->outdoor_c;
    if ((hour - it->hour) % (24 * kHour) == 0) sum += it->outdoor_c, ++n;
  }
  if (std::isnan(last)) {  // nothing within a week: the last ever measured
    for (auto it = h.rbegin(); it != h.rend() && std::isnan(last); ++it) last = it->outdoor_c;
    return last;
  }
  double clim = n ? sum / n : last;
  double w = std::exp(-static_cast<double>(hour - origin + kHour) / (24.0 * kHour));
  return w * last + (1 - w) * clim;
}

}  // namespace

std::vector<double> ComingTemperatures(const SiteInput& in, int hours, int* from_forecast) {
  std::map<int64_t, double> fc;
  for (const auto& w : in.weather)
    if (!std::isnan(w.w.temp_c)) fc[w.hour] = w.w.temp_c;
  std::vector<double> out;
  *from_forecast = 0;
  for (int k = 0; k < hours; ++k) {
    int64_t hour = in.origin + k * kHour;
    auto it = fc.find(hour);
    if (it != fc.end()) {
      out.push_back(it->second);
      ++*from_forecast;
    } else {
      out.push_back(Fallback(in.history, hour, in.origin));
    }
  }
  return out;
}

Result<Issue> ForecastSite(const SiteInput& in, const CalendarFn& calendar, const ModelOptions& o) {
  Model model(o);
  // Consecutive hours up to the origin; a missing hour is observed as unknown.
  if (!in.history.empty()) {
    size_t i = 0;
    for (int64_t t = in.history.front().hour; t < in.origin; t += kHour) {
      while (i < in.history.size() && in.history[i].hour < t) ++i;
      Observation ob;
      ob.in = calendar(t);
      if (i < in.history.size() && in.history[i].hour == t) {
        ob.in.w.temp_c = in.history[i].outdoor_c;
        ob.load = in.history[i].load_kw;
        ob.supply = in.history[i].supply_c;
      }
      model.Observe(ob);
    }
  }
  int from_fc = 0;
  std::vector<double> temps = ComingTemperatures(in, o.horizon_h, &from_fc);
  std::vector<HourInput> coming;
  for (int k = 0; k < o.horizon_h; ++k) {
    coming.push_back(calendar(in.origin + k * kHour));
    coming.back().w.temp_c = temps[static_cast<size_t>(k)];
    if (std::isnan(temps[static_cast<size_t>(k)])) return Status::NotFound("no outdoor temperature measured yet");
  }
  HEAT_ASSIGN(Forecast f, model.Predict(coming));
  Issue is;
  is.origin = in.origin;
  is.weather = from_fc == o.horizon_h ? "forecast" : from_fc > 0 ? "partial" : "none";
  is.supply_from = in.supply_curve ? "curve" : f.supply.empty() ? "none" : "learned";
  is.history_h = model.load().good_hours();
  for (int lead : kLeadsReported)
    if (lead <= o.horizon_h) is.expected_rmse.emplace_back(lead, model.load().ExpectedRmse(lead));
  for (size_t k = 0; k < coming.size(); ++k) {
    IssueHour h;
    h.hour = in.origin + static_cast<int64_t>(k) * kHour;
    h.load = f.load[k];
    h.load.value = std::max(0.0, h.load.value);  // a cold summer night is no negative load
    h.load.lo = std::max(0.0, h.load.lo);
    h.load.hi = std::max(h.load.value, h.load.hi);
    h.outdoor_c = temps[k];
    if (in.supply_curve) {
      double s = in.supply_curve(temps[k]);
      h.supply = Point{s, s, s};
    } else if (k < f.supply.size()) {
      h.supply = f.supply[k];
    }
    is.hours.push_back(h);
  }
  return is;
}

}  // namespace heat::forecast
