#include "heat/report/def.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>

#include "heat/core/escape.h"
#include "heat/core/file.h"
#include "heat/core/match.h"
#include "heat/core/text.h"

namespace heat::report {
namespace {

constexpr const char* kColTypes = "text|int|money|number|percent|date";
constexpr const char* kParamTypes = "date|text|int|money|org";

// Messages are "FILE:LINE: KEY: what"; every check goes through here.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}
  Status Err(const YAML::Node& at, const std::string& key, const std::string& what) const {
    return Status::Usage(file_ + ":" + std::to_string(at.Mark().line + 1) + ": " + key + ": " + what);
  }
  Status Map(const YAML::Node& n, const std::string& key) const {
    return n.IsMap() ? Status::Ok() : Err(n, key, "expected a map of keys");
  }
  // Unknown keys are errors, with the nearest known one suggested.
  Status Keys(const YAML::Node& n, const std::string& key, const std::vector<std::string>& known) const;
  Result<std::string> Str(const YAML::Node& parent, const std::string& key, const std::string& name,
                          bool required, bool multiline = false) const;
  Result<bool> Bool(const YAML::Node& parent, const std::string& key, const std::string& name) const;
  std::string Path(const std::string& parent, const std::string& name) const {
    return parent.empty() ? name : parent + "." + name;
  }

