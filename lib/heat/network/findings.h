// network/findings.h — errors found while checking an import against the
// database, reported together like parse errors ("net.yaml: 2 errors,
// nothing imported" and up to 20 lines). Internal to the importers.
#pragma once

#include <string>
#include <vector>

#include "heat/core/status.h"

namespace heat::network {

struct Findings {
  static constexpr size_t kMaxShown = 20;
  std::vector<std::string> lines;
  Code code = Code::kUsage;  // kPermission as soon as one line is about scope

  void Add(Code c, std::string line) {
    if (c == Code::kPermission) code = c;
    lines.push_back(std::move(line));
  }
  bool empty() const { return lines.empty(); }
  Status ToStatus(const std::string& filename) const {
    std::string msg = filename + ": " + std::to_string(lines.size()) +
                      (lines.size() == 1 ? " error" : " errors") + ", nothing imported";
    for (size_t i = 0; i < lines.size() && i < kMaxShown; ++i) msg += "\n  " + lines[i];
    if (lines.size() > kMaxShown) msg += "\n  ... and " + std::to_string(lines.size() - kMaxShown) + " more";
    return Status(code, msg);
  }
};

}  // namespace heat::network
