// billctl import houses FILE.xlsx|FILE.csv (BIL-6): valid rows in one
// transaction, rejected rows to a rejects file in the same format with a
// reason column (edit it and import it again). A progress line on a
// terminal. Exit 0 when every row went in, 1 when some were rejected.
#include <unistd.h>

#include <cstdio>

#include "heat/billctl/commands.h"
#include "heat/billing/house_import.h"

namespace heat::billctl {
namespace {

struct ImportArgs {
  std::string file, rejects;
};

// FILE.csv -> FILE.rejects.csv
std::string RejectsPath(const std::string& file) {
  auto dot = file.rfind('.');
  auto slash = file.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return file + ".rejects";
  return file.substr(0, dot) + ".rejects" + file.substr(dot);
}

billing::Progress Bar(bool tty) {
  if (!tty) return {};
  return [](const char* phase, size_t done, size_t total) {
    int pct = total ? static_cast<int>(done * 100 / total) : 100;
    std::string bar(static_cast<size_t>(pct / 5), '#');
    std::fprintf(stderr, "\r%-8s [%-20s] %3d%% %zu/%zu", phase, bar.c_str(), pct, done, total);
    if (done == total) std::fputc('\n', stderr);
  };
}

Status ImportHouses(cli::Context& ctx, const ImportArgs& a) {
  HEAT_ASSIGN(Sheet sheet, ReadSheet(a.file, BadUtf8::kKeepCells));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(billing::ImportResult r, billing::ImportHouses(*db, sheet, Bar(isatty(2))));
  std::string rejects = a.rejects.empty() ? RejectsPath(a.file) : a.rejects;
  if (!r.rejects.rows.empty()) HEAT_TRY(WriteSheet(rejects, r.rejects));
  cli::PrintRecord({{"file", TextCell(a.file)}, {"rows", IntCell(static_cast<int64_t>(sheet.rows.size()))},
                    {"imported", IntCell(r.imported)},
                    {"rejected", IntCell(static_cast<int64_t>(r.rejects.rows.size()))},
                    {"rejects_file", TextCell(r.rejects.rows.empty() ? "" : rejects)}},
                   ctx.format, ctx.out());
  if (!r.rejects.rows.empty())
    return Status::Failure(std::to_string(r.rejects.rows.size()) + " rows rejected (first: " +
                           r.rejects.rows[0].back() + "); see " + rejects);
  return Status::Ok();
}

}  // namespace

std::vector<cli::Command> ImportCommands() {
  return {{"import houses", "houses, customers and cards from FILE.xlsx or FILE.csv (see billctl(1))", "BIL-6",
           [](CLI::App& app) -> cli::Runner {
             auto a = std::make_shared<ImportArgs>();
             app.add_option("file", a->file, "the spreadsheet")->required();
             app.add_option("--rejects", a->rejects, "where rejected rows go (default FILE.rejects.EXT)");
             return [a](cli::Context& ctx) { return ImportHouses(ctx, *a); };
           }}};
}

}  // namespace heat::billctl
