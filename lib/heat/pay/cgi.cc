#include "heat/pay/cgi.h"

#include <cgicc/CgiEnvironment.h>
#include <cgicc/CgiInput.h>
#include <cgicc/Cgicc.h>
#include <cgicc/HTTPCookie.h>

#include <cstdlib>
#include <exception>
#include <iostream>

#include "heat/core/text.h"
#include "heat/wechat/sign.h"

namespace heat::pay {
namespace {

constexpr size_t kMaxField = 4096;
constexpr int kMaxFields = 64;

bool Acceptable(const std::string& name, const std::string& value) {
  return !name.empty() && name.size() <= 64 && value.size() <= kMaxField && IsValidUtf8(name) &&
         IsValidUtf8(value);
}

// The WeChat Pay notification's headers (HTTP_WECHATPAY_*), as the
// notify's parser names them, lower-cased for Request.
void ReadHeaders(const RequestSource& source, Request& r) {
  for (const auto& [name, value] : wechat::WechatpayHeadersFromCgi(source.param))
    if (!value.empty() && value.size() <= 2048) r.headers[ToLower(name)] = value;
}

// cgicc's view of a RequestSource.
class SourceInput : public cgicc::CgiInput {
 public:
  explicit SourceInput(const RequestSource& s) : s_(s) {}
  size_t read(char* data, size_t length) override { return s_.read(data, length); }
  std::string getenv(const char* name) override {
    const char* v = s_.param(name);
    return v ? v : "";
  }

 private:
  const RequestSource& s_;
};

}  // namespace

Result<Request> ReadCgiRequest() {
  RequestSource s{[](const char* name) -> const char* { return std::getenv(name); },
                  [](char* data, size_t n) -> size_t {
                    std::cin.read(data, static_cast<std::streamsize>(n));
                    return static_cast<size_t>(std::cin.gcount());
                  }};
  return ReadRequest(s);
}

Result<Request> ReadRequest(const RequestSource& source) {
  const char* len = source.param("CONTENT_LENGTH");
  if (len && std::strtoull(len, nullptr, 10) > kMaxBody)
    return Status::Usage("the request body is larger than 64 KiB");
  try {
    SourceInput input(source);
    cgicc::Cgicc cgi(&input);
    const cgicc::CgiEnvironment& env = cgi.getEnvironment();
    Request r;
    r.method = env.getRequestMethod();
    r.path = env.getPathInfo().empty() ? "/" : env.getPathInfo();
    r.remote_addr = env.getRemoteAddr();
    r.user_agent = env.getUserAgent().substr(0, 512);
    r.https = env.usingHTTPS();
    r.body = env.getPostData();
    int n = 0;
    for (const cgicc::FormEntry& e : cgi.getElements())
      if (++n <= kMaxFields && Acceptable(e.getName(), e.getValue())) r.form.emplace(e.getName(), e.getValue());
    n = 0;
    for (const cgicc::HTTPCookie& c : env.getCookieList())
      if (++n <= kMaxFields && Acceptable(c.getName(), c.getValue())) r.cookies.emplace(c.getName(), c.getValue());
    ReadHeaders(source, r);
    return r;
  } catch (const std::exception& e) {
    return Status::Usage(std::string("unreadable request: ") + e.what());
  }
}

}  // namespace heat::pay
