// network/yaml_pipes.cc — the pipe_nodes and pipe_links sections of the
// network file (ANA-3, SYS-4): a network's hydraulic model travels with
// its base information.
//
//   pipe_nodes:
//     - {network: NET1, code: CHP1, kind: reservoir, elevation_m: 790, head_m: 905, location: [87.6012, 43.8968]}
//     - {network: NET1, code: J1, elevation_m: 795, location: [87.60, 43.88]}
//   pipe_links:
//     - {network: NET1, code: T1, from: CHP1, to: J1, length_m: 1850, diameter_mm: 600, roughness: 0.5,
//        path: [[87.6012, 43.8968], [87.6005, 43.885], [87.60, 43.88]]}
//
// Codes are unique within a network, and from/to name nodes of the same
// network (in the file or stored), so two networks may both have a J1.
// Semantics as for the other sections (yaml_io.h): stated keys are
// written, absent ones left alone, null clears to the default; the
// database refuses what makes no sense (lib/sql 0039).
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "heat/core/text.h"
#include "heat/network/findings.h"
#include "heat/network/yaml_io.h"
#include "heat/network/yaml_json.h"

namespace heat::network {
namespace {

enum class PT { kNumber, kEnum, kBool, kStation, kNode, kLocation, kPath, kCurve };

struct PipeField {
  const char* key;
  const char* column;
  PT type;
  const char* default_value = nullptr;  // canonical text; nullptr = NULL
  std::vector<const char*> choices = {};
  bool required = false;
};

struct PipeKind {
  Kind kind;  // names for messages and the import report
  std::vector<PipeField> fields;
};

const PipeKind& NodeKind() {
  static const PipeKind k{
      {"pipe-node", "pipe_nodes", "pipe_node", "pipe node", {}, {}},
      {{"kind", "kind", PT::kEnum, "junction", {"junction", "reservoir", "tank"}},
       {"elevation_m", "elevation_m", PT::kNumber, "0"},
       {"demand_m3h", "demand_m3h", PT::kNumber, "0"},
       {"head_m", "head_m", PT::kNumber},
       {"min_level_m", "min_level_m", PT::kNumber},
       {"max_level_m", "max_level_m", PT::kNumber},
       {"tank_diameter_m", "tank_diameter_m", PT::kNumber},
       {"station", "station_id", PT::kStation},
       {"location", "location", PT::kLocation}}};
  return k;
}

const PipeKind& LinkKind() {
  static const PipeKind k{
      {"pipe-link", "pipe_links", "pipe_link", "pipe link", {}, {}},
      {{"kind", "kind", PT::kEnum, "pipe", {"pipe", "pump", "valve"}},
       {"from", "from_node_id", PT::kNode, nullptr, {}, true},
       {"to", "to_node_id", PT::kNode, nullptr, {}, true},
       {"status", "status", PT::kEnum, nullptr, {"open", "closed", "active"}},
       {"length_m", "length_m", PT::kNumber},
       {"diameter_mm", "diameter_mm", PT::kNumber},
       {"roughness", "roughness", PT::kNumber},
       {"minor_loss", "minor_loss", PT::kNumber, "0"},
       {"check_valve", "check_valve", PT::kBool, "false"},
       {"curve", "curve", PT::kCurve},
       {"power_kw", "power_kw", PT::kNumber},
       {"speed", "speed", PT::kNumber, "1"},
       {"valve", "valve_type", PT::kEnum, nullptr, {"prv", "psv", "pbv", "fcv", "tcv", "gpv"}},
       {"setting", "setting", PT::kNumber},
       {"path", "path", PT::kPath}}};
  return k;
}

const PipeKind& KindOf(const std::string& section) {
  return section == "pipe_links" ? LinkKind() : NodeKind();
}

const PipeField* FindPipeField(const PipeKind& k, const std::string& key) {
  for (const auto& f : k.fields)
    if (key == f.key) return &f;
  return nullptr;
}

// Shortest round-trip text, as Canonical writes doubles.
std::string Shortest(double d) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d == 0 ? 0.0 : d);
  return std::string(buf, r.ptr);
}

