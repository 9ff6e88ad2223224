#include "heat/einvoice/client.h"

#include <curl/curl.h>

#include <ctime>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>

#include "heat/core/file.h"
#include "heat/einvoice/sign.h"
#include "heat/einvoice/tax.h"

namespace heat::einvoice {
namespace {

using nlohmann::json;

Result<std::string> FirstLineOf(const Config& cfg, const char* key) {
  const std::string& path = cfg.str(key);
  if (path.empty()) return Status::Usage(std::string(key) + " is empty; e-invoices need it (heat.yaml(5))");
  HEAT_ASSIGN(std::string text, ReadSecretFile(path, 4096));
  std::string line = text.substr(0, text.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) return Status::Usage(std::string(key) + ": the file's first line is empty");
  return line;
}

size_t Collect(char* data, size_t size, size_t n, void* out) {
  auto* body = static_cast<std::string*>(out);
  if (body->size() + size * n > kMaxReplyBytes + 1) return 0;  // too much: the transfer fails
  body->append(data, size * n);
  return size * n;
}

Status Unreached(const std::string& why) { return Status::Failure("vendor not reached: " + why).Transient(); }

}  // namespace

Result<Options> LoadOptions(const Config& cfg) {
  Options o;
  o.api_url = cfg.str("invoice.api_url");
  if (!o.api_url.starts_with("https://") && !o.api_url.starts_with("http://"))
    return Status::Usage("invoice.api_url must be the vendor's http(s) URL, got '" + o.api_url + "'");
  o.app_key = cfg.str("invoice.app_key");
  if (o.app_key.empty()) return Status::Usage("invoice.app_key is empty; e-invoices need it (heat.yaml(5))");
  o.seller_tax_id = cfg.str("invoice.seller_tax_id");
  if (!std::regex_match(o.seller_tax_id, std::regex("[0-9A-Z]{15,20}")))
    return Status::Usage("invoice.seller_tax_id must be the company's tax id, 15 to 20 digits and capitals");
  HEAT_ASSIGN(o.app_secret, FirstLineOf(cfg, "invoice.app_secret_file"));
  HEAT_ASSIGN(o.access_token, FirstLineOf(cfg, "invoice.access_token_file"));
  o.item_name = cfg.str("invoice.item_name");
  o.tax_rate_pct = static_cast<int>(cfg.integer("invoice.tax_rate"));
  o.timeout_ms = cfg.integer("invoice.timeout_ms");
  o.retry_s = cfg.seconds("invoice.retry");
  return o;
}

std::string IssueContent(const Options& o, const Order& order) {
  bool red = order.amount < 0;
  TaxSplit s{order.amount - order.tax, order.tax};
  json detail = {{"goodsName", o.item_name}, {"num", red ? "-1" : "1"},
                 {"price", Decimal(red ? -order.amount : order.amount)}, {"withTaxFlag", "1"},
                 {"taxRate", RateText(order.tax_rate_pct)}, {"taxExcludedAmount", Decimal(s.excluded)},
                 {"tax", Decimal(s.tax)}, {"taxIncludedAmount", Decimal(order.amount)}};
  json inv = {{"orderNo", order.order_no}, {"buyerName", order.buyer_name}, {"invoiceDate", order.invoice_date},
              {"salerTaxNum", o.seller_tax_id}, {"invoiceType", red ? "2" : "1"}, {"invoiceLine", "p"},
              {"pushMode", "-1"}, {"invoiceDetail", json::array({detail})}};
  if (!order.buyer_tax_id.empty()) inv["buyerTaxNum"] = order.buyer_tax_id;
  if (red) {
    inv["invoiceCode"] = order.orig_invoice_code;
    inv["invoiceNum"] = order.orig_invoice_no;
  }
  return json{{"order", inv}}.dump();
}

Result<std::string> Client::Issue(const Order& order) {
  HEAT_ASSIGN(std::string body, Call("nuonuo.OpeMplatform.requestBillingNew", IssueContent(o_, order)));
  return ParseIssueReply(body);
}

Result<std::vector<InvoiceState>> Client::Query(const std::string& serial) {
  json content = {{"serialNos", json::array({serial})}, {"isOfferInvoiceDetail", "0"}};
  HEAT_ASSIGN(std::string body, Call("nuonuo.OpeMplatform.queryInvoiceResult", content.dump()));
  return ParseQueryReply(body);
}

Status Client::Cancel(const std::string& serial, const std::string& invoice_code, const std::string& invoice_no) {
  json content = {{"invoiceId", serial}, {"invoiceCode", invoice_code}, {"invoiceNo", invoice_no}};
  auto body = Call("nuonuo.OpeMplatform.invoiceCancellation", content.dump());
  if (!body.ok()) return body.status();
  return ParseCancelReply(*body);
}

Result<std::string> Client::Call(const std::string& method, const std::string& content) {
  std::string senid = NewSenid(), nonce = NewNonce(), ts = std::to_string(std::time(nullptr));
  std::string sign = Sign(o_.app_secret, SignText(UrlPath(o_.api_url), o_.app_key, senid, nonce, ts, content));
  std::string url = o_.api_url + (o_.api_url.find('?') == std::string::npos ? "?" : "&") + "senid=" + senid +
                    "&nonce=" + nonce + "&timestamp=" + ts + "&appkey=" + o_.app_key;
  std::unique_ptr<CURL, void (*)(CURL*)> c(curl_easy_init(), &curl_easy_cleanup);
  if (!c) return Unreached("libcurl could not start");
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> h(nullptr, &curl_slist_free_all);
  const std::string lines[] = {"Content-Type: application/json; charset=utf-8", "X-Nuonuo-Sign: " + sign,
                               "accessToken: " + o_.access_token, "userTax: " + o_.seller_tax_id,
                               "method: " + method};
  for (const std::string& line : lines) h.reset(curl_slist_append(h.release(), line.c_str()));
  std::string body;
  curl_easy_setopt(c.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(c.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c.get(), CURLOPT_HTTPHEADER, h.get());
  curl_easy_setopt(c.get(), CURLOPT_POSTFIELDS, content.c_str());
  curl_easy_setopt(c.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(content.size()));
  curl_easy_setopt(c.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(o_.timeout_ms));
  curl_easy_setopt(c.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, &Collect);
  curl_easy_setopt(c.get(), CURLOPT_WRITEDATA, &body);
  CURLcode rc = curl_easy_perform(c.get());
  if (rc != CURLE_OK) return Unreached(curl_easy_strerror(rc));
  long status = 0;
  curl_easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) return Unreached("HTTP " + std::to_string(status));
  return body;
}

}  // namespace heat::einvoice
