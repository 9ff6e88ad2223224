#include "heat/core/log.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <ctime>
#include <map>
#include <mutex>

namespace heat::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::mutex g_mu;
std::function<void(std::string_view)> g_sink;
std::function<int64_t()> g_clock;

struct Limit {
  int64_t last = 0;
  int64_t suppressed = 0;
};
std::map<std::string, Limit> g_limits;

const char* Name(Level l) {
  switch (l) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kNotice: return "notice";
    case Level::kWarning: return "warning";
    case Level::kError: return "error";
  }
  return "?";
}

bool UnderSystemd() {
  static const bool yes = std::getenv("JOURNAL_STREAM") || std::getenv("INVOCATION_ID");
  return yes;
}

std::string Format(Level level, std::string_view msg) {
  if (UnderSystemd()) return "<" + std::to_string(static_cast<int>(level)) + ">" + std::string(msg) + "\n";
  char ts[32];
  time_t now = time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  strftime(ts, sizeof ts, "%Y-%m-%d %H:%M:%SZ", &tm);
  return std::string(ts) + " " + Name(level) + ": " + std::string(msg) + "\n";
}

void Emit(const std::string& line) {
  if (g_sink) { g_sink(line); return; }
  ssize_t n = write(2, line.data(), line.size());
  (void)n;  // nowhere to report a failed write to stderr
}

int64_t Now() {
  if (g_clock) return g_clock();
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec;
}

}  // namespace

Result<Level> ParseLevel(std::string_view n) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kNotice, Level::kWarning, Level::kError})
    if (n == Name(l)) return l;
  return Status::Usage("expected one of debug, info, notice, warning, error, got '" + std::string(n) + "'");
}

void SetLevel(Level level) { g_level = static_cast<int>(level); }
bool Enabled(Level level) { return static_cast<int>(level) <= g_level.load(); }

void Log(Level level, std::string_view msg) {
  if (!Enabled(level)) return;
  std::string line = Format(level, msg);
  std::lock_guard<std::mutex> lock(g_mu);
  Emit(line);
}

bool Limited(Level level, const std::string& key, std::string_view msg, int interval_s) {
  if (!Enabled(level)) return false;
  std::string text(msg);
  {
    std::lock_guard<std::mutex> lock(g_mu);
    Limit& l = g_limits[key];
    int64_t now = Now();
    if (l.last != 0 && now - l.last < interval_s) {
      ++l.suppressed;
      return false;
    }
    if (l.suppressed > 0) text += " (" + std::to_string(l.suppressed) + " similar suppressed)";
    l.last = now == 0 ? 1 : now;
    l.suppressed = 0;
  }
  Log(level, text);
  return true;
}

void SetSink(std::function<void(std::string_view)> sink) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_sink = std::move(sink);
}

void SetClock(std::function<int64_t()> now_s) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_clock = std::move(now_s);
}

}  // namespace heat::log
