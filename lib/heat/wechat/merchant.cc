#include "heat/wechat/merchant.h"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "heat/core/file.h"
#include "heat/core/text.h"

namespace heat::wechat {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using Bio = std::unique_ptr<BIO, BioFree>;
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};

Bio MemBio(std::string_view text) {
  return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

std::string SerialHex(const X509* cert) {
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
  char* hex = bn ? BN_bn2hex(bn) : nullptr;
  std::string out = hex ? hex : "";
  OPENSSL_free(hex);
  BN_free(bn);
  return out;
}

std::string Upper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

const std::string& Required(const Config& cfg, const char* key, Status* s) {
  const std::string& v = cfg.str(key);
  if (v.empty() && s->ok()) *s = Status::Usage(std::string(key) + " is not set in heat.yaml (wechat section)");
  return v;
}

}  // namespace

Result<Pkey> PrivateKeyFromPem(std::string_view pem) {
  Bio bio = MemBio(pem);
  EVP_PKEY* k = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (!k) return Status::Usage("not a PEM private key");
  Pkey key(k);
  if (EVP_PKEY_get_base_id(k) != EVP_PKEY_RSA || EVP_PKEY_get_bits(k) < 2048)
    return Status::Usage("the merchant key must be RSA of 2048 bits or more");
  return key;
}

Result<std::map<std::string, Pkey>> PlatformKeysFromPem(std::string_view pem) {
  Bio bio = MemBio(pem);
  std::map<std::string, Pkey> keys;
  while (bio) {
    std::unique_ptr<X509, X509Free> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) break;
    Pkey pub(X509_get_pubkey(cert.get()));
    if (!pub || EVP_PKEY_get_base_id(pub.get()) != EVP_PKEY_RSA)
      return Status::Usage("a platform certificate without an RSA public key");
    keys[SerialHex(cert.get())] = std::move(pub);
  }
  if (keys.empty()) return Status::Usage("no PEM certificate found");
  return keys;
}

Status CheckApiUrl(const std::string& url) {
  if (url.rfind("https://", 0) == 0 && url.size() > 8) return Status::Ok();
  for (const char* local : {"http://127.0.0.1:", "http://localhost:", "http://[::1]:"})
    if (url.rfind(local, 0) == 0) return Status::Ok();
  return Status::Usage("wechat.api_url '" + url + "': must be https:// (http:// only on the loopback address)");
}

Result<Merchant> LoadMerchant(const Config& cfg) {
  Merchant m;
  Status s;
  m.mchid = Required(cfg, "wechat.mchid", &s);
  m.appid = Required(cfg, "wechat.appid", &s);
  m.serial_no = Upper(Required(cfg, "wechat.merchant_serial", &s));
  const std::string& key_file = Required(cfg, "wechat.merchant_key_file", &s);
  const std::string& v3_file = Required(cfg, "wechat.apiv3_key_file", &s);
  const std::string& cert_file = Required(cfg, "wechat.platform_cert_file", &s);
  HEAT_TRY(s);
  m.api_url = cfg.str("wechat.api_url");
  while (!m.api_url.empty() && m.api_url.back() == '/') m.api_url.pop_back();
  HEAT_TRY(CheckApiUrl(m.api_url));
  m.notify_url = cfg.str("wechat.notify_url");
  m.timeout_ms = cfg.integer("wechat.timeout_ms");
  HEAT_ASSIGN(std::string pem, ReadSecretFile(key_file, 64 * 1024));
  auto key = PrivateKeyFromPem(pem);
  OPENSSL_cleanse(pem.data(), pem.size());
  if (!key.ok()) return key.status().With(key_file);
  m.private_key = std::move(*key);
  HEAT_ASSIGN(std::string v3, ReadSecretFile(v3_file, 4096));
  m.apiv3_key = Trim(v3.substr(0, v3.find('\n')));
  OPENSSL_cleanse(v3.data(), v3.size());
  if (m.apiv3_key.size() != 32) return Status::Usage(v3_file + ": the APIv3 key must be 32 characters on the first line");
  HEAT_ASSIGN(std::string certs, ReadRegularFile(cert_file, 1 << 20, "a few certificates"));
  auto platform = PlatformKeysFromPem(certs);
  if (!platform.ok()) return platform.status().With(cert_file);
  m.platform_keys = std::move(*platform);
  return m;
}

}  // namespace heat::wechat
