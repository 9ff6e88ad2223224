// Parsing and validating import files (yaml_io.h). Nothing here touches a
// database: references that name nothing in the file are handed on as
// Document::external_refs for ApplyNetwork to look up.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <set>

#include "heat/core/text.h"
#include "heat/network/yaml_io.h"
#include "heat/network/yaml_json.h"

namespace heat::network {
namespace {

constexpr size_t kMaxErrors = 20;
const Field kCodeField{"code", "code", FieldType::kCode, true};

int LineOf(const YAML::Node& n) { return n.Mark().line + 1; }

std::string Quoted(const std::string& s) { return "'" + s + "'"; }

std::string NodeKind(const YAML::Node& n) {
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a mapping";
  if (n.IsScalar()) return "the value " + Quoted(n.Scalar());
  return "nothing";
}

// Line of the first scalar (key or value) that is not valid UTF-8, or 0.
// Found by fuzzing: the file may be valid UTF-8 while an escape in a
// quoted scalar ("\uD800") decodes to bytes that are not, which
// nlohmann::json refuses by throwing.
int FirstInvalidTextLine(const YAML::Node& n) {
  if (n.IsScalar()) return IsValidUtf8(n.Scalar()) ? 0 : LineOf(n);
  if (n.IsSequence())
    for (const auto& v : n)
      if (int line = FirstInvalidTextLine(v)) return line;
  if (n.IsMap())
    for (const auto& kv : n) {
      if (int line = FirstInvalidTextLine(kv.first)) return line;
      if (int line = FirstInvalidTextLine(kv.second)) return line;
    }
  return 0;
}

std::string DidYouMean(const std::string& word, const std::vector<std::string>& choices) {
  auto s = Suggest(word, choices);
  return s.empty() ? "" : " (did you mean " + s.front() + "?)";
}

// A location as "lon,lat" from [lon, lat] or the text "lon,lat".
Result<Value> LocationText(const YAML::Node& n) {
  if (n.IsScalar()) return Value(n.Scalar());
  if (n.IsSequence() && n.size() == 2 && n[0].IsScalar() && n[1].IsScalar())
    return Value(n[0].Scalar() + "," + n[1].Scalar());
  return Status::Usage("expected [lon, lat], got " + NodeKind(n));
}

// The canonical value of one field from its YAML node; null clears it.
Result<Value> FieldValue(const Field& f, const YAML::Node& n) {
  if (n.IsNull()) return Canonical(f, std::nullopt);
  Value raw;
  if (f.type == FieldType::kJson) {
    if (!n.IsMap()) return Status::Usage(std::string(f.key) + ": expected a mapping, got " + NodeKind(n));
    auto j = JsonFromYaml(n);
    if (!j.ok()) return j.status().With(f.key);
    raw = j->dump();
  } else if (f.type == FieldType::kLocation) {
    auto loc = LocationText(n);
    if (!loc.ok()) return loc.status().With(f.key);
    raw = *loc;
  } else if (n.IsScalar()) {
    raw = n.Scalar();
  } else {
    return Status::Usage(std::string(f.key) + ": expected a single value, got " + NodeKind(n));
  }
  return Canonical(f, raw);
}

std::vector<std::string> KeysOf(const Kind& kind, bool nested_points) {
  std::vector<std::string> keys{"code"};
  for (const auto& f : kind.fields) keys.push_back(f.key);
  if (nested_points) keys.push_back("points");
  return keys;
}

bool IsKind(const Kind& k, const char* table) { return std::string(k.table) == table; }

std::string CodeOf(const Item& item) {
  auto it = item.values.find("code");
  return it != item.values.end() && it->second ? *it->second : "";
}

class Parser {
 public:
  explicit Parser(const std::string& filename) { doc_.filename = filename; }
  Result<Document> Run(std::string_view text);

