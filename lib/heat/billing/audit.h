// billing/audit.h — the ledger against the fee engine, account by account
// (BIL-18, BIL-17): what `billctl check` reports as fee_vs_engine and what
// the daily late-fee job (`billctl late-fees`, BIL-10) walks over.
//
// The fee an account's ledger holds is its assessed fee plus the
// adjustments that stand (status changes, price changes, area changes,
// free adjustments), the carry-over moves (billing/store.h CarriedNet)
// left out: those move a balance, they are no fee. The fee engine's is the
// heating fee plus surcharges for the house's area × the season's tariff
// periods × the account's status periods (billing/fee.h), computed now.
// Whatever made them differ (an account opened with the wrong price, an
// area changed behind the ledger's back, a lost adjustment), it is found.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "heat/billing/store.h"

namespace heat::billing {

// One account of an open season with everything the engine needs.
struct LoadedAccount {
  AccountRow row;
  Params params;  // with the season's own base ratio and reaches_paid
};

// Calls `fn` for every account of every open season (or only `season`
// when not empty), ordered by season and house code; stops at the first
// error `fn` returns. An account that cannot be loaded is passed to
// `broken` with the reason instead (e.g. a house type without a price).
Status ForEachOpenAccount(db::Conn& db, const std::string& season,
                          const std::function<Status(const LoadedAccount&)>& fn,
                          const std::function<void(const std::string& house, const std::string& season,
                                                   const std::string& why)>& broken);

struct FeeFinding {
  std::string house, season, detail;
};

// Accounts whose ledger fee differs from the engine's as of `today`, or
// that the engine refuses (with its reason).
Result<std::vector<FeeFinding>> LedgerVsEngine(db::Conn& db, const Date& today);

}  // namespace heat::billing
