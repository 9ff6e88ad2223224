#include "heat/report/run.h"

#include <filesystem>

#include "heat/core/match.h"
#include "heat/core/money.h"
#include "heat/core/text.h"

namespace heat::report {
namespace fs = std::filesystem;

std::vector<std::string> SplitDirs(const std::string& dirs) {
  std::vector<std::string> out;
  for (auto& d : Split(dirs, ':'))
    if (!Trim(d).empty()) out.push_back(Trim(d));
  return out;
}

std::map<std::string, std::string> ListDefs(const std::vector<std::string>& dirs) {
  std::map<std::string, std::string> out;
  for (const auto& dir : dirs) {
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const fs::path& p = it->path();
      if (p.extension() != ".yaml" || !it->is_regular_file(ec)) continue;
      out.emplace(p.stem().string(), p.string());  // emplace keeps the first folder's
    }
  }
  return out;
}

Result<Def> FindDef(const std::vector<std::string>& dirs, const std::string& name) {
  auto defs = ListDefs(dirs);
  auto it = defs.find(name);
  if (it != defs.end()) return LoadDef(it->second);
  std::vector<std::string> names;
  for (const auto& [n, _] : defs) names.push_back(n);
  auto s = Suggest(name, names);
  std::string msg = "no report '" + name + "'";
  if (!s.empty()) msg += "; did you mean '" + s[0] + "'?";
  return Status::NotFound(msg + " See 'reportgen list'.");
}

namespace {

Result<std::string> CheckValue(const Param& p, const std::string& v, const Date& today) {
  switch (p.type) {
    case ParamType::kDate: {
      if (v == "today") return FormatDate(today);
      if (v == "yesterday") return FormatDate(AddDays(today, -1));
      HEAT_ASSIGN(Date d, ParseDate(v));
      return FormatDate(d);
    }
    case ParamType::kInt: {
      bool neg = !v.empty() && v[0] == '-';
      if (!IsAsciiDigits(neg ? v.substr(1) : v) || v.size() > 18) return Status::Usage("'" + v + "' is not a whole number");
      return v;
    }
    case ParamType::kMoney: {
      HEAT_ASSIGN(Fen f, ParseYuan(v));
      return std::to_string(f);
    }
    case ParamType::kText:
    case ParamType::kOrg: return v;
  }
  return v;
}

}  // namespace

Result<db::Params> BindParams(const Def& def, const std::map<std::string, std::string>& given, const Date& today) {
  for (const auto& [name, _] : given) {
    bool known = false;
    for (const auto& p : def.params) known = known || p.name == name;
    if (!known) {
      std::string takes;
      for (const auto& p : def.params) takes += (takes.empty() ? "" : ", ") + p.name;
      return Status::Usage("report " + def.name + " takes no parameter '" + name + "' (it takes: " +
                           (takes.empty() ? "none" : takes) + ")");
    }
  }
  db::Params out;
  for (const auto& p : def.params) {
    auto it = given.find(p.name);
    std::string v = it != given.end() ? it->second : p.default_value;
    if (v.empty() && p.type == ParamType::kDate) v = "today";
    if (v.empty() && p.required) return Status::Usage("report " + def.name + " needs the parameter '" + p.name + "'");
    if (v.empty() && p.type != ParamType::kText && p.type != ParamType::kOrg) {
      out.push_back(std::nullopt);
      continue;
    }
    auto checked = CheckValue(p, v, today);
    if (!checked.ok()) return checked.status().With(p.name);
    out.push_back(*checked);
  }
  return out;
}

std::string ParamText(const Def& def, const db::Params& bound, const std::string& name) {
  for (size_t i = 0; i < def.params.size() && i < bound.size(); ++i)
    if (def.params[i].name == name) return bound[i].value_or("");
  return "";
}

Result<Data> Execute(db::Conn& db, const Def& def, const db::Params& bound) {
  HEAT_TRY(db.Exec("BEGIN TRANSACTION READ ONLY"));
  auto rows = db.Query(def.sql, bound);
  Status end = db.Exec("ROLLBACK");
  if (!rows.ok()) return rows.status().With(def.file);
  HEAT_TRY(end);
  Data d;
  for (int c = 0; c < rows->columns(); ++c) d.names.push_back(rows->column_name(c));
  d.rows.reserve(rows->size());
  for (int r = 0; r < rows->size(); ++r) {
    std::vector<Cell> row;
    row.reserve(d.names.size());
    for (int c = 0; c < rows->columns(); ++c)
      row.push_back(rows->is_null(r, c) ? Cell() : Cell(rows->get(r, c)));
    d.rows.push_back(std::move(row));
  }
  return d;
}

}  // namespace heat::report
