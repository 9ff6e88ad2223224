// heatctl alarm watch (ALM-4, MON-3): the control centre's live alarm
// view in a terminal. New alarms on top, colour by priority, the bell for
// unacknowledged priority 1-2 alarms until someone acknowledges them, and
// acknowledgement from the keyboard (j/k or arrows to choose, a to
// acknowledge, q to quit). It redraws when heatd-alarm or a person changes
// an alarm (LISTEN heat_alarm) and at least every 5 s; what it shows is
// what row-level security lets the person see.
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "heat/alarm/rule.h"
#include "heat/ctl/commands.h"

namespace heat::ctl {
namespace {

struct Row {
  int64_t id;
  int priority;
  std::string state, raised, station, source, message;
  bool unacked_active;
};

// The terminal in raw mode (no echo, keys one at a time) for the watch's
// lifetime, in the alternate screen; restored however the watch ends.
class RawTerminal {
 public:
  RawTerminal() {
    ok_ = tcgetattr(STDIN_FILENO, &saved_) == 0;
    if (!ok_) return;
    termios raw = saved_;
    raw.c_lflag &= ~(ICANON | ECHO);
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    std::fputs("\x1b[?1049h\x1b[?25l", stdout);
  }
  ~RawTerminal() {
    if (!ok_) return;
    std::fputs("\x1b[?25h\x1b[?1049l", stdout);
    std::fflush(stdout);
    tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }
  bool ok() const { return ok_; }

 private:
  termios saved_{};
  bool ok_ = false;
};

Result<std::vector<Row>> Load(db::Conn& db) {
  HEAT_ASSIGN(db::Rows r, db.Query(std::string("SELECT a.id, a.priority, ") + alarm::kAlarmStateSql + R"(,
           to_char(a.raised_at AT TIME ZONE current_setting('TimeZone'), 'MM-DD HH24:MI:SS'),
           coalesce(s.code::text, '-'), a.source,
           a.message || coalesce(' (+' || nullif((SELECT count(*) FROM heat.alarm c WHERE c.parent_id = a.id), 0)
                                 || ' more)', ''),
           a.active AND NOT a.acked
    FROM heat.alarm a LEFT JOIN heat.station s ON s.id = a.station_id
    WHERE (a.active OR NOT a.acked) AND (a.shelved_until IS NULL OR a.shelved_until <= now()) AND a.parent_id IS NULL
    ORDER BY a.raised_at DESC, a.id DESC LIMIT 200)"));
  std::vector<Row> rows;
  for (int i = 0; i < r.size(); ++i)
    rows.push_back({r.get_int(i, 0), static_cast<int>(r.get_int(i, 1)), r.get(i, 2), r.get(i, 3), r.get(i, 4),
                    r.get(i, 5), r.get(i, 6), r.get(i, 7) == "t"});
  return rows;
}

// Priority 1 red, 2 yellow, 3 cyan, 4 plain; unacknowledged ones bold.
const char* Colour(const Row& r) {
  static const char* kColours[] = {"\x1b[31m", "\x1b[33m", "\x1b[36m", ""};
  return kColours[std::clamp(r.priority, 1, 4) - 1];
}

void Draw(const std::vector<Row>& rows, size_t selected, const std::string& note) {
  int unacked = 0;
  for (const Row& r : rows) unacked += r.unacked_active;
  std::printf("\x1b[H\x1b[2J\x1b[1mheat alarms\x1b[0m  %zu open, %d unacknowledged   "
              "j/k choose  a acknowledge  q quit\r\n\r\n",
              rows.size(), unacked);
  std::printf("%-8s %-3s %-10s %-15s %-8s %-22s %s\r\n", "id", "pri", "state", "raised", "station", "source",
              "message");
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    std::printf("%s%s%s%-8lld %-3d %-10s %-15s %-8s %-22s %s\x1b[0m\r\n", i == selected ? "\x1b[7m" : "",
                r.unacked_active ? "\x1b[1m" : "", Colour(r), static_cast<long long>(r.id), r.priority,
                r.state.c_str(), r.raised.c_str(), r.station.c_str(), r.source.c_str(), r.message.c_str());
  }
  if (!note.empty()) std::printf("\r\n%s\r\n", note.c_str());
  std::fflush(stdout);
}

// One key, or an arrow as 'k'/'j'; 0 when none is waiting.
char ReadKey() {
  char buf[8];
  ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
  if (n <= 0) return 0;
  if (n >= 3 && buf[0] == '\x1b' && buf[1] == '[') return buf[2] == 'A' ? 'k' : buf[2] == 'B' ? 'j' : 0;
  return buf[0];
}

Status Watch(cli::Context& ctx) {
  if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
    return Status::Usage("alarm watch needs a terminal; heatctl alarm list prints the same once");
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_TRY(db->Listen("heat_alarm"));
  RawTerminal term;
  if (!term.ok()) return Status::Failure("alarm watch: cannot set up the terminal");
  size_t selected = 0;
  std::string note;
  auto last_load = std::chrono::steady_clock::time_point{}, last_bell = last_load;
  std::vector<Row> rows;
  bool dirty = true;
  while (true) {
    auto now = std::chrono::steady_clock::now();
    if (dirty || now - last_load > std::chrono::seconds(5)) {
      HEAT_ASSIGN(rows, Load(*db));
      last_load = now;
      dirty = false;
      if (selected >= rows.size()) selected = rows.empty() ? 0 : rows.size() - 1;
      Draw(rows, selected, note);
    }
    bool ring = false;
    for (const Row& r : rows) ring |= r.unacked_active && r.priority <= 2;
    if (ring && now - last_bell > std::chrono::seconds(2)) {
      std::fputs("\a", stdout);
      std::fflush(stdout);
      last_bell = now;
    }
    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {PQsocket(db->raw()), POLLIN, 0}};
    ::poll(fds, 2, 1000);
    if (fds[1].revents) {
      for (auto n = db->WaitNotify(0); n.ok() && *n; n = db->WaitNotify(0)) dirty = true;
    }
    if (!(fds[0].revents & POLLIN)) continue;
    char key = ReadKey();
    if (key == 'q' || key == 4) return Status::Ok();
    if (key == 'j' && selected + 1 < rows.size()) ++selected, dirty = true;
    if (key == 'k' && selected > 0) --selected, dirty = true;
    if (key == 'a' && selected < rows.size()) {
      auto r = db->Query("SELECT heat.alarm_ack($1, 'acknowledged in alarm watch')",
                         {std::to_string(rows[selected].id)});
      note = r.ok() ? "alarm " + std::to_string(rows[selected].id) + " acknowledged" : r.status().message();
      dirty = true;
    }
  }
}

}  // namespace

cli::Command AlarmWatchCommand() {
  return {"alarm watch", "live alarm view: new on top, colour by priority, the bell until acknowledged, "
                         "acknowledge from the keyboard",
          "ALM-4 MON-3", [](CLI::App&) -> cli::Runner { return [](cli::Context& ctx) { return Watch(ctx); }; },
          false};
}

}  // namespace heat::ctl
