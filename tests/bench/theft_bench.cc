// theft_bench — how well does suspected heat theft (ANA-10,
// analysis/theft.h) find the stealing flats of heatsim's model? Driven by
// scripts/bench-theft; theft_sim.h says what the detector is given (what
// billing, sensors and meters say, never who steals).
//
//   theft_bench [--stations 60] [--seed 1] [--warmup-days 5] [--days 7] [--step-s 300]
//               [--suspended-fraction 0.05] [--stealing-fraction 0.3]
//               [--sensor-fraction 0.5] [--meter-error 0.02] [--rules FILE]
//
// The model's defaults draw 5 % of flats suspended, 30 % of those
// stealing, half of all flats with a room sensor. The suspects and the
// counts go to stderr; the one line on stdout is
//   theft precision=P recall=R houses=N
#include <cstdio>
#include <cstdlib>
#include <string>

#include "theft_sim.h"

namespace {

[[noreturn]] void Fail(const std::string& why) {
  std::fprintf(stderr, "theft_bench: %s\n", why.c_str());
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  heat::bench::TheftWorld w;
  w.stations = 60;
  std::string rules;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (i + 1 >= argc) Fail(flag + " needs a value");
    std::string v = argv[++i];
    if (flag == "--stations") w.stations = std::atoi(v.c_str());
    else if (flag == "--seed") w.seed = std::strtoull(v.c_str(), nullptr, 10);
    else if (flag == "--warmup-days") w.warmup_days = std::atoi(v.c_str());
    else if (flag == "--days") w.days = std::atoi(v.c_str());
    else if (flag == "--step-s") w.step_s = std::atof(v.c_str());
    else if (flag == "--suspended-fraction") w.suspended_fraction = std::atof(v.c_str());
    else if (flag == "--stealing-fraction") w.stealing_fraction = std::atof(v.c_str());
    else if (flag == "--sensor-fraction") w.sensor_fraction = std::atof(v.c_str());
    else if (flag == "--meter-error") w.meter_error = std::atof(v.c_str());
    else if (flag == "--rules") rules = v;
    else Fail("unknown option " + flag);
  }
  if (w.stations < 1 || w.days < 1 || w.warmup_days < 0 || !(w.step_s > 0) || 3600 % static_cast<int>(w.step_s))
    Fail("stations and days must be positive, the step a divisor of an hour");
  heat::analysis::TheftParams p;
  if (!rules.empty()) {
    auto base = heat::analysis::LoadRules(rules);
    if (!base.ok()) Fail(base.status().message());
    p = base->theft;
  }
  std::vector<heat::analysis::Suspect> suspects;
  heat::bench::TheftScore s = heat::bench::RunTheftWorld(w, p, &suspects);
  for (const auto& x : suspects)
    std::fprintf(stderr, "suspect %s score=%.2f by %s\n", x.house.c_str(), x.score, x.evidence_kind.c_str());
  for (const auto& m : s.missed) std::fprintf(stderr, "missed %s\n", m.c_str());
  std::fprintf(stderr, "houses=%d suspended=%d stealing=%d flagged=%d hits=%d\n", s.houses, s.suspended,
               s.stealing, s.flagged, s.hits);
  std::printf("theft precision=%.3f recall=%.3f houses=%d\n", s.precision(), s.recall(), s.houses);
  return 0;
}
