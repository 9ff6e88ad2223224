// pay/http.h — one HTTP exchange of the residents' page (heatpay.cgi(8)),
// independent of how it arrived (CGI here, a test's struct in unit
// tests).
//
// Contract:
// - Request holds what the page may look at, already bounded: form fields
//   (query string and url-encoded body; the first value of a name wins),
//   cookies, the raw body (notifications are JSON), the caller's address
//   and the few headers the page reads (lower-case names).
// - Serialize writes a CGI response: Status line, the headers given, and
//   on every response the security headers of the page (a strict
//   Content-Security-Policy without inline script, no framing, no
//   sniffing, no referrer, no caching of personal pages).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace heat::pay {

struct Request {
  std::string method = "GET";   // GET, POST, HEAD
  std::string path = "/";       // PATH_INFO, "/" when empty
  std::map<std::string, std::string> form, cookies, headers;
  std::string body, remote_addr, user_agent;
  bool https = false;

  // The field's value, "" when absent.
  const std::string& Field(const std::string& name) const;
  const std::string& Cookie(const std::string& name) const;
  const std::string& Header(const std::string& lower_name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Where the page's forms may lead (CSP form-action, which browsers also
  // apply to the redirect after a POST): the page itself, and for /pay
  // WeChat Pay's H5 cashier (App sets it).
  std::string form_action = "'self'";

  static Response SeeOther(const std::string& location);  // 303 after a POST
  static Response Text(int status, const std::string& text);
  Response& Header(std::string name, std::string value);
};

// "Set-Cookie" value: HttpOnly, SameSite=Strict, Path=/, Secure over TLS;
// max_age_s 0 deletes it.
std::string CookieHeader(const std::string& name, const std::string& value, int max_age_s, bool secure);

std::string Serialize(const Response& r);

}  // namespace heat::pay
