// control_bench — does room-temperature control (CTL-3, CTL-4) save heat
// against the best fixed heating curve (CTL-2)? Driven by
// scripts/bench-control; heatsim(1), BENCHMARK, says what it models.
//
//   control_bench --network FILE --weather FILE [--warmup-days 4]
//                 [--cold-days 7] [--mild-days 7] [--step-s 60]
//
// One model station (sim/physics) per station of the network file
// (sim/network_design.h), all under the same weather: the file's hours,
// shifted so that the coldest daily mean of the cold days is the design
// outdoor temperature (-19.7 °C for Urumqi). The first warm-up days are
// not scored; then come the cold days and the mild days. Two strategies
// run on identical stations (same seed, so the same flats):
//
//   curve: the station's design curve (control/curve.h DesignCurve) for
//     20 °C rooms on the plain outdoor temperature, its parallel shift
//     found by bisection so that the coldest heated flat stays at or above
//     19.5 °C through every occupied hour scored: the best fixed curve.
//   control: the same design curve, unshifted, on the composite outdoor
//     temperature, corrected by the room sensors' low percentile, with a
//     night setback outside the occupied hours (no forecast exists yet).
//
// Figures (sim/comfort.h): in_band_pct of occupied flat-hours within
// [19.5, 22.0] °C, underheated flat-hours below 18 °C (any hour), the
// energy the primary meters counted over the scored days, and overshoot:
// how far the warmest heated flat rose above 22.0 °C at any scored step.
// Per station and per part on stderr; the last line on stdout is
//   control in_band_pct=A underheated_flat_hours=U energy_vs_curve=R overshoot_c=O
// preceded by the curve's figures in the same form ("curve ...").
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "heat/control/curve.h"
#include "heat/core/file.h"
#include "heat/network/yaml_io.h"
#include "heat/sim/closed_loop.h"
#include "heat/sim/comfort.h"
#include "heat/sim/network_design.h"

namespace {

using heat::control::StationConfig;
using heat::sim::ComfortBand;
using heat::sim::ComfortFigures;
using heat::sim::ControlledStation;
using heat::sim::physics::StationDesign;
using heat::sim::physics::Weather;

// Simulated time 0: 2014-01-21T00:00:00+08:00, the first hour of
// tests/data/weather-flensburg-2014-01.csv. With the same periods on every
// day of the week only the time of day matters to the schedule.
constexpr int64_t kStartEpochS = 1390233600;
constexpr double kDayS = 86400;

struct Options {
  std::string network, weather;
  int warmup_days = 4, cold_days = 7, mild_days = 7;
  double step_s = 60;
};

[[noreturn]] void Fail(const std::string& why) {
  std::fprintf(stderr, "control_bench: %s\n", why.c_str());
  std::exit(1);
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (i + 1 >= argc) Fail(flag + " needs a value");
    std::string v = argv[++i];
    if (flag == "--network") o.network = v;
    else if (flag == "--weather") o.weather = v;
    else if (flag == "--warmup-days") o.warmup_days = std::atoi(v.c_str());
    else if (flag == "--cold-days") o.cold_days = std::atoi(v.c_str());
    else if (flag == "--mild-days") o.mild_days = std::atoi(v.c_str());
    else if (flag == "--step-s") o.step_s = std::atof(v.c_str());
    else Fail("unknown option " + flag);
  }
  if (o.network.empty() || o.weather.empty()) Fail("usage: control_bench --network FILE --weather FILE");
  if (o.warmup_days < 0 || o.cold_days < 1 || o.mild_days < 0 || !(o.step_s > 0))
    Fail("days and step must be positive");
  return o;
}

// ---------------------------------------------------------------------------
// Inputs

std::vector<StationDesign> LoadDesigns(const std::string& path) {
  auto text = heat::ReadRegularFile(path, 16 << 20, "a network YAML file");
  if (!text.ok()) Fail(text.status().message());
  auto doc = heat::network::ParseNetworkYaml(*text, path);
  if (!doc.ok()) Fail(doc.status().message());
  auto designs = heat::sim::NetworkDesigns(*doc);
  if (!designs.ok()) Fail(designs.status().message());
  if (designs->empty()) Fail(path + ": no stations");
  return *designs;
}

