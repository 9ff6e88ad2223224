// heatctl <kind> list|show|add|set|rm for every kind of base information
// (SYS-3, ARC-3), generated from network/kinds.h.
#include <nlohmann/json.hpp>

#include "heat/ctl/commands.h"
#include "heat/network/store.h"

namespace heat::ctl {
namespace {

using network::Field;
using network::FieldType;
using network::Kind;
using network::Values;

// Table format shows the kind's list columns; csv and json show every field.
std::vector<std::string> Columns(const Kind& kind, cli::Format format) {
  std::vector<std::string> cols;
  if (format == cli::Format::kTable) {
    for (const char* k : kind.list_keys) cols.push_back(k);
  } else {
    cols.push_back("code");
    for (const auto& f : kind.fields) cols.push_back(f.key);
  }
  return cols;
}

Status List(cli::Context& ctx, const Kind& kind, const std::vector<std::string>& filters) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  std::string where;
  db::Params params;
  for (const auto& w : filters) {
    auto eq = w.find('=');
    std::string key = w.substr(0, eq);
    if (eq == std::string::npos || (key != "code" && !network::FindField(kind, key)))
      return Status::Usage("filter '" + w + "': expected FIELD=VALUE with a field of " + kind.label);
    params.push_back(w.substr(eq + 1));
    where += (where.empty() ? "" : " AND ") + std::string("q.") + key + " = $" +
             std::to_string(params.size());
  }
  HEAT_ASSIGN(auto rows, network::LoadAll(*db, kind, where, params));
  cli::Table t;
  t.columns = Columns(kind, ctx.format);
  for (const auto& v : rows) {
    std::vector<cli::Cell> cells;
    for (const auto& c : t.columns) cells.push_back(CellFor(network::FindField(kind, c), v.at(c)));
    t.Add(std::move(cells));
  }
  cli::Print(t, ctx.format, ctx.out());
  return Status::Ok();
}

// Latest values of a station's own points, for `station show` (MON-4).
Result<nlohmann::json> StationLatest(db::Conn& db, const std::string& code) {
  HEAT_ASSIGN(db::Rows r, db.Query(
      "SELECT tag, value, unit, to_char(ts, 'YYYY-MM-DD HH24:MI:SS') AS ts, age_s FROM api.latest "
      "WHERE station = $1 AND building IS NULL ORDER BY tag", {code}));
  nlohmann::json out = nlohmann::json::array();
  for (int i = 0; i < r.size(); ++i)
    out.push_back({{"tag", r.get(i, "tag")}, {"value", std::stod(r.get(i, "value"))},
                   {"unit", r.get(i, "unit")}, {"ts", r.get(i, "ts")},
                   {"age_s", r.get_int(i, "age_s")}});
  return out;
}

Status Show(cli::Context& ctx, const Kind& kind, const std::string& code) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(Values v, network::LoadOne(*db, kind, code));
  std::vector<std::pair<std::string, cli::Cell>> rec;
  rec.emplace_back("code", CellFor(nullptr, v.at("code")));
  for (const auto& f : kind.fields) rec.emplace_back(f.key, CellFor(&f, v.at(f.key)));
  if (std::string(kind.table) != "station") {
    cli::PrintRecord(rec, ctx.format, ctx.out());
    return Status::Ok();
  }
  HEAT_ASSIGN(nlohmann::json latest, StationLatest(*db, code));
  if (ctx.format != cli::Format::kTable) {
    rec.emplace_back("latest", cli::Cell{latest.dump(), cli::Cell::kJson});
    cli::PrintRecord(rec, ctx.format, ctx.out());
    return Status::Ok();
  }
  // On a terminal: the record, then its latest values as a table.
  cli::PrintRecord(rec, ctx.format, ctx.out());
  cli::Table t;
  t.columns = {"tag", "value", "unit", "ts", "age_s"};
  for (const auto& v : latest)
    t.Add({cli::Cell{v["tag"].get<std::string>()}, cli::Cell{v["value"].dump(), cli::Cell::kNumber},
           cli::Cell{v["unit"].get<std::string>()}, cli::Cell{v["ts"].get<std::string>()},
           cli::Cell{v["age_s"].dump(), cli::Cell::kInt}});
  ctx.out() << "\nlatest values (" << latest.size() << "):\n";
  if (!latest.empty()) cli::Print(t, ctx.format, ctx.out());
  return Status::Ok();
}

