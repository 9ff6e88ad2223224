#include "heat/core/time.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <mutex>

#include "heat/core/match.h"

namespace heat {
namespace {

std::mutex tz_mutex;

// Runs f with the process TZ set to zone, under a lock; restores TZ.
template <typename F>
auto WithTz(const std::string& zone, F f) {
  std::lock_guard<std::mutex> lock(tz_mutex);
  const char* old = std::getenv("TZ");
  std::string saved = old ? old : "";
  setenv("TZ", zone.c_str(), 1);
  tzset();
  auto r = f();
  if (old) setenv("TZ", saved.c_str(), 1); else unsetenv("TZ");
  tzset();
  return r;
}

std::chrono::sys_days ToDays(const Date& d) {
  using namespace std::chrono;
  return sys_days(year(d.year) / month(static_cast<unsigned>(d.month)) / day(static_cast<unsigned>(d.day)));
}

Date FromDays(std::chrono::sys_days sd) {
  std::chrono::year_month_day ymd(sd);
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

// mktime in whatever zone the process has now; the caller holds tz_mutex.
Result<int64_t> MktimeLocked(const LocalTime& lt) {
  std::tm tm{};
  tm.tm_year = lt.date.year - 1900;
  tm.tm_mon = lt.date.month - 1;
  tm.tm_mday = lt.date.day;
  tm.tm_hour = lt.hour;
  tm.tm_min = lt.minute;
  tm.tm_sec = lt.second;
  tm.tm_isdst = -1;
  time_t t = mktime(&tm);
  if (t == static_cast<time_t>(-1)) return Status::Usage("time out of range");
  return static_cast<int64_t>(t);
}

// Local civil time -> instant; nullopt in a gap that does not exist.
Result<int64_t> FromLocal(const LocalTime& lt, const TimeZone& tz) {
  return WithTz(tz.name(), [&] { return MktimeLocked(lt); });
}

}  // namespace

Result<int64_t> FromProcessLocal(const LocalTime& lt) {
  std::lock_guard<std::mutex> lock(tz_mutex);
  return MktimeLocked(lt);
}

Result<TimeZone> TimeZone::Load(const std::string& name) {
  // Found by fuzzing: a very long name made std::filesystem throw. Zone
  // names are short and plain (Asia/Urumqi, Etc/GMT+6); check that first
  // and ask the file system without exceptions.
  static const std::regex plain(R"(^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$)");
  std::error_code ec;
  bool ok = name == "UTC" ||
            (name.size() <= 64 && BoundedMatch(name, plain) &&
             std::filesystem::is_regular_file("/usr/share/zoneinfo/" + name, ec));
  if (!ok) return Status::Usage("unknown time zone '" + name + "'");
  return TimeZone(name);
}

Result<Date> ParseDate(std::string_view s) {
  int y, m, d;
  char tail;
  std::string str(s);
  if (s.size() != 10 || std::sscanf(str.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
      str[4] != '-' || str[7] != '-')
    return Status::Usage("expected a date YYYY-MM-DD, got '" + str + "'");
  using namespace std::chrono;
  year_month_day ymd{year(y), month(static_cast<unsigned>(m)), day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return Status::Usage("no such day: " + str);
  return Date{y, m, d};
}

std::string FormatDate(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

int DaysBetween(const Date& a, const Date& b) { return (ToDays(b) - ToDays(a)).count(); }

Date AddDays(const Date& d, int days) { return FromDays(ToDays(d) + std::chrono::days(days)); }

LocalTime ToLocal(int64_t epoch_s, const TimeZone& tz) {
  return WithTz(tz.name(), [&] {
    time_t t = static_cast<time_t>(epoch_s);
    std::tm tm{};
    localtime_r(&t, &tm);
    return LocalTime{{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday}, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, static_cast<int>(tm.tm_gmtoff)};
  });
}

Date LocalDate(int64_t epoch_s, const TimeZone& tz) { return ToLocal(epoch_s, tz).date; }

Result<int64_t> StartOfLocalDay(const Date& d, const TimeZone& tz) {
  // Midnight may not exist (DST starting at 00:00); then the day starts at
  // the first instant whose local date is d.
  HEAT_ASSIGN(int64_t t, FromLocal({d, 0, 0, 0, 0}, tz));
  while (LocalDate(t, tz) > d) t -= 900;
  while (LocalDate(t, tz) < d) t += 900;
  while (LocalDate(t - 1, tz) == d) --t;
  return t;
}

std::string FormatLocal(int64_t epoch_s, const TimeZone& tz) {
  LocalTime lt = ToLocal(epoch_s, tz);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s %02d:%02d:%02d", FormatDate(lt.date).c_str(), lt.hour,
                lt.minute, lt.second);
  return buf;
}

std::string FormatUtcNaive(int64_t epoch_s) {
  int64_t days = epoch_s / 86400 - (epoch_s % 86400 < 0 ? 1 : 0);
  Date d = AddDays(Date{1970, 1, 1}, static_cast<int>(days));
  int64_t s = epoch_s - days * 86400;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", d.year, d.month, d.day, static_cast<int>(s / 3600),
                static_cast<int>(s / 60 % 60), static_cast<int>(s % 60));
  return buf;
}

std::string LocalFormatter::Format(int64_t epoch_s) {
  int64_t day = epoch_s / 86400 - (epoch_s % 86400 < 0 ? 1 : 0);
  if (day != day_) {
    day_ = day;
    offset_s_ = ToLocal(day * 86400, tz_).utc_offset_s;
    steady_ = offset_s_ == ToLocal(day * 86400 + 86399, tz_).utc_offset_s;
  }
  if (!steady_) return FormatLocal(epoch_s, tz_);
  std::string s = FormatUtcNaive(epoch_s + offset_s_);
  s[10] = ' ';
  return s;
}

std::string FormatIso(int64_t epoch_s, const TimeZone& tz) {
  LocalTime lt = ToLocal(epoch_s, tz);
  int off = lt.utc_offset_s;
  char sign = off < 0 ? '-' : '+';
  off = std::abs(off);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d%c%02d:%02d", FormatDate(lt.date).c_str(), lt.hour,
                lt.minute, lt.second, sign, off / 3600, off % 3600 / 60);
  return buf;
}

Result<int64_t> ParseTime(std::string_view sv, const TimeZone& tz, int64_t now_s) {
  std::string s(sv);
  if (s == "now") return now_s;
  static const std::regex rel(R"(^([+-])(\d{1,6})([smhd])$)");
  static const std::regex local(R"(^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$)");
  static const std::regex iso(R"(^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})$)");
  std::smatch m;
  if (BoundedMatch(s, m, rel)) {
    int64_t n = std::stoll(m[2]);
    int64_t unit = m[3] == "s" ? 1 : m[3] == "m" ? 60 : m[3] == "h" ? 3600 : 86400;
    return now_s + (m[1] == "-" ? -1 : 1) * n * unit;
  }
  auto hms = [&](int i) { return m[i].matched ? std::stoi(m[i]) : 0; };
  bool is_iso = BoundedMatch(s, m, iso);
  if (!is_iso && !BoundedMatch(s, m, local))
    return Status::Usage("expected a time like 2025-10-10, '2025-10-10 08:00', "
                         "2025-10-10T08:00:00+08:00, now or -2h, got '" + s + "'");
  HEAT_ASSIGN(Date d, ParseDate(m[1].str()));
  int h = hms(2), mi = hms(3), se = hms(4);
  if (h > 23 || mi > 59 || se > 59) return Status::Usage("no such time of day in '" + s + "'");
  if (!is_iso) return FromLocal({d, h, mi, se, 0}, tz);
  int64_t t = static_cast<int64_t>(ToDays(d).time_since_epoch().count()) * 86400 + h * 3600 + mi * 60 + se;
  std::string z = m[5];
  if (z == "Z") return t;
  int oh = std::stoi(z.substr(1, 2)), om = std::stoi(z.substr(z.size() - 2));
  return t - (z[0] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
}

}  // namespace heat
