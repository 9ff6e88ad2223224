// wechat/aead.h — the encrypted resource of a WeChat Pay v3 notify
// (BIL-23): AEAD_AES_256_GCM with the APIv3 key (32 bytes), a 12-byte
// nonce, associated data, and base64 ciphertext whose last 16 bytes are
// the GCM tag. Decryption is all or nothing: a wrong key, tag, nonce or
// associated data is kPermission and no byte of plaintext is returned.
#pragma once

#include <string>
#include <string_view>

#include "heat/core/status.h"

namespace heat::wechat {

struct Resource {
  std::string algorithm;        // must be AEAD_AES_256_GCM
  std::string ciphertext;       // base64(ciphertext || tag)
  std::string associated_data;  // may be empty
  std::string nonce;            // 12 characters
  std::string original_type;    // "transaction" for payments (informative)
};

inline constexpr size_t kMaxCiphertextB64 = 64 * 1024;

Result<std::string> DecryptResource(std::string_view apiv3_key, const Resource& r);

}  // namespace heat::wechat
