// Text from outside made safe to show (core/escape.h, SYS-1).
#include <gtest/gtest.h>

#include "heat/core/escape.h"

namespace heat {
namespace {

// SYS-1: what came from outside is shown, never obeyed by a terminal.
TEST(EscapeTest, ControlsAndBadBytesAreWrittenAsHex) {
  EXPECT_EQ(EscapeControl("S01站"), "S01站");
  EXPECT_EQ(EscapeControl(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(EscapeControl("\x1b[2J\r\n\x7f"), "\\x1b[2J\\x0d\\x0a\\x7f");
  EXPECT_EQ(EscapeControl("\xc2\x9b"), "\\xc2\\x9b");  // C1 CSI
  EXPECT_EQ(EscapeControl("\xff\xe4\xb8"), "\\xff\\xe4\\xb8");
  EXPECT_EQ(EscapeControl("a\\b"), "a\\\\b");
  EXPECT_EQ(EscapeControl("\xef\xbf\xbd"), "\xef\xbf\xbd");  // a real U+FFFD stays
}

TEST(EscapeTest, FirstControlFindsC0DelAndC1) {
  EXPECT_EQ(FirstControl("一分公司 S01"), std::string::npos);
  EXPECT_EQ(FirstControl("ab\tc"), 2u);
  EXPECT_EQ(FirstControl("站\x7f"), 3u);
  EXPECT_EQ(FirstControl("a\xc2\x85"), 1u);  // NEL
}

}  // namespace
}  // namespace heat
