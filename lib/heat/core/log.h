// core/log.h — logging to stderr, the Unix way. Under systemd (JOURNAL_STREAM
// or INVOCATION_ID set) each line starts with its syslog priority "<3>" to
// "<7>" and has no time stamp (the journal adds one); elsewhere lines read
// "2026-11-24 19:00:00Z warning: message" (UTC). One write(2) per line, so
// lines from threads never interleave.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "heat/core/status.h"

namespace heat::log {

enum class Level { kDebug = 7, kInfo = 6, kNotice = 5, kWarning = 4, kError = 3 };

Result<Level> ParseLevel(std::string_view name);
void SetLevel(Level level);
bool Enabled(Level level);

void Log(Level level, std::string_view msg);
inline void Debug(std::string_view m) { Log(Level::kDebug, m); }
inline void Info(std::string_view m) { Log(Level::kInfo, m); }
inline void Notice(std::string_view m) { Log(Level::kNotice, m); }
inline void Warning(std::string_view m) { Log(Level::kWarning, m); }
inline void Error(std::string_view m) { Log(Level::kError, m); }

// At most one line per key per interval: for noisy devices ("bad frame
// from meter 1234" once a minute, not a thousand times). The next line
// logged for the key says how many were suppressed. Returns whether it
// logged.
bool Limited(Level level, const std::string& key, std::string_view msg, int interval_s = 60);

// Where lines go (default: fd 2); tests capture them. Not thread-safe to
// change while logging.
void SetSink(std::function<void(std::string_view line)> sink);
// For tests: the clock Limited uses (default: CLOCK_MONOTONIC seconds).
void SetClock(std::function<int64_t()> now_s);

}  // namespace heat::log
