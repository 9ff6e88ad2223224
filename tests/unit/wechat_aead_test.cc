// wechat/aead.h against a ciphertext made by python3-cryptography's AESGCM
// (wechat_vectors.h): it opens to the exact transaction, and a changed
// byte of ciphertext, tag, nonce, associated data or key gives an error
// and no plaintext.
#include "heat/wechat/aead.h"

#include <gtest/gtest.h>

#include "heat/wechat/sign.h"
#include "wechat_vectors.h"

namespace heat::wechat {
namespace {

using namespace vectors;  // NOLINT: the vectors

Resource Known() {
  return Resource{"AEAD_AES_256_GCM", std::string(kCiphertext), "transaction", "fdasflkja484", "transaction"};
}

TEST(WechatAeadTest, KnownCiphertextOpensToTheTransaction) {
  auto plain = DecryptResource(kApiV3Key, Known());
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  EXPECT_EQ(*plain, kTransactionJson);
}

TEST(WechatAeadTest, TamperedCiphertextIsRefused) {
  std::string raw = *Unbase64(kCiphertext);
  for (size_t at : {size_t{0}, raw.size() / 2, raw.size() - 1}) {  // body, body, tag
    std::string t = raw;
    t[at] ^= 0x01;
    Resource r = Known();
    r.ciphertext = Base64(t);
    auto plain = DecryptResource(kApiV3Key, r);
    EXPECT_EQ(plain.status().code(), Code::kPermission) << "byte " << at;
  }
}

TEST(WechatAeadTest, WrongKeyNonceOrAssociatedDataIsRefused) {
  Resource r = Known();
  r.associated_data = "transactioN";
  EXPECT_EQ(DecryptResource(kApiV3Key, r).status().code(), Code::kPermission);
  r = Known();
  r.nonce = "fdasflkja485";
  EXPECT_EQ(DecryptResource(kApiV3Key, r).status().code(), Code::kPermission);
  std::string key(kApiV3Key);
  key[0] = '1';
  EXPECT_EQ(DecryptResource(key, Known()).status().code(), Code::kPermission);
}

TEST(WechatAeadTest, MalformedResourceIsAUsageError) {
  Resource r = Known();
  r.algorithm = "AEAD_AES_128_GCM";
  EXPECT_EQ(DecryptResource(kApiV3Key, r).status().code(), Code::kUsage);
  r = Known();
  r.ciphertext = "AAAA";  // 3 bytes, shorter than the tag
  EXPECT_EQ(DecryptResource(kApiV3Key, r).status().code(), Code::kUsage);
  r = Known();
  r.ciphertext = "not base64!";
  EXPECT_EQ(DecryptResource(kApiV3Key, r).status().code(), Code::kUsage);
  r = Known();
  r.nonce = "short";
  EXPECT_EQ(DecryptResource(kApiV3Key, r).status().code(), Code::kUsage);
  EXPECT_EQ(DecryptResource("short key", Known()).status().code(), Code::kUsage);
}

}  // namespace
}  // namespace heat::wechat
