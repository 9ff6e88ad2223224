// billing/find.h — one box for everything a cashier types (BIL-3, BIL-8):
// a house code, a card number from the barcode scanner, a phone number, a
// customer's name, a community in Chinese, an address in parts, full
// pinyin or initials (polyphones match every common reading, pinyin.h).
// Ranked: exact code or card first, then phone, name, community, pinyin;
// within a rank by community, building, unit and room. billctl find and
// the counter terminal both use it; the caller's row-level security
// decides which houses it may see.
#pragma once

#include <string>

#include "heat/core/status.h"
#include "heat/db/conn.h"

namespace heat::billing {

struct Found {
  std::string query;  // as searched: full-width spaces made ASCII, runs of spaces one
  // Columns: house, address, customer, phone, card_no, heating_status,
  // matched (house code, card, phone, customer, community, address,
  // customer pinyin), total, more.
  db::Rows rows;
  int64_t total = 0;  // houses found up to the ranks listed
  bool more = false;  // a branch stopped at its cap: there may be more
};

// At most `limit` houses for `query`. kUsage for an empty query; no rows
// (not an error) when nothing matches.
Result<Found> FindHouses(db::Conn& db, const std::string& query, int limit);

}  // namespace heat::billing