Result<std::string> Number(const std::string& key, const std::string& text) {
  HEAT_ASSIGN(Value v, Canonical(Field{key.c_str(), "", FieldType::kDouble}, text));
  if (!v) return Status::Usage(key + ": expected a number, got '" + text + "'");  // "" reads as no value
  return *v;
}

// A list of [a, b] pairs as canonical JSON text "[[a,b],...]": a path
// (lon/lat, at least 2 points) or a curve (flows strictly ascending).
Result<std::string> Pairs(const std::string& key, const std::vector<std::pair<std::string, std::string>>& in,
                          bool path) {
  if (in.size() < (path ? 2u : 1u) || in.size() > (path ? 10000u : 100u))
    return Status::Usage(key + (path ? ": expected 2 to 10000 [lon, lat] points" : ": expected 1 to 100 [flow, head] points"));
  std::string out = "[";
  double last = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    std::string a, b;
    if (path) {
      HEAT_ASSIGN(Value loc, Canonical(Field{key.c_str(), "", FieldType::kLocation}, in[i].first + "," + in[i].second));
      a = loc->substr(0, loc->find(',')), b = loc->substr(loc->find(',') + 1);
    } else {
      HEAT_ASSIGN(a, Number(key, in[i].first));
      HEAT_ASSIGN(b, Number(key, in[i].second));
      double x = std::stod(a);
      if (i > 0 && x <= last) return Status::Usage(key + ": flows must ascend, got " + a + " after " + Shortest(last));
      last = x;
    }
    out += (i ? ",[" : "[") + a + "," + b + "]";
  }
  return out + "]";
}

Result<Value> AsValue(Result<std::string> r) {
  if (!r.ok()) return r.status();
  return Value(*r);
}

Result<std::string> PairsFromYaml(const std::string& key, const YAML::Node& n, bool path) {
  std::vector<std::pair<std::string, std::string>> in;
  if (!n.IsSequence()) return Status::Usage(key + ": expected a list of [x, y] pairs");
  for (const auto& p : n) {
    if (!p.IsSequence() || p.size() != 2 || !p[0].IsScalar() || !p[1].IsScalar())
      return Status::Usage(key + ": expected a list of [x, y] pairs");
    in.emplace_back(p[0].Scalar(), p[1].Scalar());
  }
  return Pairs(key, in, path);
}

// The canonical value of a field from YAML; nullopt clears.
Result<Value> PipeValue(const PipeField& f, const YAML::Node& n) {
  const std::string key = f.key;
  if (n.IsNull()) {
    if (f.required) return Status::Usage(key + ": a value is required");
    return f.default_value ? Value(f.default_value) : Value();
  }
  if (f.type == PT::kPath || f.type == PT::kCurve) return AsValue(PairsFromYaml(key, n, f.type == PT::kPath));
  if (f.type == PT::kLocation) {
    std::string raw = n.IsSequence() && n.size() == 2 && n[0].IsScalar() && n[1].IsScalar()
                          ? n[0].Scalar() + "," + n[1].Scalar() : (n.IsScalar() ? n.Scalar() : "");
    return Canonical(Field{f.key, "", FieldType::kLocation}, raw);
  }
  if (!n.IsScalar()) return Status::Usage(key + ": expected a single value");
  const std::string s = n.Scalar();
  switch (f.type) {
    case PT::kNumber: return AsValue(Number(key, s));
    case PT::kBool:
      if (s == "true" || s == "false") return Value(s);
      return Status::Usage(key + ": expected true or false, got '" + s + "'");
    case PT::kEnum: {
      std::string all;
      for (const char* c : f.choices) {
        if (s == c) return Value(s);
        all += (all.empty() ? "" : ", ") + std::string(c);
      }
      return Status::Usage(key + ": expected one of " + all + ", got '" + s + "'");
    }
    default: return Canonical(Field{f.key, "", FieldType::kCode}, s);
  }
}

using ErrorFn = std::function<void(int, const std::string&, const std::string&)>;

