// The daily late-fee run (billing/ops.h AccrueLateFees, BIL-10).
#include "heat/billing/ops.h"

namespace heat::billing {

Result<LateFeeRun> AccrueLateFees(db::Conn& db, const Date& day, const std::string& season,
                                  const std::function<void(const std::string&, const std::string&,
                                                           const Status&)>& failed) {
  LateFeeRun run;
  HEAT_ASSIGN(Params p, LoadParams(db));
  run.on = p.late_fee_daily_rate > 0;
  if (!run.on) return run;
  HEAT_ASSIGN(db::Rows r, db.Query(
      "SELECT h.code, s.name FROM bill.account a JOIN bill.house h ON h.id = a.house_id"
      " JOIN bill.season s ON s.id = a.season_id WHERE s.closed_at IS NULL AND s.start_date <= $1"
      " AND ($2 = '' OR s.name = $2) AND (bill.account_sums(a.id)).balance > 0 ORDER BY s.start_date, h.code",
      {FormatDate(day), season}));
  run.owing = r.size();
  for (int i = 0; i < r.size(); ++i) {
    auto posted = AccrueLateFee(db, r.get(i, 0), r.get(i, 1), day);
    if (!posted.ok()) {
      ++run.failed;
      failed(r.get(i, 0), r.get(i, 1), posted.status());
      continue;
    }
    run.entered += posted->amount > 0;
    run.total += posted->amount;
  }
  return run;
}

}  // namespace heat::billing
