// core/config.h — the one configuration file, /etc/heat/heat.yaml (DESIGN
// §4), described by ONE table of options (config_options.cc): key, type,
// default, whether SIGHUP reloads it, and a line of documentation. Adding
// an option is adding a row. heat.yaml(5) lists the same table.
//
// Parsing is strict: unknown sections and keys are errors (with a "did you
// mean"), every value is checked against its type, and every error names
// file:line and the full key. A Config is immutable; a reload parses a new
// one and swaps only when it is valid (ChangedNotReloadable tells what a
// running daemon cannot take without a restart).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "heat/core/status.h"

namespace heat {

enum class OptionType { kString, kInt, kBool, kDouble, kDuration, kTimezone, kLevel, kEnum };

struct Option {
  const char* key;            // "site.timezone"
  OptionType type;
  const char* default_value;  // as it would be written in the file
  bool reloadable;
  const char* doc;
  int64_t min = 0, max = 0;   // kInt range (kDuration: in seconds) when min < max
  const char* choices = "";   // kEnum: "a|b|c"
};

const std::vector<Option>& Options();
const Option* FindOption(std::string_view key);

class Config {
 public:
  static Config Defaults();
  static Result<Config> Load(const std::string& path);
  static Result<Config> Parse(std::string_view yaml_text, const std::string& filename);

  // Typed values; asking for an undeclared key is a programming error.
  const std::string& str(std::string_view key) const;
  int64_t integer(std::string_view key) const;
  bool boolean(std::string_view key) const;
  double real(std::string_view key) const;
  int64_t seconds(std::string_view key) const;  // kDuration

  // Keys whose value differs in `newer` but are not reloadable.
  std::vector<std::string> ChangedNotReloadable(const Config& newer) const;
  // This configuration with every restart-only key set to its value in
  // `running` (a reload never half-applies: core/config_reload.h).
  Config WithRestartOnlyFrom(const Config& running) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;  // canonical text
};

// Validates one value against its option; returns the canonical text
// (durations in seconds, booleans true/false).
Result<std::string> CheckOptionValue(const Option& o, const std::string& value);

// One row's type, range or choices, default and reload word, as heat.yaml(5)
// writes it after the key: "int 1..65535, default 5683, restart"
// (tests/unit/config_doc_test.cc holds the page to this).
std::string OptionSynopsis(const Option& o);

// The option table as text (key, synopsis, doc), a line per option.
std::string DescribeOptions();

}  // namespace heat
