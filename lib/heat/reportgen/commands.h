// reportgen/commands.h — the reportgen command table (ANA-9, BIL-19,
// BIL-20, BIL-22): list, show, run and nightly over the report
// definitions of report.dirs. cmd/reportgen/main.cc hands it to cli::Run;
// reportgen(1) documents every row. The SQL runs as the login running the
// tool; the database decides what it sees.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "heat/cli/command.h"
#include "heat/core/time.h"
#include "heat/report/def.h"
#include "heat/report/output.h"

namespace heat::reportgen {

std::vector<cli::Command> ReportgenCommands();
std::vector<cli::Command> NightlyCommands();  // nightly

// One report run into the bytes of `format` (table, csv, json go to
// `ctx.out()` and return ""): shared by run and nightly. `given` are the
// parameter values as typed; `template_path` overrides a notice's.
struct RunRequest {
  std::string name, format, template_path;
  std::map<std::string, std::string> given;
  bool only_taken = false;  // drop given values the report does not take (nightly's dates)
};
Result<std::string> RunReport(cli::Context& ctx, const RunRequest& req);
// The same written to `path` ("" or "-": stdout) atomically; CSV files get
// the byte-order mark Excel needs (core/sheet.h WriteSheet).
Status RunAndWrite(cli::Context& ctx, const RunRequest& req, const std::string& path);

// The company's day and the time now there ("2026-12-07 02:00:00").
Result<std::pair<Date, std::string>> Now(cli::Context& ctx);

}  // namespace heat::reportgen