void ParseItem(const PipeKind& pk, const YAML::Node& n, const std::string& where0, std::vector<PipeItem>& out,
               const ErrorFn& error) {
  PipeItem item{where0, n.Mark().line + 1, "", "", {}};
  if (!n.IsMap()) return error(item.line, item.where, "expected a mapping of keys");
  if (n["network"] && n["network"].IsScalar() && n["code"] && n["code"].IsScalar())
    item.where += " (" + n["network"].Scalar() + "/" + n["code"].Scalar() + ")";
  bool ok = true;
  std::set<std::string> seen;
  for (const auto& kv : n) {
    const int line = kv.first.Mark().line + 1;
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
    auto fail = [&](const std::string& msg) { error(line, item.where, msg), ok = false; };
    if (!seen.insert(key).second) { fail("key " + key + " appears twice"); continue; }
    if (key == "network" || key == "code") {
      auto v = Canonical(Field{key == "code" ? "code" : "network", "", FieldType::kCode, true},
                         kv.second.IsScalar() ? Value(kv.second.Scalar()) : Value());
      if (!v.ok()) { fail(v.status().message()); continue; }
      (key == "code" ? item.code : item.network) = **v;
      continue;
    }
    const PipeField* f = FindPipeField(pk, key);
    if (f == nullptr) {
      std::vector<std::string> keys{"network", "code"};
      for (const auto& x : pk.fields) keys.push_back(x.key);
      auto s = Suggest(key, keys);
      fail("unknown key '" + key + "'" + (s.empty() ? "" : " (did you mean " + s.front() + "?)"));
      continue;
    }
    auto v = PipeValue(*f, kv.second);
    if (!v.ok()) { fail(v.status().message()); continue; }
    item.values[key] = *v;
  }
  for (const char* k : {"network", "code"})
    if (!seen.count(k)) error(item.line, item.where, std::string("missing required key '") + k + "'"), ok = false;
  for (const auto& f : pk.fields)
    if (f.required && !seen.count(f.key))
      error(item.line, item.where, std::string("missing required key '") + f.key + "'"), ok = false;
  if (ok) out.push_back(std::move(item));
}

// ---------------------------------------------------------------------------
// The stored model, as canonical values keyed by (network, code).

using Key = std::pair<std::string, std::string>;
using StoredRows = std::map<Key, Values>;

std::string ReadExpr(const PipeField& f) {
  const std::string c = std::string("t.") + f.column;
  switch (f.type) {
    case PT::kNumber: case PT::kBool: case PT::kCurve: return c + "::text";
    case PT::kStation: return "(SELECT s.code FROM heat.station s WHERE s.id = " + c + ")";
    case PT::kNode: return "(SELECT p.code FROM heat.pipe_node p WHERE p.id = " + c + ")";
    case PT::kLocation:
      return "CASE WHEN " + c + " IS NOT NULL THEN ST_X(" + c + ")::text || ',' || ST_Y(" + c + ")::text END";
    case PT::kPath:
      return "(SELECT json_agg(json_build_array(ST_X(d.geom), ST_Y(d.geom)) ORDER BY d.path)::text"
             " FROM ST_DumpPoints(" + c + ") d)";
    default: return c;
  }
}

// Stored text to the canonical form the parser gives.
Result<Value> FromStored(const PipeField& f, const Value& v) {
  if (!v) return v;
  switch (f.type) {
    case PT::kNumber: return AsValue(Number(f.key, *v));
    case PT::kLocation: return Canonical(Field{f.key, "", FieldType::kLocation}, v);
    case PT::kPath: case PT::kCurve: {
      auto j = nlohmann::json::parse(*v, nullptr, false);
      std::vector<std::pair<std::string, std::string>> in;
      if (j.is_discarded() || !j.is_array()) return Status::Failure(std::string(f.key) + ": stored value is no list");
      for (const auto& p : j) in.emplace_back(Shortest(p.at(0).get<double>()), Shortest(p.at(1).get<double>()));
      return AsValue(Pairs(f.key, in, f.type == PT::kPath));
    }
    default: return v;
  }
}