Status Add(cli::Context& ctx, const Kind& kind, const std::string& code,
           const std::vector<std::string>& words) {
  HEAT_ASSIGN(Values v, network::ParseAssignments(kind, words));
  HEAT_ASSIGN(auto c, network::Canonical({"code", "code", FieldType::kCode, true}, code));
  v["code"] = c;
  HEAT_ASSIGN(v, network::Complete(kind, std::move(v)));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_TRY(network::Insert(*db, kind, v));
  ctx.out() << "added " << kind.label << " " << code << "\n";
  return Status::Ok();
}

Status Set(cli::Context& ctx, const Kind& kind, const std::string& code,
           const std::vector<std::string>& words) {
  if (words.empty()) return Status::Usage("nothing to set: give FIELD=VALUE ...");
  HEAT_ASSIGN(Values v, network::ParseAssignments(kind, words));
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_TRY(network::Update(*db, kind, code, v));
  ctx.out() << "updated " << kind.label << " " << code << "\n";
  return Status::Ok();
}

Status Rm(cli::Context& ctx, const Kind& kind, const std::string& code) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_TRY(network::Remove(*db, kind, code));
  ctx.out() << "removed " << kind.label << " " << code << "\n";
  return Status::Ok();
}

std::string FieldHelp(const Kind& kind) {
  std::string s = "fields:";
  for (const auto& f : kind.fields) s += std::string(" ") + f.key + (f.required ? "*" : "");
  return s + " (* required on add)";
}

void AddKindCommands(std::vector<cli::Command>& out, const Kind& kind) {
  const std::string n = kind.name;
  const Kind* k = &kind;
  out.push_back({n + " list", std::string("list ") + kind.plural + ", filtered by FIELD=VALUE", "SYS-3",
                 [k](CLI::App& app) {
                   auto filters = std::make_shared<std::vector<std::string>>();
                   app.add_option("filters", *filters, "FIELD=VALUE conditions, all must hold");
                   return [k, filters](cli::Context& ctx) { return List(ctx, *k, *filters); };
                 }});
  out.push_back({n + " show", std::string("show one ") + kind.label, "SYS-3", [k](CLI::App& app) {
                   auto code = std::make_shared<std::string>();
                   app.add_option("code", *code, "its code")->required();
                   return [k, code](cli::Context& ctx) { return Show(ctx, *k, *code); };
                 }});
  out.push_back({n + " add", std::string("add a ") + kind.label, "SYS-3 ARC-3", [k](CLI::App& app) {
                   auto code = std::make_shared<std::string>();
                   auto words = std::make_shared<std::vector<std::string>>();
                   app.add_option("code", *code, "its code")->required();
                   app.add_option("fields", *words, FieldHelp(*k));
                   app.footer(FieldHelp(*k));
                   return [k, code, words](cli::Context& ctx) { return Add(ctx, *k, *code, *words); };
                 }, false});
  out.push_back({n + " set", std::string("change fields of a ") + kind.label, "SYS-3",
                 [k](CLI::App& app) {
                   auto code = std::make_shared<std::string>();
                   auto words = std::make_shared<std::vector<std::string>>();
                   app.add_option("code", *code, "its code")->required();
                   app.add_option("fields", *words, "FIELD=VALUE ...; FIELD= clears")->required();
                   app.footer(FieldHelp(*k));
                   return [k, code, words](cli::Context& ctx) { return Set(ctx, *k, *code, *words); };
                 }, false});
  out.push_back({n + " rm", std::string("remove a ") + kind.label, "SYS-3", [k](CLI::App& app) {
                   auto code = std::make_shared<std::string>();
                   app.add_option("code", *code, "its code")->required();
                   return [k, code](cli::Context& ctx) { return Rm(ctx, *k, *code); };
                 }, false});
}

}  // namespace

cli::Cell CellFor(const Field* f, const network::Value& v) {
  auto kind = cli::Cell::kString;
  if (f != nullptr) {
    switch (f->type) {
      case FieldType::kInt: kind = cli::Cell::kInt; break;
      case FieldType::kDecimal: case FieldType::kDouble: kind = cli::Cell::kNumber; break;
      case FieldType::kJson: kind = cli::Cell::kJson; break;
      default: break;
    }
  }
  return cli::Cell{v, kind};
}

std::vector<cli::Command> ObjectCommands() {
  std::vector<cli::Command> out;
  for (const auto& k : network::Kinds()) AddKindCommands(out, k);
  return out;
}

}  // namespace heat::ctl
