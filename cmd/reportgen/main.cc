// reportgen — reports from the database as PDF, XLSX and CSV, run by
// people and by timers. See reportgen(1).
#include <iostream>

#include "heat/cli/command.h"
#include "heat/reportgen/commands.h"

int main(int argc, char** argv) {
  static const auto table = heat::reportgen::ReportgenCommands();
  return heat::cli::Run("reportgen", "reportgen: reports as PDF, XLSX and CSV (see reportgen(1))", table, argc, argv,
                        std::cout, std::cerr);
}
