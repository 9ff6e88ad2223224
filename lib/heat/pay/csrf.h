// pay/csrf.h — tokens that prove a form came from this page (CSRF).
//
// Contract: a form's token is HMAC-SHA256 under the page's key
// (pay.key_file) of what the browser holds: the session token when the
// resident has looked a bill up, else a random cookie (hp_c) set with the
// look-up form. Another site can make a browser post, but cannot read the
// cookie nor compute the HMAC; cookies are SameSite=Strict as well.
// CsrfValid compares in constant time.
#pragma once

#include <string>
#include <string_view>

#include "heat/core/status.h"

namespace heat::pay {

std::string CsrfToken(const std::string& key, std::string_view binding);
bool CsrfValid(const std::string& key, std::string_view binding, std::string_view token);
// n random bytes as 2n lower-case hex digits (OpenSSL's RAND_bytes).
Result<std::string> RandomHex(size_t n);

}  // namespace heat::pay
