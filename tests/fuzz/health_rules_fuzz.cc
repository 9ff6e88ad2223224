// libFuzzer target: the health rule file parser (heatctl analyse health,
// analysis/rules.h). Any bytes must give a rule base or a usage error
// naming file:line, never a crash; a rule base that parses is evaluated
// once on a small station so that every parsed pattern and parameter is
// exercised too.
#include <cstddef>
#include <cstdint>
#include <string>

#include "heat/analysis/health.h"
#include "heat/analysis/rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string s(reinterpret_cast<const char*>(data), size);
  auto base = heat::analysis::ParseRules(s, "fuzz.yaml");
  if (!base.ok()) {
    if (base.status().message().rfind("fuzz.yaml:", 0) != 0) __builtin_trap();
    return 0;
  }
  heat::analysis::HealthObject o{"station", "S1", 1, {}};
  for (const char* tag : {"t2s", "t2r", "f2", "v1", "mw_m3"}) {
    heat::analysis::PointSeries p{std::string("S1.") + tag, tag, "control_box", {}, {}};
    for (int h = 0; h < 6; ++h) p.hours.push_back({h * 3600, 1, 1.0 * h, 2.0 * h, 1.5 * h, 2.0 * h});
    for (int m = 0; m < 30; ++m) p.raw.push_back({m * 600, (m % 3) * 1.0});
    o.points.push_back(p);
  }
  (void)heat::analysis::Evaluate(*base, {o});
  return 0;
}
