#include "heat/pay/csrf.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <vector>

#include "heat/core/text.h"

namespace heat::pay {

std::string CsrfToken(const std::string& key, std::string_view binding) {
  std::string msg = "heatpay-csrf|" + std::string(binding);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(msg.data()),
       msg.size(), mac, &len);
  return HexLower(std::string_view(reinterpret_cast<const char*>(mac), len));
}

bool CsrfValid(const std::string& key, std::string_view binding, std::string_view token) {
  if (binding.empty() || key.empty()) return false;
  std::string want = CsrfToken(key, binding);
  return token.size() == want.size() && CRYPTO_memcmp(token.data(), want.data(), want.size()) == 0;
}

Result<std::string> RandomHex(size_t n) {
  std::vector<unsigned char> b(n);
  if (RAND_bytes(b.data(), static_cast<int>(n)) != 1) return Status::Failure("no random bytes (RAND_bytes)");
  return HexLower(std::string_view(reinterpret_cast<const char*>(b.data()), n));
}

}  // namespace heat::pay
