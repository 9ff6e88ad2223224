// heatctl import FILE and heatctl export (SYS-3, SYS-4, ARC-3, ARC-4): the
// whole network as one YAML file, and the map layers as GeoJSON. The file
// format and the import semantics are in network/yaml_io.h and heatctl(1).
#include <iostream>
#include <sstream>

#include "heat/core/file.h"
#include "heat/ctl/commands.h"
#include "heat/network/yaml_io.h"

namespace heat::ctl {
namespace {

struct ImportArgs {
  std::string file;
  bool dry_run = false;
  bool prune = false;
};

struct ExportArgs {
  std::string as = "yaml";
  std::string output;
};

// A whole file, or standard input for "-".
Result<std::string> ReadAll(const std::string& path) {
  std::ostringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  return ReadRegularFile(path, 64u << 20, "split the file");
}

Status WriteAll(cli::Context& ctx, const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    ctx.out() << text;
    return Status::Ok();
  }
  return WriteFileAtomically(path, text);
}

void PrintReport(cli::Context& ctx, const network::ImportReport& r) {
  for (const auto& line : r.changes) ctx.out() << line << "\n";
  for (const auto& c : r.counts) {
    ctx.out() << c.kind->plural << ": " << c.added << " added, " << c.changed << " changed, "
              << c.unchanged << " unchanged";
    if (c.removed) ctx.out() << ", " << c.removed << " removed";
    ctx.out() << "\n";
  }
  if (r.dry_run) ctx.out() << "dry run: nothing was written\n";
  // The last line is the contract scripts rely on: "N changes".
  ctx.out() << r.total_changes() << " changes\n";
}

Status Import(cli::Context& ctx, const ImportArgs& a) {
  HEAT_ASSIGN(std::string text, ReadAll(a.file));
  HEAT_ASSIGN(auto doc, network::ParseNetworkYaml(text, a.file == "-" ? "stdin" : a.file));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(auto report, network::ApplyNetwork(*db, doc, a.dry_run, a.prune));
  PrintReport(ctx, report);
  return Status::Ok();
}

Status Export(cli::Context& ctx, const ExportArgs& a) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  Result<std::string> text = a.as == "geojson" ? network::ExportGeoJson(*db)
                                               : network::ExportNetworkYaml(*db);
  if (!text.ok()) return text.status();
  return WriteAll(ctx, a.output, *text);
}

}  // namespace

std::vector<cli::Command> ExchangeCommands() {
  return {
      {"import", "add and update base information from a YAML file (heatctl export writes one)",
       "SYS-3 ARC-3",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<ImportArgs>();
         app.add_option("file", a->file, "the YAML file, or - for standard input")->required();
         app.add_flag("--dry-run", a->dry_run, "check and report the changes, write nothing");
         app.add_flag("--prune", a->prune,
                      "also remove visible objects of the file's kinds that it does not list");
         return [a](cli::Context& ctx) { return Import(ctx, *a); };
       },
       false},
      {"export", "write all visible base information as YAML, or the map layers as GeoJSON",
       "SYS-3 SYS-4 ARC-4",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<ExportArgs>();
         // Its own --format: yaml and geojson are no table formats. Declared
         // on the subcommand, it takes the word before the global one does.
         app.add_option("-f,--format,--as", a->as, "yaml (the import format) or geojson")
             ->check(CLI::IsMember({"yaml", "geojson"}))
             ->capture_default_str();
         app.add_option("-o,--output", a->output, "write to this file instead of standard output");
         return [a](cli::Context& ctx) { return Export(ctx, *a); };
       },
       false},
  };
}

}  // namespace heat::ctl
