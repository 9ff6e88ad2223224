// cli/command.h — subcommands from one table (dispatch, help, "did you mean").
//
// A tool is a list of Command rows. Each row names a path of words
// ("station list"), a one-line summary, the requirement IDs it serves, and a
// build function that declares its options on a CLI11 App and returns the
// function that runs it. From that one table come: parsing, `TOOL --help`,
// `TOOL help station list`, group listings (`TOOL station`), and suggestions
// for mistyped words. Every tool shares the global options --format,
// --config and --check-config, and the exit codes of core/status.h.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "heat/cli/format.h"
#include "heat/core/config.h"
#include "heat/core/status.h"
#include "heat/db/conn.h"

namespace heat::cli {

// What a running command may use. The database is opened on first use, as
// the person running the tool (libpq environment or db.conninfo); a
// connection found gone on a later use is connected again (db::Conn::Reset).
class Context {
 public:
  Context(std::string program, std::ostream& out, std::ostream& err)
      : program_(std::move(program)), out_(out), err_(err) {}
  Format format = Format::kTable;
  // A format only the running command knows (one of its Command::
  // more_formats, e.g. "svg"); empty for table, csv and json.
  std::string other_format;
  std::string config_path;

  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }
  const std::string& program() const { return program_; }
  Result<db::Conn*> Db();
  const Config& config();
  Status LoadConfig(bool explicit_path);

 private:
  std::string program_;
  std::ostream& out_;
  std::ostream& err_;
  std::optional<Config> config_;
  std::unique_ptr<db::Conn> db_;
};

using Runner = std::function<Status(Context&)>;

struct Command {
  std::string path;     // words, space separated: "station list"
  std::string summary;  // one line, no final period
  std::string reqs;     // requirement IDs, e.g. "SYS-3 ARC-3"; may be empty
  std::function<Runner(CLI::App&)> build;
  bool uses_format = true;  // --format applies to its output
  std::vector<std::string> more_formats = {};  // --format values beyond table|csv|json
};

// Parses argv against the table, runs the chosen command and returns the
// process exit code. Errors are printed to err as "PROGRAM: message".
int Run(const std::string& program, const std::string& about, const std::vector<Command>& table,
        int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace heat::cli
