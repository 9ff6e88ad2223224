// billing/house_import.h — houses from a spreadsheet (BIL-6).
//
// Columns (any order; English or Chinese headers; case and spaces
// ignored): house_code 房屋编号, community 小区, building 楼号, unit 单元,
// room 房号, area_m2 面积, house_type 房屋类型, customer_name 户主,
// phone 电话, card_no 卡号. The first six are required; unit may be empty
// (a building without units). A column `reason` (from a rejects file) is
// ignored, so a corrected rejects file imports as it is.
//
// Every row is checked first (codes, areas, house types by code or
// Chinese label, phone and card formats, duplicates in the file and in
// the database); the valid rows then go in ONE transaction through COPY
// into a staging table and set-based inserts, so 100,000 rows take
// seconds and a failure leaves nothing behind. Rejected rows are returned
// with their reason ("line 12: area_m2 '1,234.5': no thousands
// separators..."), to be written to a rejects file in the same format.
// Rows, not files: a row with a cell that is not UTF-8 is rejected on its
// own (read the sheet with BadUtf8::kKeepCells), naming line and column.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "heat/core/sheet.h"
#include "heat/db/conn.h"

namespace heat::billing {

struct ImportResult {
  int imported = 0;
  Sheet rejects;  // the input's header + "reason"; rows as read
};

// Progress: (phase, done, total), called now and then.
using Progress = std::function<void(const char* phase, size_t done, size_t total)>;

Result<ImportResult> ImportHouses(db::Conn& db, const Sheet& sheet, const Progress& progress = {});

}  // namespace heat::billing
