#include "heat/wechat/sign.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cctype>
#include <cstdlib>
#include <memory>

namespace heat::wechat {
namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

const std::string* Find(const Headers& h, std::string_view name) {
  auto it = h.find(name);
  return it == h.end() ? nullptr : &it->second;
}

bool AllDigits(std::string_view s) {
  if (s.empty() || s.size() > 12) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

bool CaseLess::operator()(std::string_view a, std::string_view b) const {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    int x = std::tolower(static_cast<unsigned char>(a[i])), y = std::tolower(static_cast<unsigned char>(b[i]));
    if (x != y) return x < y;
  }
  return a.size() < b.size();
}

Headers WechatpayHeadersFromCgi(const std::function<const char*(const char*)>& getenv_fn) {
  Headers h;
  for (const char* part : {"Timestamp", "Nonce", "Signature", "Serial", "Signature-Type"}) {
    std::string env = "HTTP_WECHATPAY_";
    for (const char* p = part; *p; ++p) env += *p == '-' ? '_' : static_cast<char>(std::toupper(*p));
    if (const char* v = getenv_fn(env.c_str())) h[std::string("Wechatpay-") + part] = v;
  }
  return h;
}

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

Result<std::string> Unbase64(std::string_view text) {
  auto bad = Status::Usage("not base64");
  if (text.size() % 4 != 0 || text.size() > (1u << 24)) return bad;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool pad_ok = c == '=' && i + 2 >= text.size() && (i + 1 == text.size() || text[i + 1] == '=');
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/' && !pad_ok) return bad;
  }
  std::string out(text.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return bad;
  size_t pad = text.empty() ? 0 : (text.back() == '=') + (text.size() > 1 && text[text.size() - 2] == '=');
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

std::string NewNonce() {
  static const char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  unsigned char raw[32];
  if (RAND_bytes(raw, sizeof raw) != 1) std::abort();  // no randomness: nothing safe to do
  std::string out;
  for (unsigned char b : raw) out += kAlphabet[b % 36];
  return out;
}

Result<std::string> RsaSign(EVP_PKEY* key, std::string_view message) {
  MdCtx ctx(EVP_MD_CTX_new());
  size_t len = 0;
  if (!ctx || !key || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1)
    return Status::Failure("RSA-SHA256 signing failed");
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1)
    return Status::Failure("RSA-SHA256 signing failed");
  sig.resize(len);
  return Base64(sig);
}

Status RsaVerify(EVP_PKEY* key, std::string_view message, std::string_view signature_b64) {
  auto sig = Unbase64(signature_b64);
  if (!sig.ok() || sig->empty()) return Status::Permission("the signature is not base64");
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || !key || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1)
    return Status::Failure("RSA-SHA256 verification could not start");
  int ok = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig->data()), sig->size(),
                            reinterpret_cast<const unsigned char*>(message.data()), message.size());
  if (ok != 1) return Status::Permission("the signature does not match");
  return Status::Ok();
}

Result<std::string> Authorization(const Merchant& m, std::string_view method, std::string_view path_query,
                                  std::string_view body, int64_t timestamp, std::string_view nonce) {
  std::string ts = std::to_string(timestamp);
  std::string message = std::string(method) + "\n" + std::string(path_query) + "\n" + ts + "\n" +
                        std::string(nonce) + "\n" + std::string(body) + "\n";
  HEAT_ASSIGN(std::string sig, RsaSign(m.private_key.get(), message));
  return "WECHATPAY2-SHA256-RSA2048 mchid=\"" + m.mchid + "\",nonce_str=\"" + std::string(nonce) +
         "\",signature=\"" + sig + "\",timestamp=\"" + ts + "\",serial_no=\"" + m.serial_no + "\"";
}

Status VerifySigned(const Merchant& m, const Headers& headers, std::string_view body, int64_t now_s) {
  const std::string* ts = Find(headers, "Wechatpay-Timestamp");
  const std::string* nonce = Find(headers, "Wechatpay-Nonce");
  const std::string* sig = Find(headers, "Wechatpay-Signature");
  const std::string* serial = Find(headers, "Wechatpay-Serial");
  if (!ts || !nonce || !sig || !serial)
    return Status::Permission("unsigned: a Wechatpay-Timestamp, -Nonce, -Signature or -Serial header is missing");
  if (!AllDigits(*ts)) return Status::Permission("Wechatpay-Timestamp is not a number of seconds");
  int64_t t = std::stoll(*ts);
  if (t > now_s + kMaxClockSkewS || t < now_s - kMaxClockSkewS)
    return Status::Permission("Wechatpay-Timestamp " + *ts + " is more than 5 minutes from now (" +
                              std::to_string(now_s) + "): refused as a replay");
  auto key = m.platform_keys.find(*serial);
  if (key == m.platform_keys.end())
    return Status::Permission("Wechatpay-Serial names no platform certificate of wechat.platform_cert_file");
  std::string message = *ts + "\n" + *nonce + "\n" + std::string(body) + "\n";
  return RsaVerify(key->second.get(), message, *sig).With("WeChat Pay platform signature");
}

Result<JsapiPay> JsapiPaySign(const Merchant& m, std::string_view prepay_id, int64_t timestamp,
                              std::string_view nonce) {
  JsapiPay p{m.appid, std::to_string(timestamp), std::string(nonce), "prepay_id=" + std::string(prepay_id), "RSA", ""};
  std::string message = p.app_id + "\n" + p.time_stamp + "\n" + p.nonce_str + "\n" + p.package + "\n";
  HEAT_ASSIGN(p.pay_sign, RsaSign(m.private_key.get(), message));
  return p;
}

}  // namespace heat::wechat
