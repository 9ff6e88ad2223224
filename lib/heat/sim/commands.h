// sim/commands.h — heatsim's subcommands as one table (cli/command.h):
// dispatch, help and "did you mean" come from it. See heatsim(1).
#pragma once

#include <vector>

#include "heat/cli/command.h"

namespace heat::sim {

std::vector<cli::Command> HeatsimCommands();

}  // namespace heat::sim
