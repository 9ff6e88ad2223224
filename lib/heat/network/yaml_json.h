// network/yaml_json.h — JSON values written as YAML and back, for the JSON
// fields of import files (register map bodies, device settings). Internal to
// yaml_io; exposed for its tests.
//
// Plain YAML scalars are typed by the YAML 1.2 core schema (null, ~, true,
// false, integers, decimals with an optional exponent); quoted scalars are
// always strings. When writing, a string that would read back as another
// type is double-quoted, so JSON -> YAML -> JSON is the identity.
#pragma once

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <string>

#include "heat/core/status.h"

namespace heat::network {

enum class ScalarType { kNull, kBool, kInt, kFloat, kString };

// The type a plain (unquoted) scalar with this text has.
ScalarType PlainScalarType(const std::string& text);

// A YAML node as JSON. On an error, *error_line (if given) is set to the
// 1-based line of the offending node.
Result<nlohmann::json> JsonFromYaml(const YAML::Node& node, int* error_line = nullptr);

// Writes text as a YAML string, quoted when plain it would be no string.
void EmitText(YAML::Emitter& out, const std::string& text);

// Writes JSON as YAML: mappings in block style; lists of scalars, and
// mappings of scalars inside lists or of up to 4 keys, in flow style (one
// line each), keys `tag` and `name` first.
void EmitJson(YAML::Emitter& out, const nlohmann::json& j, bool in_list = false);

}  // namespace heat::network
