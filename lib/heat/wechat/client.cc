#include "heat/wechat/client.h"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>

#include "heat/core/text.h"
#include "heat/core/version.h"
#include "heat/wechat/rfc3339.h"
#include "heat/wechat/tradebill.h"

namespace heat::wechat {
namespace {

using nlohmann::json;

constexpr size_t kMaxReply = 1 << 20;

struct Sink {
  std::string* out;
  size_t max;
  bool over = false;
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<Sink*>(user);
  if (s->out->size() + size * n > s->max) {
    s->over = true;
    return 0;  // aborts the transfer
  }
  s->out->append(data, size * n);
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  std::string_view line(data, size * n);
  size_t colon = line.find(':');
  if (colon != std::string_view::npos && line.size() < 4096)
    (*static_cast<Headers*>(user))[Trim(line.substr(0, colon))] = Trim(line.substr(colon + 1));
  return size * n;
}

std::string Sha1Hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha1(), nullptr);
  return HexLower(std::string_view(reinterpret_cast<const char*>(md), len));
}

Status ApiError(long status, const std::string& body, std::string* code) {
  json j = json::parse(body, nullptr, false);
  std::string message;
  if (j.is_object() && j.contains("code") && j["code"].is_string()) *code = j["code"].get<std::string>();
  if (j.is_object() && j.contains("message") && j["message"].is_string())
    message = j["message"].get<std::string>().substr(0, 300);
  std::string text = "WeChat Pay: " + std::to_string(status) + " " + (code->empty() ? "?" : *code) + ": " + message;
  if (status == 404) return Status::NotFound(text);
  if (status == 401 || status == 403) return Status::Permission(text);
  return Status::Failure(text);
}

Result<std::string> Field(const std::string& body, const char* key) {
  json j = json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains(key) || !j[key].is_string() || j[key].get<std::string>().empty() ||
      j[key].get<std::string>().size() > 2048)
    return Status::Failure(std::string("WeChat Pay: the reply has no ") + key);
  return j[key].get<std::string>();
}

bool Safe(std::string_view s) {  // an id that may go into a URL path unescaped
  if (s.empty() || s.size() > 32) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '|' && c != '*') return false;
  return true;
}

}  // namespace

int64_t Client::SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Client::Client(const Merchant& m, Clock clock) : m_(m), clock_(std::move(clock)) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
}

Client::~Client() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

Result<Client::Http> Client::Send(std::string_view method, const std::string& url, std::string_view path_query,
                                  std::string_view body, size_t max_body) {
  CURL* c = static_cast<CURL*>(curl_);
  if (!c) return Status::Failure("WeChat Pay: libcurl could not start");
  HEAT_ASSIGN(std::string auth, Authorization(m_, method, path_query, body, clock_(), NewNonce()));
  curl_easy_reset(c);  // keeps the live connection
  curl_slist* hs = nullptr;
  for (std::string h : {"Authorization: " + auth, std::string("Accept: application/json"),
                        std::string("Content-Type: application/json"), std::string("User-Agent: heat/") + Version()})
    hs = curl_slist_append(hs, h.c_str());
  Http r;
  Sink sink{&r.body, max_body};
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, url.rfind("https://", 0) == 0 ? "https" : "http");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(m_.timeout_ms));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r.headers);
  if (method == "POST") {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(hs);
  if (sink.over) return Status::Failure("WeChat Pay: the reply is larger than " + std::to_string(max_body) + " bytes");
  if (rc != CURLE_OK) return Status::Failure(std::string("WeChat Pay: ") + curl_easy_strerror(rc) + " (" + UrlOrigin(url) + ")");
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  return r;
}

Result<std::string> Client::Call(std::string_view method, const std::string& path_query, std::string_view body) {
  last_code_.clear();
  HEAT_ASSIGN(Http r, Send(method, m_.api_url + path_query, path_query, body, kMaxReply));
  Status signed_ok = VerifySigned(m_, r.headers, r.body, clock_());
  if (!signed_ok.ok()) {
    last_code_ = "SIGN_ERROR";
    return signed_ok.With("WeChat Pay: reply " + std::to_string(r.status) + " to " + std::string(method) + " " +
                          path_query.substr(0, path_query.find('?')) + " refused");
  }
  if (r.status < 200 || r.status > 299) return ApiError(r.status, r.body, &last_code_);
  return r.body;
}