Result<StoredRows> LoadStored(db::Conn& conn, const PipeKind& pk) {
  std::string sql = "SELECT n.code AS network, t.code";
  for (const auto& f : pk.fields) sql += ", " + ReadExpr(f) + " AS \"" + f.key + "\"";
  sql += std::string(" FROM heat.") + pk.kind.table + " t JOIN heat.network n ON n.id = t.network_id";
  HEAT_ASSIGN(db::Rows r, conn.Query(sql));
  StoredRows out;
  for (int i = 0; i < r.size(); ++i) {
    Values v;
    for (const auto& f : pk.fields) {
      auto c = FromStored(f, r.opt(i, f.key));
      if (!c.ok()) return c.status().With(r.get(i, "network") + "/" + r.get(i, "code"));
      v[f.key] = *c;
    }
    out[{r.get(i, "network"), r.get(i, "code")}] = std::move(v);
  }
  return out;
}

// The SQL expression storing parameter $n into the field's column ($1 is
// the network id).
std::string WriteExpr(const PipeField& f, int n) {
  const std::string p = "$" + std::to_string(n);
  switch (f.type) {
    case PT::kNumber: return p + "::float8";
    case PT::kBool: return p + "::boolean";
    case PT::kCurve: return p + "::jsonb";
    case PT::kStation: return "(SELECT id FROM heat.station WHERE code = " + p + ")";
    case PT::kNode: return "(SELECT id FROM heat.pipe_node WHERE network_id = $1::int AND code = " + p + ")";
    case PT::kLocation:
      return "ST_SetSRID(ST_MakePoint(split_part(" + p + ", ',', 1)::float8, split_part(" + p +
             ", ',', 2)::float8), 4326)";
    case PT::kPath:
      return "(SELECT ST_SetSRID(ST_MakeLine(ST_MakePoint((e.p->>0)::float8, (e.p->>1)::float8) ORDER BY e.i), 4326)"
             " FROM jsonb_array_elements(" + p + "::jsonb) WITH ORDINALITY AS e(p, i))";
    default: return p;
  }
}

std::string Show(const Value& v) { return v ? "'" + (v->size() > 60 ? v->substr(0, 57) + "..." : *v) + "'" : "(none)"; }

class PipeApplier {
 public:
  PipeApplier(db::Conn& conn, const Document& doc) : conn_(conn), doc_(doc) {}
  Status Run(bool prune, ImportReport& report);

 private:
  std::string Where(const PipeItem& item) const {
    return doc_.filename + ":" + std::to_string(item.line) + ": " + item.where;
  }
  Status Load();
  void CheckRefs(Findings& f);
  void CheckExists(Findings& f, const PipeItem& item, const char* table, const char* label, const std::string& code,
                   const std::set<std::string>& visible, const std::string& key);
  Status Write(const PipeKind& pk, const std::vector<PipeItem>& items, StoredRows& stored, ImportReport& report);
  Status Prune(const PipeKind& pk, const std::vector<PipeItem>& items, const StoredRows& stored,
               ImportReport& report);

  db::Conn& conn_;
  const Document& doc_;
  std::map<std::string, std::string> networks_;  // visible code -> id
  std::set<std::string> stations_, network_codes_;
  StoredRows nodes_, links_;
};

Status PipeApplier::Load() {
  HEAT_ASSIGN(db::Rows n, conn_.Query("SELECT code, id FROM heat.network"));
  for (int i = 0; i < n.size(); ++i) networks_[n.get(i, 0)] = n.get(i, 1), network_codes_.insert(n.get(i, 0));
  HEAT_ASSIGN(db::Rows s, conn_.Query("SELECT code FROM heat.station"));
  for (int i = 0; i < s.size(); ++i) stations_.insert(s.get(i, 0));
  HEAT_ASSIGN(nodes_, LoadStored(conn_, NodeKind()));
  HEAT_ASSIGN(links_, LoadStored(conn_, LinkKind()));
  return Status::Ok();
}

// A referenced object must be visible; one that exists outside the
// caller's scope is a permission matter (exit 4).
void PipeApplier::CheckExists(Findings& f, const PipeItem& item, const char* table, const char* label,
                              const std::string& code, const std::set<std::string>& visible, const std::string& key) {
  if (visible.count(code)) return;
  auto r = conn_.Query("SELECT heat.object_exists($1, $2)", {table, code});
  bool hidden = r.ok() && r->get(0, 0) == "t";
  f.Add(hidden ? Code::kPermission : Code::kUsage,
        Where(item) + ": " + key + ": " + label + " " + code +
            (hidden ? " is outside your data scope" : " is neither in this file nor in the database"));
}

