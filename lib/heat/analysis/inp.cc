// ReadInp (inp.h): the text is cut into records (section, line, tokens),
// then read in an order that lets a line name what a later section
// defines: [OPTIONS] first (units decide every conversion), then
// [PATTERNS] and [CURVES], nodes, links, and last [DEMANDS] [STATUS]
// [COORDINATES] [VERTICES]. Tokens are views into the text; nothing is
// sized by a number read from it.
#include <charconv>
#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

#include "heat/analysis/inp.h"
#include "heat/analysis/inp_reader.h"
#include "heat/core/escape.h"

namespace heat::analysis::inp {
namespace {

struct SectionName {
  std::string_view name;
  Sec sec;
};

constexpr SectionName kSections[] = {
    {"TITLE", Sec::kTitle},        {"JUNCTIONS", Sec::kJunctions},
    {"RESERVOIRS", Sec::kReservoirs}, {"TANKS", Sec::kTanks},
    {"PIPES", Sec::kPipes},        {"PUMPS", Sec::kPumps},
    {"VALVES", Sec::kValves},      {"DEMANDS", Sec::kDemands},
    {"STATUS", Sec::kStatus},      {"CURVES", Sec::kCurves},
    {"PATTERNS", Sec::kPatterns},  {"OPTIONS", Sec::kOptions},
    {"COORDINATES", Sec::kCoordinates}, {"VERTICES", Sec::kVertices},
    {"END", Sec::kEnd},
    // Read by EPANET for what a snapshot does not need: skipped.
    {"CONTROLS", Sec::kSkip},      {"RULES", Sec::kSkip},
    {"ENERGY", Sec::kSkip},        {"QUALITY", Sec::kSkip},
    {"REACTIONS", Sec::kSkip},     {"TIMES", Sec::kSkip},
    {"REPORT", Sec::kSkip},        {"LABELS", Sec::kSkip},
    {"BACKDROP", Sec::kSkip},      {"TAGS", Sec::kSkip},
    {"EMITTERS", Sec::kSkip},      {"SOURCES", Sec::kSkip},
    {"MIXING", Sec::kSkip},        {"ROUGHNESS", Sec::kSkip},
    {"LEAKAGE", Sec::kSkip},
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

// Tokens of one line, comment removed; "quoted text" is one token.
std::vector<std::string_view> Tokens(std::string_view line) {
  line = line.substr(0, line.find(';'));
  std::vector<std::string_view> tok;
  size_t i = 0;
  while (i < line.size()) {
    if (IsSpace(line[i])) {
      ++i;
      continue;
    }
    size_t end;
    if (line[i] == '"') {
      end = line.find('"', i + 1);
      if (end == std::string_view::npos) end = line.size();
      tok.push_back(line.substr(i + 1, end - i - 1));
      i = end + 1;
      continue;
    }
    end = i;
    while (end < line.size() && !IsSpace(line[end])) ++end;
    tok.push_back(line.substr(i, end - i));
    i = end;
  }
  return tok;
}

Result<Sec> SectionOf(std::string_view line, int no) {
  size_t close = line.find(']');
  std::string name = Upper(line.substr(1, close == std::string_view::npos ? line.npos : close - 1));
  for (const SectionName& s : kSections) {
    if (name == s.name) return s.sec;
  }
  return Status::Usage("line " + std::to_string(no) + ": unknown section [" +
                       Show(name) + "]");
}

std::string_view TrimLeft(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && IsSpace(s[i])) ++i;
  return s.substr(i);
}

}  // namespace

std::string Upper(std::string_view s) {
  std::string u(s);
  for (char& c : u) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return u;
}

std::string Show(std::string_view tok) {
  constexpr size_t kMax = 40;
  std::string s = EscapeControl(tok.substr(0, kMax));
  return tok.size() > kMax ? s + "..." : s;
}

const char* SectionTitle(Sec s) {
  for (const SectionName& n : kSections) {
    if (n.sec == s && s != Sec::kSkip) return n.name.data();
  }
  return "";
}

Result<std::vector<Record>> Scan(std::string_view text) {
  std::vector<Record> out;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte-order mark
  Sec sec = Sec::kNone;
  int no = 0;
  size_t pos = 0;
  while (pos < text.size() && sec != Sec::kEnd) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++no;
    std::string_view body = TrimLeft(line);
    if (!body.empty() && body[0] == '[') {
      HEAT_ASSIGN(sec, SectionOf(body, no));
      continue;
    }
    if (sec == Sec::kSkip || sec == Sec::kEnd) continue;
    if (sec == Sec::kTitle) {
      out.push_back({sec, no, {line}});
      continue;
    }
    auto tok = Tokens(line);
    if (tok.empty()) continue;
    if (sec == Sec::kNone) {
      return Status::Usage("line " + std::to_string(no) + ": data before the first [SECTION]");
    }
    out.push_back({sec, no, std::move(tok)});
  }
  return out;
}

bool ParseNumber(std::string_view tok, double* out) {
  if (!tok.empty() && tok[0] == '+') tok.remove_prefix(1);
  if (tok.empty()) return false;
  const char* end = tok.data() + tok.size();
  auto [ptr, ec] = std::from_chars(tok.data(), end, *out);
  return ec == std::errc() && ptr == end && std::isfinite(*out);
}

bool Matches(std::string_view tok, std::string_view prefix) {
  return tok.size() >= prefix.size() && Upper(tok.substr(0, prefix.size())) == prefix;
}

}  // namespace heat::analysis::inp

namespace heat::analysis {

Result<InpFile> ReadInp(std::string_view text) {
  HEAT_ASSIGN(auto records, inp::Scan(text));
  inp::Reader reader;
  return reader.Read(records);
}

}  // namespace heat::analysis