Result<std::string> OrderBody(const Merchant& m, const char* kind, const OrderRequest& o) {
  if (!Safe(o.out_trade_no) || o.out_trade_no.size() < 6) return Status::Usage("out_trade_no is not 6-32 of [0-9A-Za-z_-|*]");
  if (o.description.empty() || o.description.size() > 127) return Status::Usage("the description is not 1-127 bytes");
  if (o.total <= 0 || o.total > kMaxFen) return Status::Usage("the amount is not above 0 fen");
  if (m.notify_url.empty() || !CheckApiUrl(m.notify_url).ok())
    return Status::Usage("wechat.notify_url is not set to an https:// address");
  json j{{"appid", m.appid}, {"mchid", m.mchid}, {"description", o.description}, {"out_trade_no", o.out_trade_no},
         {"notify_url", m.notify_url}, {"amount", {{"total", o.total}, {"currency", "CNY"}}}};
  if (o.expire_epoch > 0) j["time_expire"] = FormatBeijing(o.expire_epoch);
  std::string k = kind;
  if (k == "jsapi") {
    if (o.openid.empty() || o.openid.size() > 128) return Status::Usage("a JSAPI order needs the payer's openid");
    j["payer"] = {{"openid", o.openid}};
  }
  if (k == "h5") {
    if (o.client_ip.empty() || o.client_ip.size() > 45) return Status::Usage("an H5 order needs the payer's address");
    j["scene_info"] = {{"payer_client_ip", o.client_ip}, {"h5_info", {{"type", "Wap"}}}};
  }
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<std::string> Client::Create(const char* kind, const OrderRequest& o, const char* answer_key) {
  HEAT_ASSIGN(std::string body, OrderBody(m_, kind, o));
  HEAT_ASSIGN(std::string reply, Call("POST", std::string("/v3/pay/transactions/") + kind, body));
  return Field(reply, answer_key);
}

Result<std::string> Client::CreateNative(const OrderRequest& o) { return Create("native", o, "code_url"); }
Result<std::string> Client::CreateJsapi(const OrderRequest& o) { return Create("jsapi", o, "prepay_id"); }
Result<std::string> Client::CreateH5(const OrderRequest& o) { return Create("h5", o, "h5_url"); }

Result<Transaction> Client::QueryByOutTradeNo(std::string_view no) {
  if (!Safe(no)) return Status::Usage("out_trade_no is not 1-32 of [0-9A-Za-z_-|*]");
  HEAT_ASSIGN(std::string reply,
              Call("GET", "/v3/pay/transactions/out-trade-no/" + std::string(no) + "?mchid=" + m_.mchid, ""));
  HEAT_ASSIGN(Transaction t, ParseTransaction(m_, reply));
  if (t.out_trade_no != no) return Status::Failure("WeChat Pay: the reply is about another order");
  return t;
}

Status Client::Close(std::string_view no) {
  if (!Safe(no)) return Status::Usage("out_trade_no is not 1-32 of [0-9A-Za-z_-|*]");
  std::string body = json{{"mchid", m_.mchid}}.dump();
  auto r = Call("POST", "/v3/pay/transactions/out-trade-no/" + std::string(no) + "/close", body);
  return r.ok() ? Status::Ok() : r.status();
}

Result<std::string> Client::TradeBill(std::string_view date) {
  if (date.size() != 10 || date.find_first_not_of("0123456789-") != std::string_view::npos)
    return Status::Usage("the bill date is not YYYY-MM-DD");
  HEAT_ASSIGN(std::string reply, Call("GET", "/v3/bill/tradebill?bill_date=" + std::string(date) + "&bill_type=ALL", ""));
  HEAT_ASSIGN(std::string url, Field(reply, "download_url"));
  HEAT_ASSIGN(std::string hash_type, Field(reply, "hash_type"));
  HEAT_ASSIGN(std::string hash, Field(reply, "hash_value"));
  std::string origin = UrlOrigin(m_.api_url);
  if (origin.empty() || url.rfind(origin + "/", 0) != 0) return Status::Failure("WeChat Pay: the bill's download_url is not on " + origin);
  if (hash_type != "SHA1") return Status::Failure("WeChat Pay: the bill's hash_type is not SHA1");
  HEAT_ASSIGN(Http r, Send("GET", url, url.substr(origin.size()), "", kMaxTradeBillBytes));
  if (r.status != 200) return ApiError(r.status, r.body, &last_code_);
  if (Sha1Hex(r.body) != ToLower(hash))
    return Status::Failure("WeChat Pay: the trade bill of " + std::string(date) + " does not match its SHA1 (cut short or altered)");
  return r.body;
}

}  // namespace heat::wechat
