#include "heat/wechat/aead.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <memory>

#include "heat/wechat/sign.h"

namespace heat::wechat {
namespace {

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

constexpr size_t kTag = 16;

// GCM open; false on any failure (the tag is checked last, by Final).
bool GcmOpen(std::string_view key, std::string_view nonce, std::string_view ad, std::string_view sealed,
             std::string* out) {
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
  auto u = [](std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); };
  std::string_view body = sealed.substr(0, sealed.size() - kTag), tag = sealed.substr(sealed.size() - kTag);
  std::string tag_copy(tag);
  out->assign(body.size(), '\0');
  int len = 0, fin = 0;
  bool ok = ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) == 1 &&
            EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, u(key), u(nonce)) == 1 &&
            (ad.empty() || EVP_DecryptUpdate(ctx.get(), nullptr, &len, u(ad), static_cast<int>(ad.size())) == 1) &&
            EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out->data()), &len, u(body),
                              static_cast<int>(body.size())) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, tag_copy.data()) == 1 &&
            EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out->data()) + len, &fin) == 1;
  if (!ok) {
    OPENSSL_cleanse(out->data(), out->size());
    out->clear();
  }
  return ok;
}

}  // namespace

Result<std::string> DecryptResource(std::string_view apiv3_key, const Resource& r) {
  if (r.algorithm != "AEAD_AES_256_GCM") return Status::Usage("resource.algorithm is not AEAD_AES_256_GCM");
  if (apiv3_key.size() != 32) return Status::Usage("the APIv3 key is not 32 bytes");
  if (r.nonce.size() != 12) return Status::Usage("resource.nonce is not 12 characters");
  if (r.associated_data.size() > 256) return Status::Usage("resource.associated_data is longer than 256 bytes");
  if (r.ciphertext.size() > kMaxCiphertextB64) return Status::Usage("resource.ciphertext is larger than 64 KiB");
  auto sealed = Unbase64(r.ciphertext);
  if (!sealed.ok()) return Status::Usage("resource.ciphertext is not base64");
  if (sealed->size() < kTag) return Status::Usage("resource.ciphertext is shorter than its 16-byte tag");
  std::string plain;
  if (!GcmOpen(apiv3_key, r.nonce, r.associated_data, *sealed, &plain))
    return Status::Permission("resource does not decrypt: wrong APIv3 key, or the ciphertext, nonce or "
                              "associated data was altered");
  return plain;
}

}  // namespace heat::wechat
