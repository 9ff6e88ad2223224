// Placement files: parsing and checking (placement.h). Drawing is in
// placement_draw.cc.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <regex>

#include "heat/core/file.h"
#include "heat/core/match.h"
#include "heat/core/text.h"
#include "heat/forms/placement.h"

namespace heat::forms {
namespace {

constexpr size_t kMaxFields = 200, kMaxText = 2000;

// Every message is "FILE:LINE: KEY: what".
struct Checker {
  const std::string& file;
  Status Err(const YAML::Node& at, const std::string& key, const std::string& what) const {
    return Status::Usage(file + ":" + std::to_string(at.Mark().line + 1) + ": " + key + ": " + what);
  }
  Status Only(const YAML::Node& n, const std::string& key, const std::vector<std::string>& known) const {
    if (!n.IsMap()) return Err(n, key, "expected a map of keys");
    for (const auto& kv : n) {
      std::string k = kv.first.IsScalar() ? kv.first.Scalar() : "";
      if (std::ranges::count(known, k)) continue;
      auto s = Suggest(k, known);
      return Err(kv.first, key + "." + k, "unknown key" + (s.empty() ? "" : "; did you mean '" + s[0] + "'?"));
    }
    return Status::Ok();
  }
  Result<std::string> Text(const YAML::Node& n, const std::string& key, const std::string& name) const {
    YAML::Node v = n[name];
    if (!v) return std::string();
    if (!v.IsScalar()) return Err(v, key + "." + name, "expected text");
    if (!IsValidUtf8(v.Scalar()) || v.Scalar().size() > kMaxText)
      return Err(v, key + "." + name, "not UTF-8 text of at most 2000 bytes");
    return v.Scalar();
  }
  // A number in [lo, hi]; `def` when absent.
  Result<double> Num(const YAML::Node& n, const std::string& key, const std::string& name, double lo, double hi,
                     double def) const {
    YAML::Node v = n[name];
    if (!v) return def;
    const std::string s = v.IsScalar() ? v.Scalar() : "";
    char* end = nullptr;
    double d = s.empty() ? NAN : std::strtod(s.c_str(), &end);
    if (std::isnan(d) || *end != '\0' || d < lo || d > hi)
      return Err(v, key + "." + name, "'" + s + "' is not a number from " + FormatNum(lo) + " to " + FormatNum(hi));
    return d;
  }
  Result<bool> Flag(const YAML::Node& n, const std::string& key, const std::string& name) const {
    HEAT_ASSIGN(std::string s, Text(n, key, name));
    if (s.empty() || s == "false") return false;
    if (s == "true") return true;
    return Err(n[name], key + "." + name, "'" + s + "' is not true or false");
  }
  static std::string FormatNum(double d) {
    std::string s = std::to_string(d);
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s.pop_back();
    return s;
  }
};

Result<unsigned> Color(const Checker& c, const YAML::Node& n, const std::string& key) {
  HEAT_ASSIGN(std::string s, c.Text(n, key, "color"));
  if (s.empty()) return 0u;
  bool hex = s.size() == 7 && s[0] == '#' && std::all_of(s.begin() + 1, s.end(), [](char ch) {
               return std::isxdigit(static_cast<unsigned char>(ch));
             });
  if (!hex) return c.Err(n["color"], key + ".color", "'" + s + "' is not a colour #RRGGBB");
  return static_cast<unsigned>(std::strtoul(s.c_str() + 1, nullptr, 16));
}

Result<Field> ParseField(const Checker& c, const YAML::Node& n, const std::string& key, const Placement& p) {
  HEAT_TRY(c.Only(n, key, {"text", "x", "y", "size", "width", "align", "bold", "label", "rotate", "color"}));
  Field f;
  f.line = n.Mark().line + 1;
  HEAT_ASSIGN(f.text, c.Text(n, key, "text"));
  if (!n["text"]) return c.Err(n, key + ".text", "missing");
  HEAT_ASSIGN(f.x, c.Num(n, key, "x", 0, p.width_mm, -1));
  HEAT_ASSIGN(f.y, c.Num(n, key, "y", 0, p.height_mm, -1));
  if (f.x < 0 || f.y < 0) return c.Err(n, key, "x and y (mm) are required");
  HEAT_ASSIGN(f.size, c.Num(n, key, "size", 4, 96, 10));
  HEAT_ASSIGN(f.width, c.Num(n, key, "width", 0, p.width_mm - f.x, 0));
  HEAT_ASSIGN(f.align, c.Text(n, key, "align"));
  if (f.align.empty()) f.align = "left";
  if (f.align != "left" && f.align != "center" && f.align != "right")
    return c.Err(n["align"], key + ".align", "'" + f.align + "' is not left, center or right");
  HEAT_ASSIGN(f.bold, c.Flag(n, key, "bold"));
  HEAT_ASSIGN(f.label, c.Flag(n, key, "label"));
  HEAT_ASSIGN(f.rotate, c.Num(n, key, "rotate", -90, 90, 0));
  HEAT_ASSIGN(f.color, Color(c, n, key));
  return f;
}

Status ParsePage(const Checker& c, const YAML::Node& root, Placement& p) {
  YAML::Node page = root["page"];
  if (!page) return c.Err(root, "page", "missing (width_mm, height_mm)");
  HEAT_TRY(c.Only(page, "page", {"width_mm", "height_mm", "media"}));
  HEAT_ASSIGN(p.width_mm, c.Num(page, "page", "width_mm", 20, 1000, 0));
  HEAT_ASSIGN(p.height_mm, c.Num(page, "page", "height_mm", 20, 1000, 0));
  if (p.width_mm == 0 || p.height_mm == 0) return c.Err(page, "page", "width_mm and height_mm are required");
  HEAT_ASSIGN(p.media, c.Text(page, "page", "media"));
  static const std::regex media("^[A-Za-z0-9_.-]{0,64}$");
  if (!BoundedMatch(p.media, media)) return c.Err(page["media"], "page.media", "not a CUPS media name");
  return Status::Ok();
}

Status ParseQr(const Checker& c, const YAML::Node& root, Placement& p) {
  YAML::Node q = root["qr"];
  if (!q) return Status::Ok();
  HEAT_TRY(c.Only(q, "qr", {"x", "y", "size"}));
  HEAT_ASSIGN(p.qr_size, c.Num(q, "qr", "size", 10, std::min(p.width_mm, p.height_mm), 0));
  HEAT_ASSIGN(p.qr_x, c.Num(q, "qr", "x", 0, p.width_mm - p.qr_size, 0));
  HEAT_ASSIGN(p.qr_y, c.Num(q, "qr", "y", 0, p.height_mm - p.qr_size, 0));
  return Status::Ok();
}

Result<Placement> ParseRoot(const Checker& c, const YAML::Node& root) {
  if (!root.IsMap()) return c.Err(root, "(file)", "expected a map with name, page and fields");
  HEAT_TRY(c.Only(root, "(file)", {"name", "title", "page", "font", "fields", "qr"}));
  Placement p;
  p.file = c.file;
  HEAT_ASSIGN(p.name, c.Text(root, "(file)", "name"));
  HEAT_TRY(ParsePage(c, root, p));
  HEAT_ASSIGN(std::string font, c.Text(root, "(file)", "font"));
  if (!font.empty()) p.font = font;
  HEAT_TRY(ParseQr(c, root, p));
  YAML::Node list = root["fields"];
  if (!list || !list.IsSequence()) return c.Err(root, "fields", "expected a list of fields");
  if (list.size() > kMaxFields) return c.Err(list, "fields", "more than 200 fields");
  for (size_t i = 0; i < list.size(); ++i) {
    HEAT_ASSIGN(Field f, ParseField(c, list[i], "fields[" + std::to_string(i + 1) + "]", p));
    p.fields.push_back(std::move(f));
  }
  return p;
}

}  // namespace

double MmToPt(double mm) { return mm * 72.0 / 25.4; }

Result<Placement> ParsePlacement(std::string_view yaml_text, const std::string& file) {
  Checker c{file};
  try {
    return ParseRoot(c, YAML::Load(std::string(yaml_text)));
  } catch (const YAML::Exception& e) {
    return Status::Usage(file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

Result<Placement> LoadPlacement(const std::string& path) {
  HEAT_ASSIGN(std::string text, ReadRegularFile(path, 256u << 10, "a placement file is small"));
  return ParsePlacement(text, path);
}

}  // namespace heat::forms
