// billctl — heating-fee billing from a shell: seasons, tariffs, houses,
// accounts, payments, approvals. See billctl(1).
#include <iostream>

#include "heat/billctl/commands.h"
#include "heat/cli/command.h"

int main(int argc, char** argv) {
  static const auto table = heat::billctl::BillctlCommands();
  return heat::cli::Run("billctl", "billctl: heating-fee billing from a shell (see billctl(1))", table,
                        argc, argv, std::cout, std::cerr);
}