 private:
  void Error(int line, const std::string& where, const std::string& msg);
  void ParseRoot(const YAML::Node& root);
  void ParseSection(size_t ki, const YAML::Node& list);
  // An item being parsed: what it has so far.
  struct ItemState {
    Item item;
    const Item* device = nullptr;           // the enclosing device of a nested point
    nlohmann::json body = nlohmann::json::object();  // of a register map
    std::map<std::string, int> seen = {};   // key -> line
  };
  // Parses one item; `device` is the enclosing device of a nested point.
  // Returns nothing when the item had errors (they are recorded).
  std::optional<Item> ParseItem(const Kind& kind, const YAML::Node& node, const std::string& where,
                                const Item* device);
  void ParseKey(ItemState& st, const YAML::Node& key, const YAML::Node& value);
  void AddToBody(ItemState& st, const std::string& key, const YAML::Node& value, int line);
  void FinishItem(ItemState& st);
  std::string Name(const YAML::Node& node, const std::string& where, const Item* device);
  void ParseNestedPoints(const Item& device, const YAML::Node& list);
  void FillPointCodes();
  void CheckDuplicates();
  void CheckDeviceAddresses();
  void ResolveRefs();
  void OrderOrgUnits();
  Section& SectionOf(const char* table);

  Document doc_;
  std::vector<std::string> errors_;
};

void Parser::Error(int line, const std::string& where, const std::string& msg) {
  errors_.push_back(doc_.filename + ":" + std::to_string(line) + ": " +
                    (where.empty() ? "" : where + ": ") + msg);
}

Section& Parser::SectionOf(const char* table) {
  for (auto& s : doc_.sections)
    if (IsKind(*s.kind, table)) return s;
  return doc_.sections.front();  // unreachable: every kind has a section
}

Result<Document> Parser::Run(std::string_view text) {
  for (const auto& k : Kinds()) doc_.sections.push_back(Section{&k, false, {}});
  // Found by fuzzing: invalid UTF-8 reached nlohmann::json, which throws.
  // Refuse it up front, naming the line, as PostgreSQL would refuse it too.
  if (size_t bad = FirstInvalidUtf8(text); bad != std::string_view::npos) {
    int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + bad, '\n'));
    return Status::Usage(doc_.filename + ":" + std::to_string(line) + ": not valid UTF-8");
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return Status::Usage(doc_.filename + ":" + std::to_string(e.mark.line + 1) + ":" +
                         std::to_string(e.mark.column + 1) + ": not valid YAML: " + e.msg);
  }
  if (int line = FirstInvalidTextLine(root))
    return Status::Usage(doc_.filename + ":" + std::to_string(line) +
                         ": an escape gives text that is not valid UTF-8");
  try {
    ParseRoot(root);
  } catch (const YAML::Exception& e) {  // should not happen: we only read nodes
    Error(e.mark.line + 1, "", e.msg);
  }
  // Items with errors were dropped; the checks across items run on the rest.
  FillPointCodes();
  CheckDuplicates();
  CheckDeviceAddresses();
  ResolveRefs();
  OrderOrgUnits();
  if (errors_.empty()) return std::move(doc_);
  std::string msg = doc_.filename + ": " + std::to_string(errors_.size()) +
                    (errors_.size() == 1 ? " error" : " errors") + ", nothing imported";
  for (size_t i = 0; i < errors_.size() && i < kMaxErrors; ++i) msg += "\n  " + errors_[i];
  if (errors_.size() > kMaxErrors)
    msg += "\n  ... and " + std::to_string(errors_.size() - kMaxErrors) + " more";
  return Status::Usage(msg);
}