 private:
  std::string file_;
};

Status Reader::Keys(const YAML::Node& n, const std::string& key, const std::vector<std::string>& known) const {
  for (const auto& kv : n) {
    if (!kv.first.IsScalar()) return Err(kv.first, key.empty() ? "(key)" : key, "a key must be a word");
    std::string k = kv.first.Scalar();
    if (std::ranges::count(known, k)) continue;
    auto s = Suggest(k, known);
    return Err(kv.first, Path(key, k), "unknown key" + (s.empty() ? std::string() : "; did you mean '" + s[0] + "'?"));
  }
  return Status::Ok();
}

Result<std::string> Reader::Str(const YAML::Node& parent, const std::string& key, const std::string& name,
                                bool required, bool multiline) const {
  YAML::Node v = parent[name];
  if (!v) {
    if (required) return Err(parent, Path(key, name), "missing");
    return std::string();
  }
  if (!v.IsScalar()) return Err(v, Path(key, name), "expected text, not a list or map");
  if (!IsValidUtf8(v.Scalar())) return Err(v, Path(key, name), "not valid UTF-8");
  if (!multiline && FirstControl(v.Scalar()) != std::string::npos)
    return Err(v, Path(key, name), "holds a control character");
  return v.Scalar();
}

Result<bool> Reader::Bool(const YAML::Node& parent, const std::string& key, const std::string& name) const {
  HEAT_ASSIGN(std::string s, Str(parent, key, name, false));
  if (s.empty() || s == "false") return false;
  if (s == "true") return true;
  return Err(parent[name], Path(key, name), "'" + s + "' is not true or false");
}

bool IsName(const std::string& s) {
  static const std::regex re("^[a-z][a-z0-9_-]{0,62}$");
  return BoundedMatch(s, re);
}

Status ParseParams(const Reader& rd, const YAML::Node& list, Def& d) {
  if (!list) return Status::Ok();
  if (!list.IsSequence()) return rd.Err(list, "params", "expected a list of parameters");
  for (size_t i = 0; i < list.size(); ++i) {
    const YAML::Node n = list[i];
    std::string key = "params[" + std::to_string(i + 1) + "]";
    HEAT_TRY(rd.Map(n, key));
    HEAT_TRY(rd.Keys(n, key, {"name", "type", "default", "required", "doc"}));
    Param p;
    p.line = n.Mark().line + 1;
    HEAT_ASSIGN(p.name, rd.Str(n, key, "name", true));
    if (!IsName(p.name)) return rd.Err(n["name"], key + ".name", "'" + p.name + "' is not a name (a-z, 0-9, _ and -)");
    for (const auto& q : d.params)
      if (q.name == p.name) return rd.Err(n["name"], key + ".name", "'" + p.name + "' is declared twice");
    HEAT_ASSIGN(std::string type, rd.Str(n, key, "type", true));
    auto t = ParseParamType(type);
    if (!t.ok()) return rd.Err(n["type"], key + ".type", t.status().message());
    p.type = *t;
    HEAT_ASSIGN(p.default_value, rd.Str(n, key, "default", false));
    HEAT_ASSIGN(p.required, rd.Bool(n, key, "required"));
    HEAT_ASSIGN(p.doc, rd.Str(n, key, "doc", false));
    d.params.push_back(std::move(p));
  }
  return Status::Ok();
}

Status ParseTotal(const Reader& rd, const YAML::Node& n, const std::string& key, Column& c) {
  HEAT_ASSIGN(c.total, rd.Str(n, key, "total", false));
  if (c.total.empty() || c.total == "count") return Status::Ok();
  if (c.total == "sum") {
    if (c.type == ColType::kInt || c.type == ColType::kMoney || c.type == ColType::kNumber) return Status::Ok();
    return rd.Err(n["total"], key + ".total", "sum needs an int, money or number column, not " +
                                                  std::string(ColTypeName(c.type)));
  }
  static const std::regex ratio(R"(^ratio\(([a-z][a-z0-9_]*), *([a-z][a-z0-9_]*)\)$)");
  std::smatch m;
  if (!BoundedMatch(c.total, m, ratio))
    return rd.Err(n["total"], key + ".total", "'" + c.total + "' is not one of sum, count, ratio(NUM, DEN)");
  if (c.type != ColType::kPercent) return rd.Err(n["total"], key + ".total", "ratio needs a percent column");
  c.ratio_num = m[1];
  c.ratio_den = m[2];
  return Status::Ok();
}

Status ParseColumn(const Reader& rd, const YAML::Node& n, const std::string& key, Column& c) {
  HEAT_TRY(rd.Map(n, key));
  HEAT_TRY(rd.Keys(n, key, {"name", "title", "type", "total", "decimals"}));
  c.line = n.Mark().line + 1;
  HEAT_ASSIGN(c.name, rd.Str(n, key, "name", true));
  static const std::regex re("^[a-z_][a-z0-9_]{0,62}$");
  if (!BoundedMatch(c.name, re)) return rd.Err(n["name"], key + ".name", "'" + c.name + "' is not a SQL column name (a-z, 0-9, _)");
  HEAT_ASSIGN(c.title, rd.Str(n, key, "title", false));
  if (c.title.empty()) c.title = c.name;
  HEAT_ASSIGN(std::string type, rd.Str(n, key, "type", true));
  auto t = ParseColType(type);
  if (!t.ok()) return rd.Err(n["type"], key + ".type", t.status().message());
  c.type = *t;
  HEAT_ASSIGN(std::string dec, rd.Str(n, key, "decimals", false));
  if (!dec.empty()) {
    if (dec.size() != 1 || dec[0] < '0' || dec[0] > '6')
      return rd.Err(n["decimals"], key + ".decimals", "'" + dec + "' is not 0..6");
    if (c.type != ColType::kNumber && c.type != ColType::kPercent)
      return rd.Err(n["decimals"], key + ".decimals", "only number and percent columns have decimals");
    c.decimals = dec[0] - '0';
  }
  return ParseTotal(rd, n, key, c);
}

Status ParseColumns(const Reader& rd, const YAML::Node& root, Def& d) {
  const YAML::Node list = root["columns"];
  if (!list) return rd.Err(root, "columns", "missing");
  if (!list.IsSequence() || list.size() == 0) return rd.Err(list, "columns", "expected a list of at least one column");
  for (size_t i = 0; i < list.size(); ++i) {
    Column c;
    std::string key = "columns[" + std::to_string(i + 1) + "]";
    HEAT_TRY(ParseColumn(rd, list[i], key, c));
    for (const auto& o : d.columns)
      if (o.name == c.name) return rd.Err(list[i]["name"], key + ".name", "'" + c.name + "' is listed twice");
    d.columns.push_back(std::move(c));
  }
  return Status::Ok();
}

const Column* FindColumn(const Def& d, const std::string& name) {
  for (const auto& c : d.columns)
    if (c.name == name) return &c;
  return nullptr;
}

// Names one column of the definition: an error unless it is listed.
Status KnownColumn(const Reader& rd, const Def& d, const YAML::Node& at, const std::string& key,
                   const std::string& name) {
  if (FindColumn(d, name)) return Status::Ok();
  std::vector<std::string> names;
  for (const auto& c : d.columns) names.push_back(c.name);
  auto s = Suggest(name, names);
  return rd.Err(at, key, "'" + name + "' is not one of the columns" +
                             (s.empty() ? std::string() : "; did you mean '" + s[0] + "'?"));
}

Status ParseChart(const Reader& rd, const YAML::Node& n, Def& d) {
  if (!n) return Status::Ok();
  HEAT_TRY(rd.Map(n, "chart"));
  HEAT_TRY(rd.Keys(n, "chart", {"kind", "title", "category", "series", "stacked"}));
  Chart& c = d.chart;
  HEAT_ASSIGN(c.kind, rd.Str(n, "chart", "kind", true));
  if (c.kind != "bar" && c.kind != "share" && c.kind != "building_map")
    return rd.Err(n["kind"], "chart.kind", "'" + c.kind + "' is not one of bar|share|building_map");
  HEAT_ASSIGN(c.title, rd.Str(n, "chart", "title", false));
  HEAT_ASSIGN(c.stacked, rd.Bool(n, "chart", "stacked"));
  if (c.kind == "building_map") return Status::Ok();
  HEAT_ASSIGN(c.category, rd.Str(n, "chart", "category", true));
  HEAT_TRY(KnownColumn(rd, d, n["category"], "chart.category", c.category));
  const YAML::Node s = n["series"];
  if (!s || !s.IsSequence() || s.size() == 0) return rd.Err(s ? s : n, "chart.series", "expected a list of columns");
  for (size_t i = 0; i < s.size(); ++i) {
    std::string key = "chart.series[" + std::to_string(i + 1) + "]";
    if (!s[i].IsScalar()) return rd.Err(s[i], key, "expected a column name");
    HEAT_TRY(KnownColumn(rd, d, s[i], key, s[i].Scalar()));
    ColType t = FindColumn(d, s[i].Scalar())->type;
    if (t == ColType::kText || t == ColType::kDate) return rd.Err(s[i], key, "'" + s[i].Scalar() + "' is not a number column");
    c.series.push_back(s[i].Scalar());
  }
  return Status::Ok();
}

// What the columns name must exist: the group, the ratio's parts.
Status CheckReferences(const Reader& rd, const YAML::Node& root, const Def& d) {
  if (!d.group_by.empty()) HEAT_TRY(KnownColumn(rd, d, root["group_by"], "group_by", d.group_by));
  const YAML::Node cols = root["columns"];
  for (size_t i = 0; i < d.columns.size(); ++i) {
    const Column& c = d.columns[i];
    if (c.ratio_num.empty()) continue;
    std::string key = "columns[" + std::to_string(i + 1) + "].total";
    for (const auto& part : {c.ratio_num, c.ratio_den}) {
      HEAT_TRY(KnownColumn(rd, d, cols[i]["total"], key, part));
      const Column* p = FindColumn(d, part);
      if (p->total != "sum") return rd.Err(cols[i]["total"], key, "'" + part + "' needs total: sum");
    }
  }
  return Status::Ok();
}

Status ParseHead(const Reader& rd, const YAML::Node& root, Def& d) {
  HEAT_ASSIGN(d.name, rd.Str(root, "", "name", true));
  std::string base = std::filesystem::path(d.file).stem().string();
  if (d.name != base) return rd.Err(root["name"], "name", "'" + d.name + "' must be the file's name, '" + base + "'");
  if (!IsName(d.name)) return rd.Err(root["name"], "name", "'" + d.name + "' is not a name (a-z, 0-9, _ and -)");
  HEAT_ASSIGN(d.title, rd.Str(root, "", "title", true));
  HEAT_ASSIGN(d.description, rd.Str(root, "", "description", false, true));
  HEAT_ASSIGN(d.reqs, rd.Str(root, "", "reqs", false));
  HEAT_ASSIGN(d.sql, rd.Str(root, "", "sql", true, true));
  if (Trim(d.sql).empty()) return rd.Err(root["sql"], "sql", "empty");
  HEAT_ASSIGN(d.group_by, rd.Str(root, "", "group_by", false));
  HEAT_ASSIGN(d.totals, rd.Bool(root, "", "totals"));
  HEAT_ASSIGN(d.landscape, rd.Bool(root, "", "landscape"));
  HEAT_ASSIGN(d.notice_template, rd.Str(root, "", "notice", false));
  return Status::Ok();
}

Result<Def> ParseRoot(const Reader& rd, const YAML::Node& root, const std::string& file) {
  if (!root || !root.IsMap()) return rd.Err(root, "(file)", "expected a map with name, title, sql and columns");
  HEAT_TRY(rd.Keys(root, "", {"name", "title", "description", "reqs", "params", "sql", "columns", "group_by",
                              "totals", "landscape", "chart", "notice"}));
  Def d;
  d.file = file;
  HEAT_TRY(ParseHead(rd, root, d));
  HEAT_TRY(ParseParams(rd, root["params"], d));
  HEAT_TRY(ParseColumns(rd, root, d));
  HEAT_TRY(CheckReferences(rd, root, d));
  HEAT_TRY(ParseChart(rd, root["chart"], d));
  return d;
}

}  // namespace

