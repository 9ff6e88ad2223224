// billing/pinyin.h — finding communities and customers by pinyin (BIL-3).
// A cashier types "cc", "zc", "changchun" or "zhangchun" and finds 长春:
// full pinyin and pinyin initials, with every common reading of a
// polyphone (长 cháng/zhǎng, 行 xíng/háng, 重 zhòng/chóng).
//
// Readings come from a table generated at build time from Unicode's Unihan
// data (scripts/gen-pinyin, cmake/pinyin.cmake): per character at most 4
// toneless readings, most common first (kMandarin), the others from the
// newest dictionary that lists the character. ü is spelled v there ("lv"
// for 吕); searching folds v into u (below).
//
// Search keys. SearchKeys(text) is one ascii string, stored beside the
// name in the database and searched with LIKE (pg_trgm can index it):
//
//   keys  = token *(" " token)      tokens distinct
//   token = 1*[a-z0-9]              one spelling of the whole text
//
// A token is the full pinyin ("xingfuxiaoqu") or the initials ("xfxq") of
// the text read one way; 长春 gives "zhangchun changchun zc cc". Han
// characters contribute their readings (initials: first letters), runs of
// ASCII letters and digits (fullwidth ones too) themselves, lower-cased,
// to both spellings: 3号楼 -> "3haolou 3hl". Everything else (spaces,
// punctuation, other scripts, invalid UTF-8) is dropped. The letter v is
// written u everywhere in the keys, and queries are folded the same way,
// so "lv" and "lu" both find 吕 (and "lu" also 路: pinyin search is loose
// anyway, having no tones).
//
// Bounds. Full pinyin and initials are spelled separately, each in at
// most 16 tokens: at most 32 tokens, none longer than the text's spelling.
// When the readings of the text combine in at most 16 ways, each
// combination is a token. Past that, the tokens are the text read the most
// common way, then read so with one character read otherwise: character by
// character from the left, each of its other readings, until 16. A name's
// polyphones are seldom read otherwise two at once within what a cashier
// types, while spelling every combination would grow as their product. So
// a short name is found by every reading, and a long one by any query that
// reads at most one of its characters otherwise: "chongqing" and "cq" find
// 长春市和平区重庆路幸福小区, where 重 is zhòng first and 和 has 3 readings.
//
// Queries. NormalizeQuery keeps ASCII letters and digits (fullwidth ones
// folded), lower-cased, v and ü folded into u, and drops the rest ("Xi'an"
// -> "xian"), so a normalized query is a spelling and needs no escaping in
// LIKE. With q = NormalizeQuery(query) and keys = SearchKeys(text) the
// functions below agree with SQL:
//
//   3 exact:   ' ' || keys || ' ' LIKE '% ' || q || ' %'   (the whole text)
//   2 prefix:  ' ' || keys LIKE '% ' || q || '%'           (its beginning)
//   1 found:   keys LIKE '%' || q || '%'                   (anywhere)
//   0 otherwise, and for an empty q: do not query with it ('%%' would
//     match every row) but search the name column; a query in Han
//     characters normalizes to empty.
//
// Mixed spellings ("xingfxq": full for some characters, initials for
// others) are not found: spelling them all would multiply the keys, and a
// matcher smarter than LIKE would disagree with the database.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace heat::billing {

// The toneless readings of one character, most common first; empty for a
// character that is not Han or has no Mandarin reading. The views point
// into a static table.
std::vector<std::string_view> Readings(char32_t c);

// The search keys of a name (the format above). Deterministic: the same
// text and table always give the same string.
std::string SearchKeys(std::string_view utf8_text);

// The query as it is matched against the keys (see above).
std::string NormalizeQuery(std::string_view query);

// 3, 2, 1 or 0 as above, for a normalized query against stored keys.
int KeysRank(std::string_view normalized_query, std::string_view keys);

// KeysRank(NormalizeQuery(query), SearchKeys(utf8_text)): for tests and
// small in-memory filters; sort by it, highest first.
int MatchRank(std::string_view query, std::string_view utf8_text);

// MatchRank(query, utf8_text) > 0, case-insensitive.
bool Matches(std::string_view query, std::string_view utf8_text);

}  // namespace heat::billing
