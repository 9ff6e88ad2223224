// libFuzzer target: the request as the web server hands it to the
// residents' page (pay/cgi.h, heatpay.cgi(8)) — the variables an attacker
// controls (query string, cookies, content type and length, the WeChat Pay
// headers) and the body, read through cgicc as a CGI or FastCGI request
// is. Never crashes; what comes out is bounded as the contract says: at
// most 64 fields and 64 cookies, names and values valid UTF-8 of at most
// 4 KiB, a body of at most 64 KiB.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <string_view>

#include "heat/core/text.h"
#include "heat/pay/cgi.h"

namespace {

// Lines: QUERY_STRING, HTTP_COOKIE, CONTENT_TYPE, CONTENT_LENGTH,
// HTTP_WECHATPAY_SIGNATURE, REQUEST_METHOD; the rest is the body.
struct Input {
  std::map<std::string, std::string> vars;
  std::string body;
  size_t at = 0;
};

Input FromBytes(std::string_view text) {
  static const char* kNames[] = {"QUERY_STRING", "HTTP_COOKIE", "CONTENT_TYPE", "CONTENT_LENGTH",
                                 "HTTP_WECHATPAY_SIGNATURE", "REQUEST_METHOD"};
  Input in;
  size_t start = 0;
  for (const char* name : kNames) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) break;
    in.vars[name] = std::string(text.substr(start, end - start));
    start = end + 1;
  }
  in.body = std::string(text.substr(std::min(start, text.size())));
  return in;
}

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in = FromBytes(std::string_view(reinterpret_cast<const char*>(data), size));
  heat::pay::RequestSource src{[&in](const char* name) -> const char* {
                                 auto it = in.vars.find(name);
                                 return it == in.vars.end() ? nullptr : it->second.c_str();
                               },
                               [&in](char* buf, size_t n) -> size_t {
                                 size_t k = std::min(n, in.body.size() - in.at);
                                 std::memcpy(buf, in.body.data() + in.at, k);
                                 in.at += k;
                                 return k;
                               }};
  auto r = heat::pay::ReadRequest(src);
  if (!r.ok()) return 0;
  Check(r->form.size() <= 64 && r->cookies.size() <= 64 && r->body.size() <= heat::pay::kMaxBody);
  for (const auto* m : {&r->form, &r->cookies})
    for (const auto& [k, v] : *m)
      Check(!k.empty() && k.size() <= 64 && v.size() <= 4096 && heat::IsValidUtf8(k) && heat::IsValidUtf8(v));
  return 0;
}
