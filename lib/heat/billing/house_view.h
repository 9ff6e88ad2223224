// billing/house_view.h — one house as the people at the counter see it
// (BIL-5, BIL-10, BIL-11): address, customer, card, status marks (arrears
// over every started season, blacklist, the household valve's last
// position from SCADA, heating status) and its yearly accounts, each with
// the fee engine's explanation in words and every entry. billctl show
// prints it; the counter terminal draws it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "heat/core/status.h"
#include "heat/db/conn.h"

namespace heat::billing {

// `house` is a code or card number (kNotFound, also outside the caller's
// scope). With `season` only that season, its account opened when missing;
// otherwise every season with an account, the current one opened when
// missing. `as_of` (YYYY-MM-DD, empty: today) is the day late fees run to.
// Keys: house, address, community, house_type, charged_area_m2, customer,
// phone, card_no, marks {arrears_fen, blacklist, valve_pct,
// heating_status}, related {main_house, subsidiary_houses [...],
// household_houses [...]} (BIL-4; the customer's other houses),
// house_type_label (the dictionary's word for house_type), accounts [{season, as_of, receivable_fen, paid_fen,
// balance_fen, pending_late_fee_fen, full_fee_fen, heating_fee_fen,
// season_closed, explanation [...], entries [{seq, kind, amount_fen, date,
// by, at, note, reverses?, channel?, method?, receipt_no?,
// receipt_status?, request_id?}]}].
Result<nlohmann::json> HouseView(db::Conn& db, const std::string& house, const std::string& season,
                                 const std::string& as_of);

}  // namespace heat::billing
