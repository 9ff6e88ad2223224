// reportgen list|show|run: the reports of report.dirs, one at a time.
#include "heat/reportgen/commands.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "heat/core/file.h"
#include "heat/core/money.h"
#include "heat/core/sheet.h"
#include "heat/report/run.h"

namespace heat::reportgen {
namespace {

using K = cli::Cell::Kind;

std::vector<std::string> Dirs(cli::Context& ctx) { return report::SplitDirs(ctx.config().str("report.dirs")); }

cli::Cell Text(const std::string& s) { return {s, K::kString}; }

Status List(cli::Context& ctx) {
  cli::Table t;
  t.columns = {"name", "title", "reqs", "file"};
  for (const auto& [name, path] : report::ListDefs(Dirs(ctx))) {
    auto d = report::LoadDef(path);
    if (!d.ok()) {  // listed with its error, so a broken file is noticed
      t.Add({Text(name), Text("(" + d.status().message() + ")"), Text(""), Text(path)});
      continue;
    }
    t.Add({Text(name), Text(d->title), Text(d->reqs), Text(path)});
  }
  cli::Print(t, ctx.format, ctx.out());
  return Status::Ok();
}

Status Show(cli::Context& ctx, const std::string& name) {
  HEAT_ASSIGN(report::Def d, report::FindDef(Dirs(ctx), name));
  cli::PrintRecord({{"name", Text(d.name)}, {"title", Text(d.title)}, {"reqs", Text(d.reqs)},
                    {"file", Text(d.file)}, {"description", Text(d.description)},
                    {"chart", Text(d.chart.kind.empty() ? "-" : d.chart.kind)},
                    {"notice", Text(d.notice_template.empty() ? "-" : d.notice_template)}},
                   ctx.format, ctx.out());
  cli::Table p;
  p.columns = {"parameter", "type", "default", "required", "doc"};
  for (const auto& x : d.params)
    p.Add({Text(x.name), Text(report::ParamTypeName(x.type)), Text(x.default_value),
           Text(x.required ? "yes" : "no"), Text(x.doc)});
  cli::Table c;
  c.columns = {"column", "title", "type", "total"};
  for (const auto& x : d.columns) c.Add({Text(x.name), Text(x.title), Text(report::ColTypeName(x.type)), Text(x.total)});
  if (ctx.format == cli::Format::kTable) ctx.out() << "\n";
  cli::Print(p, ctx.format, ctx.out());
  if (ctx.format == cli::Format::kTable) ctx.out() << "\n";
  cli::Print(c, ctx.format, ctx.out());
  return Status::Ok();
}

std::string ParamsLine(const report::Def& d, const db::Params& bound) {
  std::string out;
  for (size_t i = 0; i < d.params.size(); ++i) {
    const auto& p = d.params[i];
    std::string v = bound[i].value_or("");
    if (p.type == report::ParamType::kMoney && bound[i]) v = FormatYuan(std::stoll(*bound[i]));
    if (v.empty()) v = p.type == report::ParamType::kOrg ? "全部" : p.name == "season" ? "当前" : "-";
    out += (out.empty() ? "" : "，") + (p.doc.empty() ? p.name : p.doc) + " " + v;
  }
  return out;
}

void PrintTable(cli::Context& ctx, const report::Laid& laid) {
  cli::Table t;
  t.columns = laid.titles;
  for (const auto& row : laid.rows) {
    std::vector<cli::Cell> cells;
    for (size_t c = 0; c < row.cells.size(); ++c) {
      bool num = laid.types[c] != report::ColType::kText && laid.types[c] != report::ColType::kDate &&
                 laid.types[c] != report::ColType::kPercent && row.kind == report::RowKind::kData;
      cells.push_back({row.cells[c], num ? K::kNumber : K::kString});
    }
    t.Add(std::move(cells));
  }
  cli::Print(t, ctx.format, ctx.out());
}

Result<std::string> Notices(const report::Def& d, const report::Data& data, const std::string& override_path,
                            const report::Meta& meta) {
  std::string path = override_path;
  if (path.empty()) {
    if (d.notice_template.empty()) return Status::Usage("report " + d.name + " has no notice template");
    path = (std::filesystem::path(d.file).parent_path() / d.notice_template).string();
  }
  HEAT_ASSIGN(std::string tmpl, ReadRegularFile(path, 1u << 20, "a template is small"));
  auto pdf = report::RenderNotices(d, data, tmpl, meta);
  if (!pdf.ok()) return pdf.status().With(path);
  return pdf;
}

struct RunArgs {
  RunRequest req;
  std::string date, from, to, org, building, season, min_arrears, out;
  std::vector<std::string> params;
};

// The typed options and --param NAME=VALUE into one map of values.
Result<std::map<std::string, std::string>> Given(const RunArgs& a) {
  std::map<std::string, std::string> g;
  if (!a.date.empty() && (!a.from.empty() || !a.to.empty())) return Status::Usage("--date or --from/--to, not both");
  if (!a.date.empty()) g["from"] = g["to"] = a.date;
  if (!a.from.empty()) g["from"] = a.from;
  if (!a.to.empty()) g["to"] = a.to;
  if (!a.from.empty() && a.to.empty()) g["to"] = "today";
  for (auto [k, v] : {std::pair{"org", &a.org}, {"building", &a.building}, {"season", &a.season},
                      {"min_arrears", &a.min_arrears}})
    if (!v->empty()) g[k] = *v;
  for (const auto& kv : a.params) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) return Status::Usage("--param " + kv + ": expected NAME=VALUE");
    g[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return g;
}

// The output format: --format, else the -o file's extension, else table.
std::string FormatOf(const cli::Context& ctx, const std::string& out) {
  if (!ctx.other_format.empty()) return ctx.other_format;
  if (ctx.format == cli::Format::kCsv) return "csv";
  if (ctx.format == cli::Format::kJson) return "json";
  std::string ext = std::filesystem::path(out).extension().string();
  if (ext == ".pdf" || ext == ".xlsx" || ext == ".csv") return ext.substr(1);
  return "table";
}

Status Run(cli::Context& ctx, RunArgs& a) {
  HEAT_ASSIGN(a.req.given, Given(a));
  a.req.format = FormatOf(ctx, a.out);
  if (a.out.empty() && (a.req.format == "pdf" || a.req.format == "xlsx") && isatty(1))
    return Status::Usage("--format " + a.req.format + " writes binary data: name a file with -o FILE or redirect stdout");
  return RunAndWrite(ctx, a.req, a.out);
}

cli::Command RunRow() {
  return {"run", "run a report: table, csv, json, pdf or xlsx", "ANA-9 BIL-19 BIL-20 BIL-22",
          [](CLI::App& app) -> cli::Runner {
            auto a = std::make_shared<RunArgs>();
            app.add_option("name", a->req.name, "the report (reportgen list)")->required();
            app.add_option("--date", a->date, "one day, YYYY-MM-DD, today or yesterday (default today)");
            app.add_option("--from", a->from, "first day of the period");
            app.add_option("--to", a->to, "last day of the period (default today)");
            app.add_option("--org", a->org, "only this org unit and those below it (narrows your scope)");
            app.add_option("--building", a->building, "a building as COMMUNITY/BUILDING, e.g. 幸福小区/1号楼");
            app.add_option("--season", a->season, "a billing season, e.g. 2026-2027 (default the current one)");
            app.add_option("--min-arrears", a->min_arrears, "only households owing at least this many yuan");
            app.add_option("--param", a->params, "NAME=VALUE for a parameter of the report (repeatable)");
            app.add_option("--template", a->req.template_path, "a mustache template for the notices");
            app.add_option("-o,--output", a->out, "write to FILE (atomically) instead of stdout");
            return [a](cli::Context& ctx) { return Run(ctx, *a); };
          },
          true, {"pdf", "xlsx"}};
}

}  // namespace

Result<std::pair<Date, std::string>> Now(cli::Context& ctx) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(db::Rows r, db->Query("SELECT to_char(now(), 'YYYY-MM-DD'), to_char(now(), 'YYYY-MM-DD HH24:MI:SS')"));
  HEAT_ASSIGN(Date today, ParseDate(r.get(0, 0)));
  return std::pair{today, r.get(0, 1)};
}

