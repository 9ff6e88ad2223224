// heatctl network import-inp|export-inp (ANA-3, ARC-1, ARC-4): a
// network's hydraulic model from and to EPANET's .inp format, so a model
// drawn in EPANET (or exported by another tool) becomes the network's base
// information, and the stored model can be checked in EPANET. The model
// itself lives in heat.pipe_node/heat.pipe_link (lib/sql 0039); the YAML
// sections pipe_nodes/pipe_links carry it too (network/yaml_pipes.cc).
#include "heat/analysis/inp.h"
#include "heat/core/file.h"
#include "heat/ctl/commands.h"
#include "heat/network/pipe_model.h"

namespace heat::ctl {
namespace {

struct ImportArgs {
  std::string file, network;
  bool replace = false;
};

struct ExportArgs {
  std::string network, output;
};

Status ImportInp(cli::Context& ctx, const ImportArgs& a) {
  HEAT_ASSIGN(std::string text, ReadRegularFile(a.file, 64u << 20, "split the network"));
  auto inp = analysis::ReadInp(text);
  if (!inp.ok()) return inp.status().With(a.file);
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  auto rep = network::StorePipeModel(*db, a.network, inp->network, a.replace);
  if (!rep.ok()) return rep.status().With(a.file + " -> network " + a.network + ": nothing stored");
  if (rep->removed_nodes > 0)
    ctx.out() << "replaced the model of " << a.network << " (" << rep->removed_nodes << " nodes, "
              << rep->removed_links << " links)\n";
  ctx.out() << "network " << a.network << ": " << rep->nodes << " nodes, " << rep->links << " links stored\n"
            << "coordinates: " << rep->coordinates << "\n";
  return Status::Ok();
}

Status ExportInp(cli::Context& ctx, const ExportArgs& a) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(auto model, network::LoadPipeModel(*db, a.network));
  std::string text = analysis::WriteInp(model.net);
  if (a.output.empty() || a.output == "-") {
    ctx.out() << text;
    return Status::Ok();
  }
  return WriteFileAtomically(a.output, text);
}

}  // namespace

std::vector<cli::Command> NetworkModelCommands() {
  return {
      {"network import-inp", "store an EPANET .inp file as a network's hydraulic model", "ANA-3 ARC-1",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<ImportArgs>();
         app.add_option("file", a->file, "the EPANET .inp file")->required();
         app.add_option("--network", a->network, "the network whose model it is (its code)")->required();
         app.add_flag("--replace", a->replace, "replace the network's existing model");
         return [a](cli::Context& ctx) { return ImportInp(ctx, *a); };
       },
       false},
      {"network export-inp", "write a network's hydraulic model as an EPANET .inp file", "ANA-3 ARC-4",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<ExportArgs>();
         app.add_option("network", a->network, "the network's code")->required();
         app.add_option("-o,--output", a->output, "write to this file instead of standard output");
         return [a](cli::Context& ctx) { return ExportInp(ctx, *a); };
       },
       false},
  };
}

}  // namespace heat::ctl
