#include "heat/pay/http.h"

namespace heat::pay {
namespace {

const std::string kEmpty;

const std::string& Get(const std::map<std::string, std::string>& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? kEmpty : it->second;
}

const char* Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 303: return "See Other";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Payload Too Large";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return status >= 500 ? "Internal Server Error" : "Error";
  }
}

}  // namespace

const std::string& Request::Field(const std::string& name) const { return Get(form, name); }
const std::string& Request::Cookie(const std::string& name) const { return Get(cookies, name); }
const std::string& Request::Header(const std::string& lower_name) const { return Get(headers, lower_name); }

Response Response::SeeOther(const std::string& location) {
  Response r;
  r.status = 303;
  r.headers.emplace_back("Location", location);
  return r;
}

Response Response::Text(int status, const std::string& text) {
  Response r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = text;
  return r;
}

Response& Response::Header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::string CookieHeader(const std::string& name, const std::string& value, int max_age_s, bool secure) {
  return name + "=" + value + "; Path=/; Max-Age=" + std::to_string(max_age_s) + "; HttpOnly; SameSite=Strict" +
         (secure ? "; Secure" : "");
}

std::string Serialize(const Response& r) {
  std::string out = "Status: " + std::to_string(r.status) + " " + Reason(r.status) + "\r\n";
  if (!r.content_type.empty()) out += "Content-Type: " + r.content_type + "\r\n";
  out += "Content-Security-Policy: default-src 'none'; style-src 'self'; img-src 'self' data:; "
         "script-src 'self'; form-action " + r.form_action + "; frame-ancestors 'none'; base-uri 'none'\r\n"
         "X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\n";
  bool cache_set = false;
  for (const auto& [k, v] : r.headers) {
    out += k + ": " + v + "\r\n";
    cache_set |= k == "Cache-Control";
  }
  if (!cache_set) out += "Cache-Control: no-store\r\n";
  out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n";
  return out + r.body;
}

}  // namespace heat::pay
