// Pinyin search of communities and customers (billing/pinyin.h; BIL-3):
// full pinyin and initials, every common reading of a polyphone, bounded
// keys, and agreement between Matches() and the SQL LIKE on the keys.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "heat/billing/pinyin.h"

namespace heat::billing {
namespace {

bool HasReading(char32_t c, std::string_view r) {
  auto rs = Readings(c);
  return std::find(rs.begin(), rs.end(), r) != rs.end();
}

std::vector<std::string> Tokens(const std::string& keys) {
  std::vector<std::string> out;
  for (size_t start = 0; start < keys.size();) {
    size_t space = std::min(keys.find(' ', start), keys.size());
    out.push_back(keys.substr(start, space - start));
    start = space + 1;
  }
  return out;
}

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(PinyinTest, ReadingsOfPolyphones) {
  EXPECT_TRUE(HasReading(U'\u957F', "chang"));  // 长
  EXPECT_TRUE(HasReading(U'\u957F', "zhang"));
  EXPECT_TRUE(HasReading(U'行', "xing"));
  EXPECT_TRUE(HasReading(U'行', "hang"));
  EXPECT_TRUE(HasReading(U'重', "zhong"));
  EXPECT_TRUE(HasReading(U'重', "chong"));
  EXPECT_EQ(Readings(U'春'), std::vector<std::string_view>{"chun"});
  EXPECT_EQ(Readings(U'吕'), std::vector<std::string_view>{"lv"});  // ü is v in the table
  EXPECT_EQ(Readings(U'重').front(), "zhong");                      // kMandarin first
  for (char32_t c : {U'长', U'行', U'和', U'女', U'嗯'}) EXPECT_LE(Readings(c).size(), 4u);
}

TEST(PinyinTest, ReadingsAreEmptyForNonHan) {
  EXPECT_TRUE(Readings(U'a').empty());
  EXPECT_TRUE(Readings(U'3').empty());
  EXPECT_TRUE(Readings(U'。').empty());
  EXPECT_TRUE(Readings(0x110000).empty());
}

TEST(PinyinTest, ChangchunByEveryReadingOfZhang) {
  for (const char* q : {"cc", "zc", "changchun", "zhangchun", "CC", "ChangChun"}) EXPECT_TRUE(Matches(q, "长春")) << q;
  EXPECT_FALSE(Matches("hc", "长春"));
  EXPECT_EQ(SearchKeys("长春"), "zhangchun changchun zc cc");
  EXPECT_TRUE(Matches("cc", "長春"));  // traditional 長 alike
}

TEST(PinyinTest, BankByEveryReadingOfXing) {
  for (const char* q : {"yh", "yinhang", "yinxing", "yx"}) EXPECT_TRUE(Matches(q, "银行")) << q;
}

TEST(PinyinTest, CommunityByInitialsFullAndPrefix) {
  const char* text = "幸福小区";
  EXPECT_EQ(MatchRank("xfxq", text), 3);
  EXPECT_EQ(MatchRank("xingfuxiaoqu", text), 3);
  EXPECT_EQ(MatchRank("xf", text), 2);
  EXPECT_EQ(MatchRank("xingfu", text), 2);
  EXPECT_EQ(MatchRank("xiaoqu", text), 1);
  EXPECT_EQ(MatchRank("xq", text), 1);
  EXPECT_EQ(MatchRank("xyz", text), 0);
  EXPECT_TRUE(Matches("xing fu", text));  // spaces and apostrophes are dropped
}

TEST(PinyinTest, Urumqi) {
  EXPECT_TRUE(Matches("wlmq", "乌鲁木齐"));
  EXPECT_TRUE(Matches("wulumuqi", "乌鲁木齐"));
}

TEST(PinyinTest, ChongqingByChongAndZhong) {
  for (const char* q : {"cq", "zq", "chongqing", "zhongqing"}) EXPECT_TRUE(Matches(q, "重庆")) << q;
}

TEST(PinyinTest, UmlautAsVOrU) {
  for (const char* q : {"lv", "lu", "LV", "lü", "l", "lvshi"}) EXPECT_TRUE(Matches(q, "吕氏")) << q;
  EXPECT_EQ(SearchKeys("绿"), "lu l");
}

TEST(PinyinTest, NonHanPassesThroughLowerCased) {
  EXPECT_EQ(SearchKeys("3号楼"), "3haolou 3hl");
  EXPECT_EQ(SearchKeys("３号楼"), "3haolou 3hl");  // fullwidth digit
  EXPECT_EQ(SearchKeys("Tower B"), "towerb");
  EXPECT_EQ(SearchKeys("ABC"), "abc");
  EXPECT_EQ(SearchKeys(""), "");
  EXPECT_EQ(SearchKeys("，。！"), "");
  EXPECT_TRUE(Matches("3hl", "3号楼"));
  EXPECT_TRUE(Matches("xfxq3hl", "幸福小区 3号楼"));
}

TEST(PinyinTest, InvalidUtf8IsSkipped) {
  const std::string bad[] = {"\xff\xfe", "长\x80春", std::string("\xe9\x95", 2), "\xed\xa0\x80",
                             "\xc0\xaf", "\xf4\x90\x80\x80", std::string("长\0春", 7)};
  for (const auto& s : bad) {
    std::string keys = SearchKeys(s);
    EXPECT_TRUE(std::all_of(keys.begin(), keys.end(), [](unsigned char c) { return c == ' ' || std::isalnum(c); }));
    EXPECT_EQ(NormalizeQuery(s).find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789"), std::string::npos);
  }
  EXPECT_TRUE(Matches("cc", "长\x80春"));
  EXPECT_EQ(SearchKeys(std::string("\xe9\x95", 2)), "");  // 长 cut short
}

TEST(PinyinTest, KeysAreBoundedForManyPolyphones) {
  for (int n : {5, 20, 200}) {
    const std::string text = Repeat("长", n);
    const auto tokens = Tokens(SearchKeys(text));
    EXPECT_LE(tokens.size(), 32u) << n;
    for (const auto& t : tokens) EXPECT_LE(t.size(), 5u * n) << n;
    EXPECT_EQ(MatchRank(Repeat("zhang", n), text), 3);  // the most common reading
    EXPECT_EQ(MatchRank(Repeat("z", n), text), 3);
    EXPECT_EQ(MatchRank("changzhang", text), 2);  // one character read otherwise
    EXPECT_EQ(MatchRank("cc", text), 0);  // two at once: past the bound
  }
}

TEST(PinyinTest, ChongqingInsideALongAddress) {
  // 长 2 readings, 和 3, 区 2, 重 2, 区 2: 48 full spellings, too many to
  // spell them all; each reads at most one character otherwise.
  const char* text = "长春市和平区重庆路幸福小区3号楼";
  EXPECT_LE(Tokens(SearchKeys(text)).size(), 32u);
  for (const char* q : {"cq", "chongqing", "zq", "zhongqing", "xfxq", "3hl", "hepingqu", "huopingqu"})
    EXPECT_EQ(MatchRank(q, text), 1) << q;
  for (const char* q : {"zc", "cc", "changchun", "zhangchunshi"}) EXPECT_EQ(MatchRank(q, text), 2) << q;
  EXPECT_EQ(MatchRank("changchunshihepingquzhongqingluxingfuxiaoqu3haolou", text), 3);
  EXPECT_EQ(MatchRank("changchunshihuopingqu", text), 0);  // two characters read otherwise
}

TEST(PinyinTest, EmptyQueryMatchesNothing) {
  EXPECT_FALSE(Matches("", "长春"));
  EXPECT_FALSE(Matches("长春", "长春"));  // no pinyin in it: search the name column
  EXPECT_FALSE(Matches("  ", ""));
}

// SQL's LIKE: % matches any run of characters, _ any one.
bool Like(std::string_view s, std::string_view pattern) {
  if (pattern.empty()) return s.empty();
  if (pattern[0] == '%') {
    for (size_t skip = 0; skip <= s.size(); ++skip)
      if (Like(s.substr(skip), pattern.substr(1))) return true;
    return false;
  }
  if (s.empty() || (pattern[0] != '_' && pattern[0] != s[0])) return false;
  return Like(s.substr(1), pattern.substr(1));
}

TEST(PinyinTest, RankAgreesWithSqlLike) {
  // The three conditions of pinyin.h, as PostgreSQL would evaluate them.
  for (const char* text : {"长春", "長春", "幸福小区", "重庆路3号", "长春市和平区重庆路幸福小区", "Tower B"}) {
    const std::string keys = SearchKeys(text);
    for (const char* query : {"cc", "zc", "c", "xf", "xfxq", "qing", "3h", "chongqing", "zhangchun", "u", "towerb"}) {
      const std::string q = NormalizeQuery(query);
      const int sql = Like(" " + keys + " ", "% " + q + " %") ? 3
                      : Like(" " + keys, "% " + q + "%")      ? 2
                      : Like(keys, "%" + q + "%")             ? 1
                                                              : 0;
      EXPECT_EQ(MatchRank(query, text), sql) << text << " " << query;
      EXPECT_EQ(Matches(query, text), sql > 0) << text << " " << query;
    }
  }
}

}  // namespace
}  // namespace heat::billing
