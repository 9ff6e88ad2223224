// analysis/rules.cc — reading and checking the health rule base.
#include "heat/analysis/rules.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <regex>
#include <set>

#include "heat/core/escape.h"
#include "heat/core/file.h"
#include "heat/core/match.h"
#include "heat/core/text.h"

namespace heat::analysis {
namespace {

// What a kind takes: its point roles and condition parameters, required
// ones first (the count says how many are required).
struct KindSpec {
  CondKind kind;
  const char* name;
  std::vector<std::string> roles;
  size_t roles_required;
  std::vector<std::string> params;
  size_t params_required;
};

const std::vector<KindSpec>& Kinds() {
  using K = CondKind;
  static const std::vector<KindSpec> kinds = {
      {K::kFrozen, "frozen", {"tag"}, 1, {"hours", "tolerance"}, 1},
      {K::kDrift, "drift", {"tag", "ref"}, 2, {"limit", "hours"}, 2},
      {K::kFlowWithoutHeat, "flow_without_heat", {"flow", "power"}, 2, {"min_flow", "max_power", "hours"}, 3},
      {K::kDtLow, "dt_low", {"supply", "return", "flow"}, 2, {"limit", "hours", "min_flow"}, 2},
      {K::kHigh, "high", {"tag"}, 1, {"limit", "hours"}, 2},
      {K::kLow, "low", {"tag"}, 1, {"limit", "hours"}, 2},
      {K::kAtLimit, "at_limit", {"tag"}, 1, {"limit", "share"}, 2},
      {K::kReversals, "reversals", {"tag"}, 1, {"limit", "deadband", "hours"}, 1},
      {K::kCounterRate, "counter_rate", {"tag"}, 1, {"limit", "hours"}, 1},
  };
  return kinds;
}

const char* kDeviceKinds[] = {"control_box", "plc", "room_sensor", "heat_meter", "valve",
                              "pump", "electricity_meter", "water_meter"};
const char* kSeverities[] = {"critical", "high", "medium", "low"};

// Messages are "FILE:LINE: KEY: what".
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}
  Status Err(const YAML::Node& at, const std::string& key, const std::string& what) const {
    return Status::Usage(file_ + ":" + std::to_string(std::max(0, at.Mark().line) + 1) + ": " + key + ": " + what);
  }
  Status OnlyKeys(const YAML::Node& map, const std::string& key, const std::vector<std::string>& known) const;
  Result<std::string> Text(const YAML::Node& map, const std::string& key, const std::string& name,
                           bool required) const;
  Result<double> Number(const YAML::Node& v, const std::string& key) const;

 private:
  std::string file_;
};

Status Reader::OnlyKeys(const YAML::Node& map, const std::string& key, const std::vector<std::string>& known) const {
  if (!map.IsMap()) return Err(map, key, "expected a map of keys");
  for (const auto& kv : map) {
    if (!kv.first.IsScalar()) return Err(kv.first, key, "a key must be a word");
    const std::string& k = kv.first.Scalar();
    if (std::ranges::count(known, k)) continue;
    auto near = Suggest(k, known);
    return Err(kv.first, key + "." + k, near.empty() ? "unknown key" : "unknown key; did you mean '" + near[0] + "'?");
  }
  return Status::Ok();
}

Result<std::string> Reader::Text(const YAML::Node& map, const std::string& key, const std::string& name,
                                 bool required) const {
  YAML::Node v = map[name];
  if (!v) return required ? Err(map, key + "." + name, "missing") : Result<std::string>(std::string());
  if (!v.IsScalar()) return Err(v, key + "." + name, "expected text, not a list or map");
  const std::string& s = v.Scalar();
  if (!IsValidUtf8(s) || FirstControl(s) != std::string::npos)
    return Err(v, key + "." + name, "not one line of UTF-8 text");
  if (required && s.empty()) return Err(v, key + "." + name, "empty");
  if (s.size() > 1000) return Err(v, key + "." + name, "longer than 1000 bytes");
  return s;
}

Result<double> Reader::Number(const YAML::Node& v, const std::string& key) const {
  if (!v.IsScalar()) return Err(v, key, "expected a number");
  std::string s = v.Scalar();
  std::string_view digits = s;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) digits.remove_prefix(1);
  if (!IsUnsignedFloat(digits)) return Err(v, key, "'" + s.substr(0, 40) + "' is not a number");
  double d = std::strtod(s.c_str(), nullptr);
  if (!std::isfinite(d) || std::abs(d) > 1e9) return Err(v, key, "out of range");
  return d;
}

bool IsRuleId(const std::string& s) {
  static const std::regex re("^[a-z][a-z0-9_-]{0,62}$");
  return BoundedMatch(s, re);
}

