// heatctl — base information, users, operation log and (later) monitoring
// and control of the heating network from a shell. See heatctl(1).
#include <iostream>

#include "heat/cli/command.h"
#include "heat/ctl/commands.h"

int main(int argc, char** argv) {
  static const auto table = heat::ctl::HeatctlCommands();
  return heat::cli::Run("heatctl", "heatctl: the heating network from a shell (see heatctl(1))",
                        table, argc, argv, std::cout, std::cerr);
}
