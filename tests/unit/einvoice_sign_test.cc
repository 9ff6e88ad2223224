// The vendor's request signature (einvoice/sign.h) against an
// independent implementation: the expected values were computed with
// Python's hmac module, e.g.
//   python3 -c "import hmac,hashlib,base64; print(base64.b64encode(hmac.new(
//     b'SDDED2523BED4643', TEXT.encode(), hashlib.sha1).digest()).decode())"
// with TEXT the string SignText must build.
#include <gtest/gtest.h>

#include <set>

#include "heat/einvoice/sign.h"

namespace heat::einvoice {
namespace {

const char* kBody = R"({"serialNos":["26000000000000000001"]})";

TEST(EinvoiceSignTest, SignTextNamesThePathSegmentsKeySenidNonceTimeAndBody) {
  EXPECT_EQ(SignText(UrlPath("https://sdk.nuonuo.com/open/v1/services?x=1"), "SD63236305",
                     "0123456789abcdef0123456789abcdef", "12345678", "1793577600", kBody),
            std::string("a=services&l=v1&p=open&k=SD63236305&i=0123456789abcdef0123456789abcdef&n=12345678"
                        "&t=1793577600&f=") + kBody);
}

TEST(EinvoiceSignTest, SignatureMatchesPythonHmacSha1Base64) {
  std::string text = SignText("/open/v1/services", "SD63236305", "0123456789abcdef0123456789abcdef", "12345678",
                              "1793577600", kBody);
  EXPECT_EQ(Sign("SDDED2523BED4643", text), "DNM8HLQoMFg6zHgCA3ESOW71YNM=");
  // UTF-8 key and text: python3 ... hmac.new('密钥'.encode(), '供热'.encode(), hashlib.sha1)
  EXPECT_EQ(Sign("密钥", "供热"), "NgUD4t/si+qhMsOIMF4OuaNyp3o=");
}

TEST(EinvoiceSignTest, UrlPathIsThePathWithoutQueryOrHost) {
  EXPECT_EQ(UrlPath("http://127.0.0.1:8080/open/v1/services"), "/open/v1/services");
  EXPECT_EQ(UrlPath("https://h/open/v1/services?senid=1#f"), "/open/v1/services");
  EXPECT_EQ(UrlPath("https://h"), "/");
}

TEST(EinvoiceSignTest, SenidAndNonceHaveTheirShapeAndDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    std::string s = NewSenid(), n = NewNonce();
    EXPECT_EQ(s.size(), 32u);
    EXPECT_EQ(s.find_first_not_of("0123456789abcdef"), std::string::npos) << s;
    EXPECT_EQ(n.size(), 8u);
    EXPECT_NE(n[0], '0');
    EXPECT_EQ(n.find_first_not_of("0123456789"), std::string::npos) << n;
    EXPECT_TRUE(seen.insert(s).second);
  }
}

}  // namespace
}  // namespace heat::einvoice