Result<std::string> RunReport(cli::Context& ctx, const RunRequest& req) {
  HEAT_ASSIGN(report::Def d, report::FindDef(Dirs(ctx), req.name));
  HEAT_ASSIGN(auto now, Now(ctx));
  std::map<std::string, std::string> given = req.given;
  if (req.only_taken)
    std::erase_if(given, [&](const auto& kv) {
      return std::ranges::none_of(d.params, [&](const report::Param& p) { return p.name == kv.first; });
    });
  HEAT_ASSIGN(db::Params bound, report::BindParams(d, given, now.first));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(report::Data data, report::Execute(*db, d, bound));
  report::Meta meta{d.title, ParamsLine(d, bound), now.second, ctx.config().str("site.company"),
                    report::ParamText(d, bound, "building")};
  if (req.format == "pdf" && (!d.notice_template.empty() || !req.template_path.empty()))
    return Notices(d, data, req.template_path, meta);
  HEAT_ASSIGN(report::Laid laid, report::Lay(d, data));
  if (req.format == "pdf") return report::RenderPdf(d, laid, data, meta);
  if (req.format == "xlsx") return report::RenderXlsx(laid, meta);
  if (req.format == "csv") return report::RenderCsv(laid);
  PrintTable(ctx, laid);
  return std::string();
}

Status RunAndWrite(cli::Context& ctx, const RunRequest& req, const std::string& path) {
  HEAT_ASSIGN(std::string bytes, RunReport(ctx, req));
  if (path.empty() || path == "-") {
    ctx.out() << bytes;
    return Status::Ok();
  }
  if (req.format == "table" || req.format == "json") return Status::Usage("-o: write csv, pdf or xlsx to a file");
  if (req.format == "csv") {
    HEAT_ASSIGN(Sheet s, ParseCsv(bytes));
    return WriteSheet(path, s);
  }
  return WriteFileAtomically(path, bytes);
}

std::vector<cli::Command> ReportgenCommands() {
  std::vector<cli::Command> t = {
      {"list", "the reports of report.dirs: name, title, requirement IDs, file", "ANA-9",
       [](CLI::App&) -> cli::Runner { return [](cli::Context& ctx) { return List(ctx); }; }},
      {"show", "one report's definition: parameters and columns", "ANA-9",
       [](CLI::App& app) -> cli::Runner {
         auto name = std::make_shared<std::string>();
         app.add_option("name", *name, "the report")->required();
         return [name](cli::Context& ctx) { return Show(ctx, *name); };
       }},
      RunRow(),
  };
  for (auto& c : NightlyCommands()) t.push_back(std::move(c));
  return t;
}

}  // namespace heat::reportgen
