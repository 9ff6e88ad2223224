// UTF-8 display width and suggestions (core/text.h).
#include <gtest/gtest.h>

#include "heat/core/text.h"

namespace heat {
namespace {

TEST(TextTest, ChineseIsTwoColumnsWide) {
  EXPECT_EQ(DisplayWidth("一分公司"), 8u);
  EXPECT_EQ(DisplayWidth("S01 站"), 6u);
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("（全角）"), 8u);
  EXPECT_EQ(DisplayWidth("°C"), 2u);
  EXPECT_EQ(DisplayWidth("e\xCC\x81"), 1u);  // e + combining acute
}

TEST(TextTest, InvalidBytesCountOneAndNeverStall) {
  EXPECT_EQ(DisplayWidth("\xFF\xFE"), 2u);
  EXPECT_EQ(DisplayWidth("\xE4\xB8"), 2u);  // truncated 一
  EXPECT_FALSE(IsValidUtf8("\xE4\xB8"));
  EXPECT_FALSE(IsValidUtf8("\xC0\x80"));  // overlong
  EXPECT_TRUE(IsValidUtf8("幸福小区"));
  EXPECT_EQ(FirstInvalidUtf8("ab\xBE"), 2u);
  EXPECT_EQ(FirstInvalidUtf8("站"), std::string_view::npos);
}

TEST(TextTest, CodePointsDecodeAndBadBytesAdvanceOne) {
  std::string_view s = "a站\xE4\xB8";  // a, 站, then a truncated 一
  size_t i = 0;
  EXPECT_EQ(NextCodePoint(s, &i), U'a');
  EXPECT_EQ(NextCodePoint(s, &i), U'站');
  EXPECT_EQ(i, 4u);
  EXPECT_EQ(NextCodePoint(s, &i), U'\uFFFD');
  EXPECT_EQ(i, 5u);
  EXPECT_EQ(CodePointCount(s), 4u);
  EXPECT_EQ(CodePointCount("幸福 3号楼"), 6u);
  EXPECT_EQ(FirstInvalidUtf8("\xEF\xBF\xBD"), std::string_view::npos);  // U+FFFD itself is valid
}

TEST(TextTest, PaddingUsesDisplayWidth) {
  EXPECT_EQ(PadRight("站", 4), "站  ");
  EXPECT_EQ(PadLeft("12", 4), "  12");
  EXPECT_EQ(PadRight("long", 2), "long");
}

TEST(TextTest, SuggestFindsNearestAndPrefixes) {
  std::vector<std::string> c = {"station", "source", "status", "user"};
  EXPECT_EQ(Suggest("staton", c).front(), "station");
  EXPECT_EQ(Suggest("stauts", c).front(), "status");  // a swap is one edit
  EXPECT_EQ(Suggest("us", c).front(), "user");
  EXPECT_TRUE(Suggest("zzzzzz", c).empty());
  EXPECT_EQ(EditDistance("ab", "ba"), 1u);
}

TEST(TextTest, SmallHelpers) {
  EXPECT_EQ(Trim("  a b \n"), "a b");
  EXPECT_EQ(ToLower("AbC"), "abc");
  EXPECT_EQ(Split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
}

}  // namespace
}  // namespace heat

TEST(TextTest, ClipWidthNeverCutsAWideCharacterInHalf) {
  EXPECT_EQ(heat::ClipWidth("幸福小区", 5), "幸福");   // 4 columns; 小 would take 6
  EXPECT_EQ(heat::ClipWidth("幸福小区", 8), "幸福小区");
  EXPECT_EQ(heat::ClipWidth("H001 张三", 6), "H001 ");
  EXPECT_EQ(heat::ClipWidth("abc", 0), "");
  EXPECT_EQ(heat::ClipWidth("1号楼2单元", 7), "1号楼2");  // 6 columns: 单 would make 8
}

TEST(TextTest, AppendUtf8RoundTripsEveryLength) {
  for (char32_t cp : {U'a', U'é', U'张', U'😀', U'\U00020000'}) {
    std::string s;
    heat::AppendUtf8(&s, cp);
    size_t i = 0;
    EXPECT_EQ(heat::NextCodePoint(s, &i), cp);
    EXPECT_EQ(i, s.size());
  }
  std::string bad;
  heat::AppendUtf8(&bad, 0xD800);
  EXPECT_EQ(bad, "\xEF\xBF\xBD");
}

TEST(TextTest, UrlOriginIsSchemeHostAndPortOfHttpUrlsOnly) {
  EXPECT_EQ(heat::UrlOrigin("https://api.mch.weixin.qq.com/v3/pay"), "https://api.mch.weixin.qq.com");
  EXPECT_EQ(heat::UrlOrigin("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(heat::UrlOrigin("http://127.0.0.1:8080?x=/y"), "http://127.0.0.1:8080");
  EXPECT_EQ(heat::UrlOrigin("javascript://alert(1)/"), "");
  EXPECT_EQ(heat::UrlOrigin("/relative/path"), "");
  EXPECT_EQ(heat::UrlOrigin(""), "");
}