void Parser::ParseRoot(const YAML::Node& root) {
  if (root.IsNull()) return;  // an empty file imports nothing
  if (!root.IsMap()) {
    Error(LineOf(root), "", "expected a mapping of sections (org_units, stations, ...), got " +
                                NodeKind(root));
    return;
  }
  std::vector<std::string> plurals;
  for (const auto& k : Kinds()) plurals.push_back(k.plural);
  std::map<std::string, int> seen;
  for (const auto& kv : root) {
    std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
    int line = LineOf(kv.first);
    auto it = std::find(plurals.begin(), plurals.end(), key);
    if (seen.count(key)) {
      Error(line, "", "section " + key + " appears twice (also at line " + std::to_string(seen[key]) + ")");
    } else if (key == "alarm_rules") {
      seen[key] = line;
      ParseAlarmRules(kv.second, doc_, [this](int l, const std::string& w, const std::string& m) { Error(l, w, m); });
    } else if (key == "pipe_nodes" || key == "pipe_links") {
      seen[key] = line;
      ParsePipes(key, kv.second, doc_, [this](int l, const std::string& w, const std::string& m) { Error(l, w, m); });
    } else if (it == plurals.end()) {
      std::vector<std::string> known = plurals;
      known.insert(known.end(), {"alarm_rules", "pipe_nodes", "pipe_links"});
      Error(line, "", "unknown section " + Quoted(key) + DidYouMean(key, known));
    } else {
      seen[key] = line;
      ParseSection(static_cast<size_t>(it - plurals.begin()), kv.second);
    }
  }
}

void Parser::ParseSection(size_t ki, const YAML::Node& list) {
  Section& sec = doc_.sections[ki];
  sec.present = true;
  if (list.IsNull()) return;
  if (!list.IsSequence()) {
    Error(LineOf(list), sec.kind->plural, "expected a list of items, got " + NodeKind(list));
    return;
  }
  for (size_t i = 0; i < list.size(); ++i) {
    std::string where = std::string(sec.kind->plural) + "[" + std::to_string(i) + "]";
    auto item = ParseItem(*sec.kind, list[i], where, nullptr);
    if (!item) continue;
    sec.items.push_back(std::move(*item));
    if (IsKind(*sec.kind, "device") && list[i]["points"])
      ParseNestedPoints(sec.items.back(), list[i]["points"]);
  }
}

void Parser::ParseNestedPoints(const Item& device, const YAML::Node& list) {
  Section& points = SectionOf("point");
  points.present = true;
  if (list.IsNull()) return;
  if (!list.IsSequence()) {
    Error(LineOf(list), device.where, "points: expected a list of points, got " + NodeKind(list));
    return;
  }
  for (size_t i = 0; i < list.size(); ++i) {
    std::string where = device.where + ".points[" + std::to_string(i) + "]";
    auto item = ParseItem(*points.kind, list[i], where, &device);
    if (item) points.items.push_back(std::move(*item));
  }
}

// "stations[3] (S04)": the item's place and, when it has one, its code.
std::string Parser::Name(const YAML::Node& node, const std::string& where, const Item* device) {
  YAML::Node code = node["code"];
  if (code && code.IsScalar()) return where + " (" + code.Scalar() + ")";
  YAML::Node tag = node["tag"];
  if (device && tag && tag.IsScalar())
    return where + " (" + DefaultPointCode(device->values, tag.Scalar()) + ")";
  if (tag && tag.IsScalar()) return where + " (tag " + tag.Scalar() + ")";
  return where;
}

std::optional<Item> Parser::ParseItem(const Kind& kind, const YAML::Node& node,
                                      const std::string& where, const Item* device) {
  if (!node.IsMap()) {
    Error(LineOf(node), where, "expected a mapping of keys, got " + NodeKind(node));
    return std::nullopt;
  }
  const size_t errors_before = errors_.size();
  ItemState st{Item{&kind, Name(node, where, device), LineOf(node), {}}, device};
  for (const auto& kv : node) ParseKey(st, kv.first, kv.second);
  FinishItem(st);
  if (errors_.size() != errors_before) return std::nullopt;
  return std::move(st.item);
}