void PipeApplier::CheckRefs(Findings& f) {
  std::set<Key> file_nodes;
  for (const auto& n : doc_.pipe_nodes) file_nodes.insert({n.network, n.code});
  for (const auto* items : {&doc_.pipe_nodes, &doc_.pipe_links})
    for (const auto& item : *items) {
      CheckExists(f, item, "network", "network", item.network, network_codes_, "network");
      auto st = item.values.find("station");
      if (st != item.values.end() && st->second)
        CheckExists(f, item, "station", "station", *st->second, stations_, "station");
    }
  for (const auto& item : doc_.pipe_links)
    for (const char* end : {"from", "to"}) {
      auto v = item.values.find(end);
      if (v == item.values.end() || !v->second) continue;
      Key k{item.network, *v->second};
      if (!file_nodes.count(k) && !nodes_.count(k))
        f.Add(Code::kUsage, Where(item) + ": " + end + ": node " + *v->second +
                                " is neither in this file nor in network " + item.network + "'s model");
    }
}

Status PipeApplier::Write(const PipeKind& pk, const std::vector<PipeItem>& items, StoredRows& stored,
                          ImportReport& report) {
  report.counts.push_back(KindCounts{&pk.kind});
  KindCounts& counts = report.counts.back();
  for (const auto& item : items) {
    const std::string name = std::string(pk.kind.label) + " " + item.network + "/" + item.code;
    auto old = stored.find({item.network, item.code});
    db::Params params{networks_.at(item.network), item.code};
    std::vector<std::string> cols, exprs;
    std::string line;
    for (const auto& f : pk.fields) {
      auto v = item.values.find(f.key);
      if (v == item.values.end()) continue;
      if (old != stored.end()) {
        if (old->second[f.key] == v->second) continue;
        line += (line.empty() ? ": " : ", ") + std::string(f.key) + " " + Show(old->second[f.key]) + " -> " +
                Show(v->second);
      }
      cols.push_back(f.column);
      if (!v->second) {
        exprs.push_back("DEFAULT");
        continue;
      }
      params.push_back(v->second);
      exprs.push_back(WriteExpr(f, static_cast<int>(params.size())));
    }
    if (old != stored.end() && cols.empty()) {
      ++counts.unchanged;
      continue;
    }
    std::string sql;
    if (old == stored.end()) {
      sql = std::string("INSERT INTO heat.") + pk.kind.table + " (network_id, code";
      for (const auto& c : cols) sql += ", " + c;
      sql += ") VALUES ($1::int, $2";
      for (const auto& e : exprs) sql += ", " + e;
      sql += ")";
    } else {
      sql = std::string("UPDATE heat.") + pk.kind.table + " SET ";
      for (size_t i = 0; i < cols.size(); ++i) sql += (i ? ", " : "") + cols[i] + " = " + exprs[i];
      sql += " WHERE network_id = $1::int AND code = $2";
    }
    auto r = conn_.Query(sql, params);
    if (!r.ok()) return r.status().With(Where(item));
    if (r->affected() == 0)
      return Status::Permission(Where(item) + ": " + name + " is outside your data scope");
    ++(old == stored.end() ? counts.added : counts.changed);
    report.changes.push_back(name + (old == stored.end() ? ": added" : line));
    stored[{item.network, item.code}] = item.values;  // what a later item compares against
  }
  return Status::Ok();
}

Status PipeApplier::Prune(const PipeKind& pk, const std::vector<PipeItem>& items, const StoredRows& stored,
                          ImportReport& report) {
  std::set<Key> listed;
  for (const auto& item : items) listed.insert({item.network, item.code});
  KindCounts* counts = nullptr;
  for (auto& c : report.counts)
    if (c.kind == &pk.kind) counts = &c;
  for (const auto& [key, values] : stored) {
    if (listed.count(key)) continue;
    auto r = conn_.Query(std::string("DELETE FROM heat.") + pk.kind.table +
                             " WHERE network_id = (SELECT id FROM heat.network WHERE code = $1) AND code = $2",
                         {key.first, key.second});
    if (!r.ok()) return r.status().With("prune " + key.first + "/" + key.second);
    ++counts->removed;
    report.changes.push_back(std::string(pk.kind.label) + " " + key.first + "/" + key.second + ": removed");
  }
  return Status::Ok();
}

