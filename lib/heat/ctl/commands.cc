#include "heat/ctl/commands.h"

namespace heat::ctl {

std::vector<cli::Command> HeatctlCommands() {
  std::vector<cli::Command> all;
  for (auto part : {DbCommands, ExchangeCommands, ObjectCommands, UserCommands, LogCommands}) {
    auto rows = part();
    all.insert(all.end(), rows.begin(), rows.end());
  }
  return all;
}

}  // namespace heat::ctl