void Parser::ParseKey(ItemState& st, const YAML::Node& k, const YAML::Node& value) {
  const Kind& kind = *st.item.kind;
  const int line = LineOf(k);
  if (!k.IsScalar()) return Error(line, st.item.where, "keys must be plain words");
  const std::string key = k.Scalar();
  if (st.seen.count(key))
    return Error(line, st.item.where, "key " + key + " appears twice (also at line " +
                                          std::to_string(st.seen[key]) + ")");
  st.seen[key] = line;
  const bool is_device = IsKind(kind, "device");
  if (is_device && key == "points") return;  // parsed by ParseNestedPoints
  const Field* f = key == "code" ? &kCodeField : FindField(kind, key);
  if (IsKind(kind, "register_map") && (f == nullptr || key == "body"))
    return AddToBody(st, key, value, line);
  if (f == nullptr)
    return Error(line, st.item.where,
                 "unknown key " + Quoted(key) + DidYouMean(key, KeysOf(kind, is_device)));
  auto v = FieldValue(*f, value);
  if (!v.ok()) return Error(line, st.item.where, v.status().message());
  if (st.device && key == "device" && *v != st.device->values.at("code"))
    return Error(line, st.item.where, "device: the point is nested in device " + CodeOf(*st.device));
  st.item.values[key] = *v;
}

// Everything of a register map but code, name, vendor and model is its
// body; a `body:` mapping is merged in.
void Parser::AddToBody(ItemState& st, const std::string& key, const YAML::Node& value, int line) {
  int at = line;
  auto j = JsonFromYaml(value, &at);
  if (!j.ok()) return Error(at, st.item.where, key + ": " + j.status().message());
  if (key != "body") {
    st.body[key] = *j;
  } else if (j->is_object()) {
    for (auto& [k, v] : j->items()) st.body[k] = v;
  } else if (!j->is_null()) {
    Error(line, st.item.where, "body: expected a mapping, got " + NodeKind(value));
  }
}

// The body, the implied device and default code of a nested point, and
// the required keys.
void Parser::FinishItem(ItemState& st) {
  Item& item = st.item;
  if (!st.body.empty()) item.values["body"] = st.body.dump();  // dump() is canonical JSON
  if (st.device) {
    item.values["device"] = st.device->values.at("code");
    auto tag = item.values.find("tag");
    if (!item.values.count("code") && tag != item.values.end() && tag->second)
      item.values["code"] = DefaultPointCode(st.device->values, *tag->second);
  }
  // A top-level point's code may still come from its device (FillPointCodes).
  if (!item.values.count("code") && !IsKind(*item.kind, "point") && !st.seen.count("code"))
    Error(item.line, item.where, "missing required key 'code'");
  for (const auto& f : item.kind->fields)
    if (f.required && !item.values.count(f.key) && !st.seen.count(f.key))
      Error(item.line, item.where, "missing required key " + Quoted(f.key));
}

// A top-level point without a code takes the default of its device in the file.
void Parser::FillPointCodes() {
  std::map<std::string, const Item*> devices;
  for (const auto& d : SectionOf("device").items) devices[CodeOf(d)] = &d;
  for (auto& p : SectionOf("point").items) {
    if (p.values.count("code")) continue;
    auto dev = devices.find(p.values.at("device").value_or(""));
    if (dev == devices.end()) {
      Error(p.line, p.where, "missing required key 'code' (or nest the point under its device)");
      continue;
    }
    p.values["code"] = DefaultPointCode(dev->second->values, *p.values.at("tag"));
    p.where += " (" + *p.values["code"] + ")";
  }
}

void Parser::CheckDuplicates() {
  for (const auto& sec : doc_.sections) {
    std::map<std::string, const Item*> first;
    for (const auto& item : sec.items) {
      if (CodeOf(item).empty()) continue;
      auto [it, fresh] = first.emplace(CodeOf(item), &item);
      if (!fresh)
        Error(item.line, item.where, "duplicate code " + CodeOf(item) + ", also at " +
                                         doc_.Where(*it->second));
    }
  }
}

