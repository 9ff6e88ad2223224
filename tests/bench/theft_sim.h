// theft_sim.h — suspected heat theft (ANA-10, analysis/theft.h) measured
// on heatsim's model (lib/heat/sim): stations whose flats are drawn by the
// model (suspended ones, some of them stealing: the radiator valve reopened
// behind the household meter), run under their design heating curve in
// the built-in Urumqi design winter. After the warm-up, over the window,
// the detector is given only what billing, sensors and meters would say:
// each flat's billing status (suspended or heating), its room sensor's
// hourly readings (where the model gave it one), its household heat
// meter's count and each building's entry meter's count, each meter off
// by a fixed error of up to ±meter_error (class 2 meters), and the
// outdoor mean. Whether a flat steals is used only to score the answer.
// Used by tests/bench/theft_bench.cc (scripts/bench-theft) and
// tests/unit/analysis_theft_test.cc.
#pragma once

#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "heat/analysis/theft.h"
#include "heat/sim/closed_loop.h"
#include "heat/sim/history.h"
#include "heat/sim/physics/rng.h"

namespace heat::bench {

struct TheftWorld {
  int stations = 20;
  uint64_t seed = 1;
  int warmup_days = 5, days = 7;
  double step_s = 300;
  double suspended_fraction = 0.05, stealing_fraction = 0.3, sensor_fraction = 0.5;  // the model's defaults
  double meter_error = 0.02;
};

struct TheftScore {
  int houses = 0, suspended = 0, stealing = 0, flagged = 0, hits = 0;
  std::vector<std::string> missed;  // stealing flats not flagged, with their score and evidence
  double precision() const { return flagged ? static_cast<double>(hits) / flagged : 1; }
  double recall() const { return stealing ? static_cast<double>(hits) / stealing : 1; }
};

// What one station's meters and sensors reported over the window.
inline void RunTheftStation(const TheftWorld& w, int index, const sim::physics::Weather& weather,
                            analysis::TheftInput& in, std::set<std::string>& stealing, double& outdoor_sum,
                            int& outdoor_n) {
  sim::physics::StationDesign d;
  d.code = "S" + std::to_string(index + 1);
  d.seed = w.seed * 1000 + static_cast<uint64_t>(index);
  d.suspended_fraction = w.suspended_fraction;
  d.stealing_fraction = w.stealing_fraction;
  d.sensor_fraction = w.sensor_fraction;
  auto st = sim::physics::Station::Make(d);
  if (!st.ok()) return;
  sim::ControlledStation cs(std::move(st).value(), sim::DefaultHistoryConfig(d));
  sim::physics::Rng noise(d.seed ^ 0x5eedULL);
  const double warm_s = w.warmup_days * 86400.0, end_s = warm_s + w.days * 86400.0;
  std::vector<double> start_kwh, sum_c;
  std::vector<int> n_c;
  auto flats = [&cs] {
    std::vector<sim::physics::Flat*> f;
    for (auto& b : cs.station.buildings())
      for (auto& x : b.flats) f.push_back(&x);
    return f;
  };
  for (double t = 0; t < end_s - 1e-6; t += w.step_s) {
    control::Clock clock{1737331200 + static_cast<int64_t>(t + w.step_s)};
    sim::StepClosedLoop(cs, w.step_s, t, weather.At(t), clock);
    double now = t + w.step_s;
    if (std::abs(now - warm_s) < 1e-6) {
      for (auto* f : flats()) start_kwh.push_back(f->meter.energy_kwh);
      for (auto& b : cs.station.buildings()) start_kwh.push_back(b.meter.energy_kwh);
      sum_c.assign(start_kwh.size(), 0);
      n_c.assign(start_kwh.size(), 0);
    }
    if (now <= warm_s || std::fmod(now, 3600) > 1e-6) continue;
    size_t i = 0;
    for (auto* f : flats()) {  // hourly room readings, where a sensor is
      if (f->p.has_sensor) sum_c[i] += sim::physics::SensorReading(f->t_air_c, noise.Uniform()), n_c[i]++;
      ++i;
    }
    outdoor_sum += weather.At(now).t_out_c, outdoor_n++;
  }
  size_t i = 0;
  auto err = [&] { return 1 + w.meter_error * (2 * noise.Uniform() - 1); };
  for (auto& b : cs.station.buildings()) {
    for (size_t k = 0; k < b.flats.size(); ++k, ++i) {
      const auto& f = b.flats[k];
      analysis::TheftHouse h;
      h.code = b.code + "-F" + std::to_string(k + 1);
      h.status = f.p.suspended ? "suspended" : "heating";
      h.unit = b.code;
      h.room = std::to_string(k + 1) + "01";  // one stack: the floors above and below are the neighbours
      h.building = b.code;
      h.area_m2 = f.p.area_m2;
      if (n_c[i]) h.room_c = sum_c[i] / n_c[i];
      h.meter_kwh = (f.meter.energy_kwh - start_kwh[i]) * err();
      if (f.p.stealing) stealing.insert(h.code);
      in.houses.push_back(h);
    }
  }
  for (auto& b : cs.station.buildings()) in.buildings.push_back({b.code, (b.meter.energy_kwh - start_kwh[i++]) * err()});
}

inline TheftScore RunTheftWorld(const TheftWorld& w, const analysis::TheftParams& p,
                                std::vector<analysis::Suspect>* suspects = nullptr) {
  auto weather = sim::physics::Weather::UrumqiDesignWinter(w.warmup_days + w.days + 1);
  analysis::TheftInput in;
  in.days = w.days;
  std::set<std::string> stealing;
  double out_sum = 0;
  int out_n = 0;
  for (int s = 0; s < w.stations; ++s) RunTheftStation(w, s, weather, in, stealing, out_sum, out_n);
  in.outdoor_c = out_n ? out_sum / out_n : 0;
  std::vector<analysis::Suspect> found = analysis::ScoreTheft(in, p);
  TheftScore score;
  score.houses = static_cast<int>(in.houses.size());
  score.stealing = static_cast<int>(stealing.size());
  for (const auto& h : in.houses) score.suspended += h.status == "suspended";
  score.flagged = static_cast<int>(found.size());
  for (const auto& f : found) score.hits += stealing.count(f.house) > 0;
  analysis::TheftParams all = p;
  all.min_score = 0;
  std::set<std::string> flagged;
  for (const auto& f : found) flagged.insert(f.house);
  std::set<std::string> scored;
  for (const auto& f : analysis::ScoreTheft(in, all)) {
    scored.insert(f.house);
    if (stealing.count(f.house) && !flagged.count(f.house))
      score.missed.push_back(f.house + " score=" + std::to_string(f.score) + " " + f.evidence.dump());
  }
  for (const auto& h : in.houses)
    if (stealing.count(h.code) && !scored.count(h.code)) {
      std::string why = h.room_c ? "room " + std::to_string(*h.room_c) : std::string("no sensor");
      score.missed.push_back(h.code + " score=0 " + why);
    }
  if (suspects) *suspects = std::move(found);
  return score;
}

}  // namespace heat::bench
