#include "heat/network/yaml_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

#include "heat/core/match.h"

namespace heat::network {
namespace {

int LineOf(const YAML::Node& n) { return n.Mark().line + 1; }

bool IsScalarJson(const nlohmann::json& j) { return !j.is_object() && !j.is_array(); }

// Keys that name an entry go first, so a register reads "{tag: t2s, ...}".
constexpr const char* kLeadKeys[] = {"tag", "name"};

bool AllScalars(const nlohmann::json& j) {
  for (const auto& v : j) {
    if (!IsScalarJson(v)) return false;
  }
  return true;
}

Status Fail(const YAML::Node& at, int* error_line, std::string message) {
  if (error_line) *error_line = LineOf(at);
  return Status::Usage(std::move(message));
}

Result<nlohmann::json> ScalarJson(const YAML::Node& node, int* error_line) {
  const std::string& s = node.Scalar();
  // Quoted scalars carry the non-specific tag "!" and are strings.
  if (node.Tag() == "!") return nlohmann::json(s);
  switch (PlainScalarType(s)) {
    case ScalarType::kNull: return nlohmann::json(nullptr);
    case ScalarType::kBool: return nlohmann::json(s[0] == 't' || s[0] == 'T');
    case ScalarType::kInt: {
      int64_t v = 0;
      const char* b = s.data() + (s[0] == '+' ? 1 : 0);
      auto [p, ec] = std::from_chars(b, s.data() + s.size(), v);
      if (ec == std::errc() && p == s.data() + s.size()) return nlohmann::json(v);
      [[fallthrough]];  // too large for 64 bits: keep it as a decimal
    }
    case ScalarType::kFloat: {
      double d = std::strtod(s.c_str(), nullptr);
      if (!std::isfinite(d))
        return Fail(node, error_line, "number '" + s + "' is out of range");
      return nlohmann::json(d);
    }
    case ScalarType::kString: break;
  }
  return nlohmann::json(s);
}

}  // namespace

ScalarType PlainScalarType(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return ScalarType::kNull;
  for (const char* b : {"true", "True", "TRUE", "false", "False", "FALSE"})
    if (s == b) return ScalarType::kBool;
  // By hand, not std::regex: a long number overflowed the regex matcher's
  // stack (core/match.h).
  std::string_view v = s;
  if (v[0] == '+' || v[0] == '-') v.remove_prefix(1);
  if (IsAsciiDigits(v)) return ScalarType::kInt;
  if (IsUnsignedFloat(v)) return ScalarType::kFloat;
  return ScalarType::kString;
}

Result<nlohmann::json> JsonFromYaml(const YAML::Node& node, int* error_line) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null: return nlohmann::json(nullptr);
    case YAML::NodeType::Scalar: return ScalarJson(node, error_line);
    case YAML::NodeType::Sequence: {
      auto out = nlohmann::json::array();
      for (const auto& v : node) {
        HEAT_ASSIGN(auto j, JsonFromYaml(v, error_line));
        out.push_back(std::move(j));
      }
      return out;
    }
    case YAML::NodeType::Map: {
      auto out = nlohmann::json::object();
      for (const auto& kv : node) {
        if (!kv.first.IsScalar())
          return Fail(kv.first, error_line, "keys of JSON objects must be plain words");
        const std::string& key = kv.first.Scalar();
        if (out.contains(key)) return Fail(kv.first, error_line, "duplicate key '" + key + "'");
        HEAT_ASSIGN(out[key], JsonFromYaml(kv.second, error_line));
      }
      return out;
    }
  }
  return nlohmann::json(nullptr);
}

void EmitText(YAML::Emitter& out, const std::string& text) {
  if (PlainScalarType(text) != ScalarType::kString) out << YAML::DoubleQuoted;
  out << text;
}

void EmitJson(YAML::Emitter& out, const nlohmann::json& j, bool in_list) {
  if (j.is_object()) {
    if (AllScalars(j) && (in_list || j.size() <= 4)) out << YAML::Flow;
    out << YAML::BeginMap;
    auto entry = [&](const std::string& k, const nlohmann::json& v) {
      out << YAML::Key;
      EmitText(out, k);
      out << YAML::Value;
      EmitJson(out, v);
    };
    for (const char* k : kLeadKeys)
      if (j.contains(k)) entry(k, j[k]);
    for (const auto& [k, v] : j.items())
      if (std::find(std::begin(kLeadKeys), std::end(kLeadKeys), k) == std::end(kLeadKeys)) entry(k, v);
    out << YAML::EndMap;
  } else if (j.is_array()) {
    if (AllScalars(j)) out << YAML::Flow;
    out << YAML::BeginSeq;
    for (const auto& v : j) EmitJson(out, v, true);
    out << YAML::EndSeq;
  } else if (j.is_string()) {
    EmitText(out, j.get<std::string>());
  } else if (j.is_null()) {
    out << YAML::Null;
  } else {
    out << j.dump();  // numbers and booleans: JSON text is YAML text
  }
}

}  // namespace heat::network