bool IsTagGlob(const std::string& s) {
  static const std::regex re("^[a-z*?][a-z0-9_*?]{0,31}(\\|[a-z*?][a-z0-9_*?]{0,31}){0,15}$");
  return BoundedMatch(s, re, 600);
}

// The range each parameter must lie in.
Status CheckParam(const Reader& rd, const YAML::Node& at, const std::string& key, const std::string& name,
                  double v) {
  if (name == "hours" && !(v >= 1 && v <= 744)) return rd.Err(at, key, "hours: 1 to 744");
  if (name == "share" && !(v > 0 && v <= 1)) return rd.Err(at, key, "share: above 0, at most 1");
  if ((name == "tolerance" || name == "deadband" || name == "min_flow") && v < 0)
    return rd.Err(at, key, name + ": not negative");
  return Status::Ok();
}

void SetParam(Condition& c, const std::string& name, double v) {
  if (name == "hours") c.hours = v;
  else if (name == "limit") c.limit = v;
  else if (name == "tolerance") c.tolerance = v;
  else if (name == "min_flow") c.min_flow = v;
  else if (name == "max_power") c.max_power = v;
  else if (name == "share") c.share = v;
  else if (name == "deadband") c.deadband = v;
}

Result<const KindSpec*> ParseCondition(const Reader& rd, const YAML::Node& n, const std::string& key,
                                       Condition& c) {
  if (!n.IsMap()) return rd.Err(n, key, "expected a map with kind and its parameters");
  HEAT_ASSIGN(std::string kind, rd.Text(n, key, "kind", true));
  auto spec = std::ranges::find_if(Kinds(), [&](const KindSpec& s) { return kind == s.name; });
  if (spec == Kinds().end()) {
    std::string all;
    for (const auto& s : Kinds()) all += (all.empty() ? "" : ", ") + std::string(s.name);
    return rd.Err(n["kind"], key + ".kind", "'" + kind + "' is not one of " + all);
  }
  std::vector<std::string> known = spec->params;
  known.push_back("kind");
  HEAT_TRY(rd.OnlyKeys(n, key, known));
  c.kind = spec->kind;
  for (size_t i = 0; i < spec->params.size(); ++i) {
    const std::string& name = spec->params[i];
    YAML::Node v = n[name];
    if (!v) {
      if (i < spec->params_required) return rd.Err(n, key + "." + name, "missing (" + kind + " needs it)");
      continue;
    }
    HEAT_ASSIGN(double d, rd.Number(v, key + "." + name));
    HEAT_TRY(CheckParam(rd, v, key + "." + name, name, d));
    SetParam(c, name, d);
  }
  return &*spec;
}

Status ParsePoints(const Reader& rd, const YAML::Node& n, const std::string& key, const KindSpec& spec,
                   PointSel& p) {
  std::vector<std::string> known = spec.roles;
  known.push_back("device_kind");
  HEAT_TRY(rd.OnlyKeys(n, key, known));
  HEAT_ASSIGN(p.device_kind, rd.Text(n, key, "device_kind", false));
  if (!p.device_kind.empty() && !std::ranges::count(kDeviceKinds, p.device_kind, [](const char* s) {
        return std::string_view(s);
      }))
    return rd.Err(n["device_kind"], key + ".device_kind", "'" + p.device_kind + "' is not a device kind");
  for (size_t i = 0; i < spec.roles.size(); ++i) {
    const std::string& role = spec.roles[i];
    HEAT_ASSIGN(std::string tag, rd.Text(n, key, role, i < spec.roles_required));
    if (tag.empty()) continue;
    bool glob_ok = role == "tag";
    if (!IsTagGlob(tag) || (!glob_ok && tag.find_first_of("*?|") != std::string::npos))
      return rd.Err(n[role], key + "." + role,
                    "'" + tag + "' is not a tag" + (glob_ok ? " pattern ([a-z0-9_], * and ?, alternatives by |)" : " ([a-z][a-z0-9_]*)"));
    (role == "tag" ? p.tag : role == "ref" ? p.ref : role == "flow" ? p.flow : role == "power" ? p.power
     : role == "supply" ? p.supply : p.ret) = tag;
  }
  return Status::Ok();
}

Result<int> ParseSeverity(const Reader& rd, const YAML::Node& map, const std::string& key) {
  HEAT_ASSIGN(std::string s, rd.Text(map, key, "severity", true));
  for (int i = 0; i < 4; ++i)
    if (s == kSeverities[i] || s == std::to_string(i + 1)) return i + 1;
  return rd.Err(map["severity"], key + ".severity", "'" + s + "' is not critical, high, medium or low (1..4)");
}

