// Request keys of charges (billing/charge_key.h): what is a key, fresh
// keys, and when a stored payment is the same charge again.
#include <gtest/gtest.h>

#include <set>

#include "heat/billing/charge_key.h"

namespace heat::billing {
namespace {

TEST(ChargeKeyTest, KeysAreEightToSixtyFourPlainCharacters) {
  EXPECT_TRUE(CheckRequestKey("abcd1234").ok());
  EXPECT_TRUE(CheckRequestKey("till-3:2026-12-01.0042_a").ok());
  EXPECT_TRUE(CheckRequestKey(std::string(64, 'k')).ok());
  for (std::string bad : {std::string(), std::string("short"), std::string(65, 'k'), std::string("with space1"),
                          std::string("semi;colon1"), std::string("引号不要的键值很长")}) {
    Status st = CheckRequestKey(bad);
    EXPECT_EQ(st.code(), Code::kUsage) << bad;
  }
  EXPECT_EQ(CheckRequestKey("a b").message(),
            "--key 'a b': a request key is 8 to 64 letters, digits, '.', '_', ':' or '-'");
}

TEST(ChargeKeyTest, NewKeysAreValidAndDifferEveryTime) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto k = NewRequestKey();
    ASSERT_TRUE(k.ok());
    EXPECT_EQ(k->size(), 32u);
    EXPECT_TRUE(CheckRequestKey(*k).ok()) << *k;
    seen.insert(*k);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(ChargeKeyTest, AStoredPaymentIsTheSameChargeOnlyForTheSameAccountAmountAndMethod) {
  KeyedPayment prior{7, 3, "XF11301", "heat-00000001", "cash", 10000};
  PaymentRequest req{"XF11301", "", 10000, "cash", "counter", "", "k-00000001"};
  EXPECT_TRUE(SameCharge(prior, 7, req).ok());
  EXPECT_EQ(SameCharge(prior, 8, req).code(), Code::kUsage);  // another house or season
  req.amount = 10001;
  EXPECT_EQ(SameCharge(prior, 7, req).message(),
            "request key k-00000001 was used for another charge: receipt heat-00000001, house XF11301, "
            "100.00 cash; nothing charged");
  req.amount = 10000, req.method = "card";
  EXPECT_EQ(SameCharge(prior, 7, req).code(), Code::kUsage);
}

}  // namespace
}  // namespace heat::billing
