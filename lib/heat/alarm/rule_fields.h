// alarm/rule_fields.h — a rule as people write it, word by word, for
// `heatctl alarm rule set` and the network file's alarm_rules section
// alike (ALM-3): the attachment, and each KEY=VALUE turned into the
// column heat.alarm_rule_set takes (sql 0028).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "heat/core/status.h"

namespace heat::alarm {

struct Attachment {
  std::string attach = "all", to;  // "station", "S01"; "all", "" for every station
};

// "all" (or empty) or LEVEL:WHAT with LEVEL one of network, process_type,
// device_kind, station, point; kUsage "attach: ..." otherwise.
Result<Attachment> ParseAttachment(const std::string& text);

// One key of a rule into body: kind (checked), tag, ref_tag, message_zh,
// message_en as text; limit and deadband as numbers (limit_value); on_delay
// and off_delay as seconds, or 30s, 5m, 1h (on_delay_s, ...); count and
// priority as whole numbers; notify as a comma-separated list; enabled as
// true or false. kUsage "KEY: what is wrong" otherwise, or for a key that
// is none of these.
Status AddRuleField(const std::string& key, const std::string& value, nlohmann::json& body);

}  // namespace heat::alarm
