#include "heat/core/config.h"

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "heat/core/address.h"
#include "heat/core/file.h"
#include "heat/core/match.h"
#include "heat/core/text.h"
#include "heat/core/time.h"

namespace heat {
namespace {

std::vector<std::string> AllKeys() {
  std::vector<std::string> keys;
  for (const auto& o : Options()) keys.push_back(o.key);
  return keys;
}

std::string Where(const std::string& file, const YAML::Node& n) {
  return file + ":" + std::to_string(n.Mark().line + 1);
}

Result<std::string> CheckDuration(const std::string& v) {
  static const std::regex re(R"(^(\d{1,9})(s|m|h|d)?$)");
  std::smatch m;
  if (!BoundedMatch(v, m, re)) return Status::Usage("expected a duration like 30s, 5m, 1h, got '" + v + "'");
  int64_t n = std::stoll(m[1]);
  int64_t unit = m[2] == "m" ? 60 : m[2] == "h" ? 3600 : m[2] == "d" ? 86400 : 1;
  return std::to_string(n * unit);
}

// Checks one `section: {key: value}` entry and stores it.
Status TakeValue(const std::string& file, const std::string& key, const YAML::Node& v,
                 std::map<std::string, std::string, std::less<>>& out) {
  const Option* o = FindOption(key);
  if (o == nullptr) {
    auto s = Suggest(key, AllKeys());
    return Status::Usage(Where(file, v) + ": " + key + ": unknown key" +
                         (s.empty() ? "" : " (did you mean " + s.front() + "?)"));
  }
  if (!v.IsScalar() && !v.IsNull())
    return Status::Usage(Where(file, v) + ": " + key + ": expected a single value");
  std::string text = v.IsNull() ? "" : v.Scalar();
  auto c = CheckOptionValue(*o, text);
  if (!c.ok()) return Status::Usage(Where(file, v) + ": " + key + ": " + c.status().message());
  out[key] = *c;
  return Status::Ok();
}

Status Walk(const std::string& file, const YAML::Node& root,
            std::map<std::string, std::string, std::less<>>& out) {
  if (root.IsNull()) return Status::Ok();
  if (!root.IsMap()) return Status::Usage(Where(file, root) + ": expected a mapping of sections");
  for (const auto& sec : root) {
    std::string name = sec.first.Scalar();
    bool known = false;
    for (const auto& o : Options()) known = known || std::string(o.key).rfind(name + ".", 0) == 0;
    if (!known) {
      std::vector<std::string> sections;
      for (const auto& o : Options()) sections.push_back(Split(o.key, '.')[0]);
      auto s = Suggest(name, sections);
      return Status::Usage(Where(file, sec.first) + ": " + name + ": unknown section" +
                           (s.empty() ? "" : " (did you mean " + s.front() + "?)"));
    }
    if (sec.second.IsNull()) continue;
    if (!sec.second.IsMap()) return Status::Usage(Where(file, sec.second) + ": " + name + ": expected a mapping");
    for (const auto& kv : sec.second) HEAT_TRY(TakeValue(file, name + "." + kv.first.Scalar(), kv.second, out));
  }
  return Status::Ok();
}

}  // namespace

const Option* FindOption(std::string_view key) {
  for (const auto& o : Options())
    if (key == o.key) return &o;
  return nullptr;
}

Result<std::string> CheckOptionValue(const Option& o, const std::string& v) {
  switch (o.type) {
    case OptionType::kString:
      if (o.choices == std::string_view(kHostPort) && !v.empty()) HEAT_TRY(ParseHostPort(v).status());
      return v;
    case OptionType::kInt: {
      static const std::regex re(R"(^-?\d{1,18}$)");
      if (!BoundedMatch(v, re)) return Status::Usage("expected a whole number, got '" + v + "'");
      int64_t n = std::stoll(v);
      if (o.min < o.max && (n < o.min || n > o.max))
        return Status::Usage("expected " + std::to_string(o.min) + " to " + std::to_string(o.max) + ", got " + v);
      return std::to_string(n);
    }
    case OptionType::kBool:
      if (v == "true" || v == "yes" || v == "on") return std::string("true");
      if (v == "false" || v == "no" || v == "off") return std::string("false");
      return Status::Usage("expected true or false, got '" + v + "'");
    case OptionType::kDouble: {
      char* end = nullptr;
      std::strtod(v.c_str(), &end);
      if (v.empty() || *end != '\0') return Status::Usage("expected a number, got '" + v + "'");
      return v;
    }
    case OptionType::kDuration: {
      HEAT_ASSIGN(std::string secs, CheckDuration(v));
      int64_t n = std::stoll(secs);
      if (o.min < o.max && (n < o.min || n > o.max))
        return Status::Usage("expected " + std::to_string(o.min) + "s to " + std::to_string(o.max) + "s, got " + v);
      return secs;
    }
    case OptionType::kTimezone: {
      auto tz = TimeZone::Load(v);
      if (!tz.ok()) return tz.status();
      return v;
    }
    case OptionType::kLevel:
    case OptionType::kEnum: {
      std::string choices = o.type == OptionType::kLevel ? "debug|info|notice|warning|error" : o.choices;
      for (const auto& c : Split(choices, '|'))
        if (c == v) return v;
      std::string pretty;
      for (const auto& c : Split(choices, '|')) pretty += (pretty.empty() ? "" : ", ") + c;
      return Status::Usage("expected one of " + pretty + ", got '" + v + "'");
    }
  }
  return Status::Failure("unhandled option type");
}

Config Config::Defaults() {
  Config c;
  for (const auto& o : Options()) {
    auto v = CheckOptionValue(o, o.default_value);
    if (!v.ok()) {
      std::fprintf(stderr, "bad default for %s: %s\n", o.key, v.status().message().c_str());
      std::abort();
    }
    c.values_[o.key] = *v;
  }
  return c;
}

Result<Config> Config::Parse(std::string_view text, const std::string& file) {
  Config c = Defaults();
  try {
    YAML::Node root = YAML::Load(std::string(text));
    HEAT_TRY(Walk(file, root, c.values_));
  } catch (const YAML::Exception& e) {
    return Status::Usage(file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return c;
}

Result<Config> Config::Load(const std::string& path) {
  auto text = ReadRegularFile(path, 1u << 20, "a configuration is small");
  if (!text.ok()) return text.status().With("configuration");
  return Parse(*text, path);
}

const std::string& Config::str(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end()) {
    std::fprintf(stderr, "config: undeclared option %.*s\n", static_cast<int>(key.size()), key.data());
    std::abort();
  }
  return it->second;
}

int64_t Config::integer(std::string_view key) const { return std::stoll(str(key)); }
bool Config::boolean(std::string_view key) const { return str(key) == "true"; }
double Config::real(std::string_view key) const { return std::stod(str(key)); }
int64_t Config::seconds(std::string_view key) const { return std::stoll(str(key)); }

std::vector<std::string> Config::ChangedNotReloadable(const Config& newer) const {
  std::vector<std::string> out;
  for (const auto& o : Options())
    if (!o.reloadable && str(o.key) != newer.str(o.key)) out.push_back(o.key);
  return out;
}

Config Config::WithRestartOnlyFrom(const Config& running) const {
  Config c = *this;
  for (const auto& o : Options())
    if (!o.reloadable) c.values_[o.key] = running.str(o.key);
  return c;
}

std::string OptionSynopsis(const Option& o) {
  static const char* kTypes[] = {"string", "int", "bool", "double", "duration", "timezone", "level", "enum"};
  std::string out = o.choices == std::string_view(kHostPort) ? "address" : kTypes[static_cast<int>(o.type)];
  if (o.type == OptionType::kInt && o.min < o.max) out += " " + std::to_string(o.min) + ".." + std::to_string(o.max);
  if (o.type == OptionType::kDuration && o.min < o.max)
    out += " " + std::to_string(o.min) + "s.." + std::to_string(o.max) + "s";
  if (o.type == OptionType::kEnum) out += std::string(" ") + o.choices;
  out += std::string(", default ") + (*o.default_value ? o.default_value : "empty");
  return out + (o.reloadable ? ", reloadable" : ", restart");
}

std::string DescribeOptions() {
  std::string out;
  for (const auto& o : Options()) out += std::string(o.key) + "\t" + OptionSynopsis(o) + "\t" + o.doc + "\n";
  return out;
}

}  // namespace heat
