// pay/cgi.h — one request of the page as the web server hands it over
// (RFC 3875 variables and a body), read through cgicc: from this process's
// environment and standard input (CGI), or from one FastCGI request's
// parameters and stream (pay/fastcgi.h).
//
// Contract: a body over kMaxBody bytes is not read (kUsage, answered 413);
// fields are bounded (at most 64, each name and value at most 4 KiB and
// valid UTF-8: others are dropped, so a page never echoes broken text);
// cookies likewise. Only the headers the page reads are kept.
#pragma once

#include <cstddef>
#include <functional>

#include "heat/core/status.h"
#include "heat/pay/http.h"

namespace heat::pay {

constexpr size_t kMaxBody = 64 * 1024;

// Where a request's variables and body come from.
struct RequestSource {
  std::function<const char*(const char*)> param;  // a variable, nullptr when absent
  std::function<size_t(char*, size_t)> read;      // up to n bytes of the body
};

Result<Request> ReadRequest(const RequestSource& source);

// The request of this CGI process (environment and standard input).
Result<Request> ReadCgiRequest();

}  // namespace heat::pay
