// wechat/sign.h — the signatures of WeChat Pay API v3 (BIL-23).
//
// Requests: the header
//   Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",
//                  signature="…",timestamp="…",serial_no="…"
// where signature = base64(RSA-SHA256, PKCS#1 v1.5, with the merchant key)
// over "METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n".
//
// Responses and notifies: "TIMESTAMP\nNONCE\nBODY\n" signed by the platform
// key whose certificate serial is Wechatpay-Serial; the headers
// Wechatpay-Timestamp, -Nonce, -Signature and -Serial carry the parts.
// Verify refuses (kPermission) an unknown serial, a bad signature, a
// missing header, and a timestamp more than 5 minutes from `now_s` (a
// replayed message); the clock is the caller's.
//
// The page's WeixinJSBridge call: paySign = base64(RSA-SHA256) over
// "appId\ntimeStamp\nnonceStr\nprepay_id=…\n" with the merchant key.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "heat/core/status.h"
#include "heat/wechat/merchant.h"

namespace heat::wechat {

// HTTP header names compare without case (RFC 9110).
struct CaseLess {
  bool operator()(std::string_view a, std::string_view b) const;
  using is_transparent = void;
};
using Headers = std::map<std::string, std::string, CaseLess>;

// A CGI's request headers: HTTP_WECHATPAY_SIGNATURE -> Wechatpay-Signature
// etc., looked up through `getenv` (std::getenv, or a test's function).
Headers WechatpayHeadersFromCgi(const std::function<const char*(const char*)>& getenv_fn);

inline constexpr int64_t kMaxClockSkewS = 300;

std::string Base64(std::string_view bytes);
// kUsage for anything but canonical base64 (padding required).
Result<std::string> Unbase64(std::string_view text);
// 32 characters of [0-9A-Z] from the OpenSSL random generator.
std::string NewNonce();

// base64 of the RSA-SHA256 (PKCS#1 v1.5) signature of message.
Result<std::string> RsaSign(EVP_PKEY* key, std::string_view message);
// kPermission unless signature_b64 is key's signature of message.
Status RsaVerify(EVP_PKEY* key, std::string_view message, std::string_view signature_b64);

// The Authorization header's value (without "Authorization: ").
Result<std::string> Authorization(const Merchant& m, std::string_view method, std::string_view path_query,
                                  std::string_view body, int64_t timestamp, std::string_view nonce);

// A response's or notify's signature, as described above.
Status VerifySigned(const Merchant& m, const Headers& headers, std::string_view body, int64_t now_s);

// The parameters of WeixinJSBridge.invoke('getBrandWCPayRequest', …).
struct JsapiPay {
  std::string app_id, time_stamp, nonce_str, package, sign_type, pay_sign;
};
Result<JsapiPay> JsapiPaySign(const Merchant& m, std::string_view prepay_id, int64_t timestamp,
                              std::string_view nonce);

}  // namespace heat::wechat
