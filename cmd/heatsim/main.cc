// heatsim — plays field devices for demos, tests and benchmarks. See heatsim(1).
#include <iostream>

#include "heat/cli/command.h"
#include "heat/sim/commands.h"

int main(int argc, char** argv) {
  static const auto table = heat::sim::HeatsimCommands();
  return heat::cli::Run("heatsim", "heatsim: plays field devices over their real protocols (heatsim(1))", table,
                        argc, argv, std::cout, std::cerr);
}
