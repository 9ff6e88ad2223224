// Export of base information in the import format (yaml_io.h). The output
// is deterministic (kinds in order, objects by code) so exports diff well,
// and it leaves out what an import would fill in anyway (nulls, defaults,
// default point codes), so importing it changes nothing.
#include <yaml-cpp/yaml.h>

#include <map>

#include "heat/network/store.h"
#include "heat/network/yaml_io.h"
#include "heat/network/yaml_json.h"

namespace heat::network {
namespace {

using T = FieldType;

bool IsKind(const Kind& k, const char* table) { return std::string(k.table) == table; }

// Whether an import would give the field this value without being told.
bool Implied(const Field& f, const Value& v) {
  return !v || (f.default_value != nullptr && *v == f.default_value);
}

void EmitValue(YAML::Emitter& out, const Field& f, const std::string& v) {
  switch (f.type) {
    case T::kInt: case T::kDecimal: case T::kDouble:
      out << v;  // canonical numbers are plain YAML numbers
      break;
    case T::kLocation: {
      auto comma = v.find(',');
      out << YAML::Flow << YAML::BeginSeq << v.substr(0, comma) << v.substr(comma + 1)
          << YAML::EndSeq;
      break;
    }
    case T::kJson: EmitJson(out, nlohmann::json::parse(v)); break;
    default: EmitText(out, v);
  }
}

// A register map's body: its keys beside code, name, vendor and model;
// keys that would collide with those stay under `body:`.
void EmitBody(YAML::Emitter& out, const Kind& kind, const std::string& text) {
  auto body = nlohmann::json::parse(text);
  auto collide = nlohmann::json::object();
  for (const auto& [k, v] : body.items()) {
    if (k == "code" || FindField(kind, k) != nullptr) {
      collide[k] = v;
      continue;
    }
    out << YAML::Key;
    EmitText(out, k);
    out << YAML::Value;
    EmitJson(out, v);
  }
  if (!collide.empty()) {
    out << YAML::Key << "body" << YAML::Value;
    EmitJson(out, collide);
  }
}

// The keys of one object; `skip` is the key implied by nesting.
void EmitFields(YAML::Emitter& out, const Kind& kind, const Values& v, bool with_code,
                const char* skip = "") {
  if (with_code) {
    out << YAML::Key << "code" << YAML::Value;
    EmitText(out, *v.at("code"));
  }
  for (const auto& f : kind.fields) {
    const Value& value = v.at(f.key);
    if (Implied(f, value) || std::string(f.key) == skip) continue;
    if (IsKind(kind, "register_map") && std::string(f.key) == "body") {
      EmitBody(out, kind, *value);
      continue;
    }
    out << YAML::Key << f.key << YAML::Value;
    EmitValue(out, f, *value);
  }
}

using PointsByDevice = std::map<std::string, std::vector<const Values*>>;

void EmitDevice(YAML::Emitter& out, const Kind& kind, const Values& device, const PointsByDevice& points) {
  out << YAML::BeginMap;
  EmitFields(out, kind, device, true);
  auto it = points.find(*device.at("code"));
  if (it != points.end()) {
    const Kind& point = *FindKind("point");
    out << YAML::Key << "points" << YAML::Value << YAML::BeginSeq;
    for (const Values* p : it->second) {
      bool own_code = *p->at("code") != DefaultPointCode(device, p->at("tag").value_or(""));
      out << YAML::Flow << YAML::BeginMap;
      EmitFields(out, point, *p, own_code, "device");
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
}

}  // namespace

Result<std::string> ExportNetworkYaml(db::Conn& conn) {
  std::map<std::string, std::vector<Values>> all;  // table -> rows
  for (const auto& k : Kinds()) {
    HEAT_ASSIGN(all[k.table], LoadAll(conn, k));
  }
  PointsByDevice nested;
  std::vector<const Values*> loose;  // points whose device the caller cannot see
  std::map<std::string, bool> devices;
  for (const auto& d : all["device"]) devices[*d.at("code")] = true;
  for (const auto& p : all["point"]) {
    const std::string dev = p.at("device").value_or("");
    if (devices.count(dev)) nested[dev].push_back(&p); else loose.push_back(&p);
  }
  YAML::Emitter out;
  out << YAML::Comment("heatctl export: base information; import with 'heatctl import FILE'");
  out << YAML::BeginMap;
  for (const auto& k : Kinds()) {
    const auto& rows = all[k.table];
    bool points = IsKind(k, "point");
    if (points ? loose.empty() : rows.empty()) continue;
    out << YAML::Key << k.plural << YAML::Value << YAML::BeginSeq;
    for (const Values* p : points ? loose : std::vector<const Values*>{}) {
      out << YAML::Flow << YAML::BeginMap;
      EmitFields(out, k, *p, true);
      out << YAML::EndMap;
    }
    for (size_t i = 0; !points && i < rows.size(); ++i) {
      if (IsKind(k, "device")) { EmitDevice(out, k, rows[i], nested); continue; }
      out << YAML::BeginMap;
      EmitFields(out, k, rows[i], true);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  HEAT_TRY(ExportAlarmRules(conn, out));
  HEAT_TRY(ExportPipes(conn, out));
  out << YAML::EndMap;
  if (!out.good()) return Status::Failure("export: " + out.GetLastError());
  return std::string(out.c_str()) + "\n";
}

}  // namespace heat::network
