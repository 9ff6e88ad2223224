// wechat/merchant.h — who we are to WeChat Pay API v3 (BIL-23): the
// merchant number and app, the merchant's RSA key and its certificate
// serial (every request is signed with it), the APIv3 key (notifies are
// encrypted with it), and WeChat's platform certificates by serial (every
// response and notify is verified against the one its Wechatpay-Serial
// header names).
//
// LoadMerchant reads the wechat.* options of heat.yaml(5). The three
// secret files must be regular files that neither group nor other may
// read (0600 or 0400); anything else is a kPermission error naming the
// file and its mode. No secret byte ever goes into a message or a log.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "heat/core/config.h"
#include "heat/core/status.h"

namespace heat::wechat {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

struct Merchant {
  std::string mchid;      // 商户号, digits
  std::string appid;      // the official account / app the orders are for
  std::string serial_no;  // serial of the merchant certificate (upper-case hex)
  Pkey private_key;       // RSA 2048, signs requests and JSAPI pay-signs
  std::string apiv3_key;  // 32 bytes, AEAD_AES_256_GCM of notifies
  std::map<std::string, Pkey> platform_keys;  // certificate serial (upper hex) -> public key
  std::string api_url = "https://api.mch.weixin.qq.com";  // no trailing '/'
  std::string notify_url;                                 // where WeChat sends payment notifies
  int64_t timeout_ms = 10000;
};

Result<Merchant> LoadMerchant(const Config& cfg);

// The parts, for LoadMerchant and for tests. Errors say what is wrong
// with the text ("not a PEM private key") and never quote it.
Result<Pkey> PrivateKeyFromPem(std::string_view pem);
// Every certificate of a PEM bundle, keyed by its serial in upper-case hex
// without leading zeros removed beyond OpenSSL's own (WeChat's spelling).
Result<std::map<std::string, Pkey>> PlatformKeysFromPem(std::string_view pem);

// The API base must be https://, or http:// on the loopback address (the
// test server, tests/integration/support/fake_wechat.py).
Status CheckApiUrl(const std::string& url);

}  // namespace heat::wechat