// The weather of the file, moved so that the coldest daily mean of the
// cold days is the design outdoor temperature. Returns the shift.
double LoadWeather(const Options& o, double design_out_c, Weather& w) {
  auto loaded = Weather::LoadCsv(o.weather);
  if (!loaded.ok()) Fail(loaded.status().message());
  w = *loaded;
  int days = o.warmup_days + o.cold_days + o.mild_days;
  if (w.duration_s() < days * kDayS - 3600) Fail(o.weather + ": fewer than " + std::to_string(days) + " days");
  double coldest = 1e9;
  for (int d = o.warmup_days; d < o.warmup_days + o.cold_days; ++d) {
    double sum = 0;
    for (int h = 0; h < 24; ++h) sum += w.At((d * 24 + h) * 3600.0).t_out_c;
    coldest = std::min(coldest, sum / 24);
  }
  w.ShiftTemperature(design_out_c - coldest);
  return design_out_c - coldest;
}

// ---------------------------------------------------------------------------
// The two strategies

StationConfig CurveConfig(const StationDesign& d, double parallel_c) {
  StationConfig c;
  c.valve = heat::control::ValveStrategy::kOutdoorCompensation;
  c.curve = heat::control::DesignCurve(d.secondary_supply_c, d.secondary_return_c, d.design_out_c,
                                       d.design_in_c);
  c.curve.parallel_c = parallel_c;
  c.curve.max_supply_c = 90;  // the coldest flats need it; the safety limit is 95
  c.room_c = 20;
  c.composite.building_tau_h = 0;  // the plain outdoor temperature
  c.pump_hz = 50;                  // design flow, as the radiators were sized
  return c;
}

StationConfig ControlConfig(const StationDesign& d, const ComfortBand& band) {
  StationConfig c = CurveConfig(d, 0);
  c.valve = heat::control::ValveStrategy::kRoomTarget;
  c.composite = heat::control::Composite{};
  c.schedule.enabled = true;
  heat::control::Period occupied{band.occupied_from_min, band.occupied_to_min};
  c.schedule.weekday = {occupied};
  c.schedule.weekend = {occupied};
  c.schedule.day_room_c = 20;
  c.schedule.night_room_c = 19;  // heavy buildings: a deep setback costs the morning
  return c;
}

// ---------------------------------------------------------------------------
// Running a station

// A station's run, or the sum of several.
struct Run {
  ComfortFigures cold, mild;
  double energy_kwh = 0;  // primary meters over the scored days
  ComfortFigures all() const {
    ComfortFigures f = cold;
    f.Merge(mild);
    return f;
  }
  void Add(const Run& r) {
    cold.Merge(r.cold);
    mild.Merge(r.mild);
    energy_kwh += r.energy_kwh;
  }
};

ControlledStation MakeStation(const StationDesign& d, const StationConfig& cfg) {
  auto s = heat::sim::physics::Station::Make(d);
  if (!s.ok()) Fail(s.status().message());
  if (auto v = heat::control::Validate(cfg); !v.ok()) Fail(d.code + ": " + v.message());
  return ControlledStation(std::move(s).value(), cfg);
}

Run RunStation(const Options& o, const StationDesign& d, const StationConfig& cfg,
               const Weather& w, const ComfortBand& band) {
  ControlledStation cs = MakeStation(d, cfg);
  Run r;
  double warmup_s = o.warmup_days * kDayS, cold_end_s = (o.warmup_days + o.cold_days) * kDayS;
  double end_s = cold_end_s + o.mild_days * kDayS, start_kwh = 0;
  for (double t = 0; t < end_s - 1e-6; t += o.step_s) {
    heat::control::Clock clock{kStartEpochS + static_cast<int64_t>(std::llround(t + o.step_s))};
    heat::sim::StepClosedLoop(cs, o.step_s, t, w.At(t), clock);
    double now = t + o.step_s;
    if (now <= warmup_s) {
      start_kwh = cs.station.primary_meter().energy_kwh;
      continue;
    }
    int minute = static_cast<int>(std::fmod(now - o.step_s / 2, kDayS) / 60);  // mid-step
    heat::sim::Tally(band, cs.station, minute, o.step_s, now <= cold_end_s ? r.cold : r.mild);
  }
  r.energy_kwh = cs.station.primary_meter().energy_kwh - start_kwh;
  return r;
}

// The lowest parallel shift (to 0.05 K) whose coldest heated flat stays
// at or above floor_c through the occupied hours scored, found by
// bisection (a higher shift never makes a flat colder). Where even the
// highest shift leaves a flat below floor_c (the supply reaches its limit
// in the coldest hours), the lowest shift that keeps the coldest flat
// within 0.1 K of what the highest achieves (at_max, its run).
constexpr double kMinShiftC = -20, kMaxShiftC = 20;

