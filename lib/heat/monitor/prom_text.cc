// monitor/prom_text.cc — a strict reader of the Prometheus text format.
#include "heat/monitor/prom_text.h"

#include <cmath>
#include <cstdlib>

namespace heat::monitor {

const std::string& Sample::label(std::string_view key) const {
  static const std::string kEmpty;
  for (const auto& [k, v] : labels)
    if (k == key) return v;
  return kEmpty;
}

namespace {

bool NameStart(char c, bool colon) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
}
bool NameChar(char c, bool colon) { return NameStart(c, colon) || (c >= '0' && c <= '9'); }

// A cursor over one line; every Take* leaves it after what it took.
struct Line {
  std::string_view s;
  size_t i = 0;
  bool End() const { return i >= s.size(); }
  char Peek() const { return End() ? '\0' : s[i]; }
  void Blanks() {
    while (!End() && (s[i] == ' ' || s[i] == '\t')) ++i;
  }
  std::string_view Name(bool colon) {
    size_t from = i;
    if (End() || !NameStart(s[i], colon)) return {};
    while (!End() && NameChar(s[i], colon)) ++i;
    return s.substr(from, i - from);
  }
  std::string_view Token() {
    size_t from = i;
    while (!End() && s[i] != ' ' && s[i] != '\t') ++i;
    return s.substr(from, i - from);
  }
};

// "…" with its escapes, the cursor on the opening quote.
Result<std::string> Quoted(Line& l) {
  if (l.Peek() != '"') return Status::Usage("a label value must be quoted");
  std::string out;
  for (++l.i; !l.End(); ++l.i) {
    char c = l.s[l.i];
    if (c == '"') {
      ++l.i;
      return out;
    }
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++l.i == l.s.size()) break;
    char e = l.s[l.i];
    if (e == 'n') out += '\n';
    else if (e == '\\' || e == '"') out += e;
    else return Status::Usage(std::string("unknown escape \\") + e + " in a label value");
  }
  return Status::Usage("a label value is not closed");
}

Status Labels(Line& l, Sample& out) {
  ++l.i;  // {
  for (;;) {
    l.Blanks();
    if (l.Peek() == '}') break;
    std::string_view key = l.Name(false);
    if (key.empty()) return Status::Usage("a label name is expected");
    l.Blanks();
    if (l.Peek() != '=') return Status::Usage("'=' is expected after the label name " + std::string(key));
    ++l.i;
    l.Blanks();
    HEAT_ASSIGN(std::string v, Quoted(l));
    if (out.labels.size() == kMaxLabels) return Status::Usage("more than 64 labels");
    out.labels.emplace_back(key, std::move(v));
    l.Blanks();
    if (l.Peek() == ',') ++l.i;
    else if (l.Peek() != '}') return Status::Usage("',' or '}' is expected after a label");
  }
  ++l.i;  // }
  return Status::Ok();
}

// A token as an error message shows it: printable ASCII, at most 40 characters.
std::string Shown(std::string_view t) {
  std::string out;
  for (char c : t.substr(0, 40)) out += (c >= ' ' && c < 0x7f) ? c : '?';
  return out;
}

// Go's strconv.FormatFloat forms: digits, '.', exponent, or NaN/±Inf.
Result<double> Value(std::string_view t) {
  if (t == "NaN") return std::nan("");
  if (t == "+Inf" || t == "Inf") return HUGE_VAL;
  if (t == "-Inf") return -HUGE_VAL;
  if (t.empty() || t.size() > 64) return Status::Usage("a sample value is expected");
  for (char c : t)
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
      return Status::Usage("'" + Shown(t) + "' is not a number");
  std::string copy(t);
  char* end = nullptr;
  double v = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) return Status::Usage("'" + Shown(copy) + "' is not a number");
  return v;
}

Status Timestamp(std::string_view t) {
  size_t from = (!t.empty() && t[0] == '-') ? 1 : 0;
  if (t.size() == from || t.size() > 20) return Status::Usage("bad timestamp '" + Shown(t) + "'");
  for (size_t k = from; k < t.size(); ++k)
    if (t[k] < '0' || t[k] > '9') return Status::Usage("bad timestamp '" + Shown(t) + "'");
  return Status::Ok();
}

Result<Sample> ParseSample(std::string_view text) {
  Line l{text};
  Sample s;
  s.name = l.Name(true);
  if (s.name.empty()) return Status::Usage("a metric name is expected");
  l.Blanks();
  if (l.Peek() == '{') HEAT_TRY(Labels(l, s));
  l.Blanks();
  HEAT_ASSIGN(s.value, Value(l.Token()));
  l.Blanks();
  if (!l.End()) HEAT_TRY(Timestamp(l.Token()));
  l.Blanks();
  if (!l.End()) return Status::Usage("unexpected text after the sample");
  return s;
}

}  // namespace

Result<std::vector<Sample>> ParsePromText(std::string_view text,
                                          const std::function<bool(std::string_view name)>& keep) {
  std::vector<Sample> out;
  size_t pos = 0;
  for (int n = 1; pos < text.size(); ++n) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    auto where = [n](const std::string& m) { return Status::Usage("line " + std::to_string(n) + ": " + m); };
    if (line.size() > kMaxLineBytes) return where("longer than 64 KiB");
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') continue;
    auto s = ParseSample(line.substr(first));
    if (!s.ok()) return where(s.status().message());
    if (keep && !keep(s->name)) continue;
    if (out.size() == kMaxSamples) return where("more than 100000 samples");
    out.push_back(std::move(*s));
  }
  return out;
}

}  // namespace heat::monitor
