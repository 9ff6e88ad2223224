#include "heat/wechat/rfc3339.h"

#include <cstdio>

namespace heat::wechat {
namespace {

constexpr int64_t kBeijing = 8 * 3600;

// Howard Hinnant's days_from_civil: days since 1970-01-01.
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool Num(std::string_view s, size_t at, size_t len, int64_t* v) {
  if (at + len > s.size()) return false;
  *v = 0;
  for (size_t i = at; i < at + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    *v = *v * 10 + (s[i] - '0');
  }
  return true;
}

int DaysInMonth(int64_t y, int64_t m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// "YYYY-MM-DD?HH:MM:SS" with `sep` between date and time, as local seconds.
bool LocalPart(std::string_view s, char sep, int64_t* out) {
  int64_t y, mo, d, h, mi, se;
  if (s.size() < 19 || s[4] != '-' || s[7] != '-' || s[10] != sep || s[13] != ':' || s[16] != ':') return false;
  if (!Num(s, 0, 4, &y) || !Num(s, 5, 2, &mo) || !Num(s, 8, 2, &d) || !Num(s, 11, 2, &h) ||
      !Num(s, 14, 2, &mi) || !Num(s, 17, 2, &se))
    return false;
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo) || h > 23 || mi > 59 || se > 59) return false;
  *out = DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
  return true;
}

}  // namespace

Result<int64_t> ParseRfc3339(std::string_view s) {
  auto bad = Status::Usage("not an RFC 3339 time (YYYY-MM-DDTHH:MM:SS+08:00)");
  int64_t local;
  if (s.size() > 40 || !LocalPart(s, 'T', &local)) return bad;
  size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    size_t digits = 0;
    while (++i < s.size() && s[i] >= '0' && s[i] <= '9') ++digits;
    if (digits == 0 || digits > 9) return bad;
  }
  std::string_view zone = s.substr(i);
  if (zone == "Z") return local;
  int64_t oh, om;
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':' || !Num(zone, 1, 2, &oh) ||
      !Num(zone, 4, 2, &om) || oh > 23 || om > 59)
    return bad;
  int64_t offset = (oh * 3600 + om * 60) * (zone[0] == '-' ? -1 : 1);
  return local - offset;
}

std::string FormatBeijing(int64_t epoch_s) {
  int64_t t = epoch_s + kBeijing;
  int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400, secs = t - days * 86400;
  // civil_from_days
  int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  int64_t y = yoe + era * 400 + (m <= 2);
  char buf[128];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld+08:00", static_cast<long long>(y),
                static_cast<long long>(m), static_cast<long long>(d), static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  return buf;
}

Result<int64_t> ParseBeijingLocal(std::string_view s) {
  int64_t local;
  if (s.size() != 19 || !LocalPart(s, ' ', &local)) return Status::Usage("not a time YYYY-MM-DD HH:MM:SS");
  return local - kBeijing;
}

}  // namespace heat::wechat