struct Tuned {
  double parallel_c = kMaxShiftC;
  Run run;
  int runs = 0;
};

Tuned TuneCurve(const Options& o, const StationDesign& d, const Weather& w, const ComfortBand& band,
                double floor_c, const Run& at_max) {
  double target = std::min(floor_c, at_max.all().coldest_occupied_c - 0.1);
  double lo = kMinShiftC, hi = kMaxShiftC;
  Tuned t{hi, at_max, 0};
  while (hi - lo > 0.05) {
    double mid = (lo + hi) / 2;
    Run r = RunStation(o, d, CurveConfig(d, mid), w, band);
    ++t.runs;
    if (r.all().coldest_occupied_c >= target) {
      hi = mid;
      t.parallel_c = mid;
      t.run = r;
    } else {
      lo = mid;
    }
  }
  return t;
}

// ---------------------------------------------------------------------------
// Reports

// The spread of the flats behind a station, as heatsim(1) BENCHMARK lists it.
void PrintBuildings(const StationDesign& d) {
  ControlledStation cs = MakeStation(d, StationConfig{});
  double ua_lo = 1e9, ua_hi = 0, rad_lo = 1e9, rad_hi = 0, tau_lo = 1e9, tau_hi = 0, gain = 0, sun = 0;
  int flats = 0, heated = 0, sensors = 0;
  double ua_design = d.load_w_m2 / (d.design_in_c - d.design_out_c);  // W/(m²·K)
  for (const auto& b : cs.station.buildings())
    for (const auto& f : b.flats) {
      double ua = f.p.ua_w_k / f.p.area_m2 / ua_design;
      double rad = f.p.rad_design_kw * 1000 / f.p.area_m2 / d.load_w_m2;
      double tau = heat::sim::physics::FlatTimeConstants(f.p).slow_s / 3600;
      ua_lo = std::min(ua_lo, ua), ua_hi = std::max(ua_hi, ua);
      rad_lo = std::min(rad_lo, rad), rad_hi = std::max(rad_hi, rad);
      tau_lo = std::min(tau_lo, tau), tau_hi = std::max(tau_hi, tau);
      gain = f.p.internal_gain_w / f.p.area_m2;
      sun = f.p.solar_aperture_m2 / f.p.area_m2;
      ++flats, heated += !f.p.suspended, sensors += f.p.has_sensor && !f.p.suspended;
    }
  std::fprintf(stderr,
               "==> %s: %.0f m², %d buildings, %d flats (%d heated, %d with a sensor); "
               "UA x%.2f..%.2f of design, radiators x%.2f..%.2f, slow time constant %.0f..%.0f h, "
               "internal gains %.1f W/m², solar aperture %.2f m²/m²\n",
               d.code.c_str(), d.area_m2, d.buildings, flats, heated, sensors, ua_lo, ua_hi, rad_lo,
               rad_hi, tau_lo, tau_hi, gain, sun);
}

void PrintStrategies(const StationDesign& d, const ComfortBand& band) {
  StationConfig c = ControlConfig(d, band);
  std::fprintf(stderr,
               "==> curve: design curve %.0f/%.0f °C at %.1f/%.0f °C, rooms %.0f °C, plain outdoor, "
               "supply %.0f..%.0f °C, pump %.0f Hz, shift bisected in %+.0f..%+.0f K\n",
               d.secondary_supply_c, d.secondary_return_c, d.design_out_c, d.design_in_c, c.room_c,
               c.curve.min_supply_c, c.curve.max_supply_c, c.pump_hz, kMinShiftC, kMaxShiftC);
  std::fprintf(stderr,
               "==> control: that curve unshifted; rooms %.0f °C %02d:00-%02d:00, %.0f °C at night "
               "(start %.0f min/K earlier, at most %.0f h; ramp %.0f K/h); p%.0f of the heated flats' "
               "sensors, kp %.1f, ti %.1f h; composite outdoor tau %.0f h; no forecast\n",
               c.schedule.day_room_c, band.occupied_from_min / 60, band.occupied_to_min / 60,
               c.schedule.night_room_c, c.schedule.opt_min_per_k, c.schedule.opt_max_h,
               c.schedule.ramp_c_per_h, 100 * c.room.percentile, c.room.kp, c.room.ti_s / 3600,
               c.composite.building_tau_h);
}

