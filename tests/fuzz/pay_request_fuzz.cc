// libFuzzer target: whatever a browser or an attacker sends the residents'
// page (heatpay.cgi, BIL-23) — any method, path, fields and cookies. The
// page answers with a whole response, never crashes, never echoes a field
// unescaped (a "<" sent comes back only as &lt;, never as markup that the
// page did not have anyway), and a POST that changes something is refused without the
// form's token. The database is unreachable here, so a request that gets
// past the checks ends in the "busy" page.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "heat/pay/app.h"

namespace {

// Lines: METHOD, PATH, then name=value fields; a field named "cookie:X" is a cookie.
heat::pay::Request FromBytes(std::string_view text) {
  heat::pay::Request r;
  int line = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    std::string l(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (line == 0) r.method = l;
    else if (line == 1) r.path = l;
    else {
      size_t eq = l.find('=');
      std::string k = l.substr(0, eq), v = eq == std::string::npos ? "" : l.substr(eq + 1);
      if (k.rfind("cookie:", 0) == 0) r.cookies[k.substr(7)] = v;
      else r.form[k] = v;
    }
    ++line;
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static heat::pay::App app(*heat::Config::Parse("db:\n  conninfo: \"host=/nonexistent-heat-fuzz\"\n", "fuzz.yaml"),
                            "fuzz-key-0123456789");
  heat::pay::Request r = FromBytes(std::string_view(reinterpret_cast<const char*>(data), size));
  heat::pay::Response out = app.Handle(r);
  if (out.status < 200 || out.status > 599) std::abort();
  bool changing = r.method == "POST" && r.path != "/notify";
  if (changing && out.status != 403 && out.status != 404 && out.status != 405 && out.status != 303) std::abort();
  // A value with "<" found in the page must be the page's own markup: the
  // same request with every value emptied shows it too.
  heat::pay::Request blank = r;
  for (auto& [k, v] : blank.form) v.clear();
  std::string plain = app.Handle(blank).body;
  for (const auto& [k, v] : r.form)
    if (v.find('<') != std::string::npos && out.body.find(v) != std::string::npos &&
        plain.find(v) == std::string::npos)
      std::abort();
  return 0;
}