Status PipeApplier::Run(bool prune, ImportReport& report) {
  HEAT_TRY(Load());
  Findings f;
  CheckRefs(f);
  if (!f.empty()) return f.ToStatus(doc_.filename);
  if (doc_.pipe_nodes_present) HEAT_TRY(Write(NodeKind(), doc_.pipe_nodes, nodes_, report));
  if (doc_.pipe_links_present) HEAT_TRY(Write(LinkKind(), doc_.pipe_links, links_, report));
  if (!prune) return Status::Ok();
  if (doc_.pipe_links_present) HEAT_TRY(Prune(LinkKind(), doc_.pipe_links, links_, report));
  if (doc_.pipe_nodes_present) HEAT_TRY(Prune(NodeKind(), doc_.pipe_nodes, nodes_, report));
  return Status::Ok();
}

// ---------------------------------------------------------------------------

void EmitPairs(YAML::Emitter& out, const std::string& text) {
  out << YAML::Flow << YAML::BeginSeq;
  for (const auto& p : nlohmann::json::parse(text))
    out << YAML::Flow << YAML::BeginSeq << Shortest(p[0].get<double>()) << Shortest(p[1].get<double>())
        << YAML::EndSeq;
  out << YAML::EndSeq;
}

void EmitRow(YAML::Emitter& out, const PipeKind& pk, const Key& key, const Values& v) {
  out << YAML::Flow << YAML::BeginMap << YAML::Key << "network" << YAML::Value;
  EmitText(out, key.first);
  out << YAML::Key << "code" << YAML::Value;
  EmitText(out, key.second);
  for (const auto& f : pk.fields) {
    const Value& value = v.at(f.key);
    if (!value || (f.default_value && *value == f.default_value)) continue;
    out << YAML::Key << f.key << YAML::Value;
    switch (f.type) {
      case PT::kNumber: case PT::kBool: out << *value; break;
      case PT::kLocation: {
        auto comma = value->find(',');
        out << YAML::Flow << YAML::BeginSeq << value->substr(0, comma) << value->substr(comma + 1) << YAML::EndSeq;
        break;
      }
      case PT::kPath: case PT::kCurve: EmitPairs(out, *value); break;
      default: EmitText(out, *value);
    }
  }
  out << YAML::EndMap;
}

}  // namespace

void ParsePipes(const std::string& section, const YAML::Node& list, Document& doc, const ErrorFn& error) {
  const PipeKind& pk = KindOf(section);
  auto& items = section == "pipe_links" ? doc.pipe_links : doc.pipe_nodes;
  (section == "pipe_links" ? doc.pipe_links_present : doc.pipe_nodes_present) = true;
  if (list.IsNull()) return;
  if (!list.IsSequence()) return error(list.Mark().line + 1, section, "expected a list of items");
  for (size_t i = 0; i < list.size(); ++i)
    ParseItem(pk, list[i], section + "[" + std::to_string(i) + "]", items, error);
  std::map<Key, const PipeItem*> first;
  for (const auto& item : items) {
    auto [it, fresh] = first.emplace(Key{item.network, item.code}, &item);
    if (!fresh)
      error(item.line, item.where, "duplicate code " + item.code + " in network " + item.network + ", also at line " +
                                       std::to_string(it->second->line));
  }
}

Status ApplyPipes(db::Conn& conn, const Document& doc, bool prune, ImportReport& report) {
  if (!doc.pipe_nodes_present && !doc.pipe_links_present) return Status::Ok();
  return PipeApplier(conn, doc).Run(prune, report);
}

Status ExportPipes(db::Conn& conn, YAML::Emitter& out) {
  for (const PipeKind* pk : {&NodeKind(), &LinkKind()}) {
    HEAT_ASSIGN(StoredRows rows, LoadStored(conn, *pk));
    if (rows.empty()) continue;
    out << YAML::Key << pk->kind.plural << YAML::Value << YAML::BeginSeq;
    for (const auto& [key, v] : rows) EmitRow(out, *pk, key, v);
    out << YAML::EndSeq;
  }
  return Status::Ok();
}

}  // namespace heat::network
