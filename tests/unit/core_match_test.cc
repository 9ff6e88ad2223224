// Shape checks for outside text (core/match.h), and the regression that
// brought them: a long number overflowed std::regex's recursive matcher.
#include <gtest/gtest.h>

#include "heat/core/match.h"
#include "heat/network/yaml_io.h"
#include "heat/network/yaml_json.h"

namespace heat {
namespace {

TEST(MatchTest, BoundedMatchRefusesLongTextWithoutMatching) {
  static const std::regex digits(R"(\d+)");
  EXPECT_TRUE(BoundedMatch("12345", digits));
  EXPECT_FALSE(BoundedMatch(std::string(kMaxMatchLen + 1, '7'), digits));
  EXPECT_FALSE(BoundedMatch(std::string(200000, '7'), digits));  // would overflow the stack
  EXPECT_TRUE(BoundedMatch(std::string(1000, '7'), digits, 1000));
}

TEST(MatchTest, UnsignedFloatFollowsTheYamlCoreSchema) {
  for (const char* yes : {"1", "12.5", ".5", "1.", "1e5", "1.5E-3", "2e+10", "0.0"})
    EXPECT_TRUE(IsUnsignedFloat(yes)) << yes;
  for (const char* no : {"", ".", "e5", "1e", "1.5e+", "1..2", "1.2.3", "0x10", "1,5", "+1", " 1"})
    EXPECT_FALSE(IsUnsignedFloat(no)) << no;
  EXPECT_TRUE(IsAsciiDigits("0123"));
  EXPECT_FALSE(IsAsciiDigits(""));
  EXPECT_FALSE(IsAsciiDigits("12a"));
}

TEST(MatchTest, PlainScalarTypesOfAnyLength) {
  using network::PlainScalarType;
  using network::ScalarType;
  EXPECT_EQ(PlainScalarType("~"), ScalarType::kNull);
  EXPECT_EQ(PlainScalarType("True"), ScalarType::kBool);
  EXPECT_EQ(PlainScalarType("-42"), ScalarType::kInt);
  EXPECT_EQ(PlainScalarType("+4.2e1"), ScalarType::kFloat);
  EXPECT_EQ(PlainScalarType("4.2.1"), ScalarType::kString);
  EXPECT_EQ(PlainScalarType(std::string(100000, '9')), ScalarType::kInt);
  EXPECT_EQ(PlainScalarType("1." + std::string(100000, '5')), ScalarType::kFloat);
}

// Found by fuzzing (CI, stop 6): a station with a 4,000-digit decimal area
// crashed the network import with a stack overflow inside std::regex.
TEST(MatchTest, NetworkImportWithAHugeNumberIsAnErrorNotACrash) {
  std::string yaml = "stations:\n  - code: S1\n    heating_area_m2: 1." + std::string(4000, '5') +
                     "\nregister_maps:\n  - code: M1\n    body: {a: " + std::string(4000, '5') + "}\n";
  auto doc = network::ParseNetworkYaml(yaml, "big.yaml");
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.status().message().find("expected a number"), std::string::npos) << doc.status().message();
}

}  // namespace
}  // namespace heat
