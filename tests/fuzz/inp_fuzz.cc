// libFuzzer target: the EPANET .inp reader (analysis/inp.h). Any bytes must
// give a Network or a usage error naming the line, never a crash; a network
// read is written back and read again, and a small one is solved, so the
// writer and the solver meet whatever the reader lets through.
#include <cstddef>
#include <cstdint>
#include <string>

#include "heat/analysis/hydraulics.h"
#include "heat/analysis/inp.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string s(reinterpret_cast<const char*>(data), size);
  auto inp = heat::analysis::ReadInp(s);
  if (!inp.ok()) return 0;
  (void)heat::analysis::ReadInp(heat::analysis::WriteInp(inp->network, inp->options));
  if (inp->network.nodes.size() <= 200) {
    heat::analysis::SolveOptions o;
    o.max_trials = 50;
    (void)heat::analysis::Solve(inp->network, o);
  }
  return 0;
}
