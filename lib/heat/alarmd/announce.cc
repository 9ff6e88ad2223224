// alarmd/announce.cc — MQTT publishing and the notification command.
#include "heat/alarmd/announce.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "heat/alarm/rule.h"
#include "heat/alarmd/store.h"
#include "heat/core/log.h"

extern char** environ;

namespace heat::alarmd {

namespace {

// Writes all of data to fd, giving up when the reader has gone.
void WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

}  // namespace

Result<std::vector<AlarmView>> LoadAlarmViews(db::Conn& conn, const std::set<int64_t>& ids) {
  std::vector<AlarmView> out;
  if (ids.empty()) return out;
  std::string list = "{";
  for (int64_t id : ids) list += (list.size() > 1 ? "," : "") + std::to_string(id);
  HEAT_ASSIGN(db::Rows r, conn.Query(std::string(R"(
    SELECT a.id, coalesce(s.code::text, '') AS station, NOT a.active AND a.acked AS closed,
           coalesce(r.notify, '{}') AS notify,
           json_build_object('id', a.id, 'rule', a.rule_code, 'kind', a.kind, 'source', a.source,
             'station', s.code, 'priority', a.priority, 'state', )") + alarm::kAlarmStateSql + R"(,
             'raised_at', a.raised_at, 'cleared_at', a.cleared_at, 'acked_at', a.acked_at, 'acked_by', a.acked_by,
             'value', a.value, 'message', a.message, 'raises', a.raises, 'chattering', a.chattering,
             'shelved_until', a.shelved_until, 'prev_id', a.prev_id, 'parent_id', a.parent_id)::text AS json
    FROM heat.alarm a LEFT JOIN heat.station s ON s.id = a.station_id
    LEFT JOIN heat.alarm_rule r ON r.id = a.rule_id
    WHERE a.id = ANY ($1::bigint[]) ORDER BY a.id)", {list + "}"}));
  for (int i = 0; i < r.size(); ++i) {
    AlarmView v;
    v.id = r.get_int(i, "id");
    v.station = r.get(i, "station");
    v.closed = r.get_bool(i, "closed");
    v.notify = TextArray(r.get(i, "notify"));
    v.json = nlohmann::json::parse(r.get(i, "json"), nullptr, false);
    out.push_back(std::move(v));
  }
  return out;
}

Status Publisher::Publish(const AlarmView& a) {
  std::string topic = prefix_ + "/alarm/" + (a.station.empty() ? "-" : a.station) + "/" + std::to_string(a.id);
  return mqtt_.Publish(topic, a.closed ? "" : a.json.dump(), true);
}

Notifier::Notifier(std::string command, int per_hour)
    : command_(std::move(command)), per_hour_(per_hour), thread_([this] { Loop(); }) {}

Notifier::~Notifier() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Notifier::Notify(const AlarmView& a, int64_t now_ms) {
  if (command_.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  for (const std::string& who : a.notify) {
    auto& times = recent_[who];
    while (!times.empty() && now_ms - times.front() >= 3'600'000) times.pop_front();
    if (static_cast<int>(times.size()) >= per_hour_) {
      ++held_[who];
      ++held_total_;
      continue;
    }
    times.push_back(now_ms);
    nlohmann::json body = {{"recipient", who}, {"alarm", a.json}};
    if (int held = held_[who]; held > 0) body["held_back"] = held;
    held_[who] = 0;
    jobs_.push_back({who, body.dump() + "\n"});
  }
  cv_.notify_one();
}

void Notifier::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stopping, nothing left
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    Run(job);
    lock.lock();
  }
}

// COMMAND RECIPIENT with the JSON on its stdin; killed after 30 s.
void Notifier::Run(const Job& job) {
  int in[2];
  if (pipe2(in, O_CLOEXEC) != 0) return (void)log::Error("notify: pipe: " + std::string(strerror(errno)));
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  // The daemon blocks its signals and ignores SIGPIPE; the gateway gets
  // neither.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, pipe_default;
  sigemptyset(&none);
  sigemptyset(&pipe_default);
  sigaddset(&pipe_default, SIGPIPE);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &pipe_default);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> argv = {const_cast<char*>(command_.c_str()), const_cast<char*>(job.recipient.c_str()), nullptr};
  pid_t pid = 0;
  int rc = posix_spawn(&pid, command_.c_str(), &fa, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  ::close(in[0]);
  if (rc != 0) {
    ::close(in[1]);
    return (void)log::Limited(log::Level::kError, "notify-spawn", "notify: cannot run " + command_ + ": " + strerror(rc));
  }
  WriteAll(in[1], job.payload);
  ::close(in[1]);
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      log::Warning("notify: " + command_ + " " + job.recipient + " took over 30 s; killed");
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) ++sent_;
  else (void)log::Limited(log::Level::kWarning, "notify-exit", "notify: " + command_ + " " + job.recipient + " failed");
}

}  // namespace heat::alarmd
