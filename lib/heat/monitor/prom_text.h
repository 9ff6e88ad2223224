// monitor/prom_text.h — the Prometheus text exposition format (0.0.4), as
// prometheus-node-exporter and the heat daemons serve it at /metrics, read
// by `heatctl system status` and heatd-alarm's system checks (OPS-1).
//
// The bytes come from the network and are treated as hostile: pure (text
// in, samples or the reason out), no allocation beyond the limits below,
// and the whole text is refused (kUsage, "line N: what") on the first line
// that is not a comment, a blank line or a well-formed sample:
//   name{label="value",...} value [timestamp]
// Names are [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]*;
// label values are quoted with the escapes \\ \" \n; values are decimal
// or exponent floats, NaN, +Inf, -Inf; timestamps integer milliseconds
// (read and dropped). Lines end in LF (a CR before it is allowed).
// Limits: a line of 64 KiB, 64 labels a sample, 100000 kept samples.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "heat/core/status.h"

namespace heat::monitor {

struct Sample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  // in the order given
  double value = 0;
  // The value of a label; "" when absent.
  const std::string& label(std::string_view key) const;
};

inline constexpr size_t kMaxLineBytes = 64 * 1024;
inline constexpr size_t kMaxLabels = 64;
inline constexpr size_t kMaxSamples = 100000;

// Every sample whose name `keep` accepts (every sample when keep is empty),
// in the order of the text. Every line is checked, kept or not.
Result<std::vector<Sample>> ParsePromText(std::string_view text,
                                          const std::function<bool(std::string_view name)>& keep = {});

}  // namespace heat::monitor