// The database allows one device per protocol and address; say so early.
void Parser::CheckDeviceAddresses() {
  std::map<std::pair<std::string, std::string>, const Item*> first;
  for (const auto& d : SectionOf("device").items) {
    auto proto = d.values.find("protocol"), addr = d.values.find("address");
    if (proto == d.values.end() || addr == d.values.end() || !proto->second || !addr->second) continue;
    auto [it, fresh] = first.emplace(std::make_pair(*proto->second, *addr->second), &d);
    if (!fresh)
      Error(d.line, d.where, "address: " + *proto->second + " address " + *addr->second +
                                 " is also used by " + doc_.Where(*it->second));
  }
}

void Parser::ResolveRefs() {
  std::map<std::string, std::set<std::string>> codes;  // table -> codes in the file
  for (const auto& sec : doc_.sections)
    for (const auto& item : sec.items) codes[sec.kind->table].insert(CodeOf(item));
  for (size_t ki = 0; ki < doc_.sections.size(); ++ki) {
    const auto& sec = doc_.sections[ki];
    for (size_t ii = 0; ii < sec.items.size(); ++ii) {
      const Item& item = sec.items[ii];
      for (const auto& f : sec.kind->fields) {
        auto v = item.values.find(f.key);
        if (f.type != FieldType::kRef || v == item.values.end() || !v->second) continue;
        if (IsKind(*sec.kind, f.ref_kind) && *v->second == CodeOf(item))
          Error(item.line, item.where, std::string(f.key) + ": an object cannot refer to itself");
        else if (!codes[f.ref_kind].count(*v->second))
          doc_.external_refs.push_back({ki, ii, f.key, FindKind(f.ref_kind), *v->second});
      }
    }
  }
}

// Org units are written parents first, so a unit's parent from the file
// exists when it is inserted; a cycle within the file is an error.
void Parser::OrderOrgUnits() {
  Section& sec = SectionOf("org_unit");
  std::map<std::string, const Item*> by_code;
  for (const auto& item : sec.items) by_code[CodeOf(item)] = &item;
  std::map<const Item*, size_t> depth;
  for (const auto& item : sec.items) {
    size_t d = 0;
    const Item* at = &item;
    for (;;) {
      auto p = at->values.find("parent");
      if (p == at->values.end() || !p->second || !by_code.count(*p->second)) break;
      at = by_code[*p->second];
      if (++d > sec.items.size()) {
        Error(item.line, item.where, "parent: org units form a cycle");
        return;
      }
    }
    depth[&item] = d;
  }
  std::vector<std::pair<size_t, size_t>> order;  // (depth, index)
  for (size_t i = 0; i < sec.items.size(); ++i) order.emplace_back(depth[&sec.items[i]], i);
  std::stable_sort(order.begin(), order.end());
  std::vector<Item> sorted;
  for (const auto& [d, i] : order) sorted.push_back(sec.items[i]);
  sec.items = std::move(sorted);
}

}  // namespace

std::string Document::Where(const Item& item) const {
  return filename + ":" + std::to_string(item.line) + ": " + item.where;
}

size_t Document::size() const {
  size_t n = 0;
  for (const auto& s : sections) n += s.items.size();
  return n;
}

std::string DefaultPointCode(const Values& device, const std::string& tag) {
  auto get = [&](const char* key) -> std::string {
    auto it = device.find(key);
    return it != device.end() && it->second ? *it->second : "";
  };
  std::string kind = get("kind"), station = get("station");
  bool station_box = (kind == "control_box" || kind == "plc") && !station.empty();
  return (station_box ? station : get("code")) + "." + tag;
}

Result<Document> ParseNetworkYaml(std::string_view text, const std::string& filename) {
  return Parser(filename).Run(text);
}

}  // namespace heat::network