Result<HealthRule> ParseRule(const Reader& rd, const YAML::Node& n, const std::string& key) {
  HEAT_TRY(rd.OnlyKeys(n, key, {"id", "title", "points", "condition", "fault", "advice", "severity"}));
  HealthRule r;
  r.line = n.Mark().line + 1;
  HEAT_ASSIGN(r.id, rd.Text(n, key, "id", true));
  if (!IsRuleId(r.id)) return rd.Err(n["id"], key + ".id", "'" + r.id + "' is not [a-z][a-z0-9_-]*, 63 at most");
  HEAT_ASSIGN(r.title, rd.Text(n, key, "title", true));
  HEAT_ASSIGN(r.fault, rd.Text(n, key, "fault", true));
  HEAT_ASSIGN(r.advice, rd.Text(n, key, "advice", true));
  HEAT_ASSIGN(r.severity, ParseSeverity(rd, n, key));
  if (!n["condition"]) return rd.Err(n, key + ".condition", "missing");
  HEAT_ASSIGN(const KindSpec* spec, ParseCondition(rd, n["condition"], key + ".condition", r.cond));
  if (!n["points"]) return rd.Err(n, key + ".points", "missing");
  HEAT_TRY(ParsePoints(rd, n["points"], key + ".points", *spec, r.points));
  return r;
}

Status ParseTheft(const Reader& rd, const YAML::Node& n, TheftParams& t) {
  const std::vector<std::string> names = {"unheated_share", "min_excess_c", "meter_kwh_m2_day", "unmetered_share",
                                          "min_score"};
  HEAT_TRY(rd.OnlyKeys(n, "theft", names));
  double* slots[] = {&t.unheated_share, &t.min_excess_c, &t.meter_kwh_m2_day, &t.unmetered_share, &t.min_score};
  for (size_t i = 0; i < names.size(); ++i) {
    if (!n[names[i]]) continue;
    HEAT_ASSIGN(double v, rd.Number(n[names[i]], "theft." + names[i]));
    bool share = names[i] == "unheated_share" || names[i] == "unmetered_share" || names[i] == "min_score";
    if (v < 0 || (share && v > 1))
      return rd.Err(n[names[i]], "theft." + names[i], share ? "between 0 and 1" : "not negative");
    *slots[i] = v;
  }
  return Status::Ok();
}

Result<RuleBase> ParseRoot(const Reader& rd, const YAML::Node& root) {
  if (!root || root.IsNull()) return rd.Err(root, "rules", "the file is empty");
  HEAT_TRY(rd.OnlyKeys(root, "(top)", {"rules", "theft"}));
  RuleBase base;
  if (!root["rules"]) return rd.Err(root, "rules", "missing");
  const YAML::Node list = root["rules"];
  if (!list.IsSequence()) return rd.Err(list, "rules", "expected a list of rules");
  std::set<std::string> ids;
  for (size_t i = 0; i < list.size(); ++i) {
    std::string key = "rules[" + std::to_string(i) + "]";
    HEAT_ASSIGN(HealthRule r, ParseRule(rd, list[i], key));
    if (!ids.insert(r.id).second) return rd.Err(list[i]["id"], key + ".id", "'" + r.id + "' is used twice");
    base.rules.push_back(std::move(r));
  }
  if (root["theft"]) HEAT_TRY(ParseTheft(rd, root["theft"], base.theft));
  return base;
}

}  // namespace

const char* CondKindName(CondKind k) {
  for (const auto& s : Kinds())
    if (s.kind == k) return s.name;
  return "?";
}

const char* SeverityName(int severity) { return severity >= 1 && severity <= 4 ? kSeverities[severity - 1] : "?"; }

Result<RuleBase> ParseRules(std::string_view text, const std::string& file) {
  Reader rd(file);
  try {
    return ParseRoot(rd, YAML::Load(std::string(text)));
  } catch (const YAML::Exception& e) {
    return Status::Usage(file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

Result<RuleBase> LoadRules(const std::string& path) {
  HEAT_ASSIGN(std::string text, ReadRegularFile(path, 1u << 20, "a health rule file is small"));
  return ParseRules(text, path);
}

bool TagMatches(std::string_view glob, std::string_view tag) {
  if (size_t bar = glob.find('|'); bar != std::string_view::npos)
    return TagMatches(glob.substr(0, bar), tag) || TagMatches(glob.substr(bar + 1), tag);
  return GlobMatches(glob, tag);
}

bool GlobMatches(std::string_view glob, std::string_view tag) {
  // Iterative with one backtrack point: linear in practice, no recursion.
  size_t g = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < tag.size()) {
    if (g < glob.size() && (glob[g] == '?' || glob[g] == tag[t])) {
      ++g, ++t;
    } else if (g < glob.size() && glob[g] == '*') {
      star = g++, mark = t;
    } else if (star != std::string_view::npos) {
      g = star + 1, t = ++mark;
    } else {
      return false;
    }
  }
  while (g < glob.size() && glob[g] == '*') ++g;
  return g == glob.size();
}

}  // namespace heat::analysis
