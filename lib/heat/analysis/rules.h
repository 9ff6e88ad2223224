// analysis/rules.h — the health check's rule base (ANA-6, ANA-10): what
// counts as an abnormal device, read from a YAML file data engineers edit
// (etc/analysis/health-rules.yaml, option analysis.rules; the format is
// heat-health-rules(5)).
//
// Each rule names the points it watches (by device kind and tag, a glob for
// the main tag), a condition of one kind with its parameters, the likely
// fault, the advice and a severity (1 critical .. 4 low, as alarm
// priorities). A section `theft` holds the parameters of the suspected
// heat-theft scoring (analysis/theft.h).
//
// The file comes from outside: every key is checked (unknown keys, a
// parameter a kind does not take, one it needs and lacks, numbers that do
// not parse or are out of range) and the first error is a kUsage
// "FILE:LINE: rules[N].KEY: what". Parsing never throws. Pure, no I/O but
// LoadRules' read of the file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "heat/core/status.h"

namespace heat::analysis {

// The kinds of condition, each over the hours of the window (hourly
// min/max/average/last of the readings) or, for reversals, the raw readings.
enum class CondKind {
  kFrozen,           // tag: spread of its values at most `tolerance` for `hours` hours in a row
  kDrift,            // |tag − ref| (hourly averages) above `limit` for `hours` hours in a row
  kFlowWithoutHeat,  // flow above `min_flow` while power below `max_power`, `hours` in a row
  kDtLow,            // supply − return below `limit` while flow above `min_flow`, `hours` in a row
  kHigh,             // hourly average above `limit` for `hours` in a row
  kLow,              // hourly average below `limit` for `hours` in a row
  kAtLimit,          // hourly average at or beyond `limit` in at least `share` of the window's hours
  kReversals,        // changes of direction (moves above `deadband`) per hour above `limit`, `hours` in a row
  kCounterRate,      // a counter's increase per hour over the window above `limit`
};

const char* CondKindName(CondKind k);

struct Condition {
  CondKind kind = CondKind::kHigh;
  double hours = 1;
  double limit = 0;
  double tolerance = 0;
  double min_flow = 0;
  double max_power = 0;
  double share = 0;
  double deadband = 0;
};

// Which points: device_kind ("" any) filters every role; `tag` may hold
// the globs * and ? and alternatives by |; the other roles are exact
// tags of the same object.
struct PointSel {
  std::string device_kind;
  std::string tag, ref, flow, power, supply, ret;
};

struct HealthRule {
  std::string id;  // [a-z][a-z0-9_-]*
  std::string title, fault, advice;
  PointSel points;
  Condition cond;
  int severity = 3;  // 1 critical, 2 high, 3 medium, 4 low
  int line = 0;      // in the file, for messages
};

// Suspected heat theft (analysis/theft.h), tunable in the same file.
struct TheftParams {
  double unheated_share = 0.5;      // of the heated neighbours' warmth above outdoor an unheated flat keeps
  double min_excess_c = 2;          // a room must be this much above that expectation to count
  double meter_kwh_m2_day = 0.02;   // a suspended house's own meter counting more than this is heat used
  double unmetered_share = 0.05;    // building meter minus its houses' meters above this share of it
  double min_score = 0.5;           // houses scoring less are not listed
};

struct RuleBase {
  std::vector<HealthRule> rules;
  TheftParams theft;
};

// Severity words of the file and of the listings: critical, high, medium, low.
const char* SeverityName(int severity);

Result<RuleBase> ParseRules(std::string_view text, const std::string& file);
// kNotFound for a missing file, else as ParseRules.
Result<RuleBase> LoadRules(const std::string& path);

// Whether `tag` matches the pattern: globs (* any run, ? one character)
// separated by | (any of them).
bool TagMatches(std::string_view pattern, std::string_view tag);
bool GlobMatches(std::string_view glob, std::string_view tag);

}  // namespace heat::analysis
