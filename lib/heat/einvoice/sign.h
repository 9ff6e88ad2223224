// einvoice/sign.h — the signature of the invoicing vendor's open API
// (诺诺开放平台, BIL-21).
//
// A request is POSTed to API_URL?senid=S&nonce=N&timestamp=T&appkey=K with
// the content JSON as its body and the headers method, accessToken,
// userTax and X-Nuonuo-Sign. The signature is
//   base64(HMAC-SHA1(app secret,
//     "a=" P3 "&l=" P2 "&p=" P1 "&k=" K "&i=" S "&n=" N "&t=" T "&f=" BODY))
// where P1/P2/P3 are the first three segments of the URL's path
// (/open/v1/services: p=open, l=v1, a=services). The secret never leaves
// this module's callers' memory; nothing here logs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace heat::einvoice {

// The path of an http(s) URL: "https://h:1/open/v1/services?x" -> "/open/v1/services".
std::string UrlPath(std::string_view url);

std::string SignText(std::string_view url_path, std::string_view app_key, std::string_view senid,
                     std::string_view nonce, std::string_view timestamp, std::string_view body);
// base64 of HMAC-SHA1(secret, text).
std::string Sign(std::string_view secret, std::string_view text);

// A fresh senid (32 lower-case hex digits) and nonce (8 digits, not
// starting with 0), from OpenSSL's random generator.
std::string NewSenid();
std::string NewNonce();

}  // namespace heat::einvoice
