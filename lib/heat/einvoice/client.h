// einvoice/client.h — the invoicing vendor's open API over HTTPS
// (libcurl), modelled on 诺诺开放平台 (BIL-21): requestBillingNew issues an
// invoice, queryInvoiceResult tells how it went, invoiceCancellation
// withdraws one. Signed as einvoice/sign.h says; answers parsed by
// einvoice/reply.h.
//
// Contract:
// - Options come from heat.yaml's invoice.* (heat.yaml(5)); the app
//   secret and the access token from files only their owner can read
//   (0600). Neither is ever written to a message or a log.
// - Every call is one POST with invoice.timeout_ms as its whole budget.
//   Not reaching the vendor (refused, timed out, TLS, HTTP status other
//   than 200) is kFailure marked transient, like an unreadable answer; a
//   refusal by the vendor is kUsage (reply.h).
// - IssueContent is the content JSON of an invoice, a pure function of
//   the options and the order: a retry of the same order number sends
//   the same invoice.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "heat/core/config.h"
#include "heat/core/money.h"
#include "heat/core/status.h"
#include "heat/einvoice/reply.h"

namespace heat::einvoice {

struct Options {
  std::string api_url, app_key, app_secret, access_token, seller_tax_id, item_name;
  int tax_rate_pct = 9;
  int64_t timeout_ms = 10000;
  int64_t retry_s = 60;
};
// kUsage naming the key when one needed is empty or wrong; the secret
// files' errors as core/file.h gives them.
Result<Options> LoadOptions(const Config& cfg);

// One invoice to issue: blue (amount > 0) or red (amount < 0, with the
// code and number of the blue one it reverses).
struct Order {
  std::string order_no, buyer_name, buyer_tax_id, invoice_date;  // "YYYY-MM-DD HH:MM:SS"
  Fen amount = 0, tax = 0;
  int tax_rate_pct = 0;
  std::string orig_invoice_code, orig_invoice_no;
};
std::string IssueContent(const Options& o, const Order& order);

class Client {
 public:
  explicit Client(Options o) : o_(std::move(o)) {}
  // The vendor's serial number of the invoice.
  Result<std::string> Issue(const Order& order);
  Result<std::vector<InvoiceState>> Query(const std::string& serial);
  Status Cancel(const std::string& serial, const std::string& invoice_code, const std::string& invoice_no);

 private:
  // The answer's body to one signed call of `method`.
  Result<std::string> Call(const std::string& method, const std::string& content);
  Options o_;
};

}  // namespace heat::einvoice
