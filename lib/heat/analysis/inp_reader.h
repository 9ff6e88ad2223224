// analysis/inp_reader.h — the pieces of ReadInp (inp.h): the records of an
// .inp text and the reader that turns them into a Network. Internal to
// lib/heat/analysis.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "heat/analysis/inp.h"
#include "heat/analysis/inp_units.h"
#include "heat/core/status.h"

namespace heat::analysis::inp {

enum class Sec {
  kNone, kTitle, kJunctions, kReservoirs, kTanks, kPipes, kPumps, kValves, kDemands,
  kStatus, kCurves, kPatterns, kOptions, kCoordinates, kVertices, kEnd, kSkip,
};

struct Record {
  Sec sec = Sec::kNone;
  int line = 0;
  std::vector<std::string_view> tok;  // [TITLE]: the whole line
};

// Records in file order, up to [END]; kUsage for an unknown section or
// data before the first one.
Result<std::vector<Record>> Scan(std::string_view text);

std::string Upper(std::string_view s);
// A token for an error message: control bytes escaped, long ones cut.
std::string Show(std::string_view tok);
const char* SectionTitle(Sec s);
// A whole token as a finite number ("1e3", "-5", "+.5").
bool ParseNumber(std::string_view tok, double* out);
// EPANET's keyword match: the token starts with the (upper-case) prefix.
bool Matches(std::string_view tok, std::string_view prefix);

class Reader {
 public:
  Result<InpFile> Read(const std::vector<Record>& records);

 private:
  struct Demand {
    double base = 0;
    int pattern = -1;  // -1: the default pattern
  };

  Status Dispatch(const Record& r);
  Status Option(const Record& r);
  Status OptionValue(const Record& r, const std::string& key, double v);
  Status Pattern(const Record& r);
  Status CurvePoint(const Record& r);
  Status Junction(const Record& r);
  Status Reservoir(const Record& r);
  Status Tank(const Record& r);
  Status Pipe(const Record& r);
  Status PipeTail(const Record& r, Link& l);
  Status Pump(const Record& r);
  Status Valve(const Record& r);
  Status ValveSetting(const Record& r, Link& l);
  Status DemandLine(const Record& r);
  Status StatusLine(const Record& r);
  Status Coordinate(const Record& r);
  Status Vertex(const Record& r);
  Status Finish();
  Status CheckFinite() const;
  double SettingFactor(ValveType v) const;

  // "line N: [SECTION] message"
  Status Error(const Record& r, const std::string& msg) const;
  // Token i as a number; "ID: what 'x' is not a number" otherwise.
  Status Number(const Record& r, size_t i, const char* what, double* out) const;
  Status NeedTokens(const Record& r, size_t n, const char* form) const;
  Status AddNode(const Record& r, Node node);
  Status AddLink(const Record& r, Link link);
  Status Ends(const Record& r, Link::Kind kind, Link* l) const;
  Status Lookup(const Record& r, size_t i, const std::unordered_map<std::string_view, int>& map,
                const char* what, int* out) const;
  Status PatternOf(const Record& r, size_t i, int* out) const;

  InpFile out_;
  Units units_;
  double viscosity_ = -1;  // as read; < 0: not given
  double demand_multiplier_ = 1.0;
  std::string_view default_pattern_ = "1";
  std::unordered_map<std::string_view, int> nodes_, links_, curves_, patterns_;
  std::vector<double> pattern_first_;  // first multiplier of each pattern
  std::vector<std::vector<Demand>> demands_;  // per node
  std::vector<char> demands_replaced_;        // [DEMANDS] seen for the node
  std::vector<int> head_pattern_;             // reservoirs: pattern or -1
  std::vector<std::pair<int, int>> speed_pattern_;  // pump link, pattern
};

}  // namespace heat::analysis::inp
