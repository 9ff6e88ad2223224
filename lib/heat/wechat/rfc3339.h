// wechat/rfc3339.h — the times of WeChat Pay v3: RFC 3339 with a numeric
// offset, "2025-11-15T10:34:56+08:00" (success_time, time_expire). China
// has one offset and no summer time, so writing is always +08:00.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "heat/core/status.h"

namespace heat::wechat {

// Epoch seconds; kUsage unless exactly YYYY-MM-DDTHH:MM:SS(.frac)?(Z|±HH:MM)
// with a real calendar date.
Result<int64_t> ParseRfc3339(std::string_view s);
// "YYYY-MM-DDTHH:MM:SS+08:00".
std::string FormatBeijing(int64_t epoch_s);
// "YYYY-MM-DD HH:MM:SS" of the trade bill (Beijing time) to epoch seconds.
Result<int64_t> ParseBeijingLocal(std::string_view s);

}  // namespace heat::wechat
