// wechat/client.h — the calls of WeChat Pay API v3 the platform makes
// (BIL-23), over libcurl: one handle reused (its connection is kept), TLS
// verified (https:// only; http:// only on the loopback address, for the
// test server), no redirects, wechat.timeout_ms per call.
//
// Every request carries the merchant's Authorization signature
// (wechat/sign.h); every response's Wechatpay-* signature is verified
// first, and a response that fails is an error (kPermission) whatever its
// status, 200 included. An error reply of WeChat's becomes a Status whose
// message holds its code and message ("WeChat Pay: 404 ORDER_NOT_EXIST:
// …"), kNotFound for 404, kPermission for 401/403, else kFailure; the
// code alone is last_code().
//
// The trade bill's file is fetched from the download_url of the signed
// reply (it must be on the API's own origin), the request signed the same
// way; the file itself is unsigned, so its SHA1 must equal hash_value.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "heat/core/money.h"
#include "heat/core/status.h"
#include "heat/wechat/merchant.h"
#include "heat/wechat/notify.h"
#include "heat/wechat/sign.h"

namespace heat::wechat {

struct OrderRequest {
  std::string out_trade_no;  // 6-32 of [0-9A-Za-z_-|*]
  std::string description;   // shown to the payer, 1-127 bytes
  Fen total = 0;             // fen, > 0
  int64_t expire_epoch = 0;  // time_expire; 0: WeChat's default
  std::string openid;        // JSAPI: the payer in our appid
  std::string client_ip;     // H5: the payer's address
};

class Client {
 public:
  using Clock = std::function<int64_t()>;  // epoch seconds
  static int64_t SystemNow();

  explicit Client(const Merchant& m, Clock clock = SystemNow);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  Result<std::string> CreateNative(const OrderRequest& o);  // code_url (weixin://wxpay/bizpayurl?pr=…)
  Result<std::string> CreateJsapi(const OrderRequest& o);   // prepay_id
  Result<std::string> CreateH5(const OrderRequest& o);      // h5_url
  Result<Transaction> QueryByOutTradeNo(std::string_view out_trade_no);
  Status Close(std::string_view out_trade_no);
  // The day's trade bill (bill_type ALL), its SHA1 checked; date YYYY-MM-DD.
  Result<std::string> TradeBill(std::string_view date);

  const std::string& last_code() const { return last_code_; }

 private:
  struct Http {
    long status = 0;
    Headers headers;
    std::string body;
  };
  Result<Http> Send(std::string_view method, const std::string& url, std::string_view path_query,
                    std::string_view body, size_t max_body);
  Result<std::string> Call(std::string_view method, const std::string& path_query, std::string_view body);
  Result<std::string> Create(const char* kind, const OrderRequest& o, const char* answer_key);

  const Merchant& m_;
  Clock clock_;
  void* curl_;  // CURL*
  std::string last_code_;
};

// The JSON body of an order request (for the client and the tests).
Result<std::string> OrderBody(const Merchant& m, const char* kind, const OrderRequest& o);

}  // namespace heat::wechat
