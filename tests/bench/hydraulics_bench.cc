// hydraulics_bench — how fast does analysis::Solve (ANA-3) solve a
// generated network, and how far are its heads from EPANET's? Driven by
// scripts/bench-hydraulics.
//
//   hydraulics_bench --network NAME [--runs 7] [--heads FILE]
//   hydraulics_bench --network NAME --write-inp FILE
//
// NAME is a network of analysis/generate.h (e.g. grid-dw-10000). The
// network is generated once, then solved --runs times with ACCURACY 1e-8;
// the time is that of Solve() alone (the network is already in memory, as
// it is for EPANET's EN_openH + EN_initH + EN_runH), the median of the runs.
// --heads: EPANET's heads of the same network ("id head_m" lines, as in
// tests/data/hydraulics); the worst absolute difference is reported.
// One line on stdout:
//   nodes=N links=L solve_ms=T trials=K max_head_err_m=H
// (max_head_err_m only with --heads). --write-inp writes the network as
// EPANET input (analysis/inp.h WriteInp) and solves nothing.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include <CLI/CLI.hpp>

#include "heat/analysis/generate.h"
#include "heat/analysis/hydraulics.h"
#include "heat/analysis/inp.h"
#include "heat/core/file.h"

namespace {

using heat::analysis::Network;
using heat::analysis::Solution;

struct Options {
  std::string network, heads, write_inp;
  int runs = 7;
};

[[noreturn]] void Fail(const std::string& why) {
  std::fprintf(stderr, "hydraulics_bench: %s\n", why.c_str());
  std::exit(1);
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  CLI::App app("hydraulics_bench: solve a generated network, time it, compare with EPANET's heads");
  app.add_option("--network", o.network, "a name of analysis/generate.h, e.g. grid-dw-10000")
      ->required();
  app.add_option("--runs", o.runs, "solves to time")->check(CLI::Range(1, 1000));
  app.add_option("--heads", o.heads, "EPANET's heads of the network (id head_m lines)");
  app.add_option("--write-inp", o.write_inp, "write the network as EPANET input and solve nothing");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::exit(app.exit(e) == 0 ? 0 : 2);  // 2: usage, as every tool
  }
  return o;
}

// The largest |ours - EPANET's| over the nodes of the heads file.
double MaxHeadError(const Network& net, const Solution& sol, const std::string& path) {
  auto text = heat::ReadRegularFile(path, 16 << 20, "a heads file");
  if (!text.ok()) Fail(text.status().message());
  std::unordered_map<std::string, double> ours;
  for (size_t i = 0; i < net.nodes.size(); ++i) ours.emplace(net.nodes[i].id, sol.head_m[i]);
  std::istringstream in(*text);
  std::string id;
  double epanet, worst = 0;
  size_t seen = 0;
  while (in >> id >> epanet) {
    auto it = ours.find(id);
    if (it == ours.end()) Fail(path + ": node " + id + " is not in " + net.title);
    worst = std::max(worst, std::abs(it->second - epanet));
    ++seen;
  }
  if (seen != net.nodes.size()) Fail(path + ": " + std::to_string(seen) + " heads for " +
                                     std::to_string(net.nodes.size()) + " nodes");
  return worst;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = ParseArgs(argc, argv);
  auto spec = heat::analysis::ParseGeneratedName(o.network);
  if (!spec.ok()) Fail(spec.status().message());
  auto net = heat::analysis::GenerateNetwork(*spec);
  if (!net.ok()) Fail(net.status().message());
  if (!o.write_inp.empty()) {
    heat::analysis::SolveOptions tight;
    tight.accuracy = 1e-8;
    heat::Status s = heat::WriteFileAtomically(o.write_inp, heat::analysis::WriteInp(*net, tight));
    if (!s.ok()) Fail(s.message());
    return 0;
  }
  heat::analysis::SolveOptions options;
  options.accuracy = 1e-8;
  std::vector<double> ms;
  heat::Result<Solution> sol = heat::Status::Failure("not solved");
  for (int r = 0; r < o.runs; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    sol = heat::analysis::Solve(*net, options);
    auto elapsed = std::chrono::steady_clock::now() - t0;
    ms.push_back(std::chrono::duration<double, std::milli>(elapsed).count());
    if (!sol.ok()) Fail(o.network + ": " + sol.status().message());
  }
  std::sort(ms.begin(), ms.end());
  std::fprintf(stderr, "==> %s: solves of %.2f to %.2f ms over %d runs\n", o.network.c_str(),
               ms.front(), ms.back(), o.runs);
  std::printf("nodes=%zu links=%zu solve_ms=%.2f trials=%d", net->nodes.size(), net->links.size(),
              ms[ms.size() / 2], sol->trials);
  if (!o.heads.empty()) std::printf(" max_head_err_m=%.4f", MaxHeadError(*net, *sol, o.heads));
  std::printf("\n");
  return 0;
}
