// analysis/generate.h — synthetic pipe networks of any size for the EPANET
// agreement tests and the hydraulic benchmark (ANA-3).
//
// The same name gives the same Network on every machine and library: the
// numbers come from a seeded splitmix64 (sim/physics/rng.h) and are shaped
// with + - * / floor and sqrt only, which IEEE 754 rounds the same
// everywhere; no std:: distribution and no pow/log is used.
//
// Two layouts, each with a heat source pumped from a low reservoir and a
// second source behind a control valve:
//   grid  a looped city network: junctions on a square grid, trunk mains
//         every tenth row and column, pipes of 100-250 mm between them;
//         a pump (one-point curve) at one corner, a PRV from a high
//         reservoir at the far corner, a plain pipe from a third reservoir
//         in the middle and a TCV inside the grid.
//   tree  a branched network: each junction hangs off a random earlier
//         one, every pipe sized for the demand downstream of it (about
//         1.2 m/s at most); a pump with a three-point curve at the root, a
//         booster pump and a PRV each feeding one branch, a check valve on a
//         leaf, and an FCV from a second reservoir closing one loop.
// Lengths 20-200 m, elevations 0-25 m, demands 0.02-0.15 L/s per junction
// (none at a tenth of the grid's; every tree junction draws water),
// Darcy-Weisbach roughness 0.02-0.1 mm (viscosity of water at 70 °C) or
// Hazen-Williams C 100-140.
//
// A name reads "<layout>-<formula>-<nodes>", e.g. "grid-dw-10000" or
// "tree-hw-1000": formula dw or hw, nodes the total count with the fixed
// heads, at least 20. Seed 1.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "heat/analysis/hydraulics.h"
#include "heat/core/status.h"

namespace heat::analysis {

enum class GeneratedLayout { kGrid, kTree };

struct GenerateSpec {
  GeneratedLayout layout = GeneratedLayout::kGrid;
  HeadlossFormula formula = HeadlossFormula::kDarcyWeisbach;
  int nodes = 1000;  // junctions and reservoirs together
  uint64_t seed = 1;
};

// kUsage for fewer than 20 nodes or more than 10,000,000, or a formula
// other than Hazen-Williams and Darcy-Weisbach.
Result<Network> GenerateNetwork(const GenerateSpec& spec);

// "grid-dw-10000" → {kGrid, kDarcyWeisbach, 10000, seed 1}; kUsage naming
// the text otherwise.
Result<GenerateSpec> ParseGeneratedName(std::string_view name);

// The name ParseGeneratedName reads back (the seed is not part of it).
std::string GeneratedName(const GenerateSpec& spec);

}  // namespace heat::analysis
