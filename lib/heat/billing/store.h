// billing/store.h — the billing tables (lib/sql/0007..0009) as C++ values,
// and the bridge from stored facts to the pure fee engine (fee.h) and
// ledger (ledger.h). Every write goes through the SQL functions bill.*,
// which check roles and guard the ledger; nothing here splices values
// into SQL. Dates are calendar days in the company time zone (the
// session's TimeZone, set by cli::Context::Db).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "heat/billing/fee.h"
#include "heat/billing/ledger.h"
#include "heat/billing/params.h"
#include "heat/db/conn.h"

namespace heat::billing {

struct SeasonRow {
  int id = 0;
  std::string name;  // "2025-2026"
  Date start, end;   // [start, end)
  bool closed = false;
  Season AsSeason() const { return Season{std::stoi(name.substr(0, 4)), start, end}; }
};

struct HouseRow {
  int id = 0;
  std::string code, community, building, unit, room, house_type, heating_status;
  int64_t area_centi_m2 = 0;
  std::optional<std::string> customer, phone, card_no;
  bool deleted = false;
  std::string Address() const;  // "幸福小区 3号楼 2单元 501"
};

// One stored ledger entry with what the ledger engine does not keep.
struct StoredEntry {
  Entry entry;  // id = seq within the account
  std::string kind_name, by, at, channel, method, receipt_no, receipt_status;
  std::optional<int64_t> request_id;
  std::string request_kind;  // "area", "reduction", "late_fee" or ""
};

struct AccountRow {
  int64_t id = 0;
  HouseRow house;
  SeasonRow season;
  std::vector<StoredEntry> entries;
  std::string initial_status;  // heating status when opened
  int next_seq() const { return static_cast<int>(entries.size()) + 1; }
};

Result<Params> LoadParams(db::Conn& db);
Result<SeasonRow> FindSeason(db::Conn& db, const std::string& name);
// The season containing `day`, else the latest open one.
Result<SeasonRow> DefaultSeason(db::Conn& db, const Date& day);
Result<std::vector<SeasonRow>> ListSeasons(db::Conn& db);

// By house code or active card number (what a barcode scanner types).
Result<HouseRow> FindHouse(db::Conn& db, const std::string& code_or_card, bool include_deleted = false);

// Opens the account when missing (bill.open_account assesses the fee) and
// loads it with its entries.
Result<AccountRow> OpenAccount(db::Conn& db, const HouseRow& house, const SeasonRow& season);
// Loads an existing account; kNotFound when the house has none that season.
Result<AccountRow> LoadAccount(db::Conn& db, const HouseRow& house, const SeasonRow& season);

// The account as the ledger engine sees it (replays every rule).
Result<Account> Replay(const AccountRow& row, const Params& params);

// The fee engine's inputs from stored facts: tariffs, status events,
// payments and reductions of the account, as of `as_of`. The rules
// themselves (Params) go to ComputeFee, not here.
Result<FeeInput> BuildFeeInput(db::Conn& db, const AccountRow& row, const Date& as_of);
// Params with the season tariff's own base ratio, when it has one.
Result<Params> ParamsForAccount(db::Conn& db, const AccountRow& row, Params params);

// The net amount of entries of these kinds that stand (reversed entries
// and reversals left out), as signed effects on the amount owed.
Fen NetOf(const AccountRow& row, std::initializer_list<EntryKind> kinds);
// The net of the carry-over moves that stand (BIL-16): the adjustments
// bill.carryover enters, noted "carried to S" in the old season (minus the
// balance) and "carried from S" in the new one (plus it). They move a
// balance between seasons; they are no fee.
Fen CarriedNet(const AccountRow& row);
bool IsCarryOver(const StoredEntry& e);

// Today in the company time zone (the session's TimeZone).
Result<Date> Today(db::Conn& db);

}  // namespace heat::billing
