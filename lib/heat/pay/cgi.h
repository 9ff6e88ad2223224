// pay/cgi.h — the request of this CGI process, read through cgicc from the
// environment and standard input that lighttpd gives it (RFC 3875).
//
// Contract: a body over kMaxBody bytes is not read (kUsage, answered 413);
// fields are bounded (at most 64, each name and value at most 4 KiB and
// valid UTF-8: others are dropped, so a page never echoes broken text);
// cookies likewise. Only the headers the page reads are kept.
#pragma once

#include <cstddef>

#include "heat/core/status.h"
#include "heat/pay/http.h"

namespace heat::pay {

constexpr size_t kMaxBody = 64 * 1024;

Result<Request> ReadCgiRequest();

}  // namespace heat::pay
