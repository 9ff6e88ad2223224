#include "heat/einvoice/sign.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <vector>

#include "heat/core/text.h"

namespace heat::einvoice {
namespace {

std::string Random(size_t n, std::string_view alphabet) {
  std::vector<unsigned char> bytes(n);
  if (RAND_bytes(bytes.data(), static_cast<int>(n)) != 1) abort();  // no entropy: nothing safe to send
  std::string out;
  for (unsigned char b : bytes) out += alphabet[b % alphabet.size()];
  return out;
}

}  // namespace

std::string UrlPath(std::string_view url) {
  size_t scheme = url.find("://");
  size_t start = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  if (start == std::string_view::npos) return "/";
  size_t end = url.find_first_of("?#", start);
  return std::string(url.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
}

std::string SignText(std::string_view url_path, std::string_view app_key, std::string_view senid,
                     std::string_view nonce, std::string_view timestamp, std::string_view body) {
  std::vector<std::string> seg = Split(url_path, '/');  // "", "open", "v1", "services"
  auto part = [&](size_t i) { return i < seg.size() ? seg[i] : std::string(); };
  std::string t = "a=" + part(3) + "&l=" + part(2) + "&p=" + part(1);
  t.append("&k=").append(app_key).append("&i=").append(senid).append("&n=").append(nonce);
  t.append("&t=").append(timestamp).append("&f=").append(body);
  return t;
}

std::string Sign(std::string_view secret, std::string_view text) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(text.data()),
       text.size(), mac, &len);
  std::string out(4 * ((len + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), mac, static_cast<int>(len));
  out.resize(n < 0 ? 0 : n);
  return out;
}

std::string NewSenid() { return Random(32, "0123456789abcdef"); }
std::string NewNonce() { return Random(1, "123456789") + Random(7, "0123456789"); }

}  // namespace heat::einvoice