const char* ColTypeName(ColType t) {
  switch (t) {
    case ColType::kText: return "text";
    case ColType::kInt: return "int";
    case ColType::kMoney: return "money";
    case ColType::kNumber: return "number";
    case ColType::kPercent: return "percent";
    case ColType::kDate: return "date";
  }
  return "?";
}

Result<ColType> ParseColType(std::string_view s) {
  for (ColType t : {ColType::kText, ColType::kInt, ColType::kMoney, ColType::kNumber, ColType::kPercent, ColType::kDate})
    if (s == ColTypeName(t)) return t;
  return Status::Usage("'" + std::string(s) + "' is not one of " + kColTypes);
}

const char* ParamTypeName(ParamType t) {
  switch (t) {
    case ParamType::kDate: return "date";
    case ParamType::kText: return "text";
    case ParamType::kInt: return "int";
    case ParamType::kMoney: return "money";
    case ParamType::kOrg: return "org";
  }
  return "?";
}

Result<ParamType> ParseParamType(std::string_view s) {
  for (ParamType t : {ParamType::kDate, ParamType::kText, ParamType::kInt, ParamType::kMoney, ParamType::kOrg})
    if (s == ParamTypeName(t)) return t;
  return Status::Usage("'" + std::string(s) + "' is not one of " + kParamTypes);
}

Result<Def> ParseDef(std::string_view text, const std::string& file) {
  Reader rd(file);
  try {
    YAML::Node root = YAML::Load(std::string(text));
    return ParseRoot(rd, root, file);
  } catch (const YAML::Exception& e) {
    return Status::Usage(file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

Result<Def> LoadDef(const std::string& path) {
  HEAT_ASSIGN(std::string text, ReadRegularFile(path, 1u << 20, "a report definition is small"));
  return ParseDef(text, path);
}

}  // namespace heat::report
