#include "heat/billing/pinyin.h"

#include <algorithm>
#include <cstdint>

#include "heat/core/text.h"

namespace heat::billing {

// The reading table, generated from Unihan by scripts/gen-pinyin into
// ${CMAKE_BINARY_DIR}/generated/pinyin_table.cc (cmake/pinyin.cmake):
// kPinyinCode is sorted; character i's readings are the NUL-terminated,
// comma-separated list at kPinyinPool + kPinyinListOffset[kPinyinList[i]].
extern const uint32_t kPinyinCount;
extern const char32_t kPinyinCode[];
extern const uint16_t kPinyinList[];
extern const uint32_t kPinyinListOffset[];
extern const char kPinyinPool[];

namespace {

// Tokens per spelling (full, initials): every combination of readings
// when there are at most this many, else the most common one and variants.
constexpr size_t kMaxTokens = 16;

// The alternatives of each unit (a Han character or a run of ASCII letters
// and digits), most common first, distinct.
using Alternatives = std::vector<std::vector<std::string>>;

// The ASCII letter or digit a character stands for in keys and queries, or
// 0: lower-cased, fullwidth forms folded (Chinese input methods type
// "３号楼"), and v folded into u because the table spells ü as v while
// people type both "lv" and "lu".
char SearchChar(char32_t c) {
  if (c >= 0xFF10 && c <= 0xFF5A) c -= 0xFEE0;  // fullwidth digits and letters
  if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
  if (c == 'v') return 'u';
  const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  return alnum ? static_cast<char>(c) : 0;
}

void AddDistinct(std::vector<std::string>* list, std::string s) {
  if (std::find(list->begin(), list->end(), s) == list->end()) list->push_back(std::move(s));
}

// Appends a Han character as one unit of each spelling: its readings (v
// folded) and their distinct initials, both most common first.
void AddHan(const std::vector<std::string_view>& readings, Alternatives* full, Alternatives* initials) {
  std::vector<std::string> f, i;
  for (std::string_view r : readings) {
    std::string folded(r);
    std::replace(folded.begin(), folded.end(), 'v', 'u');
    AddDistinct(&i, folded.substr(0, 1));
    AddDistinct(&f, std::move(folded));
  }
  full->push_back(std::move(f));
  initials->push_back(std::move(i));
}

// Splits the text into units: each Han character with readings is one,
// each run of ASCII letters and digits another (the same in both
// spellings); everything else only ends a run.
void Units(std::string_view text, Alternatives* full, Alternatives* initials) {
  bool in_run = false;
  for (size_t i = 0; i < text.size();) {
    const char32_t c = NextCodePoint(text, &i);
    if (char a = SearchChar(c); a != 0) {
      if (!in_run) {
        full->push_back({""});
        initials->push_back({""});
      }
      full->back()[0] += a;
      initials->back()[0] += a;
      in_run = true;
      continue;
    }
    in_run = false;
    if (auto r = Readings(c); !r.empty()) AddHan(r, full, initials);
  }
}

// How many ways the units combine, saturated just past the cap.
size_t Combinations(const Alternatives& alts) {
  size_t n = 1;
  for (size_t u = 0; u < alts.size() && n <= kMaxTokens; ++u) n *= alts[u].size();
  return std::min(n, kMaxTokens + 1);
}

std::string Spelling(const Alternatives& alts, const std::vector<size_t>& pick) {
  std::string s;
  for (size_t u = 0; u < alts.size(); ++u) s += alts[u][pick[u]];
  return s;
}

// Every combination, the most common first (the first alternative of each
// unit), then as an odometer with the last unit turning fastest.
void AppendAll(const Alternatives& alts, std::vector<std::string>* out) {
  if (alts.empty()) return;
  std::vector<size_t> pick(alts.size(), 0);
  for (;;) {
    AddDistinct(out, Spelling(alts, pick));
    size_t u = pick.size();
    while (u > 0 && ++pick[u - 1] == alts[u - 1].size()) pick[--u] = 0;
    if (u == 0) return;
  }
}

// Over the cap: the most common spelling, then each spelling that reads
// one unit otherwise, from the left while tokens remain. A name's
// polyphones are seldom read otherwise two at a time within what a cashier
// types, while combining them all would grow as their product.
void AppendVariants(const Alternatives& alts, std::vector<std::string>* out) {
  std::vector<size_t> pick(alts.size(), 0);
  const size_t limit = out->size() + kMaxTokens;
  AddDistinct(out, Spelling(alts, pick));
  for (size_t u = 0; u < alts.size(); ++u) {
    for (size_t a = 1; a < alts[u].size(); ++a) {
      if (out->size() >= limit) return;
      pick[u] = a;
      AddDistinct(out, Spelling(alts, pick));
    }
    pick[u] = 0;
  }
}

// The tokens of one spelling (full or initials), at most kMaxTokens.
void Spell(const Alternatives& alts, std::vector<std::string>* out) {
  if (Combinations(alts) <= kMaxTokens) {
    AppendAll(alts, out);
  } else {
    AppendVariants(alts, out);
  }
}

}  // namespace

std::vector<std::string_view> Readings(char32_t c) {
  const char32_t* end = kPinyinCode + kPinyinCount;
  const char32_t* at = std::lower_bound(kPinyinCode, end, c);
  if (at == end || *at != c) return {};
  std::string_view list(kPinyinPool + kPinyinListOffset[kPinyinList[at - kPinyinCode]]);
  std::vector<std::string_view> out;
  for (size_t start = 0;;) {
    const size_t comma = list.find(',', start);
    out.push_back(list.substr(start, comma - start));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

std::string SearchKeys(std::string_view utf8_text) {
  Alternatives full, initials;
  Units(utf8_text, &full, &initials);
  std::vector<std::string> tokens;
  Spell(full, &tokens);
  Spell(initials, &tokens);  // an ASCII-only text spells both alike: kept once
  std::string keys;
  for (const auto& t : tokens) {
    if (!keys.empty()) keys += ' ';
    keys += t;
  }
  return keys;
}

std::string NormalizeQuery(std::string_view query) {
  std::string q;
  for (size_t i = 0; i < query.size();) {
    const char32_t c = NextCodePoint(query, &i);
    if (c == 0xFC || c == 0xDC) {  // ü, Ü as typed on a German keyboard
      q += 'u';
    } else if (char a = SearchChar(c); a != 0) {
      q += a;
    }
  }
  return q;
}

int KeysRank(std::string_view q, std::string_view keys) {
  if (q.empty()) return 0;
  // Literally the SQL conditions of pinyin.h, so the two cannot drift.
  const std::string padded = " " + std::string(keys) + " ";
  const std::string spaced = " " + std::string(q);
  if (padded.find(spaced + " ") != std::string::npos) return 3;
  if (padded.find(spaced) != std::string::npos) return 2;
  return keys.find(q) != std::string_view::npos ? 1 : 0;
}

int MatchRank(std::string_view query, std::string_view utf8_text) {
  return KeysRank(NormalizeQuery(query), SearchKeys(utf8_text));
}

bool Matches(std::string_view query, std::string_view utf8_text) { return MatchRank(query, utf8_text) > 0; }

}  // namespace heat::billing
