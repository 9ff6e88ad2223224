// network/kinds.h — the kinds of base information (SYS-3) as one table.
//
// Every kind (org unit, heat source, network, station, building, register
// map, device, point) is described once here: its table, and per field the
// key people use (in `heatctl station set S01 key=value` and in import
// files), the column, the type and whether it is required. The list, show,
// add, set and rm commands, import and export are all driven by this table,
// so a new column is one line.
//
// Values travel as text in a canonical form (see Canonical): decimals without
// trailing zeros, doubles in shortest round-trip form, JSON with sorted keys,
// locations as "lon,lat", references as the code of the referenced object.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "heat/core/status.h"

namespace heat::network {

enum class FieldType {
  kText,      // free text
  kCode,      // an identifier: letters, digits, _ . -
  kInt,
  kDecimal,   // numeric(p,s) in the database: exact
  kDouble,
  kEnum,      // one of Field::choices
  kRef,       // the code of an object of Field::ref_kind
  kLocation,  // a WGS84 point, "lon,lat"
  kJson,      // a JSON object
};

struct Field {
  const char* key;       // "heating_area_m2"
  const char* column;    // "heating_area_m2"; for kRef the id column ("org_id")
  FieldType type;
  bool required = false;
  const char* ref_kind = nullptr;          // for kRef: "org_unit"
  std::vector<const char*> choices = {};   // for kEnum
  const char* default_value = nullptr;     // canonical text when absent; nullptr = NULL
  const char* doc = "";
  int decimals = 2;   // kDecimal: the column's scale; more places are refused
  // How a listing reads it, when not the column itself: device settings go
  // through heat.device_settings, which keeps PSKs from operators.
  const char* read_sql = nullptr;
};

struct Kind {
  const char* name;      // "station": the word in heatctl commands
  const char* plural;    // "stations": the key in import files
  const char* table;     // "station" in schema heat
  const char* label;     // "station": in messages
  std::vector<Field> fields;      // without "code", which every kind has
  std::vector<const char*> list_keys;  // columns of `list` in table format
};

// All kinds, parents before children (the order of import and export).
const std::vector<Kind>& Kinds();
const Kind* FindKind(std::string_view name);  // by name or plural
const Field* FindField(const Kind& kind, std::string_view key);

// A value as the canonical text described above; nullopt is NULL.
using Value = std::optional<std::string>;
using Values = std::map<std::string, Value>;  // key -> value, "code" included

// Brings user or database text into canonical form, or says why it is not
// valid for the field ("heating_area_m2: expected a number, got 'ten'").
Result<Value> Canonical(const Field& field, const Value& raw);

// The SELECT that lists a kind with its keys as column names, references
// resolved to codes and every value in canonical text. "ORDER BY code".
std::string ListSql(const Kind& kind);

}  // namespace heat::network
