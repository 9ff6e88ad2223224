#include "heat/billing/audit.h"

#include <map>

namespace heat::billing {

Status ForEachOpenAccount(db::Conn& db, const std::string& season,
                          const std::function<Status(const LoadedAccount&)>& fn,
                          const std::function<void(const std::string&, const std::string&,
                                                   const std::string&)>& broken) {
  HEAT_ASSIGN(Params base, LoadParams(db));
  HEAT_ASSIGN(db::Rows r, db.Query(
      "SELECT h.code, s.name FROM bill.account a JOIN bill.house h ON h.id = a.house_id"
      " JOIN bill.season s ON s.id = a.season_id WHERE s.closed_at IS NULL AND ($1 = '' OR s.name = $1)"
      " ORDER BY s.start_date, h.code", {season}));
  std::map<std::string, SeasonRow> seasons;
  for (int i = 0; i < r.size(); ++i) {
    std::string code = r.get(i, 0), name = r.get(i, 1);
    if (!seasons.count(name)) {
      HEAT_ASSIGN(seasons[name], FindSeason(db, name));
    }
    Result<LoadedAccount> acct = [&]() -> Result<LoadedAccount> {
      HEAT_ASSIGN(HouseRow h, FindHouse(db, code, true));
      LoadedAccount l;
      HEAT_ASSIGN(l.row, LoadAccount(db, h, seasons[name]));
      HEAT_ASSIGN(l.params, ParamsForAccount(db, l.row, base));
      return l;
    }();
    if (!acct.ok()) {
      broken(code, name, acct.status().message());
      continue;
    }
    HEAT_TRY(fn(*acct));
  }
  return Status::Ok();
}

Result<std::vector<FeeFinding>> LedgerVsEngine(db::Conn& db, const Date& today) {
  std::vector<FeeFinding> out;
  auto broken = [&](const std::string& h, const std::string& s, const std::string& why) {
    out.push_back({h, s, s + ": cannot be loaded: " + why});
  };
  HEAT_TRY(ForEachOpenAccount(db, "", [&](const LoadedAccount& l) -> Status {
    const std::string& s = l.row.season.name;
    Result<FeeBreakdown> fee = [&]() -> Result<FeeBreakdown> {
      HEAT_ASSIGN(FeeInput in, BuildFeeInput(db, l.row, today));
      return ComputeFee(in, l.params);
    }();
    if (!fee.ok()) {
      out.push_back({l.row.house.code, s, s + ": the fee engine refuses the account: " + fee.status().message()});
      return Status::Ok();
    }
    Fen ledger = NetOf(l.row, {EntryKind::kAssessed, EntryKind::kAdjustment}) - CarriedNet(l.row);
    Fen engine = fee->heating_fee + fee->surcharges;
    if (ledger != engine)
      out.push_back({l.row.house.code, s, s + ": the ledger's fee is " + FormatYuan(ledger) +
                                              " yuan, the fee engine computes " + FormatYuan(engine) +
                                              " yuan now (billctl show " + l.row.house.code + " --season " + s +
                                              " explains it)"});
    return Status::Ok();
  }, broken));
  return out;
}

}  // namespace heat::billing
