#include "heat/pay/csrf.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <vector>

namespace heat::pay {
namespace {

std::string Hex(const unsigned char* p, size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += digits[p[i] >> 4];
    out += digits[p[i] & 15];
  }
  return out;
}

}  // namespace

std::string CsrfToken(const std::string& key, std::string_view binding) {
  std::string msg = "heatpay-csrf|" + std::string(binding);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(msg.data()),
       msg.size(), mac, &len);
  return Hex(mac, len);
}

bool CsrfValid(const std::string& key, std::string_view binding, std::string_view token) {
  if (binding.empty() || key.empty()) return false;
  std::string want = CsrfToken(key, binding);
  return token.size() == want.size() && CRYPTO_memcmp(token.data(), want.data(), want.size()) == 0;
}

Result<std::string> RandomHex(size_t n) {
  std::vector<unsigned char> b(n);
  if (RAND_bytes(b.data(), static_cast<int>(n)) != 1) return Status::Failure("no random bytes (RAND_bytes)");
  return Hex(b.data(), n);
}

}  // namespace heat::pay