void PrintPart(const char* name, const char* part, const ComfortFigures& f, const ComfortBand& band) {
  std::fprintf(stderr,
               "==>   %-7s %-5s in_band_pct=%.1f underheated_flat_hours=%.1f overshoot_c=%.2f "
               "mean_room_c=%.2f coldest_occupied_c=%.2f warmest_c=%.2f flat_spread_c=%.2f\n",
               name, part, f.in_band_pct(), f.underheated_flat_h, f.overshoot_c(band), f.mean_room_c(),
               f.coldest_occupied_c, f.warmest_c, f.mean_spread_c());
}

void PrintRun(const char* name, const Run& r, double ratio) {
  ComfortFigures f = r.all();
  std::fprintf(stderr,
               "==>   %-7s %.0f kWh (%.3f), in band %.1f %%, underheated %.1f flat-h, coldest %.2f °C, "
               "mean %.2f °C, warmest %.2f °C, spread %.2f K\n",
               name, r.energy_kwh, ratio, f.in_band_pct(), f.underheated_flat_h, f.coldest_occupied_c,
               f.mean_room_c(), f.warmest_c, f.mean_spread_c());
}

void PrintSummary(const char* name, const Run& t, double energy_ratio, const ComfortBand& band) {
  ComfortFigures f = t.all();
  std::printf("%s in_band_pct=%.1f underheated_flat_hours=%.1f energy_vs_curve=%.3f overshoot_c=%.2f\n",
              name, f.in_band_pct(), f.underheated_flat_h, energy_ratio, f.overshoot_c(band));
}

// The three runs of every station: the best curve, control, and the curve
// tuned to the coldest flat control left (how much of control's saving
// is only a colder coldest flat).
struct Results {
  Run curve, control, curve_same_floor;
};

void RunStationPair(const Options& o, const StationDesign& d, const Weather& w,
                    const ComfortBand& band, Results& total) {
  PrintBuildings(d);
  Run at_max = RunStation(o, d, CurveConfig(d, kMaxShiftC), w, band);
  if (at_max.all().coldest_occupied_c < band.low_c)
    std::fprintf(stderr, "==> %s: even a shift of %+.0f K leaves a flat at %.2f °C\n", d.code.c_str(),
                 kMaxShiftC, at_max.all().coldest_occupied_c);
  Tuned curve = TuneCurve(o, d, w, band, band.low_c, at_max);
  Run control = RunStation(o, d, ControlConfig(d, band), w, band);
  Tuned same = TuneCurve(o, d, w, band, control.all().coldest_occupied_c, at_max);
  std::fprintf(stderr, "==> %s: curve shift %+.2f K (%d runs); at control's coldest flat %+.2f K\n",
               d.code.c_str(), curve.parallel_c, curve.runs + 1, same.parallel_c);
  PrintRun("curve", curve.run, 1);
  PrintRun("control", control, control.energy_kwh / curve.run.energy_kwh);
  total.curve.Add(curve.run);
  total.control.Add(control);
  total.curve_same_floor.Add(same.run);
}

}  // namespace

int main(int argc, char** argv) {
  Options o = ParseArgs(argc, argv);
  std::vector<StationDesign> designs = LoadDesigns(o.network);
  Weather w;
  double shift = LoadWeather(o, designs.front().design_out_c, w);
  std::fprintf(stderr, "==> %zu stations; %s shifted by %+.2f K; %d warm-up, %d cold, %d mild days; %.0f s steps\n",
               designs.size(), o.weather.c_str(), shift, o.warmup_days, o.cold_days, o.mild_days, o.step_s);
  ComfortBand band;
  PrintStrategies(designs.front(), band);
  Results total;
  for (const StationDesign& d : designs) RunStationPair(o, d, w, band, total);
  for (auto [name, r] : {std::pair{"curve", &total.curve}, std::pair{"control", &total.control}}) {
    PrintPart(name, "cold", r->cold, band);
    PrintPart(name, "mild", r->mild, band);
  }
  double ratio = total.control.energy_kwh / total.curve.energy_kwh;
  std::fprintf(stderr, "==> energy: curve %.0f kWh, control %.0f kWh (%.3f); the curve at control's coldest flats "
               "%.0f kWh, control %.3f of that\n", total.curve.energy_kwh, total.control.energy_kwh, ratio,
               total.curve_same_floor.energy_kwh, total.control.energy_kwh / total.curve_same_floor.energy_kwh);
  PrintSummary("curve", total.curve, 1.0, band);
  PrintSummary("control", total.control, ratio, band);
  return 0;
}
